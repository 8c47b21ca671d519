package history

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/cases"
)

// maxExtend is how many commits past a saved history extend applies; a
// longer way (a clone that fetched a month of work) takes the full walk,
// which also refreshes history.bin.
const maxExtend = 256

// plainCommit is a commit on top of a saved history that extend can apply
// without the full walk: one parent, not a shallow boundary, no
// renumbering, and only changes that keep a file's id or add a file of a
// new id.
type plainCommit struct {
	r         *commitRec
	parentSec int64
	parentOff int32
	evs       []plainEvent // sorted by path, as assemble orders a commit's events
}

type plainEvent struct {
	id, path  string
	blob      hash
	snap, old *Snapshot // old is nil for a new file
}

// plainChain returns the commits from base (exclusive) to head, oldest
// first, or ok false when the way from one to the other is not a short
// run of plain commits: a merge, a shallow boundary, a renumbering, a
// deleted or renamed file, an id edited, two files of one id in a commit,
// a bundle made or unmade (bundleMade).
func plainChain(objs *objectStore, d *differ, head, base hash, shallow map[hash]bool) (chain []plainCommit, ok bool, err error) {
	read := func(h hash) (*commitRec, error) {
		typ, b, err := objs.readOnce(h)
		if err != nil {
			return nil, err
		}
		if typ != objCommit {
			return nil, fmt.Errorf("object %s is not a commit", h)
		}
		return parseCommit(h, b)
	}
	var recs []*commitRec
	cur := head
	for cur != base {
		if len(recs) == maxExtend || shallow[cur] {
			return nil, false, nil
		}
		r, err := read(cur)
		if err != nil {
			return nil, false, err
		}
		if len(r.Parents) != 1 || strings.Contains(r.Message, TrailerRenumbered) {
			return nil, false, nil
		}
		recs = append(recs, r)
		cur = r.Parents[0]
	}
	if len(recs) == 0 {
		return nil, true, nil
	}
	parent, err := read(base)
	if err != nil {
		return nil, false, err
	}
	idOf := func(b hash, path string) (string, *Snapshot, error) {
		s, err := objs.snapshot(b)
		if err != nil {
			return "", nil, err
		}
		if s.ID != "" {
			return s.ID, &s, nil
		}
		return cases.StemID(path), &s, nil
	}
	for i := len(recs) - 1; i >= 0; i-- {
		r := recs[i]
		chs, err := d.changes(r.Tree, []hash{parent.Tree})
		if err != nil {
			return nil, false, fmt.Errorf("diff commit %s: %w", r.Hash, err)
		}
		sort.Slice(chs, func(i, j int) bool { return chs[i].Path < chs[j].Path })
		if bundleMade(chs) {
			return nil, false, nil
		}
		pc := plainCommit{r: r, parentSec: parent.CommitSec, parentOff: parent.CommitOff}
		seen := map[string]bool{}
		for _, x := range chs {
			if x.Blob == zeroHash {
				return nil, false, nil
			}
			id, snap, err := idOf(x.Blob, x.Path)
			if err != nil {
				return nil, false, fmt.Errorf("read %s in commit %s: %w", x.Path, r.Hash, err)
			}
			ev := plainEvent{id: id, path: x.Path, blob: x.Blob, snap: snap}
			if x.Old != zeroHash {
				oldID, old, err := idOf(x.Old, x.Path)
				if err != nil {
					return nil, false, fmt.Errorf("read %s before commit %s: %w", x.Path, r.Hash, err)
				}
				if oldID != id {
					return nil, false, nil
				}
				ev.old = old
			}
			if seen[id] {
				return nil, false, nil
			}
			seen[id] = true
			pc.evs = append(pc.evs, ev)
		}
		chain = append(chain, pc)
		parent = r
	}
	return chain, true, nil
}

// touched lists the ids the chain's commits change.
func touched(chain []plainCommit) map[string]bool {
	m := map[string]bool{}
	for _, pc := range chain {
		for _, e := range pc.evs {
			m[e.id] = true
		}
	}
	return m
}

// extend applies chain to h, the saved history at the chain's base, as
// assemble would have built it at the chain's head. h must hold every
// case the chain touches that the saved history has. It reports false,
// leaving h to be dropped, when a change is one that assemble resolves
// with knowledge of the whole history: a new file of an id that exists
// (a re-added or twin case), a change of a case that was deleted,
// renumbered or registered twice.
func extend(h *History, head hash, chain []plainCommit, late time.Duration) bool {
	special := map[string]bool{}
	for _, c := range h.Collisions {
		special[c.ID] = true
	}
	for _, r := range h.Renumbered {
		special[r.From], special[r.To] = true, true
	}
	own := strs{}
	changed := newChangedLists()
	var oldBuf, curBuf []KeyHash
	at := clock()
	var added []string
	w := int64(late / time.Second)
	for _, pc := range chain {
		r := pc.r
		if r.CommitSec < pc.parentSec-int64(ClockSkew/time.Second) {
			h.Backdated = append(h.Backdated, CommitDate{Commit: r.Hash.String(), At: at(r.CommitSec, r.CommitOff),
				ParentAt: at(pc.parentSec, pc.parentOff), Actor: r.Author})
		}
		if late > 0 && r.AuthorSec < r.CommitSec-w {
			h.LateEntries = append(h.LateEntries, LateEntry{Commit: r.Hash.String(), At: at(r.AuthorSec, r.AuthorOff), EnteredAt: at(r.CommitSec, r.CommitOff)})
		}
		if len(pc.evs) == 0 {
			continue
		}
		subject, note, trailers := parseMessage(r.Message)
		for i := range trailers {
			trailers[i] = Trailer{Key: own.get(trailers[i].Key), Value: own.get(trailers[i].Value)}
		}
		commit := r.Hash.String()
		atTime, commitAt, parentAt := at(r.AuthorSec, r.AuthorOff), at(r.CommitSec, r.CommitOff), at(pc.parentSec, pc.parentOff)
		actor, email := own.get(r.Author), own.get(r.Email)
		for _, e := range pc.evs {
			if special[e.id] {
				return false
			}
			c := h.Cases[e.id]
			switch {
			case c != nil && (e.old == nil || c.Deleted != nil):
				return false
			case c == nil && e.old != nil:
				return false // a file whose case the saved history does not know
			case c == nil:
				c = &Case{ID: e.id, Path: e.path}
				h.Cases[e.id] = c
				added = append(added, e.id)
			}
			v := Version{
				Commit: commit, At: atTime, CommittedAt: commitAt,
				Actor: actor, Email: email, Subject: subject, Note: note, Trailers: trailers,
				Path: e.path, Blob: e.blob, Signed: r.Signed, ParentAt: parentAt,
			}
			v.fill(c.ID, e.snap, e.old, changed, own, &oldBuf, &curBuf)
			c.Versions = append(c.Versions, v)
			if e.old == nil || e.old.Status != e.snap.Status {
				from := ""
				if e.old != nil {
					from = own.get(e.old.Status)
				}
				c.Transitions = append(c.Transitions, v.Transition(from, v.Snap.Status))
			}
		}
	}
	h.Head = head.String()
	h.Commits += len(chain)
	if len(added) > 0 {
		h.Order = append(h.Order, added...)
		sort.Strings(h.Order)
	}
	return true
}
