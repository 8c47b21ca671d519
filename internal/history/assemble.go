package history

import (
	"encoding/hex"
	"slices"
	"sort"
	"strings"
	"time"
	"unsafe"

	"github.com/casebook/casebook/internal/cases"
)

// event is one change of one case inside a commit, with identity resolved.
type event struct {
	id      string
	path    string
	snap    *Snapshot // of the new blob; nil when deleted
	blob    hash      // the new blob; zero when deleted
	old     *Snapshot // of the previous version of this case; nil for a new case
	deleted bool
	readded bool  // a new file of a case deleted earlier
	trans   bool  // the version is also a transition
	commit  int32 // index in order
	cas     int32 // index of the case in assemble's list
	ren     *renum
}

// assemble turns the diffed commits into per-case versions and transitions.
// It runs on one goroutine and builds every time.Time itself, so a record
// from the cache and one from git give identical results.
//
// A first pass resolves which case every change belongs to and counts, so
// that the second can carve every case's versions and transitions out of
// two exactly sized arrays: growing twenty thousand slices one append at a
// time cost more garbage than the versions themselves.
//
// extra lists, by position in order, the files of merge commits to judge
// against a parent besides the first (see mergeSides): each becomes a
// version of its own, changed from that parent's version.
func assemble(h *History, order []*commitRec, atHead []change, extra map[int32][]side, snap func(hash) (*Snapshot, error)) error {
	own := strs{}
	idOf := func(b hash, path string) (string, *Snapshot, error) {
		s, err := snap(b)
		if err != nil {
			return "", nil, err
		}
		if s.ID != "" {
			return s.ID, s, nil
		}
		return cases.StemID(path), s, nil
	}
	type tally struct {
		c      *Case
		nv, nt int
	}
	index := make(map[string]int32, len(atHead))
	var cases []tally
	caseOf := func(id string) int32 {
		i, ok := index[id]
		if !ok {
			id = own.get(id) // out of the cache; shared with the trailers
			i = int32(len(cases))
			index[id] = i
			cases = append(cases, tally{c: &Case{ID: id}})
		}
		return i
	}

	// gone holds, for a case whose file was deleted, its last version
	// before the deletion: a later file with its id is the case again, and
	// its state is judged as a move from that one, never as a new case.
	gone := map[int32]*Snapshot{}
	changes := 0
	for _, r := range order {
		changes += len(r.Changes)
	}
	// One event per change, but for the rare file whose id was edited.
	evs := make([]event, 0, changes)
	var adds, dels []event
	for ri, r := range order {
		sides := extra[int32(ri)]
		if len(r.Changes) == 0 && len(sides) == 0 {
			continue
		}
		adds, dels = adds[:0], dels[:0]
		for _, x := range r.Changes {
			var oldID, newID string
			var oldSnap, newSnap *Snapshot
			var err error
			if x.Old != zeroHash {
				if oldID, oldSnap, err = idOf(x.Old, x.Path); err != nil {
					return err
				}
			}
			if x.Blob != zeroHash {
				if newID, newSnap, err = idOf(x.Blob, x.Path); err != nil {
					return err
				}
			}
			switch {
			case x.Blob == zeroHash:
				dels = append(dels, event{id: oldID, path: x.Path, old: oldSnap, deleted: true})
			case x.Old != zeroHash && oldID == newID:
				adds = append(adds, event{id: newID, path: x.Path, snap: newSnap, blob: x.Blob, old: oldSnap})
			default:
				// A new file, or a file whose id was edited: the old id is
				// gone from this path.
				adds = append(adds, event{id: newID, path: x.Path, snap: newSnap, blob: x.Blob})
				if x.Old != zeroHash {
					dels = append(dels, event{id: oldID, path: x.Path, old: oldSnap, deleted: true})
				}
			}
		}
		for _, sd := range sides {
			oldID, oldSnap, err := idOf(sd.Old, sd.Path)
			if err != nil {
				return err
			}
			if sd.Blob == zeroHash {
				// The merge dropped the file that side had, unless the
				// case lives on at another path.
				moved := false
				for _, a := range adds {
					moved = moved || a.id == oldID
				}
				if !moved {
					dels = append(dels, event{id: oldID, path: sd.Path, old: oldSnap, deleted: true})
				}
				continue
			}
			newID, newSnap, err := idOf(sd.Blob, sd.Path)
			if err != nil {
				return err
			}
			if newID == oldID {
				adds = append(adds, event{id: newID, path: sd.Path, snap: newSnap, blob: sd.Blob, old: oldSnap})
			}
		}
		renumbered(r.Message, adds, dels)
		// A path that disappears while a file with the same id appears is a
		// move: the case continues from the old file.
		for i := range adds {
			if adds[i].old != nil {
				continue
			}
			for j := range dels {
				if dels[j].id == adds[i].id && dels[j].deleted {
					adds[i].old = dels[j].old
					dels[j].deleted = false // consumed
					break
				}
			}
		}
		start := len(evs)
		evs = append(evs, adds...)
		for _, d := range dels {
			if d.deleted {
				evs = append(evs, d)
			}
		}
		mine := evs[start:]
		sort.SliceStable(mine, func(i, j int) bool { return mine[i].path < mine[j].path })
		for i := range mine {
			e := &mine[i]
			e.commit, e.cas = int32(ri), caseOf(e.id)
			switch {
			case e.deleted:
				gone[e.cas] = e.old
			case e.old == nil && gone[e.cas] != nil:
				e.old, e.readded = gone[e.cas], true
				delete(gone, e.cas)
			default:
				delete(gone, e.cas)
			}
			t := &cases[e.cas]
			t.nv++
			if e.trans = !e.deleted && (e.old == nil || e.old.Status != e.snap.Status); e.trans {
				t.nt++
			}
		}
	}

	nv, nt := 0, 0
	for _, t := range cases {
		nv, nt = nv+t.nv, nt+t.nt
	}
	vs, ts := make([]Version, nv), make([]Transition, nt)
	for _, t := range cases {
		t.c.Versions, vs = vs[:0:t.nv], vs[t.nv:]
		t.c.Transitions, ts = ts[:0:t.nt], ts[t.nt:]
	}

	at := clock()
	// What every version of one commit shares.
	var (
		cur              int32 = -1
		r                *commitRec
		commit           string
		subject, note    string
		trailers         Trailers
		atTime, commitAt time.Time
		parentAt         time.Time
		actor, email     string
	)
	changed := newChangedLists()
	var text chunks
	var oldBuf, curBuf []KeyHash // key lists unpacked from the cache
	// Renumberings: the cases they split (whose transitions are retraced)
	// and those they took away whole.
	l := &lines{order: order}
	var touched, emptied map[int32]bool
	for _, e := range evs {
		if e.commit != cur {
			cur, r = e.commit, order[e.commit]
			// Versions keep copies of what they show of the message, not
			// the message: the trailers' keys and values mostly repeat
			// (case ids, moves), so they are shared.
			subject, note, trailers = parseMessage(r.Message)
			subject, note = text.keep(subject), text.keep(note)
			for i := range trailers {
				trailers[i] = Trailer{Key: own.get(trailers[i].Key), Value: own.get(trailers[i].Value)}
			}
			commit = text.hex(r.Hash)
			atTime, commitAt = at(r.AuthorSec, r.AuthorOff), at(r.CommitSec, r.CommitOff)
			parentAt = time.Time{}
			if len(r.Parents) > 0 && !r.shallow {
				parentAt = at(r.parentSec, r.parentOff)
			}
			actor, email = own.get(r.Author), own.get(r.Email)
		}
		c := cases[e.cas].c
		if e.ren != nil {
			if oi, ok := index[e.ren.from]; ok && oi != e.cas {
				old := cases[oi].c
				moved, kept := l.split(old, c, e.commit, e.ren, e.snap, e.blob, cases[e.cas].nv, snap)
				switch {
				case moved && kept:
					if touched == nil {
						touched = map[int32]bool{}
					}
					touched[oi], touched[e.cas] = true, true
				case moved:
					if emptied == nil {
						emptied = map[int32]bool{}
					}
					emptied[oi] = true
				}
				if moved && !e.ren.renamed && e.old == nil {
					// A registration brought back under the new id: its
					// last version is what this one continues.
					for i := len(c.Versions) - 1; i >= 0; i-- {
						if v := &c.Versions[i]; !v.Deleted {
							s, err := snap(v.Blob)
							if err != nil {
								return err
							}
							e.old = s
							break
						}
					}
					e.trans = e.old != nil && e.old.Status != e.snap.Status
				}
			}
		}
		path := c.Path
		if path != e.path {
			path = strings.Clone(e.path) // the case's first path, or a move
		}
		v := Version{
			Commit: commit, At: atTime, CommittedAt: commitAt,
			Actor: actor, Email: email,
			Subject: subject, Note: note, Trailers: trailers,
			Path: path, Blob: e.blob, Deleted: e.deleted, Readded: e.readded,
			Merge: len(r.Parents) > 1, Signed: r.Signed, Shallow: r.shallow, ParentAt: parentAt,
		}
		if !e.deleted {
			v.fill(c.ID, e.snap, e.old, changed, own, &oldBuf, &curBuf)
		}
		c.Path = v.Path
		c.Versions = append(c.Versions, v)
		if e.ren != nil {
			h.Renumbered = append(h.Renumbered, Renumbering{From: own.get(e.ren.from), To: c.ID, Commit: v.Commit, At: v.At,
				Actor: v.Actor, Email: v.Email, Renamed: e.ren.renamed})
		}
		if e.trans {
			from := ""
			if e.old != nil {
				from = own.get(e.old.Status)
			}
			t := v.Transition(from, v.Snap.Status)
			t.Readded = v.Readded
			c.Transitions = append(c.Transitions, t)
		}
	}

	// Cases with a file at HEAD take its path; the others were deleted.
	head := make(map[string]string, len(atHead))
	for _, x := range atHead {
		id, _, err := idOf(x.Blob, x.Path)
		if err != nil {
			return err
		}
		if p, ok := head[id]; !ok || x.Path < p {
			head[id] = x.Path
		}
	}
	for id, p := range head {
		// Also a case whose history the walk missed (shallow clone).
		if c := cases[caseOf(id)].c; c.Path != p {
			c.Path = strings.Clone(p)
		}
	}
	if touched != nil {
		// Which versions created their case, over all the cases a split
		// touched: a creation moved to another case stays one.
		created := map[string]bool{}
		for i := range touched {
			for k := range creations(cases[i].c) {
				created[k] = true
			}
		}
		for i := range touched {
			l.retrace(cases[i].c, created)
		}
	}
	h.Cases = make(map[string]*Case, len(cases))
	h.Order = make([]string, 0, len(cases))
	for i, t := range cases {
		c := t.c
		if _, ok := head[c.ID]; !ok && emptied[int32(i)] && len(c.Versions) == 0 {
			continue // renumbered: the case goes on under its new id
		}
		h.Cases[c.ID] = c
		h.Order = append(h.Order, c.ID)
		if _, ok := head[c.ID]; ok {
			continue
		}
		for i := len(c.Versions) - 1; i >= 0; i-- {
			if c.Versions[i].Deleted {
				c.Deleted = &c.Versions[i]
				c.Path = c.Versions[i].Path
				break
			}
		}
	}
	sort.Strings(h.Order)
	h.Collisions = l.collisions(h, atHead, snap)
	return nil
}

// clock returns a function that builds git's times, one location per
// zone offset.
func clock() func(sec int64, off int32) time.Time {
	zones := map[int32]*time.Location{}
	return func(sec int64, off int32) time.Time {
		loc, ok := zones[off]
		if !ok {
			loc = time.FixedZone("", int(off))
			zones[off] = loc
		}
		return time.Unix(sec, 0).In(loc)
	}
}

// fill sets the snapshot of v, a version of case id, from s, and the keys
// it changed from old, the previous version's snapshot (nil for a new
// file). The buffers hold key lists unpacked from the cache.
func (v *Version) fill(id string, s, old *Snapshot, changed *changedLists, own strs, oldBuf, curBuf *[]KeyHash) {
	var prev []KeyHash
	if old != nil {
		prev = old.keyList(oldBuf)
	}
	// The case was found by the snapshot's id when it has one.
	if s.ID == "" {
		id = ""
	}
	v.Snap = Snapshot{ID: id, Status: own.get(s.Status), Body: s.Body, Err: own.get(s.Err)}
	cur := s.keyList(curBuf)
	v.Changed = changed.of(prev, cur, own)
	if old != nil && len(v.Changed) > 0 {
		v.Replaced = changed.replaced(prev, cur, own)
	}
}

// chunks holds the strings that are unique to one commit (subjects,
// notes, commit names), packed into large blocks rather than allocated one
// by one: a third of a million of them saves a size class's rounding and
// an object header each.
type chunks struct{ b []byte }

func (c *chunks) grow(n int) []byte {
	if n > cap(c.b)-len(c.b) {
		c.b = make([]byte, 0, max(n, 256<<10))
	}
	start := len(c.b)
	c.b = c.b[:start+n]
	return c.b[start : start+n : start+n]
}

// keep returns a copy of s. The block is only ever appended to, so the
// copy never changes.
func (c *chunks) keep(s string) string {
	if s == "" {
		return ""
	}
	b := c.grow(len(s))
	copy(b, s)
	return unsafe.String(&b[0], len(b))
}

// hex returns h in hexadecimal, as h.String() does.
func (c *chunks) hex(h hash) string {
	b := c.grow(2 * len(h))
	hex.Encode(b, h[:])
	return unsafe.String(&b[0], len(b))
}

// strs copies the strings that versions keep out of the buffers they were
// read from (the cache file, commit objects), once per distinct value: the
// cache file, 40 MB for 70,000 commits, is then freed when Read returns,
// and the thousands of versions by one clerk share one name.
type strs map[string]string

func (t strs) get(s string) string {
	if s == "" {
		return ""
	}
	if c, ok := t[s]; ok {
		return c
	}
	c := strings.Clone(s)
	t[c] = c
	return c
}

// changedLists hands out the Changed lists of versions, one slice for
// every distinct list: a new file lists all its keys, and across a third
// of a million versions the same few dozen lists come back (all the keys
// of a new case, status and assignee, status alone ...). Callers only read
// Version.Changed, so versions can share it.
type changedLists struct {
	lists map[string][]string // by the keys joined with NULs
	buf   []string
	key   []byte
}

func newChangedLists() *changedLists { return &changedLists{lists: map[string][]string{}} }

// of lists the keys whose fingerprints differ between old and cur, sorted.
func (c *changedLists) of(old, cur []KeyHash, own strs) []string {
	n := diffKeys(old, cur, nil)
	if n == 0 {
		return nil
	}
	c.buf = slices.Grow(c.buf[:0], n)[:n]
	diffKeys(old, cur, c.buf)
	c.key = c.key[:0]
	for _, k := range c.buf {
		c.key = append(append(c.key, k...), 0)
	}
	if l, ok := c.lists[string(c.key)]; ok {
		return l
	}
	l := make([]string, n)
	for i, k := range c.buf {
		l[i] = own.get(k)
	}
	c.lists[string(c.key)] = l
	return l
}

// replaced lists the keys of old whose fingerprints differ in cur or that
// cur lacks, sorted, sharing lists as of does.
func (c *changedLists) replaced(old, cur []KeyHash, own strs) []string {
	c.buf = c.buf[:0]
	j := 0
	for _, o := range old {
		for j < len(cur) && cur[j].Key < o.Key {
			j++
		}
		if j == len(cur) || cur[j].Key != o.Key || cur[j].Hash != o.Hash {
			c.buf = append(c.buf, o.Key)
		}
	}
	if len(c.buf) == 0 {
		return nil
	}
	c.key = append(c.key[:0], 1) // apart from the lists of of
	for _, k := range c.buf {
		c.key = append(append(c.key, k...), 0)
	}
	if l, ok := c.lists[string(c.key)]; ok {
		return l
	}
	l := make([]string, len(c.buf))
	for i, k := range c.buf {
		l[i] = own.get(k)
	}
	c.lists[string(c.key)] = l
	return l
}

// diffKeys counts the keys whose fingerprints differ between old and cur
// and, unless out is nil, writes them to out in order.
func diffKeys(old, cur []KeyHash, out []string) int {
	n := 0
	found := func(k string) {
		if out != nil {
			out[n] = k
		}
		n++
	}
	i, j := 0, 0
	for i < len(old) || j < len(cur) {
		switch {
		case j == len(cur) || (i < len(old) && old[i].Key < cur[j].Key):
			found(old[i].Key)
			i++
		case i == len(old) || cur[j].Key < old[i].Key:
			found(cur[j].Key)
			j++
		default:
			if old[i].Hash != cur[j].Hash {
				found(cur[j].Key)
			}
			i++
			j++
		}
	}
	return n
}
