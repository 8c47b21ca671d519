package site

import (
	"slices"
	"strings"

	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
)

// The printable notices of the three national procedures (xinfang, market,
// bankins). Their entries are in formKinds; what each prints is a list of
// fields here, the body sections the states require, and the due time of
// the clock the notice tells the person about.

func init() {
	addWords("form", map[string][2]string{
		"due_of": {"期限", " due"},
	})
}

// reached tells the cases that are, or ever were, in one of the states: a
// notice of acceptance still prints once the case has moved on.
func reached(states ...string) func(*office.Record) bool {
	return func(r *office.Record) bool {
		if slices.Contains(states, r.Case.Status) {
			return true
		}
		return slices.ContainsFunc(r.Transitions(), func(t history.Transition) bool { return slices.Contains(states, t.To) })
	}
}

// withDue is caseFields followed by the due time of the case's clock rule,
// labelled with the clock's name; empty when the clock has not started.
func withDue(paths []string, sections func(*policy.Policy) []string, rule string) func(*Form, []*office.Record, Options) {
	fields := caseFields(paths, sections)
	return func(f *Form, recs []*office.Record, opts Options) {
		fields(f, recs, opts)
		for _, r := range recs {
			lbl, due := rule, ""
			for _, c := range r.Clocks {
				if c.Rule == rule {
					lbl = pick(opts.Lang, [2]string{c.Zh, c.En})
					due = c.DueAt.In(loc(r)).Format(timeLayout)
				}
			}
			if suffix := word(opts.Lang, "due_of"); !strings.HasSuffix(lbl, suffix) {
				lbl += suffix
			}
			f.Fields = append(f.Fields, FormField{Label: lbl, Value: due})
		}
	}
}

// xinfangCols are the columns of the 信访事项登记簿 (第二十一条、第二十二条、
// 第二十三条).
var xinfangCols = []string{
	colID, "received_at", "complainant.name", "channel", "category", colSummary,
	"respondent.unit", "department", "assignee", "notice_at", "forwarded_to", colStatus, colClosedAt,
}

// xinfangAcceptance is the written notice of acceptance: how and by whom
// the matter is handled (第二十三条第二款、第三款).
var xinfangAcceptance = []string{
	colID, "received_at", "complainant.name", "channel", "category", colSummary,
	"department", "assignee", "notice_at",
}

// xinfangRejection tells the petitioner which office to turn to
// (第二十三条第一款).
var xinfangRejection = []string{
	colID, "received_at", "complainant.name", "channel", colSummary, "competent_authority", "notice_at",
}

// xinfangOpinion is the 信访处理意见书: the request, the facts and reasons,
// the opinion and its legal basis (第三十二条), and the right to a review
// within 30 days (第三十五条).
var xinfangOpinion = []string{
	colID, "received_at", "complainant.name", colSummary, "department", "assignee",
	"opinion_result", "opinion_delivered_at",
}

// marketCols are the columns of the 投诉举报登记表.
var marketCols = []string{
	colID, "received_at", "complainant.name", "channel", "category", colSummary,
	"respondent.unit", "department", "assignee", colStatus, colClosedAt,
}

// marketAcceptance is the notice of acceptance of a complaint (第十四条).
var marketAcceptance = []string{
	colID, "received_at", "complainant.name", "channel", "category", colSummary,
	"respondent.unit", "department", "mediator", "decision_notified_at",
}

// marketRejection is the notice of non-acceptance with its ground
// (第十四条、第十五条).
var marketRejection = []string{
	colID, "received_at", "complainant.name", "channel", "category", colSummary,
	"respondent.unit", "not_accepted_reason", "decision_notified_at",
}

// marketTermination tells both parties that mediation ended, and why
// (第二十一条).
var marketTermination = []string{
	colID, "received_at", "complainant.name", "respondent.unit", "category", colSummary,
	"mediator", "termination_reason", "termination_notified_at",
}

// marketReport tells a named reporter whether a case was opened
// (第三十一条第二款).
var marketReport = []string{
	colID, "received_at", "complainant.name", "respondent.unit", "category", colSummary,
	colStatus, "filing_decided_at", "reporter_notified_at",
}

// bankinsCols are the columns of the 消费投诉登记簿.
var bankinsCols = []string{
	colID, "received_at", "complainant.name", "channel", "category", colSummary,
	"respondent.unit", "department", "assignee", "decision", colStatus, colClosedAt,
}

// bankinsDecision is the notice of the decision on a consumer complaint.
var bankinsDecision = []string{
	colID, "received_at", "complainant.name", "channel", "category", colSummary,
	"respondent.unit", "department", "assignee", "decision", "decision_notified_at",
}
