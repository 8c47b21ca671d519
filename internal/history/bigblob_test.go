package history

import (
	"bytes"
	"compress/zlib"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/casebook/casebook/internal/cases"
)

// bigCase is a case file of about n bytes: a valid front-matter and a
// compressible body, so that only its size makes it no case.
func bigCase(id string, n int, variant string) string {
	head := caseFile(id, "received")
	line := "客户反映柜台服务态度差，要求道歉。" + variant + "\n"
	return head + strings.Repeat(line, (n-len(head))/len(line)+1)
}

func openStore(t *testing.T, dir string) *objectStore {
	t.Helper()
	repo, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := newObjectStore(repo, 48<<20)
	t.Cleanup(s.close)
	return s
}

// allocatedBy returns the bytes f allocates on the heap.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestSnapshot_LooseBlobOverLimitIsNotInflated writes a loose object whose
// header claims 400 MB and whose content stops after a few bytes: reading
// it would fail, so a size error shows that only the header was read.
func TestSnapshot_LooseBlobOverLimitIsNotInflated(t *testing.T) {
	r := newGitRepo(t)
	r.write("cases/A-1.md", caseFile("A-1", "received"))
	r.commit("A-1: new (received)")
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte("blob 400000000\x00---\nid: A-1\n"))
	zw.Close()
	h := plumbing.NewHash("1234567890abcdef1234567890abcdef12345678")
	p := filepath.Join(r.dir, ".git", "objects", h.String()[:2], h.String()[2:])
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, z.Bytes(), 0o444); err != nil {
		t.Fatal(err)
	}
	s, err := openStore(t, r.dir).snapshot(h)
	if err != nil {
		t.Fatalf("snapshot: %v (the object was read past its header)", err)
	}
	if !strings.Contains(s.Err, "larger than the limit of 1048576 bytes (400000000 bytes") || s.Status != "" {
		t.Errorf("snapshot = %+v, want the size error", s)
	}
	if _, err := ReadBlob(mustOpen(t, r.dir), h); err == nil || !strings.Contains(err.Error(), "400000000 bytes") {
		t.Errorf("ReadBlob error = %v, want the size", err)
	}
}

func mustOpen(t *testing.T, dir string) *git.Repository {
	t.Helper()
	repo, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	return repo
}

// TestSnapshot_PackedBlobsOverLimit packs a 16 MB blob whole and a 3 MB
// pair of which git stores one as a delta, and checks that reading their
// snapshots allocates a small fraction of their size, while a blob just
// under the limit, packed the same way, still reads.
func TestSnapshot_PackedBlobsOverLimit(t *testing.T) {
	r := newGitRepo(t)
	r.write("cases/A-1.md", bigCase("A-1", 16<<20, ""))
	r.write("cases/B-1.md", bigCase("B-1", 3<<20, ""))
	r.write("cases/C-1.md", bigCase("C-1", cases.DefaultMaxBytes-4096, ""))
	r.commit("three big files")
	r.write("cases/B-1.md", bigCase("B-1", 3<<20, "另")+"末尾\n")
	r.write("cases/C-1.md", bigCase("C-1", cases.DefaultMaxBytes-4096, "")+"末尾\n")
	r.commit("one more version of B-1 and C-1")
	r.git("repack", "-a", "-d", "-f", "-q")
	blobs := map[string]hash{}
	for _, spec := range []string{"HEAD~1:cases/A-1.md", "HEAD~1:cases/B-1.md", "HEAD:cases/B-1.md", "HEAD~1:cases/C-1.md", "HEAD:cases/C-1.md"} {
		blobs[spec] = plumbing.NewHash(r.git("rev-parse", spec))
	}
	s := openStore(t, r.dir)
	if len(s.packs) != 1 {
		t.Fatalf("%d packs, want 1", len(s.packs))
	}
	deltas := 0
	for spec, h := range blobs {
		p := s.packs[0]
		off := p.find(h)
		if off < 0 {
			t.Fatalf("%s not in the pack", spec)
		}
		if typ := int(p.data[off]>>4) & 7; typ == objOfsDelta || typ == objRefDelta {
			deltas++
		}
		var snap Snapshot
		var err error
		n := allocatedBy(func() { snap, err = s.snapshot(h) })
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		if strings.Contains(spec, "C-1") {
			if snap.Err != "" || snap.ID != "C-1" {
				t.Errorf("%s (under the limit): snapshot = %+v", spec, snap)
			}
			continue
		}
		if !strings.Contains(snap.Err, "larger than the limit") {
			t.Errorf("%s: snapshot Err = %q, want the size error", spec, snap.Err)
		}
		if n > 512<<10 {
			t.Errorf("%s: reading the snapshot allocated %d bytes", spec, n)
		}
	}
	if deltas < 2 {
		t.Fatalf("git stored %d of the versions as deltas, want B-1 and C-1 each once", deltas)
	}
	// The object cache keeps nothing that large.
	for _, m := range []map[cacheKey]cached{s.cache.young, s.cache.old} {
		for k, v := range m {
			if len(v.data) > cases.DefaultMaxBytes {
				t.Errorf("cache holds %d bytes at %v", len(v.data), k)
			}
		}
	}
}

// TestRead_VersionOverLimit: a version of a case file over the limit is a
// version of that case with Snap.Err, between versions that read normally.
func TestRead_VersionOverLimit(t *testing.T) {
	r := newGitRepo(t)
	r.write("cases/A-1.md", caseFile("A-1", "received"))
	r.commit(casebookMsg("A-1", "", "received", ""))
	r.write("cases/A-1.md", bigCase("A-1", 2<<20, ""))
	r.commit("a huge paste")
	r.write("cases/A-1.md", caseFile("A-1", "received"))
	r.commit("undo the paste")
	for _, packed := range []bool{false, true} {
		if packed {
			r.git("repack", "-a", "-d", "-q")
		}
		c := r.read(t, Options{}).Cases["A-1"]
		if c == nil || len(c.Versions) != 3 {
			t.Fatalf("packed %v: case A-1 = %+v, want 3 versions", packed, c)
		}
		if v := c.Versions[1]; !strings.Contains(v.Snap.Err, "larger than the limit") {
			t.Errorf("packed %v: version 2 Snap = %+v, want the size error", packed, v.Snap)
		}
		if v := c.Versions[2]; v.Snap.Err != "" || v.Snap.Status != "received" {
			t.Errorf("packed %v: version 3 Snap = %+v", packed, v.Snap)
		}
	}
}
