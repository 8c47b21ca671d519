package history

import (
	"fmt"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// Ancestors returns commit and every commit it descends from, as full
// hashes: what existed when commit was made. A date cannot tell that, as
// a later commit may carry an earlier date (clock skew, a merged branch).
// A shallow clone's boundary ends the walk.
func Ancestors(repo *git.Repository, commit string) (map[string]bool, error) {
	shallow, err := shallowSet(repo)
	if err != nil {
		return nil, err
	}
	objs := newObjectStore(repo, 16<<20)
	defer objs.close()
	seen := map[string]bool{}
	stack := []hash{plumbing.NewHash(commit)}
	for len(stack) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[h.String()] {
			continue
		}
		seen[h.String()] = true
		if shallow[h] {
			continue
		}
		_, b, err := objs.readOnce(h)
		if err != nil {
			return nil, fmt.Errorf("walk history from %s: %w", commit, err)
		}
		c, err := parseCommit(h, b)
		if err != nil {
			return nil, fmt.Errorf("walk history from %s: %w", commit, err)
		}
		stack = append(stack, c.Parents...)
	}
	return seen, nil
}

// shallowSet is the boundary of a shallow clone: commits whose parents
// the clone lacks. Empty for a complete repository.
func shallowSet(repo *git.Repository) (map[hash]bool, error) {
	shallow := map[hash]bool{}
	if ss, ok := repo.Storer.(storer.ShallowStorer); ok {
		hs, err := ss.Shallow()
		if err != nil {
			return nil, fmt.Errorf("read shallow boundary: %w", err)
		}
		for _, s := range hs {
			shallow[s] = true
		}
	}
	return shallow, nil
}
