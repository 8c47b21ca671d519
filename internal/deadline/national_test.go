package deadline

import (
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/policies"
)

// loadEmbedded loads one of the built-in policies and its calendar.
func loadEmbedded(t testing.TB, id string) *policy.Policy {
	t.Helper()
	data, err := fs.ReadFile(policies.FS, id+".yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := policy.Load(id+".yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// nationalCase is one row of TestCompute_NationalPolicies: a case of one of
// the three national policies, and the clock it must have.
type nationalCase struct {
	name   string
	policy string
	fields map[string]any
	// events are "RFC3339 state" pairs after the creating one, which is
	// received_at in the initial state.
	events []string
	now    string
	rule   string
	due    string // "" means the clock must be absent (not started, or moot)
	state  State
	// problem is a substring of a problem Compute must report ("" none).
	problem string
}

// TestCompute_NationalPolicies checks every clock of xinfang, market and
// bankins, counted by hand at the National Day 2026 boundary (Sep 25-27
// 中秋 and Oct 1-7 rest, Sun Sep 20 and Sat Oct 10 make-up working days),
// at Spring Festival 2027 (Feb 5-13 rest, Sun Jan 31 and Sun Feb 14 make-up
// working days) and on a make-up working day. Days (日) are calendar days;
// a last day that is a rest day moves to the next working day. The calendar:
// go run ./cmd/casebook calendar --from 2026-09-25 --to 2026-10-12 and
// --from 2027-01-28 --to 2027-02-20.
func TestCompute_NationalPolicies(t *testing.T) {
	tests := []nationalCase{
		// ---- xinfang (信访工作条例) ----
		{
			// Sep 16 + 15 days = Thu Oct 1, a holiday; Oct 1-7 rest, so the
			// period ends on Thu Oct 8.
			name: "xinfang notice: 15 days ending in National Day move to Oct 8", policy: "xinfang",
			fields: map[string]any{"received_at": "2026-09-16T10:00:00+08:00", "channel": "letter", "category": "appeal"},
			now:    "2026-09-20T10:00:00+08:00", rule: "notice", due: "2026-10-08T23:59:59+08:00", state: Pending,
		},
		{
			// Jan 25 + 15 days = Tue Feb 9, inside Spring Festival (Feb 5-13);
			// the next working day is the make-up Sunday Feb 14.
			name: "xinfang notice: 15 days ending in Spring Festival move to the make-up Sunday", policy: "xinfang",
			fields: map[string]any{"received_at": "2027-01-25T10:00:00+08:00", "channel": "online", "category": "suggestion"},
			events: []string{"2027-02-14T16:00:00+08:00 accepted"},
			now:    "2027-02-15T10:00:00+08:00", rule: "notice", due: "2027-02-14T23:59:59+08:00", state: Met,
		},
		{
			// Wed Sep 30; working days Oct 8 (1), Oct 9 (2), Sat Oct 10
			// make-up (3), Oct 12 (4), Oct 13 (5).
			name: "xinfang objection: 5 working days over National Day count the make-up Saturday", policy: "xinfang",
			fields: map[string]any{"received_at": "2026-09-30T10:00:00+08:00", "channel": "xinfang_office", "category": "appeal"},
			events: []string{"2026-10-14T09:00:00+08:00 objected"},
			now:    "2026-10-14T10:00:00+08:00", rule: "objection", due: "2026-10-13T23:59:59+08:00", state: Missed,
		},
		{
			// Thu Feb 4; Feb 5-13 rest; Sun Feb 14 make-up (1), Feb 15 (2),
			// 16 (3), 17 (4), 18 (5).
			name: "xinfang objection: 5 working days over Spring Festival", policy: "xinfang",
			fields: map[string]any{"received_at": "2027-02-04T10:00:00+08:00", "channel": "higher_office", "category": "appeal"},
			now:    "2027-02-10T10:00:00+08:00", rule: "objection", due: "2027-02-18T23:59:59+08:00", state: Pending,
		},
		{
			name: "xinfang objection: no clock for a matter the petitioner brought directly", policy: "xinfang",
			fields: map[string]any{"received_at": "2026-09-30T10:00:00+08:00", "channel": "visit", "category": "appeal"},
			now:    "2026-10-01T10:00:00+08:00", rule: "objection",
		},
		{
			// Accepted Thu Aug 6: + 60 days = Mon Oct 5, a holiday -> Oct 8.
			name: "xinfang conclude: 60 days from acceptance end after National Day", policy: "xinfang",
			fields: map[string]any{"received_at": "2026-08-03T10:00:00+08:00", "channel": "letter", "category": "appeal"},
			events: []string{"2026-08-06T10:00:00+08:00 accepted"},
			now:    "2026-09-01T10:00:00+08:00", rule: "conclude", due: "2026-10-08T23:59:59+08:00", state: Pending,
		},
		{
			// The cap is 60 + 30 = 90 days from Aug 6: Wed Nov 4. An
			// extension to Nov 4 is within it.
			name: "xinfang conclude: extended by the head to the 90-day cap", policy: "xinfang",
			fields: map[string]any{"received_at": "2026-08-03T10:00:00+08:00", "channel": "letter", "category": "appeal",
				"extensions": []any{map[string]any{"rule": "conclude", "until": "2026-11-04", "approved_by": "李局长"}}},
			events: []string{"2026-08-06T10:00:00+08:00 accepted"},
			now:    "2026-10-09T10:00:00+08:00", rule: "conclude", due: "2026-11-04T23:59:59+08:00", state: Pending,
		},
		{
			// 60 days from Aug 6 end on Mon Oct 5, a holiday (due Oct 8). The
			// 30 days more count from that nominal last day, not from the
			// moved due: Oct 5 + 30 = Wed Nov 4, exactly the 90-day cap, so
			// the extension the rule allows is taken (counted from Oct 8 it
			// would be Sat Nov 7 -> Mon Nov 9, past the cap, and refused).
			name: "xinfang conclude: 30 days more after the holiday shift end at the cap", policy: "xinfang",
			fields: map[string]any{"received_at": "2026-08-03T10:00:00+08:00", "channel": "letter", "category": "appeal",
				"extensions": []any{map[string]any{"rule": "conclude", "by": "30 calendar_days", "approved_by": "李局长"}}},
			events: []string{"2026-08-06T10:00:00+08:00 accepted"},
			now:    "2026-10-09T10:00:00+08:00", rule: "conclude", due: "2026-11-04T23:59:59+08:00", state: Pending,
		},
		{
			// Accepted Mon Dec 14: Dec 31 is day 17, Jan 31 day 48, Feb 12
			// day 60, a Spring Festival rest day -> the make-up Sunday Feb 14.
			name: "xinfang conclude: 60 days ending in Spring Festival", policy: "xinfang",
			fields: map[string]any{"received_at": "2026-12-11T10:00:00+08:00", "channel": "letter", "category": "appeal"},
			events: []string{"2026-12-14T10:00:00+08:00 accepted", "2027-02-14T11:00:00+08:00 opinion_issued"},
			now:    "2027-02-15T10:00:00+08:00", rule: "conclude", due: "2027-02-14T23:59:59+08:00", state: Met,
		},
		{
			name: "xinfang conclude: no clock for a suggestion", policy: "xinfang",
			fields: map[string]any{"received_at": "2026-08-03T10:00:00+08:00", "channel": "letter", "category": "suggestion"},
			events: []string{"2026-08-06T10:00:00+08:00 accepted"},
			now:    "2026-09-01T10:00:00+08:00", rule: "conclude",
		},
		{
			// Sep 10 + 30 days = Sat Oct 10, a make-up working day: no shift.
			name: "xinfang review: 30 days ending on the make-up Saturday", policy: "xinfang",
			fields: map[string]any{"received_at": "2026-06-01T10:00:00+08:00", "channel": "letter", "category": "appeal",
				"review_requested_at": "2026-09-10T09:00:00+08:00"},
			events: []string{"2026-06-02T10:00:00+08:00 accepted", "2026-07-20T10:00:00+08:00 opinion_issued", "2026-09-10T10:00:00+08:00 review"},
			now:    "2026-10-11T10:00:00+08:00", rule: "review", due: "2026-10-10T23:59:59+08:00", state: Overdue,
		},
		{
			// Requested Mon Jan 4: + 30 days = Wed Feb 3. The hearing takes
			// the whole days Jan 12-19 (8 days), not counted: Feb 3 + 8 =
			// Thu Feb 11, a Spring Festival rest day -> Sun Feb 14 (make-up).
			name: "xinfang recheck: 8 days of hearing push the end into Spring Festival", policy: "xinfang",
			fields: map[string]any{"received_at": "2026-06-01T10:00:00+08:00", "channel": "letter", "category": "appeal",
				"review_requested_at": "2026-10-12T09:00:00+08:00", "recheck_requested_at": "2027-01-04T09:00:00+08:00"},
			events: []string{"2026-06-02T10:00:00+08:00 accepted", "2026-07-20T10:00:00+08:00 opinion_issued",
				"2026-10-12T10:00:00+08:00 review", "2026-11-02T10:00:00+08:00 reviewed", "2027-01-04T10:00:00+08:00 recheck",
				"2027-01-12T00:00:00+08:00 hearing", "2027-01-20T00:00:00+08:00 recheck"},
			now: "2027-02-12T10:00:00+08:00", rule: "recheck", due: "2027-02-14T23:59:59+08:00", state: Pending,
		},

		// ---- market (市场监督管理投诉举报处理暂行办法) ----
		{
			// Wed Sep 30; Oct 8 (1), 9 (2), Sat Oct 10 make-up (3), 12-15 (4-7).
			name: "market accept: 7 working days over National Day", policy: "market",
			fields: map[string]any{"received_at": "2026-09-30T10:00:00+08:00", "channel": "platform", "category": "quality"},
			events: []string{"2026-10-15T17:00:00+08:00 accepted"},
			now:    "2026-10-16T10:00:00+08:00", rule: "accept", due: "2026-10-15T23:59:59+08:00", state: Met,
		},
		{
			// Told on Thu Oct 15 (the 7th working day) at 17:00; the move was
			// committed on Fri Oct 16. The clock stops at the recorded time:
			// met, though the commit is late.
			name: "market accept: the recorded notice on the last day counts, not the later commit", policy: "market",
			fields: map[string]any{"received_at": "2026-09-30T10:00:00+08:00", "channel": "platform", "category": "quality",
				"decision_notified_at": "2026-10-15T17:00:00+08:00"},
			events: []string{"2026-10-16T09:00:00+08:00 accepted"},
			now:    "2026-10-16T10:00:00+08:00", rule: "accept", due: "2026-10-15T23:59:59+08:00", state: Met,
		},
		{
			// Fri Jan 29; Sat Jan 30 rest; Sun Jan 31 make-up (1), Feb 1-4
			// (2-5), Feb 5-13 rest, Sun Feb 14 make-up (6), Mon Feb 15 (7).
			name: "market accept: 7 working days over Spring Festival count both make-up Sundays", policy: "market",
			fields: map[string]any{"received_at": "2027-01-29T10:00:00+08:00", "channel": "hotline", "category": "service"},
			now:    "2027-02-16T10:00:00+08:00", rule: "accept", due: "2027-02-15T23:59:59+08:00", state: Overdue,
		},
		{
			name: "market accept: no acceptance clock for a report", policy: "market",
			fields: map[string]any{"received_at": "2026-09-30T10:00:00+08:00", "channel": "platform", "category": "counterfeit"},
			now:    "2026-10-01T10:00:00+08:00", rule: "accept",
		},
		{
			// Accepted Mon Sep 28: Sep 29-30 (1-2), Oct 8-9 (3-4), Sat Oct 10
			// (5), then five a week: Oct 12-16 (10), 19-23 (15), 26-30 (20),
			// Nov 2-6 (25), 9-13 (30), 16-20 (35), 23-27 (40), Nov 30 - Dec 4
			// (45).
			name: "market mediation: 45 working days from acceptance over National Day", policy: "market",
			fields: map[string]any{"received_at": "2026-09-25T10:00:00+08:00", "channel": "window", "category": "contract"},
			events: []string{"2026-09-28T10:00:00+08:00 accepted"},
			now:    "2026-11-02T10:00:00+08:00", rule: "mediation", due: "2026-12-04T23:59:59+08:00", state: Pending,
		},
		{
			// Testing takes the whole days Oct 12-16, five working days not
			// counted (第二十条第三款): Dec 4 + 5 working days = Fri Dec 11.
			name: "market mediation: five working days of testing are not counted", policy: "market",
			fields: map[string]any{"received_at": "2026-09-25T10:00:00+08:00", "channel": "window", "category": "contract"},
			events: []string{"2026-09-28T10:00:00+08:00 accepted", "2026-10-12T00:00:00+08:00 testing", "2026-10-17T00:00:00+08:00 accepted"},
			now:    "2026-12-07T10:00:00+08:00", rule: "mediation", due: "2026-12-11T23:59:59+08:00", state: Pending,
		},
		{
			// Terminated Thu Feb 4; Sun Feb 14 make-up (1), Feb 15-19 (2-6),
			// Sat Feb 20 and Sun Feb 21 rest, Mon Feb 22 (7).
			name: "market termination_notice: 7 working days over Spring Festival", policy: "market",
			fields: map[string]any{"received_at": "2027-01-04T10:00:00+08:00", "channel": "window", "category": "quality",
				"termination_notified_at": "2027-02-22T09:00:00+08:00"},
			events: []string{"2027-01-05T10:00:00+08:00 accepted", "2027-02-04T15:00:00+08:00 terminated"},
			now:    "2027-02-23T10:00:00+08:00", rule: "termination_notice", due: "2027-02-22T23:59:59+08:00", state: Met,
		},
		{
			// Found on Fri Sep 25, a 中秋 rest day: Sep 28-30 (1-3), Oct 8-9
			// (4-5), Sat Oct 10 (6), Oct 12-16 (7-11), Oct 19-22 (12-15).
			name: "market clue_check: 15 working days from a find on a holiday", policy: "market",
			fields: map[string]any{"received_at": "2026-09-21T10:00:00+08:00", "channel": "window", "category": "quality",
				"clue_found_at": "2026-09-25T10:00:00+08:00"},
			events: []string{"2026-09-22T10:00:00+08:00 accepted"},
			now:    "2026-10-20T10:00:00+08:00", rule: "clue_check", due: "2026-10-22T23:59:59+08:00", state: Pending,
		},
		{
			// Extended by 15 working days: Oct 23 (1), Oct 26-30 (6), Nov 2-6
			// (11), Nov 9-12 (15) = Thu Nov 12, exactly the 30-working-day
			// cap counted from the find: allowed.
			name: "market clue_check: extended by 15 working days up to the cap", policy: "market",
			fields: map[string]any{"received_at": "2026-09-21T10:00:00+08:00", "channel": "window", "category": "quality",
				"clue_found_at": "2026-09-25T10:00:00+08:00",
				"extensions":    []any{map[string]any{"rule": "clue_check", "by": "15 working_days", "approved_by": "王局长"}}},
			events: []string{"2026-09-22T10:00:00+08:00 accepted"},
			now:    "2026-10-23T10:00:00+08:00", rule: "clue_check", due: "2026-11-12T23:59:59+08:00", state: Pending,
		},
		{
			// Decided on the make-up Saturday Oct 10: Oct 12-16 (1-5).
			name: "market report_notice: 5 working days from a decision on the make-up Saturday", policy: "market",
			fields: map[string]any{"received_at": "2026-09-21T10:00:00+08:00", "channel": "platform", "category": "food_safety",
				"complainant": map[string]any{"name": "钱某"}, "filing_decided_at": "2026-10-10T10:00:00+08:00"},
			events: []string{"2026-10-10T10:30:00+08:00 filed"},
			now:    "2026-10-14T10:00:00+08:00", rule: "report_notice", due: "2026-10-16T23:59:59+08:00", state: Pending,
		},
		{
			name: "market report_notice: no clock for an anonymous reporter", policy: "market",
			fields: map[string]any{"received_at": "2026-09-21T10:00:00+08:00", "channel": "platform", "category": "food_safety",
				"complainant": map[string]any{"anonymous": true}, "filing_decided_at": "2026-10-10T10:00:00+08:00"},
			events: []string{"2026-10-10T10:30:00+08:00 filed"},
			now:    "2026-10-14T10:00:00+08:00", rule: "report_notice",
		},

		// ---- bankins (银行业保险业消费投诉处理管理办法) ----
		{
			// Sep 16 + 15 days = Oct 1, a holiday -> Thu Oct 8.
			name: "bankins decide: 15 days ending in National Day", policy: "bankins",
			fields: map[string]any{"received_at": "2026-09-16T10:00:00+08:00", "channel": "phone", "category": "card"},
			now:    "2026-10-09T10:00:00+08:00", rule: "decide", due: "2026-10-08T23:59:59+08:00", state: Overdue,
		},
		{
			// Complex: Sep 16 + 30 days = Fri Oct 16.
			name: "bankins decide: 30 days for a complex complaint", policy: "bankins",
			fields: map[string]any{"received_at": "2026-09-16T10:00:00+08:00", "channel": "phone", "category": "claim", "complex": true},
			now:    "2026-10-09T10:00:00+08:00", rule: "decide", due: "2026-10-16T23:59:59+08:00", state: Pending,
		},
		{
			// The cap is 60 days from Sep 16: Sun Nov 15 -> Mon Nov 16. An
			// extension until Nov 15 (a Sunday) ends on Nov 16: within it.
			name: "bankins decide: extended by a superior to the 60-day cap", policy: "bankins",
			fields: map[string]any{"received_at": "2026-09-16T10:00:00+08:00", "channel": "phone", "category": "claim", "complex": true,
				"extensions": []any{map[string]any{"rule": "decide", "until": "2026-11-15", "approved_by": "总行高管张某"}}},
			now: "2026-10-19T10:00:00+08:00", rule: "decide", due: "2026-11-16T23:59:59+08:00", state: Pending,
		},
		{
			name: "bankins decide: an extension beyond 60 days is refused", policy: "bankins",
			fields: map[string]any{"received_at": "2026-09-16T10:00:00+08:00", "channel": "phone", "category": "claim", "complex": true,
				"extensions": []any{map[string]any{"rule": "decide", "until": "2026-11-17", "approved_by": "总行高管张某"}}},
			now: "2026-10-09T10:00:00+08:00", rule: "decide", due: "2026-10-16T23:59:59+08:00", state: Pending,
			problem: "exceeds the limit of 60 calendar_days from the start (2026-11-16T23:59:59+08:00)",
		},
		{
			// New facts on Mon Jan 25: the period counts from them; + 15 days
			// = Feb 9, Spring Festival -> Sun Feb 14 (make-up).
			name: "bankins decide: new facts restart the 15 days, ending on the make-up Sunday", policy: "bankins",
			fields: map[string]any{"received_at": "2027-01-10T10:00:00+08:00", "channel": "online", "category": "loan",
				"new_facts_at": "2027-01-25T10:00:00+08:00"},
			events: []string{"2027-01-11T10:00:00+08:00 handling"},
			now:    "2027-02-01T10:00:00+08:00", rule: "decide", due: "2027-02-14T23:59:59+08:00", state: Pending,
		},
		{
			// Complex, received Wed Jan 20: + 30 days = Fri Feb 19. External
			// appraisal takes the whole days Jan 26 - Feb 2 (8 days): Feb 19 +
			// 8 = Sat Feb 27 -> Mon Mar 1.
			name: "bankins decide: eight days of appraisal before Spring Festival on a 30-day clock", policy: "bankins",
			fields: map[string]any{"received_at": "2027-01-20T10:00:00+08:00", "channel": "letter", "category": "claim", "complex": true},
			events: []string{"2027-01-21T10:00:00+08:00 handling", "2027-01-26T00:00:00+08:00 appraisal", "2027-02-03T00:00:00+08:00 handling"},
			now:    "2027-02-22T10:00:00+08:00", rule: "decide", due: "2027-03-01T23:59:59+08:00", state: Pending,
		},
		{
			name: "bankins decide: a withdrawal in time makes the clock moot", policy: "bankins",
			fields: map[string]any{"received_at": "2026-09-16T10:00:00+08:00", "channel": "phone", "category": "card",
				"withdrawal_received_at": "2026-09-20T10:00:00+08:00"},
			events: []string{"2026-09-20T11:00:00+08:00 withdrawn"},
			now:    "2026-10-09T10:00:00+08:00", rule: "decide",
		},
		{
			name: "bankins decide: a repeat merged in time makes the clock moot", policy: "bankins",
			fields: map[string]any{"received_at": "2026-09-16T10:00:00+08:00", "channel": "phone", "category": "card"},
			events: []string{"2026-09-17T11:00:00+08:00 merged"},
			now:    "2026-10-09T10:00:00+08:00", rule: "decide",
		},
		{
			// The regulator received it Wed Sep 30 16:00: Oct 8 (1), Oct 9
			// (2), Sat Oct 10 make-up (3). The institution received it Mon
			// Oct 12: late.
			name: "bankins regulator_forward: 3 working days ending on the make-up Saturday", policy: "bankins",
			fields: map[string]any{"received_at": "2026-10-12T09:00:00+08:00", "channel": "regulator", "category": "wealth",
				"regulator_received_at": "2026-09-30T16:00:00+08:00"},
			now: "2026-10-12T10:00:00+08:00", rule: "regulator_forward", due: "2026-10-10T23:59:59+08:00", state: Missed,
		},
	}
	checkNational(t, tests)
}

// checkNational computes each row's clocks with the embedded policy and
// its calendar, and checks the row's clock and problem.
func checkNational(t *testing.T, tests []nationalCase) {
	t.Helper()
	loaded := map[string]*policy.Policy{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := loaded[tt.policy]
			if p == nil {
				p = loadEmbedded(t, tt.policy)
				loaded[tt.policy] = p
			}
			cal, err := CalendarFor(p)
			if err != nil {
				t.Fatal(err)
			}
			received := at(tt.fields["received_at"].(string))
			evs := []Event{{At: received, To: p.States[0].ID}}
			for _, e := range tt.events {
				when, state, _ := strings.Cut(e, " ")
				evs = append(evs, Event{At: at(when), From: evs[len(evs)-1].To, To: state})
			}
			exts, ps := ParseExtensions(tt.fields)
			if len(ps) > 0 {
				t.Fatalf("extensions: %v", ps)
			}
			// The case file's status is the state of its last move.
			fields := map[string]any{policy.FieldStatus: evs[len(evs)-1].To}
			for k, v := range tt.fields {
				fields[k] = v
			}
			clocks, problems := computeLater(t, Input{
				Policy: p, Calendar: cal, Env: p.Env(fields), ReceivedAt: received,
				Status: evs[len(evs)-1].To, Fields: tt.fields, Events: evs, Extensions: exts, Now: at(tt.now),
			})
			var msgs []string
			for _, pr := range problems {
				msgs = append(msgs, pr.Error())
			}
			got := strings.Join(msgs, "\n")
			if tt.problem == "" && got != "" || !strings.Contains(got, tt.problem) {
				t.Errorf("problems %q, want one containing %q", got, tt.problem)
			}
			var c *Clock
			for i := range clocks {
				if clocks[i].Rule == tt.rule {
					c = &clocks[i]
				}
			}
			switch {
			case tt.due == "" && c != nil:
				t.Fatalf("clock %s due %s (%s), want none", tt.rule, c.DueAt.Format(time.RFC3339), c.State)
			case tt.due == "":
				return
			case c == nil:
				t.Fatalf("no clock %s, want due %s", tt.rule, tt.due)
			}
			if d := c.DueAt.Format(time.RFC3339); d != tt.due || c.State != tt.state {
				t.Errorf("%s due %s (%s), want %s (%s)", tt.rule, d, c.State, tt.due, tt.state)
			}
			if len(c.NoData) > 0 {
				t.Errorf("%s: calendar has no data for %v", tt.rule, c.NoData)
			}
		})
	}
}
