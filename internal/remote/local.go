package remote

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/casebook/casebook/internal/gitdir"
	"github.com/casebook/casebook/internal/repo"
)

// openLocal opens the git directory of a remote on a path.
func openLocal(t Target) (*filesystem.Storage, error) {
	if _, err := os.Stat(filepath.Join(t.Path, "objects")); err != nil {
		return nil, &Error{Kind: "network", Remote: t.String(), Err: fmt.Errorf("the remote repository is not reachable: %w", err),
			Fix: "check that the shared folder is mounted"}
	}
	return filesystem.NewStorageWithOptions(osfs.New(t.Path), cache.NewObjectLRUDefault(), filesystem.Options{}), nil
}

func has(s storer.EncodedObjectStorer) func(plumbing.Hash) bool {
	return func(h plumbing.Hash) bool { return s.HasEncodedObject(h) == nil }
}

// fetchLocal copies the remote branch's missing objects into local and returns its tip
// (zero when the branch does not exist there) and the number of commits copied.
func fetchLocal(local storer.EncodedObjectStorer, t Target) (plumbing.Hash, int, error) {
	rs, err := openLocal(t)
	if err != nil {
		return plumbing.ZeroHash, 0, err
	}
	defer rs.Close()
	tip, err := repo.ReadRef(bareDirs(t.Path), t.Ref())
	if err != nil {
		return plumbing.ZeroHash, 0, &Error{Kind: "network", Remote: t.String(), Err: err}
	}
	if tip.IsZero() {
		return tip, 0, nil
	}
	hs, n, err := missing(rs, tip, has(local), has(local))
	if err != nil {
		return plumbing.ZeroHash, 0, &Error{Kind: "network", Remote: t.String(), Err: fmt.Errorf("read the remote: %w", err), Fix: "run git fsck in the remote repository"}
	}
	if err := copyObjects(local, rs, hs); err != nil {
		return plumbing.ZeroHash, 0, err
	}
	return tip, n, nil
}

// pushLocal copies what the remote lacks of new and moves its branch from old to new.
func pushLocal(local storer.EncodedObjectStorer, t Target, old, new plumbing.Hash) (int, error) {
	if err := checkedOut(t); err != nil {
		return 0, err
	}
	rs, err := openLocal(t)
	if err != nil {
		return 0, err
	}
	defer rs.Close()
	hs, n, err := missing(local, new, has(rs), has(rs))
	if err != nil {
		return 0, err
	}
	if err := copyObjects(rs, local, hs); err != nil {
		return 0, &Error{Kind: "refused", Remote: t.String(), Err: err, Fix: "check that you may write to the shared folder"}
	}
	if err := repo.SwapRef(bareDirs(t.Path), t.Ref(), old, new, 0); err != nil {
		if errors.Is(err, repo.ErrRefMoved) {
			return 0, ErrMoved
		}
		return 0, &Error{Kind: "refused", Remote: t.String(), Err: err}
	}
	return n, nil
}

// checkedOut refuses to move the branch a non-bare remote has checked out, as git does
// (receive.denyCurrentBranch): its work tree would silently fall behind.
func checkedOut(t Target) error {
	if filepath.Base(t.Path) != ".git" {
		return nil
	}
	b, err := os.ReadFile(filepath.Join(t.Path, "HEAD"))
	if err != nil {
		return nil
	}
	if strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(string(b)), "ref:")) == t.Ref().String() {
		return &Error{Kind: "refused", Remote: t.String(),
			Err: fmt.Errorf("the remote is a clone with branch %s checked out; pushing would leave its work tree behind", t.Branch),
			Fix: "share a bare repository (git init --bare, or git clone --bare) and point the remote at it"}
	}
	return nil
}

// bareDirs are the directories of a remote's git directory: one, as it has no work trees
// of its own that matter here.
func bareDirs(p string) gitdir.Dirs { return gitdir.Dirs{Git: p, Common: p} }
