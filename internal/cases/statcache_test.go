package cases

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestStatCache_SparesReadingUnchangedFiles: a file whose stat is the one
// recorded, and whose core the caller wants, is answered without being
// read; any change of the file is read, even one that keeps its size and
// modification time; a file modified just before it was read is not
// recorded (it could change again within the same timestamp).
func TestStatCache_SparesReadingUnchangedFiles(t *testing.T) {
	root, dir := t.TempDir(), t.TempDir()
	old := time.Now().Add(-time.Hour)
	var entries []Entry
	for _, id := range []string{"A-1", "A-2", "A-3"} {
		e := writeCase(t, root, "cases/"+id+".md", strings.Replace(bankCase, "BANK-2026-0001", id, 1))
		if err := os.Chtimes(filepath.Join(root, e.Path), old, old); err != nil {
			t.Fatal(err)
		}
		entries = append(entries, e)
	}
	fresh := writeCase(t, root, "cases/A-4.md", strings.Replace(bankCase, "BANK-2026-0001", "A-4", 1))
	entries = append(entries, fresh)
	all := func(string, [20]byte) bool { return true }
	run := func() (map[string]*Case, int) {
		t.Helper()
		c := OpenCache(dir, WithCoreOnly(all))
		got := map[string]*Case{}
		for _, e := range entries {
			cs, err := c.ParseFile(root, e)
			if err != nil {
				t.Fatal(err)
			}
			got[e.Path] = cs
		}
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
		return got, c.statHits
	}
	first, n := run()
	if n != 0 {
		t.Fatalf("first run: %d files unread, want 0", n)
	}
	second, n := run()
	if n != 3 {
		t.Fatalf("second run: %d files unread, want 3 (the fresh file is read)", n)
	}
	for p, c := range first {
		if d := equalCases(second[p], coreOf(c)); d != "" {
			t.Errorf("%s from its stat: %s", p, d)
		}
	}

	// Same size, same modification time, other bytes.
	name := filepath.Join(root, entries[0].Path)
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(b), "status: assigned", "status: answered", 1)
	if err := os.WriteFile(name, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(name, old, old); err != nil {
		t.Fatal(err)
	}
	third, n := run()
	if st := statOf(mustStat(t, name)); st.ctime == 0 {
		t.Skip("this system's stat has no change time: a file rewritten with its size and time kept reads as unchanged, as in git")
	}
	if n != 2 || third[entries[0].Path].Status != "answered" {
		t.Fatalf("after an edit that kept size and time: %d unread, status %q; want 2 and answered", n, third[entries[0].Path].Status)
	}

	// Another work tree sharing the cache folder is not answered from
	// this one's stats.
	other := t.TempDir()
	for _, e := range entries {
		writeCase(t, other, e.Path, bankCase)
	}
	c := OpenCache(dir, WithCoreOnly(all))
	for _, e := range entries {
		if _, err := c.ParseFile(other, e); err != nil {
			t.Fatal(err)
		}
	}
	if c.statHits != 0 {
		t.Fatalf("another root: %d files unread", c.statHits)
	}
}

func mustStat(t *testing.T, name string) os.FileInfo {
	t.Helper()
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	return fi
}
