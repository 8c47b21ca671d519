package history

import (
	"errors"
	"fmt"
	"io"
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
// repository's root) whose bytes on disk are data. A repository without
// commits, or without the file in history, gives a FileVersion without a
// commit.
func VersionOf(repo *git.Repository, path string, data []byte) (FileVersion, error) {
	var v FileVersion
	head, err := repo.Head()
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return v, nil
	}
	if err != nil {
		return v, err
	}
	top, err := repo.CommitObject(head.Hash())
	if err != nil {
		return v, err
	}
	if f, err := top.File(path); err == nil {
		v.Committed = f.Hash == plumbing.ComputeHash(plumbing.BlobObject, data)
	} else if !errors.Is(err, object.ErrFileNotFound) {
		return v, err
	}
	iter, err := repo.Log(&git.LogOptions{From: head.Hash(), PathFilter: func(p string) bool { return p == path }})
	if err != nil {
		return v, err
	}
	defer iter.Close()
	c, err := iter.Next()
	switch {
	case errors.Is(err, io.EOF):
		return v, nil
	case err != nil:
		return v, err
	}
	v.Commit, v.Author, v.When = c.Hash.String(), c.Author.Name, c.Author.When
	return v, nil
}
