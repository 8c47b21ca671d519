package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
)

// A rebuild skips what has not changed. Every file of the site is entered
// in the manifest, <out>/.casebook-site, with a key: for a per-case page,
// a fingerprint of everything the page is made from (its view, page data
// and template set), taken before the expensive part (Markdown and the
// template) runs; for any other file, the hash of its bytes. A file whose
// key matches the manifest and which still exists is left alone, so an
// unchanged page keeps its bytes and its modification time. Files the
// previous build wrote and this one does not (a case renamed, a form no
// longer applying) are removed, but only files the manifest names:
// nothing else in the folder is ever deleted.

// manifestName is the manifest's file name in the output folder.
const manifestName = ".casebook-site"

// manifestHeader is the manifest's first line; a file that does not start
// with it is ignored, and the build writes everything.
const manifestHeader = "casebook site manifest v1"

// key identifies the inputs or the bytes of one file.
type key [16]byte

// manifest maps a site file (slash path, relative to the output folder)
// to its key.
type manifest map[string]key

// readManifest reads the previous build's manifest; a missing or damaged
// manifest is empty, which only makes the build write every file.
func readManifest(out string) manifest {
	data, err := os.ReadFile(filepath.Join(out, manifestName))
	if err != nil {
		return manifest{}
	}
	// One string for the whole file: the paths are slices of it, not
	// 300,000 separate allocations.
	text := string(data)
	head, rest, ok := strings.Cut(text, "\n")
	if !ok || head != manifestHeader {
		return manifest{}
	}
	m := make(manifest, strings.Count(rest, "\n"))
	for rest != "" {
		var line string
		line, rest, ok = strings.Cut(rest, "\n")
		if !ok {
			return manifest{} // a manifest always ends in a newline
		}
		hexKey, rel, ok := strings.Cut(line, " ")
		var k key
		if !ok || len(hexKey) != 2*len(k) || !safeRel(rel) {
			return manifest{}
		}
		if _, err := hex.Decode(k[:], []byte(hexKey)); err != nil {
			return manifest{}
		}
		m[rel] = k
	}
	return m
}

// safeRel tells whether rel names a file inside the output folder, so a
// tampered manifest cannot make a build delete anything outside it.
func safeRel(rel string) bool {
	return rel != "" && rel != manifestName && filepath.IsLocal(filepath.FromSlash(rel)) && !strings.Contains(rel, "\\")
}

// writeManifest writes m sorted by path, through writeFile, so an
// interrupted build leaves the old manifest or the new.
func writeManifest(out string, m manifest) error {
	rels := make([]string, 0, len(m))
	for rel := range m {
		rels = append(rels, rel)
	}
	slices.Sort(rels)
	var b bytes.Buffer
	b.WriteString(manifestHeader + "\n")
	for _, rel := range rels {
		k := m[rel]
		b.WriteString(hex.EncodeToString(k[:]))
		b.WriteByte(' ')
		b.WriteString(rel)
		b.WriteByte('\n')
	}
	return writeFile(filepath.Join(out, manifestName), b.Bytes())
}

// removeStale deletes the files old lists and cur does not, and then the
// folders that leaves empty; it returns how many files it removed.
func removeStale(out string, old, cur manifest) (int, error) {
	var stale []string
	for rel := range old {
		if _, ok := cur[rel]; !ok {
			stale = append(stale, rel)
		}
	}
	slices.Sort(stale)
	n := 0
	for _, rel := range stale {
		path := filepath.Join(out, filepath.FromSlash(rel))
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return n, err
		}
		n++
		// Remove folders the deletion emptied, up to the output folder;
		// os.Remove fails on a folder that still holds anything.
		for dir := filepath.Dir(path); dir != out && strings.HasPrefix(dir, out); dir = filepath.Dir(dir) {
			if os.Remove(dir) != nil {
				break
			}
		}
	}
	return n, nil
}

// contentKey is the key of a file by its bytes.
func contentKey(b []byte) key {
	s := sha256.Sum256(b)
	var k key
	copy(k[:], s[:])
	return k
}

// fingerprint hashes the values given, deeply and in a fixed order:
// exported and unexported struct fields, slices, maps by sorted key,
// pointers by what they point to. Two views with equal fingerprints
// render equal pages with the same template set.
func fingerprint(seed []byte, vs ...any) key {
	bp := fpBufs.Get().(*[]byte)
	b := append((*bp)[:0], seed...)
	for _, v := range vs {
		b = appendValue(b, reflect.ValueOf(v))
	}
	s := sha256.Sum256(b)
	*bp = b
	fpBufs.Put(bp)
	var k key
	copy(k[:], s[:])
	return k
}

var timeType = reflect.TypeOf(time.Time{})

// fpBufs are the buffers values are serialised into before hashing, one
// per page at a time; hashing one buffer is much faster than feeding the
// hash field by field.
var fpBufs = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// appendValue appends a self-delimiting encoding of v to b: a tag, and a
// length before every string and list, so different values never encode
// the same.
func appendValue(b []byte, v reflect.Value) []byte {
	num := func(tag byte, x uint64) {
		b = append(b, tag)
		b = binary.LittleEndian.AppendUint64(b, x)
	}
	if !v.IsValid() {
		num('0', 0)
		return b
	}
	switch v.Kind() {
	case reflect.String:
		s := v.String()
		num('s', uint64(len(s)))
		b = append(b, s...)
	case reflect.Bool:
		x := uint64(0)
		if v.Bool() {
			x = 1
		}
		num('b', x)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		num('i', uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		num('u', v.Uint())
	case reflect.Float32, reflect.Float64:
		num('f', math.Float64bits(v.Float()))
	case reflect.Slice, reflect.Array:
		num('l', uint64(v.Len()))
		for i := 0; i < v.Len(); i++ {
			b = appendValue(b, v.Index(i))
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(keyText(a), keyText(b)) })
		num('m', uint64(len(keys)))
		for _, k := range keys {
			b = appendValue(b, k)
			b = appendValue(b, v.MapIndex(k))
		}
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			num('n', 0)
			return b
		}
		num('p', 0)
		b = appendValue(b, v.Elem())
	case reflect.Struct:
		if v.Type() == timeType && v.CanInterface() {
			// An instant and its zone, not the Location's internals.
			t := v.Interface().(time.Time)
			name, off := t.Zone()
			num('T', uint64(t.UnixNano()))
			num('z', uint64(int64(off)))
			num('s', uint64(len(name)))
			b = append(b, name...)
			return b
		}
		num('t', uint64(v.NumField()))
		for i := 0; i < v.NumField(); i++ {
			b = appendValue(b, v.Field(i))
		}
	case reflect.Func:
		// Views hold only the builders of forms, fixed functions with no
		// page content of their own.
		num('F', 0)
	default:
		panic("site: cannot fingerprint a " + v.Kind().String())
	}
	return b
}

// keyText orders map keys; views key maps by strings only.
func keyText(v reflect.Value) string {
	if v.Kind() == reflect.String {
		return v.String()
	}
	panic("site: cannot fingerprint a map keyed by " + v.Kind().String())
}

// files tracks what this build wrote, against the previous manifest.
type files struct {
	out string
	old manifest
	// untrusted is set after an interrupted build: old still lists the
	// files to remove when this build does not write them, but no key
	// of it makes a file fresh.
	untrusted bool

	dirs    sync.Map // folders known to exist
	mu      sync.Mutex
	cur     manifest
	written int // files whose bytes were (re)written
}

// fresh tells whether rel may be left as it is: the previous build wrote
// it with key k and it is still there.
func (fl *files) fresh(rel string, k key) bool {
	fl.mu.Lock()
	fl.cur[rel] = k
	fl.mu.Unlock()
	if old, ok := fl.old[rel]; !ok || old != k || fl.untrusted {
		return false
	}
	_, err := os.Stat(filepath.Join(fl.out, filepath.FromSlash(rel)))
	return err == nil
}

// put writes b to rel unless the previous build wrote the same bytes
// there; k is the key to enter in the manifest (for a page, its inputs'
// fingerprint).
func (fl *files) put(rel string, k key, b []byte) error {
	if fl.fresh(rel, k) {
		return nil
	}
	return fl.store(rel, k, b)
}

// store writes b to rel and enters it in the manifest with key k.
func (fl *files) store(rel string, k key, b []byte) error {
	fl.mu.Lock()
	fl.cur[rel] = k
	fl.mu.Unlock()
	path := filepath.Join(fl.out, filepath.FromSlash(rel))
	if _, had := fl.old[rel]; had {
		// Rendered again because an input changed, the page may still
		// come out the same (a form that does not show what changed):
		// then it keeps its bytes and its modification time.
		if cur, err := os.ReadFile(path); err == nil && bytes.Equal(cur, b) {
			return nil
		}
	}
	dir := filepath.Dir(path)
	if _, ok := fl.dirs.Load(dir); !ok {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		fl.dirs.Store(dir, true)
	}
	if err := writeFile(path, b); err != nil {
		return err
	}
	fl.mu.Lock()
	fl.written++
	fl.mu.Unlock()
	return nil
}
