package repo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/casebook/casebook/internal/gitdir"
	"github.com/casebook/casebook/internal/history"
)

// DefaultTimeout is how long Commit waits for locks and retries a moving branch when the
// request sets no Timeout.
const DefaultTimeout = 30 * time.Second

// Change is one file a commit writes, added or replaced, or removes. casebook removes a
// file only to put its content elsewhere in the same commit (a case given another id).
type Change struct {
	Path string            // slash-separated, relative to the repository root
	Data []byte            // the whole new content; empty with Delete
	Mode filemode.FileMode // filemode.Regular (the default when zero) or filemode.Executable
	// Delete removes Path from the tree, the index and the work tree. The file must be in
	// HEAD, and its work-tree copy, if any, unchanged from it: a deletion never loses what
	// a clerk wrote and did not commit.
	Delete bool
}

// CommitRequest describes one commit. Either Changes and Message are set, or Prepare
// computes them under the lock.
type CommitRequest struct {
	Changes []Change
	// Message is the full message: subject, note, trailers. A final newline is added if
	// missing.
	Message string
	Author  Identity // author and committer
	// Now is the clock, called once the lock is held; nil means time.Now. The commit time
	// is max(Now(), the parent's committer time), in whole seconds.
	Now func() time.Time
	// Sign, if set, signs the commit with this OpenPGP key (its private key decrypted).
	Sign *openpgp.Entity
	// Prepare, if set, runs under the lock with the branch's current commit (nil in an
	// empty repository) and returns the changes and the message, replacing Changes and
	// Message: it allocates ids and reads the files it edits under the lock, so that what
	// it checked is still true when the commit lands. It runs again, on the new commit,
	// each time the branch moved before the commit could land, so it must not have other
	// side effects. Its error is returned unwrapped.
	Prepare func(head *object.Commit) ([]Change, string, error)
	// Timeout bounds the wait for locks and the retries; zero means DefaultTimeout.
	Timeout time.Duration
	// Land, if set, moves the branch to a commit already written instead of writing one
	// (see Held.Advance).
	Land *landing
	// held, if set, is the repository lock the caller holds already.
	held *Held
}

// landing is a commit already written that the branch moves to from From; Changes are
// its files that differ from From's, with their blobs.
type landing struct {
	From, To plumbing.Hash
	When     time.Time
	Message  string
	Blobs    map[string]plumbing.Hash
}

// Result is the commit made.
type Result struct {
	Commit plumbing.Hash
	Time   time.Time // author and committer time
	Branch plumbing.ReferenceName
}

// Commit writes one commit on the branch HEAD points at, with the request's files, and
// brings the work tree and the index in line for those files only (see the package doc for
// the locking and crash guarantees). root is the work tree; "" commits without touching a
// work tree or an index (a bare repository, or bulk writing). The repository must be
// stored on disk.
func Commit(repo *git.Repository, root string, req CommitRequest) (Result, error) {
	dirs, err := gitdir.Of(repo)
	if err != nil {
		return Result{}, fmt.Errorf("commit: %w", err)
	}
	if req.Now == nil {
		req.Now = time.Now
	}
	if req.Timeout <= 0 {
		req.Timeout = DefaultTimeout
	}
	if err := req.Author.check(); err != nil {
		return Result{}, fmt.Errorf("commit: author: %w", err)
	}
	deadline := time.Now().Add(req.Timeout)
	var lk *repoLock
	if req.held != nil {
		lk = req.held.lock
	} else {
		var err error
		if lk, err = acquireLock(dirs, deadline); err != nil {
			return Result{}, err
		}
		defer lk.release()
		if err := reach(stepLocked); err != nil {
			return Result{}, err
		}
	}
	var eol *LineEndings
	if root != "" {
		if eol, err = LoadLineEndings(repo, root); err != nil {
			return Result{}, fmt.Errorf("commit: %w", err)
		}
	}
	objs := history.NewObjects(repo)
	defer objs.Close()
	c := &committer{repo: repo, objs: objs, dirs: dirs, root: root, req: req, lock: lk, deadline: deadline,
		reflog: wantReflog(repo, root), eol: eol}
	for {
		res, err := c.attempt()
		if !errors.Is(err, errRefChanged) {
			return res, err
		}
		if time.Now().After(deadline) {
			return Result{}, fmt.Errorf("%w: the branch kept moving (other git commands are committing); retry later", ErrLocked)
		}
	}
}

type committer struct {
	repo *git.Repository
	// objs reads (and writes through to repo.Storer): go-git's own reader
	// maps every object of a large pack before it reads the first one.
	objs     *history.Objects
	dirs     gitdir.Dirs
	root     string
	req      CommitRequest
	lock     *repoLock
	deadline time.Time
	reflog   bool
	// eol converts line endings as git does, nil without a work tree: the repository
	// gets the content git would store, the work tree what git would check out.
	eol *LineEndings
}

// attempt makes one try; errRefChanged means the branch moved and nothing visible was
// left behind, so the caller tries again.
func (c *committer) attempt() (Result, error) {
	branch, err := readHead(c.dirs)
	if err != nil {
		return Result{}, err
	}
	old, err := readRef(c.dirs, branch)
	if err != nil {
		return Result{}, err
	}
	var head *object.Commit
	if !old.IsZero() {
		if head, err = object.GetCommit(c.objs, old); err != nil {
			return Result{}, fmt.Errorf("read HEAD commit %s: %w", old, err)
		}
	}
	changes, msg := c.req.Changes, c.req.Message
	if c.req.Prepare != nil {
		if changes, msg, err = c.req.Prepare(head); err != nil {
			return Result{}, err
		}
	}
	changes, err = normalise(changes)
	if err != nil {
		return Result{}, err
	}
	if c.req.Land != nil {
		msg = c.req.Land.Message
	}
	if strings.TrimSpace(msg) == "" {
		return Result{}, errors.New("commit: the message is empty")
	}
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}

	blobs, files := changes, changes
	if c.eol != nil {
		blobs, files = c.eol.convert(changes)
	}
	var when time.Time
	var hash written
	if l := c.req.Land; l != nil {
		if old != l.From {
			return Result{}, fmt.Errorf("%w: %s is at %s, not %s", ErrRefMoved, branch.Short(), short(old), short(l.From))
		}
		when, hash = l.When, written{commit: l.To, blobs: l.Blobs}
	} else {
		when = commitTime(c.req.Now(), head)
		if hash, err = c.writeObjects(head, blobs, msg, when); err != nil {
			return Result{}, err
		}
	}
	if err := reach(stepObjects); err != nil {
		return Result{}, err
	}
	res := Result{Commit: hash.commit, Time: when, Branch: branch}
	reflog := ""
	if c.reflog {
		reflog = reflogEntry(c.req.Author, when, old.IsZero(), msg)
	}

	if c.root == "" {
		if err := casRef(c.dirs, branch, old, hash.commit, c.deadline, reflog); err != nil {
			return Result{}, err
		}
		if err := reach(stepRef); err != nil {
			return res, err
		}
		return res, nil
	}

	il, err := takeIndexLock(c.dirs.Git, c.deadline)
	if err != nil {
		return Result{}, err
	}
	defer func() {
		il.abort() // first: a note without its index.lock is harmless, not the reverse
		c.lock.clearIndexLock()
	}()
	if err := c.lock.noteIndexLock(il.ino, hash.commit, branch); err != nil {
		return Result{}, err
	}
	// Checked again now that git is kept out of the index: a `git commit` that ran since
	// Prepare read HEAD costs only a retry, with nothing yet to undo.
	if cur, err := readRef(c.dirs, branch); err != nil {
		return Result{}, err
	} else if cur != old {
		return Result{}, errRefChanged
	}
	idx, err := loadIndex(c.dirs.Git)
	if err != nil {
		return Result{}, err
	}
	if err := idx.check(changes); err != nil {
		return Result{}, err
	}
	prior, err := snapshot(c.root, changes)
	if err != nil {
		return Result{}, err
	}
	if err := checkDeletions(head, idx, changes, prior, c.eol); err != nil {
		return Result{}, err
	}
	landed := false
	defer func() {
		if !landed {
			// The commit did not land: the work tree goes back to what the clerk had.
			restore(c.root, prior)
		}
	}()
	stats, err := writeFiles(c.root, files)
	if err != nil {
		return Result{}, err
	}
	if err := reach(stepFiles); err != nil {
		return Result{}, err
	}
	data, err := idx.update(changes, hash.blobs, stats)
	if err != nil {
		return Result{}, err
	}
	if err := il.write(data); err != nil {
		return Result{}, err
	}
	if err := reach(stepIndex); err != nil {
		return Result{}, err
	}
	if err := casRef(c.dirs, branch, old, hash.commit, c.deadline, reflog); err != nil {
		return Result{}, err
	}
	landed = true
	if err := reach(stepRef); err != nil {
		return res, err
	}
	if err := il.commit(); err != nil {
		return res, fmt.Errorf("committed %s, but %w; run `git reset -q` to refresh the index", hash.commit, err)
	}
	if err := reach(stepDone); err != nil {
		return res, err
	}
	return res, nil
}

// written is what writeObjects stored.
type written struct {
	commit plumbing.Hash
	blobs  map[string]plumbing.Hash
}

func (c *committer) writeObjects(head *object.Commit, changes []Change, msg string, when time.Time) (written, error) {
	s := c.objs
	w := written{blobs: make(map[string]plumbing.Hash, len(changes))}
	files := make(map[string]leaf, len(changes))
	for _, ch := range changes {
		if ch.Delete {
			files[ch.Path] = leaf{remove: true}
			continue
		}
		obj := s.NewEncodedObject()
		obj.SetType(plumbing.BlobObject)
		obj.SetSize(int64(len(ch.Data)))
		wr, err := obj.Writer()
		if err != nil {
			return w, fmt.Errorf("%s: %w", ch.Path, err)
		}
		if _, err := wr.Write(ch.Data); err != nil {
			return w, fmt.Errorf("%s: %w", ch.Path, err)
		}
		if err := wr.Close(); err != nil {
			return w, fmt.Errorf("%s: %w", ch.Path, err)
		}
		h, err := storeEncoded(s, obj)
		if err != nil {
			return w, fmt.Errorf("%s: %w", ch.Path, err)
		}
		w.blobs[ch.Path] = h
		files[ch.Path] = leaf{hash: h, mode: ch.Mode}
	}
	base := plumbing.ZeroHash
	var parents []plumbing.Hash
	if head != nil {
		base = head.TreeHash
		parents = []plumbing.Hash{head.Hash}
	}
	tree, err := buildTree(s, base, "", files)
	if err != nil {
		return w, err
	}
	sig := object.Signature{Name: c.req.Author.Name, Email: c.req.Author.Email, When: when}
	commit := &object.Commit{Author: sig, Committer: sig, Message: msg, TreeHash: tree, ParentHashes: parents}
	if c.req.Sign != nil {
		if commit.PGPSignature, err = sign(commit, c.req.Sign, when); err != nil {
			return w, err
		}
	}
	if w.commit, err = storeObject(s, commit); err != nil {
		return w, err
	}
	return w, nil
}

// sign returns the armored detached signature of the commit as encoded without one, which
// is what git verifies.
func sign(c *object.Commit, key *openpgp.Entity, when time.Time) (string, error) {
	obj := &plumbing.MemoryObject{}
	if err := c.EncodeWithoutSignature(obj); err != nil {
		return "", fmt.Errorf("sign: %w", err)
	}
	r, err := obj.Reader()
	if err != nil {
		return "", fmt.Errorf("sign: %w", err)
	}
	var sig bytes.Buffer
	cfg := &packet.Config{Time: func() time.Time { return when }}
	if err := openpgp.ArmoredDetachSign(&sig, key, io.Reader(r), cfg); err != nil {
		return "", fmt.Errorf("sign with key %X: %w; is the private key decrypted?", key.PrimaryKey.KeyId, err)
	}
	return sig.String(), nil
}

// commitTime is now in whole seconds (git's resolution), but never before the parent's
// committer time, so that history never runs backwards because of a slow clock.
func commitTime(now time.Time, head *object.Commit) time.Time {
	t := now.Truncate(time.Second)
	if head != nil {
		if p := head.Committer.When; p.After(t) {
			t = p.In(now.Location())
		}
	}
	return t
}

// normalise checks the paths and modes of the changes, sets the default mode and orders
// them by path.
func normalise(changes []Change) ([]Change, error) {
	if len(changes) == 0 {
		return nil, errors.New("commit: no files to commit")
	}
	out := make([]Change, len(changes))
	seen := make(map[string]bool, len(changes))
	for i, c := range changes {
		if c.Mode == filemode.Empty {
			c.Mode = filemode.Regular
		}
		if c.Delete && len(c.Data) > 0 {
			return nil, fmt.Errorf("commit: %s: a deletion carries no content", c.Path)
		}
		if c.Mode != filemode.Regular && c.Mode != filemode.Executable {
			return nil, fmt.Errorf("commit: %s: mode %s; only regular and executable files are written", c.Path, c.Mode)
		}
		if err := checkPath(c.Path); err != nil {
			return nil, err
		}
		if seen[c.Path] {
			return nil, fmt.Errorf("commit: %s: written twice in one commit", c.Path)
		}
		seen[c.Path] = true
		out[i] = c
	}
	sortChanges(out)
	return out, nil
}

func checkPath(p string) error {
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, "\\") || strings.ContainsRune(p, 0) || path.Clean(p) != p {
		return fmt.Errorf("commit: %q is not a clean slash-separated path relative to the repository root", p)
	}
	for _, part := range strings.Split(p, "/") {
		if part == "." || part == ".." || strings.EqualFold(part, ".git") {
			return fmt.Errorf("commit: %q: a path may not contain %q", p, part)
		}
	}
	return nil
}

func sortChanges(cs []Change) {
	slices.SortFunc(cs, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
}

// wantReflog follows core.logAllRefUpdates, which git turns on by default when there is a
// work tree.
func wantReflog(repo *git.Repository, root string) bool {
	cfg, err := repo.Storer.Config()
	if err != nil {
		return root != ""
	}
	switch strings.ToLower(cfg.Raw.Section("core").Option("logallrefupdates")) {
	case "true", "always", "yes", "on", "1":
		return true
	case "false", "no", "off", "0":
		return false
	}
	return root != ""
}

func short(h plumbing.Hash) string { return h.String()[:7] }
