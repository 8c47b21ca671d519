package history

import (
	"fmt"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// IsAncestor reports whether rev (a full or abbreviated hash, a branch or
// a tag) is HEAD or an ancestor of HEAD; `validate --since REV` relies on
// it to notice rewritten history.
func IsAncestor(repo *git.Repository, rev string) (bool, error) {
	target, err := repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return false, fmt.Errorf("resolve %q: %w (give a commit hash, branch or tag of this repository)", rev, err)
	}
	ref, err := repo.Head()
	if err != nil {
		return false, fmt.Errorf("read HEAD: %w", err)
	}
	shallow := map[hash]bool{}
	if ss, ok := repo.Storer.(storer.ShallowStorer); ok {
		hs, err := ss.Shallow()
		if err != nil {
			return false, fmt.Errorf("read shallow boundary: %w", err)
		}
		for _, s := range hs {
			shallow[s] = true
		}
	}
	objs := newObjectStore(repo, 16<<20)
	defer objs.close()
	seen := map[hash]bool{}
	stack := []hash{ref.Hash()}
	for len(stack) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if h == *target {
			return true, nil
		}
		if seen[h] {
			continue
		}
		seen[h] = true
		if shallow[h] {
			continue // its parents are not in this clone
		}
		_, b, err := objs.readOnce(h)
		if err != nil {
			return false, fmt.Errorf("walk history: %w", err)
		}
		c, err := parseCommit(h, b)
		if err != nil {
			return false, fmt.Errorf("walk history: %w", err)
		}
		stack = append(stack, c.Parents...)
	}
	return false, nil
}
