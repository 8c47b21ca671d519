package cases

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"sync"
	"unsafe"
)

// The parse cache maps the git blob hash of a case file's bytes to what
// Parse made of them, so a warm run reads and hashes each file but parses
// only the files that changed. Being keyed by content, an entry can never
// be stale; the options that change what Parse returns (the time zone, the
// size limit) are in the file's header, and a file built with others is
// ignored. Bodies and section texts are not stored: they are slices of the
// file, which is read anyway to be hashed, so an entry keeps their offsets.
//
// The file is a magic line, the header, a count, then entries sorted by
// hash (20 bytes, a length, a payload), and a CRC-32C of all that. A file
// that does not check out is ignored and rebuilt. Parse errors are not
// stored: they are rare, and reparsing keeps their messages current.
const (
	cacheFile  = "cases.bin"
	cacheMagic = "casebook-cases-cache 2\n"
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

type blobHash [sha1.Size]byte

// hashBlob is git's object id of a file holding data, so the cache speaks
// the same hashes as the repository.
func hashBlob(data []byte) blobHash {
	h := sha1.New()
	h.Write([]byte("blob " + strconv.Itoa(len(data)) + "\x00"))
	h.Write(data)
	var out blobHash
	h.Sum(out[:0])
	return out
}

// Cache remembers parsed cases across runs in a file under the git
// directory. Its ParseFile is safe for concurrent use; Save writes what
// this run learnt.
type Cache struct {
	dir   string
	o     options
	valid bool                // the file was read and checked out
	index map[blobHash][]byte // payloads of the file as read; read-only after OpenCache

	mu           sync.Mutex
	seen         map[blobHash][]byte // payloads of the files seen in this run
	added        int                 // payloads in seen that were not in index
	hits, misses int
}

// OpenCache loads the parse cache kept in dir, for parsing with opts. A
// missing, corrupt or differently built cache file is not an error: the
// cache starts empty. An empty dir gives a cache that parses every file
// and saves nothing (--no-cache).
func OpenCache(dir string, opts ...Option) *Cache {
	c := &Cache{dir: dir, o: newOptions(opts), seen: map[blobHash][]byte{}}
	if dir == "" {
		return c
	}
	raw, err := os.ReadFile(filepath.Join(dir, cacheFile))
	if err != nil {
		return c
	}
	if index, ok := readIndex(raw, c.header()); ok {
		c.index, c.valid = index, true
	}
	return c
}

// header holds what, besides a file's bytes, decides what Parse returns.
func (c *Cache) header() []byte {
	e := encoder{b: []byte(cacheMagic)}
	e.str(c.o.loc.String())
	e.int(c.o.maxBytes)
	return e.b
}

// readIndex checks the file and finds each entry's payload, without
// decoding any: a run decodes the entries of the files it reads, in
// parallel.
func readIndex(raw, hdr []byte) (map[blobHash][]byte, bool) {
	if len(raw) < len(hdr)+4 || !bytes.HasPrefix(raw, hdr) {
		return nil, false
	}
	body := raw[:len(raw)-4]
	if crc32.Checksum(body, crcTable) != binary.LittleEndian.Uint32(raw[len(body):]) {
		return nil, false
	}
	d := decoder{b: body[len(hdr):]}
	n := d.count(len(blobHash{}) + 1)
	index := make(map[blobHash][]byte, n)
	for i := 0; i < n && d.err == nil; i++ {
		var h blobHash
		d.bytes(h[:])
		size := d.count(1)
		if d.err == nil {
			index[h], d.b = d.b[:size:size], d.b[size:]
		}
	}
	if d.err != nil || len(d.b) != 0 {
		return nil, false
	}
	return index, true
}

// ParseFile is ParseFile with the cache's options, answering from the
// cache when it holds the file's bytes.
func (c *Cache) ParseFile(root string, e Entry) (*Case, error) {
	data, err := readCase(root, e, c.o.maxBytes)
	if err != nil {
		return nil, err
	}
	if c.dir == "" {
		c.miss()
		return c.parse(e, data)
	}
	h := hashBlob(data)
	if p, ok := c.index[h]; ok {
		if cs, err := decodeCase(p, data, c.o); err == nil {
			cs.fromEntry(e)
			c.mu.Lock()
			c.seen[h] = p
			c.hits++
			c.mu.Unlock()
			return cs, nil
		}
		// An entry that does not fit its file is a bug or corruption
		// the CRC missed; the reparsed case replaces it.
	}
	cs, offs, err := parse(e.Path, data, c.o)
	if err != nil {
		c.miss()
		return nil, err
	}
	cs.fromEntry(e)
	p, err := encodeCase(cs, offs, len(data))
	c.mu.Lock()
	defer c.mu.Unlock()
	c.misses++
	if _, ok := c.seen[h]; err == nil && !ok {
		c.seen[h] = p
		c.added++
	}
	return cs, nil
}

func (c *Cache) parse(e Entry, data []byte) (*Case, error) {
	cs, _, err := parse(e.Path, data, c.o)
	if err != nil {
		return nil, err
	}
	cs.fromEntry(e)
	return cs, nil
}

func (c *Cache) miss() {
	c.mu.Lock()
	c.misses++
	c.mu.Unlock()
}

// Stats reports how many ParseFile calls were answered from the cache and
// how many parsed the file (failures included).
func (c *Cache) Stats() (hits, misses int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses
}

// Save writes the cache file when this run parsed a file the cache did not
// hold or did not see every file it held, keeping only the entries of the
// files seen, so the file does not grow with every edit. It writes to a
// temporary file and renames it, so a concurrent run reads the old cache
// or the new one. A failure only costs speed next time; the caller may
// ignore it.
func (c *Cache) Save() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	unchanged := c.valid && c.added == 0 && len(c.seen) == len(c.index)
	if c.dir == "" || unchanged || (!c.valid && len(c.seen) == 0) {
		return nil
	}
	keys := make([]blobHash, 0, len(c.seen))
	size := len(c.header()) + 16
	for h, p := range c.seen {
		keys = append(keys, h)
		size += len(h) + binary.MaxVarintLen64 + len(p)
	}
	sort.Slice(keys, func(i, j int) bool { return bytes.Compare(keys[i][:], keys[j][:]) < 0 })
	e := encoder{b: make([]byte, 0, size)}
	e.b = append(e.b, c.header()...)
	e.uint(uint64(len(keys)))
	for _, h := range keys {
		p := c.seen[h]
		e.b = append(e.b, h[:]...)
		e.uint(uint64(len(p)))
		e.b = append(e.b, p...)
	}
	e.b = binary.LittleEndian.AppendUint32(e.b, crc32.Checksum(e.b, crcTable))
	if err := writeAtomic(c.dir, cacheFile, e.b); err != nil {
		return fmt.Errorf("save parse cache: %w", err)
	}
	return nil
}

// writeAtomic replaces dir/name by data through a temporary file and a
// rename, so a reader sees the old file or the new one, never a mix.
func writeAtomic(dir, name string, data []byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, name+".tmp*")
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), filepath.Join(dir, name)); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

// Value tags of the Fields encoding.
const (
	tagNil = iota
	tagString
	tagInt
	tagFloat
	tagFalse
	tagTrue
	tagList
	tagMap
)

var errUnencodable = errors.New("value of a type Parse does not produce")

// encodeCase writes everything Parse derives from a file's bytes except
// what decodeCase can take from them again: the body and section texts
// (by offset: offs are the texts' offsets in the file of size bytes) and
// ReceivedAt (read again from ReceivedAtRaw, in the caller's zone).
func encodeCase(c *Case, offs []int, size int) ([]byte, error) {
	e := encoder{b: make([]byte, 0, 512+len(c.lines))}
	e.int(int64(c.FrontMatterLine))
	e.int(int64(c.FrontMatterEnd))
	e.int(int64(c.BodyLine))
	e.int(int64(size - len(c.Body)))
	for _, s := range []string{c.ID, c.Policy, c.Title, c.Status, c.ReceivedAtRaw} {
		e.str(s)
	}
	e.strs(c.Keys)
	if err := e.value(c.Fields, 0); err != nil {
		return nil, err
	}
	e.str(string(c.lines))
	e.nilable(c.FieldErrors == nil, len(c.FieldErrors))
	for _, fe := range c.FieldErrors {
		e.str(fe.Path)
		e.int(int64(fe.Line))
		e.str(fe.Msg)
		e.str(fe.Fix)
	}
	if len(offs) != len(c.Sections) {
		return nil, errUnencodable
	}
	e.nilable(c.Sections == nil, len(c.Sections))
	for i, s := range c.Sections {
		e.int(int64(s.Level))
		e.str(s.Title)
		e.int(int64(s.Line))
		e.bool(s.Empty)
		e.int(int64(offs[i]))
		e.int(int64(len(s.Text)))
	}
	return e.b, nil
}

func (e *encoder) value(v any, depth int) error {
	if depth > MaxDepth+1 {
		return errUnencodable
	}
	switch v := v.(type) {
	case nil:
		e.b = append(e.b, tagNil)
	case string:
		e.b = append(e.b, tagString)
		e.str(v)
	case int:
		e.b = append(e.b, tagInt)
		e.int(int64(v))
	case float64:
		e.b = append(e.b, tagFloat)
		e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(v))
	case bool:
		if v {
			e.b = append(e.b, tagTrue)
		} else {
			e.b = append(e.b, tagFalse)
		}
	case []any:
		e.b = append(e.b, tagList)
		e.nilable(v == nil, len(v))
		for _, item := range v {
			if err := e.value(item, depth+1); err != nil {
				return err
			}
		}
	case map[string]any:
		e.b = append(e.b, tagMap)
		e.nilable(v == nil, len(v))
		// Sorted, so that the same case always encodes the same.
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			e.str(k)
			if err := e.value(v[k], depth+1); err != nil {
				return err
			}
		}
	default:
		return errUnencodable
	}
	return nil
}

var errBadEntry = errors.New("cache entry does not fit its file")

// decodeCase rebuilds a case from its entry and its file's bytes. Strings
// share the entry's bytes (the cache file, read once and never written)
// and the body shares data: twenty thousand cases then cost a few
// allocations each instead of a copy of every key and value.
func decodeCase(p, data []byte, o options) (*Case, error) {
	file := unsafe.String(unsafe.SliceData(data), len(data))
	d := decoder{b: p}
	c := &Case{}
	c.FrontMatterLine = int(d.int())
	c.FrontMatterEnd = int(d.int())
	c.BodyLine = int(d.int())
	bodyOff := d.int()
	c.ID, c.Policy, c.Title, c.Status, c.ReceivedAtRaw = d.str(), d.str(), d.str(), d.str(), d.str()
	if n, ok := d.nilable(1); ok {
		c.Keys = make([]string, n)
		for i := range c.Keys {
			c.Keys[i] = d.str()
		}
	}
	fields, ok := d.value(0).(map[string]any)
	if !ok {
		return nil, errBadEntry
	}
	c.Fields = fields
	c.lines = lineIndex(d.str())
	if n, ok := d.nilable(4); ok {
		c.FieldErrors = make([]FieldError, n)
		for i := range c.FieldErrors {
			c.FieldErrors[i] = FieldError{Path: d.str(), Line: int(d.int()), Msg: d.str(), Fix: d.str()}
		}
	}
	if n, ok := d.nilable(6); ok {
		c.Sections = make([]Section, n)
		for i := range c.Sections {
			s := &c.Sections[i]
			s.Level, s.Title, s.Line, s.Empty = int(d.int()), d.str(), int(d.int()), d.bool()
			off, size := d.int(), d.int()
			if off < 0 || size < 0 || off > int64(len(file))-size {
				return nil, errBadEntry
			}
			s.Text = file[off : off+size]
		}
	}
	if d.err != nil || len(d.b) != 0 || bodyOff < 0 || bodyOff > int64(len(file)) {
		return nil, errBadEntry
	}
	c.Body = file[bodyOff:]
	if c.ReceivedAtRaw != "" {
		// Cheap, and it gives the time the caller's *time.Location.
		if t, err := ParseTime(c.ReceivedAtRaw, o.loc); err == nil {
			c.ReceivedAt = t
		}
	}
	return c, nil
}

func (d *decoder) value(depth int) any {
	if len(d.b) == 0 || depth > MaxDepth+1 {
		d.fail()
		return nil
	}
	tag := d.b[0]
	d.b = d.b[1:]
	switch tag {
	case tagNil:
		return nil
	case tagString:
		return d.str()
	case tagInt:
		return int(d.int())
	case tagFloat:
		if len(d.b) < 8 {
			d.fail()
			return nil
		}
		v := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
		d.b = d.b[8:]
		return v
	case tagFalse:
		return false
	case tagTrue:
		return true
	case tagList:
		n, ok := d.nilable(1)
		if !ok {
			return []any(nil)
		}
		list := make([]any, n)
		for i := range list {
			list[i] = d.value(depth + 1)
		}
		return list
	case tagMap:
		n, ok := d.nilable(2)
		if !ok {
			return map[string]any(nil)
		}
		m := make(map[string]any, n)
		for range n {
			k := d.str()
			m[k] = d.value(depth + 1)
		}
		return m
	}
	d.fail()
	return nil
}

// encoder appends the cache's primitive values to b.
type encoder struct{ b []byte }

func (e *encoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) str(s string)  { e.uint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// nilable writes a length that also tells a nil slice or map from an
// empty one: Parse returns both, and a cached case must equal a parsed one.
func (e *encoder) nilable(isNil bool, n int) {
	if isNil {
		e.uint(0)
	} else {
		e.uint(uint64(n) + 1)
	}
}

func (e *encoder) strs(ss []string) {
	e.nilable(ss == nil, len(ss))
	for _, s := range ss {
		e.str(s)
	}
}

var errShort = errors.New("truncated cache entry")

// decoder reads what encoder wrote; after the first error every read
// returns zero values and err stays set.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail() { d.err, d.b = errShort, nil }

func (d *decoder) uint() uint64 {
	if len(d.b) > 0 && d.b[0] < 0x80 { // most lengths and lines fit a byte
		v := uint64(d.b[0])
		d.b = d.b[1:]
		return v
	}
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

// nilable reads what encoder.nilable wrote; ok is false for nil.
func (d *decoder) nilable(min int) (n int, ok bool) {
	v := d.uint()
	if v == 0 || d.err != nil {
		return 0, false
	}
	if v-1 > uint64(len(d.b)/min) {
		d.fail()
		return 0, false
	}
	return int(v - 1), true
}

func (d *decoder) bytes(dst []byte) {
	if len(d.b) < len(dst) {
		d.fail()
		return
	}
	copy(dst, d.b)
	d.b = d.b[len(dst):]
}

// str returns a string sharing the cache file's bytes instead of copying
// them; the keys repeated in every case thus cost no memory of their own.
// The buffer is never written to after it is read.
func (d *decoder) str() string {
	n := d.uint()
	if n == 0 || n > uint64(len(d.b)) {
		if n != 0 {
			d.fail()
		}
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
