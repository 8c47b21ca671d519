package deadline

import (
	"testing"
	"time"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/policy"
)

// TestCompute_DutiesFromOutside: duties attacked as an auditor and a clerk
// would (docs/clock-scenarios.md, "Duties checked from outside"). Dates as
// in TestCompute_Duties: received Wed 2026-09-30 10:00; Oct 8, 9, Sat 10
// working days 1-3, Oct 12 (4), 13 (5), 14 (6), 15 (7).
func TestCompute_DutiesFromOutside(t *testing.T) {
	reply := policy.DeadlineRule{ID: "reply", Start: policy.Start{Received: true}, Stop: []string{"replied"}, Duration: "3 working_days",
		OnReopen: policy.OnReopenRestart, Extension: &policy.Extension{Max: "20 working_days"}}
	progress := policy.DeadlineRule{ID: "progress", Start: policy.Start{Received: true}, Stop: []string{"verified"}, Duration: "3 working_days",
		Report: &policy.Report{Field: "progress_reported_at"}}
	every := progress
	every.Report = &policy.Report{Field: "progress_reports", Every: "3 working_days"}
	restartReport := progress
	restartReport.OnReopen = policy.OnReopenRestart
	lapsingReport := progress
	lapsingReport.Lapse = []string{"withdrawn"}
	closedOnce := events(ev("2026-10-09T10:00:00+08:00", "received", "replied"), ev("2026-10-09T11:00:00+08:00", "replied", "closed"),
		ev("2026-10-12T09:00:00+08:00", "closed", "assigned"))
	checkDuties(t, []dutyCase{
		{
			name: "reopened twice: each cycle runs from its reopening, the earlier verdicts stay", rule: reply,
			events: append(closedOnce, ev("2026-10-13T10:00:00+08:00", "assigned", "replied"), ev("2026-10-13T11:00:00+08:00", "replied", "closed"),
				ev("2026-10-19T09:00:00+08:00", "closed", "assigned")),
			now: "2026-10-20T09:00:00+08:00",
			want: []string{"reply due=10-10T23:59:59 met ended=10-09T10:00", "reply due=10-15T23:59:59 met ended=10-13T10:00 cycle=1",
				"reply due=10-22T23:59:59 pending ended=- cycle=2"},
		},
		{
			name: "an extension approved before the reopening stays with the first cycle", rule: reply,
			events: closedOnce, now: "2026-10-14T09:00:00+08:00",
			exts: []Extension{{Rule: "reply", Until: ptr(calendar.Date{Year: 2026, Month: 10, Day: 20}), ApprovedBy: "张某", ApprovedAt: at("2026-10-09T09:00:00+08:00")}},
			want: []string{"reply due=10-20T23:59:59 met ended=10-09T10:00", "reply due=10-15T23:59:59 pending ended=- cycle=1"},
		},
		{
			name: "report duty: a report recorded before the clock started does not count", rule: progress,
			fields: map[string]any{"progress_reported_at": "2026-09-29T10:00:00+08:00"}, events: receivedSep30, now: "2026-10-13T09:00:00+08:00",
			want: []string{"progress due=10-10T23:59:59 overdue ended=- report=1"},
		},
		{
			name: "report duty: a report at the very time of receipt counts", rule: progress,
			fields: map[string]any{"progress_reported_at": "2026-09-30T10:00:00+08:00"}, events: receivedSep30, now: "2026-10-13T09:00:00+08:00",
			want: []string{"progress due=10-10T23:59:59 met ended=09-30T10:00 report=1"},
		},
		{
			name: "report duty: a report written after a late completion is still missed", rule: progress,
			fields: map[string]any{"progress_reported_at": "2026-10-13T09:00:00+08:00"},
			events: events(ev("2026-10-12T09:00:00+08:00", "received", "verified")), now: "2026-10-20T09:00:00+08:00",
			want: []string{"progress due=10-10T23:59:59 missed ended=10-12T09:00 not_done report=1"},
		},
		{
			name: "report duty: withdrawn after the due time without a report is missed and not done", rule: lapsingReport,
			events: events(ev("2026-10-12T09:00:00+08:00", "received", "withdrawn")), now: "2026-10-20T09:00:00+08:00",
			want: []string{"progress due=10-10T23:59:59 missed ended=10-12T09:00 not_done report=1"},
		},
		{
			name: "every 3 working days: a report listed twice is one report", rule: every,
			fields: map[string]any{"progress_reports": []any{"2026-10-09T10:00:00+08:00", "2026-10-09T10:00:00+08:00"}}, events: receivedSep30,
			now:  "2026-10-13T09:00:00+08:00",
			want: []string{"progress due=10-10T23:59:59 met ended=10-09T10:00 report=1", "progress due=10-13T23:59:59 pending ended=- report=2"},
		},
		{
			name: "every 3 working days: one instant in two zones is one report", rule: every,
			fields: map[string]any{"progress_reports": []any{"2026-10-09T10:00:00+08:00", "2026-10-09T02:00:00Z"}}, events: receivedSep30,
			now:  "2026-10-13T09:00:00+08:00",
			want: []string{"progress due=10-10T23:59:59 met ended=10-09T10:00 report=1", "progress due=10-13T23:59:59 pending ended=- report=2"},
		},
		{
			name: "report duty restarted on reopening: the first cycle's report does not fulfil the second", rule: restartReport,
			fields: map[string]any{"progress_reported_at": "2026-10-09T10:00:00+08:00"},
			events: events(ev("2026-10-09T11:00:00+08:00", "received", "verified"), ev("2026-10-09T12:00:00+08:00", "verified", "closed"),
				ev("2026-10-12T09:00:00+08:00", "closed", "assigned")),
			now:  "2026-10-16T09:00:00+08:00",
			want: []string{"progress due=10-10T23:59:59 met ended=10-09T10:00 report=1", "progress due=10-15T23:59:59 overdue ended=- report=1 cycle=1"},
		},
	})
}

// TestCompute_NationalPathsFromOutside walks unusual paths of the national
// policies, counted by hand with the calendar (National Day 2026: Oct 1-7
// rest, Sat Oct 10 a make-up working day; Spring Festival 2027: Feb 5-13
// rest, Sun Feb 14 a make-up working day).
func TestCompute_NationalPathsFromOutside(t *testing.T) {
	forwarded := map[string]any{"received_at": "2026-09-30T10:00:00+08:00", "channel": "xinfang_office", "category": "appeal"}
	checkNational(t, []nationalCase{
		{
			// 第二十三条第三款: the 5 working days are the time to object to
			// a matter outside the office's remit; accepting it, in time or
			// not, owes no objection.
			name: "xinfang objection: a forwarded matter accepted after the 5 working days owes no objection", policy: "xinfang",
			fields: forwarded, events: []string{"2026-10-14T09:00:00+08:00 accepted"},
			now: "2026-10-15T10:00:00+08:00", rule: "objection",
		},
		{
			name: "xinfang objection: a forwarded matter accepted in time is not counted as an objection met", policy: "xinfang",
			fields: forwarded, events: []string{"2026-10-09T09:00:00+08:00 accepted"},
			now: "2026-10-15T10:00:00+08:00", rule: "objection",
		},
		{
			// Oct 8 (1), 9 (2), Sat 10 (3), 12 (4), 13 (5).
			name: "xinfang objection: a forwarded matter still registered shows the window", policy: "xinfang",
			fields: forwarded, now: "2026-10-12T10:00:00+08:00", rule: "objection", due: "2026-10-13T23:59:59+08:00", state: Pending,
		},
		{
			// Due Sun Feb 14 2027 (TestCompute_NationalPolicies: 8 days of
			// hearing); the opinion is recorded given that day at 16:00, the
			// move to concluded committed on Monday.
			name: "xinfang recheck: the opinion recorded on the due day counts, not the later move", policy: "xinfang",
			fields: map[string]any{"received_at": "2026-06-01T10:00:00+08:00", "channel": "letter", "category": "appeal",
				"review_requested_at": "2026-10-12T09:00:00+08:00", "recheck_requested_at": "2027-01-04T09:00:00+08:00",
				"recheck_opinion_at": "2027-02-14T16:00:00+08:00"},
			events: []string{"2026-06-02T10:00:00+08:00 accepted", "2026-07-20T10:00:00+08:00 opinion_issued",
				"2026-10-12T10:00:00+08:00 review", "2026-11-02T10:00:00+08:00 reviewed", "2027-01-04T10:00:00+08:00 recheck",
				"2027-01-12T00:00:00+08:00 hearing", "2027-01-20T00:00:00+08:00 recheck", "2027-02-15T10:00:00+08:00 concluded"},
			now: "2027-02-16T10:00:00+08:00", rule: "recheck", due: "2027-02-14T23:59:59+08:00", state: Met,
		},
		{
			name: "xinfang objection: an objection after the 5 working days is missed", policy: "xinfang",
			fields: forwarded, events: []string{"2026-10-14T09:00:00+08:00 objected"},
			now: "2026-10-15T10:00:00+08:00", rule: "objection", due: "2026-10-13T23:59:59+08:00", state: Missed,
		},
	})
}

// TestCompute_ExtensibleUntilTheCap guards the overdue fix: it suggests an
// extension only while one could still be approved. bankins decide,
// received Sep 16: 15 days end Oct 1 -> Oct 8; the cap of 60 days from the
// start is Sun Nov 15 -> Mon Nov 16.
func TestCompute_ExtensibleUntilTheCap(t *testing.T) {
	p := loadEmbedded(t, "bankins")
	cal, err := CalendarFor(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, until string
		want        bool
	}{
		{"not extended: an extension may be approved", "", true},
		{"extended to Oct 30, before the cap: a further one may be approved", "2026-10-30", true},
		{"extended to the 60-day cap: no further extension", "2026-11-15", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fields := map[string]any{"received_at": "2026-09-16T10:00:00+08:00", "channel": "phone", "category": "deposit", "status": "handling"}
			if tt.until != "" {
				fields["extensions"] = []any{map[string]any{"rule": "decide", "until": tt.until, "approved_by": "总行张某"}}
			}
			exts, _ := ParseExtensions(fields)
			received := at("2026-09-16T10:00:00+08:00")
			clocks, problems := computeLater(t, Input{Policy: p, Calendar: cal, Env: p.Env(fields), ReceivedAt: received, Status: "handling", Fields: fields,
				Events: []Event{{At: received, To: "received"}, {At: received.Add(time.Hour), From: "received", To: "handling"}}, Extensions: exts, Now: at("2026-11-20T10:00:00+08:00")})
			if len(problems) > 0 {
				t.Fatalf("problems: %v", problems)
			}
			found := false
			for _, c := range clocks {
				if c.Rule == "decide" {
					found = true
					if c.Extensible != tt.want {
						t.Errorf("decide due %s: Extensible = %v, want %v", c.DueAt.Format(time.RFC3339), c.Extensible, tt.want)
					}
				}
			}
			if !found {
				t.Fatal("no decide clock")
			}
		})
	}
}
