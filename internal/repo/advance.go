package repo

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/casebook/casebook/internal/gitdir"
	"github.com/casebook/casebook/internal/history"
)

// Held is casebook's repository lock, held across several steps (a sync) so that no other
// casebook run commits in between.
type Held struct {
	repo    *git.Repository
	dirs    gitdir.Dirs
	lock    *repoLock
	timeout time.Duration
}

// Hold takes the repository lock, waiting up to timeout (zero: DefaultTimeout).
func Hold(r *git.Repository, timeout time.Duration) (*Held, error) {
	dirs, err := gitdir.Of(r)
	if err != nil {
		return nil, err
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	lk, err := acquireLock(dirs, time.Now().Add(timeout))
	if err != nil {
		return nil, err
	}
	if err := reach(stepLocked); err != nil {
		lk.release()
		return nil, err
	}
	return &Held{repo: r, dirs: dirs, lock: lk, timeout: timeout}, nil
}

// Release lets other runs commit again.
func (h *Held) Release() { h.lock.release() }

// Advance moves branch from the commit from to the commit to, already written, and
// brings the work tree and the index in line for the files that differ between them,
// with Commit's locking and crash guarantees. The work tree must have no uncommitted
// changes to those files (see CheckAdvance).
func (h *Held) Advance(root string, branch plumbing.ReferenceName, from, to plumbing.Hash) error {
	objs := history.NewObjects(h.repo)
	defer objs.Close()
	fc, tc, diff, err := advanceDiff(objs, from, to)
	if err != nil {
		return err
	}
	if err := checkAdvance(objs, h.repo, root, fc, diff); err != nil {
		return err
	}
	changes := make([]Change, 0, len(diff))
	blobs := make(map[string]plumbing.Hash, len(diff))
	for _, d := range diff {
		if d.Delete {
			changes = append(changes, Change{Path: d.Path, Delete: true})
			continue
		}
		data, err := blobBytes(objs, d.Blob)
		if err != nil {
			return err
		}
		changes = append(changes, Change{Path: d.Path, Data: data, Mode: d.Mode})
		blobs[d.Path] = d.Blob
	}
	if len(changes) == 0 {
		// Same files: only the branch moves. Commit needs a change, so the branch is
		// swapped alone.
		return casRef(h.dirs, branch, from, to, time.Now().Add(h.timeout), "")
	}
	_, err = Commit(h.repo, root, CommitRequest{
		Changes: changes, Timeout: h.timeout, held: h,
		Author: Identity{Name: tc.Committer.Name, Email: tc.Committer.Email},
		Land:   &landing{From: from, To: to, When: tc.Committer.When, Message: "sync: " + firstLine(tc.Message), Blobs: blobs},
	})
	return err
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

func twoCommits(objs *history.Objects, from, to plumbing.Hash) (*object.Commit, *object.Commit, error) {
	fc, err := object.GetCommit(objs, from)
	if err != nil {
		return nil, nil, fmt.Errorf("read commit %s: %w", from, err)
	}
	tc, err := object.GetCommit(objs, to)
	if err != nil {
		return nil, nil, fmt.Errorf("read commit %s: %w", to, err)
	}
	return fc, tc, nil
}

func blobBytes(objs *history.Objects, h plumbing.Hash) ([]byte, error) {
	b, err := object.GetBlob(objs, h)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	r, err := b.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// CheckAdvance refuses to move the work tree from the commit from to the commit to when a
// file that differs between them has uncommitted changes, in the work tree or staged:
// they would be overwritten. A file that already holds to's content is fine.
func CheckAdvance(r *git.Repository, root string, from, to plumbing.Hash) error {
	objs := history.NewObjects(r)
	defer objs.Close()
	fc, _, diff, err := advanceDiff(objs, from, to)
	if err != nil {
		return err
	}
	return checkAdvance(objs, r, root, fc, diff)
}

// advanceDiff reads both commits and the files that differ between them.
func advanceDiff(objs *history.Objects, from, to plumbing.Hash) (*object.Commit, *object.Commit, []FileChange, error) {
	fc, tc, err := twoCommits(objs, from, to)
	if err != nil {
		return nil, nil, nil, err
	}
	diff, err := TreeChanges(objs, fc.TreeHash, tc.TreeHash)
	return fc, tc, diff, err
}

func checkAdvance(objs *history.Objects, r *git.Repository, root string, fc *object.Commit, diff []FileChange) error {
	if len(diff) == 0 || root == "" {
		return nil
	}
	dirs, err := gitdir.Of(r)
	if err != nil {
		return err
	}
	idx, err := readIndex(dirs.Git)
	if err != nil {
		return err
	}
	staged := make(map[string]plumbing.Hash, len(idx.Entries))
	for _, e := range idx.Entries {
		staged[e.Name] = e.Hash
	}
	oldTree, err := object.GetTree(objs, fc.TreeHash)
	if err != nil {
		return err
	}
	eol, err := LoadLineEndings(r, root)
	if err != nil {
		return err
	}
	var dirty []string
	for _, d := range diff {
		var want plumbing.Hash // from's blob; zero: absent
		if e, err := oldTree.FindEntry(d.Path); err == nil {
			want = e.Hash
		}
		newBlob := d.Blob
		if d.Delete {
			newBlob = plumbing.ZeroHash
		}
		got, err := fileBlob(root, d.Path, eol)
		if err != nil {
			return err
		}
		if got != want && got != newBlob {
			dirty = append(dirty, d.Path)
			continue
		}
		if h, ok := staged[d.Path]; (ok && h != want && h != newBlob) || (!ok && !want.IsZero()) {
			dirty = append(dirty, d.Path)
		}
	}
	if len(dirty) > 0 {
		return &DirtyError{Paths: dirty}
	}
	return nil
}

// DirtyError names work-tree files with uncommitted changes that an update would
// overwrite.
type DirtyError struct{ Paths []string }

func (e *DirtyError) Error() string {
	return fmt.Sprintf("uncommitted changes to %s would be overwritten; nothing was changed "+
		"(fix: commit them with casebook or git, or put them aside with `git stash`, then retry)", strings.Join(e.Paths, ", "))
}

// fileBlob is the blob hash of a work-tree file's content as git would store it; zero when
// it does not exist.
func fileBlob(root, rel string, eol *LineEndings) (plumbing.Hash, error) {
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if errors.Is(err, os.ErrNotExist) {
		return plumbing.ZeroHash, nil
	}
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read %s: %w", rel, err)
	}
	return plumbing.ComputeHash(plumbing.BlobObject, eol.ToGit(rel, data)), nil
}
