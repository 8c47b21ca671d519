package repo_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/go-git/go-git/v5"

	"github.com/casebook/casebook/internal/repo"
)

// TestNextID_CacheFollowsChanges: with the id cache warm, a case added in
// the work tree, a case committed with plain git and a damaged cache file
// all still give the right next id.
func TestNextID_CacheFollowsChanges(t *testing.T) {
	dir := newRepo(t)
	writeFile(t, dir, "cases/2026/01/05/BANK-2026-0007.md", "")
	run(t, dir, "add", "-A")
	run(t, dir, "commit", "-q", "-m", "one")
	next := func() string {
		t.Helper()
		r, err := git.PlainOpen(dir)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := r.Head()
		if err != nil {
			t.Fatal(err)
		}
		head, err := r.CommitObject(ref.Hash())
		if err != nil {
			t.Fatal(err)
		}
		id, err := repo.NextID(r, dir, "BANK", 2026, head)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	if got := next(); got != "BANK-2026-0008" {
		t.Fatalf("first: %s", got)
	}
	if _, err := os.Stat(filepath.Join(dir, ".git", "casebook", "ids.json")); err != nil {
		t.Fatalf("no cache written: %v", err)
	}
	writeFile(t, dir, "cases/2026/01/05/BANK-2026-0011.md", "") // same folder, uncommitted
	if got := next(); got != "BANK-2026-0012" {
		t.Fatalf("after a work-tree file: %s", got)
	}
	writeFile(t, dir, "cases/2026/02/09/BANK-2026-0030/index.md", "") // a bundle, committed
	run(t, dir, "add", "-A")
	run(t, dir, "commit", "-q", "-m", "two")
	if got := next(); got != "BANK-2026-0031" {
		t.Fatalf("after a plain git commit: %s", got)
	}
	if err := os.WriteFile(filepath.Join(dir, ".git", "casebook", "ids.json"), []byte("{broken"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := next(); got != "BANK-2026-0031" {
		t.Fatalf("after a damaged cache: %s", got)
	}
}
