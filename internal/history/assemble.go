package history

import (
	"sort"
	"time"
)

// event is one change of one case inside a commit, with identity resolved.
type event struct {
	id      string
	path    string
	blob    hash
	snap    Snapshot
	old     hash // the previous version of this case; zero for a new case
	oldSnap Snapshot
	deleted bool
}

// assemble turns the diffed commits into per-case versions and transitions.
// It runs on one goroutine and builds every time.Time itself, so a record
// from the cache and one from git give identical results.
func assemble(h *History, order []*commitRec, atHead []change, snap func(hash) (Snapshot, error)) error {
	zones := map[int32]*time.Location{}
	at := func(sec int64, off int32) time.Time {
		loc, ok := zones[off]
		if !ok {
			loc = time.FixedZone("", int(off))
			zones[off] = loc
		}
		return time.Unix(sec, 0).In(loc)
	}
	idOf := func(b hash, path string) (string, Snapshot, error) {
		s, err := snap(b)
		if err != nil {
			return "", s, err
		}
		if s.ID != "" {
			return s.ID, s, nil
		}
		return stem(path), s, nil
	}
	get := func(id string) *Case {
		c := h.Cases[id]
		if c == nil {
			c = &Case{ID: id}
			h.Cases[id] = c
		}
		return c
	}

	for _, r := range order {
		if len(r.Changes) == 0 {
			continue
		}
		var adds, dels []event
		for _, x := range r.Changes {
			var oldID, newID string
			var oldSnap, newSnap Snapshot
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
				dels = append(dels, event{id: oldID, path: x.Path, old: x.Old, oldSnap: oldSnap, deleted: true})
			case x.Old != zeroHash && oldID == newID:
				adds = append(adds, event{id: newID, path: x.Path, blob: x.Blob, snap: newSnap, old: x.Old, oldSnap: oldSnap})
			default:
				// A new file, or a file whose id was edited: the old id is
				// gone from this path.
				adds = append(adds, event{id: newID, path: x.Path, blob: x.Blob, snap: newSnap})
				if x.Old != zeroHash {
					dels = append(dels, event{id: oldID, path: x.Path, old: x.Old, oldSnap: oldSnap, deleted: true})
				}
			}
		}
		// A path that disappears while a file with the same id appears is a
		// move: the case continues from the old file.
		var evs []event
		for i := range adds {
			if adds[i].old != zeroHash {
				continue
			}
			for j := range dels {
				if dels[j].id == adds[i].id && dels[j].deleted {
					adds[i].old, adds[i].oldSnap = dels[j].old, dels[j].oldSnap
					dels[j].deleted = false // consumed
					break
				}
			}
		}
		evs = append(evs, adds...)
		for _, d := range dels {
			if d.deleted {
				evs = append(evs, d)
			}
		}
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].path < evs[j].path })

		subject, note, trailers := parseMessage(r.Message)
		commit := r.Hash.String()
		parents := make([]string, len(r.Parents))
		for i, p := range r.Parents {
			parents[i] = p.String()
		}
		var parentAt time.Time
		if len(r.Parents) > 0 && !r.shallow {
			parentAt = at(r.parentSec, r.parentOff)
		}
		for _, e := range evs {
			v := Version{
				Commit: commit, Parents: parents,
				At: at(r.CommitSec, r.CommitOff), AuthorAt: at(r.AuthorSec, r.AuthorOff),
				Actor: r.Author, Email: r.Email,
				Subject: subject, Note: note, Trailers: trailers,
				Path: e.path, Deleted: e.deleted,
				Merge: len(r.Parents) > 1, Signed: r.Signed, Shallow: r.shallow, ParentAt: parentAt,
			}
			old := e.oldSnap
			if !e.deleted {
				v.Blob = e.blob.String()
				v.Snap = e.snap
				v.Changed = changedKeys(old.Keys, e.snap.Keys)
			}
			c := get(e.id)
			c.Path = e.path
			c.Versions = append(c.Versions, v)
			if !e.deleted && (e.old == zeroHash || old.Status != v.Snap.Status) {
				from := old.Status
				if e.old == zeroHash {
					from = ""
				}
				c.Transitions = append(c.Transitions, Transition{
					At: v.At, Actor: v.Actor, Email: v.Email, From: from, To: v.Snap.Status,
					Commit: v.Commit, Note: v.Note, Path: v.Path, Trailers: v.Trailers,
					Changed: v.Changed, Merge: v.Merge, Signed: v.Signed, Shallow: v.Shallow, ParentAt: v.ParentAt,
				})
			}
		}
	}

	// Cases with a file at HEAD take its path; the others were deleted.
	head := map[string]string{}
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
		get(id).Path = p // also a case whose history the walk missed (shallow clone)
	}
	for id, c := range h.Cases {
		if _, ok := head[id]; ok {
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
	h.Order = make([]string, 0, len(h.Cases))
	for id := range h.Cases {
		h.Order = append(h.Order, id)
	}
	sort.Strings(h.Order)
	return nil
}

// changedKeys lists the keys whose fingerprints differ, sorted.
func changedKeys(old, cur []KeyHash) []string {
	var out []string
	i, j := 0, 0
	for i < len(old) || j < len(cur) {
		switch {
		case j == len(cur) || (i < len(old) && old[i].Key < cur[j].Key):
			out = append(out, old[i].Key)
			i++
		case i == len(old) || cur[j].Key < old[i].Key:
			out = append(out, cur[j].Key)
			j++
		default:
			if old[i].Hash != cur[j].Hash {
				out = append(out, cur[j].Key)
			}
			i++
			j++
		}
	}
	return out
}
