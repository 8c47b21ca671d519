package site

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
)

// Every file a build writes goes through writeFile: the bytes go to a
// temporary file in the target's folder, which is then renamed over the
// target, so a reader, or a build killed at any moment, sees the old file
// or the new one, never part of one. A build marks the output folder as
// being built (buildingName) before it writes anything and removes the
// mark after the manifest, the last file, is in place. A build that finds
// the mark knows the previous one was interrupted: pages may have been
// replaced while the manifest still gives their old keys, so it trusts no
// key of the manifest (every page is rendered, and kept if its bytes are
// the same), and it removes the temporary files the interrupted build
// left. Nothing is fsynced: a kill loses nothing, a power cut may.

// tmpPrefix begins the name of every temporary file a build writes.
const tmpPrefix = ".casebook-tmp-"

// buildingName marks an output folder whose build has not finished.
const buildingName = ".casebook-site.building"

// tmpSeq numbers the temporary files of this process.
var tmpSeq atomic.Uint64

// writeFile writes b to path through a temporary file renamed over it.
// The temporary file is made like os.WriteFile makes a file (0644 less
// the umask), under a name no other writer uses.
func writeFile(path string, b []byte) error {
	var tmp string
	var f *os.File
	var err error
	for range 100 { // a killed process of the same id may have left the name
		tmp = filepath.Join(filepath.Dir(path), tmpPrefix+strconv.Itoa(os.Getpid())+"-"+strconv.FormatUint(tmpSeq.Add(1), 10))
		f, err = os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// startBuild marks out as being built and tells whether the previous
// build was interrupted; if so, it removes that build's temporary files.
func startBuild(out string) (interrupted bool, err error) {
	mark := filepath.Join(out, buildingName)
	if _, err := os.Stat(mark); err == nil {
		interrupted = true
		if err := removeTemps(out); err != nil {
			return true, err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	return interrupted, os.WriteFile(mark, nil, 0o644)
}

// finishBuild removes the mark startBuild made.
func finishBuild(out string) error {
	return os.Remove(filepath.Join(out, buildingName))
}

// removeTemps deletes the temporary files of writeFile under out, and
// nothing else; it does not follow symbolic links.
func removeTemps(out string) error {
	return filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.Type().IsRegular() && strings.HasPrefix(d.Name(), tmpPrefix) {
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
		return nil
	})
}
