package repo_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/repo"
)

// renameChanges moves the case file old to new in one commit, as renumber does.
func renameChanges(oldPath, newPath, data string) []repo.Change {
	return []repo.Change{{Path: oldPath, Delete: true}, {Path: newPath, Data: []byte(data)}}
}

func TestCommit_DeletesAFile(t *testing.T) {
	const (
		oldPath = "cases/2026/03/01/BANK-2026-0001.md"
		newPath = "cases/2026/03/01/BANK-2026-0002.md"
		lone    = "cases/2026/02/28/BANK-2026-0003.md"
	)
	for _, version := range []string{"2", "3", "4"} { // 2 and 3 are patched as bytes, 4 goes through go-git
		t.Run("index version "+version, func(t *testing.T) {
			dir := newRepo(t)
			gitCommitFiles(t, dir, "base", map[string]string{
				oldPath: caseFile("BANK-2026-0001", "closed"),
				lone:    caseFile("BANK-2026-0003", "received"),
				"a.txt": "a\n", "z.txt": "z\n",
			})
			run(t, dir, "update-index", "--index-version", version)
			// Other work of the clerk's stays as it was.
			writeFile(t, dir, "a.txt", "edited\n")
			writeFile(t, dir, "z.txt", "staged\n")
			run(t, dir, "add", "z.txt")
			status := run(t, dir, "status", "--porcelain")

			changes := append(renameChanges(oldPath, newPath, caseFile("BANK-2026-0002", "closed")), repo.Change{Path: lone, Delete: true})
			res, err := repo.Commit(open(t, dir), dir, repo.CommitRequest{Changes: changes, Message: "BANK-2026-0002: renumbered from BANK-2026-0001", Author: clerk, Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			if got := run(t, dir, "show", "--no-renames", "--name-status", "--format=", res.Commit.String()); got != "D\t"+lone+"\nD\t"+oldPath+"\nA\t"+newPath+"\n" {
				t.Errorf("the commit changes\n%s", got)
			}
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(oldPath))); !os.IsNotExist(err) {
				t.Errorf("%s is still in the work tree: %v", oldPath, err)
			}
			if _, err := os.Stat(filepath.Join(dir, "cases", "2026", "02")); !os.IsNotExist(err) {
				t.Errorf("the folder the deletion left empty is still there: %v", err)
			}
			if got := run(t, dir, "ls-tree", "-r", "--name-only", "HEAD", "cases/2026/02"); got != "" {
				t.Errorf("HEAD keeps an empty tree: %q", got)
			}
			if got := run(t, dir, "status", "--porcelain"); got != status {
				t.Errorf("git status = %q, want the clerk's own work only, %q", got, status)
			}
			if got := run(t, dir, "diff", "--cached", "--name-only"); got != "z.txt\n" {
				t.Errorf("staged = %q, want z.txt alone", got)
			}
			fsck(t, dir)
		})
	}
}

func TestCommit_DeletionRefusals(t *testing.T) {
	const p = "cases/2026/03/01/BANK-2026-0001.md"
	for _, tc := range []struct {
		name string
		prep func(t *testing.T, dir string)
		want string
	}{
		{"an uncommitted edit", func(t *testing.T, dir string) {
			writeFile(t, dir, p, caseFile("BANK-2026-0001", "received")+"## 调查情况\n")
		}, "has uncommitted changes"},
		{"a staged edit", func(t *testing.T, dir string) {
			writeFile(t, dir, p, caseFile("BANK-2026-0001", "assigned"))
			run(t, dir, "add", p)
			writeFile(t, dir, p, caseFile("BANK-2026-0001", "received"))
		}, "has staged changes"},
		{"a file HEAD does not have", func(t *testing.T, dir string) {}, "is not in HEAD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := newRepo(t)
			before := gitCommitFiles(t, dir, "base", map[string]string{p: caseFile("BANK-2026-0001", "received")})
			tc.prep(t, dir)
			del := p
			if tc.want == "is not in HEAD" {
				del = "cases/2026/03/01/BANK-2026-0009.md"
			}
			status := run(t, dir, "status", "--porcelain")
			data, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
			_, err := repo.Commit(open(t, dir), dir, repo.CommitRequest{
				Changes: renameChanges(del, "cases/2026/03/01/BANK-2026-0002.md", caseFile("BANK-2026-0002", "received")),
				Message: "x", Author: clerk, Now: fixedNow,
			})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if head(t, dir) != before {
				t.Error("HEAD moved")
			}
			if got := run(t, dir, "status", "--porcelain"); got != status {
				t.Errorf("status = %q, want %q", got, status)
			}
			if got, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p))); string(got) != string(data) {
				t.Errorf("the work-tree file changed: %q", got)
			}
		})
	}
}

func TestCommit_FailedDeletionPutsTheFileBack(t *testing.T) {
	const oldPath, newPath = "cases/2026/03/01/BANK-2026-0001.md", "cases/2026/03/02/BANK-2026-0002.md"
	for _, step := range []string{"files", "index"} {
		t.Run("failure after "+step, func(t *testing.T) {
			dir := newRepo(t)
			before := gitCommitFiles(t, dir, "base", map[string]string{oldPath: caseFile("BANK-2026-0001", "received")})
			repo.SetFailpoint(t, func(s string) error {
				if s == step {
					return errors.New("disk full")
				}
				return nil
			})
			_, err := repo.Commit(open(t, dir), dir, repo.CommitRequest{
				Changes: renameChanges(oldPath, newPath, caseFile("BANK-2026-0002", "received")),
				Message: "x", Author: clerk, Now: fixedNow,
			})
			if err == nil || !strings.Contains(err.Error(), "disk full") {
				t.Fatalf("err = %v, want the injected failure", err)
			}
			if head(t, dir) != before {
				t.Error("HEAD moved")
			}
			if got := readFile(t, dir, oldPath); got != caseFile("BANK-2026-0001", "received") {
				t.Errorf("the deleted file was not put back: %q", got)
			}
			if got := run(t, dir, "status", "--porcelain"); got != "" {
				t.Errorf("status = %q, want clean", got)
			}
		})
	}
}

func TestCommit_BareRepositoryDeletes(t *testing.T) {
	const oldPath, newPath = "cases/2026/03/01/BANK-2026-0001.md", "cases/2026/03/01/BANK-2026-0002.md"
	src := newRepo(t)
	gitCommitFiles(t, src, "base", map[string]string{oldPath: caseFile("BANK-2026-0001", "received")})
	bare := t.TempDir()
	run(t, bare, "clone", "-q", "--bare", src, ".")
	res, err := repo.Commit(open(t, bare), "", repo.CommitRequest{
		Changes: renameChanges(oldPath, newPath, caseFile("BANK-2026-0002", "received")),
		Message: "x", Author: clerk, Now: fixedNow,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := run(t, bare, "ls-tree", "-r", "--name-only", res.Commit.String()); got != newPath+"\n" {
		t.Errorf("tree = %q", got)
	}
	fsck(t, bare)
}
