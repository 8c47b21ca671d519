package history

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestCache_DecodedCacheSharesNoBytes guards what lets Read free the cache
// file as soon as it is decoded: records and snapshots must not change
// when the bytes they were decoded from are overwritten.
func TestCache_DecodedCacheSharesNoBytes(t *testing.T) {
	r := buildHistory(t)
	cacheDir := filepath.Join(r.dir, ".git", "casebook")
	r.read(t, Options{CacheDir: cacheDir})
	b, err := os.ReadFile(filepath.Join(cacheDir, cacheFile))
	if err != nil {
		t.Fatal(err)
	}
	want, err := parseCache(append([]byte(nil), b...), "cases/")
	if err != nil {
		t.Fatal(err)
	}
	got, err := parseCache(b, "cases/")
	if err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] = 0
	}
	if len(got.commits) == 0 || len(got.commits) != len(want.commits) || len(got.snaps) != len(want.snaps) {
		t.Fatalf("%d commits, %d snapshots; want %d, %d", len(got.commits), len(got.snaps), len(want.commits), len(want.snaps))
	}
	for h, w := range want.commits {
		g := got.commits[h]
		if g == nil || g.Author != w.Author || g.Email != w.Email || g.Message != w.Message || !reflect.DeepEqual(g.Changes, w.Changes) {
			t.Errorf("commit %s changed with the file's bytes: %+v, want %+v", h, g, w)
		}
	}
	keys := 0
	for h, w := range want.snaps {
		g := got.snaps[h]
		var b1, b2 []KeyHash
		if g.ID != w.ID || g.Status != w.Status || g.Err != w.Err || !reflect.DeepEqual(g.keyList(&b1), w.keyList(&b2)) {
			t.Errorf("snapshot %s changed with the file's bytes: %+v, want %+v", h, g, w)
		}
		keys += len(b2)
	}
	if keys == 0 {
		t.Fatal("no snapshot had keys: the test proves nothing")
	}
}

// TestCache_FailedAppendRewritesTheFile covers a run whose cache file
// changed after it was read (another run replaced it): the segment is not
// appended to a file it was not meant for, and the file is rewritten whole
// from what the run holds, so it still serves the next run.
func TestCache_FailedAppendRewritesTheFile(t *testing.T) {
	r := buildHistory(t)
	cacheDir := filepath.Join(r.dir, ".git", "casebook")
	plain := r.read(t, Options{})
	r.read(t, Options{CacheDir: cacheDir})
	old := loadCache(cacheDir, "cases/")
	if !old.valid {
		t.Fatal("no cache")
	}
	old.size++ // as if another run had appended meanwhile
	var order []*commitRec
	for _, rec := range old.commits {
		order = append(order, rec)
	}
	saveCache(cacheDir, "cases/", old, order, order[:1], old.snaps)
	after := loadCache(cacheDir, "cases/")
	if !after.valid || after.segments != 1 || len(after.commits) != len(old.commits) {
		t.Fatalf("after a failed append: valid %v, %d segments, %d commits; want a valid file of 1 segment, %d commits",
			after.valid, after.segments, len(after.commits), len(old.commits))
	}
	if warm := r.read(t, Options{CacheDir: cacheDir}); !reflect.DeepEqual(plain, warm) {
		t.Fatal("rewritten cache changed the result")
	}
}

// TestAssemble_ChangedListsAreShared checks that versions listing the same
// changed keys share one list, which callers only read.
func TestAssemble_ChangedListsAreShared(t *testing.T) {
	r := buildHistory(t)
	h := r.read(t, Options{})
	first := map[string][]string{}
	shared := 0
	for _, id := range h.Order {
		for _, v := range h.Cases[id].Versions {
			if len(v.Changed) == 0 {
				continue
			}
			k := filepath.Join(v.Changed...)
			if f, ok := first[k]; ok {
				if &f[0] != &v.Changed[0] {
					t.Errorf("%s: list %v held twice", v.Commit, v.Changed)
				}
				shared++
			} else {
				first[k] = v.Changed
			}
		}
	}
	if shared == 0 {
		t.Fatal("no two versions changed the same keys: the test proves nothing")
	}
}
