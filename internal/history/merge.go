package history

import (
	"container/heap"
	"sort"
	"time"
)

// mergeSides picks, for every merge commit, the case files to judge against
// a parent besides the first: a merge is judged like a commit, its result
// against each parent. A file that differs from a parent's version counts
// when that parent's version is its own side's work, that is, when the
// commit that wrote it is not also an ancestor of another parent: then the
// merge discarded it (`git merge -s ours`), or resolved a conflict over it.
// A version that the other side already built on was merely behind, and
// the merge changes nothing of it. The result is keyed by position in
// order.
func mergeSides(order []*commitRec, commits map[hash]*commitRec) map[int32][]side {
	type cand struct {
		r  *commitRec
		sd side
	}
	var cands []cand
	wanted := map[hash][]*commitRec{}
	for _, r := range order {
		if len(r.Sides) == 0 {
			continue
		}
		inChanges := map[string]bool{}
		for _, ch := range r.Changes {
			inChanges[ch.Path] = true
		}
		for _, sd := range r.Sides {
			if sd.Old == zeroHash || sd.Parent == 0 && inChanges[sd.Path] {
				continue // absent on that side, or judged as the commit's change
			}
			cands = append(cands, cand{r, sd})
			wanted[sd.Old] = nil
		}
	}
	if len(cands) == 0 {
		return nil
	}
	// The commits that wrote each wanted version.
	for _, r := range order {
		for _, ch := range r.Changes {
			if ws, ok := wanted[ch.Blob]; ok {
				wanted[ch.Blob] = append(ws, r)
			}
		}
	}
	out := map[int32][]side{}
	for _, c := range cands {
		writers := wanted[c.sd.Old]
		if len(writers) == 0 {
			continue // written beyond a shallow boundary: nothing to say
		}
		behind := false
		for pi, p := range c.r.Parents {
			if int32(pi) == c.sd.Parent || behind {
				continue
			}
			pr := commits[p]
			for _, w := range writers {
				if pr != nil && ancestor(commits, w, pr) {
					behind = true
					break
				}
			}
		}
		if !behind {
			out[c.r.idx] = append(out[c.r.idx], c.sd)
		}
	}
	return out
}

// ancestor reports whether a is b or an ancestor of b. The walk back from
// b stops at commits ordered before a, which cannot lead to it, so a
// short-lived branch costs only the commits since it forked.
func ancestor(commits map[hash]*commitRec, a, b *commitRec) bool {
	seen := map[*commitRec]bool{}
	stack := []*commitRec{b}
	for len(stack) > 0 {
		r := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if r == a {
			return true
		}
		if r.idx < a.idx || seen[r] || r.shallow {
			continue
		}
		seen[r] = true
		for _, p := range r.Parents {
			if pr := commits[p]; pr != nil {
				stack = append(stack, pr)
			}
		}
	}
	return false
}

// LateEntry is a commit that entered HEAD's history long after its date:
// by its own author date, or (Merge set) as the commits a merge brought in.
// Read lists those later than Options.LateEntry, the shortest window of
// the office's policies; the caller judges each against the window of
// the cases it touches.
type LateEntry struct {
	// Commit is the late commit, or the merge that brought late ones in.
	Commit string
	// At is the moment the commit claims (its author date; for a merge,
	// the author date of the oldest commit it brought in), EnteredAt
	// when it entered this history (its committer date).
	At, EnteredAt time.Time
	// Merge is set for a merge: Brought lists the commits it brought in
	// more than the window after their author dates (CommitDate.At),
	// oldest first. A commit brought in by several merges (a branch
	// merged into a branch merged into main) is listed by each.
	Merge   bool
	Brought []CommitDate
}

// lateEntries finds the commits that entered the record more than window
// after their dates: a commit whose author date lies more than window
// before its committer date, and a commit brought in by a merge (reachable
// from a later parent, not from the first) authored more than window
// before that merge. Without the second, a branch forked from an old
// commit could carry a reply dated before its due date into the record
// days later, every date agreeing with its parent's.
func lateEntries(order []*commitRec, commits map[hash]*commitRec, window time.Duration) []LateEntry {
	if window <= 0 {
		return nil
	}
	w := int64(window / time.Second)
	at := func(sec int64, off int32) time.Time { return time.Unix(sec, 0).In(time.FixedZone("", int(off))) }
	var out []LateEntry
	for _, r := range order {
		if r.shallow {
			continue
		}
		if r.AuthorSec < r.CommitSec-w {
			out = append(out, LateEntry{Commit: r.Hash.String(), At: at(r.AuthorSec, r.AuthorOff), EnteredAt: at(r.CommitSec, r.CommitOff)})
		}
		if len(r.Parents) < 2 {
			continue
		}
		var late []CommitDate
		for _, c := range broughtIn(commits, r) {
			if c.AuthorSec < r.CommitSec-w {
				late = append(late, CommitDate{Commit: c.Hash.String(), At: at(c.AuthorSec, c.AuthorOff), Actor: c.Author})
			}
		}
		if len(late) > 0 {
			sort.Slice(late, func(i, j int) bool {
				if !late[i].At.Equal(late[j].At) {
					return late[i].At.Before(late[j].At)
				}
				return late[i].Commit < late[j].Commit
			})
			out = append(out, LateEntry{Commit: r.Hash.String(), At: late[0].At, EnteredAt: at(r.CommitSec, r.CommitOff), Merge: true, Brought: late})
		}
	}
	return out
}

// broughtIn lists the commits a merge brings into its first parent's
// history: reachable from another parent and not from the first. It
// paints both sides back in topological order and stops where only
// commits both reach are left, so it costs the commits since the fork.
func broughtIn(commits map[hash]*commitRec, m *commitRec) []*commitRec {
	const first, other, both = 1, 2, 3
	flags := map[*commitRec]uint8{}
	q := &idxHeap{}
	open := 0 // queued commits not yet reached from both sides
	push := func(r *commitRec, f uint8) {
		old, queued := flags[r]
		nf := old | f
		if queued && nf == old {
			return
		}
		flags[r] = nf
		switch {
		case !queued:
			heap.Push(q, r)
			if nf != both {
				open++
			}
		case old != both && nf == both:
			open--
		}
	}
	for i, p := range m.Parents {
		if pr := commits[p]; pr != nil {
			f := uint8(other)
			if i == 0 {
				f = first
			}
			push(pr, f)
		}
	}
	var out []*commitRec
	for q.Len() > 0 && open > 0 {
		r := heap.Pop(q).(*commitRec)
		f := flags[r]
		if f != both {
			open--
		}
		if f == other {
			out = append(out, r)
		}
		if r.shallow {
			continue
		}
		for _, p := range r.Parents {
			if pr := commits[p]; pr != nil {
				push(pr, f)
			}
		}
	}
	return out
}

// idxHeap pops the commit latest in topological order first.
type idxHeap []*commitRec

func (h idxHeap) Len() int           { return len(h) }
func (h idxHeap) Less(i, j int) bool { return h[i].idx > h[j].idx }
func (h idxHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *idxHeap) Push(x any)        { *h = append(*h, x.(*commitRec)) }
func (h *idxHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
