package validate

import (
	"fmt"
	"strings"

	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
)

// review is the case's history with its corrections judged under the
// policy's approvers. A recorded correction is exempt from
// transition.illegal, history.closed_edit and history.fact_changed; use
// Covers(commit) for the exemption.
func review(r *office.Record, p *policy.Policy) *history.Review {
	return history.ReviewCase(r.History, p.CorrectionApprovers())
}

// corrections reports each correction of the case: correction.recorded
// (info) with what it changed, or correction.invalid when the commit claims
// to be a correction but the claim does not cover what it did.
func corrections(r *office.Record, rev *history.Review) []Finding {
	var fs []Finding
	for _, cl := range rev.Claims {
		v := r.History.Versions[cl.Version]
		path := "status"
		if cl.From == cl.To && len(v.Changed) > 0 {
			path = v.Changed[0]
		}
		var f Finding
		if cl.Covered() {
			what := cl.What
			if cl.Undone != nil {
				what = fmt.Sprintf("undo of commit %s (%s -> %s)", short(cl.Undone.Commit), displayFrom(cl.Undone.From), cl.Undone.To)
			}
			f = finding(r, "correction.recorded", path, fmt.Sprintf("commit %s (%s, %s) is a correction approved by %s: %s; status %s -> %s; changed %s; reason: %s",
				short(cl.Commit), v.Actor, v.At.Format("2006-01-02T15:04:05Z07:00"), cl.ApprovedBy, what, cl.From, cl.To, strings.Join(changedOrNone(v.Changed), ", "), oneLine(cl.Reason)), "")
		} else {
			f = finding(r, "correction.invalid", path, fmt.Sprintf("commit %s claims to correct %s (%s: %s), but %s; it is judged as an ordinary commit",
				short(cl.Commit), r.Case.ID, history.TrailerCorrection, cl.What, cl.Problem),
				"record corrections with casebook correct "+r.Case.ID+" (--undo | --set k=v) --reason TEXT --approved-by NAME; for this commit in history, acknowledge it in "+AckFile)
		}
		f.Commit = cl.Commit
		fs = append(fs, f)
	}
	return fs
}

// uncovered is said after a finding about a commit that claims to be a
// correction, so the reader learns why the claim did not exempt it.
func uncovered(rev *history.Review, commit string) string {
	if cl, ok := rev.Claim(commit); ok && !cl.Covered() {
		return " (its " + history.TrailerCorrection + " trailer does not cover it: " + cl.Problem.En + ")"
	}
	return ""
}

// illegalFix is the fix of transition.illegal. A commit made with `git
// revert` is judged as what it is, a transition back; the fix points to
// the command that records taking a transition back.
func illegalFix(id string, t history.Transition) string {
	if isRevert(t) {
		return "a git revert is a transition back, not a correction: take back a transition made by mistake with casebook correct " + id +
			" --undo --reason TEXT --approved-by NAME; this revert is in history: acknowledge it in " + AckFile
	}
	return "this is in history: revert with a legal move, or acknowledge the commit in " + AckFile
}

// isRevert recognises the message git revert writes.
func isRevert(t history.Transition) bool {
	return strings.Contains(t.Note, "This reverts commit ")
}

func changedOrNone(keys []string) []string {
	if len(keys) == 0 {
		return []string{"nothing"}
	}
	return keys
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
