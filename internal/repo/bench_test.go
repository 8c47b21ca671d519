package repo_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/casebook/casebook/internal/repo"
)

// bigCases is the size of the benchmark office.
const bigCases = 100_000

var (
	bigOnce sync.Once
	bigDir  string
	bigErr  error
)

// bigRepo returns a repository with bigCases case files in day folders, committed and
// checked out (the index holds every file), built once per test binary with git
// fast-import.
func bigRepo(b *testing.B) string {
	bigOnce.Do(func() {
		bigDir, bigErr = os.MkdirTemp("", "casebook-bench-")
		if bigErr != nil {
			return
		}
		bigErr = buildBig(bigDir)
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	return bigDir
}

func buildBig(dir string) error {
	if out, err := tryGit(dir, nil, "init", "-q", "-b", "main"); err != nil {
		return fmt.Errorf("%v: %s", err, out)
	}
	cmd := exec.Command("git", "fast-import", "--quiet")
	cmd.Dir = dir
	cmd.Env = gitEnv()
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	w := bufio.NewWriterSize(in, 1<<20)
	fmt.Fprintf(w, "commit refs/heads/main\ncommitter Plain Git <git@example.com> 1772323200 +0800\ndata 5\nbulk\n")
	for i := range bigCases {
		year := 2024 + i/40_000
		day := i % 40_000 / 110 // ~110 cases a day
		id := fmt.Sprintf("BANK-%d-%04d", year, i%40_000+1)
		data := caseFile(id, "received")
		fmt.Fprintf(w, "M 100644 inline cases/%d/%02d/%02d/%s.md\ndata %d\n%s\n",
			year, day/28%12+1, day%28+1, id, len(data), data)
	}
	w.WriteString("\n")
	if err := w.Flush(); err != nil {
		return err
	}
	in.Close()
	if err := cmd.Wait(); err != nil {
		return err
	}
	if out, err := tryGit(dir, nil, "reset", "-q", "--hard"); err != nil {
		return fmt.Errorf("%v: %s", err, out)
	}
	return nil
}

func cleanupFixtures() {
	if bigDir != "" {
		os.RemoveAll(bigDir)
	}
}

// BenchmarkCommit measures one `move`-sized commit (one changed case file) in an office of
// 100,000 cases: locks, objects, work-tree file, index, branch.
func BenchmarkCommit(b *testing.B) {
	dir := bigRepo(b)
	r := open(b, dir)
	const path = "cases/2025/06/15/BANK-2025-1234.md"
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		_, err := repo.Commit(r, dir, repo.CommitRequest{
			Changes: []repo.Change{{Path: path, Data: []byte(caseFile("BANK-2025-1234", fmt.Sprint("state-", i)))}},
			Message: message("BANK-2025-1234", "assigned -> replied"), Author: clerk, Now: fixedNow,
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNextID measures an id allocation for the fullest year of the office above.
func BenchmarkNextID(b *testing.B) {
	dir := bigRepo(b)
	r := open(b, dir)
	ref, err := r.Head()
	if err != nil {
		b.Fatal(err)
	}
	h, err := r.CommitObject(ref.Hash())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := repo.NextID(r, dir, "BANK", 2024, h); err != nil {
			b.Fatal(err)
		}
	}
}
