package deadline

import (
	"slices"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/policy"
)

// replyRule is a clock from received_at to replied that pauses in
// suspended; hours names the rule's business hours ("" for the policy's).
func replyRule(duration, hours string) policy.DeadlineRule {
	return policy.DeadlineRule{ID: "reply", Start: policy.Start{Received: true}, Stop: []string{"replied"},
		Duration: duration, PauseIn: []string{"suspended"}, Hours: hours}
}

// daytime is the hours of a 400 line staffed in the daytime, with lunch.
var daytime = policy.BusinessHours{Periods: []string{"08:30-12:00", "13:30-17:30"}}

// office is a policy in China Standard Time with the rules, business hours
// bh (nil: none) and the named hours daytime.
func office(bh *policy.BusinessHours, rules ...policy.DeadlineRule) *policy.Policy {
	p := withRules(rules...)
	p.Location, p.BusinessHours = cst, bh
	p.Hours = map[string]policy.BusinessHours{"daytime": daytime}
	return p
}

// officeHours are business hours of one period, 08:30–17:30.
var officeHours = &policy.BusinessHours{Open: "08:30", Close: "17:30"}

// TestCompute_Corners guards the corners of issue 11 (§1 pauses, §2 same-day
// periods, §8 business hours per clock, §9 exclusive ends). Every due date
// is worked out from `casebook calendar` in the row's comment; the table of
// docs/clock-scenarios.md lists the same rows.
func TestCompute_Corners(t *testing.T) {
	hours := officeHours
	sep30 := func(more ...Event) []Event { return events(more...) }
	tests := []struct {
		name   string
		policy *policy.Policy
		fields map[string]any
		events []Event
		exts   []Extension
		now    string
		want   []want
	}{
		// §1 Pauses.
		{
			// Received Wed Sep 30: 3 working days are Oct 8, 9 and the
			// make-up Saturday Oct 10. Paused on Oct 10 at 09:00, the due
			// day's 15 hours are a day on Mon Oct 12, the day it ends.
			name: "paused on the due day from 09:00 until the next working day", policy: office(nil, replyRule("3 working_days", "")),
			events: sep30(ev("2026-10-10T09:00:00+08:00", "received", "suspended"), ev("2026-10-12T09:00:00+08:00", "suspended", "assigned")),
			now:    "2026-10-12T20:00:00+08:00",
			want:   []want{{rule: "reply", due: "2026-10-12T23:59:59+08:00", state: Pending, paused: 48 * time.Hour}},
		},
		{
			// With 08:30–17:30 the due day had 8.5 open hours left at 09:00:
			// Mon Oct 12 09:00 + 8.5 h is its closing time.
			name: "paused on the due day from 09:00 with business hours gives back 8.5 open hours", policy: office(hours, replyRule("3 working_days", "")),
			events: sep30(ev("2026-10-10T09:00:00+08:00", "received", "suspended"), ev("2026-10-12T09:00:00+08:00", "suspended", "assigned")),
			now:    "2026-10-12T20:00:00+08:00",
			want:   []want{{rule: "reply", due: "2026-10-12T17:30:00+08:00", state: Overdue, paused: 48 * time.Hour}},
		},
		{
			// Resumed Mon Oct 12 at 14:00: 3.5 h that day, 5 h on Tue Oct 13
			// from 08:30.
			name: "resumed at 14:00 the open hours left run into the next day", policy: office(hours, replyRule("3 working_days", "")),
			events: sep30(ev("2026-10-10T09:00:00+08:00", "received", "suspended"), ev("2026-10-12T14:00:00+08:00", "suspended", "assigned")),
			now:    "2026-10-13T09:00:00+08:00",
			want:   []want{{rule: "reply", due: "2026-10-13T13:30:00+08:00", state: Pending, paused: 53 * time.Hour}},
		},
		{
			// Received Wed Jan 6 2027: day 30 is Fri Feb 5, the first day of
			// Spring Festival (Feb 5–13 rest, Sun Feb 14 a make-up working
			// day). Paused Feb 5–12, eight whole days: the nominal last day
			// moves to Sat Feb 13, a rest day, then to the next working day,
			// Sun Feb 14. (Adding the 8 days after the move would give Feb 22.)
			name:   "eight whole days paused across Spring Festival on a 30-day clock",
			policy: office(nil, replyRule("30 calendar_days", "")),
			events: []Event{ev("2027-01-06T10:00:00+08:00", "", "received"), ev("2027-02-05T00:00:00+08:00", "received", "suspended"),
				ev("2027-02-13T00:00:00+08:00", "suspended", "assigned"), ev("2027-02-14T15:00:00+08:00", "assigned", "replied")},
			now:  "2027-02-20T10:00:00+08:00",
			want: []want{{rule: "reply", due: "2027-02-14T23:59:59+08:00", state: Met, ended: "2027-02-14T15:00:00+08:00", paused: 8 * 24 * time.Hour}},
		},
		{
			// The same clock paused Thu Feb 4 18:00 until the make-up Sunday
			// Feb 14 09:00: Feb 4's evening is carried to Feb 14, so the
			// nominal last day moves 10 days, Feb 5 to Mon Feb 15.
			name:   "paused from the eve of Spring Festival to the make-up Sunday",
			policy: office(nil, replyRule("30 calendar_days", "")),
			events: []Event{ev("2027-01-06T10:00:00+08:00", "", "received"), ev("2027-02-04T18:00:00+08:00", "received", "suspended"),
				ev("2027-02-14T09:00:00+08:00", "suspended", "assigned")},
			now:  "2027-02-15T10:00:00+08:00",
			want: []want{{rule: "reply", due: "2027-02-15T23:59:59+08:00", state: Pending, paused: 9*24*time.Hour + 15*time.Hour}},
		},
		{
			// verify: 30 days from Sep 1 end Oct 1, moved past National Day to
			// Oct 8; extended until Mon Nov 30; paused Oct 12–15, three days
			// from the pause's first day to its last: Thu Dec 3. Working days
			// from Sun Nov 1: 21 in November, Dec 1–3.
			name: "an extension and a pause on one clock", policy: tenderingPaused(),
			events: events(ev("2026-09-01T10:00:00+08:00", "received", "accepted"), ev("2026-10-12T10:00:00+08:00", "accepted", "suspended"),
				ev("2026-10-15T15:00:00+08:00", "suspended", "accepted")),
			exts: []Extension{{Rule: "verify", Until: &calendar.Date{Year: 2026, Month: 11, Day: 30}, ApprovedBy: "张某"}},
			now:  "2026-11-01T10:00:00+08:00",
			want: []want{{rule: "verify", due: "2026-12-03T23:59:59+08:00", state: Pending, daysLeft: 24, extended: true, paused: 3*24*time.Hour + 5*time.Hour}},
		},
		{
			// 30 days from Sep 1 end on Oct 1, a holiday (due Oct 8). Extended
			// by 30 days from that nominal day: Sat Oct 31. The 3 paused days
			// move the nominal day to Tue Nov 3, a working day, not the moved
			// due (Mon Nov 2) to Thu Nov 5.
			name: "a by-extension ending on a Saturday and a pause: the days are added before the move", policy: tenderingPaused(),
			events: events(ev("2026-09-01T10:00:00+08:00", "received", "accepted"), ev("2026-10-12T10:00:00+08:00", "accepted", "suspended"),
				ev("2026-10-15T15:00:00+08:00", "suspended", "accepted")),
			exts: []Extension{{Rule: "verify", By: &calendar.Period{N: 30, Unit: calendar.CalendarDays}, ApprovedBy: "张某"}},
			now:  "2026-11-02T10:00:00+08:00",
			want: []want{{rule: "verify", due: "2026-11-03T23:59:59+08:00", state: Pending, daysLeft: 1, extended: true, paused: 3*24*time.Hour + 5*time.Hour}},
		},
		{
			// Received Mon Mar 2, due Thu Mar 5. Wednesday's pause 10:00–15:00
			// leaves Wednesday a day of the clock: the due stays.
			name:   "a pause starting and ending inside one day keeps a day clock's due",
			policy: office(nil, replyRule("3 working_days", "")),
			events: []Event{ev("2026-03-02T10:00:00+08:00", "", "received"), ev("2026-03-04T10:00:00+08:00", "received", "suspended"),
				ev("2026-03-04T15:00:00+08:00", "suspended", "assigned")},
			now:  "2026-03-04T16:00:00+08:00",
			want: []want{{rule: "reply", due: "2026-03-05T23:59:59+08:00", state: Pending, daysLeft: 1, paused: 5 * time.Hour}},
		},
		{
			// With 08:30–17:30 the 5 paused hours are given back: Wed 15:00
			// to 17:30 (2.5 h), Thu (9 h), 5 h on Fri Mar 6 from 08:30.
			name:   "a pause inside one day gives a business-hours clock its hours back",
			policy: office(hours, replyRule("3 working_days", "")),
			events: []Event{ev("2026-03-02T10:00:00+08:00", "", "received"), ev("2026-03-04T10:00:00+08:00", "received", "suspended"),
				ev("2026-03-04T15:00:00+08:00", "suspended", "assigned")},
			now:  "2026-03-04T16:00:00+08:00",
			want: []want{{rule: "reply", due: "2026-03-06T13:30:00+08:00", state: Pending, daysLeft: 2, paused: 5 * time.Hour}},
		},
		{
			// Due Sat Oct 10 (make-up); paused Fri Oct 9 10:00 with Oct 9 and
			// 10 left and still paused at now, Tue Oct 20: those two days are
			// Oct 20 and 21. Paused, the clock is pending, never overdue.
			name:   "a clock paused at now is pending with what was left",
			policy: office(nil, replyRule("3 working_days", "")),
			events: sep30(ev("2026-10-09T10:00:00+08:00", "received", "suspended")),
			now:    "2026-10-20T12:00:00+08:00",
			want: []want{{rule: "reply", due: "2026-10-21T23:59:59+08:00", state: Pending, daysLeft: 1, paused: 11*24*time.Hour + 2*time.Hour,
				pausedSince: "2026-10-09T10:00:00+08:00"}},
		},
		// §2 Same-day periods.
		{
			name:   "a same-day report fed back the same evening is met",
			policy: office(nil, policy.DeadlineRule{ID: "feedback", Start: policy.Start{State: "verified"}, StopField: "feedback_at", Duration: "0 calendar_days"}),
			fields: map[string]any{"feedback_at": "2026-10-10T21:00:00+08:00"},
			events: sep30(ev("2026-10-10T10:00:00+08:00", "received", "verified")),
			now:    "2026-10-12T10:00:00+08:00",
			want:   []want{{rule: "feedback", due: "2026-10-10T23:59:59+08:00", state: Met, ended: "2026-10-10T21:00:00+08:00"}},
		},
		{
			name:   "a same-day report fed back the next morning is missed",
			policy: office(nil, policy.DeadlineRule{ID: "feedback", Start: policy.Start{State: "verified"}, StopField: "feedback_at", Duration: "0 calendar_days"}),
			fields: map[string]any{"feedback_at": "2026-10-11T08:00:00+08:00"},
			events: sep30(ev("2026-10-10T10:00:00+08:00", "received", "verified")),
			now:    "2026-10-12T10:00:00+08:00",
			want:   []want{{rule: "feedback", due: "2026-10-10T23:59:59+08:00", state: Missed, ended: "2026-10-11T08:00:00+08:00"}},
		},
		// §8 Business hours per clock.
		{
			// The 400 line: 11:45–12:00 is 15 minutes, the other 15 after
			// lunch, from 13:30. The 3 working days end at 24:00 of Thu Mar 5.
			name: "a daytime routing clock across lunch, its day clock to 24:00",
			policy: office(nil, policy.DeadlineRule{ID: "route", Start: policy.Start{Received: true}, Stop: []string{"assigned"}, Duration: "30 minutes", Hours: "daytime"},
				replyRule("3 working_days", "")),
			events: []Event{ev("2026-03-02T11:45:00+08:00", "", "received")},
			now:    "2026-03-02T13:00:00+08:00",
			want: []want{{rule: "route", due: "2026-03-02T13:45:00+08:00", state: Pending},
				{rule: "reply", due: "2026-03-05T23:59:59+08:00", state: Pending, daysLeft: 3}},
		},
		{
			// Called at 20:00 on Fri Oct 9: nobody answers until the make-up
			// Saturday Oct 10 at 08:30, 30 minutes from then.
			name:   "a call after hours is routed within 30 staffed minutes",
			policy: office(nil, policy.DeadlineRule{ID: "route", Start: policy.Start{Received: true}, Stop: []string{"assigned"}, Duration: "30 minutes", Hours: "daytime"}),
			events: []Event{ev("2026-10-09T20:00:00+08:00", "", "received")},
			now:    "2026-10-09T21:00:00+08:00",
			want:   []want{{rule: "route", due: "2026-10-10T09:00:00+08:00", state: Pending, daysLeft: 1}},
		},
		{
			// The policy keeps 08:30–17:30; the rule says none: 24:00.
			name:   "hours none on a policy with business hours ends at 24:00",
			policy: office(hours, replyRule("3 working_days", policy.HoursNone)),
			events: receivedSep30,
			now:    "2026-10-10T20:00:00+08:00",
			want:   []want{{rule: "reply", due: "2026-10-10T23:59:59+08:00", state: Pending}},
		},
		// §9 Ends are exclusive.
		{
			name: "work done at 23:59:59.5 on the due day is on time", policy: office(nil, replyRule("3 working_days", "")),
			events: sep30(ev("2026-10-10T23:59:59.5+08:00", "received", "replied")),
			now:    "2026-10-12T10:00:00+08:00",
			want:   []want{{rule: "reply", due: "2026-10-10T23:59:59+08:00", state: Met, ended: "2026-10-10T23:59:59+08:00"}},
		},
		{
			name: "work done at 24:00 is late", policy: office(nil, replyRule("3 working_days", "")),
			events: sep30(ev("2026-10-11T00:00:00+08:00", "received", "replied")),
			now:    "2026-10-12T10:00:00+08:00",
			want:   []want{{rule: "reply", due: "2026-10-10T23:59:59+08:00", state: Missed, ended: "2026-10-11T00:00:00+08:00"}}, // Sunday: no working day late
		},
		{
			name: "at 23:59:59.5 on the due day a running clock is not overdue", policy: office(nil, replyRule("3 working_days", "")),
			events: receivedSep30,
			now:    "2026-10-10T23:59:59.5+08:00",
			want:   []want{{rule: "reply", due: "2026-10-10T23:59:59+08:00", state: Pending}},
		},
		{
			name: "work done in the closing second is on time", policy: office(hours, replyRule("3 working_days", "")),
			events: sep30(ev("2026-10-10T17:30:00.9+08:00", "received", "replied")),
			now:    "2026-10-12T10:00:00+08:00",
			want:   []want{{rule: "reply", due: "2026-10-10T17:30:00+08:00", state: Met, ended: "2026-10-10T17:30:00+08:00"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkCase(t, tt.policy, tt.fields, tt.events, tt.exts, tt.now, tt.want...)
		})
	}
}

// checkCase computes, at now, the clocks of a case of p received at its
// first event, and checks the clocks wanted; a problem fails the test.
func checkCase(t *testing.T, p *policy.Policy, fields map[string]any, evs []Event, exts []Extension, now string, wants ...want) {
	t.Helper()
	cal, err := CalendarFor(p)
	if err != nil {
		t.Fatal(err)
	}
	clocks, problems := computeLater(t, Input{
		Policy: p, Calendar: cal, Eval: evalStub, ReceivedAt: evs[0].At,
		Fields: fields, Events: evs, Extensions: exts, Now: at(now),
	})
	if len(problems) > 0 {
		t.Errorf("problems: %v", problems)
	}
	for _, w := range wants {
		i := slices.IndexFunc(clocks, func(c Clock) bool { return c.Rule == w.rule })
		if i < 0 {
			t.Fatalf("no clock %s in %+v", w.rule, clocks)
		}
		checkClock(t, clocks[i], w)
	}
}

// tenderingPaused is tendering's verify clock (第十八条) pausing in suspended.
func tenderingPaused() *policy.Policy {
	p := tendering()
	p.Location = cst
	for i := range p.Deadlines {
		p.Deadlines[i].PauseIn = []string{"suspended"}
	}
	return p
}
