package repo

import (
	"container/heap"
	"fmt"
	"sort"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// FileChange is one file that differs between two trees.
type FileChange struct {
	Path   string // slash-separated, from the root of the tree
	Blob   plumbing.Hash
	Mode   filemode.FileMode
	Delete bool // the file is gone; Blob and Mode are those it had
}

// TreeChanges lists the files (blobs and links; not submodules) that differ between the
// trees from and to (the zero hash: an empty tree), sorted by path. Subtrees with equal
// hashes are not entered, so the cost is that of the paths that changed.
func TreeChanges(s storer.EncodedObjectStorer, from, to plumbing.Hash) ([]FileChange, error) {
	var out []FileChange
	if err := diffTrees(s, "", from, to, &out); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

func treeEntries(s storer.EncodedObjectStorer, h plumbing.Hash) (map[string]object.TreeEntry, error) {
	m := map[string]object.TreeEntry{}
	if h.IsZero() {
		return m, nil
	}
	t, err := object.GetTree(s, h)
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", h, err)
	}
	for _, e := range t.Entries {
		m[e.Name] = e
	}
	return m, nil
}

func diffTrees(s storer.EncodedObjectStorer, dir string, from, to plumbing.Hash, out *[]FileChange) error {
	if from == to {
		return nil
	}
	a, err := treeEntries(s, from)
	if err != nil {
		return err
	}
	b, err := treeEntries(s, to)
	if err != nil {
		return err
	}
	for name, eb := range b {
		ea, had := a[name]
		if had && ea.Hash == eb.Hash && ea.Mode == eb.Mode {
			continue
		}
		p := join(dir, name)
		switch {
		case eb.Mode == filemode.Dir:
			base := plumbing.ZeroHash
			if had && ea.Mode == filemode.Dir {
				base = ea.Hash
			} else if had && ea.Mode != filemode.Submodule {
				*out = append(*out, FileChange{Path: p, Blob: ea.Hash, Mode: ea.Mode, Delete: true})
			}
			if err := diffTrees(s, p, base, eb.Hash, out); err != nil {
				return err
			}
		case eb.Mode == filemode.Submodule:
		default:
			if had && ea.Mode == filemode.Dir {
				if err := diffTrees(s, p, ea.Hash, plumbing.ZeroHash, out); err != nil {
					return err
				}
			}
			*out = append(*out, FileChange{Path: p, Blob: eb.Hash, Mode: eb.Mode})
		}
	}
	for name, ea := range a {
		if _, ok := b[name]; ok {
			continue
		}
		p := join(dir, name)
		switch ea.Mode {
		case filemode.Dir:
			if err := diffTrees(s, p, ea.Hash, plumbing.ZeroHash, out); err != nil {
				return err
			}
		case filemode.Submodule:
		default:
			*out = append(*out, FileChange{Path: p, Blob: ea.Hash, Mode: ea.Mode, Delete: true})
		}
	}
	return nil
}

// ApplyChanges returns the tree base with the changes made: files placed, or removed when
// Delete is set (a folder left empty disappears, as in git). Only the trees on the changed
// paths are rewritten.
func ApplyChanges(s storer.EncodedObjectStorer, base plumbing.Hash, changes []FileChange) (plumbing.Hash, error) {
	files := make(map[string]leaf, len(changes))
	for _, c := range changes {
		if err := checkPath(c.Path); err != nil {
			return plumbing.ZeroHash, err
		}
		if c.Delete {
			files[c.Path] = leaf{remove: true}
			continue
		}
		m := c.Mode
		if m == filemode.Empty {
			m = filemode.Regular
		}
		files[c.Path] = leaf{hash: c.Blob, mode: m}
	}
	return buildTree(s, base, "", files)
}

// WriteBlob stores data as a blob and returns its hash.
func WriteBlob(s storer.EncodedObjectStorer, data []byte) (plumbing.Hash, error) {
	obj := s.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	obj.SetSize(int64(len(data)))
	w, err := obj.Writer()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := w.Write(data); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, err
	}
	return storeEncoded(s, obj)
}

// WriteCommit stores c, signed with key when it is set (at the committer time).
func WriteCommit(s storer.EncodedObjectStorer, c *object.Commit, key *openpgp.Entity) (plumbing.Hash, error) {
	if key != nil {
		sig, err := sign(c, key, c.Committer.When)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		c.PGPSignature = sig
	}
	return storeObject(s, c)
}

// ReplayTime is the committer time of a commit written now on top of parent: now in whole
// seconds, never before the parent's committer time.
func ReplayTime(now time.Time, parent *object.Commit) time.Time { return commitTime(now, parent) }

// Divergence is how two commits' histories relate.
type Divergence struct {
	// Base is the newest commit both reach (zero: none, or one side is empty).
	Base plumbing.Hash
	// Local are the commits only the first reaches, parents before children; Remote the
	// commits only the second reaches, newest first.
	Local, Remote []*object.Commit
}

// Diverge walks back from local and remote (either may be zero) by committer date, the
// way git finds a merge base, until only commits both reach are left.
func Diverge(s storer.EncodedObjectStorer, local, remote plumbing.Hash) (Divergence, error) {
	const fromLocal, fromRemote, both = 1, 2, 3
	flags := map[plumbing.Hash]uint8{}
	commits := map[plumbing.Hash]*object.Commit{}
	q := &commitHeap{}
	open := 0 // queued commits not yet reached from both sides
	push := func(h plumbing.Hash, f uint8) error {
		old, seen := flags[h]
		nf := old | f
		if seen && nf == old {
			return nil
		}
		flags[h] = nf
		if !seen {
			c, err := object.GetCommit(s, h)
			if err != nil {
				return fmt.Errorf("read commit %s: %w", h, err)
			}
			commits[h] = c
			heap.Push(q, c)
			if nf != both {
				open++
			}
			return nil
		}
		if old != both && nf == both {
			open--
		}
		// Already walked past: its ancestors need the new flag too.
		if !q.has(h) {
			return pushParents(commits[h], nf, flags, commits, q, &open, s)
		}
		return nil
	}
	if !local.IsZero() {
		if err := push(local, fromLocal); err != nil {
			return Divergence{}, err
		}
	}
	if !remote.IsZero() {
		if err := push(remote, fromRemote); err != nil {
			return Divergence{}, err
		}
	}
	var d Divergence
	for q.Len() > 0 && open > 0 {
		c := heap.Pop(q).(*object.Commit)
		f := flags[c.Hash]
		if f != both {
			open--
		}
		for _, p := range c.ParentHashes {
			if err := push(p, f); err != nil {
				return Divergence{}, err
			}
		}
	}
	var localOnly []*object.Commit
	for h, f := range flags {
		switch f {
		case fromLocal:
			localOnly = append(localOnly, commits[h])
		case fromRemote:
			d.Remote = append(d.Remote, commits[h])
		}
	}
	// The base: the newest commit both reach that is a parent of a one-sided commit, or a tip.
	var bases []*object.Commit
	for h, f := range flags {
		if f == both {
			bases = append(bases, commits[h])
		}
	}
	sort.Slice(bases, func(i, j int) bool { return newer(bases[i], bases[j]) })
	if len(bases) > 0 {
		d.Base = bases[0].Hash
	}
	sort.Slice(d.Remote, func(i, j int) bool { return newer(d.Remote[i], d.Remote[j]) })
	d.Local = topoOrder(localOnly)
	return d, nil
}

// pushParents passes a flag that reached an already walked commit on to its ancestors.
func pushParents(c *object.Commit, f uint8, flags map[plumbing.Hash]uint8, commits map[plumbing.Hash]*object.Commit, q *commitHeap, open *int, s storer.EncodedObjectStorer) error {
	stack := []*object.Commit{c}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, p := range c.ParentHashes {
			old, seen := flags[p]
			if !seen {
				pc, err := object.GetCommit(s, p)
				if err != nil {
					return fmt.Errorf("read commit %s: %w", p, err)
				}
				flags[p] = f
				commits[p] = pc
				heap.Push(q, pc)
				if f != 3 {
					*open++
				}
				continue
			}
			nf := old | f
			if nf == old {
				continue
			}
			flags[p] = nf
			if q.has(p) {
				if old != 3 && nf == 3 {
					*open--
				}
				continue
			}
			stack = append(stack, commits[p])
		}
	}
	return nil
}

func newer(a, b *object.Commit) bool {
	if !a.Committer.When.Equal(b.Committer.When) {
		return a.Committer.When.After(b.Committer.When)
	}
	return a.Hash.String() < b.Hash.String()
}

// topoOrder orders commits parents first, the older first among independent ones.
func topoOrder(cs []*object.Commit) []*object.Commit {
	in := map[plumbing.Hash]bool{}
	for _, c := range cs {
		in[c.Hash] = true
	}
	sort.Slice(cs, func(i, j int) bool { return newer(cs[j], cs[i]) })
	done := map[plumbing.Hash]bool{}
	out := make([]*object.Commit, 0, len(cs))
	var visit func(c *object.Commit)
	byHash := map[plumbing.Hash]*object.Commit{}
	for _, c := range cs {
		byHash[c.Hash] = c
	}
	visit = func(c *object.Commit) {
		if done[c.Hash] {
			return
		}
		done[c.Hash] = true
		for _, p := range c.ParentHashes {
			if in[p] {
				visit(byHash[p])
			}
		}
		out = append(out, c)
	}
	for _, c := range cs {
		visit(c)
	}
	return out
}

// commitHeap pops the newest commit first.
type commitHeap struct {
	items  []*object.Commit
	queued map[plumbing.Hash]bool
}

func (h *commitHeap) Len() int           { return len(h.items) }
func (h *commitHeap) Less(i, j int) bool { return newer(h.items[i], h.items[j]) }
func (h *commitHeap) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *commitHeap) Push(x any) {
	c := x.(*object.Commit)
	if h.queued == nil {
		h.queued = map[plumbing.Hash]bool{}
	}
	h.queued[c.Hash] = true
	h.items = append(h.items, c)
}
func (h *commitHeap) Pop() any {
	c := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	delete(h.queued, c.Hash)
	return c
}
func (h *commitHeap) has(x plumbing.Hash) bool { return h.queued[x] }
