package repo_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/casebook/casebook/internal/repo"
)

func TestCommit_EmptyRepository(t *testing.T) {
	dir := newRepo(t)
	res, err := repo.Commit(open(t, dir), dir, repo.CommitRequest{
		Changes: []repo.Change{
			{Path: "cases/2026/03/02/BANK-2026-0001.md", Data: []byte(caseFile("BANK-2026-0001", "received"))},
			{Path: "README.md", Data: []byte("office\n")},
		},
		Message: message("BANK-2026-0001", "new (received)"),
		Author:  clerk,
		Now:     fixedNow,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := head(t, dir); got != res.Commit.String() {
		t.Fatalf("HEAD = %s, want %s", got, res.Commit)
	}
	if got := run(t, dir, "rev-list", "--count", "--parents", "HEAD"); strings.TrimSpace(got) != "1" {
		t.Errorf("rev-list --count = %q, want 1", got)
	}
	if got := run(t, dir, "log", "-1", "--format=%an <%ae>|%cn|%ad", "--date=iso-strict"); got != "王某 <wang@example.com>|王某|2026-03-02T09:30:00+08:00\n" {
		t.Errorf("author, committer and date = %q", got)
	}
	if got := run(t, dir, "show", "HEAD:cases/2026/03/02/BANK-2026-0001.md"); got != caseFile("BANK-2026-0001", "received") {
		t.Errorf("committed content = %q", got)
	}
	if got := readFile(t, dir, "README.md"); got != "office\n" {
		t.Errorf("work-tree README.md = %q", got)
	}
	if got := run(t, dir, "status", "--porcelain"); got != "" {
		t.Errorf("git status --porcelain = %q, want clean", got)
	}
	if got := run(t, dir, "reflog", "--format=%gs"); got != "commit (initial): BANK-2026-0001: new (received)\n" {
		t.Errorf("reflog = %q", got)
	}
	fsck(t, dir)
}

func TestCommit_LeavesOtherWorkAlone(t *testing.T) {
	dir := newRepo(t)
	base := gitCommitFiles(t, dir, "base", map[string]string{
		"cases/2026/03/01/BANK-2026-0001.md": caseFile("BANK-2026-0001", "received"),
		"cases/2026/03/01/BANK-2026-0002.md": caseFile("BANK-2026-0002", "received"),
		"notes.txt":                          "notes\n",
		"policies/bank.yaml":                 "id: bank\n",
	})
	// The clerk's other work: a staged new file, a staged edit, an unstaged edit, an
	// untracked file.
	writeFile(t, dir, "staged.txt", "staged\n")
	run(t, dir, "add", "staged.txt")
	writeFile(t, dir, "policies/bank.yaml", "id: bank\n# staged edit\n")
	run(t, dir, "add", "policies/bank.yaml")
	writeFile(t, dir, "notes.txt", "notes\nunstaged\n")
	writeFile(t, dir, "scratch.txt", "untracked\n")
	statusBefore := run(t, dir, "status", "--porcelain")
	stagedBefore := run(t, dir, "ls-files", "-s", "staged.txt", "policies/bank.yaml", "notes.txt")

	edited := caseFile("BANK-2026-0001", "assigned")
	res, err := repo.Commit(open(t, dir), dir, repo.CommitRequest{
		Changes: []repo.Change{
			{Path: "cases/2026/03/01/BANK-2026-0001.md", Data: []byte(edited)},
			{Path: "cases/2026/03/02/BANK-2026-0003.md", Data: []byte(caseFile("BANK-2026-0003", "received"))},
		},
		Message: "BANK-2026-0001: received -> assigned\n\n转办监察室。\n\nCasebook-Case: BANK-2026-0001\nCasebook-Transition: received -> assigned",
		Author:  clerk,
		Now:     fixedNow,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := run(t, dir, "rev-parse", "HEAD^"); strings.TrimSpace(got) != base {
		t.Errorf("parent = %s, want %s", got, base)
	}
	if got := run(t, dir, "status", "--porcelain"); got != statusBefore {
		t.Errorf("git status --porcelain changed:\nbefore:\n%s\nafter:\n%s", statusBefore, got)
	}
	if got := run(t, dir, "ls-files", "-s", "staged.txt", "policies/bank.yaml", "notes.txt"); got != stagedBefore {
		t.Errorf("index entries of other work changed:\nbefore:\n%s\nafter:\n%s", stagedBefore, got)
	}
	if got := readFile(t, dir, "notes.txt"); got != "notes\nunstaged\n" {
		t.Errorf("unstaged edit lost: %q", got)
	}
	if got := run(t, dir, "show", "--stat=200", "--format=", "HEAD"); !strings.Contains(got, "2 files changed") ||
		strings.Contains(got, "staged.txt") || strings.Contains(got, "bank.yaml") {
		t.Errorf("commit holds more than the operation's files:\n%s", got)
	}
	if got := readFile(t, dir, "cases/2026/03/01/BANK-2026-0001.md"); got != edited {
		t.Errorf("work tree = %q", got)
	}
	if got := run(t, dir, "log", "-1", "--format=%(trailers)"); got != "Casebook-Case: BANK-2026-0001\nCasebook-Transition: received -> assigned\n\n" {
		t.Errorf("trailers = %q", got)
	}
	if got := run(t, dir, "log", "-1", "--format=%B"); !strings.HasSuffix(got, "received -> assigned\n\n") {
		t.Errorf("message must end in one newline: %q", got)
	}
	if res.Branch != "refs/heads/main" {
		t.Errorf("branch = %s", res.Branch)
	}
	fsck(t, dir)
}

func TestCommit_ReusesUntouchedTrees(t *testing.T) {
	dir := newRepo(t)
	gitCommitFiles(t, dir, "base", map[string]string{
		"cases/2026/03/01/BANK-2026-0001.md": caseFile("BANK-2026-0001", "received"),
		"cases/2025/12/31/BANK-2025-0001.md": caseFile("BANK-2025-0001", "received"),
		"policies/bank.yaml":                 "id: bank\n",
	})
	before := run(t, dir, "rev-parse", "HEAD:cases/2025", "HEAD:policies", "HEAD:cases/2026/03/01")
	if _, err := repo.Commit(open(t, dir), dir, repo.CommitRequest{
		Changes: []repo.Change{{Path: "cases/2026/03/02/BANK-2026-0002.md", Data: []byte("x\n")}},
		Message: "add", Author: clerk, Now: fixedNow,
	}); err != nil {
		t.Fatal(err)
	}
	if after := run(t, dir, "rev-parse", "HEAD:cases/2025", "HEAD:policies", "HEAD:cases/2026/03/01"); after != before {
		t.Errorf("untouched trees changed:\n%s\n%s", before, after)
	}
	if got := run(t, dir, "ls-tree", "--name-only", "HEAD:cases/2026/03"); got != "01\n02\n" {
		t.Errorf("cases/2026/03 = %q", got)
	}
	fsck(t, dir)
}

func TestCommit_TimeNeverBeforeParent(t *testing.T) {
	tests := []struct {
		name   string
		parent string // the parent's committer date
		want   string
	}{
		{"parent dated in the future", "2026-03-02T12:00:00+08:00", "2026-03-02T12:00:00+08:00"},
		{"parent in another zone, earlier", "2026-03-02T03:00:00+02:00", "2026-03-02T09:30:00+08:00"},
		{"parent in another zone, later", "2026-03-02T05:00:00+02:00", "2026-03-02T11:00:00+08:00"},
		{"parent later by less than a second", "2026-03-02T09:30:00+08:00", "2026-03-02T09:30:00+08:00"},
		{"parent in the past", "2026-03-01T08:00:00+08:00", "2026-03-02T09:30:00+08:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := newRepo(t)
			writeFile(t, dir, "a.txt", "a\n")
			run(t, dir, "add", "a.txt")
			if out, err := tryGit(dir, []string{"GIT_COMMITTER_DATE=" + tt.parent}, "commit", "-q", "-m", "base"); err != nil {
				t.Fatal(err, out)
			}
			res, err := repo.Commit(open(t, dir), dir, repo.CommitRequest{
				Changes: []repo.Change{{Path: "b.txt", Data: []byte("b\n")}},
				Message: "b", Author: clerk, Now: fixedNow,
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Time.Format(time.RFC3339); got != tt.want {
				t.Errorf("Result.Time = %s, want %s", got, tt.want)
			}
			if got := strings.TrimSpace(run(t, dir, "log", "-1", "--format=%cd", "--date=iso-strict")); got != tt.want {
				t.Errorf("committer date = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestCommit_NowIsReadUnderTheLock(t *testing.T) {
	dir := newRepo(t)
	locked := false
	repo.SetFailpoint(t, func(step string) error {
		if step == "locked" {
			locked = true
		}
		return nil
	})
	_, err := repo.Commit(open(t, dir), dir, repo.CommitRequest{
		Changes: []repo.Change{{Path: "a.txt", Data: []byte("a\n")}},
		Message: "a", Author: clerk,
		Now: func() time.Time {
			if !locked {
				t.Error("Now called before the lock was held")
			}
			return fixedNow()
		},
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCommit_Signed(t *testing.T) {
	cfg := &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA, Time: fixedNow}
	key, err := openpgp.NewEntity("王某", "", "wang@example.com", cfg)
	if err != nil {
		t.Fatal(err)
	}
	other, err := openpgp.NewEntity("李某", "", "li@example.com", cfg)
	if err != nil {
		t.Fatal(err)
	}
	dir := newRepo(t)
	r := open(t, dir)
	res, err := repo.Commit(r, dir, repo.CommitRequest{
		Changes: []repo.Change{{Path: "a.txt", Data: []byte("a\n")}},
		Message: message("BANK-2026-0001", "new (received)"), Author: clerk, Now: fixedNow, Sign: key,
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.CommitObject(res.Commit)
	if err != nil {
		t.Fatal(err)
	}
	if c.PGPSignature == "" {
		t.Fatal("commit has no signature")
	}
	if _, err := c.Verify(armoredPublic(t, key)); err != nil {
		t.Errorf("signature does not verify with the signing key: %v", err)
	}
	if _, err := c.Verify(armoredPublic(t, other)); err == nil {
		t.Error("signature verifies with another key")
	}
	if got := run(t, dir, "cat-file", "-p", "HEAD"); !strings.Contains(got, "gpgsig -----BEGIN PGP SIGNATURE-----") {
		t.Errorf("git does not see the signature header:\n%s", got)
	}
	fsck(t, dir)
}

func armoredPublic(t *testing.T, e *openpgp.Entity) string {
	t.Helper()
	var b strings.Builder
	w, err := armorEncode(&b)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Serialize(w); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return b.String()
}

func TestCommit_RetriesWhenTheBranchMoves(t *testing.T) {
	tests := []struct {
		name string
		step string // where plain git moves the branch
		move func(t *testing.T, dir string)
	}{
		{"git commit after prepare", "objects", func(t *testing.T, dir string) {
			gitCommitFiles(t, dir, "plain git", map[string]string{"other.txt": "other\n"})
		}},
		{"git update-ref while casebook holds index.lock", "index", func(t *testing.T, dir string) {
			blob := strings.TrimSpace(runIn(t, dir, "other\n", "hash-object", "-w", "--stdin"))
			tree := strings.TrimSpace(runIn(t, dir, run(t, dir, "ls-tree", "HEAD")+"100644 blob "+blob+"\tother.txt\n", "mktree"))
			parent := head(t, dir)
			c := strings.TrimSpace(run(t, dir, "commit-tree", tree, "-p", parent, "-m", "plain git"))
			run(t, dir, "update-ref", "refs/heads/main", c, parent)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := newRepo(t)
			base := gitCommitFiles(t, dir, "base", map[string]string{"cases/2026/03/01/BANK-2026-0001.md": caseFile("BANK-2026-0001", "received")})
			moved := false
			repo.SetFailpoint(t, func(step string) error {
				if step == tt.step && !moved {
					moved = true
					tt.move(t, dir)
				}
				return nil
			})
			var heads []string
			res, err := repo.Commit(open(t, dir), dir, repo.CommitRequest{
				Prepare: func(h *object.Commit) ([]repo.Change, string, error) {
					heads = append(heads, h.Hash.String())
					id, err := repo.NextID(open(t, dir), dir, "BANK", 2026, h)
					if err != nil {
						return nil, "", err
					}
					return []repo.Change{{Path: "cases/2026/03/02/" + id + ".md", Data: []byte(caseFile(id, "received"))}},
						message(id, "new (received)"), nil
				},
				Author: clerk, Now: fixedNow,
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(heads) != 2 || heads[0] != base || heads[1] == base {
				t.Fatalf("Prepare saw %v; want the base, then git's commit", heads)
			}
			if got := run(t, dir, "log", "--format=%s", "--first-parent"); got != "BANK-2026-0002: new (received)\nplain git\nbase\n" {
				t.Errorf("history:\n%s", got)
			}
			if got := run(t, dir, "rev-list", "--min-parents=2", "HEAD"); got != "" {
				t.Errorf("merge commits in a linear history: %s", got)
			}
			if got := strings.TrimSpace(run(t, dir, "rev-parse", res.Commit.String()+"^")); got != heads[1] {
				t.Errorf("parent = %s, want git's commit %s", got, heads[1])
			}
			if got := run(t, dir, "ls-tree", "-r", "--name-only", "HEAD"); got != "cases/2026/03/01/BANK-2026-0001.md\ncases/2026/03/02/BANK-2026-0002.md\nother.txt\n" {
				t.Errorf("HEAD tree:\n%s", got)
			}
			// The index still has other.txt only if git's commit went through the index.
			status := run(t, dir, "status", "--porcelain", "cases")
			if status != "" {
				t.Errorf("git status for the committed cases = %q", status)
			}
			fsck(t, dir)
		})
	}
}

func runIn(t *testing.T, dir, stdin string, args ...string) string {
	t.Helper()
	return runStdin(t, dir, stdin, args...)
}

func TestCommit_Refuses(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, dir string)
		req     repo.CommitRequest
		wantErr string
	}{
		{"detached HEAD", func(t *testing.T, dir string) { run(t, dir, "checkout", "-q", "--detach") },
			repo.CommitRequest{Changes: []repo.Change{{Path: "b.txt", Data: []byte("b")}}, Message: "b"}, "HEAD is detached"},
		{"path leaving the repository", nil,
			repo.CommitRequest{Changes: []repo.Change{{Path: "../b.txt", Data: []byte("b")}}, Message: "b"}, `may not contain ".."`},
		{"path into .git", nil,
			repo.CommitRequest{Changes: []repo.Change{{Path: ".git/config", Data: []byte("b")}}, Message: "b"}, `".git"`},
		{"same path twice", nil,
			repo.CommitRequest{Changes: []repo.Change{{Path: "b", Data: []byte("1")}, {Path: "b", Data: []byte("2")}}, Message: "b"}, "written twice"},
		{"empty message", nil,
			repo.CommitRequest{Changes: []repo.Change{{Path: "b.txt", Data: []byte("b")}}, Message: " \n"}, "message is empty"},
		{"file where HEAD has a folder", nil,
			repo.CommitRequest{Changes: []repo.Change{{Path: "cases", Data: []byte("b")}}, Message: "b"}, "is a directory in HEAD"},
		{"folder where HEAD has a file", nil,
			repo.CommitRequest{Changes: []repo.Change{{Path: "a.txt/b.txt", Data: []byte("b")}}, Message: "b"}, "is a file in HEAD"},
		{"symbolic link in the work tree", func(t *testing.T, dir string) {
			if err := os.Symlink(t.TempDir(), filepath.Join(dir, "elsewhere")); err != nil {
				t.Skip(err)
			}
		}, repo.CommitRequest{Changes: []repo.Change{{Path: "elsewhere/b.txt", Data: []byte("b")}}, Message: "b"}, "symbolic link"},
		{"unresolved merge conflict", func(t *testing.T, dir string) {
			run(t, dir, "checkout", "-q", "-b", "side")
			gitCommitFiles(t, dir, "side", map[string]string{"a.txt": "side\n"})
			run(t, dir, "checkout", "-q", "main")
			gitCommitFiles(t, dir, "main", map[string]string{"a.txt": "main\n"})
			tryGit(dir, nil, "merge", "side")
		}, repo.CommitRequest{Changes: []repo.Change{{Path: "b.txt", Data: []byte("b")}}, Message: "b"}, "unresolved merge conflicts"},
		{"prepare fails", nil, repo.CommitRequest{Prepare: func(*object.Commit) ([]repo.Change, string, error) {
			return nil, "", errors.New("field.required: assignee")
		}}, "field.required: assignee"},
		{"no author", nil, repo.CommitRequest{Changes: []repo.Change{{Path: "b.txt", Data: []byte("b")}}, Message: "b", Author: repo.Identity{Name: "x"}}, "e-mail is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := newRepo(t)
			gitCommitFiles(t, dir, "base", map[string]string{"a.txt": "a\n", "cases/x.md": "x\n"})
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			before, status := head(t, dir), run(t, dir, "status", "--porcelain")
			if tt.req.Author == (repo.Identity{}) {
				tt.req.Author = clerk
			}
			tt.req.Now = fixedNow
			_, err := repo.Commit(open(t, dir), dir, tt.req)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
			}
			if head(t, dir) != before || run(t, dir, "status", "--porcelain") != status {
				t.Error("a refused commit changed the repository")
			}
			if _, err := os.Stat(filepath.Join(dir, ".git", "casebook", "lock")); !os.IsNotExist(err) {
				t.Error("the lock was not released")
			}
		})
	}
}

func TestCommit_Locks(t *testing.T) {
	tests := []struct {
		name    string
		file    string // relative to .git
		content func(t *testing.T) string
		wantErr []string
	}{
		{"casebook lock held by a live process", "casebook/lock",
			func(*testing.T) string { return lockContent(os.Getpid()) },
			[]string{"another casebook run holds", "if no casebook is running (pid " + itoa(os.Getpid()) + "), delete"}},
		{"git holds index.lock", "index.lock", func(*testing.T) string { return "" },
			[]string{"git is using the index", "if no git process is running, delete", filepath.Join(".git", "index.lock")}},
		{"git holds the branch's lock", "refs/heads/main.lock", func(*testing.T) string { return "" },
			[]string{"git is updating refs/heads/main", "main.lock"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := newRepo(t)
			before := gitCommitFiles(t, dir, "base", map[string]string{"a.txt": "a\n"})
			p := filepath.Join(dir, ".git", filepath.FromSlash(tt.file))
			os.MkdirAll(filepath.Dir(p), 0o777)
			if err := os.WriteFile(p, []byte(tt.content(t)), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := repo.Commit(open(t, dir), dir, repo.CommitRequest{
				Changes: []repo.Change{{Path: "b.txt", Data: []byte("b\n")}},
				Message: "b", Author: clerk, Now: fixedNow, Timeout: 50 * time.Millisecond,
			})
			if !errors.Is(err, repo.ErrLocked) {
				t.Fatalf("err = %v, want ErrLocked", err)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q does not say %q", err, w)
				}
			}
			if head(t, dir) != before {
				t.Error("HEAD moved")
			}
			if _, err := os.Stat(filepath.Join(dir, "b.txt")); !os.IsNotExist(err) {
				t.Error("the work-tree file was left behind")
			}
			os.Remove(p)
			if got := run(t, dir, "status", "--porcelain"); got != "" {
				t.Errorf("status = %q", got)
			}
		})
	}
}

func TestCommit_TakesOverTheLockOfADeadProcess(t *testing.T) {
	dir := newRepo(t)
	gitCommitFiles(t, dir, "base", map[string]string{"a.txt": "a\n"})
	if err := os.MkdirAll(filepath.Join(dir, ".git", "casebook"), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".git", "casebook", "lock"), []byte(lockContent(deadPID(t))), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Commit(open(t, dir), dir, repo.CommitRequest{
		Changes: []repo.Change{{Path: "b.txt", Data: []byte("b\n")}},
		Message: "b", Author: clerk, Now: fixedNow, Timeout: 5 * time.Second,
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".git", "casebook", "lock")); !os.IsNotExist(err) {
		t.Error("the lock was not released")
	}
}

func TestCommit_BareRepository(t *testing.T) {
	dir := t.TempDir()
	run(t, dir, "init", "-q", "--bare", "-b", "main")
	r := open(t, dir)
	res, err := repo.Commit(r, "", repo.CommitRequest{
		Changes: []repo.Change{{Path: "cases/2026/03/02/BANK-2026-0001.md", Data: []byte("x\n")}},
		Message: "x", Author: clerk, Now: fixedNow,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(run(t, dir, "rev-parse", "refs/heads/main")); got != res.Commit.String() {
		t.Errorf("main = %s, want %s", got, res.Commit)
	}
	if _, err := os.Stat(filepath.Join(dir, "index")); !os.IsNotExist(err) {
		t.Error("an index was written into a bare repository")
	}
	fsck(t, dir)
}

func TestCommit_FailureRestoresTheWorkTree(t *testing.T) {
	for _, step := range []string{"files", "index"} {
		t.Run("failure after "+step, func(t *testing.T) {
			dir := newRepo(t)
			const p = "cases/2026/03/01/BANK-2026-0001.md"
			before := gitCommitFiles(t, dir, "base", map[string]string{p: caseFile("BANK-2026-0001", "received")})
			// The clerk's own unsaved work in the case file, which the command would include.
			edited := caseFile("BANK-2026-0001", "received") + "## 调查情况\n正在核实。\n"
			writeFile(t, dir, p, edited)
			status := run(t, dir, "status", "--porcelain")
			repo.SetFailpoint(t, func(s string) error {
				if s == step {
					return errors.New("disk full")
				}
				return nil
			})
			_, err := repo.Commit(open(t, dir), dir, repo.CommitRequest{
				Changes: []repo.Change{
					{Path: p, Data: []byte(strings.Replace(edited, "received", "assigned", 1))},
					{Path: "cases/2026/03/02/BANK-2026-0002.md", Data: []byte(caseFile("BANK-2026-0002", "received"))},
				},
				Message: "x", Author: clerk, Now: fixedNow,
			})
			if err == nil || !strings.Contains(err.Error(), "disk full") {
				t.Fatalf("err = %v, want the injected failure", err)
			}
			if head(t, dir) != before {
				t.Error("HEAD moved")
			}
			if got := readFile(t, dir, p); got != edited {
				t.Errorf("the clerk's file = %q, want their edit back", got)
			}
			if got := run(t, dir, "status", "--porcelain"); got != status {
				t.Errorf("status = %q, want %q", got, status)
			}
			if _, err := os.Stat(filepath.Join(dir, ".git", "index.lock")); !os.IsNotExist(err) {
				t.Error("index.lock left behind")
			}
		})
	}
}

func TestCommit_ConcurrentGoroutines(t *testing.T) {
	const n = 4
	dir := newRepo(t)
	errs := make(chan error, n)
	ids := make(chan string, n)
	for range n {
		go func() {
			id, err := newCase(dir)
			errs <- err
			ids <- id
		}()
	}
	seen := map[string]bool{}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		seen[<-ids] = true
	}
	if len(seen) != n {
		t.Errorf("ids = %v, want %d distinct", seen, n)
	}
	if got := strings.TrimSpace(run(t, dir, "rev-list", "--count", "HEAD")); got != "4" {
		t.Errorf("%s commits, want 4", got)
	}
	fsck(t, dir)
}
