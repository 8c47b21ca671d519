package doctor

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"

	"github.com/casebook/casebook/internal/gitdir"
	"github.com/casebook/casebook/internal/repo"
)

type checker struct {
	root string
	dirs gitdir.Dirs
	repo *git.Repository
	opts Options
	rep  *Report
	// liveLock is set when a live casebook run holds the lock: its
	// temporary lock files are then in use.
	liveLock bool
	// staleIndex is the index.lock a stale lock recorded (in the git
	// directory of its holder's work tree): the lock's finding covers it.
	staleIndex string
	// damaged holds the objects already reported, so that the walk does
	// not report them again as missing.
	damaged map[string]bool
}

func (c *checker) checkLock() {
	lockPath := c.dirs.LockFile()
	h, ok, err := repo.ReadLock(c.dirs)
	switch {
	case err != nil:
		c.rep.add(Finding{Code: "lock.stale", Path: c.rel(lockPath), Message: err.Error(),
			Fix: "check the permissions of " + c.rel(lockPath)})
	case ok:
		c.judgeLock(lockPath, h)
	}
	c.checkLockLeftovers()
	// An index.lock still there is git's, or a casebook run's that is alive.
	idx := c.dirs.Index() + ".lock"
	if _, err := os.Lstat(idx); err == nil && !c.liveLock && c.staleIndex != idx {
		c.rep.add(Finding{Code: "lock.index", Path: c.rel(idx),
			Message: "git's index lock exists and no casebook run holds it: a git command is running, or one was killed",
			Fix:     "if no git command is running, delete .git/index.lock and run `git reset -q` (git status then shows the work tree as it is)"})
	}
}

func (c *checker) judgeLock(lockPath string, h repo.LockHolder) {
	path := c.rel(lockPath)
	age := c.opts.Now.Sub(h.Started)
	var why string
	switch {
	case h.PID == 0:
		// A run killed between creating the file and writing it. A
		// holder writes it at once, so a few seconds make it stale.
		if c.opts.Now.Sub(h.ModTime) < time.Minute {
			c.liveLock = true
			c.rep.add(Finding{Code: "lock.held", Path: path, Message: "the lock names no holder yet: a casebook run is starting"})
			return
		}
		why = "the lock names no holder (a run was killed while taking it)"
	case h.ThisHost && !h.Alive:
		why = fmt.Sprintf("its holder, pid %d, started %s, is no longer running", h.PID, h.Started.Format(time.RFC3339))
	case age > c.opts.StaleAfter:
		where := "on this host"
		if !h.ThisHost {
			where = "on host " + h.Host
		}
		why = fmt.Sprintf("its holder, pid %d %s, took it %s, more than %s ago (a commit holds it for seconds)", h.PID, where, h.Started.Format(time.RFC3339), c.opts.StaleAfter)
	default:
		c.liveLock = true
		c.rep.add(Finding{Code: "lock.held", Path: path,
			Message: fmt.Sprintf("casebook pid %d on %s holds the lock since %s", h.PID, h.Host, h.Started.Format(time.RFC3339))})
		return
	}
	if h.IndexLock {
		why += "; it was committing and left .git/index.lock"
		c.staleIndex = h.IndexLockPath
	}
	f := Finding{Code: "lock.stale", Path: path, Message: "stale lock: " + why,
		Fix: "casebook doctor --repair takes it over as the next write would, finishing or undoing the interrupted commit"}
	if c.opts.Repair {
		t, err := repo.BreakLock(c.dirs, h)
		switch {
		case errors.Is(err, repo.ErrLockChanged):
			f.Severity = Info
			f.Message += "; meanwhile another run took the lock over"
		case err != nil:
			f.Message += "; repair failed: " + err.Error()
		default:
			f.Repaired = "removed the stale lock"
			switch {
			case t.IndexFinished:
				f.Repaired += "; the interrupted commit had moved its branch: its index was put in place"
			case t.IndexDiscarded:
				f.Repaired += "; the interrupted commit had not moved its branch: its index.lock was deleted, HEAD and the index are unchanged"
			}
		}
	}
	c.rep.add(f)
}

// checkLockLeftovers: lock.break names the pid breaking a stale lock;
// lock.tmp-* is a holder's lock being rewritten. Both are garbage once
// their writer is gone.
func (c *checker) checkLockLeftovers() {
	dir := c.dirs.LockDir()
	brk := filepath.Join(dir, "lock.break")
	if data, err := os.ReadFile(brk); err == nil {
		pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
		fi, _ := os.Stat(brk)
		// An empty one may be a breaker that has not written its pid yet.
		emptyAndOld := pid <= 0 && fi != nil && c.opts.Now.Sub(fi.ModTime()) > time.Minute
		if emptyAndOld || pid > 0 && !repo.ProcessAlive(pid) {
			c.leftover(brk, fmt.Sprintf("left by pid %d, which broke a stale lock and was killed doing so", pid))
		}
	}
	if c.liveLock {
		return
	}
	tmps, _ := filepath.Glob(filepath.Join(dir, "lock.tmp-*"))
	for _, p := range tmps {
		c.leftover(p, "a lock being rewritten by a run that was killed")
	}
}

func (c *checker) leftover(p, why string) {
	f := Finding{Code: "cache.leftover", Path: c.rel(p), Message: "temporary file: " + why,
		Fix: "casebook doctor --repair deletes it"}
	if c.opts.Repair {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			f.Message += "; repair failed: " + err.Error()
		} else {
			f.Repaired = "deleted"
		}
	}
	c.rep.add(f)
}
