package history

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"sort"
	"unsafe"
)

// The cache holds only facts derived from content hashes (a commit's
// changes, a blob's snapshot), so it can never disagree with git; at worst
// it lacks entries. It is one file: a magic line and the prefix it was
// built for, then segments, each a length, a payload and a CRC-32C. A Read
// that diffed new commits writes the old segments plus one new segment to
// a temporary file and renames it over the old one, so adding one commit
// does not re-encode seventy thousand. Anything that does not check out
// makes the whole file ignored and rebuilt.
const (
	cacheFile   = "history.bin"
	cacheMagic  = "casebook-history-cache 4\n"
	maxSegments = 32 // then the file is rewritten as one segment
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

type cache struct {
	valid    bool
	raw      []byte // the file as read, reused when appending a segment
	segments int
	commits  map[hash]*commitRec
	snaps    map[hash]Snapshot
}

func emptyCache() *cache {
	return &cache{commits: map[hash]*commitRec{}, snaps: map[hash]Snapshot{}}
}

func cacheHeader(prefix string) []byte {
	e := encoder{b: []byte(cacheMagic)}
	e.str(prefix)
	return e.b
}

func loadCache(dir, prefix string) *cache {
	if dir == "" {
		return emptyCache()
	}
	b, err := os.ReadFile(filepath.Join(dir, cacheFile))
	hdr := cacheHeader(prefix)
	if err != nil || !bytes.HasPrefix(b, hdr) {
		return emptyCache()
	}
	c := emptyCache()
	rest := b[len(hdr):]
	for len(rest) > 0 {
		if len(rest) < 8 {
			return emptyCache()
		}
		n, k := binary.LittleEndian.Uint64(rest), 8
		if n > uint64(len(rest)-k) || uint64(len(rest)-k)-n < 4 {
			return emptyCache()
		}
		payload := rest[k : k+int(n)]
		sum := binary.LittleEndian.Uint32(rest[k+int(n):])
		if crc32.Checksum(payload, crcTable) != sum {
			return emptyCache()
		}
		d := &decoder{b: payload}
		d.payload(c.commits, c.snaps)
		if d.err != nil || len(d.b) != 0 {
			return emptyCache()
		}
		c.segments++
		rest = rest[k+int(n)+4:]
	}
	c.valid, c.raw = true, b
	return c
}

// saveCache records the commits diffed by this Read. Failing to write
// only costs speed next time, so errors are dropped.
func saveCache(dir, prefix string, old *cache, order []*commitRec, todo []*commitRec, snaps map[hash]Snapshot) {
	var out []byte
	var recs []*commitRec
	var blobs []hash
	if old.valid && old.segments < maxSegments {
		out = old.raw
		for _, r := range todo {
			if !r.shallow {
				recs = append(recs, r)
			}
		}
		for h := range snaps {
			if _, ok := old.snaps[h]; !ok {
				blobs = append(blobs, h)
			}
		}
	} else {
		out = cacheHeader(prefix)
		recs = make([]*commitRec, 0, len(order))
		used := map[hash]bool{}
		for _, r := range order {
			if r.shallow {
				continue
			}
			recs = append(recs, r)
			for _, ch := range r.Changes {
				used[ch.Blob], used[ch.Old] = true, true
			}
		}
		for h := range used {
			if _, ok := snaps[h]; ok && h != zeroHash {
				blobs = append(blobs, h)
			}
		}
	}
	sort.Slice(blobs, func(i, j int) bool { return bytes.Compare(blobs[i][:], blobs[j][:]) < 0 })
	// Encode in place after the old bytes: a fixed-width length slot
	// avoids encoding twice or copying the payload.
	e := encoder{b: make([]byte, 0, len(out)+estimate(recs, blobs))}
	e.b = append(e.b, out...)
	slot := len(e.b)
	e.b = append(e.b, 0, 0, 0, 0, 0, 0, 0, 0)
	e.segment(recs, blobs, snaps)
	binary.LittleEndian.PutUint64(e.b[slot:], uint64(len(e.b)-slot-8))
	out = binary.LittleEndian.AppendUint32(e.b, crc32.Checksum(e.b[slot+8:], crcTable))
	writeAtomic(dir, cacheFile, out)
}

// estimate guesses the encoded size of a segment, to allocate once.
func estimate(recs []*commitRec, blobs []hash) int {
	n := 64 + len(blobs)*(20+40+12*20)
	for _, r := range recs {
		n += 120 + len(r.Parents)*20 + len(r.Author) + len(r.Email) + len(r.Message)
		for _, ch := range r.Changes {
			n += 48 + len(ch.Path)
		}
	}
	return n
}

func (e *encoder) segment(recs []*commitRec, blobs []hash, snaps map[hash]Snapshot) {
	e.uint(uint64(len(recs)))
	for _, r := range recs {
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
		}
	}
	e.uint(uint64(len(blobs)))
	for _, h := range blobs {
		s := snaps[h]
		e.hash(h)
		e.str(s.ID)
		e.str(s.Status)
		e.str(s.Err)
		e.b = binary.LittleEndian.AppendUint64(e.b, s.Body)
		e.bool(s.Keys != nil)
		e.uint(uint64(len(s.Keys)))
		for _, k := range s.Keys {
			e.str(k.Key)
			e.b = binary.LittleEndian.AppendUint64(e.b, k.Hash)
		}
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

// str returns a string that shares the cache file's bytes instead of
// copying them: a warm Read decodes hundreds of thousands of strings, and
// the buffer is never written to after it is read (saveCache copies it).
func (d *decoder) str() string {
	n := d.count(1)
	if n == 0 {
		return ""
	}
	s := unsafe.String(&d.b[0], n)
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

func (d *decoder) payload(commits map[hash]*commitRec, snaps map[hash]Snapshot) {
	n := d.count(40)
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
	for i := 0; i < n && d.err == nil; i++ {
		h := d.hash()
		s := Snapshot{ID: d.str(), Status: d.str(), Err: d.str()}
		if len(d.b) < 8 {
			d.fail()
			break
		}
		s.Body = binary.LittleEndian.Uint64(d.b)
		d.b = d.b[8:]
		hasKeys := d.bool()
		nk := d.count(9)
		if hasKeys {
			s.Keys = make([]KeyHash, nk)
		}
		for j := 0; j < nk && d.err == nil; j++ {
			k := KeyHash{Key: d.key()}
			if len(d.b) < 8 {
				d.fail()
				break
			}
			k.Hash = binary.LittleEndian.Uint64(d.b)
			d.b = d.b[8:]
			if s.Keys != nil {
				s.Keys[j] = k
			}
		}
		snaps[h] = s
	}
}

// key reads a field name, sharing the strings of the usual ones.
func (d *decoder) key() string {
	n := d.count(1)
	s := intern(d.b[:n])
	d.b = d.b[n:]
	return s
}

// The listing of case files at HEAD lives in its own small file, keyed by
// the hash of the prefix tree it lists.
const (
	listingFile  = "head.bin"
	listingMagic = "casebook-head-listing 1\n"
)

func loadListing(dir, prefix string) (hash, []change) {
	if dir == "" {
		return zeroHash, nil
	}
	b, err := os.ReadFile(filepath.Join(dir, listingFile))
	hdr := append([]byte(listingMagic), prefix...)
	hdr = append(hdr, 0)
	if err != nil || len(b) < len(hdr)+4 || !bytes.HasPrefix(b, hdr) {
		return zeroHash, nil
	}
	body := b[:len(b)-4]
	if crc32.Checksum(body, crcTable) != binary.LittleEndian.Uint32(b[len(b)-4:]) {
		return zeroHash, nil
	}
	d := &decoder{b: body[len(hdr):]}
	top := d.hash()
	n := d.count(21)
	files := make([]change, n)
	for i := range files {
		files[i] = change{Path: d.str(), Blob: d.hash()}
	}
	if d.err != nil || len(d.b) != 0 {
		return zeroHash, nil
	}
	return top, files
}

func saveListing(dir, prefix string, top hash, files []change) {
	e := encoder{b: make([]byte, 0, 64+len(files)*64)}
	e.b = append(e.b, listingMagic...)
	e.b = append(e.b, prefix...)
	e.b = append(e.b, 0)
	e.hash(top)
	e.uint(uint64(len(files)))
	for _, f := range files {
		e.str(f.Path)
		e.hash(f.Blob)
	}
	e.b = binary.LittleEndian.AppendUint32(e.b, crc32.Checksum(e.b, crcTable))
	writeAtomic(dir, listingFile, e.b)
}

// writeAtomic replaces dir/name by data through a temporary file and a
// rename, so a reader sees the old file or the new one, never a mix.
// Errors are dropped: a missing cache only costs speed.
func writeAtomic(dir, name string, data []byte) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	f, err := os.CreateTemp(dir, name+".tmp*")
	if err != nil {
		return
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if werr != nil || cerr != nil || os.Rename(f.Name(), filepath.Join(dir, name)) != nil {
		os.Remove(f.Name())
	}
}
