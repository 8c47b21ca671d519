package repo

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/casebook/casebook/internal/gitdir"
)

// ErrLocked is returned when the repository stayed locked, or its branch kept moving,
// until the request's timeout: another casebook run or a git command was busy with it.
var ErrLocked = errors.New("repository busy")

// lockInfo is the content of .git/casebook/lock: who holds it and, while the holder owns
// .git/index.lock, enough to finish or undo its commit if it dies.
type lockInfo struct {
	PID     int
	Host    string
	Started time.Time
	// Set while the holder owns .git/index.lock: that file's inode, the commit it is about
	// to make and the branch it moves.
	IndexIno    uint64
	IndexCommit plumbing.Hash
	IndexRef    plumbing.ReferenceName
	// IndexDir is the git directory of the holder's work tree, which holds that
	// index.lock: the lock is shared by every work tree, the index is not. Empty in a
	// lock written before linked work trees were supported: the common directory.
	IndexDir string
}

func (li lockInfo) encode() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "pid %d\nhost %s\nstarted %s\n", li.PID, li.Host, li.Started.UTC().Format(time.RFC3339Nano))
	if li.IndexIno != 0 {
		fmt.Fprintf(&b, "index.lock %d %s %s\n", li.IndexIno, li.IndexCommit, li.IndexRef)
		fmt.Fprintf(&b, "index.dir %s\n", li.IndexDir)
	}
	return b.Bytes()
}

func parseLockInfo(data []byte) (lockInfo, error) {
	var li lockInfo
	for _, line := range strings.Split(string(data), "\n") {
		key, val, _ := strings.Cut(line, " ")
		switch key {
		case "pid":
			li.PID, _ = strconv.Atoi(val)
		case "host":
			li.Host = val
		case "started":
			li.Started, _ = time.Parse(time.RFC3339Nano, val)
		case "index.lock":
			f := strings.Fields(val)
			if len(f) == 3 {
				li.IndexIno, _ = strconv.ParseUint(f[0], 10, 64)
				li.IndexCommit, _ = parseHash(f[1])
				li.IndexRef = plumbing.ReferenceName(f[2])
			}
		case "index.dir":
			li.IndexDir = val
		}
	}
	if li.PID <= 0 {
		return li, errors.New("no pid")
	}
	return li, nil
}

// repoLock is a held .git/casebook/lock, in the common directory of a linked work tree.
type repoLock struct {
	dirs gitdir.Dirs
	path string
	info lockInfo
}

func hostname() string {
	h, err := os.Hostname()
	if err != nil {
		return "unknown"
	}
	return h
}

// acquireLock takes .git/casebook/lock, waiting until deadline. A lock left by a dead
// process on this host is taken over (see breakStale).
func acquireLock(d gitdir.Dirs, deadline time.Time) (*repoLock, error) {
	dir := d.LockDir()
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	l := newRepoLock(d)
	var b backoff
	for {
		f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if err == nil {
			_, werr := f.Write(l.info.encode())
			cerr := f.Close()
			if werr != nil || cerr != nil {
				os.Remove(l.path)
				return nil, fmt.Errorf("write %s: %w", l.path, errors.Join(werr, cerr))
			}
			return l, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("create %s: %w", l.path, err)
		}
		data, rerr := os.ReadFile(l.path)
		if errors.Is(rerr, os.ErrNotExist) {
			continue // released meanwhile
		}
		holder, perr := parseLockInfo(data)
		if rerr == nil && perr == nil && l.stale(holder) {
			ok, err := l.breakStale(data, holder)
			if err != nil {
				return nil, err
			}
			if ok {
				return l, nil
			}
		}
		if !b.wait(deadline) {
			if perr != nil {
				return nil, fmt.Errorf("%w: %s exists but names no holder; if no casebook is running, delete %s", ErrLocked, l.path, l.path)
			}
			return nil, fmt.Errorf("%w: another casebook run holds %s (pid %d on %s since %s); "+
				"if no casebook is running (pid %d), delete %s",
				ErrLocked, l.path, holder.PID, holder.Host, holder.Started.Format(time.RFC3339), holder.PID, l.path)
		}
	}
}

// stale reports whether the holder is a dead process on this host. A lock from another
// host (a shared file system) is never judged stale: its pid means nothing here.
func (l *repoLock) stale(holder lockInfo) bool {
	return holder.Host == l.info.Host && holder.PID != os.Getpid() && !processAlive(holder.PID)
}

// breakStale takes over a dead holder's lock. Only the waiter that creates lock.break does
// it; it checks the lock still holds what was judged stale, repairs what the dead run left
// (recoverIndexLock), then renames its own lock file over the old one, so that the lock is
// never absent and no other waiter can slip in.
func (l *repoLock) breakStale(seen []byte, holder lockInfo) (bool, error) {
	brk := l.path + ".break"
	f, err := os.OpenFile(brk, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		// Another waiter is breaking the lock; if it died doing so, clear the way.
		if data, rerr := os.ReadFile(brk); rerr == nil {
			if pid, _ := strconv.Atoi(strings.TrimSpace(string(data))); pid > 0 && pid != os.Getpid() && !processAlive(pid) {
				os.Remove(brk)
			}
		}
		return false, nil
	}
	fmt.Fprintf(f, "%d\n", os.Getpid())
	f.Close()
	defer os.Remove(brk)
	now, err := os.ReadFile(l.path)
	if err != nil || !bytes.Equal(now, seen) {
		return false, nil
	}
	if err := recoverIndexLock(l.dirs, holder); err != nil {
		return false, err
	}
	if err := l.write(); err != nil {
		return false, err
	}
	return true, nil
}

// write replaces the lock file's content atomically (temporary file and rename), so that a
// reader never sees half of it.
func (l *repoLock) write() error {
	tmp, err := os.CreateTemp(filepath.Dir(l.path), "lock.tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", l.path, err)
	}
	_, werr := tmp.Write(l.info.encode())
	cerr := tmp.Close()
	if werr == nil && cerr == nil {
		werr = os.Rename(tmp.Name(), l.path)
	}
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", l.path, errors.Join(werr, cerr))
	}
	return nil
}

// noteIndexLock records that this run owns the index.lock (inode ino) of its work tree
// for commit on ref.
func (l *repoLock) noteIndexLock(ino uint64, commit plumbing.Hash, ref plumbing.ReferenceName) error {
	l.info.IndexIno, l.info.IndexCommit, l.info.IndexRef, l.info.IndexDir = ino, commit, ref, l.dirs.Git
	return l.write()
}

func (l *repoLock) clearIndexLock() error {
	if l.info.IndexIno == 0 {
		return nil
	}
	l.info.IndexIno, l.info.IndexCommit, l.info.IndexRef, l.info.IndexDir = 0, plumbing.ZeroHash, "", ""
	return l.write()
}

func (l *repoLock) release() { os.Remove(l.path) }

// recoverIndexLock finishes or undoes the commit of a run that died holding the
// index.lock of its work tree, which may be another work tree than d's: if the branch
// reached the recorded commit, the prepared index (complete: it was closed before the
// branch moved) is renamed into place; otherwise it is deleted and the index stays as it
// was. A file with another inode is not ours and is left alone.
func recoverIndexLock(d gitdir.Dirs, holder lockInfo) error {
	if holder.IndexIno == 0 {
		return nil
	}
	p := holder.indexLockPath(d)
	fi, err := os.Lstat(p)
	if err != nil || inode(fi) != holder.IndexIno {
		return nil
	}
	cur, err := readRef(d, holder.IndexRef)
	if err != nil {
		return err
	}
	if cur == holder.IndexCommit && indexFileValid(p) {
		if err := os.Rename(p, filepath.Join(filepath.Dir(p), "index")); err != nil {
			return fmt.Errorf("finish the interrupted commit %s: %w", holder.IndexCommit, err)
		}
		return nil
	}
	if err := os.Remove(p); err != nil {
		return fmt.Errorf("remove the index.lock of an interrupted casebook run: %w", err)
	}
	return nil
}

func jitter(n int64) int64 {
	if n <= 1 {
		return 0
	}
	return rand.Int64N(n / 2)
}

// indexLockPath is the index.lock the holder recorded.
func (li lockInfo) indexLockPath(d gitdir.Dirs) string {
	dir := li.IndexDir
	if dir == "" {
		dir = d.Common
	}
	return filepath.Join(dir, "index.lock")
}

func newRepoLock(d gitdir.Dirs) *repoLock {
	return &repoLock{dirs: d, path: d.LockFile(),
		info: lockInfo{PID: os.Getpid(), Host: hostname(), Started: time.Now()}}
}
