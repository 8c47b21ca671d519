package repo

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// idCache remembers, for NextID, the largest id number per "<PREFIX>-<YYYY>-"
// found under each git tree (keyed by the tree's hash, so an entry can
// never be wrong) and in each work-tree folder (keyed by the folder's
// modification time, which changes when an entry is added or removed).
// A new case changes one day folder: NextID then reads three trees and
// lists one folder instead of a whole year of cases.
type idCache struct {
	Trees map[string]map[string]uint64 `json:"trees"`
	Dirs  map[string]dirIDs            `json:"dirs"`
	dirty bool
}

type dirIDs struct {
	MTime int64             `json:"mtime"`
	Max   map[string]uint64 `json:"max"`
	Subs  []string          `json:"subs"` // sub-folders that are not bundles
}

const idCacheFile = "ids.json"

func loadIDCache(dir string) *idCache {
	c := &idCache{Trees: map[string]map[string]uint64{}, Dirs: map[string]dirIDs{}}
	if dir == "" {
		return c
	}
	data, err := os.ReadFile(filepath.Join(dir, idCacheFile))
	if err != nil {
		return c
	}
	var read idCache
	if json.Unmarshal(data, &read) != nil || read.Trees == nil || read.Dirs == nil {
		return c // damaged: start again
	}
	return &read
}

// save writes the cache atomically; failing to is harmless (the next run
// scans again), so errors are ignored.
func (c *idCache) save(dir string) {
	if dir == "" || !c.dirty {
		return
	}
	// Keep the file small: a tree entry is only useful while its tree is
	// current, and old ones are cheap to rebuild.
	if len(c.Trees) > 20000 {
		c.Trees = map[string]map[string]uint64{}
	}
	data, err := json.Marshal(c)
	if err != nil {
		return
	}
	if os.MkdirAll(dir, 0o755) != nil {
		return
	}
	tmp, err := os.CreateTemp(dir, idCacheFile+".*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), filepath.Join(dir, idCacheFile)) != nil {
		os.Remove(tmp.Name())
	}
}

// idKey splits an id-like name "<PREFIX>-<YYYY>-<N>" into "<PREFIX>-<YYYY>-"
// and N.
func idKey(name string) (string, uint64, bool) {
	i := strings.LastIndexByte(name, '-')
	if i <= 0 || i == len(name)-1 {
		return "", 0, false
	}
	n, err := strconv.ParseUint(name[i+1:], 10, 64)
	if err != nil || strings.ContainsAny(name[i+1:], "+-") {
		return "", 0, false
	}
	return name[:i+1], n, true
}

func merge(into, from map[string]uint64) {
	for k, v := range from {
		into[k] = max(into[k], v)
	}
}

// treeMax returns the largest number per prefix under tree t; a folder
// named like an id is a bundle and is not entered.
func (c *idCache) treeMax(s storer.EncodedObjectStorer, t *object.Tree) (map[string]uint64, error) {
	if m, ok := c.Trees[t.Hash.String()]; ok {
		return m, nil
	}
	out := map[string]uint64{}
	for _, e := range t.Entries {
		if e.Mode != filemode.Dir {
			if k, n, ok := idKey(stem(e.Name)); ok {
				out[k] = max(out[k], n)
			}
			continue
		}
		if k, n, ok := idKey(e.Name); ok {
			out[k] = max(out[k], n)
			continue
		}
		sub, err := object.GetTree(s, e.Hash)
		if err != nil {
			return nil, err
		}
		m, err := c.treeMax(s, sub)
		if err != nil {
			return nil, err
		}
		merge(out, m)
	}
	c.Trees[t.Hash.String()] = out
	c.dirty = true
	return out, nil
}

// dirMax returns the largest number per prefix in a work-tree folder,
// without following symbolic links; a folder unchanged since the last run
// is not listed again.
func (c *idCache) dirMax(path string) (map[string]uint64, error) {
	st, err := os.Lstat(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, nil
	}
	d, ok := c.Dirs[path]
	if !ok || d.MTime != st.ModTime().UnixNano() {
		ents, err := os.ReadDir(path)
		if err != nil {
			return nil, err
		}
		d = dirIDs{MTime: st.ModTime().UnixNano(), Max: map[string]uint64{}}
		for _, e := range ents {
			switch {
			case e.IsDir():
				if k, n, ok := idKey(e.Name()); ok {
					d.Max[k] = max(d.Max[k], n)
				} else {
					d.Subs = append(d.Subs, e.Name())
				}
			case e.Type().IsRegular():
				if k, n, ok := idKey(stem(e.Name())); ok {
					d.Max[k] = max(d.Max[k], n)
				}
			}
		}
		c.Dirs[path] = d
		c.dirty = true
	}
	out := map[string]uint64{}
	merge(out, d.Max)
	for _, s := range d.Subs {
		m, err := c.dirMax(filepath.Join(path, s))
		if err != nil {
			return nil, err
		}
		merge(out, m)
	}
	return out, nil
}
