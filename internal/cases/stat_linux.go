package cases

import (
	"io/fs"
	"syscall"
)

// changeTime returns the inode change time and the inode number of fi.
func changeTime(fi fs.FileInfo) (int64, uint64) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0
	}
	return st.Ctim.Sec*1e9 + st.Ctim.Nsec, st.Ino
}
