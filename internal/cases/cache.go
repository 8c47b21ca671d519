package cases

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"hash/maphash"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/casebook/casebook/internal/binfmt"
	"github.com/casebook/casebook/internal/msg"
)

// The parse cache maps the git blob hash of a case file's bytes to what
// Parse made of them, so a warm run reads and hashes each file but parses
// only the files that changed. Being keyed by content, an entry can never
// be stale; the options that change what Parse returns (the time zone, the
// size limit) are in the file's header, and a file built with others is
// ignored. Bodies and section texts are not stored: they are slices of the
// file, which is read anyway to be hashed, so an entry keeps their offsets.
//
// A decoded case shares nothing with the cache file or its own file's
// bytes: both are dropped once the cases are read, which at a hundred
// thousand cases is a quarter of a gigabyte. Strings that repeat from case
// to case (statuses, names, departments, key lists) are shared instead, see
// interner.
//
// The file is a magic line, the header, a count, then entries sorted by
// hash (20 bytes, a length, a payload), and a CRC-32C of all that. A file
// that does not check out is ignored and rebuilt. Parse errors are not
// stored: they are rare, and reparsing keeps their messages current.
const (
	cacheFile  = "cases.bin"
	cacheMagic = "casebook-cases-cache 5\n"
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

	// The stat cache (statcache.go) as read, for the root of the first
	// ParseFile, and as this run saw the files.
	statsOnce    sync.Once
	stats        map[string]statEntry
	statRoot     string
	newStats     map[string]statEntry
	statsChanged bool

	mu           sync.Mutex
	seen         map[blobHash][]byte // payloads of the files seen in this run
	added        int                 // payloads in seen that were not in index
	hits, misses int
	statHits     int         // of hits, those whose file was not read
	interners    []*interner // idle ones; one per concurrent ParseFile at most
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
	e := encoder{binfmt.Encoder{B: []byte(cacheMagic)}}
	e.Str(c.o.loc.String())
	e.Int(c.o.maxBytes)
	return e.B
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
	d := decoder{binfmt.Decoder{B: body[len(hdr):]}}
	n := d.Count(len(blobHash{}) + 1)
	index := make(map[blobHash][]byte, n)
	for i := 0; i < n && d.Err == nil; i++ {
		var h blobHash
		d.bytes(h[:])
		size := d.Count(1)
		if d.Err == nil {
			index[h], d.B = d.B[:size:size], d.B[size:]
		}
	}
	if d.Err != nil || len(d.B) != 0 {
		return nil, false
	}
	return index, true
}

// ParseFile is ParseFile with the cache's options, answering from the
// cache when it holds the file's bytes.
func (c *Cache) ParseFile(root string, e Entry) (*Case, error) {
	if c.dir != "" && c.o.core != nil {
		if cs, ok := c.byStat(root, e); ok {
			return cs, nil
		}
	}
	data, fi, err := readStat(root, e, c.o.maxBytes)
	if err != nil {
		return nil, err
	}
	h := hashBlob(data)
	if c.dir == "" {
		c.miss()
		return c.parse(e, data, h)
	}
	if fi != nil && time.Since(fi.ModTime()) > racyWindow {
		c.recordStat(e.Path, statEntry{st: statOf(fi), blob: h})
	}
	if p, ok := c.index[h]; ok {
		in := c.interner()
		core := c.o.core != nil && c.o.core(e.Path, h)
		cs, err := decodeCase(p, data, c.o, in, core)
		c.mu.Lock()
		c.interners = append(c.interners, in)
		c.mu.Unlock()
		if err == nil {
			cs.fromEntry(e)
			cs.Blob = h
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
	cs.Blob = h
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

// byStat answers for a file the caller wants the core of without reading
// it, when its stat is the one recorded with a blob the cache holds.
func (c *Cache) byStat(root string, e Entry) (*Case, bool) {
	c.statsOnce.Do(func() { c.stats, c.statRoot = loadStats(c.dir, root), root })
	x, ok := c.stats[e.Path]
	if !ok || root != c.statRoot {
		return nil, false
	}
	fi, err := os.Lstat(filepath.Join(root, filepath.FromSlash(e.Path)))
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > c.o.maxBytes || statOf(fi) != x.st {
		return nil, false
	}
	p, ok := c.index[x.blob]
	if !ok || !c.o.core(e.Path, x.blob) {
		return nil, false
	}
	in := c.interner()
	cs, err := decodeSized(p, nil, int(fi.Size()), c.o, in, true)
	c.mu.Lock()
	c.interners = append(c.interners, in)
	c.mu.Unlock()
	if err != nil {
		return nil, false
	}
	cs.fromEntry(e)
	cs.Blob = x.blob
	c.mu.Lock()
	c.seen[x.blob] = p
	c.hits++
	c.statHits++
	c.mu.Unlock()
	c.recordStat(e.Path, x)
	return cs, true
}

// recordStat keeps x as path's entry for the next run's stat cache.
func (c *Cache) recordStat(path string, x statEntry) {
	c.mu.Lock()
	if c.newStats == nil {
		c.newStats = map[string]statEntry{}
	}
	c.newStats[path] = x
	if old, ok := c.stats[path]; !ok || old != x {
		c.statsChanged = true
	}
	c.mu.Unlock()
}

func (c *Cache) parse(e Entry, data []byte, h blobHash) (*Case, error) {
	cs, _, err := parse(e.Path, data, c.o)
	if err != nil {
		return nil, err
	}
	cs.fromEntry(e)
	cs.Blob = h
	return cs, nil
}

// interner returns an idle interner, or a new one: each ParseFile running
// at the same time uses its own, so decoding takes no lock per string.
func (c *Cache) interner() *interner {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n := len(c.interners); n > 0 {
		in := c.interners[n-1]
		c.interners = c.interners[:n-1]
		return in
	}
	return newInterner()
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
	if c.dir != "" && c.statRoot != "" && (c.statsChanged || len(c.newStats) != len(c.stats)) {
		_ = saveStats(c.dir, c.statRoot, c.newStats)
	}
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
	e := encoder{binfmt.Encoder{B: make([]byte, 0, size)}}
	e.B = append(e.B, c.header()...)
	e.Uint(uint64(len(keys)))
	for _, h := range keys {
		p := c.seen[h]
		e.B = append(e.B, h[:]...)
		e.Uint(uint64(len(p)))
		e.B = append(e.B, p...)
	}
	e.B = binary.LittleEndian.AppendUint32(e.B, crc32.Checksum(e.B, crcTable))
	if err := binfmt.WriteAtomic(c.dir, cacheFile, e.B); err != nil {
		return fmt.Errorf("save parse cache: %w", err)
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
	e := encoder{binfmt.Encoder{B: make([]byte, 0, 512+len(c.lines))}}
	e.Int(int64(c.FrontMatterLine))
	e.Int(int64(c.FrontMatterEnd))
	e.Int(int64(c.BodyLine))
	e.Int(int64(size - len(c.Body)))
	for _, s := range []string{c.ID, c.Policy, c.Title, c.Status, c.ReceivedAtRaw} {
		e.Str(s)
	}
	e.strs(c.Keys)
	if err := e.value(c.Fields, 0); err != nil {
		return nil, err
	}
	e.Str(string(c.lines))
	e.nilable(c.FieldErrors == nil, len(c.FieldErrors))
	for _, fe := range c.FieldErrors {
		e.Str(fe.Path)
		e.Int(int64(fe.Line))
		for _, w := range []string{fe.Msg.Zh, fe.Msg.En, fe.Fix.Zh, fe.Fix.En} {
			e.Str(w)
		}
	}
	if len(offs) != len(c.Sections) {
		return nil, errUnencodable
	}
	e.nilable(c.Sections == nil, len(c.Sections))
	for i, s := range c.Sections {
		e.Int(int64(s.Level))
		e.Str(s.Title)
		e.Int(int64(s.Line))
		e.Bool(s.Empty)
		e.Int(int64(offs[i]))
		e.Int(int64(len(s.Text)))
	}
	e.nilable(c.Unquoted == nil, len(c.Unquoted))
	for _, u := range c.Unquoted {
		e.Str(u.Path)
		e.Str(u.Text)
		e.Str(u.Kind)
		e.Int(int64(u.Line))
	}
	return e.B, nil
}

func (e *encoder) value(v any, depth int) error {
	if depth > MaxDepth+1 {
		return errUnencodable
	}
	switch v := v.(type) {
	case nil:
		e.B = append(e.B, tagNil)
	case string:
		e.B = append(e.B, tagString)
		e.Str(v)
	case int:
		e.B = append(e.B, tagInt)
		e.Int(int64(v))
	case float64:
		e.B = append(e.B, tagFloat)
		e.B = binary.LittleEndian.AppendUint64(e.B, math.Float64bits(v))
	case bool:
		if v {
			e.B = append(e.B, tagTrue)
		} else {
			e.B = append(e.B, tagFalse)
		}
	case []any:
		e.B = append(e.B, tagList)
		e.nilable(v == nil, len(v))
		for _, item := range v {
			if err := e.value(item, depth+1); err != nil {
				return err
			}
		}
	case map[string]any:
		e.B = append(e.B, tagMap)
		e.nilable(v == nil, len(v))
		// Sorted, so that the same case always encodes the same.
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			e.Str(k)
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

// decodeCase rebuilds a case from its entry and its file's bytes. Nothing
// of the case points into either: the body is copied out of data (the
// section texts are slices of that copy) and every other string is a copy
// or, when an equal one was decoded shortly before, that one (see
// interner). A hundred thousand cases then keep neither the cache file nor
// their files' front-matter alive, and share their many repeated values.
// With core, Fields, Body and Sections are passed over (WithCoreOnly).
func decodeCase(p, data []byte, o options, in *interner, core bool) (*Case, error) {
	return decodeSized(p, data, len(data), o, in, core)
}

// decodeSized is decodeCase for a file of fileSize bytes; data may be nil
// when core is set (the stat cache vouched for the file unread).
func decodeSized(p, data []byte, fileSize int, o options, in *interner, core bool) (*Case, error) {
	d := decoder{binfmt.Decoder{B: p}}
	c := &Case{coreOnly: core}
	c.FrontMatterLine = int(d.Int())
	c.FrontMatterEnd = int(d.Int())
	c.BodyLine = int(d.Int())
	bodyOff := d.Int()
	if d.Err != nil || bodyOff < 0 || bodyOff > int64(fileSize) {
		return nil, errBadEntry
	}
	if !core {
		c.Body = string(data[bodyOff:])
	}
	c.ID, c.Policy, c.Title, c.Status, c.ReceivedAtRaw = in.str(d.Bytes()), in.str(d.Bytes()), in.str(d.Bytes()), in.str(d.Bytes()), in.str(d.Bytes())
	c.Keys = d.keys(in)
	if core {
		if len(d.B) == 0 || d.B[0] != tagMap {
			return nil, errBadEntry
		}
		d.skip(0)
	} else {
		fields, ok := d.value(0, in).(map[string]any)
		if !ok {
			return nil, errBadEntry
		}
		c.Fields = fields
	}
	c.lines = lineIndex(d.Bytes())
	if n, ok := d.nilable(4); ok {
		c.FieldErrors = make([]msg.FileError, n)
		for i := range c.FieldErrors {
			fe := &c.FieldErrors[i]
			fe.Path, fe.Line = in.str(d.Bytes()), int(d.Int())
			fe.Msg.Zh, fe.Msg.En = in.str(d.Bytes()), in.str(d.Bytes())
			fe.Fix.Zh, fe.Fix.En = in.str(d.Bytes()), in.str(d.Bytes())
		}
	}
	if n, ok := d.nilable(6); ok {
		c.Sections = make([]Section, n)
		for i := range c.Sections {
			s := &c.Sections[i]
			s.Level, s.Title, s.Line, s.Empty = int(d.Int()), in.str(d.Bytes()), int(d.Int()), d.Bool()
			off, size := d.Int(), d.Int()
			if off < 0 || size < 0 || off > int64(fileSize)-size {
				return nil, errBadEntry
			}
			switch {
			case core: // no body to slice, and the sections go
			case off >= bodyOff:
				s.Text = c.Body[off-bodyOff : off-bodyOff+size]
			default:
				s.Text = string(data[off : off+size]) // not produced by Parse
			}
		}
	}
	if core {
		c.Sections = nil
	}
	if n, ok := d.nilable(4); ok {
		c.Unquoted = make([]Unquoted, n)
		for i := range c.Unquoted {
			c.Unquoted[i] = Unquoted{Path: in.str(d.Bytes()), Text: in.str(d.Bytes()), Kind: in.str(d.Bytes()), Line: int(d.Int())}
		}
	}
	if d.Err != nil || len(d.B) != 0 {
		return nil, errBadEntry
	}
	if c.ReceivedAtRaw != "" {
		// Cheap, and it gives the time the caller's *time.Location.
		if t, err := ParseTime(c.ReceivedAtRaw, o.loc); err == nil {
			c.ReceivedAt = t
		}
	}
	return c, nil
}

// skip passes over one value as value reads it, building nothing.
func (d *decoder) skip(depth int) {
	if len(d.B) == 0 || depth > MaxDepth+1 {
		d.Fail()
		return
	}
	tag := d.B[0]
	d.B = d.B[1:]
	switch tag {
	case tagNil, tagFalse, tagTrue:
	case tagString:
		d.Bytes()
	case tagInt:
		d.Int()
	case tagFloat:
		if len(d.B) < 8 {
			d.Fail()
			return
		}
		d.B = d.B[8:]
	case tagList:
		n, _ := d.nilable(1)
		for range n {
			d.skip(depth + 1)
		}
	case tagMap:
		n, _ := d.nilable(2)
		for range n {
			d.Bytes()
			d.skip(depth + 1)
		}
	default:
		d.Fail()
	}
}

func (d *decoder) value(depth int, in *interner) any {
	if len(d.B) == 0 || depth > MaxDepth+1 {
		d.Fail()
		return nil
	}
	tag := d.B[0]
	d.B = d.B[1:]
	switch tag {
	case tagNil:
		return nil
	case tagString:
		return in.box(d.Bytes())
	case tagInt:
		return int(d.Int())
	case tagFloat:
		if len(d.B) < 8 {
			d.Fail()
			return nil
		}
		v := math.Float64frombits(binary.LittleEndian.Uint64(d.B))
		d.B = d.B[8:]
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
			list[i] = d.value(depth+1, in)
		}
		return list
	case tagMap:
		n, ok := d.nilable(2)
		if !ok {
			return map[string]any(nil)
		}
		m := make(map[string]any, n)
		for range n {
			k := in.str(d.Bytes())
			m[k] = d.value(depth+1, in)
		}
		return m
	}
	d.Fail()
	return nil
}

// encoder writes the cache with binfmt's primitives and this file's own.
type encoder struct{ binfmt.Encoder }

// nilable writes a length that also tells a nil slice or map from an
// empty one: Parse returns both, and a cached case must equal a parsed one.
func (e *encoder) nilable(isNil bool, n int) {
	if isNil {
		e.Uint(0)
	} else {
		e.Uint(uint64(n) + 1)
	}
}

func (e *encoder) strs(ss []string) {
	e.nilable(ss == nil, len(ss))
	for _, s := range ss {
		e.Str(s)
	}
}

// decoder reads what encoder wrote.
type decoder struct{ binfmt.Decoder }

// nilable reads what encoder.nilable wrote; ok is false for nil.
func (d *decoder) nilable(min int) (n int, ok bool) {
	v := d.Uint()
	if v == 0 || d.Err != nil {
		return 0, false
	}
	if v-1 > uint64(len(d.B)/min) {
		d.Fail()
		return 0, false
	}
	return int(v - 1), true
}

// keys reads what encoder.strs wrote. The list is the interner's when an
// identical one was decoded before: the cases of one office mostly list
// the same keys in the same order.
func (d *decoder) keys(in *interner) []string {
	start := d.B
	n, ok := d.nilable(1)
	if !ok {
		return nil
	}
	for range n {
		d.Bytes()
	}
	if d.Err != nil {
		return nil
	}
	enc := start[:len(start)-len(d.B)]
	slot := &in.lists[maphash.Bytes(in.seed, enc)&(internListSlots-1)]
	if slot.keys != nil && slot.enc == string(enc) {
		return slot.keys
	}
	keys := make([]string, n)
	rd := decoder{binfmt.Decoder{B: enc}}
	rd.nilable(1)
	for i := range keys {
		keys[i] = in.str(rd.Bytes())
	}
	*slot = internedList{enc: string(enc), keys: keys}
	return keys
}

// interner shares the strings that cases decoded one after the other
// have in common, instead of copying each: an office's hundred thousand
// cases hold a few dozen statuses, channels and departments, a few hundred
// names, and mostly one list of keys. It is a fixed-size table indexed by
// a hash of the bytes, an entry replaced by the next string that lands on
// it, so it stays small and costs one hash per string; a value it missed
// is merely copied once more. Strings handed out are never written to.
type interner struct {
	seed  maphash.Seed
	boxed [internSlots]any // strings, each already in an interface
	lists [internListSlots]internedList
}

type internedList struct {
	enc  string // the list as the cache encodes it
	keys []string
}

const (
	internSlots     = 1 << 13
	internListSlots = 1 << 6
	// internMax is the longest string looked up: longer ones (free text)
	// rarely repeat.
	internMax = 256
)

// emptyBox is "" in an interface, which needs no allocation.
var emptyBox any = ""

func newInterner() *interner { return &interner{seed: maphash.MakeSeed()} }

// box returns b as a string in an interface, shared when an equal string
// was boxed before: a string stored in a map[string]any takes an
// allocation of its own besides its bytes.
func (in *interner) box(b []byte) any {
	if len(b) == 0 {
		return emptyBox
	}
	if len(b) > internMax {
		return string(b)
	}
	slot := &in.boxed[maphash.Bytes(in.seed, b)&(internSlots-1)]
	if s, ok := (*slot).(string); ok && s == string(b) {
		return *slot
	}
	v := any(string(b))
	*slot = v
	return v
}

// str returns b as a string, shared as box shares it.
func (in *interner) str(b []byte) string {
	if len(b) > internMax {
		return string(b)
	}
	return in.box(b).(string)
}

func (d *decoder) bytes(dst []byte) {
	if len(d.B) < len(dst) {
		d.Fail()
		return
	}
	copy(dst, d.B)
	d.B = d.B[len(dst):]
}
