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
var CacheFiles = []string{cacheFile, listingFile, savedFile}

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
	case savedFile:
		var sr *savedHistory
		if sr, err = openSaved(b, savedKey{prefix: prefix, shallow: anyShallow}, true); err == nil {
			_, err = sr.whole(nil)
		} else if errors.Is(err, errStale) {
			err = errors.New("saved for another cases folder")
		}
	default:
		return fmt.Errorf("%s is not a history cache file", name)
	}
	return err
}

// CacheAgrees reads the history of repo from a copy of some of the cache
// files in dir and without any cache, and returns those of the files
// present whose read gives another result: the caches hold facts keyed by
// content hashes, so a difference means a file that checks out but lies.
// history.bin and the listing are read together, without the saved
// history (which would serve the read alone); the saved history on its
// own. The cache in dir is not written to. It costs up to three full reads
// of history.
func CacheAgrees(repo *git.Repository, dir, prefix string) (lying []string, err error) {
	plain, err := Read(repo, Options{Prefix: prefix})
	if err != nil {
		return nil, err
	}
	for _, group := range [][]string{{cacheFile, listingFile}, {savedFile}} {
		bad, err := readsAs(repo, dir, prefix, group, plain)
		if err != nil {
			return nil, err
		}
		lying = append(lying, bad...)
	}
	return lying, nil
}

// readsAs reads history with copies of the files of group in dir and
// returns those present when the result is not want.
func readsAs(repo *git.Repository, dir, prefix string, group []string, want *History) ([]string, error) {
	tmp, err := os.MkdirTemp("", "casebook-doctor-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	var present []string
	for _, name := range group {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(tmp, name), b, 0o644); err != nil {
			return nil, err
		}
		present = append(present, name)
	}
	if len(present) == 0 {
		return nil, nil
	}
	got, err := Read(repo, Options{Prefix: prefix, CacheDir: tmp})
	if err != nil {
		return nil, err
	}
	if reflect.DeepEqual(got, want) {
		return nil, nil
	}
	return present, nil
}
