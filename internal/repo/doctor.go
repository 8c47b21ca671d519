package repo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/casebook/casebook/internal/gitdir"
)

// What casebook doctor needs from this package: a look at the repository
// lock and its takeover, and a check of the id cache. The takeover is the
// one a waiting write command performs (breakStale), so doctor repairs a
// dead run's index.lock exactly as the next write would.

// IDCacheFile is the id cache's name in its directory (gitdir.Dirs.CacheDir).
const IDCacheFile = idCacheFile

// LockHolder describes the content of .git/casebook/lock.
type LockHolder struct {
	// PID, Host and Started name the holder; PID is 0 when the file
	// names no holder (empty or damaged: a run killed while creating it).
	PID     int
	Host    string
	Started time.Time
	// ModTime is the lock file's modification time.
	ModTime time.Time
	// IndexLock is true when the holder recorded that it owns
	// .git/index.lock: a takeover finishes or undoes that commit.
	IndexLock bool
	// IndexLockPath is that index.lock, in the git directory of the
	// holder's work tree.
	IndexLockPath string
	// ThisHost is true when the holder ran on this machine; only then is
	// Alive meaningful (a pid from another host means nothing here).
	ThisHost bool
	// Alive reports that PID runs on this host. It is true for another
	// host's holder, which cannot be checked.
	Alive bool

	raw []byte
}

// ReadLock reads the repository lock of d; ok is false when there is none.
func ReadLock(d gitdir.Dirs) (h LockHolder, ok bool, err error) {
	p := d.LockFile()
	data, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return h, false, nil
	}
	if err != nil {
		return h, false, fmt.Errorf("read %s: %w", p, err)
	}
	h.raw = data
	if fi, err := os.Stat(p); err == nil {
		h.ModTime = fi.ModTime()
	}
	li, perr := parseLockInfo(data)
	if perr != nil {
		return h, true, nil
	}
	h.PID, h.Host, h.Started, h.IndexLock = li.PID, li.Host, li.Started, li.IndexIno != 0
	if h.IndexLock {
		h.IndexLockPath = li.indexLockPath(d)
	}
	h.ThisHost = li.Host == hostname()
	h.Alive = !h.ThisHost || processAlive(li.PID)
	return h, true, nil
}

// Takeover says what BreakLock did besides removing the lock.
type Takeover struct {
	// IndexFinished: the dead run had moved its branch; its prepared
	// index was renamed into place, completing the commit.
	IndexFinished bool
	// IndexDiscarded: the dead run had not moved its branch; its
	// .git/index.lock was deleted and the index stays as it was.
	IndexDiscarded bool
}

// ErrLockChanged is returned by BreakLock when the lock no longer holds
// what the caller judged stale: another run has taken it meanwhile.
var ErrLockChanged = errors.New("the repository lock changed since it was read")

// BreakLock takes over the lock seen (as returned by ReadLock, judged
// stale by the caller), repairs the dead run's .git/index.lock as a waiting
// write command would, and releases the lock. It does nothing and returns
// ErrLockChanged when the lock file's content is no longer what was seen.
func BreakLock(d gitdir.Dirs, seen LockHolder) (Takeover, error) {
	var t Takeover
	l := newRepoLock(d)
	holder, _ := parseLockInfo(seen.raw)
	idx := holder.indexLockPath(d)
	before, berr := os.Lstat(idx)
	ok, err := l.breakStale(seen.raw, holder)
	if err != nil {
		return t, err
	}
	if !ok {
		if now, rerr := os.ReadFile(l.path); rerr == nil && !bytes.Equal(now, seen.raw) || errors.Is(rerr, os.ErrNotExist) {
			return t, ErrLockChanged
		}
		return t, fmt.Errorf("another process is breaking %s (%s.break exists); retry in a moment", l.path, l.path)
	}
	l.release()
	if holder.IndexIno != 0 && berr == nil && inode(before) == holder.IndexIno {
		if _, err := os.Lstat(idx); errors.Is(err, os.ErrNotExist) {
			if cur, err := readRef(d, holder.IndexRef); err == nil && cur == holder.IndexCommit {
				t.IndexFinished = true
			} else {
				t.IndexDiscarded = true
			}
		}
	}
	return t, nil
}

// CheckIDCache says why NextID would ignore the id cache in dir; nil when
// it is missing or sound.
func CheckIDCache(dir string) error {
	data, err := os.ReadFile(filepath.Join(dir, idCacheFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var read idCache
	if err := json.Unmarshal(data, &read); err != nil {
		return fmt.Errorf("not valid JSON: %v", err)
	}
	if read.Trees == nil || read.Dirs == nil {
		return errors.New("lacks its trees or dirs table")
	}
	return nil
}

// ProcessAlive reports whether pid runs on this host; where that cannot be
// told it says yes, so that nothing is taken from a live process.
func ProcessAlive(pid int) bool { return processAlive(pid) }
