package history

import (
	"fmt"
	"slices"
	"strings"

	"github.com/casebook/casebook/internal/msg"
)

// The trailers of a recorded correction (更正), as casebook correct writes
// them and a clerk may write them by hand.
const (
	TrailerCase       = "Casebook-Case"
	TrailerCorrection = "Casebook-Correction"
	TrailerApprovedBy = "Casebook-Approved-By"
)

// Correction is what a commit claims to correct in one case: the
// Casebook-Correction trailer (what it does), the commit's body (the
// reason) and Casebook-Approved-By (who approved it).
type Correction struct {
	What, Reason, ApprovedBy string
}

// CorrectionOf returns the correction version v claims to make to case id:
// ok when its commit carries Casebook-Correction and names the case in
// Casebook-Case. A trailer on a commit that names another case is no
// claim about this one. Whether the claim covers what the commit does is
// Review's question.
func CorrectionOf(v Version, id string) (Correction, bool) {
	what := v.Trailers.Get(TrailerCorrection)
	if len(what) == 0 || !slices.Contains(v.Trailers.Get(TrailerCase), id) {
		return Correction{}, false
	}
	c := Correction{What: strings.Join(what, "; "), Reason: strings.TrimSpace(v.Note)}
	if by := v.Trailers.Get(TrailerApprovedBy); len(by) == 1 {
		c.ApprovedBy = strings.TrimSpace(by[0])
	}
	return c, true
}

// problem says why the claim alone cannot cover anything (zero when it
// can): a correction names one case, gives its reason and one approver,
// whom the policy allows when it lists approvers.
func (c Correction) problem(v Version, approvers []string) msg.Text {
	switch n := len(v.Trailers.Get(TrailerApprovedBy)); {
	case n == 0 || (n == 1 && c.ApprovedBy == ""):
		return msg.T("它没有写批准人（"+TrailerApprovedBy+"）", "it names no approver ("+TrailerApprovedBy+")")
	case n > 1:
		return msg.T("它写了多个批准人", "it names several approvers")
	}
	switch {
	case len(v.Trailers.Get(TrailerCase)) > 1:
		return msg.T("它写了多个案件；一次更正只更正一个案件", "it names several cases; a correction corrects one")
	case c.Reason == "":
		return msg.T("它没有写理由（提交说明的正文）", "it gives no reason (the commit message body)")
	case len(approvers) > 0 && !slices.Contains(approvers, c.ApprovedBy):
		return msg.T(fmt.Sprintf("%s 无权批准更正（政策规定的批准人：%s）", c.ApprovedBy, strings.Join(approvers, "、")),
			fmt.Sprintf("%s may not approve corrections (the policy's approvers: %s)", c.ApprovedBy, strings.Join(approvers, ", ")))
	}
	return msg.Text{}
}

// Claim is one version of a case that claims to be a correction, as
// Review judged it.
type Claim struct {
	Correction
	Commit string
	// Version is the index of the version in Case.Versions.
	Version int
	// From and To are the status before and after; equal when the
	// correction fixed fields only.
	From, To string
	// Undone is the transition an undo took back; nil for a correction of
	// fields.
	Undone *Transition
	// Problem says why the claim does not cover what the commit did, in
	// both languages (states and fields by id: history knows no labels);
	// zero when it is a recorded correction.
	Problem msg.Text
}

// Covered reports whether the claim is a recorded correction.
func (c Claim) Covered() bool { return c.Problem.IsZero() }

// Review is a case's history with its corrections applied.
type Review struct {
	// Effective are the transitions that still count, oldest first: each
	// covered undo and the transition it took back are left out, as if
	// the mistake had never been made.
	Effective []Transition
	// Claims are the versions that claim to be corrections, oldest first.
	Claims []Claim
}

// Covers reports whether commit is a recorded correction of the case:
// the commit validate exempts from transition.illegal, history.closed_edit
// and history.fact_changed.
func (r *Review) Covers(commit string) bool {
	for _, c := range r.Claims {
		if c.Covered() && c.Commit == commit {
			return true
		}
	}
	return false
}

// Claim returns the claim of commit, if it made one.
func (r *Review) Claim(commit string) (Claim, bool) {
	for _, c := range r.Claims {
		if c.Commit == commit {
			return c, true
		}
	}
	return Claim{}, false
}

// ReviewCase applies the corrections of case h. approvers are the names
// the policy allows to approve one (nil: anyone). A claim covers only
// what a correction can do: with a reason and an allowed approver, it
// fixes fields of the one case it names (never its id or policy) or takes
// back the case's last transition that still counts (its status returns
// to the state before that transition). Anything else is reported in the
// claim's Problem and counts as an ordinary commit.
func ReviewCase(c *Case, approvers []string) *Review {
	r := &Review{}
	if c == nil {
		return r
	}
	if !hasClaims(c) {
		r.Effective = c.Transitions
		return r
	}
	byCommit := map[string]int{}
	prev := ""
	for i, v := range c.Versions {
		if v.Deleted {
			continue
		}
		from := prev
		prev = v.Snap.Status
		x, ok := CorrectionOf(v, c.ID)
		if !ok {
			continue
		}
		if _, seen := byCommit[v.Commit]; seen {
			continue
		}
		cl := Claim{Correction: x, Version: i, From: from, To: v.Snap.Status, Commit: v.Commit, Problem: x.problem(v, approvers)}
		if cl.Covered() {
			for _, k := range v.Changed {
				if k == "id" || k == "policy" {
					cl.Problem = msg.T("它改动了案件的 "+k+"，这是更正不能做的", "it changes the case's "+k+", which no correction can")
				}
			}
		}
		if cl.Covered() && i == firstVersion(c) {
			cl.Problem = msg.T("它登记了案件；更正只能改动已登记的案件", "it registers the case; a correction changes a recorded case")
		}
		byCommit[v.Commit] = len(r.Claims)
		r.Claims = append(r.Claims, cl)
	}
	var stack []Transition
	for _, t := range c.Transitions {
		j, ok := byCommit[t.Commit]
		if !ok || t.From == "" || !r.Claims[j].Covered() {
			stack = append(stack, t)
			continue
		}
		cl := &r.Claims[j]
		n := len(stack)
		if n >= 2 && stack[n-1].To == t.From && stack[n-1].From == t.To {
			undone := stack[n-1]
			cl.Undone = &undone
			stack = stack[:n-1]
			continue
		}
		last := msg.T("没有", "none")
		if n >= 2 {
			last = msg.T(stack[n-1].From+" → "+stack[n-1].To, stack[n-1].From+" -> "+stack[n-1].To)
		}
		cl.Problem = msg.T(fmt.Sprintf("它把状态从 %s 改为 %s，并不是撤回上一次流转（%s）", t.From, t.To, last.Zh),
			fmt.Sprintf("it changes the status %s -> %s, which does not take back the last transition (%s)", t.From, t.To, last.En))
		stack = append(stack, t)
	}
	r.Effective = stack
	return r
}

// IsCorrection reports whether version v of case c is a recorded
// correction, under the policy's approvers. It reviews the whole case;
// a caller asking about many versions reviews once with ReviewCase.
func IsCorrection(c *Case, v Version, approvers []string) bool {
	if _, ok := CorrectionOf(v, c.ID); !ok {
		return false
	}
	return ReviewCase(c, approvers).Covers(v.Commit)
}

// hasClaims is the fast path of ReviewCase: nearly every case has no
// correction at all.
func hasClaims(c *Case) bool {
	for i := range c.Versions {
		for _, t := range c.Versions[i].Trailers {
			if t.Key == TrailerCorrection {
				return true
			}
		}
	}
	return false
}

func firstVersion(c *Case) int {
	for i, v := range c.Versions {
		if !v.Deleted {
			return i
		}
	}
	return -1
}
