package history

import (
	"errors"
	"fmt"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// FileVersion is the version of a committed file that is not a case
// (policies/calendar.yaml): the newest commit reachable from HEAD that
// changed it, and whether the copy on disk is the one HEAD holds.
type FileVersion struct {
	// Commit is the full hash of the newest commit that changed the file;
	// "" when no commit holds it.
	Commit string
	// Author and When are that commit's author and author date.
	Author string
	When   time.Time
	// Committed is true when HEAD holds the file with the bytes on disk.
	Committed bool
}

// Short is the commit's abbreviated hash.
func (v FileVersion) Short() string {
	if len(v.Commit) > 7 {
		return v.Commit[:7]
	}
	return v.Commit
}

// String is "commit abc1234 (2028-01-20, 张三)", or "not committed".
func (v FileVersion) String() string {
	if v.Commit == "" {
		return "not committed"
	}
	return fmt.Sprintf("commit %s (%s, %s)", v.Short(), v.When.Format("2006-01-02"), v.Author)
}

// VersionOf finds the version of path (slash-separated, from the
// repository's root) whose bytes on disk are data. The version is the
// oldest commit of HEAD's first-parent chain, back from HEAD, that holds
// the file as HEAD does: a walk that stops where the file changed, with a
// tree lookup per commit (go-git's path-filtered log diffs whole trees and
// took a minute on twenty thousand commits). A repository without commits,
// or a HEAD without the file, gives a FileVersion without a commit.
func VersionOf(repo *git.Repository, path string, data []byte) (FileVersion, error) {
	var v FileVersion
	head, err := repo.Head()
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return v, nil
	}
	if err != nil {
		return v, err
	}
	c, err := repo.CommitObject(head.Hash())
	if err != nil {
		return v, err
	}
	blob, ok, err := blobAt(c, path)
	if err != nil || !ok {
		return v, err
	}
	v.Committed = blob == plumbing.ComputeHash(plumbing.BlobObject, data)
	for {
		v.Commit, v.Author, v.When = c.Hash.String(), c.Author.Name, c.Author.When
		if c.NumParents() == 0 {
			return v, nil
		}
		parent, err := c.Parent(0)
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			return v, nil // a shallow clone's boundary
		}
		if err != nil {
			return v, err
		}
		pb, ok, err := blobAt(parent, path)
		if err != nil {
			return v, err
		}
		if !ok || pb != blob {
			return v, nil
		}
		c = parent
	}
}

// blobAt is the blob of path in c's tree, and whether the tree holds it.
func blobAt(c *object.Commit, path string) (plumbing.Hash, bool, error) {
	t, err := c.Tree()
	if err != nil {
		return plumbing.ZeroHash, false, err
	}
	e, err := t.FindEntry(path)
	switch {
	case errors.Is(err, object.ErrEntryNotFound) || errors.Is(err, object.ErrDirectoryNotFound):
		return plumbing.ZeroHash, false, nil
	case err != nil:
		return plumbing.ZeroHash, false, err
	case !e.Mode.IsFile():
		return plumbing.ZeroHash, false, nil
	}
	return e.Hash, true, nil
}
