package repo

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/casebook/casebook/internal/gitdir"
)

// maxDeltaDepth bounds delta chains in the batch's pack, as git's pack-objects does
// (--depth=50): a reader applies at most this many deltas to rebuild an object.
const maxDeltaDepth = 50

// Batch writes a whole history into a new repository in one go: `casebook demo` makes
// tens of thousands of commits, and Commit's lock, index update and work-tree write for
// each would take many minutes. Batch keeps the branch's tree in memory, appends every
// object to one pack file (each tree and file stored as a delta against its previous
// version, so the pack stays small), and only at Close moves the pack into place, writes
// the work tree and a fresh index, and sets the branch.
//
// Batch is for new repositories only: NewBatch refuses a branch that has commits. Until
// Close nothing is visible; a process killed before leaves a temporary file in
// .git/objects/pack and an unborn branch. A Batch is not safe for concurrent use.
type Batch struct {
	repo   *git.Repository
	dirs   gitdir.Dirs
	root   string
	branch plumbing.ReferenceName

	tmp    *os.File
	w      *bufio.Writer
	offset int64
	objs   map[plumbing.Hash]packed
	zbuf   bytes.Buffer
	zw     *zlib.Writer
	// zstore stores without compressing: a delta of a few dozen bytes gains nothing from
	// it, and building Huffman tables for it costs more than everything else.
	zstore *zlib.Writer

	tree    *batchDir
	head    plumbing.Hash
	headAt  time.Time
	commits int
	// ids holds the largest sequence number per "<PREFIX>-<YYYY>-" among the case files
	// filed under cases/<YYYY>/, so that NextID costs nothing however many cases exist.
	ids  map[string]uint64
	eol  *LineEndings
	done bool
}

// packed is where an object sits in the pack and how deep its delta chain is.
type packed struct {
	off   int64
	crc   uint32
	depth int
}

// version is the last stored version of a tree or a file: the base of the next delta.
type version struct {
	hash plumbing.Hash
	raw  []byte
}

type batchDir struct {
	dirs  map[string]*batchDir
	files map[string]*batchFile
	last  version
	dirty bool
}

type batchFile struct {
	mode filemode.FileMode
	last version
}

func newBatchDir() *batchDir {
	return &batchDir{dirs: map[string]*batchDir{}, files: map[string]*batchFile{}, dirty: true}
}

// NewBatch starts a batch on the branch HEAD points at, which must not exist yet. root is
// the work tree that Close fills.
func NewBatch(repo *git.Repository, root string) (*Batch, error) {
	dirs, err := gitdir.Of(repo)
	if err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	if root == "" {
		return nil, errors.New("batch: a work tree is needed")
	}
	branch, err := readHead(dirs)
	if err != nil {
		return nil, err
	}
	if h, err := readRef(dirs, branch); err != nil {
		return nil, err
	} else if !h.IsZero() {
		return nil, fmt.Errorf("batch: %s already has commits; bulk writing is only for a new repository", branch)
	}
	eol, err := LoadLineEndings(repo, root)
	if err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	dir := filepath.Join(dirs.Objects(), "pack")
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "tmp_pack_casebook_")
	if err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	b := &Batch{repo: repo, dirs: dirs, root: root, branch: branch, tmp: tmp,
		w: bufio.NewWriterSize(tmp, 1<<20), objs: map[plumbing.Hash]packed{}, tree: newBatchDir(),
		ids: map[string]uint64{}, eol: eol}
	// The header's object count is patched at Close.
	if _, err := b.w.Write([]byte("PACK\x00\x00\x00\x02\x00\x00\x00\x00")); err != nil {
		b.Abort()
		return nil, fmt.Errorf("batch: %w", err)
	}
	b.offset = 12
	b.zw, _ = zlib.NewWriterLevel(&b.zbuf, zlib.BestSpeed)
	b.zstore, _ = zlib.NewWriterLevel(&b.zbuf, zlib.NoCompression)
	return b, nil
}

// Commit adds one commit on top of the previous one with the changed files. author is
// also the committer; the commit time is at in whole seconds, never before the previous
// commit's (as with Commit).
func (b *Batch) Commit(changes []Change, msg string, author Identity, at time.Time) (Result, error) {
	if b.done {
		return Result{}, errors.New("batch: already closed")
	}
	if err := author.check(); err != nil {
		return Result{}, fmt.Errorf("batch: author: %w", err)
	}
	changes, err := normalise(changes)
	if err != nil {
		return Result{}, err
	}
	if strings.TrimSpace(msg) == "" {
		return Result{}, errors.New("commit: the message is empty")
	}
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	for _, ch := range changes {
		if ch.Delete {
			return Result{}, fmt.Errorf("batch: %s: a bulk-written repository only adds and replaces files", ch.Path)
		}
	}
	for _, ch := range changes {
		if err := b.place(ch); err != nil {
			return Result{}, err
		}
	}
	tree, err := b.writeTree(b.tree)
	if err != nil {
		return Result{}, err
	}
	when := at.Truncate(time.Second)
	if b.commits > 0 && b.headAt.After(when) {
		when = b.headAt.In(at.Location())
	}
	sig := object.Signature{Name: author.Name, Email: author.Email, When: when}
	c := &object.Commit{Author: sig, Committer: sig, Message: msg, TreeHash: tree}
	if !b.head.IsZero() {
		c.ParentHashes = []plumbing.Hash{b.head}
	}
	obj := &plumbing.MemoryObject{}
	if err := c.Encode(obj); err != nil {
		return Result{}, fmt.Errorf("batch: encode commit: %w", err)
	}
	r, err := obj.Reader()
	if err != nil {
		return Result{}, fmt.Errorf("batch: encode commit: %w", err)
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		return Result{}, fmt.Errorf("batch: encode commit: %w", err)
	}
	h, err := b.write(plumbing.CommitObject, raw, nil)
	if err != nil {
		return Result{}, err
	}
	b.head, b.headAt = h, when
	b.commits++
	return Result{Commit: h, Time: when, Branch: b.branch}, nil
}

// place stores the file's blob and puts it into the in-memory tree.
func (b *Batch) place(ch Change) error {
	parts := strings.Split(ch.Path, "/")
	d := b.tree
	d.dirty = true
	for i, name := range parts[:len(parts)-1] {
		if _, ok := d.files[name]; ok {
			return fmt.Errorf("%s: is a file, not a directory; choose another path", strings.Join(parts[:i+1], "/"))
		}
		sub := d.dirs[name]
		if sub == nil {
			sub = newBatchDir()
			d.dirs[name] = sub
		}
		sub.dirty = true
		d = sub
	}
	name := parts[len(parts)-1]
	if _, ok := d.dirs[name]; ok {
		return fmt.Errorf("%s: is a directory; choose another path", ch.Path)
	}
	f := d.files[name]
	if f == nil {
		f = &batchFile{}
		d.files[name] = f
	}
	var base *version
	if f.last.raw != nil {
		base = &f.last
	}
	data := slices.Clone(b.eol.ToGit(ch.Path, ch.Data))
	h, err := b.write(plumbing.BlobObject, data, base)
	if err != nil {
		return fmt.Errorf("%s: %w", ch.Path, err)
	}
	f.mode, f.last = ch.Mode, version{hash: h, raw: data}
	b.noteID(parts)
	return nil
}

// noteID keeps the largest sequence number of a case file filed under cases/<YYYY>/.
func (b *Batch) noteID(parts []string) {
	if len(parts) < 3 || parts[0] != "cases" {
		return
	}
	year := parts[1]
	// A file is named by its id; a bundle <ID>/index.md by its folder.
	for _, p := range parts[2:] {
		name := stem(p)
		i := strings.LastIndexByte(name, '-')
		if i < 0 || !strings.HasSuffix(name[:i], "-"+year) {
			continue
		}
		m := idMatcher{prefix: name[:i+1]}
		if m.see(name) {
			b.ids[m.prefix] = max(b.ids[m.prefix], m.max)
		}
	}
}

// writeTree stores the trees that changed since the last commit, bottom up.
func (b *Batch) writeTree(d *batchDir) (plumbing.Hash, error) {
	if !d.dirty {
		return d.last.hash, nil
	}
	type entry struct {
		key  string
		mode filemode.FileMode
		name string
		hash plumbing.Hash
	}
	entries := make([]entry, 0, len(d.dirs)+len(d.files))
	for name := range d.dirs {
		entries = append(entries, entry{key: name + "/", mode: filemode.Dir, name: name})
	}
	for name, f := range d.files {
		mode := f.mode
		if mode == filemode.Empty {
			mode = filemode.Regular
		}
		entries = append(entries, entry{key: name, mode: mode, name: name, hash: f.last.hash})
	}
	// git orders entries by name, a directory's name compared as if it ended in '/'.
	// Subtrees are stored in that order too, so the pack is the same on every run.
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	for i := range entries {
		if entries[i].mode != filemode.Dir {
			continue
		}
		h, err := b.writeTree(d.dirs[entries[i].name])
		if err != nil {
			return plumbing.ZeroHash, err
		}
		entries[i].hash = h
	}
	var raw []byte
	for _, e := range entries {
		raw = append(raw, strconv.FormatUint(uint64(e.mode), 8)...)
		raw = append(raw, ' ')
		raw = append(raw, e.name...)
		raw = append(raw, 0)
		raw = append(raw, e.hash[:]...)
	}
	var base *version
	if d.last.raw != nil {
		base = &d.last
	}
	h, err := b.write(plumbing.TreeObject, raw, base)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	d.last, d.dirty = version{hash: h, raw: raw}, false
	return h, nil
}

// write appends an object to the pack unless it is there already, as a delta against
// base when that saves at least half of it.
func (b *Batch) write(t plumbing.ObjectType, raw []byte, base *version) (plumbing.Hash, error) {
	h := plumbing.ComputeHash(t, raw)
	if _, ok := b.objs[h]; ok {
		return h, nil
	}
	typ, payload, depth := t, raw, 0
	var ofs int64
	if base != nil {
		if bp, ok := b.objs[base.hash]; ok && bp.depth < maxDeltaDepth && len(raw) > 64 {
			if d := packfile.DiffDelta(base.raw, raw); len(d) < len(raw)/2 {
				typ, payload, depth, ofs = plumbing.OFSDeltaObject, d, bp.depth+1, b.offset-bp.off
			}
		}
	}
	var head [32]byte
	n := entryHeader(head[:0], typ, int64(len(payload)))
	if typ == plumbing.OFSDeltaObject {
		n = appendOfs(n, ofs)
	}
	b.zbuf.Reset()
	zw := b.zw
	if len(payload) < 256 {
		zw = b.zstore
	}
	zw.Reset(&b.zbuf)
	if _, err := zw.Write(payload); err != nil {
		return h, err
	}
	if err := zw.Close(); err != nil {
		return h, err
	}
	crc := crc32.ChecksumIEEE(n)
	crc = crc32.Update(crc, crc32.IEEETable, b.zbuf.Bytes())
	if _, err := b.w.Write(n); err != nil {
		return h, fmt.Errorf("batch: write pack: %w", err)
	}
	if _, err := b.w.Write(b.zbuf.Bytes()); err != nil {
		return h, fmt.Errorf("batch: write pack: %w", err)
	}
	b.objs[h] = packed{off: b.offset, crc: crc, depth: depth}
	b.offset += int64(len(n) + b.zbuf.Len())
	return h, nil
}

// entryHeader encodes a pack entry's type and size.
func entryHeader(out []byte, t plumbing.ObjectType, size int64) []byte {
	c := byte(t)<<4 | byte(size&0x0f)
	size >>= 4
	for size != 0 {
		out = append(out, c|0x80)
		c = byte(size & 0x7f)
		size >>= 7
	}
	return append(out, c)
}

// appendOfs encodes an OFS_DELTA's distance back to its base, git's way.
func appendOfs(out []byte, ofs int64) []byte {
	var buf [16]byte
	i := len(buf) - 1
	buf[i] = byte(ofs & 0x7f)
	for ofs >>= 7; ofs != 0; ofs >>= 7 {
		ofs--
		i--
		buf[i] = 0x80 | byte(ofs&0x7f)
	}
	return append(out, buf[i:]...)
}

// Read returns a file's content as of the last commit.
func (b *Batch) Read(path string) ([]byte, bool) {
	parts := strings.Split(path, "/")
	d := b.tree
	for _, name := range parts[:len(parts)-1] {
		if d = d.dirs[name]; d == nil {
			return nil, false
		}
	}
	f := d.files[parts[len(parts)-1]]
	if f == nil {
		return nil, false
	}
	return f.last.raw, true
}

// NextID returns the next id "<PREFIX>-<YYYY>-<NNNN>" of the prefix and year, by the
// same rule as NextID: one more than the largest among the case files under
// cases/<year>/ committed so far.
func (b *Batch) NextID(prefix string, year int) (string, error) {
	if prefix == "" || strings.ContainsAny(prefix, "/ \t\n") {
		return "", fmt.Errorf("next id: bad prefix %q", prefix)
	}
	if year < 1000 || year > 9999 {
		return "", fmt.Errorf("next id: year %d is not a four-digit year", year)
	}
	key := fmt.Sprintf("%s-%04d-", prefix, year)
	return fmt.Sprintf("%s%04d", key, b.ids[key]+1), nil
}

// Commits is the number of commits made so far.
func (b *Batch) Commits() int { return b.commits }

// Head is the last commit made, the zero hash before the first.
func (b *Batch) Head() plumbing.Hash { return b.head }

// Close finishes the pack and its index, writes the work tree and the index of the final
// tree, and points the branch at the last commit. A batch without commits is abandoned.
func (b *Batch) Close() error {
	if b.done {
		return errors.New("batch: already closed")
	}
	if b.commits == 0 {
		b.Abort()
		return nil
	}
	b.done = true
	ok := false
	defer func() {
		if !ok {
			b.tmp.Close()
			os.Remove(b.tmp.Name())
		}
	}()
	if err := b.w.Flush(); err != nil {
		return fmt.Errorf("batch: write pack: %w", err)
	}
	sum, err := b.finishPack()
	if err != nil {
		return err
	}
	packDir := filepath.Join(b.dirs.Objects(), "pack")
	base := filepath.Join(packDir, "pack-"+sum.String())
	if err := b.tmp.Close(); err != nil {
		return fmt.Errorf("batch: %w", err)
	}
	if err := os.Rename(b.tmp.Name(), base+".pack"); err != nil {
		return fmt.Errorf("batch: %w", err)
	}
	ok = true
	if err := b.writeIdx(sum, base+".idx"); err != nil {
		return err
	}
	if err := b.writeWorkTree(); err != nil {
		return err
	}
	if err := casRef(b.dirs, b.branch, plumbing.ZeroHash, b.head, time.Now().Add(DefaultTimeout), ""); err != nil {
		return err
	}
	return nil
}

// Abort drops everything written so far.
func (b *Batch) Abort() {
	b.done = true
	b.tmp.Close()
	os.Remove(b.tmp.Name())
}

// finishPack patches the object count into the header and appends the checksum.
func (b *Batch) finishPack() (plumbing.Hash, error) {
	var cnt [4]byte
	binary.BigEndian.PutUint32(cnt[:], uint32(len(b.objs)))
	if _, err := b.tmp.WriteAt(cnt[:], 8); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("batch: write pack: %w", err)
	}
	if _, err := b.tmp.Seek(0, io.SeekStart); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("batch: %w", err)
	}
	hs := sha1.New()
	if _, err := io.Copy(hs, b.tmp); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("batch: read pack: %w", err)
	}
	var sum plumbing.Hash
	copy(sum[:], hs.Sum(nil))
	if _, err := b.tmp.Write(sum[:]); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("batch: write pack: %w", err)
	}
	return sum, nil
}

func (b *Batch) writeIdx(sum plumbing.Hash, path string) error {
	w := new(idxfile.Writer)
	if err := w.OnHeader(uint32(len(b.objs))); err != nil {
		return err
	}
	for h, p := range b.objs {
		w.Add(h, uint64(p.off), p.crc)
	}
	if err := w.OnFooter(sum); err != nil {
		return fmt.Errorf("batch: pack index: %w", err)
	}
	idx, err := w.Index()
	if err != nil {
		return fmt.Errorf("batch: pack index: %w", err)
	}
	var buf bytes.Buffer
	if _, err := idxfile.NewEncoder(&buf).Encode(idx); err != nil {
		return fmt.Errorf("batch: pack index: %w", err)
	}
	return writeWhole(path, buf.Bytes())
}

// writeWorkTree writes every file of the final tree and an index that records them.
func (b *Batch) writeWorkTree() error {
	type item struct {
		path string
		f    *batchFile
	}
	var items []item
	var walk func(d *batchDir, prefix string)
	walk = func(d *batchDir, prefix string) {
		for name, sub := range d.dirs {
			walk(sub, prefix+name+"/")
		}
		for name, f := range d.files {
			items = append(items, item{prefix + name, f})
		}
	}
	walk(b.tree, "")
	slices.SortFunc(items, func(a, b item) int { return strings.Compare(a.path, b.path) })
	out := []byte("DIRC\x00\x00\x00\x02\x00\x00\x00\x00")
	made := map[string]bool{}
	for _, it := range items {
		full := filepath.Join(b.root, filepath.FromSlash(it.path))
		if dir := filepath.Dir(full); !made[dir] {
			if err := os.MkdirAll(dir, 0o777); err != nil {
				return fmt.Errorf("batch: %w", err)
			}
			made[dir] = true
		}
		perm := os.FileMode(0o644)
		if it.f.mode == filemode.Executable {
			perm = 0o755
		}
		if err := os.WriteFile(full, b.eol.ToWorkTree(it.path, it.f.last.raw), perm); err != nil {
			return fmt.Errorf("batch: write %s: %w", it.path, err)
		}
		fi, err := os.Lstat(full)
		if err != nil {
			return fmt.Errorf("batch: %w", err)
		}
		out = appendEntry(out, Change{Path: it.path, Mode: it.f.mode}, it.f.last.hash, sysStat(fi))
	}
	binary.BigEndian.PutUint32(out[8:12], uint32(len(items)))
	h := sha1.Sum(out)
	return writeWhole(b.dirs.Index(), append(out, h[:]...))
}

// writeWhole writes a file through a temporary name, so it appears whole or not at all.
func writeWhole(path string, data []byte) error {
	tmp := path + ".casebook-tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("batch: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("batch: %w", err)
	}
	return nil
}
