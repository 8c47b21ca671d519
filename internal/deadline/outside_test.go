package deadline

import (
	"testing"
	"time"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/policy"
)

// TestCompute_CheckedFromOutside is an audit of the clock arithmetic: every
// due date below was worked out by hand from the Civil Code (第二百零一条至
// 第二百零四条), the package docs' rules and `casebook calendar` (2026: Oct
// 1–7 rest, Sat Oct 10 make-up; Feb 14 and 28 make-up Saturdays; 2027: Jan 31
// make-up Sunday, Feb 5–13 rest, Sun Feb 14 make-up), not from the code. Each
// row is one of docs/clock-scenarios.md, "Checked from outside".
func TestCompute_CheckedFromOutside(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	hours := officeHours
	saturdayNoon := &policy.BusinessHours{Periods: []string{"08:30-17:30"}, Weekdays: map[string][]string{"sat": {"09:00-12:00"}}}
	mar2 := func(more ...Event) []Event {
		return append([]Event{ev("2026-03-02T10:00:00+08:00", "", "received")}, more...)
	}
	withWarn := func(r policy.DeadlineRule, after, before string) policy.DeadlineRule {
		r.WarnAfter, r.WarnBefore = after, before
		return r
	}
	extensible := func(r policy.DeadlineRule) policy.DeadlineRule {
		r.Extension = &policy.Extension{Max: "3 months", Approver: "负责人"}
		return r
	}
	dispatched := policy.DeadlineRule{ID: "reply", Start: policy.Start{Field: "dispatched_at"}, Stop: []string{"replied"},
		Duration: "3 working_days", PauseIn: []string{"suspended"}}
	inBerlin := func(r policy.DeadlineRule) *policy.Policy {
		p := withRules(r)
		p.Location = berlin
		return p
	}
	tests := []struct {
		name   string
		policy *policy.Policy
		fields map[string]any
		events []Event
		exts   []Extension
		now    string
		want   want
	}{
		// Pauses of working-day clocks without business hours (day precision).
		{
			// Received Mon Mar 2, due Thu Mar 5. Paused Wed 10:00: Wed's share
			// and Thu are left; resumed Mon Mar 9 the share is Mon, then Tue.
			name: "paused across a weekend", policy: office(nil, replyRule("3 working_days", "")),
			events: mar2(ev("2026-03-04T10:00:00+08:00", "received", "suspended"), ev("2026-03-09T10:00:00+08:00", "suspended", "assigned")),
			now:    "2026-03-09T12:00:00+08:00",
			want:   want{rule: "reply", due: "2026-03-10T23:59:59+08:00", state: Pending, daysLeft: 1, paused: 5 * 24 * time.Hour},
		},
		{
			// Received Mon Sep 28, 5 wd: Sep 29, 30, Oct 8, 9, 10. Paused Wed Sep
			// 30 15:00: Sep 30's share, Oct 8, 9, 10 left (4); resumed Fri Oct 9
			// 09:00: Oct 9, 10, 12, 13.
			name:   "paused across National Day",
			policy: office(nil, replyRule("5 working_days", "")),
			events: []Event{ev("2026-09-28T10:00:00+08:00", "", "received"), ev("2026-09-30T15:00:00+08:00", "received", "suspended"),
				ev("2026-10-09T09:00:00+08:00", "suspended", "assigned")},
			now:  "2026-10-09T12:00:00+08:00",
			want: want{rule: "reply", due: "2026-10-13T23:59:59+08:00", state: Pending, daysLeft: 3, paused: 8*24*time.Hour + 18*time.Hour},
		},
		{
			// Received Mon Sep 28, 3 wd: Sep 29, 30, Oct 8. Paused Tue Sep 29
			// 10:00 with 3 left; resumed on the make-up Saturday Oct 10: Oct 10,
			// 12, 13.
			name:   "resumed on the make-up Saturday",
			policy: office(nil, replyRule("3 working_days", "")),
			events: []Event{ev("2026-09-28T10:00:00+08:00", "", "received"), ev("2026-09-29T10:00:00+08:00", "received", "suspended"),
				ev("2026-10-10T10:00:00+08:00", "suspended", "assigned")},
			now:  "2026-10-10T12:00:00+08:00",
			want: want{rule: "reply", due: "2026-10-13T23:59:59+08:00", state: Pending, daysLeft: 2, paused: 11 * 24 * time.Hour},
		},
		{
			// Due Thu Mar 5. Two hours paused across midnight Wed–Thu: Wed's
			// share is given back as Thu, Thu becomes Fri (day precision: the
			// Civil Code counts days).
			name: "paused across midnight", policy: office(nil, replyRule("3 working_days", "")),
			events: mar2(ev("2026-03-04T23:00:00+08:00", "received", "suspended"), ev("2026-03-05T01:00:00+08:00", "suspended", "assigned")),
			now:    "2026-03-05T12:00:00+08:00",
			want:   want{rule: "reply", due: "2026-03-06T23:59:59+08:00", state: Pending, daysLeft: 1, paused: 2 * time.Hour},
		},
		{
			// Paused in the last half second of the due day (Sat Oct 10): the
			// clock had not expired; its share is the resume day, Mon Oct 12.
			name:   "paused in the due second",
			policy: office(nil, replyRule("3 working_days", "")),
			events: events(ev("2026-10-10T23:59:59.5+08:00", "received", "suspended"), ev("2026-10-12T09:00:00+08:00", "suspended", "assigned")),
			now:    "2026-10-12T12:00:00+08:00",
			want:   want{rule: "reply", due: "2026-10-12T23:59:59+08:00", state: Pending, paused: 33*time.Hour + 500*time.Millisecond},
		},
		{
			// Paused at 24:00 of the due day: the clock had expired; the pause
			// rescues nothing, and the clock is overdue though the case is
			// still suspended.
			name:   "paused at 24:00 of the due day is overdue",
			policy: office(nil, replyRule("3 working_days", "")),
			events: events(ev("2026-10-11T00:00:00+08:00", "received", "suspended")),
			now:    "2026-10-12T12:00:00+08:00",
			want:   want{rule: "reply", due: "2026-10-10T23:59:59+08:00", state: Overdue, daysLeft: -1},
		},
		{
			// The clock starts at dispatched_at, Tue Mar 3 10:00, while the case
			// is suspended (since Mon); it runs from Wed Mar 4 10:00. The day it
			// resumes is not counted, like a start: Mar 5, 6, 9.
			name: "a pause that began before the start", policy: office(nil, dispatched),
			fields: map[string]any{"dispatched_at": "2026-03-03T10:00:00+08:00"},
			events: mar2(ev("2026-03-02T15:00:00+08:00", "received", "suspended"), ev("2026-03-04T10:00:00+08:00", "suspended", "assigned")),
			now:    "2026-03-04T12:00:00+08:00",
			want:   want{rule: "reply", due: "2026-03-09T23:59:59+08:00", state: Pending, daysLeft: 3, paused: 24 * time.Hour},
		},
		{
			// Due Thu Mar 5. Paused Wed 10:00–Thu 10:00: Wed's share and Thu
			// left, now Thu and Fri. Paused again Thu 14:00–Fri 10:00: Thu's
			// share and Fri, now Fri and Mon Mar 9.
			name: "two pauses, each overnight", policy: office(nil, replyRule("3 working_days", "")),
			events: mar2(ev("2026-03-04T10:00:00+08:00", "received", "suspended"), ev("2026-03-05T10:00:00+08:00", "suspended", "assigned"),
				ev("2026-03-05T14:00:00+08:00", "assigned", "suspended"), ev("2026-03-06T10:00:00+08:00", "suspended", "assigned")),
			now:  "2026-03-06T12:00:00+08:00",
			want: want{rule: "reply", due: "2026-03-09T23:59:59+08:00", state: Pending, daysLeft: 1, paused: 44 * time.Hour},
		},
		{
			// Received Mon Mar 2, 5 wd: due Mon Mar 9. Paused from Saturday (no
			// share: a rest day) until Mon 23:00: Monday is left, and counted
			// as the day it resumes (the documented rule), so 59 minutes
			// remain. Noted in docs/clock-scenarios.md.
			name: "paused from a rest day until late on the due day", policy: office(nil, replyRule("5 working_days", "")),
			events: mar2(ev("2026-03-07T10:00:00+08:00", "received", "suspended"), ev("2026-03-09T23:00:00+08:00", "suspended", "assigned")),
			now:    "2026-03-09T23:30:00+08:00",
			want:   want{rule: "reply", due: "2026-03-09T23:59:59+08:00", state: Pending, paused: 61 * time.Hour},
		},
		{
			// Received Sat Mar 7: Mon 9, Tue 10, Wed 11 would be its days.
			// Paused that Saturday until Mon 10:00, the pause began on the day
			// of receipt, and the day it ends is not counted either: Tue, Wed,
			// Thu Mar 12.
			name: "paused on the Saturday of receipt until Monday", policy: office(nil, replyRule("3 working_days", "")),
			events: []Event{ev("2026-03-07T10:00:00+08:00", "", "received"), ev("2026-03-07T12:00:00+08:00", "received", "suspended"),
				ev("2026-03-09T10:00:00+08:00", "suspended", "assigned")},
			now:  "2026-03-09T12:00:00+08:00",
			want: want{rule: "reply", due: "2026-03-12T23:59:59+08:00", state: Pending, daysLeft: 3, paused: 46 * time.Hour},
		},
		{
			// The same, paused on the Sunday: no day of the clock had begun
			// either, so the same due (it was Wed Mar 11, a day earlier than a
			// Saturday pause, for a pause that held the clock no less).
			name: "paused on the Sunday after a Saturday receipt, like on the Saturday", policy: office(nil, replyRule("3 working_days", "")),
			events: []Event{ev("2026-03-07T10:00:00+08:00", "", "received"), ev("2026-03-08T12:00:00+08:00", "received", "suspended"),
				ev("2026-03-09T10:00:00+08:00", "suspended", "assigned")},
			now:  "2026-03-09T12:00:00+08:00",
			want: want{rule: "reply", due: "2026-03-12T23:59:59+08:00", state: Pending, daysLeft: 3, paused: 22 * time.Hour},
		},
		// Pauses with business hours (business-time precision).
		{
			// With 08:30–17:30 the clock's time is its 27 open hours from Mon
			// Mar 9 08:30; paused until Mon 10:00 it has lost 1.5 of them: Thu
			// Mar 12 10:00, whether paused on the Saturday of receipt or on
			// the Sunday (it was Thu 17:30 for the Saturday: Monday's 7.5 h
			// after the pause were not counted, more than was left).
			name: "paused on the Saturday of receipt until Monday 10:00, business hours", policy: office(hours, replyRule("3 working_days", "")),
			events: []Event{ev("2026-03-07T10:00:00+08:00", "", "received"), ev("2026-03-07T12:00:00+08:00", "received", "suspended"),
				ev("2026-03-09T10:00:00+08:00", "suspended", "assigned")},
			now:  "2026-03-09T12:00:00+08:00",
			want: want{rule: "reply", due: "2026-03-12T10:00:00+08:00", state: Pending, daysLeft: 3, paused: 46 * time.Hour},
		},
		{
			name: "paused on the Sunday after a Saturday receipt until Monday 10:00, business hours", policy: office(hours, replyRule("3 working_days", "")),
			events: []Event{ev("2026-03-07T10:00:00+08:00", "", "received"), ev("2026-03-08T12:00:00+08:00", "received", "suspended"),
				ev("2026-03-09T10:00:00+08:00", "suspended", "assigned")},
			now:  "2026-03-09T12:00:00+08:00",
			want: want{rule: "reply", due: "2026-03-12T10:00:00+08:00", state: Pending, daysLeft: 3, paused: 22 * time.Hour},
		},
		{
			// Received Mon Mar 2 10:00 (due Thu Mar 5 17:30), paused 11:00 until
			// Tue 10:00: Tue's first 1.5 open hours lost, due Fri Mar 6 10:00.
			name: "paused on the day of receipt until the next morning, business hours", policy: office(hours, replyRule("3 working_days", "")),
			events: mar2(ev("2026-03-02T11:00:00+08:00", "received", "suspended"), ev("2026-03-03T10:00:00+08:00", "suspended", "assigned")),
			now:    "2026-03-03T12:00:00+08:00",
			want:   want{rule: "reply", due: "2026-03-06T10:00:00+08:00", state: Pending, daysLeft: 3, paused: 23 * time.Hour},
		},
		{
			// The day of receipt is not the clock's: a pause inside it moves
			// nothing, Thu Mar 5 17:30.
			name: "a pause inside the day of receipt, business hours", policy: office(hours, replyRule("3 working_days", "")),
			events: mar2(ev("2026-03-02T11:00:00+08:00", "received", "suspended"), ev("2026-03-02T15:00:00+08:00", "suspended", "assigned")),
			now:    "2026-03-02T16:00:00+08:00",
			want:   want{rule: "reply", due: "2026-03-05T17:30:00+08:00", state: Pending, daysLeft: 3, paused: 4 * time.Hour},
		},
		{
			// 08:30–17:30, due Thu Mar 5 17:30. Paused Tue 20:00 (closed) until
			// Wed 10:00: 1.5 open hours are lost, Thu 17:30 becomes Fri 10:00.
			name: "a pause beginning during the closed hours", policy: office(hours, replyRule("3 working_days", "")),
			events: mar2(ev("2026-03-03T20:00:00+08:00", "received", "suspended"), ev("2026-03-04T10:00:00+08:00", "suspended", "assigned")),
			now:    "2026-03-04T12:00:00+08:00",
			want:   want{rule: "reply", due: "2026-03-06T10:00:00+08:00", state: Pending, daysLeft: 2, paused: 14 * time.Hour},
		},
		{
			// 3 wd from Wed Sep 30, Saturdays 09:00–12:00: due Sat Oct 10
			// 12:00. Paused there 10:00 until Mon Oct 12 10:00: 2 open hours
			// left, due Mon 12:00.
			name:   "paused on the make-up Saturday with Saturday hours",
			policy: office(saturdayNoon, replyRule("3 working_days", "")),
			events: events(ev("2026-10-10T10:00:00+08:00", "received", "suspended"), ev("2026-10-12T10:00:00+08:00", "suspended", "assigned")),
			now:    "2026-10-12T11:00:00+08:00",
			want:   want{rule: "reply", due: "2026-10-12T12:00:00+08:00", state: Pending, paused: 48 * time.Hour},
		},
		// Pauses of hour clocks with a lunch break.
		{
			// 2 staffed hours from Mon 11:00 (08:30–12:00, 13:30–17:30): due
			// 14:30. Paused 11:30–13:45: 1.5 h were left, due 15:15.
			name:   "an hour clock paused into the lunch break",
			policy: office(nil, policy.DeadlineRule{ID: "route", Start: policy.Start{Received: true}, Stop: []string{"assigned"}, Duration: "2 hours", Hours: "daytime", PauseIn: []string{"suspended"}}),
			events: []Event{ev("2026-03-02T11:00:00+08:00", "", "received"), ev("2026-03-02T11:30:00+08:00", "received", "suspended"), ev("2026-03-02T13:45:00+08:00", "suspended", "accepted")},
			now:    "2026-03-02T14:00:00+08:00",
			want:   want{rule: "route", due: "2026-03-02T15:15:00+08:00", state: Pending, paused: 2*time.Hour + 15*time.Minute},
		},
		{
			// The same clock paused at 12:30, during lunch, until 14:00: at
			// 12:30 one staffed hour (13:30–14:30) was left, due 15:00.
			name:   "an hour clock paused during the lunch break",
			policy: office(nil, policy.DeadlineRule{ID: "route", Start: policy.Start{Received: true}, Stop: []string{"assigned"}, Duration: "2 hours", Hours: "daytime", PauseIn: []string{"suspended"}}),
			events: []Event{ev("2026-03-02T11:00:00+08:00", "", "received"), ev("2026-03-02T12:30:00+08:00", "received", "suspended"), ev("2026-03-02T14:00:00+08:00", "suspended", "accepted")},
			now:    "2026-03-02T14:10:00+08:00",
			want:   want{rule: "route", due: "2026-03-02T15:00:00+08:00", state: Pending, paused: 90 * time.Minute},
		},
		// Calendar-day and month clocks.
		{
			// 1 month from Sat Jan 31 2026: Feb 28, a make-up Saturday, is the
			// last day (第二百零二条); paused Feb 10–12 (2 days): Mon Mar 2.
			name:   "a month from Jan 31 paused two days",
			policy: office(nil, replyRule("1 months", "")),
			events: []Event{ev("2026-01-31T10:00:00+08:00", "", "received"), ev("2026-02-10T10:00:00+08:00", "received", "suspended"), ev("2026-02-12T10:00:00+08:00", "suspended", "assigned")},
			now:    "2026-02-27T10:00:00+08:00",
			want:   want{rule: "reply", due: "2026-03-02T23:59:59+08:00", state: Pending, daysLeft: 2, paused: 48 * time.Hour},
		},
		{
			// 1 month from the make-up Sunday Jan 31 2027: Sun Feb 28, a rest
			// day; paused across Spring Festival Feb 5–13 (8 days): Mon Mar 8
			// (the days are added to Feb 28, not to the moved Mar 1).
			name:   "a month from Jan 31 2027 paused across Spring Festival",
			policy: office(nil, replyRule("1 months", "")),
			events: []Event{ev("2027-01-31T10:00:00+08:00", "", "received"), ev("2027-02-05T00:00:00+08:00", "received", "suspended"), ev("2027-02-13T00:00:00+08:00", "suspended", "assigned")},
			now:    "2027-03-01T10:00:00+08:00",
			want:   want{rule: "reply", due: "2027-03-08T23:59:59+08:00", state: Pending, daysLeft: 5, paused: 8 * 24 * time.Hour},
		},
		{
			// 30 calendar days from Tue Sep 1 2026: day 30 is Oct 1, National
			// Day, so due Thu Oct 8. Paused Mon Oct 5 10:00 (inside the move
			// off the rest days) until Fri Oct 9 10:00: the last day becomes
			// Oct 5 plus the 4 days paused, Fri Oct 9, a working day (the
			// documented rule: what is left is the rest of the move, up to the
			// next working day).
			name:   "a calendar-day clock paused in the rest days after its last day",
			policy: office(nil, replyRule("30 calendar_days", "")),
			events: []Event{ev("2026-09-01T10:00:00+08:00", "", "received"), ev("2026-10-05T10:00:00+08:00", "received", "suspended"),
				ev("2026-10-09T10:00:00+08:00", "suspended", "assigned")},
			now:  "2026-10-09T12:00:00+08:00",
			want: want{rule: "reply", due: "2026-10-09T23:59:59+08:00", state: Pending, paused: 4 * 24 * time.Hour},
		},
		// Same-day periods.
		{
			name:   "a same-day clock received at 23:59:59 is met within the second",
			policy: office(nil, policy.DeadlineRule{ID: "feedback", Start: policy.Start{Received: true}, StopField: "feedback_at", Duration: "0 calendar_days"}),
			fields: map[string]any{"feedback_at": time.Date(2026, 3, 2, 23, 59, 59, 900_000_000, cst)},
			events: []Event{ev("2026-03-02T23:59:59+08:00", "", "received")},
			now:    "2026-03-03T10:00:00+08:00",
			want:   want{rule: "feedback", due: "2026-03-02T23:59:59+08:00", state: Met, ended: "2026-03-02T23:59:59+08:00"},
		},
		{
			// Received on National Day with business hours: the day's business
			// is the next working day's, Thu Oct 8, until closing.
			name:   "a same-day clock received on a holiday with business hours",
			policy: office(hours, policy.DeadlineRule{ID: "feedback", Start: policy.Start{Received: true}, StopField: "feedback_at", Duration: "0 working_days"}),
			events: []Event{ev("2026-10-03T10:00:00+08:00", "", "received")},
			now:    "2026-10-08T10:00:00+08:00",
			want:   want{rule: "feedback", due: "2026-10-08T17:30:00+08:00", state: Pending},
		},
		{
			// The make-up Saturday closes at 12:00: received 13:00 that day,
			// the business is Mon Oct 12's, until 17:30.
			name:   "a same-day clock received after Saturday's closing on the make-up Saturday",
			policy: office(saturdayNoon, policy.DeadlineRule{ID: "feedback", Start: policy.Start{Received: true}, StopField: "feedback_at", Duration: "0 calendar_days"}),
			events: []Event{ev("2026-10-10T13:00:00+08:00", "", "received")},
			now:    "2026-10-10T14:00:00+08:00",
			want:   want{rule: "feedback", due: "2026-10-12T17:30:00+08:00", state: Pending, daysLeft: 1},
		},
		// Warnings with pauses and extensions.
		{
			// 10 wd from Mon Mar 2: due Mon Mar 16. Paused Tue Mar 3 10:00 – Thu
			// Mar 5 10:00: all 10 left, from Thu: due Wed Mar 18. warn_before 2
			// wd: from the end of Mon Mar 16.
			name:   "warn_before moves with a pause",
			policy: office(nil, withWarn(replyRule("10 working_days", ""), "", "2 working_days")),
			events: mar2(ev("2026-03-03T10:00:00+08:00", "received", "suspended"), ev("2026-03-05T10:00:00+08:00", "suspended", "assigned")),
			now:    "2026-03-17T10:00:00+08:00",
			want:   want{rule: "reply", due: "2026-03-18T23:59:59+08:00", warn: "2026-03-16T23:59:59+08:00", state: AtRisk, daysLeft: 1, paused: 48 * time.Hour},
		},
		{
			// The same clock with warn_after 7 wd: 7 of its days are Mar 5 (for
			// Mar 3's share), 6, 9, 10, 11, 12, 13.
			name:   "warn_after in working days moves with a pause",
			policy: office(nil, withWarn(replyRule("10 working_days", ""), "7 working_days", "")),
			events: mar2(ev("2026-03-03T10:00:00+08:00", "received", "suspended"), ev("2026-03-05T10:00:00+08:00", "suspended", "assigned")),
			now:    "2026-03-12T10:00:00+08:00",
			want:   want{rule: "reply", due: "2026-03-18T23:59:59+08:00", warn: "2026-03-13T23:59:59+08:00", state: Pending, daysLeft: 4, paused: 48 * time.Hour},
		},
		{
			// 30 calendar days from Mon Mar 2 (Apr 1), warn after 48 hours:
			// Wed Mar 4 10:00. Paused Tue Mar 3 10:00 – Thu Mar 5 10:00, before
			// the warning: 24 h were left, the warning is Fri Mar 6 10:00. The
			// due moves two days, Apr 1 to Fri Apr 3.
			name:   "warn_after in hours on a calendar-day clock moves by the pause in hours",
			policy: office(nil, withWarn(replyRule("30 calendar_days", ""), "48 hours", "")),
			events: mar2(ev("2026-03-03T10:00:00+08:00", "received", "suspended"), ev("2026-03-05T10:00:00+08:00", "suspended", "assigned")),
			now:    "2026-03-06T12:00:00+08:00",
			want:   want{rule: "reply", due: "2026-04-03T23:59:59+08:00", warn: "2026-03-06T10:00:00+08:00", state: AtRisk, daysLeft: 20, paused: 48 * time.Hour},
		},
		{
			// 30 calendar days from Tue Sep 1 (due Oct 8), warn_after 25
			// calendar days: day 25 is Sat Sep 26, a rest day of Mid-Autumn; the
			// warning is counted as a period and moves to Mon Sep 28 (the
			// documented rule: P counted from the start).
			name:   "warn_after in calendar days on a rest day moves like a period",
			policy: office(nil, withWarn(replyRule("30 calendar_days", ""), "25 calendar_days", "")),
			events: []Event{ev("2026-09-01T10:00:00+08:00", "", "received")},
			now:    "2026-09-27T10:00:00+08:00",
			want:   want{rule: "reply", due: "2026-10-08T23:59:59+08:00", warn: "2026-09-28T23:59:59+08:00", state: Pending, daysLeft: 4},
		},
		{
			// The same warning on a clock extended until Mon Nov 30: still day
			// 25 counted from the start (the documented rule), so the clock
			// is at_risk through the extension.
			name:   "warn_after in calendar days stays counted from the start after an extension",
			policy: office(nil, extensible(withWarn(replyRule("30 calendar_days", ""), "25 calendar_days", ""))),
			events: []Event{ev("2026-09-01T10:00:00+08:00", "", "received")},
			exts:   []Extension{{Rule: "reply", Until: &calendar.Date{Year: 2026, Month: 11, Day: 30}, ApprovedBy: "张某"}},
			now:    "2026-10-20T10:00:00+08:00",
			want:   want{rule: "reply", due: "2026-11-30T23:59:59+08:00", warn: "2026-09-28T23:59:59+08:00", state: AtRisk, daysLeft: 29, extended: true},
		},
		{
			// verify of the tendering policy, 30 calendar days from Tue Sep 1:
			// Oct 1 moves to Oct 8; extended until Sat Nov 28, a rest day: due
			// Mon Nov 30; warn 5 calendar days before: Wed Nov 25.
			name:   "an extension until a Saturday, with warn_before",
			policy: office(nil, withWarn(extensible(policy.DeadlineRule{ID: "verify", Start: policy.Start{State: "accepted"}, Stop: []string{"verified"}, Duration: "30 calendar_days"}), "", "5 calendar_days")),
			events: events(ev("2026-09-01T10:00:00+08:00", "received", "accepted")),
			exts:   []Extension{{Rule: "verify", Until: &calendar.Date{Year: 2026, Month: 11, Day: 28}, ApprovedBy: "张某"}},
			now:    "2026-11-26T10:00:00+08:00",
			want:   want{rule: "verify", due: "2026-11-30T23:59:59+08:00", warn: "2026-11-25T23:59:59+08:00", state: AtRisk, daysLeft: 2, extended: true},
		},
		{
			// 3 wd from Wed Sep 30, extended until Sun Oct 11: due Mon Oct 12.
			// One day paused (Oct 8 10:00 – Oct 9 10:00): Oct 8's share is Oct
			// 9, and the four days left (Oct 8, 9, 10, 12) are Oct 9, 10, 12, 13.
			name:   "a working-day clock extended until a Sunday and paused",
			policy: office(nil, extensible(replyRule("3 working_days", ""))),
			events: events(ev("2026-10-08T10:00:00+08:00", "received", "suspended"), ev("2026-10-09T10:00:00+08:00", "suspended", "assigned")),
			exts:   []Extension{{Rule: "reply", Until: &calendar.Date{Year: 2026, Month: 10, Day: 11}, ApprovedBy: "张某"}},
			now:    "2026-10-09T12:00:00+08:00",
			want:   want{rule: "reply", due: "2026-10-13T23:59:59+08:00", state: Pending, daysLeft: 3, extended: true, paused: 24 * time.Hour},
		},
		// A zone with daylight saving.
		{
			// Europe/Berlin moves to summer time on Sun Mar 29 2026 at 02:00.
			// 24 hours from Sat 12:00 CET are 24 elapsed hours (第二百零一条:
			// hours from the stated time): Sun 13:00 CEST.
			name:   "24 hours across the change to summer time",
			policy: inBerlin(policy.DeadlineRule{ID: "route", Start: policy.Start{Received: true}, Stop: []string{"assigned"}, Duration: "24 hours"}),
			events: []Event{ev("2026-03-28T12:00:00+01:00", "", "received")},
			now:    "2026-03-29T10:00:00+02:00",
			want:   want{rule: "route", due: "2026-03-29T13:00:00+02:00", state: Pending},
		},
		{
			// 2 hours from Sat 23:00 CET, paused 23:30 until Sun 03:30 CEST: 1.5 h
			// were left, due 05:00 CEST.
			name:   "an hour clock paused across the change to summer time",
			policy: inBerlin(policy.DeadlineRule{ID: "route", Start: policy.Start{Received: true}, Stop: []string{"assigned"}, Duration: "2 hours", PauseIn: []string{"suspended"}}),
			events: []Event{ev("2026-03-28T23:00:00+01:00", "", "received"), ev("2026-03-28T23:30:00+01:00", "received", "suspended"), ev("2026-03-29T03:30:00+02:00", "suspended", "accepted")},
			now:    "2026-03-29T04:00:00+02:00",
			want:   want{rule: "route", due: "2026-03-29T05:00:00+02:00", state: Pending, daysLeft: 0, paused: 3 * time.Hour},
		},
		{
			// Summer time ends Sun Oct 25 2026 at 03:00: 1 working day from Fri
			// Oct 23 ends at 23:59:59 CET on Mon Oct 26.
			name:   "a day clock across the end of summer time",
			policy: inBerlin(policy.DeadlineRule{ID: "reply", Start: policy.Start{Received: true}, Stop: []string{"replied"}, Duration: "1 working_days"}),
			events: []Event{ev("2026-10-23T10:00:00+02:00", "", "received")},
			now:    "2026-10-24T10:00:00+02:00",
			want:   want{rule: "reply", due: "2026-10-26T23:59:59+01:00", state: Pending, daysLeft: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkCase(t, tt.policy, tt.fields, tt.events, tt.exts, tt.now, tt.want)
		})
	}
}

// TestParseExtensions_TooLong: a case's extension by a period too long to
// count is refused with the reason, not counted to the scan bound.
func TestParseExtensions_TooLong(t *testing.T) {
	exts, problems := ParseExtensions(map[string]any{"extensions": []any{
		map[string]any{"rule": "verify", "by": "99999 working_days", "approved_by": "张某"},
	}})
	if len(exts) != 0 || len(problems) != 1 || problems[0].Field != "extensions[0].by" || !problems[0].Msg.Has("too long") {
		t.Errorf("exts = %+v, problems = %v; want one problem at extensions[0].by saying too long", exts, problems)
	}
}
