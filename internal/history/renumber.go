package history

import (
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/cases"
)

// TrailerRenumbered marks a commit that gives a case another id:
// `Casebook-Renumbered: OLD -> NEW`, as casebook renumber and casebook sync
// write it.
const TrailerRenumbered = "Casebook-Renumbered"

// ParseRenumbered reads the value of a Casebook-Renumbered trailer.
func ParseRenumbered(value string) (from, to string, ok bool) {
	from, to, ok = strings.Cut(value, "->")
	from, to = strings.TrimSpace(from), strings.TrimSpace(to)
	return from, to, ok && from != "" && to != "" && !strings.ContainsAny(from+to, " \t")
}

// RenumberedFrom returns the id a version of case id was renumbered from:
// set on the version a Casebook-Renumbered commit wrote under the new id.
func (v *Version) RenumberedFrom(id string) (string, bool) {
	for _, val := range v.Trailers.Get(TrailerRenumbered) {
		if from, to, ok := ParseRenumbered(val); ok && to == id {
			return from, true
		}
	}
	return "", false
}

// Renumbering is one case given another id by a Casebook-Renumbered commit.
type Renumbering struct {
	From, To     string
	Commit       string
	At           time.Time
	Actor, Email string
	// Renamed is set when the commit took the file of From away (casebook
	// renumber): the case To continues the case From, and its trail holds
	// the versions written under From. Otherwise the commit registered To
	// where another clone had registered From (casebook sync), or brought
	// back, under To, a registration of From that a merge had dropped.
	Renamed bool
}

// RenumberedFrom lists the renumberings that gave cases registered as id
// another id, in history order: where a case that no longer has it went,
// or where another clone's registration of it did.
func (h *History) RenumberedFrom(id string) []Renumbering {
	var out []Renumbering
	for _, r := range h.Renumbered {
		if r.From == id {
			out = append(out, r)
		}
	}
	return out
}

// Collision is one id registered more than once on independent lines of
// history: two clones each allocated it, and the lines were merged.
type Collision struct {
	ID string
	// Registrations are the independent creations of the id, in history
	// order, each with the last version on its own line.
	Registrations []Registration
}

// Registration is one creation of an id on its own line of history.
type Registration struct {
	Created, Tip Version
	// Held is set when a case file at HEAD holds this registration.
	Held bool
}

// renum is what the first pass of assemble found of a renumbering in one
// event: the id it came from and, for a rename, the path removed.
type renum struct {
	from    string
	path    string // the file of from the commit removed; "" when none
	renamed bool
}

// renumbered pairs the files of a commit that carries Casebook-Renumbered:
// the file it adds under the new id continues the one it removes under the
// old id, and is no new case; the removal is no deletion. A new file with
// the trailer and no removal is marked too: it may bring back a
// registration of the old id.
func renumbered(msg string, adds, dels []event) {
	if !strings.Contains(msg, TrailerRenumbered) {
		return
	}
	_, _, trailers := parseMessage(msg)
	for _, val := range trailers.Get(TrailerRenumbered) {
		from, to, ok := ParseRenumbered(val)
		if !ok || from == to {
			continue
		}
		for i := range adds {
			a := &adds[i]
			if a.id != to || a.old != nil || a.ren != nil {
				continue
			}
			a.ren = &renum{from: from}
			for j := range dels {
				if d := &dels[j]; d.id == from && d.deleted {
					a.old, a.ren.path, a.ren.renamed = d.old, d.path, true
					d.deleted = false // consumed: not a deletion
					break
				}
			}
			break
		}
	}
}

// lines answers questions of ancestry about the commits of one Read, for
// the rare cases that need them (renumberings and collisions): its maps
// are built on first use.
type lines struct {
	order  []*commitRec
	byHash map[hash]*commitRec
	byHex  map[string]int32
	// continued holds, by version key, the files a merge created that a
	// split found to continue a registration (a record kept beside the
	// other under a name of its own): they are no creations.
	continued map[string]bool
}

// idx is the position in order of a version's commit.
func (l *lines) idx(commit string) int32 {
	if l.byHex == nil {
		l.byHex = make(map[string]int32, len(l.order))
		for i, r := range l.order {
			l.byHex[r.Hash.String()] = int32(i)
		}
	}
	return l.byHex[commit]
}

// under reports whether commit a is b or an ancestor of b.
func (l *lines) under(a, b int32) bool {
	if a == b {
		return true
	}
	if a > b {
		return false // ancestors come first in order
	}
	if l.byHash == nil {
		l.byHash = make(map[hash]*commitRec, len(l.order))
		for _, r := range l.order {
			l.byHash[r.Hash] = r
		}
	}
	return ancestor(l.byHash, l.order[a], l.order[b])
}

// creations are the versions of c that created it: a transition from
// nothing, not a re-add, not a shallow clone's boundary.
func creations(c *Case) map[string]bool {
	out := map[string]bool{}
	for _, t := range c.Transitions {
		if t.From == "" && !t.Readded {
			out[versionKey(t.Commit, t.Path)] = true
		}
	}
	return out
}

func versionKey(commit, path string) string { return commit + "\x00" + path }

// registrations are the indices into c.Versions of its independent
// creations (none descends from another) among the versions up to commit
// limit (-1: all).
func (l *lines) registrations(c *Case, created map[string]bool, limit int32) []int {
	var out []int
	for i := range c.Versions {
		v := &c.Versions[i]
		if v.Deleted || v.Shallow || !created[versionKey(v.Commit, v.Path)] {
			continue
		}
		vi := l.idx(v.Commit)
		if limit >= 0 && !l.under(vi, limit) {
			continue
		}
		root := true
		for _, j := range out {
			if l.under(l.idx(c.Versions[j].Commit), vi) {
				root = false
				break
			}
		}
		if root {
			out = append(out, i)
		}
	}
	return out
}

// owner tells which of the registrations regs (indices into c.Versions) a
// version holds: the one it descends from alone; after the lines met, the
// one whose own versions it equals, or else most resembles (see likeness);
// -1 when that cannot be told.
func (l *lines) owner(c *Case, regs []int, at int32, s *Snapshot, blob hash, snap func(hash) (*Snapshot, error)) int {
	var from []int
	for k, ri := range regs {
		if l.under(l.idx(c.Versions[ri].Commit), at) {
			from = append(from, k)
		}
	}
	if len(from) == 1 {
		return from[0]
	}
	best, bestScore, tie := -1, -1, false
	for _, k := range from {
		tip := l.tip(c, regs, k, at)
		if tip < 0 {
			continue
		}
		for i := tip; i >= 0; i-- { // the same bytes as a version of its own line
			v := &c.Versions[i]
			if !v.Deleted && v.Blob == blob && l.exclusive(c, regs, i) == k {
				return k
			}
		}
		ts, err := snap(c.Versions[tip].Blob)
		if err != nil {
			continue
		}
		switch sc := likeness(s, ts); {
		case sc > bestScore:
			best, bestScore, tie = k, sc, false
		case sc == bestScore:
			tie = true
		}
	}
	if tie {
		return -1
	}
	return best
}

// exclusive is the registration version i descends from alone, -1 when it
// descends from several.
func (l *lines) exclusive(c *Case, regs []int, i int) int {
	vi := l.idx(c.Versions[i].Commit)
	found := -1
	for k, ri := range regs {
		if l.under(l.idx(c.Versions[ri].Commit), vi) {
			if found >= 0 {
				return -1
			}
			found = k
		}
	}
	return found
}

// tip is the index of the last version of registration k on its own line
// up to commit at; -1 when there is none.
func (l *lines) tip(c *Case, regs []int, k int, at int32) int {
	for i := len(c.Versions) - 1; i >= 0; i-- {
		v := &c.Versions[i]
		if !v.Deleted && l.under(l.idx(v.Commit), at) && l.exclusive(c, regs, i) == k {
			return i
		}
	}
	return -1
}

// likeness counts the front-matter keys two versions spell alike, the id
// aside, and one more for the same body.
func likeness(a, b *Snapshot) int {
	var ba, bb []KeyHash
	ka, kb := a.keyList(&ba), b.keyList(&bb)
	n, j := 0, 0
	for _, x := range ka {
		for j < len(kb) && kb[j].Key < x.Key {
			j++
		}
		if j < len(kb) && kb[j].Key == x.Key && kb[j].Hash == x.Hash && x.Key != "id" {
			n++
		}
	}
	if a.Body == b.Body {
		n++
	}
	return n
}

// split moves to case to the versions of case from that the renumbering
// at commit at takes along: all of from's versions up to it when only one
// registration of from leads there; when several do (a collision merged
// before it), those of the registration the renumbered file holds, and,
// for a rename, the versions of that file since the lines met. It reports
// whether from keeps versions of its own.
func (l *lines) split(from, to *Case, at int32, ren *renum, s *Snapshot, blob hash, capacity int, snap func(hash) (*Snapshot, error)) (moved, kept bool) {
	created := creations(from)
	regs := l.registrations(from, created, at)
	take := make([]bool, len(from.Versions))
	switch {
	case len(regs) == 0 || len(regs) == 1 && !ren.renamed:
		return false, true // from never lived on this line, or nothing to bring back
	case len(regs) == 1:
		for i := range from.Versions {
			take[i] = l.under(l.idx(from.Versions[i].Commit), at)
		}
	default:
		k := -1
		if ren.renamed {
			for i := len(from.Versions) - 1; i >= 0; i-- {
				v := &from.Versions[i]
				if v.Path == ren.path && !v.Deleted && l.under(l.idx(v.Commit), at) {
					if vs, err := snap(v.Blob); err == nil {
						k = l.owner(from, regs, l.idx(v.Commit), vs, v.Blob, snap)
					}
					break
				}
			}
		} else {
			k = l.owner(from, regs, at, s, blob, snap)
		}
		for i := range from.Versions {
			v := &from.Versions[i]
			if !l.under(l.idx(v.Commit), at) {
				continue
			}
			switch ex := l.exclusive(from, regs, i); {
			case k >= 0 && ex == k:
				take[i] = true
			case ex < 0 && ren.renamed && v.Path == ren.path:
				take[i] = true // the renumbered file since the lines met
				if k >= 0 && created[versionKey(v.Commit, v.Path)] {
					if l.continued == nil {
						l.continued = map[string]bool{}
					}
					l.continued[versionKey(v.Commit, v.Path)] = true
				}
			}
		}
	}
	if !slices.Contains(take, true) {
		return false, true
	}
	vs := make([]Version, 0, capacity)
	n := 0
	for i, v := range from.Versions {
		if take[i] {
			vs = append(vs, v)
		} else {
			from.Versions[n] = v
			n++
		}
	}
	from.Versions = from.Versions[:n]
	to.Versions = append(vs, to.Versions...)
	if n == 0 {
		// The whole case goes: its transitions are the new id's as they are.
		ts := make([]Transition, 0, len(from.Transitions)+len(to.Transitions)+capacity)
		to.Transitions = append(append(ts, from.Transitions...), to.Transitions...)
		from.Transitions = from.Transitions[:0]
		return true, false
	}
	return true, true
}

// retrace rebuilds a case's transitions from its versions, after a split
// took some of them away: each version that changes the status of the one
// before it is a transition, and so is each creation (created, by version
// key), which keeps From "".
func (l *lines) retrace(c *Case, created map[string]bool) {
	ts := make([]Transition, 0, len(c.Versions))
	prev := ""
	for _, v := range c.Versions {
		if v.Deleted {
			continue
		}
		from := prev
		key := versionKey(v.Commit, v.Path)
		isNew := created[key] && !l.continued[key]
		if isNew {
			from = ""
		}
		if isNew || v.Snap.Status != prev || len(ts) == 0 {
			ts = append(ts, Transition{
				At: v.At, Actor: v.Actor, Email: v.Email, From: from, To: v.Snap.Status,
				Commit: v.Commit, Note: v.Note, Path: v.Path, Trailers: v.Trailers, Changed: v.Changed,
				Merge: v.Merge, Signed: v.Signed, Shallow: v.Shallow, Readded: v.Readded, ParentAt: v.ParentAt,
			})
		}
		prev = v.Snap.Status
	}
	c.Transitions = ts
}

// collisions finds the ids of cases registered on independent lines.
func (l *lines) collisions(h *History, atHead []change, snap func(hash) (*Snapshot, error)) []Collision {
	var out []Collision
	for _, id := range h.Order {
		c := h.Cases[id]
		n := 0
		for _, t := range c.Transitions {
			if t.From == "" && !t.Readded && !t.Shallow {
				n++
			}
		}
		if n < 2 {
			continue
		}
		regs := l.registrations(c, creations(c), -1)
		if len(regs) < 2 {
			continue
		}
		col := Collision{ID: id}
		last := int32(len(l.order) - 1)
		for k, ri := range regs {
			r := Registration{Created: c.Versions[ri], Tip: c.Versions[ri]}
			if t := l.tip(c, regs, k, last); t >= 0 {
				r.Tip = c.Versions[t]
			}
			col.Registrations = append(col.Registrations, r)
		}
		// Which registrations the files at HEAD hold: the last version at
		// each of the id's paths there.
		for _, x := range atHead {
			s, err := snap(x.Blob)
			if err != nil || (s.ID != id && (s.ID != "" || cases.StemID(x.Path) != id)) {
				continue
			}
			for i := len(c.Versions) - 1; i >= 0; i-- {
				v := &c.Versions[i]
				if v.Path == x.Path && !v.Deleted {
					if k := l.owner(c, regs, l.idx(v.Commit), s, x.Blob, snap); k >= 0 {
						col.Registrations[k].Held = true
					}
					break
				}
			}
		}
		out = append(out, col)
	}
	return out
}
