package cli

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuild_CacheGivesNoCacheSite builds a small generated bank office
// through its caches (empty, then filled by the first build, then after
// one more commit) and with --no-cache: every file of the site is the
// same, byte for byte.
func TestBuild_CacheGivesNoCacheSite(t *testing.T) {
	dir := generatedOffice(t, 150, 11)
	const now = "2027-01-02T10:00:00+08:00"
	build := func(out string, args ...string) map[string][]byte {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := Run(append([]string{"-C", dir, "build", "--now", now, "--out", out}, args...), strings.NewReader(""), &stdout, &stderr); code != 0 {
			t.Fatalf("build %v: exit %d\n%s", args, code, stderr.String())
		}
		files := map[string][]byte{}
		err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			rel, _ := filepath.Rel(out, p)
			files[filepath.ToSlash(rel)] = b
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	same := func(step string, got, want map[string][]byte) {
		t.Helper()
		for name, b := range want {
			if g, ok := got[name]; !ok {
				t.Errorf("%s: %s is only in the --no-cache site", step, name)
			} else if !bytes.Equal(g, b) {
				t.Errorf("%s: %s differs from the --no-cache site:\n%s", step, name, firstDiff(string(g), string(b)))
			}
		}
		for name := range got {
			if _, ok := want[name]; !ok {
				t.Errorf("%s: %s is not in the --no-cache site", step, name)
			}
		}
	}
	tmp := t.TempDir()
	if err := os.RemoveAll(filepath.Join(dir, ".git", "casebook")); err != nil {
		t.Fatal(err)
	}
	same("empty caches", build(filepath.Join(tmp, "a")), build(filepath.Join(tmp, "ref1"), "--no-cache"))
	same("filled caches", build(filepath.Join(tmp, "b")), build(filepath.Join(tmp, "ref2"), "--no-cache"))
	// One more transition, then a rebuild into a site of the old commit.
	files := strings.Fields(gitRun(t, dir, "ls-files", "cases"))
	p := filepath.Join(dir, files[len(files)-1])
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, p, strings.Replace(string(b), "\n---\n", "\n---\n\n更正了一处笔误。\n", 1))
	gitRun(t, dir, "-c", "commit.gpgsign=false", "commit", "-qam", "one more commit")
	same("after one more commit", build(filepath.Join(tmp, "a")), build(filepath.Join(tmp, "ref3"), "--no-cache"))
}
