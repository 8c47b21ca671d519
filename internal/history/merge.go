package history

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
