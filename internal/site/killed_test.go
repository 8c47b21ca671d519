package site

import (
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/demo"
	"github.com/casebook/casebook/internal/office"
)

// killedChildEnv, set to "DIR|OUT|NOW", makes TestBuild_KilledBuilds a
// child that builds DIR into OUT at NOW, to be killed.
const killedChildEnv = "CASEBOOK_SITE_KILLED_CHILD"

// TestBuild_KilledBuilds kills builds at random moments and checks that
// the build after them gives, file for file and byte for byte, what a
// clean build gives. Each killed build describes another moment than the
// one before (the open cases' pages differ), so it has pages to replace;
// a page replaced by a killed build while the manifest still gives its
// old key would be kept, wrong, by a build that trusted the manifest.
func TestBuild_KilledBuilds(t *testing.T) {
	if spec := os.Getenv(killedChildEnv); spec != "" {
		killedChild(spec)
		return
	}
	if testing.Short() {
		t.Skip("builds a demo office")
	}
	dir := filepath.Join(t.TempDir(), "office")
	if _, err := demo.Build(dir, demo.Options{Cases: 200, Seed: 7, Workers: 1}); err != nil {
		t.Fatal(err)
	}
	now := demo.DefaultEnd
	build := func(out string, at time.Time) {
		t.Helper()
		o, err := office.Load(dir, office.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Build(o, Options{Out: out, Now: at}); err != nil {
			t.Fatal(err)
		}
	}
	clean := filepath.Join(t.TempDir(), "clean")
	build(clean, now)

	out := filepath.Join(t.TempDir(), "site")
	build(out, now) // a finished build first: the manifest holds its keys
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	child := func(i int, out string) *exec.Cmd {
		at := now.Add(time.Duration(i+1) * 13 * time.Hour)
		cmd := exec.Command(exe, "-test.run=^TestBuild_KilledBuilds$")
		cmd.Env = append(os.Environ(), killedChildEnv+"="+dir+"|"+out+"|"+at.Format(time.RFC3339))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	// One child left to finish, elsewhere, tells how long a child takes.
	scratch := filepath.Join(t.TempDir(), "scratch")
	build(scratch, now)
	start := time.Now()
	if err := child(0, scratch).Wait(); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 1))
	t.Logf("a child build takes %v; kill seed %d", took, seed)
	kills := 0
	for i := range 8 {
		cmd := child(i+1, out)
		time.Sleep(time.Duration(rng.Int64N(int64(took) + 1)))
		_ = cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		if ee, ok := err.(*exec.ExitError); ok && !ee.Exited() {
			kills++
		} else if err != nil {
			t.Fatalf("child %d: %v", i, err)
		}
	}
	if kills == 0 {
		t.Fatal("no build was killed before it finished")
	}
	build(out, now)

	want, got := snapshot(t, clean), snapshot(t, out)
	for name, b := range want {
		if got[name] != b {
			t.Errorf("%s differs from the clean build (%d bytes, want %d)", name, len(got[name]), len(b))
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s is left over, the clean build has no such file", name)
		}
	}
	t.Logf("%d of 8 builds killed; %d files compared", kills, len(want))
}

// killedChild builds as told by spec and exits.
func killedChild(spec string) {
	parts := strings.Split(spec, "|")
	at, err := time.Parse(time.RFC3339, parts[2])
	if err == nil {
		var o *office.Office
		if o, err = office.Load(parts[0], office.Options{}); err == nil {
			_, err = Build(o, Options{Out: parts[1], Now: at})
		}
	}
	if err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(1)
	}
	os.Exit(0)
}

// A build after an interrupted one removes the temporary files it left,
// in any folder of the site, and nothing else: not a file of the user's
// whose name merely looks alike, not a temporary file outside the site.
func TestBuild_RemovesTempsOfInterruptedBuild(t *testing.T) {
	dir := newRepo(t, smallCases)
	out := filepath.Join(t.TempDir(), "site")
	buildInto(t, dir, out, Options{})
	outside := filepath.Join(filepath.Dir(out), tmpPrefix+"1-1")
	for _, f := range []string{buildingName, tmpPrefix + "9-1", "cases/" + tmpPrefix + "9-2", "mine" + tmpPrefix + "x", outside} {
		path := f
		if !filepath.IsAbs(f) {
			path = filepath.Join(out, f)
		}
		if err := os.WriteFile(path, []byte("half a page"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	buildInto(t, dir, out, Options{})
	for _, f := range []string{buildingName, tmpPrefix + "9-1", "cases/" + tmpPrefix + "9-2"} {
		if _, err := os.Stat(filepath.Join(out, f)); err == nil {
			t.Errorf("%s is still there", f)
		}
	}
	for _, f := range []string{filepath.Join(out, "mine"+tmpPrefix+"x"), outside} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%s was removed: %v", f, err)
		}
	}
}
