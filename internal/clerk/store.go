package clerk

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/repo"

	"github.com/casebook/casebook/internal/deadline"
)

// Store is where a Desk finds case files and commits them: the work tree of a clerk's
// repository (WorkTree, what the command line uses), or a bulk writer building a new
// repository (BatchStore, for `casebook demo`). The operations are the same on both.
type Store interface {
	// Locate finds the file of case id, a slash path relative to the root.
	Locate(id string) (string, error)
	// ReadFile returns a case file as the clerk has it now: in a work tree, with the
	// edits not yet committed, and line endings as git would commit them.
	ReadFile(file string) ([]byte, error)
	// Commit calls prepare with the branch as it is (under the repository lock, for a
	// work tree; again if the branch moved) and commits the one file it returns, as
	// actor, at the time now gives.
	Commit(actor repo.Identity, now func() time.Time, prepare func(v View) (repo.Change, string, error)) (repo.Result, error)
}

// View is the committed state a commit's preparation sees.
type View interface {
	// Committed returns a file's content at the branch's last commit.
	Committed(file string) ([]byte, bool)
	// NextID is the next free id of the policy prefix and year.
	NextID(prefix string, year int) (string, error)
}

var (
	_ Store = (*WorkTree)(nil)
	_ Store = (*BatchStore)(nil)
)

// WorkTree is a repository with a work tree, committed to through repo.Commit: the lock,
// a compare-and-swap of the branch, and the index updated for the committed file.
type WorkTree struct {
	Root    string
	Repo    *git.Repository
	Sign    *openpgp.Entity
	Timeout time.Duration
}

// Locate finds the case file under cases/ in the work tree.
func (w *WorkTree) Locate(id string) (string, error) { return Locate(w.Root, id) }

// ReadFile reads the work-tree file, at most the size limit of a case file, with its line
// endings as git would commit them (a CRLF checkout reads as LF), so that it compares
// with the committed version byte for byte; the commit writes them back as git checks
// them out.
func (w *WorkTree) ReadFile(file string) ([]byte, error) {
	data, err := readLimited(filepath.Join(w.Root, filepath.FromSlash(file)))
	if err != nil {
		return nil, err
	}
	eol, err := repo.LoadLineEndings(w.Repo, w.Root)
	if err != nil {
		return nil, err
	}
	return eol.ToGit(file, data), nil
}

// Commit commits through repo.Commit.
func (w *WorkTree) Commit(actor repo.Identity, now func() time.Time, prepare func(v View) (repo.Change, string, error)) (repo.Result, error) {
	return w.CommitFiles(actor, now, func(v FilesView) ([]repo.Change, string, error) {
		ch, msg, err := prepare(v)
		if err != nil {
			return nil, "", err
		}
		return []repo.Change{ch}, msg, nil
	})
}

// FilesView is a View that also lists the committed files of a folder.
type FilesView interface {
	View
	// Files lists the files under dir at the branch's last commit, as slash paths
	// relative to the root, sorted.
	Files(dir string) ([]string, error)
}

// CommitFiles is Commit for an operation on several files at once, some of them
// deleted: a case given another id, its file (or bundle) renamed.
func (w *WorkTree) CommitFiles(actor repo.Identity, now func() time.Time, prepare func(v FilesView) ([]repo.Change, string, error)) (repo.Result, error) {
	return repo.Commit(w.Repo, w.Root, repo.CommitRequest{
		Author:  actor,
		Now:     now,
		Sign:    w.Sign,
		Timeout: w.Timeout,
		Prepare: func(head *object.Commit) ([]repo.Change, string, error) {
			return prepare(&headView{w: w, head: head})
		},
	})
}

// headView is a work tree's repository at the commit Prepare was given.
type headView struct {
	w    *WorkTree
	head *object.Commit
}

func (v *headView) Committed(file string) ([]byte, bool) {
	if v.head == nil {
		return nil, false
	}
	f, err := v.head.File(file)
	if err != nil {
		return nil, false
	}
	content, err := f.Contents()
	if err != nil {
		return nil, false
	}
	return []byte(content), true
}

// Files lists the committed files under dir.
func (v *headView) Files(dir string) ([]string, error) {
	if v.head == nil {
		return nil, nil
	}
	t, err := v.head.Tree()
	if err != nil {
		return nil, err
	}
	sub, err := t.Tree(dir)
	if errors.Is(err, object.ErrDirectoryNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	err = sub.Files().ForEach(func(f *object.File) error {
		out = append(out, dir+"/"+f.Name)
		return nil
	})
	sort.Strings(out)
	return out, err
}

// NextID counts the ids at the head and in the work tree, so that a case file written but
// not yet committed keeps its id.
func (v *headView) NextID(prefix string, year int) (string, error) {
	return repo.NextID(v.w.Repo, v.w.Root, prefix, year, v.head)
}

// BatchStore commits into a repo.Batch: a new repository written in bulk, whose files
// exist only in memory until the batch is closed. What is committed is all there is, so
// the committed content is also the clerk's.
type BatchStore struct {
	Batch *repo.Batch
	// ids maps each case id committed so far to its file.
	ids map[string]string
	// work holds the clerk's working copies (WriteFile) until their file is committed.
	work map[string][]byte
}

// NewBatchStore returns a store that commits into b.
func NewBatchStore(b *repo.Batch) *BatchStore {
	return &BatchStore{Batch: b, ids: map[string]string{}, work: map[string][]byte{}}
}

// WriteFile sets the clerk's working copy of a file, as an editor saving a section into
// a work tree would: ReadFile returns it, and the next commit of that file includes it.
func (s *BatchStore) WriteFile(file string, data []byte) {
	s.work[file] = data
}

// Locate finds a case committed in the batch.
func (s *BatchStore) Locate(id string) (string, error) {
	if !idPattern.MatchString(id) {
		return "", &InputError{Msg: fmt.Sprintf("%q is not a case id", id), Fix: "ids look like BANK-2026-0007 (casebook list shows them)"}
	}
	if f, ok := s.ids[id]; ok {
		return f, nil
	}
	return "", &InputError{Msg: fmt.Sprintf("no case %s under cases/", id), Fix: "check the id with `casebook list`"}
}

// ReadFile returns the clerk's working copy, or else the file as last committed.
func (s *BatchStore) ReadFile(file string) ([]byte, error) {
	if data, ok := s.work[file]; ok {
		return data, nil
	}
	data, ok := s.Batch.Read(file)
	if !ok {
		return nil, &InputError{Msg: fmt.Sprintf("read %s: no such file", file)}
	}
	return data, nil
}

// Commit prepares and commits at now(); there is no lock to take and no one else to race.
func (s *BatchStore) Commit(actor repo.Identity, now func() time.Time, prepare func(v View) (repo.Change, string, error)) (repo.Result, error) {
	ch, msg, err := prepare(batchView{s.Batch})
	if err != nil {
		return repo.Result{}, err
	}
	res, err := s.Batch.Commit([]repo.Change{ch}, msg, actor, now())
	if err != nil {
		return repo.Result{}, err
	}
	delete(s.work, ch.Path)
	if id := caseID(ch.Path); id != "" {
		s.ids[id] = ch.Path
	}
	return res, nil
}

// caseID is the id a case file under cases/ is named by: its stem, or a bundle's folder.
func caseID(file string) string {
	if !strings.HasPrefix(file, "cases/") || !strings.HasSuffix(file, ".md") {
		return ""
	}
	return cases.StemID(file)
}

type batchView struct{ b *repo.Batch }

func (v batchView) Committed(file string) ([]byte, bool) { return v.b.Read(file) }

func (v batchView) NextID(prefix string, year int) (string, error) { return v.b.NextID(prefix, year) }

// Events returns the status changes of case id from git history, for the
// checks that depend on when the case entered a state (an extension's
// cap is measured from its clock's start). It reads history with the
// cache under .git/casebook, as validate does.
func (w *WorkTree) Events(id string) ([]deadline.Event, error) {
	hc, err := w.Trail(id)
	if err != nil || hc == nil {
		return nil, err
	}
	out := make([]deadline.Event, 0, len(hc.Transitions))
	for _, t := range hc.Transitions {
		out = append(out, deadline.Event{At: t.At, From: t.From, To: t.To})
	}
	return out, nil
}
