package history

import (
	"errors"
	"fmt"
	"sort"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
)

// ErrNotInRepository is returned by IsAncestor for a full commit id that a
// complete (not shallow) repository does not hold. A clone holds every
// commit some branch or tag leads to, so a commit that was pushed and is now
// missing was dropped by a force-push: `validate --since` reports it as
// history.rewritten rather than as a mistyped revision.
var ErrNotInRepository = errors.New("commit not in this repository")

// ErrShallow is returned by IsAncestor when the answer lies beyond the
// boundary of a shallow clone, where "not found" means "not fetched" and
// proves nothing.
var ErrShallow = errors.New("history is shallow")

// ShallowFix is what to do about ErrShallow.
const ShallowFix = "fetch the whole history: git fetch --unshallow, or fetch-depth: 0 in actions/checkout"

// IsAncestor reports whether rev (a full or abbreviated hash, a branch or
// a tag) is HEAD or an ancestor of HEAD; `validate --since` relies on it
// to notice rewritten history. A full commit id the repository lacks gives
// ErrNotInRepository; a question a shallow clone cannot answer gives
// ErrShallow.
func IsAncestor(repo *git.Repository, rev string) (bool, error) {
	shallow, err := shallowSet(repo)
	if err != nil {
		return false, err
	}
	target, err := repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		if !isFullHash(rev) {
			return false, fmt.Errorf("resolve %q: %w (give a commit hash, branch or tag of this repository)", rev, err)
		}
		if len(shallow) > 0 {
			return false, fmt.Errorf("%w: commit %s is not in this shallow clone, so whether HEAD descends from it cannot be told (fix: %s)", ErrShallow, rev, ShallowFix)
		}
		return false, fmt.Errorf("%w: %s", ErrNotInRepository, rev)
	}
	ref, err := repo.Head()
	if err != nil {
		return false, fmt.Errorf("read HEAD: %w", err)
	}
	objs := newObjectStore(repo, 16<<20)
	defer objs.close()
	seen := map[hash]bool{}
	boundary := false
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
			boundary = true
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
	if boundary {
		// rev may be an ancestor of a boundary commit: not fetched, not known.
		return false, fmt.Errorf("%w: %s was not found above the shallow clone's boundary, so whether HEAD descends from it cannot be told (fix: %s)", ErrShallow, rev, ShallowFix)
	}
	return false, nil
}

// isFullHash tells whether rev is a whole SHA-1 object id: only those name
// a commit precisely enough to say that the repository lacks it.
func isFullHash(rev string) bool {
	if len(rev) != 40 {
		return false
	}
	for _, c := range rev {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// Truncated reports whether the case's history reaches the boundary of a shallow clone:
// the case was filed before the boundary commit, which reads as creating it, and what
// happened to it before that commit is missing.
func (c *Case) Truncated() bool {
	for _, v := range c.Versions {
		if v.Shallow {
			return true
		}
	}
	return false
}

// TruncatedCases returns the ids of the cases whose history is truncated, sorted: none
// outside a shallow clone.
func (h *History) TruncatedCases() []string {
	if h == nil || len(h.Shallow) == 0 {
		return nil
	}
	var ids []string
	for id, c := range h.Cases {
		if c.Truncated() {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// NeedWhole returns an error that is ErrShallow when h was read in a shallow clone:
// history before the boundary is missing, so consequence (what the caller would get
// wrong), and the fix, followed by orElse if the caller has another. It returns nil when
// the whole history was read.
func (h *History) NeedWhole(consequence, orElse string) error {
	if h == nil || len(h.Shallow) == 0 {
		return nil
	}
	at := h.Shallow[0][:7]
	if n := len(h.Shallow) - 1; n > 0 {
		at += fmt.Sprintf(" (and %d more)", n)
	}
	fix := ShallowFix
	if orElse != "" {
		fix += "; or " + orElse
	}
	return shallowError(fmt.Sprintf("this is a shallow clone: the history before commit %s was not fetched, so %s (fix: %s)", at, consequence, fix))
}

// shallowError is ErrShallow with its own message.
type shallowError string

func (e shallowError) Error() string        { return string(e) }
func (e shallowError) Is(target error) bool { return target == ErrShallow }
