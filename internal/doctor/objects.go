package doctor

import (
	"bytes"
	"crypto/sha1"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/objfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// fsckFix is what to do about damaged or missing objects: doctor never
// touches them, since they are the record.
const fsckFix = "run `git fsck --full` to see what is affected; then move the damaged file out of .git/objects and restore the object from a clone or the remote (copy it from their .git/objects, or `git fetch`); casebook doctor never changes objects or refs"

func (c *checker) checkObjects() {
	c.damaged = map[string]bool{}
	c.checkLoose()
	c.checkPacks()
	c.walk()
}

// checkLoose inflates every loose object and hashes it: a file that does
// not inflate, or whose content has another hash than its name, is damaged.
func (c *checker) checkLoose() {
	objDir := c.dirs.Objects()
	dirs, err := os.ReadDir(objDir)
	if err != nil {
		c.rep.add(Finding{Code: "object.missing", Path: c.rel(objDir), Message: "cannot list objects: " + err.Error(), Fix: fsckFix})
		return
	}
	for _, d := range dirs {
		if !d.IsDir() || len(d.Name()) != 2 || !isHex(d.Name()) {
			continue
		}
		files, err := os.ReadDir(filepath.Join(objDir, d.Name()))
		if err != nil {
			c.rep.add(Finding{Code: "object.damaged", Path: c.rel(filepath.Join(objDir, d.Name())), Message: err.Error(), Fix: fsckFix})
			continue
		}
		for _, f := range files {
			if len(f.Name()) != 38 || !isHex(f.Name()) {
				continue // tmp_obj_*: a writer's temporary file, git's to clean
			}
			name := d.Name() + f.Name()
			p := filepath.Join(objDir, d.Name(), f.Name())
			c.rep.Objects++
			if err := verifyLoose(p, name); err != nil {
				c.damaged[name] = true
				c.rep.add(Finding{Code: "object.damaged", Path: c.rel(p),
					Message: fmt.Sprintf("loose object %s is damaged: %v", name, err), Fix: fsckFix})
			}
		}
	}
}

func verifyLoose(path, want string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := objfile.NewReader(f)
	if err != nil {
		return fmt.Errorf("does not inflate (%v)", err)
	}
	defer r.Close()
	t, size, err := r.Header()
	if err != nil {
		return fmt.Errorf("bad header (%v)", err)
	}
	n, err := io.Copy(io.Discard, r)
	if err != nil {
		return fmt.Errorf("does not inflate (%v)", err)
	}
	if n != size {
		return fmt.Errorf("holds %d bytes, its header says %d", n, size)
	}
	if got := r.Hash().String(); got != want {
		return fmt.Errorf("its %s content hashes to %s", t, got)
	}
	return nil
}

// checkPacks verifies each pack and its index against their trailing
// checksums, and that the index belongs to the pack.
func (c *checker) checkPacks() {
	packs, _ := filepath.Glob(filepath.Join(c.dirs.Objects(), "pack", "*.pack"))
	sort.Strings(packs)
	for _, pack := range packs {
		idx := strings.TrimSuffix(pack, ".pack") + ".idx"
		packSum, err := trailer(pack)
		if err != nil {
			c.rep.add(Finding{Code: "object.damaged", Path: c.rel(pack), Message: "pack " + err.Error(), Fix: fsckFix})
			continue
		}
		if _, err := trailer(idx); err != nil {
			c.rep.add(Finding{Code: "object.damaged", Path: c.rel(idx), Message: "pack index " + err.Error(), Fix: fsckFix})
			continue
		}
		f, err := os.Open(idx)
		if err != nil {
			c.rep.add(Finding{Code: "object.damaged", Path: c.rel(idx), Message: err.Error(), Fix: fsckFix})
			continue
		}
		mi := idxfile.NewMemoryIndex()
		err = idxfile.NewDecoder(f).Decode(mi)
		f.Close()
		if err != nil {
			c.rep.add(Finding{Code: "object.damaged", Path: c.rel(idx), Message: "pack index does not decode: " + err.Error(), Fix: fsckFix})
			continue
		}
		if !bytes.Equal(mi.PackfileChecksum[:], packSum) {
			c.rep.add(Finding{Code: "object.damaged", Path: c.rel(idx), Message: "pack index belongs to another pack", Fix: fsckFix})
			continue
		}
		if n, err := mi.Count(); err == nil {
			c.rep.Objects += int(n)
		}
	}
}

// trailer checks that a pack or index file ends with the SHA-1 of what
// precedes it and returns that checksum.
func trailer(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() < sha1.Size {
		return nil, errors.New("is truncated")
	}
	h := sha1.New()
	if _, err := io.CopyN(h, f, st.Size()-sha1.Size); err != nil {
		return nil, err
	}
	want := make([]byte, sha1.Size)
	if _, err := io.ReadFull(f, want); err != nil {
		return nil, err
	}
	if !bytes.Equal(h.Sum(nil), want) {
		return nil, errors.New("does not match its checksum")
	}
	return want, nil
}

// walk follows every ref to its commit, every commit to its parents and
// tree, and HEAD's tree to all its entries.
func (c *checker) walk() {
	shallow := map[plumbing.Hash]bool{}
	if ss, ok := c.repo.Storer.(storer.ShallowStorer); ok {
		if hs, err := ss.Shallow(); err == nil {
			for _, h := range hs {
				shallow[h] = true
			}
		}
	}
	refs, err := c.repo.References()
	if err != nil {
		c.rep.add(Finding{Code: "object.missing", Path: ".git/refs", Message: "cannot list refs: " + err.Error(), Fix: fsckFix})
		return
	}
	type start struct {
		ref  string
		hash plumbing.Hash
	}
	var starts []start
	_ = refs.ForEach(func(r *plumbing.Reference) error {
		if r.Type() == plumbing.HashReference {
			starts = append(starts, start{r.Name().String(), r.Hash()})
		}
		return nil
	})
	sort.Slice(starts, func(i, j int) bool { return starts[i].ref < starts[j].ref })
	seen := map[plumbing.Hash]bool{}
	for _, s := range starts {
		if seen[s.hash] {
			continue
		}
		obj, err := c.repo.Storer.EncodedObject(plumbing.AnyObject, s.hash)
		if err != nil {
			c.missing(s.hash, fmt.Sprintf("ref %s points at %s, which is missing or unreadable (%v)", s.ref, s.hash, err), ".git/"+s.ref)
			continue
		}
		if obj.Type() != plumbing.CommitObject {
			continue // an annotated tag or a ref to a tree/blob: not history
		}
		stack := []plumbing.Hash{s.hash}
		for len(stack) > 0 {
			h := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[h] {
				continue
			}
			seen[h] = true
			cm, err := object.GetCommit(c.repo.Storer, h)
			if err != nil {
				c.missing(h, fmt.Sprintf("commit %s (reached from %s) is missing or unreadable (%v)", h, s.ref, err), "")
				continue
			}
			c.rep.Commits++
			if _, err := c.repo.Storer.EncodedObject(plumbing.TreeObject, cm.TreeHash); err != nil {
				c.missing(cm.TreeHash, fmt.Sprintf("tree %s of commit %s is missing or unreadable (%v)", cm.TreeHash, h, err), "")
			}
			if shallow[h] {
				continue
			}
			stack = append(stack, cm.ParentHashes...)
		}
	}
	head, err := c.repo.Head()
	if err != nil {
		return // no commits yet, or HEAD names a missing branch: reported above if broken
	}
	if cm, err := object.GetCommit(c.repo.Storer, head.Hash()); err == nil {
		c.walkTree(cm.TreeHash, "", map[plumbing.Hash]bool{})
	}
}

// walkTree checks that every tree and blob under tree exists and reads.
func (c *checker) walkTree(tree plumbing.Hash, dir string, seen map[plumbing.Hash]bool) {
	if seen[tree] {
		return
	}
	seen[tree] = true
	t, err := object.GetTree(c.repo.Storer, tree)
	if err != nil {
		if !c.damaged[tree.String()] {
			c.missing(tree, fmt.Sprintf("tree %s of %s at HEAD is missing or unreadable (%v)", tree, displayDir(dir), err), "")
		}
		return
	}
	for _, e := range t.Entries {
		p := e.Name
		if dir != "" {
			p = dir + "/" + e.Name
		}
		switch e.Mode {
		case filemode.Dir:
			c.walkTree(e.Hash, p, seen)
		case filemode.Submodule:
		default:
			if seen[e.Hash] {
				continue
			}
			seen[e.Hash] = true
			if err := c.repo.Storer.HasEncodedObject(e.Hash); err != nil && !c.damaged[e.Hash.String()] {
				c.missing(e.Hash, fmt.Sprintf("%s at HEAD (blob %s) is missing", p, e.Hash), p)
			} else if c.damaged[e.Hash.String()] {
				c.rep.add(Finding{Code: "object.damaged", Path: p,
					Message: fmt.Sprintf("%s at HEAD is stored in the damaged object %s", p, e.Hash),
					Fix:     "if the work-tree file is unchanged it still holds the content: move the damaged object file out of .git/objects, then `git hash-object -w " + p + "` writes it again; otherwise restore it from a clone"})
			}
		}
	}
}

func (c *checker) missing(h plumbing.Hash, msg, path string) {
	if c.damaged[h.String()] {
		return // reported as damaged already
	}
	c.damaged[h.String()] = true
	c.rep.add(Finding{Code: "object.missing", Path: path, Message: msg, Fix: fsckFix})
}

func displayDir(dir string) string {
	if dir == "" {
		return "the top folder"
	}
	return dir
}

func isHex(s string) bool {
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return false
		}
	}
	return true
}
