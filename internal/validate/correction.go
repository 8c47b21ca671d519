package validate

import (
	"fmt"
	"strings"

	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/msg"
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
		p := r.Policy
		var f Finding
		if cl.Covered() {
			var what msg.Arg = msg.Same(cl.What)
			if u := cl.Undone; u != nil {
				what = msg.Text{Zh: fmt.Sprintf("撤销提交 %s（从「%s」改为「%s」）", short(u.Commit), fromTerm(p, u.From).In(msg.Zh), p.Term(policy.KindState, u.To).In(msg.Zh)),
					En: fmt.Sprintf("undo of commit %s (%s -> %s)", short(u.Commit), displayFrom(u.From), u.To)}
			}
			changed := msg.List{msg.Text{Zh: "无", En: "nothing"}}
			if len(v.Changed) > 0 {
				changed = fieldTerms(p, v.Changed)
			}
			f = findingSays(r, "correction.recorded", path, "recorded", msg.Args{"commit": short(cl.Commit), "actor": v.Actor, "at": p.At(v.At),
				"approver": cl.ApprovedBy, "what": what, "from": p.Term(policy.KindState, cl.From), "to": p.Term(policy.KindState, cl.To),
				"changed": changed, "reason": oneLine(cl.Reason)})
		} else {
			f = findingSays(r, "correction.invalid", path, "invalid", msg.Args{"commit": short(cl.Commit), "case": r.Case.ID,
				"trailer": history.TrailerCorrection, "what": cl.What, "problem": cl.Problem})
		}
		f.Commit = cl.Commit
		fs = append(fs, f)
	}
	return fs
}

// uncovered is said after a finding about a commit that claims to be a
// correction, so the reader learns why the claim did not exempt it.
func uncovered(rev *history.Review, commit string) msg.Text {
	if cl, ok := rev.Claim(commit); ok && !cl.Covered() {
		return msg.Text{Zh: "（其 " + history.TrailerCorrection + " 标注不能涵盖它：" + cl.Problem.Zh + "）",
			En: " (its " + history.TrailerCorrection + " trailer does not cover it: " + cl.Problem.En + ")"}
	}
	return msg.Text{}
}

// illegalVariant is the variant of transition.illegal for a move. A commit
// made with `git revert` is judged as what it is, a transition back; its
// fix points to the command that records taking a transition back.
func illegalVariant(variant string, t history.Transition) string {
	if isRevert(t) {
		return variant + "_revert"
	}
	return variant
}

// isRevert recognises the message git revert writes.
func isRevert(t history.Transition) bool {
	return strings.Contains(t.Note, "This reverts commit ")
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
