package history

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"sort"
)

// The cache holds only facts derived from content hashes (a commit's
// changes, a blob's snapshot), so it can never disagree with git; at worst
// it lacks entries. It is one file: a magic line, the prefix it was built
// for, the payload, and a CRC-32C of everything before it. Anything that
// does not check out is ignored and rebuilt.
const (
	cacheFile  = "history.bin"
	cacheMagic = "casebook-history-cache 1\n"
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

type cache struct {
	valid   bool
	commits map[hash]*commitRec
	snaps   map[hash]Snapshot
}

func loadCache(dir, prefix string) *cache {
	c := &cache{commits: map[hash]*commitRec{}, snaps: map[hash]Snapshot{}}
	if dir == "" {
		return c
	}
	b, err := os.ReadFile(filepath.Join(dir, cacheFile))
	if err != nil || len(b) < len(cacheMagic)+4 {
		return c
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.Checksum(body, crcTable) != sum || !bytes.HasPrefix(body, []byte(cacheMagic)) {
		return c
	}
	d := &decoder{b: body[len(cacheMagic):]}
	if d.str() != prefix {
		return c
	}
	commits, snaps := d.payload()
	if d.err != nil || len(d.b) != 0 {
		return &cache{commits: map[hash]*commitRec{}, snaps: map[hash]Snapshot{}}
	}
	return &cache{valid: true, commits: commits, snaps: snaps}
}

// saveCache writes the records of the reachable commits and the snapshots
// they refer to. Failing to write only costs speed next time, so errors
// are dropped.
func saveCache(dir, prefix string, commits map[hash]*commitRec, order []hash, snaps map[hash]Snapshot) {
	var e encoder
	e.b = append(e.b, cacheMagic...)
	e.str(prefix)
	e.uint(uint64(len(order)))
	used := map[hash]bool{}
	for _, h := range order {
		r := commits[h]
		e.hash(r.Hash)
		e.hash(r.Tree)
		e.uint(uint64(len(r.Parents)))
		for _, p := range r.Parents {
			e.hash(p)
		}
		e.str(r.Author)
		e.str(r.Email)
		e.int(r.AuthorSec)
		e.int(int64(r.AuthorOff))
		e.int(r.CommitSec)
		e.int(int64(r.CommitOff))
		e.str(r.Message)
		e.bool(r.Signed)
		e.uint(uint64(len(r.Changes)))
		for _, ch := range r.Changes {
			e.str(ch.Path)
			e.hash(ch.Blob)
			e.hash(ch.Old)
			used[ch.Blob], used[ch.Old] = true, true
		}
	}
	var blobs []hash
	for h := range used {
		if _, ok := snaps[h]; ok && h != zeroHash {
			blobs = append(blobs, h)
		}
	}
	sort.Slice(blobs, func(i, j int) bool { return bytes.Compare(blobs[i][:], blobs[j][:]) < 0 })
	e.uint(uint64(len(blobs)))
	for _, h := range blobs {
		s := snaps[h]
		e.hash(h)
		e.str(s.ID)
		e.str(s.Status)
		e.str(s.Err)
		e.bool(s.Keys != nil)
		keys := make([]string, 0, len(s.Keys))
		for k := range s.Keys {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		e.uint(uint64(len(keys)))
		for _, k := range keys {
			e.str(k)
			e.b = binary.LittleEndian.AppendUint64(e.b, s.Keys[k])
		}
	}
	e.b = binary.LittleEndian.AppendUint32(e.b, crc32.Checksum(e.b, crcTable))

	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	f, err := os.CreateTemp(dir, cacheFile+".tmp*")
	if err != nil {
		return
	}
	_, werr := f.Write(e.b)
	cerr := f.Close()
	if werr != nil || cerr != nil || os.Rename(f.Name(), filepath.Join(dir, cacheFile)) != nil {
		os.Remove(f.Name())
	}
}

type encoder struct{ b []byte }

func (e *encoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) hash(h hash)   { e.b = append(e.b, h[:]...) }
func (e *encoder) str(s string)  { e.uint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

var errShort = errors.New("truncated cache")

// decoder reads what encoder wrote; after the first error every read
// returns zero values and err stays set.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail() { d.err, d.b = errShort, nil }

func (d *decoder) uint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) int() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a length and checks that at least min bytes per item remain,
// so a corrupt length cannot make us allocate gigabytes.
func (d *decoder) count(min int) int {
	n := d.uint()
	if n > uint64(len(d.b)/min) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) hash() (h hash) {
	if len(d.b) < 20 {
		d.fail()
		return h
	}
	copy(h[:], d.b)
	d.b = d.b[20:]
	return h
}

func (d *decoder) str() string {
	n := d.count(1)
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *decoder) bool() bool {
	if len(d.b) < 1 {
		d.fail()
		return false
	}
	v := d.b[0] == 1
	d.b = d.b[1:]
	return v
}

func (d *decoder) payload() (map[hash]*commitRec, map[hash]Snapshot) {
	n := d.count(40)
	commits := make(map[hash]*commitRec, n)
	for i := 0; i < n && d.err == nil; i++ {
		r := &commitRec{diffed: true}
		r.Hash, r.Tree = d.hash(), d.hash()
		if np := d.count(20); np > 0 {
			r.Parents = make([]hash, np)
			for j := range r.Parents {
				r.Parents[j] = d.hash()
			}
		}
		r.Author, r.Email = d.str(), d.str()
		r.AuthorSec, r.AuthorOff = d.int(), int32(d.int())
		r.CommitSec, r.CommitOff = d.int(), int32(d.int())
		r.Message = d.str()
		r.Signed = d.bool()
		if nc := d.count(41); nc > 0 {
			r.Changes = make([]change, nc)
			for j := range r.Changes {
				r.Changes[j] = change{Path: d.str(), Blob: d.hash(), Old: d.hash()}
			}
		}
		commits[r.Hash] = r
	}
	n = d.count(24)
	snaps := make(map[hash]Snapshot, n)
	for i := 0; i < n && d.err == nil; i++ {
		h := d.hash()
		s := Snapshot{ID: d.str(), Status: d.str(), Err: d.str()}
		hasKeys := d.bool()
		nk := d.count(9)
		if hasKeys {
			s.Keys = make(map[string]uint64, nk)
		}
		for j := 0; j < nk && d.err == nil; j++ {
			k := d.str()
			if len(d.b) < 8 {
				d.fail()
				break
			}
			if s.Keys != nil {
				s.Keys[k] = binary.LittleEndian.Uint64(d.b)
			}
			d.b = d.b[8:]
		}
		snaps[h] = s
	}
	return commits, snaps
}
