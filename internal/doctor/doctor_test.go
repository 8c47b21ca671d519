package doctor

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"

	"github.com/casebook/casebook/internal/history"
)

var now = time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)

// newRepo makes a repository with two commits of one case file and its
// history cache, as a casebook read leaves it.
func newRepo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	run(t, dir, "init", "-q", "-b", "main")
	for i, status := range []string{"received", "assigned"} {
		writeFile(t, filepath.Join(dir, "cases", "A-1.md"), fmt.Sprintf("---\nid: A-1\nstatus: %s\n---\n", status))
		run(t, dir, "add", "-A")
		run(t, dir, "commit", "-q", "-m", fmt.Sprintf("step %d", i))
	}
	repo, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := history.Read(repo, history.Options{Prefix: "cases/", CacheDir: filepath.Join(dir, ".git", "casebook")}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func run(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "HOME="+dir,
		"GIT_AUTHOR_NAME=Zhao", "GIT_AUTHOR_EMAIL=z@example.cn", "GIT_COMMITTER_NAME=Zhao", "GIT_COMMITTER_EMAIL=z@example.cn",
		"GIT_AUTHOR_DATE=2026-11-02T09:00:00+08:00", "GIT_COMMITTER_DATE=2026-11-02T09:00:00+08:00")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func writeFile(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func codes(r *Report) []string {
	var out []string
	for _, f := range r.Findings {
		s := f.Code
		if f.Repaired != "" {
			s += " (repaired)"
		}
		out = append(out, s)
	}
	return out
}

func mustRun(t *testing.T, dir string, opts Options) *Report {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = now
	}
	r, err := Run(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// lie rewrites every "received" in the history cache's first segment as
// "rejected" and fixes the segment's checksum: a file that checks out and
// is wrong.
func lie(t *testing.T, dir string) {
	t.Helper()
	p := filepath.Join(dir, ".git", "casebook", "history.bin")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	hdr := len("casebook-history-cache 12\n") + 1 + len("cases/")
	n := int(binary.LittleEndian.Uint64(b[hdr:]))
	payload := b[hdr+8 : hdr+8+n]
	if !bytes.Contains(payload, []byte("received")) {
		t.Fatal("cache holds no status to falsify")
	}
	copy(payload, bytes.ReplaceAll(payload, []byte("received"), []byte("rejected")))
	binary.LittleEndian.PutUint32(b[hdr+8+n:], crc32.Checksum(payload, crc32.MakeTable(crc32.Castagnoli)))
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRun(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, dir string)
		repair bool
		want   []string
		// healthy is whether Run reports nothing left to do.
		healthy bool
		// subset: want is a subsequence of the findings, which may hold
		// more; cache.inconsistent must not be among them.
		subset bool
		// after checks the repository once Run returned.
		after func(t *testing.T, dir string)
	}{
		{name: "sound repository", healthy: true},
		{name: "history cache that checks out but lies", damage: lie,
			want: []string{"cache.inconsistent", "cache.inconsistent"}},
		{name: "history cache that lies, repaired", damage: lie, repair: true, healthy: true,
			want: []string{"cache.inconsistent (repaired)", "cache.inconsistent (repaired)"},
			after: func(t *testing.T, dir string) {
				if _, err := os.Stat(filepath.Join(dir, ".git", "casebook", "history.bin")); !os.IsNotExist(err) {
					t.Error("history.bin is still there")
				}
			}},
		{name: "a byte of a pack flipped",
			damage: func(t *testing.T, dir string) {
				run(t, dir, "gc", "-q")
				packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
				if len(packs) != 1 {
					t.Fatalf("packs: %v", packs)
				}
				os.Chmod(packs[0], 0o644)
				b, _ := os.ReadFile(packs[0])
				b[len(b)/2] ^= 0xff
				os.WriteFile(packs[0], b, 0o644)
			},
			// The walk reads through the pack go-git cannot trust either;
			// what it reports beyond the pack depends on the flipped byte,
			// but the cache is not blamed.
			want: []string{"object.damaged", "cache.skipped"}, subset: true},
		{name: "a loose tree deleted",
			damage: func(t *testing.T, dir string) {
				tree := run(t, dir, "rev-parse", "HEAD^{tree}")
				os.Remove(filepath.Join(dir, ".git", "objects", tree[:2], tree[2:]))
			},
			repair: true,
			want:   []string{"object.missing", "cache.skipped"}},
		{name: "lock of a live process is left alone",
			damage: func(t *testing.T, dir string) {
				host, _ := os.Hostname()
				writeFile(t, filepath.Join(dir, ".git", "casebook", "lock"),
					fmt.Sprintf("pid %d\nhost %s\nstarted %s\n", os.Getpid(), host, now.Add(-time.Minute).Format(time.RFC3339Nano)))
			},
			repair: true, healthy: true, want: []string{"lock.held"},
			after: func(t *testing.T, dir string) {
				if _, err := os.Stat(filepath.Join(dir, ".git", "casebook", "lock")); err != nil {
					t.Error("a live lock was removed")
				}
			}},
		{name: "empty lock of a run killed while taking it",
			damage: func(t *testing.T, dir string) {
				p := filepath.Join(dir, ".git", "casebook", "lock")
				writeFile(t, p, "")
				os.Chtimes(p, now.Add(-time.Hour), now.Add(-time.Hour))
			},
			repair: true, healthy: true, want: []string{"lock.stale (repaired)"}},
		{name: "empty lock being written now",
			damage: func(t *testing.T, dir string) {
				p := filepath.Join(dir, ".git", "casebook", "lock")
				writeFile(t, p, "")
				os.Chtimes(p, now, now)
			},
			repair: true, healthy: true, want: []string{"lock.held"}},
		{name: "git's own index.lock is reported, never removed",
			damage: func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, ".git", "index.lock"), "") },
			repair: true, want: []string{"lock.index"},
			after: func(t *testing.T, dir string) {
				if _, err := os.Stat(filepath.Join(dir, ".git", "index.lock")); err != nil {
					t.Error("index.lock was removed")
				}
			}},
		{name: "lock.break of a dead breaker",
			damage: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, ".git", "casebook", "lock.break"), "999999999\n")
			},
			repair: true, healthy: true, want: []string{"cache.leftover (repaired)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := newRepo(t)
			if tt.damage != nil {
				tt.damage(t, dir)
			}
			r := mustRun(t, dir, Options{Repair: tt.repair})
			got := codes(r)
			ok := strings.Join(got, ",") == strings.Join(tt.want, ",")
			if tt.subset {
				ok = hasAll(got, tt.want) && !strings.Contains(strings.Join(got, ","), "cache.inconsistent")
			}
			if !ok {
				t.Errorf("findings = %q, want %q", got, tt.want)
			}
			if r.Healthy() != tt.healthy {
				t.Errorf("healthy = %v, want %v (%+v)", r.Healthy(), tt.healthy, r.Findings)
			}
			if tt.after != nil {
				tt.after(t, dir)
			}
		})
	}
}

// hasAll reports whether got holds every code of want, in that order.
func hasAll(got, want []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

func TestRun_NotARepository(t *testing.T) {
	if _, err := Run(t.TempDir(), Options{Now: now}); err == nil {
		t.Error("no error outside a repository")
	}
}
