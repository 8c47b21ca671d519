package repo_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/casebook/casebook/internal/gitdir"
	"github.com/casebook/casebook/internal/repo"
)

// childEnv makes the test binary act as a casebook `new` instead of running tests.
const childEnv = "CASEBOOK_REPO_TEST_CHILD"

func TestMain(m *testing.M) {
	if dir := os.Getenv(childEnv); dir != "" {
		id, err := newCase(dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(id)
		os.Exit(0)
	}
	code := m.Run()
	cleanupFixtures()
	os.Exit(code)
}

// newCase does what `casebook new` does: allocate an id under the lock and commit the file.
func newCase(dir string) (string, error) {
	r, err := gitdir.Open(dir, false)
	if err != nil {
		return "", err
	}
	var id string
	_, err = repo.Commit(r, dir, repo.CommitRequest{
		Prepare: func(h *object.Commit) ([]repo.Change, string, error) {
			var err error
			if id, err = repo.NextID(r, dir, "BANK", 2026, h); err != nil {
				return nil, "", err
			}
			return []repo.Change{{Path: "cases/2026/03/02/" + id + ".md", Data: []byte(caseFile(id, "received"))}},
				message(id, "new (received)"), nil
		},
		Author: clerk, Now: fixedNow, Timeout: time.Minute,
	})
	return id, err
}

// child runs newCase in a new process.
func child(dir string, env ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), childEnv+"="+dir), env...)
	return cmd
}

func TestCommit_TenConcurrentProcesses(t *testing.T) {
	const n = 10
	dir := newRepo(t)
	gitCommitFiles(t, dir, "base", map[string]string{"cases/2026/03/01/BANK-2026-0001.md": caseFile("BANK-2026-0001", "received")})
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		ids  []string
		errs []error
	)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := child(dir).Output()
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				var ee *exec.ExitError
				if errors.As(err, &ee) {
					err = fmt.Errorf("%w: %s", err, ee.Stderr)
				}
				errs = append(errs, err)
				return
			}
			ids = append(ids, strings.TrimSpace(string(out)))
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatal(errors.Join(errs...))
	}
	sort.Strings(ids)
	var want []string
	for i := 2; i <= n+1; i++ {
		want = append(want, fmt.Sprintf("BANK-2026-%04d", i))
	}
	if strings.Join(ids, " ") != strings.Join(want, " ") {
		t.Errorf("ids = %v, want %v", ids, want)
	}
	if got := strings.TrimSpace(run(t, dir, "rev-list", "--count", "HEAD")); got != fmt.Sprint(n+1) {
		t.Errorf("%s commits, want %d", got, n+1)
	}
	if got := run(t, dir, "rev-list", "--min-parents=2", "HEAD"); got != "" {
		t.Errorf("merges in what must be a linear history: %s", got)
	}
	if got := strings.Count(run(t, dir, "ls-tree", "-r", "--name-only", "HEAD", "cases/2026/03/02/"), "\n"); got != n {
		t.Errorf("%d case files committed, want %d", got, n)
	}
	if got := run(t, dir, "status", "--porcelain"); got != "" {
		t.Errorf("git status --porcelain = %q", got)
	}
	fsck(t, dir)
}

func TestCommit_KilledAtEachStep(t *testing.T) {
	const path = "cases/2026/03/02/BANK-2026-0002.md"
	tests := []struct {
		step      string
		committed bool   // HEAD is the new commit after the kill
		after     string // git status --porcelain once a later commit has run
	}{
		{"locked", false, ""},
		{"objects", false, ""},
		// Killed with the new file written but not committed: the next run counts it,
		// allocates the id after it, and leaves it for the clerk.
		{"files", false, "?? " + path + "\n"},
		{"index", false, "?? " + path + "\n"},
		{"ref", true, ""},
		{"done", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.step, func(t *testing.T) {
			dir := newRepo(t)
			base := gitCommitFiles(t, dir, "base", map[string]string{"cases/2026/03/01/BANK-2026-0001.md": caseFile("BANK-2026-0001", "received")})
			err := child(dir, repo.FailpointEnv+"="+tt.step).Run()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 137 {
				t.Fatalf("child: %v, want exit status 137", err)
			}
			fsck(t, dir)
			got := head(t, dir)
			if tt.committed {
				if got == base || strings.TrimSpace(run(t, dir, "rev-parse", "HEAD^")) != base {
					t.Fatalf("HEAD = %s, want a child of %s", got, base)
				}
				if c := run(t, dir, "show", "HEAD:"+path); c != caseFile("BANK-2026-0002", "received") {
					t.Errorf("committed content = %q", c)
				}
			} else if got != base {
				t.Fatalf("HEAD = %s, want the old %s", got, base)
			}

			// The next run takes over the dead run's lock and repairs the index.
			id, err := newCase(dir)
			if err != nil {
				t.Fatalf("commit after the kill: %v", err)
			}
			wantID := "BANK-2026-0003"
			if tt.step == "locked" || tt.step == "objects" {
				wantID = "BANK-2026-0002"
			}
			if id != wantID {
				t.Errorf("id after the kill = %s, want %s", id, wantID)
			}
			if s := run(t, dir, "status", "--porcelain"); s != tt.after {
				t.Errorf("git status --porcelain = %q, want %q", s, tt.after)
			}
			if s := run(t, dir, "rev-list", "--min-parents=2", "HEAD"); s != "" {
				t.Errorf("merges: %s", s)
			}
			fsck(t, dir)
		})
	}
}
