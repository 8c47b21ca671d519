package repo_test

import (
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/repo"
)

func TestCommit_IndexForms(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, dir string)
		wantErr string
	}{
		{"version 2", func(t *testing.T, dir string) { run(t, dir, "update-index", "--index-version", "2") }, ""},
		{"version 3 with an intent-to-add entry", func(t *testing.T, dir string) {
			writeFile(t, dir, "later.txt", "later\n")
			run(t, dir, "add", "-N", "later.txt")
		}, ""},
		{"version 4", func(t *testing.T, dir string) { run(t, dir, "update-index", "--index-version", "4") }, ""},
		{"cache tree and untracked cache", func(t *testing.T, dir string) {
			run(t, dir, "update-index", "--untracked-cache")
			writeFile(t, dir, "scratch.txt", "untracked\n")
			run(t, dir, "status", "--porcelain")
			run(t, dir, "write-tree")
		}, ""},
		{"split index", func(t *testing.T, dir string) { run(t, dir, "update-index", "--split-index") }, "split or sparse index"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := newRepo(t)
			before := gitCommitFiles(t, dir, "base", map[string]string{
				"cases/2026/03/01/BANK-2026-0001.md": caseFile("BANK-2026-0001", "received"),
				"z.txt":                              "z\n",
			})
			tt.setup(t, dir)
			status := run(t, dir, "status", "--porcelain")
			_, err := repo.Commit(open(t, dir), dir, repo.CommitRequest{
				Changes: []repo.Change{
					{Path: "cases/2026/03/01/BANK-2026-0001.md", Data: []byte(caseFile("BANK-2026-0001", "assigned"))},
					{Path: "cases/2026/03/02/BANK-2026-0002.md", Data: []byte(caseFile("BANK-2026-0002", "received"))},
					{Path: "a.txt", Data: []byte("first in the index\n")},
				},
				Message: "x", Author: clerk, Now: fixedNow,
			})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if head(t, dir) != before || run(t, dir, "status", "--porcelain") != status {
					t.Error("a refused commit changed the repository")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := run(t, dir, "status", "--porcelain"); got != status {
				t.Errorf("git status --porcelain = %q, want %q as before", got, status)
			}
			// diff-files trusts the index's stat data: it lists a file whose recorded stat
			// does not match the disk.
			if got := run(t, dir, "diff-files", "--name-only", "--", "cases", "a.txt"); got != "" {
				t.Errorf("stat data in the index does not match the work tree:\n%s", got)
			}
			if got := run(t, dir, "diff-index", "--cached", "HEAD", "--", "cases", "a.txt"); got != "" {
				t.Errorf("index differs from HEAD for the committed paths:\n%s", got)
			}
			fsck(t, dir)
		})
	}
}

func TestCommit_IndexMissing(t *testing.T) {
	dir := newRepo(t)
	gitCommitFiles(t, dir, "base", map[string]string{"a.txt": "a\n"})
	run(t, dir, "rm", "-q", "--cached", "a.txt")
	if err := removeFile(dir, ".git/index"); err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Commit(open(t, dir), dir, repo.CommitRequest{
		Changes: []repo.Change{{Path: "b.txt", Data: []byte("b\n")}}, Message: "b", Author: clerk, Now: fixedNow,
	}); err != nil {
		t.Fatal(err)
	}
	if got := run(t, dir, "ls-files", "--stage"); !strings.HasSuffix(got, "\tb.txt\n") || strings.Count(got, "\n") != 1 {
		t.Errorf("index = %q, want b.txt alone", got)
	}
}
