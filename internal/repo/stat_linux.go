//go:build linux

package repo

import (
	"os"
	"syscall"
	"time"
)

func sysStat(fi os.FileInfo) statInfo {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return genericStat(fi)
	}
	return statInfo{
		ctime: time.Unix(int64(st.Ctim.Sec), int64(st.Ctim.Nsec)),
		mtime: time.Unix(int64(st.Mtim.Sec), int64(st.Mtim.Nsec)),
		dev:   uint32(st.Dev), ino: uint32(st.Ino), uid: st.Uid, gid: st.Gid,
		size: uint32(st.Size),
	}
}

func inode(fi os.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}
