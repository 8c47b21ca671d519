package office

import (
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/policy"
)

// CorrectedEvents are the clock events of a case with its recorded
// corrections applied: an undone transition and its undo are left out, so a
// stop taken back (a withdrawal or a closing by mistake) no longer stops a
// clock, which runs again from its original start.
func CorrectedEvents(p *policy.Policy, h *history.Case, c *cases.Case) []deadline.Event {
	if h == nil || len(h.Transitions) == 0 {
		return Events(h, c)
	}
	eff := history.ReviewCase(h, p.CorrectionApprovers()).Effective
	if len(eff) == len(h.Transitions) {
		return Events(h, c)
	}
	return Events(&history.Case{ID: h.ID, Transitions: eff}, c)
}

// Correction is one recorded correction of a case, for show, log, the
// case page and the feed: who made and approved it, why, what it changed,
// and the case's clocks judged just before and just after it.
type Correction struct {
	history.Correction
	Commit string
	At     time.Time
	Actor  string
	// From and To are the status before and after (equal for a
	// correction of fields); Changed the top-level keys it changed.
	From, To string
	Changed  []string
	// Clocks are the clocks whose state or due time the correction
	// changed.
	Clocks []ClockChange
}

// Undo reports whether the correction took back a transition.
func (c Correction) Undo() bool { return c.From != c.To }

// ClockChange is one clock before and after a correction; nil when the
// clock did not run (a withdrawal ended it in time, or it had not started).
type ClockChange struct {
	Rule, Zh, En  string
	Before, After *deadline.Clock
}

// Corrections returns the recorded corrections of r's case, oldest first,
// each with the verdict before and after: the case as of the correction's
// parent (that version's file, its history up to there) and as of the
// correction, both judged at the correction's moment. Only corrected cases
// read past versions, two blobs per correction; the result is kept in r.
func (o *Office) Corrections(r *Record) []Correction {
	if r.Corrections != nil || r.History == nil || r.Policy == nil {
		return r.Corrections
	}
	h, p := r.History, r.Policy
	rev := history.ReviewCase(h, p.CorrectionApprovers())
	out := []Correction{}
	for _, cl := range rev.Claims {
		if !cl.Covered() {
			continue
		}
		v := h.Versions[cl.Version]
		x := Correction{Correction: cl.Correction, Commit: cl.Commit, At: v.At, Actor: v.Actor,
			From: cl.From, To: cl.To, Changed: slices.Clone(v.Changed)}
		x.Clocks = o.clockChanges(p, h, cl.Version)
		out = append(out, x)
	}
	r.Corrections = out
	return out
}

// clockChanges judges the case just before and just after version k.
func (o *Office) clockChanges(p *policy.Policy, h *history.Case, k int) []ClockChange {
	prev := -1
	for i := k - 1; i >= 0; i-- {
		if !h.Versions[i].Deleted {
			prev = i
			break
		}
	}
	if prev < 0 || o.Repo == nil {
		return nil
	}
	at := h.Versions[k].At
	before, ok1 := o.judgeVersion(p, h, prev, at)
	after, ok2 := o.judgeVersion(p, h, k, at)
	if !ok1 || !ok2 {
		return nil
	}
	var out []ClockChange
	// A rule may run several clocks (a reopened case's cycles, a duty's
	// reports): each is compared with the same run of the other version.
	type run struct {
		rule          string
		cycle, report int
	}
	runOf := func(c deadline.Clock) run { return run{c.Rule, c.Cycle, c.Report} }
	find := func(cs []deadline.Clock, k run) *deadline.Clock {
		for i := range cs {
			if runOf(cs[i]) == k {
				return &cs[i]
			}
		}
		return nil
	}
	var runs []run
	for _, cs := range [][]deadline.Clock{before, after} {
		for _, c := range cs {
			if !slices.Contains(runs, runOf(c)) {
				runs = append(runs, runOf(c))
			}
		}
	}
	for _, k := range runs {
		b, a := find(before, k), find(after, k)
		if b != nil && a != nil && b.State == a.State && b.DueAt.Equal(a.DueAt) && b.NotDone == a.NotDone {
			continue
		}
		ch := ClockChange{Rule: k.rule, Before: b, After: a}
		for _, c := range []*deadline.Clock{a, b} {
			if c != nil {
				ch.Zh, ch.En = c.Zh, c.En
			}
		}
		out = append(out, ch)
	}
	return out
}

// judgeVersion judges version k of a case with its history up to and
// including k, at the moment at; false when the version cannot be read.
func (o *Office) judgeVersion(p *policy.Policy, h *history.Case, k int, at time.Time) ([]deadline.Clock, bool) {
	v := h.Versions[k]
	c, ok := VersionCase(o.Repo, p, v)
	if !ok {
		return nil, false
	}
	commits := make(map[string]bool, k+1)
	for _, x := range h.Versions[:k+1] {
		commits[x.Commit] = true
	}
	past := &history.Case{ID: h.ID, Path: v.Path, Versions: h.Versions[:k+1]}
	for _, t := range h.Transitions {
		if commits[t.Commit] {
			past.Transitions = append(past.Transitions, t)
		}
	}
	return Judge(p, o.Calendar(p), c, past, at).Clocks, true
}

// Step is one entry of a case's audit trail: a transition, a recorded
// correction of fields, or a renumbering; the last two change no status
// (From equals To then). Correction is set for both kinds of correction.
type Step struct {
	history.Transition
	Correction *Correction
	// Renumbered is set on the step that gave the case another id.
	Renumbered *Renumber
}

// Renumber is the id a renumbering took a case from, and the one it gave.
type Renumber struct{ From, To string }

// Trail is r's audit trail, oldest first: its transitions, its
// corrections of fields and its renumberings, with each step that is a
// recorded correction carrying it. It reads the corrections
// (Office.Corrections) first.
func (o *Office) Trail(r *Record) []Step {
	o.Corrections(r)
	return Trail(r)
}

// Trail is the audit trail of a record whose corrections were read
// (Office.Corrections); without them, its transitions and renumberings.
func Trail(r *Record) []Step {
	ts := r.Transitions()
	corr := r.Corrections
	renumbered := map[string]*Renumber{} // by commit
	if r.History != nil {
		for i := range r.History.Versions {
			v := &r.History.Versions[i]
			if from, ok := v.RenumberedFrom(v.Snap.ID); ok && !v.Deleted {
				renumbered[v.Commit] = &Renumber{From: from, To: v.Snap.ID}
			}
		}
	}
	if len(corr) == 0 && len(renumbered) == 0 {
		out := make([]Step, len(ts))
		for i, t := range ts {
			out[i] = Step{Transition: t}
		}
		return out
	}
	byCommit := make(map[string]*Correction, len(corr))
	for i := range corr {
		byCommit[corr[i].Commit] = &corr[i]
	}
	order := map[string]int{}
	for i, v := range r.History.Versions {
		if _, ok := order[v.Commit]; !ok {
			order[v.Commit] = i
		}
	}
	out := make([]Step, 0, len(ts)+len(corr)+len(renumbered))
	for _, t := range ts {
		out = append(out, Step{Transition: t, Correction: byCommit[t.Commit], Renumbered: renumbered[t.Commit]})
		delete(renumbered, t.Commit)
	}
	for i := range corr {
		x := &corr[i]
		if x.Undo() {
			continue
		}
		v := r.History.Versions[order[x.Commit]]
		out = append(out, Step{Correction: x, Transition: v.Transition(x.From, x.To)})
	}
	for commit, rn := range renumbered {
		v := r.History.Versions[order[commit]]
		out = append(out, Step{Renumbered: rn, Transition: v.Transition(v.Snap.Status, v.Snap.Status)})
	}
	slices.SortStableFunc(out, func(a, b Step) int {
		if d := order[a.Commit] - order[b.Commit]; d != 0 {
			return d
		}
		return strings.Compare(a.Commit, b.Commit)
	})
	return out
}
