package gitdir_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/go-git/go-git/v5"

	"github.com/casebook/casebook/internal/gitdir"
)

func gitRun(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull,
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func TestOf(t *testing.T) {
	top := t.TempDir()
	mainDir := filepath.Join(top, "office")
	if err := os.Mkdir(mainDir, 0o777); err != nil {
		t.Fatal(err)
	}
	gitRun(t, mainDir, "init", "-q", "-b", "main")
	gitRun(t, mainDir, "commit", "-q", "--allow-empty", "-m", "base")
	gitRun(t, mainDir, "worktree", "add", "-q", "../w2", "-b", "clerk2")
	dotGit := filepath.Join(mainDir, ".git")
	own := filepath.Join(dotGit, "worktrees", "w2")

	tests := []struct {
		name             string
		dir              string
		git, common      string
		head, branch     string
		headLog, index   string
		linked           bool
		lockDir, caching string
	}{
		{"main work tree", mainDir, dotGit, dotGit,
			filepath.Join(dotGit, "HEAD"), filepath.Join(dotGit, "refs", "heads", "clerk2"),
			filepath.Join(dotGit, "logs", "HEAD"), filepath.Join(dotGit, "index"), false,
			filepath.Join(dotGit, "casebook"), filepath.Join(dotGit, "casebook")},
		{"linked work tree", filepath.Join(top, "w2"), own, dotGit,
			filepath.Join(own, "HEAD"), filepath.Join(dotGit, "refs", "heads", "clerk2"),
			filepath.Join(own, "logs", "HEAD"), filepath.Join(own, "index"), true,
			filepath.Join(dotGit, "casebook"), filepath.Join(own, "casebook")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := gitdir.Open(tt.dir, true)
			if err != nil {
				t.Fatal(err)
			}
			d, err := gitdir.Of(r)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct{ what, got, want string }{
				{"Git", d.Git, tt.git}, {"Common", d.Common, tt.common},
				{"Ref(HEAD)", d.Ref("HEAD"), tt.head}, {"Ref(branch)", d.Ref("refs/heads/clerk2"), tt.branch},
				{"Reflog(HEAD)", d.Reflog("HEAD"), tt.headLog},
				{"Reflog(branch)", d.Reflog("refs/heads/clerk2"), filepath.Join(dotGit, "logs", "refs", "heads", "clerk2")},
				{"PackedRefs", d.PackedRefs(), filepath.Join(dotGit, "packed-refs")},
				{"Objects", d.Objects(), filepath.Join(dotGit, "objects")},
				{"LockFile", d.LockFile(), filepath.Join(dotGit, "casebook", "lock")},
				{"Index", d.Index(), tt.index}, {"LockDir", d.LockDir(), tt.lockDir}, {"CacheDir", d.CacheDir(), tt.caching},
			} {
				if c.got != c.want {
					t.Errorf("%s = %s, want %s", c.what, c.got, c.want)
				}
			}
			if d.Linked() != tt.linked {
				t.Errorf("Linked = %v, want %v", d.Linked(), tt.linked)
			}
		})
	}
}

func TestOf_OpenedWithoutCommonDir(t *testing.T) {
	top := t.TempDir()
	gitRun(t, top, "init", "-q", "-b", "main", "office")
	gitRun(t, filepath.Join(top, "office"), "commit", "-q", "--allow-empty", "-m", "base")
	gitRun(t, filepath.Join(top, "office"), "worktree", "add", "-q", "../w2")
	r, err := git.PlainOpen(filepath.Join(top, "w2"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gitdir.Of(r); !errors.Is(err, gitdir.ErrNoCommonDir) {
		t.Errorf("err = %v, want ErrNoCommonDir", err)
	}
}
