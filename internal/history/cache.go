package history

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"sort"
	"unsafe"

	"github.com/casebook/casebook/internal/binfmt"
)

// The cache holds only facts derived from content hashes (a commit's
// changes, a blob's snapshot), so it can never disagree with git; at worst
// it lacks entries. It is one file: a magic line and the prefix it was
// built for, then segments, each a length, a payload and a CRC-32C. A Read
// that diffed new commits appends one new segment to the file it read, so
// adding one commit neither re-encodes seventy thousand nor rewrites forty
// megabytes; a file written from scratch goes to a temporary file renamed
// over the old one. Anything that does not check out (a torn append, from
// a crash or read while being written) makes the whole file ignored and
// rebuilt.
//
// What a Read keeps of the file shares none of its bytes: strings are
// copied out (those that repeat, once) and key lists re-packed against a
// table of key names, so the file, two hundred megabytes at a hundred
// thousand cases, is freed as soon as it is decoded rather than held while
// the versions are assembled.
const (
	cacheFile   = "history.bin"
	cacheMagic  = "casebook-history-cache 12\n"
	maxSegments = 32 // then the file is rewritten as one segment
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

type cache struct {
	valid    bool
	size     int64 // of the file as read: a segment is appended only to it
	segments int
	commits  map[hash]*commitRec
	snaps    map[hash]*Snapshot
}

func emptyCache() *cache {
	return &cache{commits: map[hash]*commitRec{}, snaps: map[hash]*Snapshot{}}
}

func cacheHeader(prefix string) []byte {
	e := encoder{binfmt.Encoder{B: []byte(cacheMagic)}}
	e.Str(prefix)
	return e.B
}

func loadCache(dir, prefix string) *cache {
	if dir == "" {
		return emptyCache()
	}
	b, err := os.ReadFile(filepath.Join(dir, cacheFile))
	if err != nil {
		return emptyCache()
	}
	c, err := parseCache(b, prefix)
	if err != nil {
		return emptyCache()
	}
	return c
}

// parseCache decodes a whole history cache file built for prefix, or says
// why it does not check out (casebook doctor reports the reason).
func parseCache(b []byte, prefix string) (*cache, error) {
	hdr := cacheHeader(prefix)
	if !bytes.HasPrefix(b, hdr) {
		return nil, errors.New("unknown header (another casebook version or another cases folder)")
	}
	c := emptyCache()
	st := &decodeState{people: map[string]string{}}
	rest := b[len(hdr):]
	for len(rest) > 0 {
		if len(rest) < 8 {
			return nil, fmt.Errorf("segment %d: truncated length", c.segments+1)
		}
		n, k := binary.LittleEndian.Uint64(rest), 8
		if n > uint64(len(rest)-k) || uint64(len(rest)-k)-n < 4 {
			return nil, fmt.Errorf("segment %d: truncated (a torn append)", c.segments+1)
		}
		payload := rest[k : k+int(n)]
		sum := binary.LittleEndian.Uint32(rest[k+int(n):])
		if crc32.Checksum(payload, crcTable) != sum {
			return nil, fmt.Errorf("segment %d: checksum mismatch", c.segments+1)
		}
		d := &decoder{binfmt.Decoder{B: payload}}
		d.payload(c, st)
		if d.Err != nil || len(d.B) != 0 {
			return nil, fmt.Errorf("segment %d: does not decode", c.segments+1)
		}
		c.segments++
		rest = rest[k+int(n)+4:]
	}
	c.valid, c.size = true, int64(len(b))
	return c, nil
}

// saveCache records the commits diffed by this Read: as one more segment
// appended to the file read, or, when that file has too many segments or
// changed meanwhile, as a new file of every reachable commit. Failing to
// write only costs speed next time, so errors are dropped.
func saveCache(dir, prefix string, old *cache, order []*commitRec, todo []*commitRec, snaps map[hash]*Snapshot) {
	if old.valid && old.segments < maxSegments {
		var recs []*commitRec
		var blobs []hash
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
		// Written after the old bytes without reading or copying them: a
		// commit more should not cost a copy of the whole file.
		if appendTo(filepath.Join(dir, cacheFile), old.size, encodeSegment(recs, blobs, snaps)) {
			return
		}
	}
	recs := make([]*commitRec, 0, len(order))
	used := map[hash]bool{}
	for _, r := range order {
		if r.shallow {
			continue
		}
		recs = append(recs, r)
		for _, ch := range r.Changes {
			used[ch.Blob], used[ch.Old] = true, true
		}
		for _, sd := range r.Sides {
			used[sd.Blob], used[sd.Old] = true, true
		}
	}
	var blobs []hash
	for h := range used {
		if _, ok := snaps[h]; ok && h != zeroHash {
			blobs = append(blobs, h)
		}
	}
	_ = binfmt.WriteAtomic(dir, cacheFile, cacheHeader(prefix), encodeSegment(recs, blobs, snaps))
}

// encodeSegment encodes one segment of recs and of the snapshots of blobs,
// its length, payload and checksum.
func encodeSegment(recs []*commitRec, blobs []hash, snaps map[hash]*Snapshot) []byte {
	sort.Slice(blobs, func(i, j int) bool { return bytes.Compare(blobs[i][:], blobs[j][:]) < 0 })
	// The payload is encoded after a fixed-width length slot, which avoids
	// encoding twice.
	e := encoder{binfmt.Encoder{B: make([]byte, 8, 8+estimate(recs, blobs))}}
	e.segment(recs, blobs, snaps)
	binary.LittleEndian.PutUint64(e.B, uint64(len(e.B)-8))
	return binary.LittleEndian.AppendUint32(e.B, crc32.Checksum(e.B[8:], crcTable))
}

// appendTo appends seg to the file at name in one write, provided the file
// still has the size it had when read; otherwise (another run replaced or
// extended it meanwhile) it reports false and the caller writes a whole
// file. An append by another run between the check and the write is
// harmless: its segment is as complete as ours.
func appendTo(name string, size int64, seg []byte) bool {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return false
	}
	st, err := f.Stat()
	if err != nil || st.Size() != size {
		f.Close()
		return false
	}
	_, werr := f.Write(seg)
	return f.Close() == nil && werr == nil
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

func (e *encoder) segment(recs []*commitRec, blobs []hash, snaps map[hash]*Snapshot) {
	e.Uint(uint64(len(recs)))
	for _, r := range recs {
		e.hash(r.Hash)
		e.hash(r.Tree)
		e.Uint(uint64(len(r.Parents)))
		for _, p := range r.Parents {
			e.hash(p)
		}
		e.Str(r.Author)
		e.Str(r.Email)
		e.Int(r.AuthorSec)
		e.Int(int64(r.AuthorOff))
		e.Int(r.CommitSec)
		e.Int(int64(r.CommitOff))
		e.Str(r.Message)
		e.Bool(r.Signed)
		e.Uint(uint64(len(r.Changes)))
		for _, ch := range r.Changes {
			e.Str(ch.Path)
			e.hash(ch.Blob)
			e.hash(ch.Old)
		}
		e.Uint(uint64(len(r.Sides)))
		for _, sd := range r.Sides {
			e.Str(sd.Path)
			e.hash(sd.Blob)
			e.hash(sd.Old)
			e.Uint(uint64(sd.Parent))
		}
	}
	e.Uint(uint64(len(blobs)))
	var buf []KeyHash
	for _, h := range blobs {
		s := snaps[h]
		e.hash(h)
		e.Str(s.ID)
		e.Str(s.Status)
		e.Str(s.Err)
		e.B = binary.LittleEndian.AppendUint64(e.B, s.Body)
		e.Bool(s.Keys != nil || s.packed != nil)
		keys := s.keyList(&buf)
		e.Uint(uint64(len(keys)))
		for _, k := range keys {
			e.Str(k.Key)
			e.B = binary.LittleEndian.AppendUint64(e.B, k.Hash)
		}
	}
}

// encoder writes the cache with binfmt's primitives and this file's own.
type encoder struct{ binfmt.Encoder }

func (e *encoder) hash(h hash) { e.B = append(e.B, h[:]...) }

// decoder reads what encoder wrote.
type decoder struct{ binfmt.Decoder }

func (d *decoder) hash() (h hash) {
	if len(d.B) < 20 {
		d.Fail()
		return h
	}
	copy(h[:], d.B)
	d.B = d.B[20:]
	return h
}

// decodeState is what the segments of one file share while decoded.
type decodeState struct {
	people map[string]string // authors' names and emails, copied once
	// temp holds the strings copied out of the file (messages, paths,
	// snapshot ids), which only serve during Read: versions copy what they
	// keep of them.
	temp    []byte
	scratch []byte
	// last are the key names met at each position of the previous key
	// list: consecutive lists mostly repeat them, so comparing bytes spares
	// a map lookup per key.
	last []lastName
}

type lastName struct {
	raw string
	id  uint64
}

// str copies b into *chunk and returns it as a string. Chunks are only
// ever appended to, never written over, so the string stays as it is.
func (st *decodeState) str(chunk *[]byte, b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > cap(*chunk)-len(*chunk) {
		*chunk = make([]byte, 0, max(len(b), 1<<20))
	}
	start := len(*chunk)
	*chunk = append(*chunk, b...)
	return unsafe.String(&(*chunk)[start], len(b))
}

// person returns an author's name or email, copied once.
func (st *decodeState) person(b []byte) string {
	if s, ok := st.people[string(b)]; ok {
		return s
	}
	s := string(b)
	st.people[s] = s
	return s
}

// keys re-packs a snapshot's key list from the file's encoding (a count,
// then each name and its hash) into Snapshot.packed's, in the temp chunk.
// A list without keys gives an empty slice, not nil.
func (st *decodeState) keys(d *decoder) []byte {
	n := d.Count(9)
	b := st.scratch[:0]
	for i := 0; i < n && d.Err == nil; i++ {
		name := d.Bytes()
		if len(d.B) < 8 {
			d.Fail()
			break
		}
		if i == len(st.last) {
			st.last = append(st.last, lastName{})
		}
		l := &st.last[i]
		if l.raw != string(name) {
			l.id = keyID(name)
			l.raw, _ = keyName(l.id)
		}
		b = binary.AppendUvarint(b, l.id)
		b = append(b, d.B[:8]...)
		d.B = d.B[8:]
	}
	st.scratch = b
	if st.temp == nil || len(b) > cap(st.temp)-len(st.temp) {
		st.temp = make([]byte, 0, max(len(b), 1<<20))
	}
	start := len(st.temp)
	st.temp = append(st.temp, b...)
	return st.temp[start:len(st.temp):len(st.temp)]
}

// payload decodes one segment into c. A warm cache is mostly one big
// segment: its counts size the maps, and records, changes and key lists are
// carved out of shared chunks, instead of growing two maps and making a
// quarter of a million small allocations.
func (d *decoder) payload(c *cache, st *decodeState) {
	n := d.Count(40)
	if len(c.commits) == 0 {
		c.commits = make(map[hash]*commitRec, n)
	}
	recs := make([]commitRec, n)
	var changes []change
	for i := 0; i < n && d.Err == nil; i++ {
		r := &recs[i]
		r.diffed = true
		r.Hash, r.Tree = d.hash(), d.hash()
		if np := d.Count(20); np > 0 {
			r.Parents = make([]hash, np)
			for j := range r.Parents {
				r.Parents[j] = d.hash()
			}
		}
		r.Author, r.Email = st.person(d.Bytes()), st.person(d.Bytes())
		r.AuthorSec, r.AuthorOff = d.Int(), int32(d.Int())
		r.CommitSec, r.CommitOff = d.Int(), int32(d.Int())
		r.Message = st.str(&st.temp, d.Bytes())
		r.Signed = d.Bool()
		if nc := d.Count(41); nc > 0 {
			r.Changes = carve(&changes, nc)
			for j := range r.Changes {
				r.Changes[j] = change{Path: st.str(&st.temp, d.Bytes()), Blob: d.hash(), Old: d.hash()}
			}
		}
		if ns := d.Count(42); ns > 0 {
			r.Sides = make([]side, ns)
			for j := range r.Sides {
				r.Sides[j] = side{Path: st.str(&st.temp, d.Bytes()), Blob: d.hash(), Old: d.hash(), Parent: int32(d.Uint())}
			}
		}
		c.commits[r.Hash] = r
	}
	n = d.Count(24)
	if len(c.snaps) == 0 {
		c.snaps = make(map[hash]*Snapshot, n)
	}
	snaps := make([]Snapshot, n)
	for i := 0; i < n && d.Err == nil; i++ {
		h := d.hash()
		s := &snaps[i]
		*s = Snapshot{ID: st.str(&st.temp, d.Bytes()), Status: st.person(d.Bytes()), Err: st.person(d.Bytes())}
		if len(d.B) < 8 {
			d.Fail()
			break
		}
		s.Body = binary.LittleEndian.Uint64(d.B)
		d.B = d.B[8:]
		hasKeys := d.Bool()
		// The keys stay packed (see Snapshot.packed).
		packed := st.keys(d)
		if hasKeys && d.Err == nil {
			s.packed = packed
		}
		c.snaps[h] = s
	}
}

// carve returns n elements of a chunk that many small slices share,
// starting a new chunk when the current one is used up.
func carve[T any](chunk *[]T, n int) []T {
	if n > cap(*chunk)-len(*chunk) {
		*chunk = make([]T, 0, max(n, 4096))
	}
	b := *chunk
	*chunk = b[:len(b)+n]
	return b[len(b) : len(b)+n : len(b)+n]
}

// The listing of case files at HEAD lives in its own small file, keyed by
// the hash of the prefix tree it lists.
const (
	listingFile  = "head.bin"
	listingMagic = "casebook-head-listing 3\n"
)

func loadListing(dir, prefix string) (hash, []change) {
	if dir == "" {
		return zeroHash, nil
	}
	b, err := os.ReadFile(filepath.Join(dir, listingFile))
	if err != nil {
		return zeroHash, nil
	}
	top, files, err := parseListing(b, prefix)
	if err != nil {
		return zeroHash, nil
	}
	return top, files
}

// parseListing decodes a head listing built for prefix, or says why it
// does not check out.
func parseListing(b []byte, prefix string) (hash, []change, error) {
	hdr := append([]byte(listingMagic), prefix...)
	hdr = append(hdr, 0)
	if !bytes.HasPrefix(b, hdr) {
		return zeroHash, nil, errors.New("unknown header (another casebook version or another cases folder)")
	}
	if len(b) < len(hdr)+4 {
		return zeroHash, nil, errors.New("truncated")
	}
	body := b[:len(b)-4]
	if crc32.Checksum(body, crcTable) != binary.LittleEndian.Uint32(b[len(b)-4:]) {
		return zeroHash, nil, errors.New("checksum mismatch")
	}
	d := &decoder{binfmt.Decoder{B: body[len(hdr):]}}
	top := d.hash()
	n := d.Count(21)
	files := make([]change, n)
	for i := range files {
		files[i] = change{Path: d.Str(), Blob: d.hash()}
	}
	if d.Err != nil || len(d.B) != 0 {
		return zeroHash, nil, errors.New("does not decode")
	}
	return top, files, nil
}

func saveListing(dir, prefix string, top hash, files []change) {
	e := encoder{binfmt.Encoder{B: make([]byte, 0, 64+len(files)*64)}}
	e.B = append(e.B, listingMagic...)
	e.B = append(e.B, prefix...)
	e.B = append(e.B, 0)
	e.hash(top)
	e.Uint(uint64(len(files)))
	for _, f := range files {
		e.Str(f.Path)
		e.hash(f.Blob)
	}
	e.B = binary.LittleEndian.AppendUint32(e.B, crc32.Checksum(e.B, crcTable))
	_ = binfmt.WriteAtomic(dir, listingFile, e.B)
}
