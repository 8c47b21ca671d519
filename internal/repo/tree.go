package repo

import (
	"fmt"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// leaf is a file to place in a tree.
type leaf struct {
	hash plumbing.Hash
	mode filemode.FileMode
}

// buildTree returns the tree base (the zero hash: an empty tree) with the files set, keyed
// by their path below it; a file with the zero hash is removed, and a folder left empty
// with it (the zero hash is returned for an empty folder other than the root). Only the trees on the files' paths are read and rewritten; every
// other entry is reused by hash, so the cost does not grow with the repository. dir is
// the tree's own path, for messages.
func buildTree(s storer.EncodedObjectStorer, base plumbing.Hash, dir string, files map[string]leaf) (plumbing.Hash, error) {
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
		if h.IsZero() { // a deletion, or a folder left empty
			if i, ok := pos[name]; ok {
				entries[i].Name = ""
			}
			return
		}
		if i, ok := pos[name]; ok {
			entries[i].Name, entries[i].Hash, entries[i].Mode = name, h, m
			return
		}
		pos[name] = len(entries)
		entries = append(entries, object.TreeEntry{Name: name, Mode: m, Hash: h})
	}

	subs := map[string]map[string]leaf{}
	for p, l := range files {
		name, rest, isDir := strings.Cut(p, "/")
		if !isDir {
			if i, ok := pos[name]; ok && (entries[i].Mode == filemode.Dir || entries[i].Mode == filemode.Submodule) {
				return plumbing.ZeroHash, fmt.Errorf("%s: is a directory in HEAD; choose another path", join(dir, name))
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
		if i, ok := pos[name]; ok {
			if entries[i].Mode != filemode.Dir {
				return plumbing.ZeroHash, fmt.Errorf("%s: is a file in HEAD, not a directory; choose another path", join(dir, name))
			}
			subBase = entries[i].Hash
		}
		h, err := buildTree(s, subBase, join(dir, name), subs[name])
		if err != nil {
			return plumbing.ZeroHash, err
		}
		set(name, h, filemode.Dir)
	}

	kept := entries[:0]
	for _, e := range entries {
		if e.Name != "" {
			kept = append(kept, e)
		}
	}
	entries = kept
	if len(entries) == 0 && dir != "" {
		return plumbing.ZeroHash, nil // git keeps no empty folders
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
