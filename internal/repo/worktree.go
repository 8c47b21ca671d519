package repo

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// statInfo is what the index records of a work-tree file, so that git knows it unchanged
// without reading it.
type statInfo struct {
	ctime, mtime       time.Time
	dev, ino, uid, gid uint32
	size               uint32
}

func genericStat(fi os.FileInfo) statInfo {
	return statInfo{ctime: fi.ModTime(), mtime: fi.ModTime(), size: uint32(fi.Size())}
}

// priorFile is a work-tree file as it was before the commit wrote it, to put it back when
// the commit is abandoned.
type priorFile struct {
	path   string // slash, relative to the root
	exists bool
	data   []byte
	perm   fs.FileMode
}

// snapshot reads the files the commit is about to replace. It refuses a path whose
// directory is a symbolic link (the write would land outside the repository) or that is a
// directory or a link itself.
func snapshot(root string, changes []Change) ([]priorFile, error) {
	out := make([]priorFile, 0, len(changes))
	for _, c := range changes {
		if err := checkDirs(root, c.Path); err != nil {
			return nil, err
		}
		full := filepath.Join(root, filepath.FromSlash(c.Path))
		fi, err := os.Lstat(full)
		if errors.Is(err, os.ErrNotExist) {
			out = append(out, priorFile{path: c.Path})
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Path, err)
		}
		if !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("%s: is a %s in the work tree, not a file; move it away and retry", c.Path, kindOf(fi))
		}
		data, err := os.ReadFile(full)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Path, err)
		}
		out = append(out, priorFile{path: c.Path, exists: true, data: data, perm: fi.Mode().Perm()})
	}
	return out, nil
}

func kindOf(fi os.FileInfo) string {
	switch {
	case fi.IsDir():
		return "directory"
	case fi.Mode()&os.ModeSymlink != 0:
		return "symbolic link"
	default:
		return "special file"
	}
}

// checkDirs checks that every existing directory on the way to rel is a real directory.
func checkDirs(root, rel string) error {
	parts := strings.Split(rel, "/")
	dir := root
	for i, p := range parts[:len(parts)-1] {
		dir = filepath.Join(dir, p)
		fi, err := os.Lstat(dir)
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		if !fi.IsDir() {
			return fmt.Errorf("%s: %s is a %s in the work tree, not a directory; move it away and retry",
				rel, strings.Join(parts[:i+1], "/"), kindOf(fi))
		}
	}
	return nil
}

// writeFiles writes each change into the work tree atomically and returns what the index
// must record of it. Deletions come last, so that a run killed in between leaves the
// content twice rather than nowhere; a folder a deletion leaves empty is removed, as git
// does.
func writeFiles(root string, changes []Change) (map[string]statInfo, error) {
	stats := make(map[string]statInfo, len(changes))
	for _, c := range changes {
		if c.Delete {
			continue
		}
		perm := fs.FileMode(0o644)
		if c.Mode == filemode.Executable {
			perm = 0o755
		}
		st, err := writeFileAtomic(root, c.Path, c.Data, perm)
		if err != nil {
			return nil, err
		}
		stats[c.Path] = st
	}
	for _, c := range changes {
		if !c.Delete {
			continue
		}
		full := filepath.Join(root, filepath.FromSlash(c.Path))
		if err := os.Remove(full); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("delete %s: %w", c.Path, err)
		}
		for dir := filepath.Dir(full); dir != root && len(dir) > len(root); dir = filepath.Dir(dir) {
			if os.Remove(dir) != nil { // not empty, or not ours to remove
				break
			}
		}
	}
	return stats, nil
}

// checkDeletions refuses to delete a file whose work-tree copy (as git would store it) or
// staged version is not the one HEAD holds: the clerk's uncommitted work would be lost with it.
func checkDeletions(head *object.Commit, idx indexFile, changes []Change, prior []priorFile, eol *LineEndings) error {
	for i, c := range changes {
		if !c.Delete {
			continue
		}
		var want plumbing.Hash
		if head != nil {
			t, err := head.Tree()
			if err != nil {
				return fmt.Errorf("read the tree of %s: %w", head.Hash, err)
			}
			if e, err := t.FindEntry(c.Path); err == nil {
				want = e.Hash
			}
		}
		if want.IsZero() {
			return fmt.Errorf("commit: %s: is not in HEAD, so there is nothing to delete", c.Path)
		}
		if h, ok := idx.staged(c.Path); ok && h != want {
			return fmt.Errorf("%s: has staged changes; commit them or unstage them (git restore --staged %s), then retry", c.Path, c.Path)
		}
		if p := prior[i]; p.exists && plumbing.ComputeHash(plumbing.BlobObject, eol.ToGit(c.Path, p.data)) != want {
			return fmt.Errorf("%s: has uncommitted changes; commit them or discard them (git checkout -- %s), then retry", c.Path, c.Path)
		}
	}
	return nil
}

// writeFileAtomic writes data to a temporary file in the target's directory and renames it
// over the target, so that a reader, or a kill, sees the old file or the new one.
func writeFileAtomic(root, rel string, data []byte, perm fs.FileMode) (statInfo, error) {
	full := filepath.Join(root, filepath.FromSlash(rel))
	dir := filepath.Dir(full)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return statInfo{}, fmt.Errorf("write %s: %w", rel, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(full)+".casebook-*")
	if err != nil {
		return statInfo{}, fmt.Errorf("write %s: %w", rel, err)
	}
	_, werr := tmp.Write(data)
	if werr == nil {
		werr = tmp.Chmod(perm)
	}
	cerr := tmp.Close()
	if werr == nil && cerr == nil {
		werr = os.Rename(tmp.Name(), full)
	}
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return statInfo{}, fmt.Errorf("write %s: %w", rel, errors.Join(werr, cerr))
	}
	fi, err := os.Lstat(full)
	if err != nil {
		return statInfo{}, fmt.Errorf("stat %s: %w", rel, err)
	}
	return sysStat(fi), nil
}

// restore puts the work tree back as snapshot found it: files rewritten, new files removed.
// Directories created on the way are left; git does not track empty ones.
func restore(root string, prior []priorFile) error {
	var errs []error
	for i := len(prior) - 1; i >= 0; i-- {
		p := prior[i]
		if p.exists {
			if _, err := writeFileAtomic(root, p.path, p.data, p.perm); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		if err := os.Remove(filepath.Join(root, filepath.FromSlash(p.path))); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
