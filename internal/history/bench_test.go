package history

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/go-git/go-git/v5"
)

var (
	fixtureOnce sync.Once
	fixtureDir  string
	fixtureErr  error
)

// benchFixture generates the bank repository of bench/genrepo once per
// size (CASEBOOK_BENCH_CASES, default 2000) and reuses it across runs: the
// generator is deterministic, so a directory named after size and seed is
// always the same repository.
func benchFixture(b *testing.B) string {
	b.Helper()
	fixtureOnce.Do(func() {
		n := 2000
		if v, err := strconv.Atoi(os.Getenv("CASEBOOK_BENCH_CASES")); err == nil && v > 0 {
			n = v
		}
		fixtureDir = filepath.Join(os.TempDir(), "casebook-bench-"+strconv.Itoa(n)+"-seed1")
		if _, err := os.Stat(filepath.Join(fixtureDir, ".git", "HEAD")); err == nil {
			return
		}
		os.RemoveAll(fixtureDir)
		cmd := exec.Command("go", "run", "../../bench/genrepo", "-out", fixtureDir, "-cases", strconv.Itoa(n), "-seed", "1")
		if out, err := cmd.CombinedOutput(); err != nil {
			os.RemoveAll(fixtureDir)
			fixtureErr = err
			b.Logf("%s", out)
		}
	})
	if fixtureErr != nil {
		b.Fatalf("generate fixture: %v", fixtureErr)
	}
	return fixtureDir
}

func BenchmarkRead(b *testing.B) {
	dir := benchFixture(b)
	repo, err := git.PlainOpen(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			if _, err := Read(repo, Options{Prefix: "cases/"}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("warm", func(b *testing.B) {
		cache := b.TempDir()
		if _, err := Read(repo, Options{Prefix: "cases/", CacheDir: cache}); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for b.Loop() {
			if _, err := Read(repo, Options{Prefix: "cases/", CacheDir: cache}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
