package clerk

import (
	"maps"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// alreadyPushed is what an interrupted sync left on the remote: it pushed the replayed
// commits of this clone but was stopped before the local branch followed.
type alreadyPushed struct {
	n       int            // the oldest local commits the remote holds, replayed
	last    *object.Commit // the remote's replay of the n-th
	renamed map[string]string
}

// findPushed looks among the remote's new commits (newest first) for a chain that
// replays the oldest local commits (parents first): each remote commit a child of the
// one before, with the local commit's author and author date, its message with the ids
// the chain renumbered (Casebook-Renumbered trailers) and the same files changed, under
// the new ids. The longest chain wins; n is 0 when there is none.
func findPushed(objs storer.EncodedObjectStorer, local, remote []*object.Commit) (alreadyPushed, error) {
	var best alreadyPushed
	if len(local) == 0 {
		return best, nil
	}
	children := map[plumbing.Hash][]*object.Commit{}
	for _, c := range remote {
		if len(c.ParentHashes) == 1 {
			children[c.ParentHashes[0]] = append(children[c.ParentHashes[0]], c)
		}
	}
	var extend func(cur alreadyPushed, cands []*object.Commit) error
	extend = func(cur alreadyPushed, cands []*object.Commit) error {
		if cur.n > best.n {
			best = cur
		}
		if cur.n == len(local) {
			return nil
		}
		for _, r := range cands {
			renamed, ok, err := replays(objs, local[cur.n], r, cur.renamed)
			if err != nil {
				return err
			}
			if ok {
				if err := extend(alreadyPushed{n: cur.n + 1, last: r, renamed: renamed}, children[r.Hash]); err != nil {
					return err
				}
			}
		}
		return nil
	}
	first := slices.Clone(remote)
	slices.Reverse(first) // oldest first
	return best, extend(alreadyPushed{renamed: map[string]string{}}, first)
}

// replays tells whether remote commit r is the replay of local commit l, given the ids
// renumbered before it, and returns those with the ones r renumbered.
func replays(objs storer.EncodedObjectStorer, l, r *object.Commit, renamed map[string]string) (map[string]string, bool, error) {
	if l.Author.Name != r.Author.Name || l.Author.Email != r.Author.Email || !l.Author.When.Equal(r.Author.When) ||
		l.Author.When.Format("-0700") != r.Author.When.Format("-0700") || len(r.ParentHashes) != 1 {
		return nil, false, nil
	}
	next := maps.Clone(renamed)
	var extra []string
	for _, line := range strings.Split(r.Message, "\n") {
		if v, ok := strings.CutPrefix(line, "Casebook-Renumbered: "); ok {
			if old, nid, ok := strings.Cut(v, " -> "); ok {
				next[old] = nid
				extra = append(extra, line)
			}
		}
	}
	if rewriteMessage(l.Message, next, extra) != r.Message {
		return nil, false, nil
	}
	lc, err := commitPaths(objs, l, next)
	if err != nil {
		return nil, false, err
	}
	rc, err := commitPaths(objs, r, nil)
	if err != nil {
		return nil, false, err
	}
	return next, maps.Equal(lc, rc), nil
}

// commitPaths are the paths a commit changed (true: deleted), with renumbered ids in
// place of the old ones.
func commitPaths(objs storer.EncodedObjectStorer, c *object.Commit, renamed map[string]string) (map[string]bool, error) {
	chs, err := commitChanges(objs, c)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(chs))
	for _, ch := range chs {
		p := ch.Path
		if nid, ok := renamed[pathID(p)]; ok {
			p = renamePath(p, pathID(p), nid)
		}
		out[p] = ch.Delete
	}
	return out, nil
}
