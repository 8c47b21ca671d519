package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/seal"
)

// TestPII_CanariesNeverInPlainText plants canary values in personal-data
// fields through every write path (new, set, move, demo) of repositories
// that declare recipients, then reads every object reachable in git (blobs,
// trees, commit messages) with plain git, and every file of the sites built
// without an identity: no canary may appear in plain text.
func TestPII_CanariesNeverInPlainText(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	gitIdentity(t)
	t.Setenv(identityEnv, "")

	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(t.TempDir(), "key.txt")
	writeTestFile(t, keyFile, id.String()+"\n")
	recipients := "监察室: " + id.Recipient().String() + "\n"
	recipientsFile := filepath.Join(t.TempDir(), "recipients.txt")
	writeTestFile(t, recipientsFile, recipients)

	// An office repository with recipients, written by the clerk commands.
	dir := t.TempDir()
	gitRun(t, dir, "init", "-q", "-b", "main")
	writeTestFile(t, filepath.Join(dir, seal.File), recipients)
	writeTestFile(t, filepath.Join(dir, "cases", ".gitkeep"), "")
	gitRun(t, dir, "add", "-A")
	gitRun(t, dir, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "recipients")

	canaries := map[string][]string{} // path → canaries planted through it
	plant := func(path, value string) string {
		canaries[path] = append(canaries[path], value)
		return value
	}
	now := "--now=2026-11-30T10:00:00+08:00"
	bank := run(t, "-C", dir, "new", now, "--policy", "bank", "--title", "柜台服务态度差", "--channel", "visit", "--category", "attitude",
		"--received-at", "2026-11-30T09:00:00+08:00",
		"--set", "complainant.name="+plant("new", "甄CANARYNAME"),
		"--set", "complainant.phone="+plant("new", "19900000001"),
		"--set", "complainant.id_number="+plant("new", "CANARYID110101"),
		"--set", "complainant.address="+plant("new", "CANARY街一号"))
	tender := run(t, "-C", dir, "new", now, "--policy", "tendering", "--title", "评标专家打招呼", "--channel", "letter", "--category", "bid_rigging",
		"--received-at", "2026-11-30T09:10:00+08:00",
		"--set", "complainant.name="+plant("new", "举报人CANARY"),
		"--set", "complainant.work_unit="+plant("new", "CANARY建设公司"),
		"--set", "complainant.address="+plant("new", "CANARY村二号"))
	run(t, "-C", dir, "set", now, bank, "complainant.email="+plant("set", "canary@example.cn"), "complainant.phone="+plant("set", "19900000002"))
	run(t, "-C", dir, "set", now, tender, "complainant.phone="+plant("set", "19900000003"))
	run(t, "-C", dir, "move", now, bank, "assigned", "--set", "assignee=赵某", "--set", "department=监察室",
		"--set", "leader_opinion.by=孙行长", "--set", "leader_opinion.opinion=请办理",
		"--set", "complainant.work_unit="+plant("move", "CANARY商贸公司"))

	// A demo office with the same recipients: its canaries are whatever the
	// demo's complainants are called, read back with the key.
	demoDir := filepath.Join(t.TempDir(), "demo")
	run(t, "demo", demoDir, "--cases", "40", "--recipients", recipientsFile)
	off, err := office.Load(demoDir, office.Options{NoHistory: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range off.Cases {
		fields, errs := seal.Reveal(c.Fields, c.ID, []seal.Identity{id}, "")
		if len(errs) > 0 {
			t.Fatalf("%s: %v", c.ID, errs)
		}
		cm, _ := fields["complainant"].(map[string]any)
		for _, k := range []string{"name", "phone", "id_number", "address", "work_unit", "email"} {
			if s, ok := cm[k].(string); ok && s != "" {
				plant("demo", s)
			}
		}
	}

	// Sites built without an identity, with and without --include-pii.
	var sites []string
	for _, repoDir := range []string{dir, demoDir} {
		for _, extra := range [][]string{nil, {"--include-pii"}} {
			out := t.TempDir()
			run(t, append([]string{"-C", repoDir, "build", now, "--out", out}, extra...)...)
			sites = append(sites, out)
		}
	}

	total := 0
	for _, path := range []string{"new", "set", "move", "demo"} {
		total += len(canaries[path])
		t.Logf("%d canaries planted through %s", len(canaries[path]), path)
	}
	if len(canaries["demo"]) < 40 {
		t.Fatalf("only %d demo canaries", len(canaries["demo"]))
	}
	found := map[string][]string{}
	for _, repoDir := range []string{dir, demoDir} {
		scan(found, "git objects of "+filepath.Base(repoDir), gitObjects(t, repoDir), canaries)
	}
	for _, s := range sites {
		filepath.WalkDir(s, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			scan(found, p, data, canaries)
			return nil
		})
	}
	t.Logf("%d canaries planted; %d found in plain text", total, len(found))
	for _, c := range sortedKeys(found) {
		t.Errorf("canary %q in plain text in %s", c, strings.Join(found[c], ", "))
	}

	// The key does open them: the canaries were really there.
	var out bytes.Buffer
	if code := Run([]string{"-C", dir, "show", bank, "--identity", keyFile, now}, nil, &out, &out); code != 0 || !strings.Contains(out.String(), "甄CANARYNAME") {
		t.Errorf("show with the key (exit %d):\n%s", code, out.String())
	}
}

// scan records in found which canaries data holds.
func scan(found map[string][]string, where string, data []byte, canaries map[string][]string) {
	for _, cs := range canaries {
		for _, c := range cs {
			if bytes.Contains(data, []byte(c)) {
				found[c] = append(found[c], where)
			}
		}
	}
}

// gitObjects returns the content of every object reachable from any ref,
// as plain git prints it.
func gitObjects(t *testing.T, dir string) []byte {
	t.Helper()
	list := gitRun(t, dir, "rev-list", "--all", "--objects")
	var hashes []string
	for _, line := range strings.Split(strings.TrimSpace(list), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			hashes = append(hashes, f[0])
		}
	}
	sort.Strings(hashes)
	cmd := exec.Command("git", "cat-file", "--batch")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(strings.Join(hashes, "\n") + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git cat-file: %v", err)
	}
	if n := bytes.Count(out, []byte(" missing\n")); n > 0 {
		t.Fatalf("%d objects missing", n)
	}
	return out
}

// gitIdentity gives plain git a test's own configuration and identity.
func gitIdentity(t *testing.T) {
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(t.TempDir(), "gitconfig"))
	t.Setenv("GIT_AUTHOR_NAME", "测试员")
	t.Setenv("GIT_AUTHOR_EMAIL", "tester@example.com")
	t.Setenv("GIT_COMMITTER_NAME", "测试员")
	t.Setenv("GIT_COMMITTER_EMAIL", "tester@example.com")
}

func gitRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func run(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := Run(args, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("casebook %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errOut.String())
	}
	return strings.TrimSpace(out.String())
}

func writeTestFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func sortedKeys(m map[string][]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
