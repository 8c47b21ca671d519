package history

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unsafe"

	"github.com/casebook/casebook/internal/binfmt"
)

// The saved history is the History that a Read returned, kept in
// <cache>/history-head.bin for the HEAD it was read at. A later Read at that same
// HEAD decodes it instead of walking and assembling a third of a million
// commits; a Read at a HEAD that only adds plain commits on top of it (see
// extend) decodes it and applies those commits. ReadCase decodes one case
// of it, which is what a clerk's command needs.
//
// Like history.bin it holds only what follows from content hashes (the
// commits between the root and HEAD, and the shallow boundary it was read
// with), so it cannot disagree with git: its key is HEAD, the cases
// folder, the late-entry window and the shallow boundary, and a file that
// does not check out (a torn write, another version) is ignored.
//
// Layout: a magic line and the key, then blocks: the first holds every
// case, each later one the cases that changed since the block before it,
// and names the HEAD it was read at and the one it extends. A block is a
// length, a payload and a CRC-32C. Its payload holds tables its cases
// refer to (strings, commit names, time zones, key lists, trailer lists),
// the repository-wide lists, and the cases, each prefixed with its length
// so that ReadCase can skip to one.
const (
	savedFile  = "history-head.bin"
	savedMagic = "casebook-history-head 3\n"
)

// savedKey is what a saved history must match to be used.
type savedKey struct {
	prefix  string
	late    time.Duration
	shallow string // the sorted boundary commits, joined
	head    hash
}

func (k savedKey) encode(e *encoder) {
	e.Str(k.prefix)
	e.Int(int64(k.late))
	e.Str(k.shallow)
}

func shallowKey(shallow map[hash]bool) string {
	var hs []string
	for h := range shallow {
		hs = append(hs, h.String())
	}
	sort.Strings(hs)
	return strings.Join(hs, ",")
}

// savedWriter builds the tables while the cases are encoded.
type savedWriter struct {
	strs     map[string]uint64
	strList  []string
	commits  map[string]uint64
	comList  []hash
	zones    map[int]uint64
	zoneList []int
	lists    map[string]uint64 // key lists, by their encoded indices
	listEnc  [][]byte
	trails   map[string]uint64
	trailEnc [][]byte
	scratch  encoder
}

func newSavedWriter() *savedWriter {
	return &savedWriter{strs: map[string]uint64{"": 0}, strList: []string{""},
		commits: map[string]uint64{}, zones: map[int]uint64{},
		lists: map[string]uint64{"": 0}, listEnc: [][]byte{nil},
		trails: map[string]uint64{"": 0}, trailEnc: [][]byte{nil}}
}

func (w *savedWriter) str(s string) uint64 {
	if i, ok := w.strs[s]; ok {
		return i
	}
	i := uint64(len(w.strList))
	w.strs[s] = i
	w.strList = append(w.strList, s)
	return i
}

func (w *savedWriter) commit(s string) (uint64, error) {
	if i, ok := w.commits[s]; ok {
		return i, nil
	}
	var h hash
	if len(s) != 40 {
		return 0, fmt.Errorf("commit name %q", s)
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return 0, err
	}
	i := uint64(len(w.comList))
	w.commits[s] = i
	w.comList = append(w.comList, h)
	return i, nil
}

// time writes t as its zone's index plus one (0: the zero time) and its
// Unix seconds. Git's times have whole seconds.
func (w *savedWriter) time(e *encoder, t time.Time) {
	if t == (time.Time{}) {
		// No time (a root commit's ParentAt); the instant of year 1,
		// which git can record, keeps its zone.
		e.Uint(0)
		return
	}
	_, off := t.Zone()
	i, ok := w.zones[off]
	if !ok {
		i = uint64(len(w.zoneList))
		w.zones[off] = i
		w.zoneList = append(w.zoneList, off)
	}
	e.Uint(i + 1)
	e.Int(t.Unix())
}

func (w *savedWriter) list(l []string) uint64 {
	if len(l) == 0 {
		return 0
	}
	s := &w.scratch
	s.B = s.B[:0]
	s.Uint(uint64(len(l)))
	for _, k := range l {
		s.Uint(w.str(k))
	}
	if i, ok := w.lists[string(s.B)]; ok {
		return i
	}
	i := uint64(len(w.listEnc))
	w.lists[string(s.B)] = i
	w.listEnc = append(w.listEnc, bytes.Clone(s.B))
	return i
}

func (w *savedWriter) trailers(t Trailers) uint64 {
	if len(t) == 0 {
		return 0
	}
	s := &w.scratch
	s.B = s.B[:0]
	s.Uint(uint64(len(t)))
	for _, x := range t {
		s.Uint(w.str(x.Key))
		s.Uint(w.str(x.Value))
	}
	if i, ok := w.trails[string(s.B)]; ok {
		return i
	}
	i := uint64(len(w.trailEnc))
	w.trails[string(s.B)] = i
	w.trailEnc = append(w.trailEnc, bytes.Clone(s.B))
	return i
}

const (
	vDeleted = 1 << iota
	vReadded
	vMerge
	vSigned
	vShallow
	vHasBlob
	vOwnID   // Snap.ID is the case's id
	vOtherID // Snap.ID is another id (a version a renumbering moved), written out
)

func (w *savedWriter) version(e *encoder, v *Version, caseID string) error {
	ci, err := w.commit(v.Commit)
	if err != nil {
		return err
	}
	var f uint64
	for _, b := range []struct {
		on   bool
		flag uint64
	}{{v.Deleted, vDeleted}, {v.Readded, vReadded}, {v.Merge, vMerge}, {v.Signed, vSigned}, {v.Shallow, vShallow},
		{!v.Blob.IsZero(), vHasBlob}, {v.Snap.ID != "" && v.Snap.ID == caseID, vOwnID}, {v.Snap.ID != "" && v.Snap.ID != caseID, vOtherID}} {
		if b.on {
			f |= b.flag
		}
	}
	if len(v.Snap.Keys) > 0 || v.Snap.packed != nil {
		return errors.New("a version whose snapshot holds its keys")
	}
	e.Uint(f)
	if f&vOtherID != 0 {
		e.Uint(w.str(v.Snap.ID))
	}
	e.Uint(ci)
	w.time(e, v.At)
	w.time(e, v.CommittedAt)
	w.time(e, v.ParentAt)
	e.Uint(w.str(v.Actor))
	e.Uint(w.str(v.Email))
	e.Uint(w.str(v.Subject))
	e.Uint(w.str(v.Note))
	e.Uint(w.trailers(v.Trailers))
	e.Uint(w.str(v.Path))
	if f&vHasBlob != 0 {
		e.B = append(e.B, v.Blob[:]...)
	}
	e.Uint(w.str(v.Snap.Status))
	e.B = binary.LittleEndian.AppendUint64(e.B, v.Snap.Body)
	e.Uint(w.str(v.Snap.Err))
	e.Uint(w.list(v.Changed))
	e.Uint(w.list(v.Replaced))
	return nil
}

const (
	tMerge = 1 << iota
	tSigned
	tShallow
	tReadded
)

func (w *savedWriter) transition(e *encoder, t *Transition) error {
	ci, err := w.commit(t.Commit)
	if err != nil {
		return err
	}
	var f uint64
	if t.Merge {
		f |= tMerge
	}
	if t.Signed {
		f |= tSigned
	}
	if t.Shallow {
		f |= tShallow
	}
	if t.Readded {
		f |= tReadded
	}
	e.Uint(f)
	e.Uint(ci)
	w.time(e, t.At)
	w.time(e, t.CommittedAt)
	w.time(e, t.ParentAt)
	e.Uint(w.str(t.Actor))
	e.Uint(w.str(t.Email))
	e.Uint(w.str(t.From))
	e.Uint(w.str(t.To))
	e.Uint(w.str(t.Note))
	e.Uint(w.str(t.Path))
	e.Uint(w.trailers(t.Trailers))
	e.Uint(w.list(t.Changed))
	return nil
}

func (w *savedWriter) kase(e *encoder, c *Case) error {
	e.Uint(w.str(c.ID))
	e.Uint(w.str(c.Path))
	e.Uint(count(len(c.Versions), c.Versions == nil))
	deleted := 0
	for i := range c.Versions {
		if c.Deleted == &c.Versions[i] {
			deleted = i + 1
		}
		if err := w.version(e, &c.Versions[i], c.ID); err != nil {
			return err
		}
	}
	if c.Deleted != nil && deleted == 0 {
		return errors.New("a deletion that is not one of the case's versions")
	}
	e.Uint(uint64(deleted))
	e.Uint(count(len(c.Transitions), c.Transitions == nil))
	for i := range c.Transitions {
		if err := w.transition(e, &c.Transitions[i]); err != nil {
			return err
		}
	}
	return nil
}

// count writes a slice's length plus one, or 0 for a nil slice: the walk
// leaves some cases' lists nil and others empty, and a decoded history
// must be the walk's to the byte (casebook doctor compares them).
func count(n int, isNil bool) uint64 {
	if isNil {
		return 0
	}
	return uint64(n) + 1
}

func (w *savedWriter) commitDates(e *encoder, ds []CommitDate) error {
	e.Uint(uint64(len(ds)))
	for _, d := range ds {
		ci, err := w.commit(d.Commit)
		if err != nil {
			return err
		}
		e.Uint(ci)
		w.time(e, d.At)
		w.time(e, d.ParentAt)
		e.Uint(w.str(d.Actor))
	}
	return nil
}

// encodeBlock encodes one block of h at head: the repository-wide lists
// and the cases ids (all of them when nil), as a length, a payload and a
// CRC-32C. The body (what refers to the tables) is encoded first, then the
// tables are written before it.
func encodeBlock(head, base hash, h *History, ids []string) ([]byte, error) {
	if ids == nil {
		ids = h.Order
		if len(h.Cases) != len(h.Order) {
			return nil, errors.New("the history's map and order disagree")
		}
	}
	w := newSavedWriter()
	var body encoder
	if err := w.commitDates(&body, h.Backdated); err != nil {
		return nil, err
	}
	body.Uint(uint64(h.Commits))
	body.Uint(w.str(h.Root))
	body.Uint(uint64(len(h.LateEntries)))
	for _, l := range h.LateEntries {
		ci, err := w.commit(l.Commit)
		if err != nil {
			return nil, err
		}
		body.Uint(ci)
		w.time(&body, l.At)
		w.time(&body, l.EnteredAt)
		body.Bool(l.Merge)
		if err := w.commitDates(&body, l.Brought); err != nil {
			return nil, err
		}
	}
	body.Uint(w.list(h.Shallow))
	body.Uint(uint64(len(h.Renumbered)))
	for _, r := range h.Renumbered {
		ci, err := w.commit(r.Commit)
		if err != nil {
			return nil, err
		}
		body.Uint(ci)
		body.Uint(w.str(r.From))
		body.Uint(w.str(r.To))
		w.time(&body, r.At)
		body.Uint(w.str(r.Actor))
		body.Uint(w.str(r.Email))
		body.Bool(r.Renamed)
	}
	body.Uint(uint64(len(h.Collisions)))
	for _, c := range h.Collisions {
		body.Uint(w.str(c.ID))
		body.Uint(uint64(len(c.Registrations)))
		for i := range c.Registrations {
			r := &c.Registrations[i]
			if err := w.version(&body, &r.Created, c.ID); err != nil {
				return nil, err
			}
			if err := w.version(&body, &r.Tip, c.ID); err != nil {
				return nil, err
			}
			body.Bool(r.Held)
		}
	}
	body.Uint(uint64(len(ids)))
	// The versions and transitions of all of them, so that a reader
	// allocates each array once and exactly.
	nv, nt := 0, 0
	for _, id := range ids {
		if c := h.Cases[id]; c != nil {
			nv, nt = nv+len(c.Versions), nt+len(c.Transitions)
		}
	}
	body.Uint(uint64(nv))
	body.Uint(uint64(nt))
	var ce encoder
	for _, id := range ids {
		c := h.Cases[id]
		if c == nil || c.ID != id {
			return nil, fmt.Errorf("case %s is missing from the history's map", id)
		}
		ce.B = ce.B[:0]
		if err := w.kase(&ce, c); err != nil {
			return nil, fmt.Errorf("case %s: %w", id, err)
		}
		body.Uint(uint64(len(ce.B)))
		body.B = append(body.B, ce.B...)
	}

	e := encoder{binfmt.Encoder{B: make([]byte, 8, 8+len(body.B)+len(w.strList)*24+len(w.comList)*20+1024)}}
	e.hash(head)
	e.hash(base)
	e.Uint(uint64(len(w.strList)))
	for _, s := range w.strList {
		e.Uint(uint64(len(s)))
	}
	for _, s := range w.strList {
		e.B = append(e.B, s...)
	}
	e.Uint(uint64(len(w.comList)))
	for _, h := range w.comList {
		e.hash(h)
	}
	e.Uint(uint64(len(w.zoneList)))
	for _, z := range w.zoneList {
		e.Int(int64(z))
	}
	for _, tab := range [][][]byte{w.listEnc, w.trailEnc} {
		e.Uint(uint64(len(tab)))
		for _, b := range tab[1:] {
			e.B = append(e.B, b...)
		}
	}
	e.B = append(e.B, body.B...)
	binary.LittleEndian.PutUint64(e.B, uint64(len(e.B)-8))
	return binary.LittleEndian.AppendUint32(e.B, crc32.Checksum(e.B[8:], crcTable)), nil
}

func savedHeader(key savedKey) []byte {
	e := encoder{binfmt.Encoder{B: []byte(savedMagic)}}
	key.encode(&e)
	return e.B
}

// savedReader holds the tables of one block of a saved history and
// decodes from them.
type savedReader struct {
	strData  string
	strOff   []uint32 // string i is strData[strOff[i]:strOff[i+1]]
	hexes    string   // every commit's name, 40 characters each (eager)
	comRaw   []byte   // or their hashes, 20 bytes each
	ncommits int
	zones    []*time.Location
	lists    table
	trails   table
	// Decoded lists, shared by the versions that refer to them: all of
	// them in an eager block.
	listsDone  [][]string
	trailsDone []Trailers
	body       []byte // from the repository-wide lists on
}

// savedHistory is a history-head.bin as read: its key, the HEAD of its
// last block, and its blocks, the first with every case and each later
// one with the cases that changed since.
type savedHistory struct {
	key    savedKey
	head   hash
	blocks []*savedReader
	size   int64 // of the file as read: a block is appended only to it
}

// maxBlocks is how many blocks a saved history may have before it is
// written anew as one.
const maxBlocks = 16

// openSaved checks b (a whole history-head.bin) against key (a zero
// key.head takes any HEAD; the caller compares) and decodes the blocks'
// tables. The strings it returns share one copy of each block's string
// table, so nothing of b is held.
func openSaved(b []byte, key savedKey, eager bool) (*savedHistory, error) {
	if !bytes.HasPrefix(b, []byte(savedMagic)) {
		return nil, errors.New("unknown header (another casebook version)")
	}
	d := &decoder{binfmt.Decoder{B: b[len(savedMagic):]}}
	sh := &savedHistory{size: int64(len(b))}
	k := &sh.key
	k.prefix = strings.Clone(d.Str())
	k.late = time.Duration(d.Int())
	k.shallow = strings.Clone(d.Str())
	if d.Err != nil {
		return nil, errors.New("does not decode")
	}
	if k.prefix != key.prefix || k.shallow != key.shallow && key.shallow != anyShallow || k.late != key.late && key.late != 0 {
		return nil, errStale
	}
	rest := d.B
	for len(rest) > 0 {
		if len(rest) < 8 {
			return nil, fmt.Errorf("block %d: truncated length", len(sh.blocks)+1)
		}
		n := binary.LittleEndian.Uint64(rest)
		if n > uint64(len(rest)-8) || uint64(len(rest)-8)-n < 4 {
			return nil, fmt.Errorf("block %d: truncated (a torn write)", len(sh.blocks)+1)
		}
		payload := rest[8 : 8+n]
		if crc32.Checksum(payload, crcTable) != binary.LittleEndian.Uint32(rest[8+n:]) {
			return nil, fmt.Errorf("block %d: checksum mismatch", len(sh.blocks)+1)
		}
		rest = rest[8+n+4:]
		pd := &decoder{binfmt.Decoder{B: payload}}
		prev := sh.head
		sh.head = pd.hash()
		// A block extends the HEAD of the block before it, which a run
		// that appended to a file another run had just replaced would
		// not: the file then holds two histories and is not used.
		if base := pd.hash(); base != prev {
			return nil, fmt.Errorf("block %d: extends %s, not the HEAD before it", len(sh.blocks)+1, base)
		}
		r, err := openBlock(pd, eager)
		if err != nil {
			return nil, fmt.Errorf("block %d: %w", len(sh.blocks)+1, err)
		}
		sh.blocks = append(sh.blocks, r)
	}
	if len(sh.blocks) == 0 {
		return nil, errors.New("no history in it")
	}
	if key.head != zeroHash && sh.head != key.head {
		return nil, errStale
	}
	return sh, nil
}

// openBlock finds the tables of one block. Eager (a whole read) decodes
// them all, copying the strings out of the file; otherwise (ReadCase,
// which decodes one case or a few) it only records where each entry
// starts and decodes what is asked for, sharing the file's bytes.
func openBlock(d *decoder, eager bool) (*savedReader, error) {
	r := &savedReader{}
	ns := d.Count(1)
	r.strOff = make([]uint32, ns+1)
	total := 0
	for i := 0; i < ns; i++ {
		total += int(d.Uint())
		r.strOff[i+1] = uint32(total)
	}
	if d.Err != nil || total > len(d.B) {
		return nil, errors.New("string table does not decode")
	}
	if eager {
		r.strData = string(d.B[:total])
	} else {
		r.strData = unsafe.String(unsafe.SliceData(d.B), total)
	}
	d.B = d.B[total:]
	nc := d.Count(20)
	if d.Err != nil || nc*20 > len(d.B) {
		return nil, errors.New("commit table does not decode")
	}
	r.comRaw, r.ncommits = d.B[:nc*20], nc
	if eager {
		hx := make([]byte, nc*40)
		for i := 0; i < nc; i++ {
			hex.Encode(hx[i*40:], d.B[i*20:i*20+20])
		}
		r.hexes = unsafe.String(unsafe.SliceData(hx), len(hx))
		r.comRaw = nil
	}
	d.B = d.B[nc*20:]
	nz := d.Count(1)
	r.zones = make([]*time.Location, nz)
	for i := range r.zones {
		r.zones[i] = time.FixedZone("", int(d.Int()))
	}
	for _, tab := range []*table{&r.lists, &r.trails} {
		n := d.Count(1)
		tab.raw, tab.off = d.B, make([]uint32, n)
		for i := 1; i < n && d.Err == nil; i++ {
			tab.off[i] = uint32(len(tab.raw) - len(d.B))
			m := d.Count(1)
			if tab == &r.trails {
				m *= 2
			}
			for j := 0; j < m; j++ {
				d.Uint()
			}
		}
		tab.raw = tab.raw[:len(tab.raw)-len(d.B)]
	}
	if d.Err != nil {
		return nil, errors.New("tables do not decode")
	}
	if eager {
		r.eagerLists()
	}
	r.body = d.B
	return r, nil
}

// table is a list table of a block: where each entry starts in raw
// (entry 0, the empty list, is not written).
type table struct {
	raw []byte
	off []uint32
}

// eagerLists decodes every key list and trailer list, shared by the
// versions that refer to them.
func (r *savedReader) eagerLists() {
	r.listsDone = make([][]string, len(r.lists.off))
	for i := 1; i < len(r.lists.off); i++ {
		r.listsDone[i] = r.decodeList(i)
	}
	r.trailsDone = make([]Trailers, len(r.trails.off))
	for i := 1; i < len(r.trails.off); i++ {
		r.trailsDone[i] = r.decodeTrailers(i)
	}
}

func (r *savedReader) decodeList(i int) []string {
	d := &decoder{binfmt.Decoder{B: r.lists.raw[r.lists.off[i]:]}}
	l := make([]string, d.Count(1))
	for j := range l {
		l[j] = r.str(d)
	}
	return l
}

func (r *savedReader) decodeTrailers(i int) Trailers {
	d := &decoder{binfmt.Decoder{B: r.trails.raw[r.trails.off[i]:]}}
	t := make(Trailers, d.Count(2))
	for j := range t {
		t[j] = Trailer{Key: r.str(d), Value: r.str(d)}
	}
	return t
}

var errStale = errors.New("saved for another HEAD")

// anyShallow as savedKey.shallow takes a file saved with any shallow
// boundary (casebook doctor checks the file without reading the clone's).
const anyShallow = "*"

func (r *savedReader) str(d *decoder) string {
	i := d.Uint()
	if i+1 >= uint64(len(r.strOff)) {
		d.Fail()
		return ""
	}
	return r.strData[r.strOff[i]:r.strOff[i+1]]
}

func (r *savedReader) commit(d *decoder) string {
	i := d.Uint()
	if i >= uint64(r.ncommits) {
		d.Fail()
		return ""
	}
	if r.hexes != "" {
		return r.hexes[i*40 : i*40+40]
	}
	return hex.EncodeToString(r.comRaw[i*20 : i*20+20])
}

func (r *savedReader) time(d *decoder) time.Time {
	z := d.Uint()
	if z == 0 {
		return time.Time{}
	}
	if z > uint64(len(r.zones)) {
		d.Fail()
		return time.Time{}
	}
	return time.Unix(d.Int(), 0).In(r.zones[z-1])
}

func (r *savedReader) list(d *decoder) []string {
	i := d.Uint()
	switch {
	case i == 0:
		return nil
	case i >= uint64(len(r.lists.off)):
		d.Fail()
		return nil
	case r.listsDone != nil:
		return r.listsDone[i]
	}
	return r.decodeList(int(i))
}

func (r *savedReader) trailers(d *decoder) Trailers {
	i := d.Uint()
	switch {
	case i == 0:
		return nil
	case i >= uint64(len(r.trails.off)):
		d.Fail()
		return nil
	case r.trailsDone != nil:
		return r.trailsDone[i]
	}
	return r.decodeTrailers(int(i))
}

func (r *savedReader) version(d *decoder, v *Version, caseID string) {
	f := d.Uint()
	if f&vOtherID != 0 {
		v.Snap.ID = r.str(d)
	}
	v.Commit = r.commit(d)
	v.At, v.CommittedAt, v.ParentAt = r.time(d), r.time(d), r.time(d)
	v.Actor, v.Email, v.Subject, v.Note = r.str(d), r.str(d), r.str(d), r.str(d)
	v.Trailers = r.trailers(d)
	v.Path = r.str(d)
	if f&vHasBlob != 0 {
		if len(d.B) < 20 {
			d.Fail()
			return
		}
		copy(v.Blob[:], d.B)
		d.B = d.B[20:]
	}
	v.Snap.Status = r.str(d)
	if len(d.B) < 8 {
		d.Fail()
		return
	}
	v.Snap.Body = binary.LittleEndian.Uint64(d.B)
	d.B = d.B[8:]
	v.Snap.Err = r.str(d)
	if f&vOwnID != 0 {
		v.Snap.ID = caseID
	}
	v.Changed, v.Replaced = r.list(d), r.list(d)
	v.Deleted, v.Readded, v.Merge = f&vDeleted != 0, f&vReadded != 0, f&vMerge != 0
	v.Signed, v.Shallow = f&vSigned != 0, f&vShallow != 0
}

func (r *savedReader) transition(d *decoder, t *Transition) {
	f := d.Uint()
	t.Commit = r.commit(d)
	t.At, t.CommittedAt, t.ParentAt = r.time(d), r.time(d), r.time(d)
	t.Actor, t.Email, t.From, t.To, t.Note, t.Path = r.str(d), r.str(d), r.str(d), r.str(d), r.str(d), r.str(d)
	t.Trailers = r.trailers(d)
	t.Changed = r.list(d)
	t.Merge, t.Signed, t.Shallow, t.Readded = f&tMerge != 0, f&tSigned != 0, f&tShallow != 0, f&tReadded != 0
}

// kase decodes one case; vs and ts, when long enough, provide its
// versions and transitions (carved, to allocate once for all cases).
func (r *savedReader) kase(d *decoder, vs *[]Version, ts *[]Transition) *Case {
	c := &Case{}
	c.ID = r.str(d)
	c.Path = r.str(d)
	nv, nilv := uncount(d)
	if !nilv {
		c.Versions = carve(vs, nv)
		if c.Versions == nil {
			c.Versions = []Version{}
		}
	}
	for i := range c.Versions {
		r.version(d, &c.Versions[i], c.ID)
	}
	if del := d.Uint(); del > 0 {
		if del > uint64(nv) {
			d.Fail()
			return c
		}
		c.Deleted = &c.Versions[del-1]
	}
	if nt, nilt := uncount(d); !nilt {
		c.Transitions = carve(ts, nt)
		if c.Transitions == nil {
			c.Transitions = []Transition{}
		}
	}
	for i := range c.Transitions {
		r.transition(d, &c.Transitions[i])
	}
	return c
}

// uncount reads what count wrote.
func uncount(d *decoder) (n int, isNil bool) {
	k := d.Uint()
	if k == 0 || d.Err != nil {
		return 0, true
	}
	if k-1 > uint64(len(d.B)/8) {
		d.Fail()
		return 0, true
	}
	return int(k - 1), false
}

func (r *savedReader) commitDates(d *decoder) []CommitDate {
	n := d.Count(3)
	if n == 0 {
		return nil
	}
	out := make([]CommitDate, n)
	for i := range out {
		out[i] = CommitDate{Commit: r.commit(d), At: r.time(d), ParentAt: r.time(d), Actor: r.str(d)}
	}
	return out
}

// whole decodes every case, or, when only is not nil, the cases it
// accepts (ReadCase): the others are skipped by their length.
func (sh *savedHistory) whole(only func(id string) bool) (*History, error) {
	h := &History{Head: sh.head.String()}
	for i, r := range sh.blocks {
		if err := r.decode(h, i == 0, only); err != nil {
			return nil, err
		}
	}
	if len(sh.blocks) > 1 {
		sort.Strings(h.Order)
	}
	return h, nil
}

// decode reads one block into h: its repository-wide lists replace h's,
// its cases replace or join h's.
func (r *savedReader) decode(h *History, first bool, only func(id string) bool) error {
	d := &decoder{binfmt.Decoder{B: r.body}}
	h.Backdated = r.commitDates(d)
	h.Commits = int(d.Uint())
	h.Root = r.str(d)
	h.LateEntries = nil
	if n := d.Count(4); n > 0 {
		h.LateEntries = make([]LateEntry, n)
		for i := range h.LateEntries {
			l := &h.LateEntries[i]
			l.Commit, l.At, l.EnteredAt, l.Merge = r.commit(d), r.time(d), r.time(d), d.Bool()
			l.Brought = r.commitDates(d)
		}
	}
	h.Shallow = r.list(d)
	h.Renumbered = nil
	if n := d.Count(6); n > 0 {
		h.Renumbered = make([]Renumbering, n)
		for i := range h.Renumbered {
			x := &h.Renumbered[i]
			x.Commit, x.From, x.To, x.At, x.Actor, x.Email, x.Renamed = r.commit(d), r.str(d), r.str(d), r.time(d), r.str(d), r.str(d), d.Bool()
		}
	}
	h.Collisions = nil
	if n := d.Count(2); n > 0 {
		h.Collisions = make([]Collision, n)
		for i := range h.Collisions {
			c := &h.Collisions[i]
			c.ID = r.str(d)
			c.Registrations = make([]Registration, d.Count(3))
			for j := range c.Registrations {
				g := &c.Registrations[j]
				r.version(d, &g.Created, c.ID)
				r.version(d, &g.Tip, c.ID)
				g.Held = d.Bool()
			}
		}
	}
	n := d.Count(2)
	nv, nt := d.Count(8), d.Count(8)
	if d.Err != nil {
		return errors.New("saved history does not decode")
	}
	if first {
		h.Cases = make(map[string]*Case, n)
		h.Order = make([]string, 0, n)
	}
	// One array of versions and one of transitions for all cases.
	var vs []Version
	var ts []Transition
	if only == nil {
		vs, ts = make([]Version, 0, nv), make([]Transition, 0, nt)
	}
	for i := 0; i < n && d.Err == nil; i++ {
		l := d.Count(1)
		if d.Err != nil || l > len(d.B) {
			return errors.New("saved history does not decode")
		}
		cb := d.B[:l]
		d.B = d.B[l:]
		if only != nil {
			cd := &decoder{binfmt.Decoder{B: cb}}
			if id := r.str(cd); cd.Err != nil || !only(id) {
				continue
			}
		}
		cd := &decoder{binfmt.Decoder{B: cb}}
		c := r.kase(cd, &vs, &ts)
		if cd.Err != nil || len(cd.B) != 0 {
			return fmt.Errorf("saved case %s does not decode", c.ID)
		}
		if _, ok := h.Cases[c.ID]; !ok {
			h.Order = append(h.Order, c.ID)
		}
		h.Cases[c.ID] = c
	}
	if d.Err != nil || len(d.B) != 0 {
		return errors.New("saved history does not decode")
	}
	return nil
}

// loadSaved reads dir/history-head.bin for key; see openSaved.
func loadSaved(dir string, key savedKey, eager bool) (*savedHistory, error) {
	if dir == "" {
		return nil, os.ErrNotExist
	}
	b, err := os.ReadFile(filepath.Join(dir, savedFile))
	if err != nil {
		return nil, err
	}
	return openSaved(b, key, eager)
}

// save writes h as the saved history for key, as one block; failing only
// costs speed next time.
func save(dir string, key savedKey, h *History) {
	if dir == "" {
		return
	}
	b, err := encodeBlock(key.head, zeroHash, h, nil)
	if err != nil {
		return
	}
	_ = binfmt.WriteAtomic(dir, savedFile, savedHeader(key), b)
}

// saveChanged appends to the file sh was read from a block with the cases
// ids of h, now at key.head, or writes h anew when the file has enough
// blocks or changed meanwhile.
func saveChanged(dir string, sh *savedHistory, key savedKey, h *History, ids []string) {
	if dir == "" {
		return
	}
	if len(sh.blocks) < maxBlocks && sh.key == (savedKey{prefix: key.prefix, late: key.late, shallow: key.shallow}) {
		sort.Strings(ids)
		b, err := encodeBlock(key.head, sh.head, h, ids)
		if err == nil && appendTo(filepath.Join(dir, savedFile), sh.size, b) {
			return
		}
	}
	save(dir, key, h)
}
