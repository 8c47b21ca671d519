package remote

import (
	"fmt"
	"io"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// missing lists the objects reachable from tip that the other side lacks, and the number
// of commits among them. hasCommit reports a commit the other side has (with everything it
// reaches); hasObject, if not nil, any object it has. Each new commit's tree is compared
// with its first parent's and only the entries that differ are entered, so the walk costs
// the changes since the sides parted, not the size of the trees.
func missing(src storer.EncodedObjectStorer, tip plumbing.Hash, hasCommit, hasObject func(plumbing.Hash) bool) ([]plumbing.Hash, int, error) {
	if tip.IsZero() || hasCommit(tip) {
		return nil, 0, nil
	}
	seen := map[plumbing.Hash]bool{}
	var out []plumbing.Hash
	add := func(h plumbing.Hash) bool {
		if seen[h] || (hasObject != nil && hasObject(h)) {
			return false
		}
		seen[h] = true
		out = append(out, h)
		return true
	}
	var newCommits []*object.Commit
	stack := []plumbing.Hash{tip}
	visited := map[plumbing.Hash]bool{}
	for len(stack) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if visited[h] {
			continue
		}
		visited[h] = true
		c, err := object.GetCommit(src, h)
		if err != nil {
			return nil, 0, fmt.Errorf("read commit %s: %w", h, err)
		}
		newCommits = append(newCommits, c)
		seen[h] = true
		out = append(out, h)
		for _, p := range c.ParentHashes {
			if !visited[p] && !hasCommit(p) {
				stack = append(stack, p)
			}
		}
	}
	for _, c := range newCommits {
		base := plumbing.ZeroHash
		if len(c.ParentHashes) > 0 {
			pc, err := object.GetCommit(src, c.ParentHashes[0])
			if err != nil {
				return nil, 0, fmt.Errorf("read commit %s: %w", c.ParentHashes[0], err)
			}
			base = pc.TreeHash
		}
		if err := treeDelta(src, base, c.TreeHash, add); err != nil {
			return nil, 0, err
		}
	}
	return out, len(newCommits), nil
}

// treeDelta adds tree `to` and, below it, every entry that is not in `from` with the same
// hash. A subtree the other side has (add reports false) is not entered.
func treeDelta(src storer.EncodedObjectStorer, from, to plumbing.Hash, add func(plumbing.Hash) bool) error {
	if from == to || !add(to) {
		return nil
	}
	old := map[string]plumbing.Hash{}
	if !from.IsZero() {
		ft, err := object.GetTree(src, from)
		if err != nil {
			return fmt.Errorf("read tree %s: %w", from, err)
		}
		for _, e := range ft.Entries {
			old[e.Name] = e.Hash
		}
	}
	t, err := object.GetTree(src, to)
	if err != nil {
		return fmt.Errorf("read tree %s: %w", to, err)
	}
	for _, e := range t.Entries {
		prev := old[e.Name]
		if prev == e.Hash {
			continue
		}
		switch e.Mode {
		case filemode.Submodule:
		case filemode.Dir:
			if err := treeDelta(src, prev, e.Hash, add); err != nil {
				return err
			}
		default:
			add(e.Hash)
		}
	}
	return nil
}

// looseLimit is the number of objects up to which a transfer writes loose objects rather
// than a pack: a sync of a day's work stays a handful of small files.
const looseLimit = 256

// copyObjects stores the objects hs of src in dst: loose when few, as one pack otherwise.
func copyObjects(dst storer.EncodedObjectStorer, src storer.EncodedObjectStorer, hs []plumbing.Hash) error {
	if len(hs) == 0 {
		return nil
	}
	pw, canPack := dst.(storer.PackfileWriter)
	if len(hs) <= looseLimit || !canPack {
		for _, h := range hs {
			if dst.HasEncodedObject(h) == nil {
				continue
			}
			obj, err := src.EncodedObject(plumbing.AnyObject, h)
			if err != nil {
				return fmt.Errorf("read object %s: %w", h, err)
			}
			// Copied into a memory object: src's may be backed by a reader that dst's
			// writer cannot share.
			mem := &plumbing.MemoryObject{}
			mem.SetType(obj.Type())
			r, err := obj.Reader()
			if err != nil {
				return fmt.Errorf("read object %s: %w", h, err)
			}
			_, err = io.Copy(mem, r)
			r.Close()
			if err != nil {
				return fmt.Errorf("read object %s: %w", h, err)
			}
			if mem.Hash() != h {
				return fmt.Errorf("object %s reads back as %s: the repository is damaged; run git fsck", h, mem.Hash())
			}
			if _, err := dst.SetEncodedObject(mem); err != nil {
				return fmt.Errorf("store object %s: %w", h, err)
			}
		}
		return nil
	}
	w, err := pw.PackfileWriter()
	if err != nil {
		return fmt.Errorf("write a pack: %w", err)
	}
	enc := packfile.NewEncoder(w, src, false)
	if _, err := enc.Encode(hs, 0); err != nil {
		w.Close()
		return fmt.Errorf("write a pack: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("write a pack: %w", err)
	}
	return nil
}
