package clerk

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/repo"
	"github.com/casebook/casebook/internal/seal"
	"github.com/casebook/casebook/internal/validate"
)

// Renumbering is a case to give another id.
type Renumbering struct {
	Old string
	// New is the id to give it; "" takes the next free one, as New allocates it.
	New string
	// File picks the file of Old when several carry it (id.duplicate).
	File string
	Note string
}

// renumberStore is what renumbering needs of a store: every file of an id,
// the history (to keep a trail and to know which ids were ever used), and
// a commit of several files. The work tree is one.
type renumberStore interface {
	LocateAll(id string) ([]string, error)
	ReadFile(file string) ([]byte, error)
	History() (*history.History, error)
	CommitFiles(actor repo.Identity, now func() time.Time, prepare func(v FilesView) ([]repo.Change, string, error)) (repo.Result, error)
}

var _ renumberStore = (*WorkTree)(nil)

// Renumber gives a case another id, in one commit `<NEW>: renumbered from
// <OLD>` with the note and the trailers Casebook-Case: NEW and
// Casebook-Renumbered: OLD -> NEW: the file (or the bundle's folder) is
// renamed and `id:` changed, every other byte kept. History continues the
// case under the new id, so its trail and its clocks stay whole; it works
// on a closed case too, since a renumbering is no edit of the record.
//
// Where two clones registered OLD and a merge kept the file of one
// registration only (id.collision), it brings the other back under NEW
// from its last version in history, leaving OLD's file as it is.
func (d *Desk) Renumber(x Renumbering) (Done, error) {
	if !idPattern.MatchString(x.Old) {
		return Done{}, &InputError{Msg: fmt.Sprintf("%q is not a case id", x.Old), Fix: "ids look like BANK-2026-0007 (casebook list shows them)"}
	}
	if x.New != "" && !idPattern.MatchString(x.New) {
		return Done{}, &InputError{Msg: fmt.Sprintf("%q is not a case id", x.New), Fix: "give an id such as BANK-2026-0008, or leave it out for the next free one"}
	}
	if x.New == x.Old {
		return Done{}, &InputError{Msg: x.Old + " already has that id", Fix: "give another id, or leave it out for the next free one"}
	}
	st, ok := d.store().(renumberStore)
	if !ok {
		return Done{}, &InputError{Msg: "renumbering needs a repository with a work tree and its history"}
	}
	var done Done
	res, err := st.CommitFiles(d.Actor, d.Now, func(v FilesView) ([]repo.Change, string, error) {
		h, err := st.History()
		if err != nil {
			return nil, "", &InputError{Msg: "read history: " + err.Error()}
		}
		files, err := st.LocateAll(x.Old)
		if err != nil {
			return nil, "", err
		}
		if x.File != "" {
			f := path.Clean(filepath.ToSlash(x.File))
			if !slices.Contains(files, f) && slices.Contains(files, f+"/index.md") {
				f += "/index.md" // a bundle named by its folder
			}
			if !slices.Contains(files, f) {
				return nil, "", &InputError{Msg: fmt.Sprintf("%s is not a file of case %s", x.File, x.Old), Fix: "its files: " + orNone(files)}
			}
			files = []string{f}
		}
		var regs, dropped []history.Registration // of a collision; those no file holds
		for _, col := range h.Collisions {
			if col.ID != x.Old {
				continue
			}
			regs = col.Registrations
			for _, r := range col.Registrations {
				if !r.Held {
					dropped = append(dropped, r)
				}
			}
		}
		r := renumberRun{d: d, st: st, v: v, h: h, x: x}
		switch {
		case len(files) == 0:
			if rs := h.RenumberedFrom(x.Old); len(rs) > 0 {
				last := rs[len(rs)-1]
				return nil, "", &InputError{Msg: fmt.Sprintf("%s was renumbered %s by commit %s (%s, %s)", x.Old, last.To, short(last.Commit), last.Actor, last.At.Format(time.RFC3339)),
					Fix: "casebook show " + last.To}
			}
			return nil, "", &InputError{Msg: fmt.Sprintf("no case %s under cases/", x.Old), Fix: "check the id with `casebook list`"}
		case len(files) > 1:
			return nil, "", &InputError{Msg: fmt.Sprintf("id %s is carried by %d files: %s", x.Old, len(files), strings.Join(files, ", ")),
				Fix: fmt.Sprintf("say which to renumber: casebook renumber %s --file FILE", x.Old)}
		case len(regs) > 0 && len(dropped) == len(regs):
			// The file holds none as its line left it: a conflict, or both combined.
			data, err := st.ReadFile(files[0])
			if err != nil {
				return nil, "", &InputError{Msg: fmt.Sprintf("read %s: %v", files[0], err)}
			}
			if _, _, err := r.readCase(files[0], data); err != nil {
				return nil, "", err
			}
			return nil, "", &InputError{Msg: fmt.Sprintf("%s holds none of the %d registrations of %s as it was: the merge combined them", files[0], len(regs), x.Old),
				Fix: fmt.Sprintf("check the file out as one of them left it (git checkout %s -- %s), commit, then casebook renumber %s", short(regs[0].Tip.Commit), files[0], x.Old)}
		case len(dropped) > 0 && x.File != "":
			return nil, "", &InputError{Msg: fmt.Sprintf("%s holds one of the registrations of %s, and no file holds the one of commit %s: renumbering it would leave that record without a file", files[0], x.Old, short(dropped[0].Created.Commit)),
				Fix: fmt.Sprintf("bring that registration back first: casebook renumber %s (without --file)", x.Old)}
		case len(dropped) > 0:
			done, err = r.restore(dropped[0])
		default:
			done, err = r.rename(files[0])
		}
		if err != nil {
			return nil, "", err
		}
		return r.changes, message(done.ID+": renumbered from "+x.Old, x.Note,
			history.TrailerCase, done.ID, history.TrailerRenumbered, x.Old+" -> "+done.ID), nil
	})
	return finished(done, res, err)
}

// renumberRun is one attempt of Renumber, under the repository lock.
type renumberRun struct {
	d       *Desk
	st      renumberStore
	v       FilesView
	h       *history.History
	x       Renumbering
	changes []repo.Change
}

// rename gives the committed case file (or bundle) file the new id.
func (r *renumberRun) rename(file string) (Done, error) {
	data, err := r.st.ReadFile(file)
	if err != nil {
		return Done{}, &InputError{Msg: fmt.Sprintf("read %s: %v", file, err)}
	}
	committed, ok := r.v.Committed(file)
	if !ok {
		return Done{}, &InputError{Msg: file + " is not committed: it has no trail yet, and an id nobody has seen can be changed by hand",
			Fix: "rename the file and its `id:` before committing it, or commit it first"}
	}
	if !bytes.Equal(committed, data) {
		return Done{}, &InputError{Msg: file + " has uncommitted changes",
			Fix: fmt.Sprintf("commit them (casebook set or move) or discard them (git checkout -- %s), then renumber", file)}
	}
	cur, p, err := r.readCase(file, data)
	if err != nil {
		return Done{}, err
	}
	newID, err := r.newID(p, cur)
	if err != nil {
		return Done{}, err
	}
	edited, err := withID(file, data, newID)
	if err != nil {
		return Done{}, err
	}
	if !cur.Bundle {
		to := path.Join(path.Dir(file), newID+".md")
		r.changes = []repo.Change{{Path: file, Delete: true}, {Path: to, Data: edited}}
		return Done{ID: newID, File: to, From: cur.Status, To: cur.Status}, nil
	}
	// A bundle moves whole: index.md and every attachment, each committed as it is.
	dir := path.Dir(file)
	to := path.Join(path.Dir(dir), newID)
	inHead, err := r.v.Files(dir)
	if err != nil {
		return Done{}, &InputError{Msg: fmt.Sprintf("read %s in HEAD: %v", dir, err)}
	}
	if err := r.bundleClean(dir, inHead); err != nil {
		return Done{}, err
	}
	for _, f := range inHead {
		content, _ := r.v.Committed(f)
		if f == file {
			content = edited
		}
		r.changes = append(r.changes, repo.Change{Path: f, Delete: true}, repo.Change{Path: to + strings.TrimPrefix(f, dir), Data: content})
	}
	return Done{ID: newID, File: path.Join(to, "index.md"), From: cur.Status, To: cur.Status}, nil
}

// bundleClean refuses a bundle folder whose work-tree files are not exactly
// the committed ones: what is not committed would be left behind or lost.
func (r *renumberRun) bundleClean(dir string, inHead []string) error {
	root := r.d.Root
	var extra []string
	err := filepath.WalkDir(filepath.Join(root, filepath.FromSlash(dir)), func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !slices.Contains(inHead, rel) {
			extra = append(extra, rel)
			return nil
		}
		work, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if committed, _ := r.v.Committed(rel); !bytes.Equal(work, committed) {
			extra = append(extra, rel)
		}
		return nil
	})
	if err != nil {
		return &InputError{Msg: fmt.Sprintf("read %s: %v", dir, err)}
	}
	if len(extra) > 0 {
		return &InputError{Msg: fmt.Sprintf("the bundle %s has files that are not committed as they are: %s", dir, strings.Join(extra, ", ")),
			Fix: "commit them or move them away, then renumber"}
	}
	return nil
}

// restore brings back under the new id a registration of the old one that
// no file holds any more (a merge kept the other), from its last version.
func (r *renumberRun) restore(reg history.Registration) (Done, error) {
	tip := reg.Tip
	data, err := history.ReadBlob(r.d.Repo, tip.Blob)
	if err != nil {
		return Done{}, &InputError{Msg: fmt.Sprintf("read %s at commit %s: %v", tip.Path, short(tip.Commit), err)}
	}
	cur, p, err := r.readCase(tip.Path, data)
	if err != nil {
		return Done{}, err
	}
	if cur.Bundle {
		return Done{}, &InputError{Msg: fmt.Sprintf("the registration of commit %s is a bundle (%s), which renumber does not bring back", short(reg.Created.Commit), tip.Path),
			Fix: fmt.Sprintf("restore its folder by hand (git checkout %s -- %s) under another path, commit it, then casebook renumber %s --file FILE", short(tip.Commit), path.Dir(tip.Path), r.x.Old)}
	}
	newID, err := r.newID(p, cur)
	if err != nil {
		return Done{}, err
	}
	edited, err := withID(tip.Path, data, newID)
	if err != nil {
		return Done{}, err
	}
	to := path.Join(path.Dir(tip.Path), newID+".md")
	r.changes = []repo.Change{{Path: to, Data: edited}}
	return Done{ID: newID, File: to, From: cur.Status, To: cur.Status}, nil
}

// readCase parses the version to renumber and refuses what renumbering
// cannot carry over.
func (r *renumberRun) readCase(file string, data []byte) (*cases.Case, *policy.Policy, error) {
	cur, p, err := r.d.parsed(file, data)
	if err != nil {
		return nil, nil, err
	}
	if cur.ID != r.x.Old {
		return nil, nil, &InputError{Msg: fmt.Sprintf("%s carries id %q, not %s", file, cur.ID, r.x.Old), Fix: "make `id:` and the file name agree first (casebook validate shows the problem)"}
	}
	if len(seal.Sealed(cur.Fields)) > 0 {
		return nil, nil, &InputError{Msg: fmt.Sprintf("%s holds personal data sealed for %s: a new id needs every value sealed again for it, which renumber does not do", file, r.x.Old),
			Fix: "this version of casebook cannot renumber a case with sealed fields"}
	}
	return cur, p, nil
}

// newID is the id asked for, checked, or the next free one of the policy
// and the year the case was received: an id is free when no file in the
// work tree and no case in history ever had it.
func (r *renumberRun) newID(p *policy.Policy, c *cases.Case) (string, error) {
	year := yearOf(r.x.Old)
	if !c.ReceivedAt.IsZero() && p.Location != nil {
		year = c.ReceivedAt.In(p.Location).Year()
	}
	taken := func(id string) string {
		if _, err := Locate(r.d.Root, id); err == nil {
			return "a case file in the work tree has it"
		}
		if hc := r.h.Cases[id]; hc != nil && len(hc.Versions) > 0 {
			return "history holds case " + id + " (commit " + short(hc.Versions[0].Commit) + ")"
		}
		if rs := r.h.RenumberedFrom(id); len(rs) > 0 {
			return "commit " + short(rs[0].Commit) + " renumbered a case away from it"
		}
		return ""
	}
	if want := r.x.New; want != "" {
		if why := validate.IDShape(want, p.Prefix); !why.IsZero() {
			return "", &InputError{Msg: fmt.Sprintf("%s is not an id of policy %s: %s", want, p.ID, why.En), Fix: fmt.Sprintf("give %s-%d-NNNN, or leave the new id out for the next free one", p.Prefix, year)}
		}
		if y := yearOf(want); y != year {
			return "", &InputError{Msg: fmt.Sprintf("%s is numbered in %d, but the case was received in %d", want, y, year), Fix: fmt.Sprintf("ids are numbered per year of receipt: give %s-%d-NNNN, or leave the new id out", p.Prefix, year)}
		}
		if why := taken(want); why != "" {
			return "", &InputError{Msg: fmt.Sprintf("%s is taken: %s; an id is never used twice", want, why), Fix: "leave the new id out for the next free one"}
		}
		return want, nil
	}
	id, err := r.v.NextID(p.Prefix, year)
	if err != nil {
		return "", &InputError{Msg: err.Error()}
	}
	for taken(id) != "" {
		i := strings.LastIndexByte(id, '-')
		n, err := strconv.Atoi(id[i+1:])
		if err != nil {
			return "", &InputError{Msg: "next id: " + err.Error()}
		}
		id = fmt.Sprintf("%s%04d", id[:i+1], n+1)
	}
	return id, nil
}

// withID is a case file with `id:` set to id, every other byte kept.
func withID(file string, data []byte, id string) ([]byte, error) {
	next, err := cases.Apply(data, []cases.Change{cases.Set{Path: policy.FieldID, Value: id}})
	if err != nil {
		return nil, editError(file, err)
	}
	if c, err := cases.Parse(file, next); err != nil || c.ID != id {
		return nil, fmt.Errorf("%s: setting the id to %s would not read back (this is a bug: please report it)", file, id)
	}
	return next, nil
}

// LocateAll finds every file under cases/ in the work tree that is named
// as a file of case id (<id>.md, or <id>/index.md), sorted.
func (w *WorkTree) LocateAll(id string) ([]string, error) {
	if !idPattern.MatchString(id) {
		return nil, &InputError{Msg: fmt.Sprintf("%q is not a case id", id), Fix: "ids look like BANK-2026-0007 (casebook list shows them)"}
	}
	return searchAll(w.Root, "cases", id)
}
