package repo

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/casebook/casebook/internal/gitdir"
	"github.com/casebook/casebook/internal/history"
)

// NextID returns the next id "<PREFIX>-<YYYY>-<NNNN>" (four digits, more when needed) of
// the policy prefix and the year: one more than the largest such id among the case files
// under cases/<year>/ in head's tree (nil: an empty repository) and in the work tree under
// root ("": none), so that a case created but not yet committed is counted too. An id is a
// file's name without its extension, or a bundle folder's name.
//
// Only cases/<year>/ is searched, so the id's year must be the year of the folder the case
// is filed in (its received_at). Call it from CommitRequest.Prepare, under the lock, so that
// concurrent runs never allocate the same id.
func NextID(repo *git.Repository, root string, prefix string, year int, head *object.Commit) (string, error) {
	if prefix == "" || strings.ContainsAny(prefix, "/ \t\n") {
		return "", fmt.Errorf("next id: bad prefix %q", prefix)
	}
	if year < 1000 || year > 9999 {
		return "", fmt.Errorf("next id: year %d is not a four-digit year", year)
	}
	key := fmt.Sprintf("%s-%04d-", prefix, year)
	dir := fmt.Sprintf("cases/%04d", year)
	cacheDir := ""
	if root != "" {
		d, err := gitdir.Of(repo)
		if err != nil {
			return "", fmt.Errorf("next id: %w", err)
		}
		cacheDir = d.CacheDir()
	}
	cache := loadIDCache(cacheDir)
	defer cache.save(cacheDir)
	var top uint64
	if head != nil {
		t, err := head.Tree()
		if err != nil {
			return "", fmt.Errorf("next id: read the tree of %s: %w", head.Hash, err)
		}
		sub, err := t.Tree(dir)
		if err != nil && !errors.Is(err, object.ErrDirectoryNotFound) {
			return "", fmt.Errorf("next id: read %s in %s: %w", dir, head.Hash, err)
		}
		if sub != nil {
			objs := history.NewObjects(repo)
			m, err := cache.treeMax(objs, sub)
			objs.Close()
			if err != nil {
				return "", fmt.Errorf("next id: %s in %s: %w", dir, head.Hash, err)
			}
			top = max(top, m[key])
		}
	}
	if root != "" {
		m, err := cache.dirMax(filepath.Join(root, filepath.FromSlash(dir)))
		if err != nil {
			return "", fmt.Errorf("next id: %w", err)
		}
		top = max(top, m[key])
	}
	m := idMatcher{prefix: key, max: top}
	return fmt.Sprintf("%s%04d", m.prefix, m.max+1), nil
}

// idMatcher keeps the largest sequence number of the ids with its prefix.
type idMatcher struct {
	prefix string
	max    uint64
}

// see reports whether name is an id of the prefix, and keeps its number.
func (m *idMatcher) see(name string) bool {
	num, ok := strings.CutPrefix(name, m.prefix)
	if !ok || num == "" {
		return false
	}
	for _, c := range num {
		if c < '0' || c > '9' {
			return false
		}
	}
	n, err := strconv.ParseUint(num, 10, 64)
	if err != nil {
		return false
	}
	m.max = max(m.max, n)
	return true
}

func stem(name string) string {
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		return name[:i]
	}
	return name
}
