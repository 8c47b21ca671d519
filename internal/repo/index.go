package repo

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// indexLock is a held .git/index.lock, git's own lock on the index: holding it keeps
// `git add` and `git commit` out while casebook writes files, the index and the branch.
type indexLock struct {
	gitDir string
	path   string
	f      *os.File
	ino    uint64
	done   bool
}

func takeIndexLock(gitDir string, deadline time.Time) (*indexLock, error) {
	p := filepath.Join(gitDir, "index.lock")
	f, err := createExclusive(p, deadline, func() string {
		return fmt.Sprintf("git is using the index (%s exists); if no git process is running, delete %s", p, p)
	})
	if err != nil {
		return nil, err
	}
	l := &indexLock{gitDir: gitDir, path: p, f: f}
	if fi, err := f.Stat(); err == nil {
		l.ino = inode(fi)
	}
	return l, nil
}

// write stores the new index in the lock file; it takes effect with commit.
func (l *indexLock) write(data []byte) error {
	_, werr := l.f.Write(data)
	cerr := l.f.Close()
	l.f = nil
	if err := errors.Join(werr, cerr); err != nil {
		return fmt.Errorf("write %s: %w", l.path, err)
	}
	return nil
}

// commit renames the lock file over the index, as git does.
func (l *indexLock) commit() error {
	if err := os.Rename(l.path, filepath.Join(l.gitDir, "index")); err != nil {
		return fmt.Errorf("update the index: %w", err)
	}
	l.done = true
	return nil
}

// abort releases the lock leaving the index as it was; a no-op after commit.
func (l *indexLock) abort() {
	if l.done {
		return
	}
	if l.f != nil {
		l.f.Close()
	}
	os.Remove(l.path)
	l.done = true
}

// readIndex decodes .git/index (an empty index if there is none) and refuses what cannot
// be rewritten safely: unresolved conflicts (go-git's encoder sorts entries by name only,
// which could reorder their stages) and mandatory extensions it does not know.
func readIndex(gitDir string) (*index.Index, error) {
	data, err := os.ReadFile(filepath.Join(gitDir, "index"))
	if errors.Is(err, os.ErrNotExist) {
		return &index.Index{Version: 2}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the index: %w", err)
	}
	idx := &index.Index{}
	if err := index.NewDecoder(bytes.NewReader(data)).Decode(idx); err != nil {
		if errors.Is(err, index.ErrUnknownExtension) {
			return nil, fmt.Errorf("read the index: it uses a split or sparse index, which casebook cannot update; "+
				"run `git update-index --no-split-index` and `git sparse-checkout disable`, then retry: %w", err)
		}
		return nil, fmt.Errorf("read the index: %w; rebuild it with `git reset -q`", err)
	}
	for _, e := range idx.Entries {
		if e.Stage != 0 { // go-git's index.Merged is 1, not the merged stage 0
			return nil, fmt.Errorf("%s: has unresolved merge conflicts; resolve them and commit with git "+
				"(or `git merge --abort`), then retry", e.Name)
		}
	}
	return idx, nil
}

func indexFileValid(path string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	return index.NewDecoder(bytes.NewReader(data)).Decode(&index.Index{}) == nil
}

// checkIndexPaths refuses a change whose path the index holds as a directory, or one of
// whose directories the index holds as a file: git would see a corrupt index.
func checkIndexPaths(idx *index.Index, changes []Change) error {
	dirs := map[string]string{}
	for _, c := range changes {
		if c.Delete {
			continue // in HEAD, so a file; the index may lack it, never hold it as a directory
		}
		for d := c.Path; ; {
			i := strings.LastIndexByte(d, '/')
			if i < 0 {
				break
			}
			d = d[:i]
			dirs[d] = c.Path
		}
	}
	for _, e := range idx.Entries {
		if p, ok := dirs[e.Name]; ok {
			return fmt.Errorf("%s: %s is a file in the index; remove it with `git rm --cached %s`, then retry", p, e.Name, e.Name)
		}
		for _, c := range changes {
			if !c.Delete && strings.HasPrefix(e.Name, c.Path) && len(e.Name) > len(c.Path) && e.Name[len(c.Path)] == '/' {
				return fmt.Errorf("%s: is a directory in the index (%s); move it away, then retry", c.Path, e.Name)
			}
		}
	}
	return nil
}

// updateIndex sets the entries of the committed paths to the new blobs and to the stat of
// the files just written, and removes those of deleted paths; every other entry, staged
// work included, is kept as it was.
func updateIndex(idx *index.Index, changes []Change, blobs map[string]plumbing.Hash, stats map[string]statInfo) ([]byte, error) {
	byName := make(map[string]*index.Entry, len(changes))
	deleted := map[string]bool{}
	for _, c := range changes {
		byName[c.Path] = nil
		if c.Delete {
			deleted[c.Path] = true
		}
	}
	if len(deleted) > 0 {
		idx.Entries = slices.DeleteFunc(idx.Entries, func(e *index.Entry) bool { return deleted[e.Name] })
	}
	for _, e := range idx.Entries {
		if _, ok := byName[e.Name]; ok {
			byName[e.Name] = e
		}
	}
	for _, c := range changes {
		if c.Delete {
			continue
		}
		e := byName[c.Path]
		if e == nil {
			e = &index.Entry{Name: c.Path}
			idx.Entries = append(idx.Entries, e)
		}
		st := stats[c.Path]
		e.Hash = blobs[c.Path]
		e.Mode = c.Mode
		if e.Mode == filemode.Empty {
			e.Mode = filemode.Regular
		}
		e.CreatedAt, e.ModifiedAt = st.ctime, st.mtime
		e.Dev, e.Inode, e.UID, e.GID, e.Size = st.dev, st.ino, st.uid, st.gid, st.size
		e.IntentToAdd, e.SkipWorktree = false, false
	}
	// go-git writes no extensions: the cache tree, now stale for these paths, and the
	// untracked cache are dropped, and git rebuilds them when it needs them.
	idx.Cache, idx.ResolveUndo, idx.EndOfIndexEntry = nil, nil, nil
	var buf bytes.Buffer
	buf.Grow(len(idx.Entries) * 100)
	if err := index.NewEncoder(&buf).Encode(idx); err != nil {
		return nil, fmt.Errorf("encode the index: %w", err)
	}
	return buf.Bytes(), nil
}
