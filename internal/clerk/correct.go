package clerk

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/gitdir"
	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/repo"
)

// Correction is a clerk's mistake taken back (更正): the last transition
// undone, or fields fixed, with the reason and who approved it.
type Correction struct {
	// Undo takes back the case's last transition that still counts.
	Undo bool
	// Sets fix fields (received_at and the category included); Unsets
	// empty them.
	Sets   []cases.Set
	Unsets []string
	Reason string
	// ApprovedBy must be one of the policy's corrections.approvers when it
	// lists any.
	ApprovedBy string
}

// Correct records a correction as one commit `<ID>: correct <what>`, the
// reason as its body and the trailers Casebook-Case, Casebook-Correction
// and Casebook-Approved-By. It works on a closed case too: a correction is
// not an edit of the record but a recorded fix of it.
//
// An undo returns the status to the state before the last transition and
// changes nothing else: what that transition's commit wrote (a withdrawal's
// reason) stays in the file as part of the record, and the previous state
// requires nothing that it could have removed. Fields the clerk wants gone
// are a correction of their own (--unset), which removes their keys; the
// record of what they held is the history.
func (d *Desk) Correct(id string, x Correction) (Done, error) {
	if err := x.check(id); err != nil {
		return Done{}, err
	}
	_, _, _, p, err := d.load(id)
	if err != nil {
		return Done{}, err
	}
	approvers := p.CorrectionApprovers()
	if len(approvers) > 0 && !slices.Contains(approvers, x.ApprovedBy) {
		return Done{}, &ForbiddenError{Msg: fmt.Sprintf("%s may not approve corrections under policy %s", x.ApprovedBy, p.ID),
			Problems: []string{"the policy's approvers: " + strings.Join(approvers, ", ") + " (fix: --approved-by one of them)"}}
	}
	var done Done
	res, err := d.commit(func(v View) (repo.Change, string, error) {
		file, data, headStatus, committed, err := d.read(v, id)
		if err != nil {
			return repo.Change{}, "", err
		}
		if !committed {
			return repo.Change{}, "", &InputError{Msg: file + " is not committed yet: there is no record to correct", Fix: "edit the file, then commit it with casebook move or set"}
		}
		cur, p, err := d.parsed(file, data)
		if err != nil {
			return repo.Change{}, "", err
		}
		if cur.Status != headStatus {
			return repo.Change{}, "", &InputError{Msg: fmt.Sprintf("%s: the work copy changes status from %s to %s without a commit", file, headStatus, cur.Status),
				Fix: "set status back to " + headStatus + " first"}
		}
		var changes []cases.Change
		var subject, what string
		to := headStatus
		if x.Undo {
			last, err := d.lastTransition(id, p, headStatus)
			if err != nil {
				return repo.Change{}, "", err
			}
			to = last.From
			changes = append(changes, cases.Set{Path: "status", Value: to})
			subject = headStatus + " -> " + to
			what = "undo " + subject
		} else {
			sets := make([]cases.Change, 0, len(x.Sets))
			for _, s := range x.Sets {
				sets = append(sets, s)
			}
			if sets, _, err = d.sealEdit(p, cur, sets); err != nil {
				return repo.Change{}, "", err
			}
			changes = append(changes, sets...)
			for _, path := range x.Unsets {
				changes = append(changes, cases.Delete{Path: path})
			}
			if err := absent(id, cur, changes); err != nil {
				return repo.Change{}, "", err
			}
			subject, what = x.describe()
		}
		next, err := cases.Apply(data, changes)
		if err != nil {
			return repo.Change{}, "", editError(file, err)
		}
		done = Done{ID: id, File: file, From: headStatus, To: to}
		if bytes.Equal(next, data) {
			return repo.Change{}, "", errUnchanged
		}
		c, fs, err := d.judge(file, next, p)
		if err != nil {
			return repo.Change{}, "", err
		}
		if err := removals(id, c.Status, p, c, changes); err != nil {
			return repo.Change{}, "", err
		}
		if err := blocking(fs, msg.T("更正 "+id, "correcting "+id)); err != nil {
			return repo.Change{}, "", err
		}
		msg := message(id+": correct "+subject, x.Reason,
			history.TrailerCase, id, history.TrailerCorrection, what, history.TrailerApprovedBy, x.ApprovedBy)
		return repo.Change{Path: file, Data: next}, msg, nil
	})
	return finished(done, res, err)
}

// check refuses a correction that is not one before anything is read.
func (x Correction) check(id string) error {
	switch {
	case strings.TrimSpace(x.Reason) == "":
		return &InputError{Msg: "a correction needs its reason", Fix: "give --reason TEXT: what was wrong and why it is corrected"}
	case strings.TrimSpace(x.ApprovedBy) == "":
		return &InputError{Msg: "a correction needs who approved it", Fix: "give --approved-by NAME"}
	case strings.ContainsAny(x.ApprovedBy, "\r\n"):
		return &InputError{Msg: "--approved-by is one line: a name", Fix: "give the approver's name only"}
	case x.Undo && (len(x.Sets) > 0 || len(x.Unsets) > 0):
		return &InputError{Msg: "an undo and a correction of fields are two corrections", Fix: "run casebook correct " + id + " --undo first, then --set or --unset in a second correction"}
	case !x.Undo && len(x.Sets) == 0 && len(x.Unsets) == 0:
		return &InputError{Msg: "nothing to correct", Fix: "give --undo, --set k=v or --unset k"}
	}
	paths := slices.Clone(x.Unsets)
	for _, s := range x.Sets {
		if slices.Contains(x.Unsets, s.Path) {
			return &InputError{Msg: "--set and --unset of " + s.Path + " together", Fix: "either correct it to a value or remove it"}
		}
		paths = append(paths, s.Path)
	}
	for _, path := range paths {
		switch top, _, _ := strings.Cut(path, "."); top {
		case "id", "policy":
			return &InputError{Msg: top + " of a case cannot be corrected", Fix: "register a new case and link the two (casebook link)"}
		case "status":
			return &InputError{Msg: "status is not corrected with --set", Fix: "take back the last transition with casebook correct " + id + " --undo"}
		}
	}
	return nil
}

// describe is a correction of fields for the commit subject ("category")
// and its Casebook-Correction trailer ("set category; unset handler").
func (x Correction) describe() (subject, what string) {
	var changes []cases.Change
	for _, s := range x.Sets {
		changes = append(changes, s)
	}
	for _, u := range x.Unsets {
		changes = append(changes, cases.Delete{Path: u})
	}
	return strings.Join(changedPaths(changes), ", "), describeChanges(changes)
}

// lastTransition is the transition an undo takes back: the case's last one
// that still counts once earlier corrections are applied.
func (d *Desk) lastTransition(id string, p *policy.Policy, headStatus string) (history.Transition, error) {
	tr, ok := d.store().(interface {
		Trail(id string) (*history.Case, error)
	})
	if !ok {
		return history.Transition{}, &InputError{Msg: "this store keeps no history to undo from"}
	}
	h, err := tr.Trail(id)
	if err != nil {
		return history.Transition{}, &InputError{Msg: "read the history of " + id + ": " + err.Error()}
	}
	eff := history.ReviewCase(h, p.CorrectionApprovers()).Effective
	if len(eff) < 2 {
		return history.Transition{}, &InputError{Msg: id + " has no transition to undo: its history holds only its registration",
			Fix: "correct fields with --set k=v; a case registered by mistake stays on record (withdraw or close it as the policy allows)"}
	}
	last := eff[len(eff)-1]
	if last.To != headStatus {
		return history.Transition{}, &InputError{Msg: fmt.Sprintf("%s is %s, but its last transition in history (%s) went to %s", id, headStatus, short(last.Commit), last.To),
			Fix: "casebook validate shows what happened; undo only what history records"}
	}
	return last, nil
}

// Trail returns the history of case id (nil when it has none), read with
// the cache under .git/casebook as validate does.
func (w *WorkTree) Trail(id string) (*history.Case, error) {
	d, err := gitdir.Of(w.Repo)
	if err != nil {
		return nil, err
	}
	return history.ReadCase(w.Repo, history.Options{Prefix: "cases/", CacheDir: d.CacheDir()}, id)
}

// History reads the history of every case, with the cache under
// .git/casebook as validate does.
func (w *WorkTree) History() (*history.History, error) {
	d, err := gitdir.Of(w.Repo)
	if err != nil {
		return nil, err
	}
	return history.Read(w.Repo, history.Options{Prefix: "cases/", CacheDir: d.CacheDir()})
}

func short(h string) string {
	if len(h) > 7 {
		return h[:7]
	}
	return h
}
