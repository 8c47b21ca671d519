//go:build unix

package history

import (
	"os"
	"syscall"
)

// mapFile maps a packfile read-only: pages are shared with the kernel's
// page cache and read without copying, by any number of goroutines.
func mapFile(name string) ([]byte, func(), error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if st.Size() == 0 {
		return nil, func() {}, nil
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return mapFileFallback(name)
	}
	return b, func() { _ = syscall.Munmap(b) }, nil
}
