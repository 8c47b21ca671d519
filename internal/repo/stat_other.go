//go:build !linux && !darwin

package repo

import "os"

// sysStat without inode numbers: git then re-reads the files once and refreshes the
// entries; `git status` stays clean.
func sysStat(fi os.FileInfo) statInfo { return genericStat(fi) }

// inode 0 disables the automatic repair of an interrupted run's index.lock.
func inode(os.FileInfo) uint64 { return 0 }
