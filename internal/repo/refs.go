package repo

import (
	"errors"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/casebook/casebook/internal/gitdir"
)

// ErrRefMoved is returned by SwapRef when the ref no longer holds the expected value.
var ErrRefMoved = errRefChanged

// ReadRef returns what a branch of the repository d points at (loose or packed);
// the zero hash when it does not exist.
func ReadRef(d gitdir.Dirs, name plumbing.ReferenceName) (plumbing.Hash, error) {
	return readRef(d, name)
}

// SwapRef moves the ref name of d from old (zero: it must not exist) to new under
// <ref>.lock, as git does, waiting up to timeout for a lock another process holds. It
// returns ErrRefMoved when the ref holds something else.
func SwapRef(d gitdir.Dirs, name plumbing.ReferenceName, old, new plumbing.Hash, timeout time.Duration) error {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	err := casRef(d, name, old, new, time.Now().Add(timeout), "")
	if errors.Is(err, errRefChanged) {
		return ErrRefMoved
	}
	return err
}

// HeadBranch returns the branch the HEAD of d points at; an error for a detached HEAD.
func HeadBranch(d gitdir.Dirs) (plumbing.ReferenceName, error) { return readHead(d) }
