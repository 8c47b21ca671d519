//go:build unix

package cases

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// openRegular opens name for reading unless it is a symbolic link, and
// returns its stat. The link test is done by the open itself (O_NOFOLLOW)
// rather than by an lstat first: that saves a path lookup per file, which
// for twenty thousand cases is a good part of a warm run's reading.
// O_NONBLOCK keeps the open of a FIFO from waiting for a writer; the
// caller refuses anything that is not a regular file before reading.
func openRegular(name string) (*os.File, fs.FileInfo, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			if fi, lerr := os.Lstat(name); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
				return nil, fi, nil
			}
		}
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}
