//go:build !unix

package cases

import (
	"io/fs"
	"os"
)

// openRegular opens name for reading unless it is a symbolic link, and
// returns its stat; for a link it returns no file and the link's stat.
func openRegular(name string) (*os.File, fs.FileInfo, error) {
	fi, err := os.Lstat(name)
	if err != nil {
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fi, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	return f, fi, nil
}
