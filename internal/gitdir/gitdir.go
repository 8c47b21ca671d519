package gitdir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
)

// Open opens the repository at path, or with detect the one around it, with its common
// directory, as git does. A missing repository is git.ErrRepositoryNotExists.
func Open(path string, detect bool) (*git.Repository, error) {
	return git.PlainOpenWithOptions(path, &git.PlainOpenOptions{DetectDotGit: detect, EnableDotGitCommonDir: true})
}

// Dirs are the two git directories of a work tree.
type Dirs struct {
	// Git is the work tree's own git directory: HEAD, the index, logs/HEAD. It is .git,
	// or .git/worktrees/NAME of the main repository for a linked work tree.
	Git string
	// Common holds what every work tree shares: objects, branches, packed-refs, their
	// reflogs, the config, the shallow file. It is Git outside a linked work tree.
	Common string
}

// ErrNoCommonDir is returned by Of for a linked work tree's repository opened without
// its common directory: what go-git wrote through it would be lost to git.
var ErrNoCommonDir = errors.New("the repository of a linked work tree was opened without its common directory")

// Of returns the directories of a repository stored on disk.
func Of(repo *git.Repository) (Dirs, error) {
	fs, ok := repo.Storer.(*filesystem.Storage)
	if !ok {
		return Dirs{}, errors.New("the repository is not stored on disk")
	}
	own := fs.Filesystem().Root()
	d := Dirs{Git: own, Common: own}
	common, err := commonDir(own)
	if err != nil || common == "" {
		return d, err
	}
	if _, ok := fs.Filesystem().(*dotgit.RepositoryFilesystem); !ok {
		return Dirs{}, fmt.Errorf("%s: %w (open it with gitdir.Open)", own, ErrNoCommonDir)
	}
	d.Common = common
	return d, nil
}

// commonDir reads gitDir/commondir, relative to gitDir unless absolute; "" when there is
// none.
func commonDir(gitDir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(gitDir, "commondir"))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", filepath.Join(gitDir, "commondir"), err)
	}
	p := strings.TrimSpace(string(b))
	if p == "" {
		return "", nil
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(gitDir, p)
	}
	return filepath.Clean(p), nil
}

// Linked reports whether these are the directories of a linked work tree.
func (d Dirs) Linked() bool { return d.Git != d.Common }

// perWorkTree reports whether a ref belongs to one work tree rather than to all: HEAD and
// the other pseudo-refs at the top (ORIG_HEAD, MERGE_HEAD), refs/worktree/, refs/bisect/
// and refs/rewritten/.
func perWorkTree(ref string) bool {
	if !strings.HasPrefix(ref, "refs/") {
		return true
	}
	for _, p := range []string{"refs/worktree/", "refs/bisect/", "refs/rewritten/"} {
		if strings.HasPrefix(ref, p) {
			return true
		}
	}
	return false
}

func (d Dirs) dirOf(ref string) string {
	if perWorkTree(ref) {
		return d.Git
	}
	return d.Common
}

// Ref is the file of a loose ref ("HEAD", "refs/heads/main").
func (d Dirs) Ref(ref string) string {
	return filepath.Join(d.dirOf(ref), filepath.FromSlash(ref))
}

// Reflog is the reflog file of a ref.
func (d Dirs) Reflog(ref string) string {
	return filepath.Join(d.dirOf(ref), "logs", filepath.FromSlash(ref))
}

// PackedRefs is the packed-refs file, shared by every work tree.
func (d Dirs) PackedRefs() string { return filepath.Join(d.Common, "packed-refs") }

// Index is the work tree's index file.
func (d Dirs) Index() string { return filepath.Join(d.Git, "index") }

// Objects is the object directory, shared by every work tree.
func (d Dirs) Objects() string { return filepath.Join(d.Common, "objects") }

// LockDir holds casebook's repository lock. It is in the common directory, shared by
// every work tree, so that two casebook runs never commit at once, whichever work tree
// they run in.
func (d Dirs) LockDir() string { return filepath.Join(d.Common, "casebook") }

// LockFile is casebook's repository lock, in LockDir: the write commands
// take it, and doctor reads and repairs it.
func (d Dirs) LockFile() string { return filepath.Join(d.LockDir(), "lock") }

// CacheDir holds casebook's caches (history, parsed case files, ids). They are per work
// tree: what they remember follows the work tree's HEAD and files, and two work trees on
// different branches would otherwise overwrite each other's.
func (d Dirs) CacheDir() string { return filepath.Join(d.Git, "casebook") }
