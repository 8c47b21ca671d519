package cases

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/casebook/casebook/internal/binfmt"
)

// The stat cache lets a warm run skip reading a file it has seen: it maps
// each case file's path to its stat (size, modification and change times,
// inode) when it was last read and the git blob hash of its bytes then.
// A file whose stat still matches has those bytes, which is how git's
// index spares `git status` reading the work tree. Only files whose
// findings the caller takes from its own cache (WithCoreOnly) are spared;
// every other file is read as before.
//
// A file changed within the timestamps' resolution of being read would
// keep its stat, so an entry is only recorded for a file last modified
// well before it was read (racyWindow), as git treats "racily clean"
// entries. The file is keyed by the work tree's absolute path: worktrees
// sharing a git directory have files of the same names.
const (
	StatFile   = "stat.bin"
	statMagic  = "casebook-stat-cache 1\n"
	racyWindow = 2 * time.Second
)

// fileStat is what the stat cache compares.
type fileStat struct {
	size, mtime, ctime int64
	ino                uint64
}

type statEntry struct {
	st   fileStat
	blob blobHash
}

func statOf(fi fs.FileInfo) fileStat {
	st := fileStat{size: fi.Size(), mtime: fi.ModTime().UnixNano()}
	st.ctime, st.ino = changeTime(fi)
	return st
}

func statHeader(root string) []byte {
	e := encoder{binfmt.Encoder{B: []byte(statMagic)}}
	abs, err := filepath.Abs(root)
	if err != nil {
		abs = root
	}
	e.Str(abs)
	return e.B
}

// loadStats reads the stat cache of root in dir; nil when there is none
// that checks out.
func loadStats(dir, root string) map[string]statEntry {
	raw, err := os.ReadFile(filepath.Join(dir, StatFile))
	if err != nil {
		return nil
	}
	hdr := statHeader(root)
	if len(raw) < len(hdr)+4 || !bytes.HasPrefix(raw, hdr) {
		return nil
	}
	body := raw[:len(raw)-4]
	if crc32.Checksum(body, crcTable) != binary.LittleEndian.Uint32(raw[len(body):]) {
		return nil
	}
	d := decoder{binfmt.Decoder{B: body[len(hdr):]}}
	n := d.Count(20 + 5)
	m := make(map[string]statEntry, n)
	for i := 0; i < n && d.Err == nil; i++ {
		p := string(d.Bytes())
		var x statEntry
		x.st.size, x.st.mtime, x.st.ctime, x.st.ino = d.Int(), d.Int(), d.Int(), d.Uint()
		d.bytes(x.blob[:])
		m[p] = x
	}
	if d.Err != nil || len(d.B) != 0 {
		return nil
	}
	return m
}

// saveStats writes m as the stat cache of root.
func saveStats(dir, root string, m map[string]statEntry) error {
	paths := make([]string, 0, len(m))
	for p := range m {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	e := encoder{binfmt.Encoder{B: statHeader(root)}}
	e.Uint(uint64(len(paths)))
	for _, p := range paths {
		x := m[p]
		e.Str(p)
		e.Int(x.st.size)
		e.Int(x.st.mtime)
		e.Int(x.st.ctime)
		e.Uint(x.st.ino)
		e.B = append(e.B, x.blob[:]...)
	}
	e.B = binary.LittleEndian.AppendUint32(e.B, crc32.Checksum(e.B, crcTable))
	return binfmt.WriteAtomic(dir, StatFile, e.B)
}
