package repo_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"

	"github.com/casebook/casebook/internal/gitdir"
	"github.com/casebook/casebook/internal/repo"
)

// linkedWorkTree makes a repository on main with one case and a linked work tree on
// branch clerk2 (`git worktree add`); it returns both work trees.
func linkedWorkTree(t *testing.T) (mainDir, w2 string) {
	t.Helper()
	mainDir = newRepo(t)
	gitCommitFiles(t, mainDir, "base", map[string]string{"cases/2026/03/01/BANK-2026-0001.md": caseFile("BANK-2026-0001", "received")})
	w2 = filepath.Join(t.TempDir(), "w2")
	run(t, mainDir, "worktree", "add", "-q", w2, "-b", "clerk2")
	return mainDir, w2
}

func openLinked(t *testing.T, dir string) *git.Repository {
	t.Helper()
	r, err := gitdir.Open(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func rev(t *testing.T, dir, name string) string {
	t.Helper()
	return strings.TrimSpace(run(t, dir, "rev-parse", "--verify", "-q", name))
}

func TestCommit_LinkedWorkTree(t *testing.T) {
	mainDir, w2 := linkedWorkTree(t)
	base := rev(t, mainDir, "main")
	// The branch only in packed-refs: the compare-and-swap reads it from the common
	// directory's packed-refs, not from the work tree's git directory.
	run(t, mainDir, "pack-refs", "--all")
	r := openLinked(t, w2)
	const p = "cases/2026/03/02/BANK-2026-0002.md"
	res, err := repo.Commit(r, w2, repo.CommitRequest{
		Changes: []repo.Change{{Path: p, Data: []byte(caseFile("BANK-2026-0002", "received"))}},
		Message: message("BANK-2026-0002", "new (received)"), Author: clerk, Now: fixedNow,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Branch != "refs/heads/clerk2" {
		t.Errorf("branch = %s, want refs/heads/clerk2", res.Branch)
	}
	// Plain git in the main work tree sees the commit on clerk2; main did not move.
	if got := rev(t, mainDir, "clerk2"); got != res.Commit.String() {
		t.Errorf("clerk2 seen from the main work tree = %q, want %s", got, res.Commit)
	}
	if got := rev(t, mainDir, "clerk2^"); got != base {
		t.Errorf("parent = %s, want %s", got, base)
	}
	if got := rev(t, mainDir, "HEAD"); got != base {
		t.Errorf("the main work tree's HEAD moved to %s", got)
	}
	if got := rev(t, w2, "HEAD"); got != res.Commit.String() {
		t.Errorf("HEAD in w2 = %s, want %s", got, res.Commit)
	}
	if got := run(t, mainDir, "show", "clerk2:"+p); got != caseFile("BANK-2026-0002", "received") {
		t.Errorf("committed content = %q", got)
	}
	// Nothing of the repository's own went into the work tree's git directory.
	own := filepath.Join(mainDir, ".git", "worktrees", "w2")
	for _, name := range []string{"objects", "refs/heads", "packed-refs", "casebook/lock"} {
		if _, err := os.Stat(filepath.Join(own, filepath.FromSlash(name))); !os.IsNotExist(err) {
			t.Errorf("%s was written into the work tree's git directory", name)
		}
	}
	for _, dir := range []string{mainDir, w2} {
		if got := run(t, dir, "status", "--porcelain"); got != "" {
			t.Errorf("git status in %s = %q", dir, got)
		}
	}
	// The branch's reflog is shared; HEAD's is the work tree's own.
	if got := run(t, mainDir, "reflog", "show", "--format=%H %gs", "clerk2"); !strings.HasPrefix(got, res.Commit.String()+" commit: BANK-2026-0002: new (received)\n") {
		t.Errorf("reflog of clerk2 = %q", got)
	}
	if got := run(t, w2, "reflog", "show", "--format=%H", "HEAD"); !strings.HasPrefix(got, res.Commit.String()+"\n") {
		t.Errorf("HEAD reflog in w2 = %q", got)
	}
	if got := run(t, mainDir, "reflog", "show", "--format=%H", "HEAD"); strings.Contains(got, res.Commit.String()) {
		t.Errorf("the main work tree's HEAD reflog names the commit: %q", got)
	}
	fsck(t, mainDir)
}

func TestCommit_LinkedWorkTreeOpenedWithoutCommonDir(t *testing.T) {
	mainDir, w2 := linkedWorkTree(t)
	before := rev(t, mainDir, "clerk2")
	r, err := git.PlainOpen(w2) // go-git's default: objects and refs under .git/worktrees/w2
	if err != nil {
		t.Fatal(err)
	}
	_, err = repo.Commit(r, w2, repo.CommitRequest{
		Changes: []repo.Change{{Path: "a.txt", Data: []byte("a\n")}},
		Message: "a", Author: clerk, Now: fixedNow,
	})
	if !errors.Is(err, gitdir.ErrNoCommonDir) {
		t.Fatalf("err = %v, want ErrNoCommonDir", err)
	}
	if got := rev(t, mainDir, "clerk2"); got != before {
		t.Errorf("clerk2 moved to %s", got)
	}
	if _, err := os.Stat(filepath.Join(w2, "a.txt")); !os.IsNotExist(err) {
		t.Error("the file was written")
	}
	if _, err := os.Stat(filepath.Join(mainDir, ".git", "worktrees", "w2", "objects")); !os.IsNotExist(err) {
		t.Error("objects were written into the work tree's git directory")
	}
}

// Two work trees share one repository lock: a run in w2 waits for the run in the main
// work tree.
func TestCommit_LinkedWorkTreeSharesTheLock(t *testing.T) {
	mainDir, w2 := linkedWorkTree(t)
	if err := os.MkdirAll(filepath.Join(mainDir, ".git", "casebook"), 0o777); err != nil {
		t.Fatal(err)
	}
	// Held by a live process: this one.
	if err := os.WriteFile(filepath.Join(mainDir, ".git", "casebook", "lock"), []byte(lockContent(os.Getpid())), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := repo.Commit(openLinked(t, w2), w2, repo.CommitRequest{
		Changes: []repo.Change{{Path: "a.txt", Data: []byte("a\n")}},
		Message: "a", Author: clerk, Now: fixedNow, Timeout: 50 * time.Millisecond,
	})
	if !errors.Is(err, repo.ErrLocked) || !strings.Contains(err.Error(), filepath.Join(mainDir, ".git", "casebook", "lock")) {
		t.Fatalf("err = %v, want ErrLocked naming the common lock", err)
	}
}

// A run killed in a linked work tree leaves that work tree's index.lock; the next run,
// in the main work tree, takes over the lock and finishes or undoes it there.
func TestCommit_KilledInLinkedWorkTree(t *testing.T) {
	const path = "cases/2026/03/02/BANK-2026-0002.md"
	for _, tt := range []struct {
		step      string
		committed bool
		status    string // git status --porcelain in w2 after the repair
	}{
		{"index", false, "?? " + path + "\n"},
		{"ref", true, ""},
	} {
		t.Run(tt.step, func(t *testing.T) {
			mainDir, w2 := linkedWorkTree(t)
			base := rev(t, mainDir, "clerk2")
			err := child(w2, repo.FailpointEnv+"="+tt.step).Run()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 137 {
				t.Fatalf("child: %v, want exit status 137", err)
			}
			idxLock := filepath.Join(mainDir, ".git", "worktrees", "w2", "index.lock")
			if _, err := os.Stat(idxLock); err != nil {
				t.Fatalf("the killed run left no index.lock in its work tree's git directory: %v", err)
			}
			if got := rev(t, mainDir, "clerk2") != base; got != tt.committed {
				t.Fatalf("clerk2 moved = %v, want %v", got, tt.committed)
			}
			if _, err := newCase(mainDir); err != nil {
				t.Fatalf("commit in the main work tree after the kill: %v", err)
			}
			if _, err := os.Stat(idxLock); !os.IsNotExist(err) {
				t.Error("w2's index.lock is still there")
			}
			if got := run(t, w2, "status", "--porcelain", "-uall"); got != tt.status {
				t.Errorf("git status in w2 = %q, want %q", got, tt.status)
			}
			if got := run(t, mainDir, "status", "--porcelain"); got != "" {
				t.Errorf("git status in the main work tree = %q", got)
			}
			fsck(t, mainDir)
		})
	}
}

// NextID keeps its cache in the work tree's own git directory.
func TestNextID_LinkedWorkTreeCache(t *testing.T) {
	mainDir, w2 := linkedWorkTree(t)
	id, err := newCase(w2)
	if err != nil {
		t.Fatal(err)
	}
	if id != "BANK-2026-0002" {
		t.Errorf("id = %s, want BANK-2026-0002", id)
	}
	if _, err := os.Stat(filepath.Join(mainDir, ".git", "worktrees", "w2", "casebook", repo.IDCacheFile)); err != nil {
		t.Errorf("no id cache in the work tree's git directory: %v", err)
	}
	if _, err := os.Stat(filepath.Join(mainDir, ".git", "casebook", repo.IDCacheFile)); !os.IsNotExist(err) {
		t.Error("the linked work tree wrote the main work tree's id cache")
	}
}
