package office

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/go-git/go-git/v5"
)

// TestLarge tells a large office from its git index in a fresh clone and
// from its parse cache once it has one, and a small one from neither.
func TestLarge(t *testing.T) {
	dir := t.TempDir()
	if _, err := git.PlainInit(dir, false); err != nil {
		t.Fatal(err)
	}
	if Large(dir) {
		t.Fatal("an empty repository is large")
	}
	write := func(name string, size int) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, ".git", "index"), 2<<20) // 20,000 files
	if Large(dir) {
		t.Error("an index of 2 MB is large")
	}
	write(filepath.Join(dir, ".git", "index"), 6<<20)
	if !Large(dir) {
		t.Error("an index of 6 MB (60,000 files) is not large")
	}
	write(filepath.Join(dir, ".git", "index"), 0)
	write(filepath.Join(dir, ".git", "casebook", "cases.bin"), 61<<20)
	if !Large(dir) {
		t.Error("a parse cache of 61 MB is not large")
	}
}
