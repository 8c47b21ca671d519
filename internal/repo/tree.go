package repo

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// leaf is a file to place in a tree, or with remove, to take out of it.
type leaf struct {
	hash   plumbing.Hash
	mode   filemode.FileMode
	remove bool
}

// buildTree returns the tree base (the zero hash: an empty tree) with the files set, keyed
// by their path below it. Only the trees on the files' paths are read and rewritten; every
// other entry is reused by hash, so the cost does not grow with the repository. dir is
// the tree's own path, for messages. A removed file must be in base; a directory left
// empty by removals is dropped, as git keeps no empty trees.
func buildTree(s storer.EncodedObjectStorer, base plumbing.Hash, dir string, files map[string]leaf) (plumbing.Hash, error) {
	h, err := buildSubtree(s, base, dir, files)
	if err == nil && h.IsZero() {
		return storeObject(s, &object.Tree{}) // the root of an empty repository
	}
	return h, err
}

// buildSubtree is buildTree, returning the zero hash for a tree left empty.
func buildSubtree(s storer.EncodedObjectStorer, base plumbing.Hash, dir string, files map[string]leaf) (plumbing.Hash, error) {
	var entries []object.TreeEntry
	if !base.IsZero() {
		t, err := object.GetTree(s, base)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("read tree %s of %q: %w", base, dir, err)
		}
		entries = append(entries, t.Entries...)
	}
	pos := make(map[string]int, len(entries))
	for i, e := range entries {
		pos[e.Name] = i
	}
	set := func(name string, h plumbing.Hash, m filemode.FileMode) {
		if i, ok := pos[name]; ok {
			entries[i].Hash, entries[i].Mode = h, m
			return
		}
		pos[name] = len(entries)
		entries = append(entries, object.TreeEntry{Name: name, Mode: m, Hash: h})
	}
	// drop marks an entry for removal; the entries are compacted once at the end, so that
	// pos stays valid.
	dropped := false
	drop := func(name string) {
		entries[pos[name]].Name, dropped = "", true
		delete(pos, name)
	}

	subs := map[string]map[string]leaf{}
	for p, l := range files {
		name, rest, isDir := strings.Cut(p, "/")
		if !isDir {
			i, ok := pos[name]
			if ok && (entries[i].Mode == filemode.Dir || entries[i].Mode == filemode.Submodule) {
				return plumbing.ZeroHash, fmt.Errorf("%s: is a directory in HEAD; choose another path", join(dir, name))
			}
			if l.remove {
				if !ok {
					return plumbing.ZeroHash, fmt.Errorf("%s: is not in HEAD, so there is nothing to delete", join(dir, name))
				}
				drop(name)
				continue
			}
			set(name, l.hash, l.mode)
			continue
		}
		if subs[name] == nil {
			subs[name] = map[string]leaf{}
		}
		subs[name][rest] = l
	}
	names := make([]string, 0, len(subs))
	for n := range subs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		subBase := plumbing.ZeroHash
		i, ok := pos[name]
		if ok {
			if entries[i].Mode != filemode.Dir {
				return plumbing.ZeroHash, fmt.Errorf("%s: is a file in HEAD, not a directory; choose another path", join(dir, name))
			}
			subBase = entries[i].Hash
		}
		h, err := buildSubtree(s, subBase, join(dir, name), subs[name])
		if err != nil {
			return plumbing.ZeroHash, err
		}
		switch {
		case !h.IsZero():
			set(name, h, filemode.Dir)
		case ok:
			drop(name)
		}
	}
	if dropped {
		entries = slices.DeleteFunc(entries, func(e object.TreeEntry) bool { return e.Name == "" })
	}
	if len(entries) == 0 {
		return plumbing.ZeroHash, nil
	}

	// git orders entries by name, a directory's name compared as if it ended in '/'.
	sort.Slice(entries, func(i, j int) bool { return treeKey(entries[i]) < treeKey(entries[j]) })
	t := &object.Tree{Entries: entries}
	return storeObject(s, t)
}

func treeKey(e object.TreeEntry) string {
	if e.Mode == filemode.Dir {
		return e.Name + "/"
	}
	return e.Name
}

func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// encoder is an object that go-git can encode: a tree, a commit.
type encoder interface {
	Encode(plumbing.EncodedObject) error
}

// storeObject encodes o and stores it unless the repository already has it. go-git
// writes a loose object to a temporary file and renames it into place, so a kill leaves
// either no object or a whole one.
func storeObject(s storer.EncodedObjectStorer, o encoder) (plumbing.Hash, error) {
	obj := s.NewEncodedObject()
	if err := o.Encode(obj); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("encode object: %w", err)
	}
	return storeEncoded(s, obj)
}

func storeEncoded(s storer.EncodedObjectStorer, obj plumbing.EncodedObject) (plumbing.Hash, error) {
	h := obj.Hash()
	if s.HasEncodedObject(h) == nil {
		return h, nil
	}
	if _, err := s.SetEncodedObject(obj); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("store object %s: %w", h, err)
	}
	return h, nil
}
