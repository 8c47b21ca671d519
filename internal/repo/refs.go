package repo

import (
	"errors"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// ErrRefMoved is returned by SwapRef when the ref no longer holds the expected value.
var ErrRefMoved = errRefChanged

// ReadRef returns what a branch in the git directory gitDir points at (loose or packed);
// the zero hash when it does not exist.
func ReadRef(gitDir string, name plumbing.ReferenceName) (plumbing.Hash, error) {
	return readRef(gitDir, name)
}

// SwapRef moves the ref name in gitDir from old (zero: it must not exist) to new under
// <ref>.lock, as git does, waiting up to timeout for a lock another process holds. It
// returns ErrRefMoved when the ref holds something else.
func SwapRef(gitDir string, name plumbing.ReferenceName, old, new plumbing.Hash, timeout time.Duration) error {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	err := casRef(gitDir, name, old, new, time.Now().Add(timeout), "")
	if errors.Is(err, errRefChanged) {
		return ErrRefMoved
	}
	return err
}

// HeadBranch returns the branch HEAD of gitDir points at; an error for a detached HEAD.
func HeadBranch(gitDir string) (plumbing.ReferenceName, error) { return readHead(gitDir) }
