package repo

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// indexFile is the index as read, able to check a commit's paths against it and to
// produce the new index with those paths' entries replaced.
type indexFile interface {
	check(changes []Change) error
	// staged returns the blob the index holds for path (stage 0).
	staged(path string) (plumbing.Hash, bool)
	update(changes []Change, blobs map[string]plumbing.Hash, stats map[string]statInfo) ([]byte, error)
}

var (
	_ indexFile = (*rawIndex)(nil)
	_ indexFile = (*decodedIndex)(nil)
)

// loadIndex reads .git/index. Versions 2 and 3, git's default, are patched in place as
// bytes (rawIndex): go-git's decoder and encoder take ~200 ms for the 100,000 entries of a
// large office, most of a command's budget, where a scan and a copy take a few
// milliseconds. Version 4 goes through go-git (decodedIndex).
func loadIndex(gitDir string) (indexFile, error) {
	data, err := os.ReadFile(filepath.Join(gitDir, "index"))
	if errors.Is(err, os.ErrNotExist) {
		return &rawIndex{version: 2, data: emptyIndex()}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the index: %w", err)
	}
	ri, err := scanIndex(data)
	if errors.Is(err, errNotPatchable) {
		idx, err := readIndex(gitDir)
		if err != nil {
			return nil, err
		}
		return &decodedIndex{idx}, nil
	}
	return ri, err
}

func emptyIndex() []byte {
	b := []byte("DIRC\x00\x00\x00\x02\x00\x00\x00\x00")
	h := sha1.Sum(b)
	return append(b, h[:]...)
}

// decodedIndex is an index decoded by go-git.
type decodedIndex struct{ idx *index.Index }

func (d *decodedIndex) check(changes []Change) error { return checkIndexPaths(d.idx, changes) }

func (d *decodedIndex) staged(path string) (plumbing.Hash, bool) {
	for _, e := range d.idx.Entries {
		if e.Name == path {
			return e.Hash, true
		}
	}
	return plumbing.ZeroHash, false
}

func (d *decodedIndex) update(changes []Change, blobs map[string]plumbing.Hash, stats map[string]statInfo) ([]byte, error) {
	return updateIndex(d.idx, changes, blobs, stats)
}

// errNotPatchable sends an index that rawIndex does not handle to go-git.
var errNotPatchable = errors.New("index version not patchable")

// rawIndex is an index file of version 2 or 3 with the position of each entry.
type rawIndex struct {
	data    []byte
	version uint32
	entries []rawEntry
	end     int // offset after the last entry
}

type rawEntry struct {
	off, size int
	name      []byte // aliases data
}

const indexHeader = 12

// scanIndex finds the entries of a version 2 or 3 index and refuses what readIndex refuses.
func scanIndex(data []byte) (*rawIndex, error) {
	const sum = sha1.Size
	if len(data) < indexHeader+sum || string(data[:4]) != "DIRC" {
		return nil, errors.New("read the index: not an index file; rebuild it with `git reset -q`")
	}
	version := binary.BigEndian.Uint32(data[4:8])
	if version != 2 && version != 3 {
		return nil, errNotPatchable
	}
	// An all-zero trailer means the writer skipped the checksum (git's index.skipHash).
	trailer := data[len(data)-sum:]
	if got := sha1.Sum(data[:len(data)-sum]); !bytes.Equal(got[:], trailer) && !bytes.Equal(trailer, make([]byte, sum)) {
		return nil, errors.New("read the index: bad checksum; rebuild it with `git reset -q`")
	}
	corrupt := errors.New("read the index: corrupt entry; rebuild it with `git reset -q`")
	count := int(binary.BigEndian.Uint32(data[8:12]))
	body := data[:len(data)-sum]
	ri := &rawIndex{data: data, version: version, entries: make([]rawEntry, 0, count)}
	off := indexHeader
	for range count {
		if off+62 > len(body) {
			return nil, corrupt
		}
		flags := binary.BigEndian.Uint16(body[off+60:])
		fixed := 62
		if flags&0x4000 != 0 { // extended flags, version 3
			fixed = 64
		}
		n := bytes.IndexByte(body[min(off+fixed, len(body)):], 0)
		if n < 0 {
			return nil, corrupt
		}
		size := (fixed + n + 8) &^ 7 // the name is padded with 1 to 8 NULs
		if off+size > len(body) {
			return nil, corrupt
		}
		name := body[off+fixed : off+fixed+n]
		if stage := flags >> 12 & 3; stage != 0 {
			return nil, fmt.Errorf("%s: has unresolved merge conflicts; resolve them and commit with git "+
				"(or `git merge --abort`), then retry", name)
		}
		ri.entries = append(ri.entries, rawEntry{off: off, size: size, name: name})
		off += size
	}
	ri.end = off
	// Extensions: optional ones (upper-case signature) are dropped by update, git rebuilds
	// them; a mandatory one (split index "link", sparse index "sdir") cannot be carried over.
	for off < len(body) {
		if off+8 > len(body) {
			return nil, corrupt
		}
		sig := body[off : off+4]
		if sig[0] < 'A' || sig[0] > 'Z' {
			return nil, fmt.Errorf("read the index: it uses a split or sparse index (extension %q), which casebook "+
				"cannot update; run `git update-index --no-split-index` and `git sparse-checkout disable`, then retry", sig)
		}
		off += 8 + int(binary.BigEndian.Uint32(body[off+4:]))
	}
	return ri, nil
}

func (ri *rawIndex) check(changes []Change) error {
	dirs := map[string]string{}
	for _, c := range changes {
		if c.Delete {
			continue // in HEAD, so a file; the index may lack it, never hold it as a directory
		}
		for d := c.Path; ; {
			i := bytes.LastIndexByte([]byte(d), '/')
			if i < 0 {
				break
			}
			d = d[:i]
			dirs[d] = c.Path
		}
	}
	for _, e := range ri.entries {
		if p, ok := dirs[string(e.name)]; ok {
			return fmt.Errorf("%s: %s is a file in the index; remove it with `git rm --cached %s`, then retry", p, e.name, e.name)
		}
		for _, c := range changes {
			if !c.Delete && len(e.name) > len(c.Path) && e.name[len(c.Path)] == '/' && string(e.name[:len(c.Path)]) == c.Path {
				return fmt.Errorf("%s: is a directory in the index (%s); move it away, then retry", c.Path, e.name)
			}
		}
	}
	return nil
}

func (ri *rawIndex) staged(path string) (plumbing.Hash, bool) {
	for _, e := range ri.entries {
		if string(e.name) == path {
			var h plumbing.Hash
			copy(h[:], ri.data[e.off+40:e.off+60])
			return h, true
		}
	}
	return plumbing.ZeroHash, false
}

// update merges the changes (sorted by path, as normalise leaves them) into the sorted
// entries: the changed paths get new entries, deleted ones none, the others are copied
// byte for byte.
func (ri *rawIndex) update(changes []Change, blobs map[string]plumbing.Hash, stats map[string]statInfo) ([]byte, error) {
	out := make([]byte, 0, ri.end+len(changes)*(64+128)+sha1.Size)
	out = append(out, ri.data[:indexHeader]...)
	next, count := 0, 0
	add := func(c Change) {
		if !c.Delete {
			out = appendEntry(out, c, blobs[c.Path], stats[c.Path])
			count++
		}
	}
	for _, e := range ri.entries {
		for next < len(changes) && changes[next].Path < string(e.name) {
			add(changes[next])
			next++
		}
		if next < len(changes) && changes[next].Path == string(e.name) {
			add(changes[next])
			next++
			continue
		}
		out = append(out, ri.data[e.off:e.off+e.size]...)
		count++
	}
	for ; next < len(changes); next++ {
		add(changes[next])
	}
	binary.BigEndian.PutUint32(out[8:12], uint32(count))
	h := sha1.Sum(out)
	return append(out, h[:]...), nil
}

// appendEntry encodes a stage-0 entry of version 2 or 3, without extended flags.
func appendEntry(out []byte, c Change, h plumbing.Hash, st statInfo) []byte {
	start := len(out)
	mode := c.Mode
	if mode == filemode.Empty {
		mode = filemode.Regular
	}
	for _, v := range []uint32{
		uint32(st.ctime.Unix()), uint32(st.ctime.Nanosecond()),
		uint32(st.mtime.Unix()), uint32(st.mtime.Nanosecond()),
		st.dev, st.ino, uint32(mode), st.uid, st.gid, st.size,
	} {
		out = binary.BigEndian.AppendUint32(out, v)
	}
	out = append(out, h[:]...)
	out = binary.BigEndian.AppendUint16(out, uint16(min(len(c.Path), 0xFFF)))
	out = append(out, c.Path...)
	for size := (len(out) - start + 8) &^ 7; len(out)-start < size; {
		out = append(out, 0)
	}
	return out
}
