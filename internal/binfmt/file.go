package binfmt

import (
	"errors"
	"os"
	"path/filepath"
)

// WriteAtomic replaces dir/name by the concatenated parts through a
// temporary file (name.tmp*) and a rename, so that a reader sees the old
// file or the new one, never a mix. The caller decides whether an error
// matters: a cache that cannot be written only costs speed next time.
func WriteAtomic(dir, name string, parts ...[]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, name+".tmp*")
	if err != nil {
		return err
	}
	var werr error
	for _, p := range parts {
		if werr == nil {
			_, werr = f.Write(p)
		}
	}
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), filepath.Join(dir, name)); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}
