package repo

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/casebook/casebook/internal/gitdir"
)

// errRefChanged reports a lost compare-and-swap: the branch no longer points where the
// commit's parent was read.
var errRefChanged = errors.New("the branch moved")

// readHead returns the branch the work tree's HEAD points at. casebook commits only to a
// branch: a commit on a detached HEAD would be lost to the next checkout.
func readHead(d gitdir.Dirs) (plumbing.ReferenceName, error) {
	b, err := os.ReadFile(d.Ref("HEAD"))
	if err != nil {
		return "", fmt.Errorf("read HEAD: %w", err)
	}
	s := strings.TrimSpace(string(b))
	target, ok := strings.CutPrefix(s, "ref: ")
	if !ok {
		short := s
		if len(short) > 7 {
			short = short[:7]
		}
		return "", fmt.Errorf("HEAD is detached at %s; casebook commits to a branch: run `git switch <branch>` (or `git switch -c <new-branch>`) first", short)
	}
	name := plumbing.ReferenceName(strings.TrimSpace(target))
	if !strings.HasPrefix(name.String(), "refs/heads/") {
		return "", fmt.Errorf("HEAD points at %s, not at a branch; run `git switch <branch>` first", name)
	}
	return name, nil
}

// readRef returns the hash a branch points at, from its loose file or packed-refs (both
// in the common directory); the zero hash means the branch does not exist yet (an empty
// repository).
func readRef(d gitdir.Dirs, name plumbing.ReferenceName) (plumbing.Hash, error) {
	b, err := os.ReadFile(d.Ref(name.String()))
	if err == nil {
		s := strings.TrimSpace(string(b))
		if strings.HasPrefix(s, "ref: ") {
			return plumbing.ZeroHash, fmt.Errorf("%s is a symbolic ref (%s); casebook commits only to a plain branch", name, s)
		}
		h, ok := parseHash(s)
		if !ok {
			return plumbing.ZeroHash, fmt.Errorf("%s: %q is not a commit hash; repair the ref with `git update-ref`", name, s)
		}
		return h, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return plumbing.ZeroHash, fmt.Errorf("read %s: %w", name, err)
	}
	f, err := os.Open(d.PackedRefs())
	if errors.Is(err, os.ErrNotExist) {
		return plumbing.ZeroHash, nil
	}
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read packed-refs: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' || line[0] == '^' {
			continue
		}
		hash, ref, ok := strings.Cut(line, " ")
		if ok && ref == name.String() {
			h, ok := parseHash(hash)
			if !ok {
				return plumbing.ZeroHash, fmt.Errorf("packed-refs: bad hash for %s", name)
			}
			return h, nil
		}
	}
	if err := sc.Err(); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read packed-refs: %w", err)
	}
	return plumbing.ZeroHash, nil
}

func parseHash(s string) (plumbing.Hash, bool) {
	if len(s) != 40 {
		return plumbing.ZeroHash, false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return plumbing.ZeroHash, false
		}
	}
	return plumbing.NewHash(s), true
}

// casRef moves branch name from old (zero: the branch must not exist) to new, the way git
// does it, so that plain git and casebook exclude each other: <ref>.lock is created with
// O_EXCL, the current value is checked under it, and the lock is renamed over the ref.
// go-git's CheckAndSetReference is not used: it truncates and rewrites the ref file in
// place under flock, which git does not honour and which a kill can leave empty.
// reflog, if not empty, is appended to the branch's reflog (shared by every work tree) and
// to the work tree's HEAD reflog.
func casRef(d gitdir.Dirs, name plumbing.ReferenceName, old, new plumbing.Hash, deadline time.Time, reflog string) error {
	refPath := d.Ref(name.String())
	if err := os.MkdirAll(filepath.Dir(refPath), 0o777); err != nil {
		return fmt.Errorf("update %s: %w", name, err)
	}
	lockPath := refPath + ".lock"
	f, err := createExclusive(lockPath, deadline, func() string {
		return fmt.Sprintf("git is updating %s (%s exists); if no git process is running, delete %s", name, lockPath, lockPath)
	})
	if err != nil {
		return err
	}
	renamed := false
	defer func() {
		if !renamed {
			os.Remove(lockPath)
		}
	}()
	cur, err := readRef(d, name)
	if err != nil {
		f.Close()
		return err
	}
	if cur != old {
		f.Close()
		return errRefChanged
	}
	if _, err := f.WriteString(new.String() + "\n"); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", lockPath, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", lockPath, err)
	}
	if reflog != "" {
		line := old.String() + " " + new.String() + " " + reflog
		// A missing reflog only loses convenience, never data: errors are ignored.
		appendReflog(d.Reflog(name.String()), line)
		appendReflog(d.Reflog("HEAD"), line)
	}
	if err := os.Rename(lockPath, refPath); err != nil {
		return fmt.Errorf("update %s: %w", name, err)
	}
	renamed = true
	return nil
}

// reflogEntry formats the part of a reflog line after the two hashes.
func reflogEntry(id Identity, when time.Time, initial bool, message string) string {
	subject, _, _ := strings.Cut(message, "\n")
	kind := "commit"
	if initial {
		kind = "commit (initial)"
	}
	return fmt.Sprintf("%s %d %s\t%s: %s\n", id.String(), when.Unix(), when.Format("-0700"), kind, subject)
}

func appendReflog(path, line string) {
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o666)
	if err != nil {
		return
	}
	// One write, so that a kill leaves the line whole or absent.
	f.Write([]byte(line))
	f.Close()
}

// createExclusive creates path with O_EXCL, polling with backoff while it exists, until
// deadline; then it fails with ErrLocked and the message held() returns.
func createExclusive(path string, deadline time.Time, held func() string) (*os.File, error) {
	var b backoff
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("create %s: %w", path, err)
		}
		if !b.wait(deadline) {
			return nil, fmt.Errorf("%w: %s", ErrLocked, held())
		}
	}
}

// backoff sleeps increasingly long, with jitter so that waiters do not move in step.
type backoff struct{ d time.Duration }

// wait sleeps and reports whether the deadline still lies ahead.
func (b *backoff) wait(deadline time.Time) bool {
	if b.d == 0 {
		b.d = 2 * time.Millisecond
	}
	left := time.Until(deadline)
	if left <= 0 {
		return false
	}
	d := b.d + time.Duration(jitter(int64(b.d)))
	time.Sleep(min(d, left))
	b.d = min(2*b.d, 100*time.Millisecond)
	return true
}
