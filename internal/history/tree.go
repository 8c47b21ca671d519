package history

import (
	"bytes"
	"fmt"
	"strings"
)

// treeEntry is one entry of a raw tree object. name points into the object
// content, which is immutable, so parsing copies nothing.
type treeEntry struct {
	name []byte
	tree bool
	blob bool // a regular file; symlinks and submodules are neither
	hash hash
}

// parseTree appends the entries of a raw tree object to dst.
func parseTree(b []byte, dst []treeEntry) ([]treeEntry, error) {
	for len(b) > 0 {
		sp := bytes.IndexByte(b, ' ')
		if sp < 0 {
			return nil, errCorrupt
		}
		mode := b[:sp]
		b = b[sp+1:]
		nul := bytes.IndexByte(b, 0)
		if nul < 0 || nul+21 > len(b) {
			return nil, errCorrupt
		}
		e := treeEntry{name: b[:nul:nul]}
		copy(e.hash[:], b[nul+1:nul+21])
		switch string(mode) {
		case "40000", "040000":
			e.tree = true
		case "100644", "100755", "100664":
			e.blob = true
		}
		dst = append(dst, e)
		b = b[nul+21:]
	}
	return dst, nil
}

// entryCmp orders entries as git sorts trees: a tree's name compares as if
// it ended in '/'. Same-named tree and file thus never meet in a merge
// step, which makes a file replaced by a folder a deletion plus additions.
func entryCmp(a, b *treeEntry) int {
	n := len(a.name)
	if len(b.name) < n {
		n = len(b.name)
	}
	if c := bytes.Compare(a.name[:n], b.name[:n]); c != 0 {
		return c
	}
	ca, cb := entryByte(a, n), entryByte(b, n)
	switch {
	case ca < cb:
		return -1
	case ca > cb:
		return 1
	}
	if len(a.name) != len(b.name) {
		// One is a prefix of the other and the next bytes tie ('/').
		if len(a.name) < len(b.name) {
			return -1
		}
		return 1
	}
	return 0
}

func entryByte(e *treeEntry, i int) int {
	if i < len(e.name) {
		return int(e.name[i])
	}
	if e.tree {
		return '/'
	}
	return -1
}

// differ diffs trees for one worker.
type differ struct {
	objs   *objectStore
	prefix []string // path components of Options.Prefix
	// arena holds the parsed entries of the trees of the current commit;
	// changes resets it, so tree parsing allocates nothing in steady state.
	// Slices handed out stay valid when it grows: they keep the old array.
	arena []treeEntry
}

func (d *differ) readTree(h hash) ([]treeEntry, error) {
	if h == zeroHash {
		return nil, nil
	}
	typ, b, err := d.objs.read(h)
	if err != nil {
		return nil, err
	}
	if typ != objTree {
		return nil, fmt.Errorf("object %s is not a tree", h)
	}
	start := len(d.arena)
	if d.arena, err = parseTree(b, d.arena); err != nil {
		return nil, fmt.Errorf("tree %s: %w", h, err)
	}
	return d.arena[start:len(d.arena):len(d.arena)], nil
}

// changes returns the case files in which commit c differs from all of its
// parents. parents holds the parents' root trees.
func (d *differ) changes(tree hash, parents []hash) ([]change, error) {
	d.arena = d.arena[:0]
	cur := tree
	ps := append([]hash(nil), parents...)
	if len(ps) == 0 {
		ps = []hash{zeroHash} // a root commit adds everything
	}
	dir := ""
	for _, comp := range d.prefix {
		var err error
		if cur, err = d.lookupTree(cur, comp); err != nil {
			return nil, err
		}
		for i := range ps {
			if ps[i], err = d.lookupTree(ps[i], comp); err != nil {
				return nil, err
			}
		}
		dir += comp + "/"
	}
	var out []change
	err := d.diff(dir, cur, ps, false, &out)
	return out, err
}

// lookupTree returns the subtree name of tree h, or zero.
func (d *differ) lookupTree(h hash, name string) (hash, error) {
	if h == zeroHash {
		return zeroHash, nil
	}
	es, err := d.readTree(h)
	if err != nil {
		return zeroHash, err
	}
	for i := range es {
		if es[i].tree && string(es[i].name) == name {
			return es[i].hash, nil
		}
	}
	return zeroHash, nil
}

// diff compares tree cur with the parent trees ps (zero = absent), entering
// only subtrees whose hash differs from every parent's: a path equal to its
// version in any parent contributes nothing (that is what a merge means).
// inBundle says a folder above is a bundle: everything below it is an
// attachment, as discovery reads it.
func (d *differ) diff(dir string, cur hash, ps []hash, inBundle bool, out *[]change) error {
	for _, p := range ps {
		if p == cur {
			return nil
		}
	}
	ce, err := d.readTree(cur)
	if err != nil {
		return err
	}
	pe := make([][]treeEntry, len(ps))
	for i, p := range ps {
		if pe[i], err = d.readTree(p); err != nil {
			return err
		}
	}
	ci := 0
	pi := make([]int, len(ps))
	sub := make([]hash, len(ps))
	for {
		// The smallest entry among the heads of all sides.
		var min *treeEntry
		if ci < len(ce) {
			min = &ce[ci]
		}
		for i := range pe {
			if pi[i] < len(pe[i]) && (min == nil || entryCmp(&pe[i][pi[i]], min) < 0) {
				min = &pe[i][pi[i]]
			}
		}
		if min == nil {
			return nil
		}
		var c *treeEntry
		if ci < len(ce) && entryCmp(&ce[ci], min) == 0 {
			c = &ce[ci]
			ci++
		}
		equal := false
		// The first parent's entry that is a file: a symlink or a
		// submodule entry where a case file was is the file's deletion.
		var first *treeEntry
		for i := range pe {
			var p *treeEntry
			if pi[i] < len(pe[i]) && entryCmp(&pe[i][pi[i]], min) == 0 {
				p = &pe[i][pi[i]]
				pi[i]++
			}
			switch {
			case p == nil && c == nil:
				equal = true
			case p != nil && c != nil && p.hash == c.hash:
				equal = true
			}
			if p != nil && p.blob && first == nil {
				first = p
			}
			sub[i] = zeroHash
			if p != nil {
				sub[i] = p.hash
			}
		}
		if equal {
			continue
		}
		name := string(min.name)
		switch {
		case min.tree:
			h := zeroHash
			if c != nil {
				h = c.hash
			}
			if err := d.diff(dir+name+"/", h, append([]hash(nil), sub...), inBundle || hasIndex(d.side(ce, pe, c != nil, sub)), out); err != nil {
				return err
			}
		case !min.tree && strings.HasSuffix(name, ".md") && (c != nil && c.blob || first != nil):
			if inBundle || name != "index.md" && hasIndex(d.side(ce, pe, c != nil, sub)) {
				continue // an attachment of a bundle
			}
			ch := change{Path: dir + name}
			if c != nil && c.blob {
				ch.Blob = c.hash
			}
			if ch.Blob == zeroHash && first == nil {
				continue
			}
			if first != nil {
				ch.Old = first.hash
			}
			*out = append(*out, ch)
		}
	}
}

// side is the listing of the folder being diffed on the side that has the
// entry: the current tree, or the first parent that has it.
func (d *differ) side(ce []treeEntry, pe [][]treeEntry, inCur bool, sub []hash) []treeEntry {
	if inCur {
		return ce
	}
	for i := range pe {
		if sub[i] != zeroHash {
			return pe[i]
		}
	}
	return ce
}

func hasIndex(es []treeEntry) bool {
	for i := range es {
		if es[i].blob && string(es[i].name) == "index.md" {
			return true
		}
	}
	return false
}

// list appends every case file in tree h (below dir) to out; below a
// bundle (inBundle) there are only attachments.
func (d *differ) list(dir string, h hash, inBundle bool, out *[]change) error {
	es, err := d.readTree(h)
	if err != nil {
		return err
	}
	bundle := hasIndex(es)
	for i := range es {
		e := &es[i]
		name := string(e.name)
		switch {
		case e.tree:
			if err := d.list(dir+name+"/", e.hash, inBundle || bundle, out); err != nil {
				return err
			}
		case e.blob && !inBundle && strings.HasSuffix(name, ".md") && (!bundle || name == "index.md"):
			*out = append(*out, change{Path: dir + name, Blob: e.hash})
		}
	}
	return nil
}
