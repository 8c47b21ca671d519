package history

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/casebook/casebook/internal/gitdir"
)

// Object types as numbered in packfiles.
const (
	objCommit   = 1
	objTree     = 2
	objBlob     = 3
	objTag      = 4
	objOfsDelta = 6
	objRefDelta = 7
)

// hash is a SHA-1 object name; the zero value means "absent".
type hash = plumbing.Hash

var zeroHash hash

// objectStore reads raw object content by hash. It is safe for concurrent
// use: packfiles are memory-mapped and read without shared cursors, which is
// what makes parallel tree and blob reads possible (go-git's own storage
// objects keep per-pack scanners and are not goroutine-safe).
type objectStore struct {
	packs []*pack
	loose string // objects directory; "" when storage is not on disk
	// alternates is set when some objects are only found through the fallback: the
	// repository borrows objects (objects/info/alternates) or a pack could not be mapped.
	alternates bool
	fallback   *git.Repository // loose objects, alternates, in-memory storage
	fbMu       sync.Mutex
	cache      *objCache
	zpool      sync.Pool
	bufs       sync.Pool // *[]byte scratch for delta payloads
}

// pack is one memory-mapped packfile with its version-2 index.
type pack struct {
	data   []byte // the .pack file
	idx    []byte // the .idx file
	n      int
	fanout []byte
	names  []byte
	offs   []byte
	large  []byte
	unmap  func()
}

func newObjectStore(repo *git.Repository, cacheBytes int) *objectStore {
	s := &objectStore{fallback: repo, cache: newObjCache(cacheBytes)}
	s.bufs.New = func() any { b := make([]byte, 0, 4096); return &b }
	// A linked work tree reads the objects of the common directory.
	if d, err := gitdir.Of(repo); err == nil {
		s.loose = d.Objects()
		dir := filepath.Join(s.loose, "pack")
		names, _ := filepath.Glob(filepath.Join(dir, "pack-*.idx"))
		sort.Strings(names) // deterministic search order
		for _, idx := range names {
			p, err := openPack(idx, strings.TrimSuffix(idx, ".idx")+".pack")
			if err != nil {
				s.alternates = true
				continue // the fallback still finds its objects, only slower
			}
			s.packs = append(s.packs, p)
		}
		if _, err := os.Stat(filepath.Join(s.loose, "info", "alternates")); err == nil {
			s.alternates = true
		}
	}
	return s
}

func (s *objectStore) close() {
	for _, p := range s.packs {
		p.unmap()
	}
	s.packs = nil
}

func openPack(idxPath, packPath string) (*pack, error) {
	idx, unmapIdx, err := mapFile(idxPath)
	if err != nil {
		return nil, err
	}
	data, unmapPack, err := mapFile(packPath)
	if err != nil {
		unmapIdx()
		return nil, err
	}
	p := &pack{data: data, idx: idx, unmap: func() { unmapIdx(); unmapPack() }}
	if len(idx) < 8+256*4 || !bytes.Equal(idx[:8], []byte{0xff, 't', 'O', 'c', 0, 0, 0, 2}) ||
		len(data) < 12 || string(data[:4]) != "PACK" {
		p.unmap()
		return nil, fmt.Errorf("%s: not a version-2 pack index", idxPath)
	}
	p.fanout = idx[8 : 8+256*4]
	p.n = int(binary.BigEndian.Uint32(p.fanout[255*4:]))
	namesAt := 8 + 256*4
	offsAt := namesAt + p.n*20 + p.n*4
	if len(idx) < offsAt+p.n*4 {
		p.unmap()
		return nil, fmt.Errorf("%s: truncated pack index", idxPath)
	}
	p.names = idx[namesAt : namesAt+p.n*20]
	p.offs = idx[offsAt : offsAt+p.n*4]
	p.large = idx[offsAt+p.n*4:]
	return p, nil
}

// find returns the offset of h in the pack, or -1.
func (p *pack) find(h hash) int64 {
	lo := 0
	if h[0] > 0 {
		lo = int(binary.BigEndian.Uint32(p.fanout[(int(h[0])-1)*4:]))
	}
	hi := int(binary.BigEndian.Uint32(p.fanout[int(h[0])*4:]))
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		c := bytes.Compare(p.names[m*20:m*20+20], h[:])
		switch {
		case c == 0:
			o := binary.BigEndian.Uint32(p.offs[m*4:])
			if o&0x80000000 == 0 {
				return int64(o)
			}
			i := int(o&0x7fffffff) * 8
			if i+8 > len(p.large) {
				return -1
			}
			return int64(binary.BigEndian.Uint64(p.large[i:]))
		case c < 0:
			lo = m + 1
		default:
			hi = m
		}
	}
	return -1
}

// noLimit is the size cap of objects read without a limit: larger is
// taken for corruption.
const noLimit = 1 << 31

// maxDeltaBase bounds the object a size-limited read may inflate as the
// base of a delta. git never deltifies a file against one more than 32
// times its size, so a case file's base is small; a bigger one is a
// crafted pack, refused rather than inflated.
const maxDeltaBase = 8 << 20

// tooLargeError is a size-limited read refusing an object whose header
// says it is bigger than the limit; nothing of it was inflated.
type tooLargeError struct {
	size int64
	base bool // the object is a delta whose base exceeds maxDeltaBase
}

func (e *tooLargeError) Error() string {
	if e.base {
		return fmt.Sprintf("object is a delta of a %d-byte object, over the %d-byte limit for a delta base", e.size, maxDeltaBase)
	}
	return fmt.Sprintf("object is %d bytes, over the limit", e.size)
}

// read returns the type and content of object h. The content may be shared
// with the cache: callers must not modify it.
func (s *objectStore) read(h hash) (int, []byte, error) { return s.get(h, false, noLimit) }

// readOnce reads an object that will not be asked for again, such as a
// commit: it is not cached, so it cannot evict the trees and delta bases
// whose reuse makes the walk fast.
func (s *objectStore) readOnce(h hash) (int, []byte, error) { return s.get(h, true, noLimit) }

// readLimited is readOnce for an object that must not be inflated beyond
// limit bytes, such as a version of a case file: one whose header (or, for
// a delta, the delta's header) says it is bigger gives a *tooLargeError
// before any of its content is inflated, so a hostile 400 MB blob in
// history costs what a case file does.
func (s *objectStore) readLimited(h hash, limit int) (int, []byte, error) {
	return s.get(h, true, limit)
}

func (s *objectStore) get(h hash, once bool, limit int) (int, []byte, error) {
	for pi, p := range s.packs {
		if off := p.find(h); off >= 0 {
			return s.readPacked(pi, off, 0, once, limit)
		}
	}
	return s.readLoose(h, limit)
}

// readLoose reads objects/xx/yyyy... itself: casebook writes loose
// objects, and go-git's reader would serialise the workers. The header
// comes first, so an object over limit is refused before its content is
// inflated (or, compressed, read).
func (s *objectStore) readLoose(h hash, limit int) (int, []byte, error) {
	if s.loose == "" {
		return s.readFallback(h, limit)
	}
	hx := h.String()
	f, err := os.Open(filepath.Join(s.loose, hx[:2], hx[2:]))
	if err != nil {
		return s.readFallback(h, limit) // alternates, or a pack written meanwhile
	}
	defer f.Close()
	zr, err := zlib.NewReader(bufio.NewReaderSize(f, 8<<10))
	if err != nil {
		return 0, nil, fmt.Errorf("read object %s: %w", h, err)
	}
	t, size, err := looseHeader(zr)
	if err != nil {
		return 0, nil, fmt.Errorf("read object %s: %w", h, err)
	}
	if size > int64(limit) {
		return 0, nil, &tooLargeError{size: size}
	}
	body := make([]byte, size)
	if _, err := io.ReadFull(zr, body); err != nil {
		return 0, nil, fmt.Errorf("read object %s: %w", h, errCorrupt)
	}
	if n, _ := zr.Read(make([]byte, 1)); n != 0 {
		return 0, nil, fmt.Errorf("read object %s: longer than its header says: %w", h, errCorrupt)
	}
	return t, body, nil
}

// looseHeader reads "<type> <size>\x00" from an inflating loose object.
func looseHeader(r io.Reader) (int, int64, error) {
	var hdr [32]byte
	n := 0
	for {
		if n == len(hdr) {
			return 0, 0, errCorrupt
		}
		if _, err := io.ReadFull(r, hdr[n:n+1]); err != nil {
			return 0, 0, errCorrupt
		}
		if hdr[n] == 0 {
			break
		}
		n++
	}
	kind, sz, ok := bytes.Cut(hdr[:n], []byte{' '})
	size, err := strconv.ParseInt(string(sz), 10, 64)
	if !ok || err != nil || size < 0 || size > noLimit {
		return 0, 0, errCorrupt
	}
	var t int
	switch string(kind) {
	case "commit":
		t = objCommit
	case "tree":
		t = objTree
	case "blob":
		t = objBlob
	case "tag":
		t = objTag
	default:
		return 0, 0, errCorrupt
	}
	return t, size, nil
}

func (s *objectStore) readFallback(h hash, limit int) (int, []byte, error) {
	s.fbMu.Lock()
	defer s.fbMu.Unlock()
	o, err := s.fallback.Storer.EncodedObject(plumbing.AnyObject, h)
	if err != nil {
		return 0, nil, fmt.Errorf("read object %s: %w", h, err)
	}
	if o.Size() > int64(limit) {
		return 0, nil, &tooLargeError{size: o.Size()}
	}
	r, err := o.Reader()
	if err != nil {
		return 0, nil, fmt.Errorf("read object %s: %w", h, err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return 0, nil, fmt.Errorf("read object %s: %w", h, err)
	}
	return int(o.Type()), b, nil
}

var errCorrupt = errors.New("corrupt packfile")

// readPacked resolves the object at off in pack pi, applying deltas.
// Resolved objects are cached by position, so a delta chain walked in
// history order costs one patch per object; once leaves the object itself
// out of the cache (its bases are still cached). An object larger than
// limit gives a *tooLargeError before its content is inflated: a plain
// object's entry header says its size, a delta's own header the size of
// its result and of its base, and both are checked before the base is
// read.
func (s *objectStore) readPacked(pi int, off int64, depth int, once bool, limit int) (int, []byte, error) {
	key := cacheKey{pack: pi, off: off}
	if t, b, ok := s.cache.get(key); ok {
		if len(b) > limit {
			return 0, nil, &tooLargeError{size: int64(len(b))}
		}
		return t, b, nil
	}
	if depth > 10000 {
		return 0, nil, errCorrupt
	}
	p := s.packs[pi]
	d := p.data
	pos := int(off)
	if pos >= len(d) {
		return 0, nil, errCorrupt
	}
	c := d[pos]
	pos++
	typ := int(c>>4) & 7
	size := uint64(c & 15)
	shift := uint(4)
	for c&0x80 != 0 {
		if pos >= len(d) || shift > 60 {
			return 0, nil, errCorrupt
		}
		c = d[pos]
		pos++
		size |= uint64(c&0x7f) << shift
		shift += 7
	}
	if size > noLimit {
		return 0, nil, errCorrupt
	}
	// Where the base of a delta is: an offset in this pack (basePack) or
	// an object name.
	basePack := int64(-1)
	var baseName hash
	switch typ {
	case objOfsDelta:
		if pos >= len(d) {
			return 0, nil, errCorrupt
		}
		c = d[pos]
		pos++
		rel := int64(c & 0x7f)
		for c&0x80 != 0 {
			if pos >= len(d) || rel > 1<<55 {
				return 0, nil, errCorrupt
			}
			c = d[pos]
			pos++
			rel = ((rel + 1) << 7) | int64(c&0x7f)
		}
		if rel <= 0 || rel > off {
			return 0, nil, errCorrupt
		}
		basePack = off - rel
	case objRefDelta:
		if pos+20 > len(d) {
			return 0, nil, errCorrupt
		}
		copy(baseName[:], d[pos:pos+20])
		pos += 20
		basePack = p.find(baseName)
	case objCommit, objTree, objBlob, objTag:
		if size > uint64(limit) {
			return 0, nil, &tooLargeError{size: int64(size)}
		}
		raw := make([]byte, size)
		if err := s.inflateInto(d[pos:], raw); err != nil {
			return 0, nil, err
		}
		if !once {
			s.cache.put(key, typ, raw)
		}
		return typ, raw, nil
	default:
		return 0, nil, errCorrupt
	}

	// The delta itself is garbage once applied: inflate it into a pooled
	// buffer and allocate only the result.
	bp := s.bufs.Get().(*[]byte)
	defer func() {
		if cap(*bp) <= maxPooledDelta {
			s.bufs.Put(bp)
		}
	}()
	var delta []byte
	baseLimit := noLimit
	if limit < noLimit {
		// A delta's result and base sizes open its payload: read them
		// before inflating the base. A payload up to the limit is inflated
		// whole, once; a larger one only as far as its sizes. git writes
		// at most a few bytes of instructions per byte of result, so a
		// payload much larger than its result is no delta git wrote.
		var hb [20]byte
		var hdr []byte
		if size <= uint64(limit) {
			delta = grow(bp, int(size))
			if err := s.inflateInto(d[pos:], delta); err != nil {
				return 0, nil, err
			}
			hdr = delta
		} else {
			hdr = hb[:min(len(hb), int(size))]
			if err := s.inflateInto(d[pos:], hdr); err != nil {
				return 0, nil, err
			}
		}
		src, dst, ok := deltaSizes(hdr)
		switch {
		case !ok:
			return 0, nil, errCorrupt
		case dst > uint64(limit):
			return 0, nil, &tooLargeError{size: int64(dst)}
		case src > maxDeltaBase:
			return 0, nil, &tooLargeError{size: int64(src), base: true}
		case size > 8*dst+64:
			return 0, nil, errCorrupt
		}
		baseLimit = int(src)
	}
	var baseType int
	var base []byte
	var err error
	if basePack >= 0 {
		baseType, base, err = s.readPacked(pi, basePack, depth+1, false, baseLimit)
	} else {
		baseType, base, err = s.get(baseName, false, baseLimit)
	}
	if err != nil {
		return 0, nil, err
	}
	if delta == nil {
		delta = grow(bp, int(size))
		if err := s.inflateInto(d[pos:], delta); err != nil {
			return 0, nil, err
		}
	}
	raw, err := patchDelta(base, delta)
	if err != nil {
		return 0, nil, err
	}
	if len(raw) > limit {
		return 0, nil, &tooLargeError{size: int64(len(raw))}
	}
	if !once {
		s.cache.put(key, baseType, raw)
	}
	return baseType, raw, nil
}

// grow returns (*bp)[:n], reallocating the pooled buffer when it is short.
func grow(bp *[]byte, n int) []byte {
	if cap(*bp) < n {
		*bp = make([]byte, n)
	}
	return (*bp)[:n]
}

// maxPooledDelta keeps an outsized delta payload from living on in the
// buffer pool.
const maxPooledDelta = 4 << 20

// deltaSizes reads the base and result sizes that open a delta payload.
func deltaSizes(b []byte) (src, dst uint64, ok bool) {
	src, n := binary.Uvarint(b)
	if n <= 0 {
		return 0, 0, false
	}
	dst, m := binary.Uvarint(b[n:])
	if m <= 0 {
		return 0, 0, false
	}
	return src, dst, true
}

func (s *objectStore) inflateInto(src, out []byte) error {
	br := bytes.NewReader(src)
	var zr io.ReadCloser
	if v := s.zpool.Get(); v != nil {
		zr = v.(io.ReadCloser)
		if err := zr.(zlib.Resetter).Reset(br, nil); err != nil {
			return errCorrupt
		}
	} else {
		var err error
		if zr, err = zlib.NewReader(br); err != nil {
			return errCorrupt
		}
	}
	_, err := io.ReadFull(zr, out)
	s.zpool.Put(zr)
	if err != nil {
		return errCorrupt
	}
	return nil
}

// patchDelta applies a git delta to base.
func patchDelta(base, delta []byte) ([]byte, error) {
	pos := 0
	varint := func() (int, bool) {
		v, shift := 0, uint(0)
		for pos < len(delta) {
			c := delta[pos]
			pos++
			v |= int(c&0x7f) << shift
			shift += 7
			if c&0x80 == 0 {
				return v, true
			}
		}
		return 0, false
	}
	srcSize, ok1 := varint()
	dstSize, ok2 := varint()
	if !ok1 || !ok2 || srcSize != len(base) || dstSize < 0 || dstSize > noLimit {
		return nil, errCorrupt
	}
	out := make([]byte, 0, dstSize)
	for pos < len(delta) {
		op := delta[pos]
		pos++
		if op&0x80 != 0 {
			var off, n int
			for i := uint(0); i < 4; i++ {
				if op&(1<<i) != 0 {
					if pos >= len(delta) {
						return nil, errCorrupt
					}
					off |= int(delta[pos]) << (8 * i)
					pos++
				}
			}
			for i := uint(0); i < 3; i++ {
				if op&(0x10<<i) != 0 {
					if pos >= len(delta) {
						return nil, errCorrupt
					}
					n |= int(delta[pos]) << (8 * i)
					pos++
				}
			}
			if n == 0 {
				n = 0x10000
			}
			if off+n > len(base) || off < 0 {
				return nil, errCorrupt
			}
			out = append(out, base[off:off+n]...)
		} else if op != 0 {
			n := int(op)
			if pos+n > len(delta) {
				return nil, errCorrupt
			}
			out = append(out, delta[pos:pos+n]...)
			pos += n
		} else {
			return nil, errCorrupt
		}
	}
	if len(out) != dstSize {
		return nil, errCorrupt
	}
	return out, nil
}

type cacheKey struct {
	pack int
	off  int64
}

type cached struct {
	typ  int
	data []byte
}

// objCache is a two-generation approximation of an LRU bounded in bytes:
// entries live in the young map; when it is full it becomes the old map
// and the previous old map is dropped. A hit in the old map is promoted.
// It costs one map lookup per access and no list bookkeeping.
type objCache struct {
	mu         sync.Mutex
	young, old map[cacheKey]cached
	bytes, max int
}

func newObjCache(max int) *objCache {
	return &objCache{young: map[cacheKey]cached{}, old: map[cacheKey]cached{}, max: max / 2}
}

func (c *objCache) get(k cacheKey) (int, []byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.young[k]; ok {
		return v.typ, v.data, true
	}
	if v, ok := c.old[k]; ok {
		c.putLocked(k, v)
		return v.typ, v.data, true
	}
	return 0, nil, false
}

func (c *objCache) put(k cacheKey, typ int, data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(k, cached{typ, data})
}

func (c *objCache) putLocked(k cacheKey, v cached) {
	if len(v.data) > c.max/4 {
		return // it would evict a quarter of the cache: a huge tree or blob is read again instead
	}
	if c.bytes+len(v.data) > c.max {
		c.old, c.young, c.bytes = c.young, make(map[cacheKey]cached, len(c.young)), 0
	}
	c.young[k] = v
	c.bytes += len(v.data) + 64
}

// mapFileFallback reads a file into memory where mmap is unavailable.
func mapFileFallback(name string) ([]byte, func(), error) {
	b, err := os.ReadFile(name)
	return b, func() {}, err
}
