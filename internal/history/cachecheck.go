package history

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"

	"github.com/go-git/go-git/v5"
)

// CacheFiles are the files Read keeps in Options.CacheDir.
var CacheFiles = []string{cacheFile, listingFile}

// CheckCacheFile says why Read would ignore the cache file name (one of
// CacheFiles) in dir: torn, a checksum that does not match, or built by
// another casebook version or for another prefix. A missing or sound file
// gives nil. casebook doctor uses it: Read itself never reports a bad
// cache, it rebuilds it.
func CheckCacheFile(dir, name, prefix string) error {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	switch name {
	case cacheFile:
		_, err = parseCache(b, prefix)
	case listingFile:
		_, _, err = parseListing(b, prefix)
	default:
		return fmt.Errorf("%s is not a history cache file", name)
	}
	return err
}

// CacheAgrees reads the history of repo twice, from a copy of the cache in
// dir and without any cache, and reports whether both give the same
// result: the cache holds facts keyed by content hashes, so anything else
// means a file that checks out but lies. The cache in dir is not written
// to. It costs two full reads of history.
func CacheAgrees(repo *git.Repository, dir, prefix string) (bool, error) {
	tmp, err := os.MkdirTemp("", "casebook-doctor-*")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(tmp)
	for _, name := range CacheFiles {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return false, err
		}
		if err := os.WriteFile(filepath.Join(tmp, name), b, 0o644); err != nil {
			return false, err
		}
	}
	cached, err := Read(repo, Options{Prefix: prefix, CacheDir: tmp})
	if err != nil {
		return false, err
	}
	plain, err := Read(repo, Options{Prefix: prefix})
	if err != nil {
		return false, err
	}
	return reflect.DeepEqual(cached, plain), nil
}
