package deadline

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/policy"
)

var cst = time.FixedZone("CST", 8*3600)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

// evalStub understands `key == "value"` and `key != "value"`, which is all
// these tests need; the real language is the policy package's.
func evalStub(src string, env map[string]any) (bool, error) {
	for _, op := range []string{"==", "!="} {
		if k, v, ok := strings.Cut(src, op); ok {
			got := fmt.Sprint(env[strings.TrimSpace(k)])
			eq := got == strings.Trim(strings.TrimSpace(v), `"`)
			return eq == (op == "=="), nil
		}
	}
	return false, fmt.Errorf("stub cannot evaluate %q", src)
}

var states = []policy.State{
	{ID: "received", Initial: true}, {ID: "accepted"}, {ID: "assigned"}, {ID: "suspended"},
	{ID: "handed_over"}, {ID: "replied"}, {ID: "verified"},
	{ID: "closed", Terminal: true}, {ID: "withdrawn", Terminal: true},
}

// bank is the bank policy's two clocks (DESIGN.md).
func bank() *policy.Policy {
	return &policy.Policy{ID: "bank", States: states, Deadlines: []policy.DeadlineRule{
		{ID: "reply", Zh: "答复", Start: policy.Start{Received: true}, Stop: []string{"replied"}, Duration: "3 working_days", When: `category_class == "general"`, Basis: "第九条",
			Lapse: []string{"withdrawn"}},
		{ID: "reply", Zh: "答复", Start: policy.Start{Received: true}, Stop: []string{"replied"}, Duration: "10 working_days", WarnAfter: "7 working_days", When: `category_class == "complex"`},
		{ID: "forward", Start: policy.Start{Received: true}, Stop: []string{"assigned"}, Duration: "2 working_days", When: `channel == "online"`},
	}}
}

func withRules(rules ...policy.DeadlineRule) *policy.Policy {
	return &policy.Policy{ID: "test", States: states, Deadlines: rules}
}

// tendering has the clocks of 第十二、十八条 and the reply after closing.
func tendering() *policy.Policy {
	return withRules(
		policy.DeadlineRule{ID: "assign", Start: policy.Start{State: "accepted"}, Stop: []string{"assigned"}, Duration: "3 working_days"},
		policy.DeadlineRule{ID: "verify", Start: policy.Start{State: "accepted"}, Stop: []string{"verified"}, Duration: "30 calendar_days",
			Extension: &policy.Extension{Max: "3 months", Approver: "负责人"}},
		policy.DeadlineRule{ID: "reply", Start: policy.Start{State: "closed"}, StopField: "reporter_replied_at", Duration: "5 working_days"},
	)
}

func ev(s, from, to string) Event { return Event{At: at(s), From: from, To: to} }

var receivedSep30 = []Event{ev("2026-09-30T10:00:00+08:00", "", "received")}

func events(more ...Event) []Event { return append(slices.Clone(receivedSep30), more...) }

type want struct {
	rule     string
	absent   bool
	due      string
	state    State
	ended    string // "" means still running
	warn     string // "" means no warning
	daysLeft int
	paused   time.Duration
	extended bool
	// pausedSince is the start of the pause the case is in at now; ""
	// when it is not paused.
	pausedSince string
}

func TestCompute(t *testing.T) {
	general := map[string]any{"category_class": "general", "channel": "visit"}
	complexOnline := map[string]any{"category_class": "complex", "channel": "online"}
	tests := []struct {
		name     string
		policy   *policy.Policy
		env      map[string]any
		received string
		status   string
		fields   map[string]any
		events   []Event
		exts     []Extension
		now      string
		want     []want
		problems []string // Field of each expected problem
	}{
		{
			name: "general reply met on the make-up Saturday", policy: bank(), env: general,
			events: events(ev("2026-10-08T09:00:00+08:00", "received", "assigned"), ev("2026-10-10T16:00:00+08:00", "assigned", "replied")),
			now:    "2026-10-20T09:00:00+08:00",
			want: []want{{rule: "reply", due: "2026-10-10T23:59:59+08:00", state: Met, ended: "2026-10-10T16:00:00+08:00"},
				{rule: "forward", absent: true}},
		},
		{
			name: "general reply missed on Sunday Oct 11", policy: bank(), env: general,
			events: events(ev("2026-10-11T09:00:00+08:00", "received", "replied")),
			now:    "2026-10-20T09:00:00+08:00",
			want:   []want{{rule: "reply", due: "2026-10-10T23:59:59+08:00", state: Missed, ended: "2026-10-11T09:00:00+08:00"}},
		},
		{
			name: "general reply overdue by two working days", policy: bank(), env: general, events: receivedSep30,
			now:  "2026-10-13T09:00:00+08:00",
			want: []want{{rule: "reply", due: "2026-10-10T23:59:59+08:00", state: Overdue, daysLeft: -2}},
		},
		{
			name: "general reply pending with two working days left", policy: bank(), env: general, events: receivedSep30,
			now:  "2026-10-08T09:00:00+08:00",
			want: []want{{rule: "reply", due: "2026-10-10T23:59:59+08:00", state: Pending, daysLeft: 2}},
		},
		{
			name: "answered on the spot: replied at creation", policy: bank(), env: general,
			events: []Event{ev("2026-09-30T10:05:00+08:00", "", "replied")},
			now:    "2026-10-20T09:00:00+08:00",
			want:   []want{{rule: "reply", due: "2026-10-10T23:59:59+08:00", state: Met, ended: "2026-09-30T10:05:00+08:00", daysLeft: 3}},
		},
		{
			name: "complex reply pending on the 7th working day", policy: bank(), env: complexOnline,
			events: events(ev("2026-10-08T09:00:00+08:00", "received", "assigned")),
			now:    "2026-10-15T12:00:00+08:00",
			want:   []want{{rule: "reply", due: "2026-10-20T23:59:59+08:00", state: Pending, warn: "2026-10-15T23:59:59+08:00", daysLeft: 3}},
		},
		{
			name: "complex reply at risk after 7 working days", policy: bank(), env: complexOnline,
			events: events(ev("2026-10-08T09:00:00+08:00", "received", "assigned")),
			now:    "2026-10-16T09:00:00+08:00",
			want:   []want{{rule: "reply", due: "2026-10-20T23:59:59+08:00", state: AtRisk, warn: "2026-10-15T23:59:59+08:00", daysLeft: 2}},
		},
		{
			name: "online complaint forwarded within 2 working days", policy: bank(), env: complexOnline,
			events: events(ev("2026-10-09T15:00:00+08:00", "received", "assigned")),
			now:    "2026-10-09T16:00:00+08:00",
			want:   []want{{rule: "forward", due: "2026-10-09T23:59:59+08:00", state: Met, ended: "2026-10-09T15:00:00+08:00"}},
		},
		{
			name: "online complaint forwarded too late", policy: bank(), env: complexOnline,
			events: events(ev("2026-10-10T09:00:00+08:00", "received", "assigned")),
			now:    "2026-10-12T09:00:00+08:00",
			want:   []want{{rule: "forward", due: "2026-10-09T23:59:59+08:00", state: Missed, ended: "2026-10-10T09:00:00+08:00", daysLeft: -1}},
		},
		{
			name: "withdrawal in time makes the clock moot, not met", policy: bank(), env: general,
			events: events(ev("2026-10-08T09:00:00+08:00", "received", "withdrawn")),
			now:    "2026-10-20T09:00:00+08:00",
			want:   []want{{rule: "reply", absent: true}},
		},
		{
			name: "withdrawal after the due time is still a missed deadline", policy: bank(), env: general,
			events: events(ev("2026-10-12T09:00:00+08:00", "received", "withdrawn")),
			now:    "2026-10-20T09:00:00+08:00",
			want:   []want{{rule: "reply", due: "2026-10-10T23:59:59+08:00", state: Missed, ended: "2026-10-12T09:00:00+08:00", daysLeft: -1}},
		},
		{
			name: "events after now do not count", policy: bank(), env: general,
			events: events(ev("2026-10-10T16:00:00+08:00", "received", "replied")),
			status: "replied", now: "2026-10-09T09:00:00+08:00",
			want: []want{{rule: "reply", due: "2026-10-10T23:59:59+08:00", state: Pending, daysLeft: 1}},
		},
		{
			name: "uncommitted status change counts at now", policy: bank(), env: general, events: receivedSep30,
			status: "replied", now: "2026-10-09T09:00:00+08:00",
			want: []want{{rule: "reply", due: "2026-10-10T23:59:59+08:00", state: Met, ended: "2026-10-09T09:00:00+08:00", daysLeft: 1}},
		},
		{
			name: "case never committed starts in its status at received_at", policy: bank(), env: general,
			received: "2026-09-30T10:00:00+08:00", status: "received", now: "2026-10-12T09:00:00+08:00",
			want: []want{{rule: "reply", due: "2026-10-10T23:59:59+08:00", state: Overdue, daysLeft: -1}},
		},
		{
			name: "paused whole working days push the due date",
			policy: withRules(policy.DeadlineRule{ID: "reply", Start: policy.Start{Received: true}, Stop: []string{"replied"},
				Duration: "3 working_days", PauseIn: []string{"suspended"}}),
			received: "2026-03-02T10:00:00+08:00",
			events: []Event{ev("2026-03-02T10:00:00+08:00", "", "received"), ev("2026-03-03T10:00:00+08:00", "received", "suspended"),
				ev("2026-03-06T15:00:00+08:00", "suspended", "assigned")},
			now: "2026-03-09T12:00:00+08:00",
			// Due Thu 5. Paused Tue 3 10:00 with Tue, Wed, Thu left; Tue's
			// rest is a day on Fri 6, the day it ends: Fri, Mon 9, Tue 10.
			want: []want{{rule: "reply", due: "2026-03-10T23:59:59+08:00", state: Pending, paused: 3*24*time.Hour + 5*time.Hour, daysLeft: 1}},
		},
		{
			name: "paused over a weekend counts only working days",
			policy: withRules(policy.DeadlineRule{ID: "reply", Start: policy.Start{Received: true}, Stop: []string{"replied"},
				Duration: "3 working_days", PauseIn: []string{"suspended"}}),
			received: "2026-03-02T10:00:00+08:00",
			events: []Event{ev("2026-03-02T10:00:00+08:00", "", "received"), ev("2026-03-04T18:00:00+08:00", "received", "suspended"),
				ev("2026-03-09T08:00:00+08:00", "suspended", "assigned")},
			now: "2026-03-09T12:00:00+08:00",
			// Due Thu 5. Paused Wed 4 18:00 with Wed, Thu left; Wed's rest
			// is a day on Mon 9, the day it ends: Mon 9, Tue 10. The
			// weekend in between is no working day, so it adds nothing.
			want: []want{{rule: "reply", due: "2026-03-10T23:59:59+08:00", state: Pending, paused: 4*24*time.Hour + 14*time.Hour, daysLeft: 1}},
		},
		{
			name: "still paused at now keeps moving the due date",
			policy: withRules(policy.DeadlineRule{ID: "reply", Start: policy.Start{Received: true}, Stop: []string{"replied"},
				Duration: "3 working_days", PauseIn: []string{"suspended"}}),
			received: "2026-03-02T10:00:00+08:00",
			events:   []Event{ev("2026-03-02T10:00:00+08:00", "", "received"), ev("2026-03-02T11:00:00+08:00", "received", "suspended")},
			now:      "2026-03-12T12:00:00+08:00",
			// Paused on the day of receipt, which is not counted: resumed at
			// now, Thu 12 is not counted either, and the 3 working days
			// are Fri 13, Mon 16, Tue 17.
			want: []want{{rule: "reply", due: "2026-03-17T23:59:59+08:00", state: Pending, paused: 10*24*time.Hour + time.Hour, daysLeft: 3,
				pausedSince: "2026-03-02T11:00:00+08:00"}},
		},
		{
			name: "a pause after the due time does not rescue an expired clock",
			policy: withRules(policy.DeadlineRule{ID: "reply", Start: policy.Start{Received: true}, Stop: []string{"replied"},
				Duration: "3 working_days", PauseIn: []string{"suspended"}}),
			received: "2026-03-02T10:00:00+08:00",
			events:   []Event{ev("2026-03-02T10:00:00+08:00", "", "received"), ev("2026-03-06T10:00:00+08:00", "received", "suspended")},
			now:      "2026-03-12T12:00:00+08:00",
			want:     []want{{rule: "reply", due: "2026-03-05T23:59:59+08:00", state: Overdue, daysLeft: -5}},
		},
		{
			name: "paused hour clock moves by the wall-clock pause",
			policy: withRules(policy.DeadlineRule{ID: "handover", Start: policy.Start{Received: true}, Stop: []string{"handed_over"},
				Duration: "1 hours", PauseIn: []string{"suspended"}}),
			received: "2026-03-02T10:00:00+08:00",
			events: []Event{ev("2026-03-02T10:00:00+08:00", "", "received"), ev("2026-03-02T10:10:00+08:00", "received", "suspended"),
				ev("2026-03-02T10:30:00+08:00", "suspended", "received"), ev("2026-03-02T11:15:00+08:00", "received", "handed_over")},
			now:  "2026-03-02T12:00:00+08:00",
			want: []want{{rule: "handover", due: "2026-03-02T11:20:00+08:00", state: Met, ended: "2026-03-02T11:15:00+08:00", paused: 20 * time.Minute}},
		},
		{
			name: "food: 1-hour hand-over across midnight missed",
			policy: withRules(policy.DeadlineRule{ID: "handover", Start: policy.Start{Received: true}, Stop: []string{"handed_over"},
				Duration: "1 hours", WarnBefore: "15 minutes"}),
			received: "2026-09-30T23:30:00+08:00",
			events:   []Event{ev("2026-09-30T23:30:00+08:00", "", "received"), ev("2026-10-01T00:40:00+08:00", "received", "handed_over")},
			now:      "2026-10-01T09:00:00+08:00",
			want:     []want{{rule: "handover", due: "2026-10-01T00:30:00+08:00", state: Missed, ended: "2026-10-01T00:40:00+08:00", warn: "2026-10-01T00:15:00+08:00"}},
		},
		{
			name: "food: hand-over clock at risk in its last 15 minutes",
			policy: withRules(policy.DeadlineRule{ID: "handover", Start: policy.Start{Received: true}, Stop: []string{"handed_over"},
				Duration: "1 hours", WarnBefore: "15 minutes"}),
			received: "2026-09-30T23:30:00+08:00",
			events:   []Event{ev("2026-09-30T23:30:00+08:00", "", "received")},
			now:      "2026-10-01T00:20:00+08:00",
			want:     []want{{rule: "handover", due: "2026-10-01T00:30:00+08:00", state: AtRisk, warn: "2026-10-01T00:15:00+08:00"}},
		},
		{
			name:     "hotline: record and route within 30 minutes",
			policy:   withRules(policy.DeadlineRule{ID: "route", Start: policy.Start{Received: true}, Stop: []string{"assigned"}, Duration: "30 minutes"}),
			received: "2026-03-02T10:00:00+08:00",
			events:   []Event{ev("2026-03-02T10:00:00+08:00", "", "received"), ev("2026-03-02T10:20:00+08:00", "received", "assigned")},
			now:      "2026-03-02T12:00:00+08:00",
			want:     []want{{rule: "route", due: "2026-03-02T10:30:00+08:00", state: Met, ended: "2026-03-02T10:20:00+08:00"}},
		},
		{
			name: "tendering: clocks start on entering accepted", policy: tendering(),
			events: events(ev("2026-09-01T10:00:00+08:00", "received", "accepted"), ev("2026-09-03T10:00:00+08:00", "accepted", "assigned")),
			now:    "2026-09-10T10:00:00+08:00",
			want: []want{
				{rule: "assign", due: "2026-09-04T23:59:59+08:00", state: Met, ended: "2026-09-03T10:00:00+08:00", daysLeft: 1},
				{rule: "verify", due: "2026-10-08T23:59:59+08:00", state: Pending, daysLeft: 15},
				{rule: "reply", absent: true},
			},
		},
		{
			name: "tendering: extension within the 3-month cap", policy: tendering(),
			events: events(ev("2026-09-01T10:00:00+08:00", "received", "accepted")),
			exts:   []Extension{{Rule: "verify", Until: &calendar.Date{Year: 2026, Month: 11, Day: 30}, ApprovedBy: "张某"}},
			now:    "2026-10-09T10:00:00+08:00",
			want:   []want{{rule: "verify", due: "2026-11-30T23:59:59+08:00", state: Pending, daysLeft: 37, extended: true}},
		},
		{
			// 30 days from Sep 1 end on Oct 1, a holiday (due Oct 8); 30 more
			// count from Oct 1, not from Oct 8: Sat Oct 31 -> Mon Nov 2.
			name: "tendering: extension by 30 calendar days ending on a Saturday", policy: tendering(),
			events: events(ev("2026-09-01T10:00:00+08:00", "received", "accepted")),
			exts:   []Extension{{Rule: "verify", By: &calendar.Period{N: 30, Unit: calendar.CalendarDays}, ApprovedBy: "张某"}},
			now:    "2026-10-09T10:00:00+08:00",
			want:   []want{{rule: "verify", due: "2026-11-02T23:59:59+08:00", state: Pending, daysLeft: 17, extended: true}},
		},
		{
			name: "tendering: extension beyond the 3-month cap is refused", policy: tendering(),
			events:   events(ev("2026-09-01T10:00:00+08:00", "received", "accepted")),
			exts:     []Extension{{Rule: "verify", Until: &calendar.Date{Year: 2026, Month: 12, Day: 31}, ApprovedBy: "张某"}},
			now:      "2026-10-09T10:00:00+08:00",
			want:     []want{{rule: "verify", due: "2026-10-08T23:59:59+08:00", state: Overdue, daysLeft: -1}},
			problems: []string{"extensions[0].until"},
		},
		{
			name: "tendering: unapproved, unextendable and unknown extensions are refused", policy: tendering(),
			events: events(ev("2026-09-01T10:00:00+08:00", "received", "accepted")),
			exts: []Extension{
				{Rule: "verify", By: &calendar.Period{N: 10, Unit: calendar.CalendarDays}},
				{Rule: "assign", By: &calendar.Period{N: 1, Unit: calendar.WorkingDays}, ApprovedBy: "张某", Index: 1},
				{Rule: "nope", By: &calendar.Period{N: 1, Unit: calendar.WorkingDays}, ApprovedBy: "张某", Index: 2},
				{Rule: "verify", Until: &calendar.Date{Year: 2026, Month: 9, Day: 15}, ApprovedBy: "张某", Index: 3},
			},
			now: "2026-09-10T10:00:00+08:00",
			want: []want{
				{rule: "assign", due: "2026-09-04T23:59:59+08:00", state: Overdue, daysLeft: -4},
				{rule: "verify", due: "2026-10-08T23:59:59+08:00", state: Pending, daysLeft: 15},
			},
			problems: []string{"extensions[2].rule", "extensions[1]", "extensions[0].approved_by", "extensions[3].until"},
		},
		{
			name: "tendering: reply after closing stops at the field, not at the close", policy: tendering(),
			fields: map[string]any{"reporter_replied_at": "2026-10-12T15:00:00+08:00"},
			events: events(ev("2026-09-30T11:00:00+08:00", "received", "closed")),
			now:    "2026-10-20T10:00:00+08:00",
			want:   []want{{rule: "reply", due: "2026-10-13T23:59:59+08:00", state: Met, ended: "2026-10-12T15:00:00+08:00", daysLeft: 1}},
		},
		{
			name: "stop field as a bare local time", policy: tendering(),
			fields: map[string]any{"reporter_replied_at": "2026-10-14 09:00"},
			events: events(ev("2026-09-30T11:00:00+08:00", "received", "closed")),
			now:    "2026-10-20T10:00:00+08:00",
			want:   []want{{rule: "reply", due: "2026-10-13T23:59:59+08:00", state: Missed, ended: "2026-10-14T09:00:00+08:00", daysLeft: -1}},
		},
		{
			name: "stop field still empty: overdue", policy: tendering(),
			events: events(ev("2026-09-30T11:00:00+08:00", "received", "closed")),
			now:    "2026-10-14T10:00:00+08:00",
			want:   []want{{rule: "reply", due: "2026-10-13T23:59:59+08:00", state: Overdue, daysLeft: -1}},
		},
		{
			name: "clock starting at a field",
			policy: withRules(policy.DeadlineRule{ID: "visit", Start: policy.Start{Field: "visit.scheduled_at"}, Stop: []string{"replied"},
				Duration: "1 working_days"}),
			fields: map[string]any{"visit": map[string]any{"scheduled_at": at("2026-10-09T10:00:00+08:00")}},
			events: events(ev("2026-10-09T11:00:00+08:00", "received", "replied")),
			now:    "2026-10-20T10:00:00+08:00",
			want:   []want{{rule: "visit", due: "2026-10-10T23:59:59+08:00", state: Met, ended: "2026-10-09T11:00:00+08:00", daysLeft: 1}},
		},
		{
			name:   "unreadable start field is a problem and no clock",
			policy: withRules(policy.DeadlineRule{ID: "visit", Start: policy.Start{Field: "scheduled_at"}, Duration: "1 working_days"}),
			fields: map[string]any{"scheduled_at": "next Tuesday"}, events: receivedSep30, now: "2026-10-20T10:00:00+08:00",
			want:     []want{{rule: "visit", absent: true}},
			problems: []string{"scheduled_at"},
		},
		{
			name: "condition the evaluator rejects is a problem",
			policy: withRules(policy.DeadlineRule{ID: "reply", Start: policy.Start{Received: true}, Duration: "1 working_days", When: "amount > 50000"},
				policy.DeadlineRule{ID: "reply", Start: policy.Start{Received: true}, Duration: "3 working_days"}),
			events: receivedSep30, now: "2026-10-08T10:00:00+08:00",
			want:     []want{{rule: "reply", due: "2026-10-10T23:59:59+08:00", state: Pending, daysLeft: 2}},
			problems: []string{""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Input{
				Policy: tt.policy, Calendar: calendar.New(cst), Env: tt.env, Eval: evalStub,
				Status: tt.status, Fields: tt.fields, Events: tt.events, Extensions: tt.exts, Now: at(tt.now),
			}
			if tt.received != "" {
				in.ReceivedAt = at(tt.received)
			} else if len(tt.events) > 0 {
				in.ReceivedAt = tt.events[0].At
			}
			clocks, problems := computeLater(t, in)
			var gotProblems []string
			for _, p := range problems {
				gotProblems = append(gotProblems, p.Field)
				if p.Msg.Zh == "" || p.Msg.En == "" || p.Fix.Zh == "" || p.Fix.En == "" {
					t.Errorf("problem without message or fix: %+v", p)
				}
			}
			if !slices.Equal(gotProblems, tt.problems) {
				t.Errorf("problems at %q, want %q: %v", gotProblems, tt.problems, problems)
			}
			for _, w := range tt.want {
				i := slices.IndexFunc(clocks, func(c Clock) bool { return c.Rule == w.rule })
				if w.absent {
					if i >= 0 {
						t.Errorf("clock %s = %+v, want none", w.rule, clocks[i])
					}
					continue
				}
				if i < 0 {
					t.Fatalf("no clock %s in %+v", w.rule, clocks)
				}
				checkClock(t, clocks[i], w)
			}
			laterSame(t, in)
		})
	}
}

// laterSame checks that clocks ComputeSettled calls settled are what
// later moments give too.
func laterSame(t *testing.T, in Input) {
	t.Helper()
	clocks, problems, settled, until := ComputeUntil(in)
	now := in.Now
	if !settled {
		if until.IsZero() {
			return
		}
		if !until.After(now) {
			t.Fatalf("until %v is not after now %v", until, now)
		}
		// Every moment of [now, until) gives the clocks of now; until itself
		// need not.
		for _, later := range []time.Time{now.Add(time.Nanosecond), now.Add(until.Sub(now) / 2), until.Add(-time.Nanosecond)} {
			in.Now = later
			c2, p2, s2 := ComputeSettled(in)
			if !reflect.DeepEqual(clocks, c2) || !reflect.DeepEqual(problems, p2) || s2 {
				t.Fatalf("the clocks at %v hold until %v, but at %v: %+v, want %+v (settled %v)", now, until, later, c2, clocks, s2)
			}
			// What validate says of a clock reads the distance at Now too.
			for i, cl := range clocks {
				for _, lang := range []string{"zh", "en"} {
					d, l := cl.Distance(now, lang)
					if d2, l2 := c2[i].Distance(later, lang); d2 != d || l2 != l {
						t.Fatalf("the clocks at %v hold until %v, but at %v clock %s is %q (late %v), want %q (late %v)", now, until, later, cl.Rule, d2, l2, d, l)
					}
				}
			}
		}
		return
	}
	for _, later := range []time.Duration{time.Second, time.Hour, 40 * 24 * time.Hour, 3 * 365 * 24 * time.Hour} {
		in.Now = now.Add(later)
		c2, p2, s2 := ComputeSettled(in)
		if !reflect.DeepEqual(clocks, c2) || !reflect.DeepEqual(problems, p2) || !s2 {
			t.Fatalf("settled at %v, but %v later: clocks %+v, want %+v (settled %v)", now, later, c2, clocks, s2)
		}
	}
}

func checkClock(t *testing.T, c Clock, w want) {
	t.Helper()
	format := func(p *time.Time) string {
		if p == nil {
			return ""
		}
		return p.Format(time.RFC3339)
	}
	got := fmt.Sprintf("due=%s state=%s ended=%s warn=%s daysLeft=%d paused=%v extended=%v pausedSince=%s",
		c.DueAt.Format(time.RFC3339), c.State, format(c.EndedAt), format(c.WarnAt), c.DaysLeft, c.Paused, c.Extended, format(c.PausedSince))
	wantS := fmt.Sprintf("due=%s state=%s ended=%s warn=%s daysLeft=%d paused=%v extended=%v pausedSince=%s",
		w.due, w.state, w.ended, w.warn, w.daysLeft, w.paused, w.extended, w.pausedSince)
	if got != wantS {
		t.Errorf("clock %s:\n got %s\nwant %s", w.rule, got, wantS)
	}
	if w.extended != (len(c.Extensions) > 0) {
		t.Errorf("clock %s: Extensions = %v, want extended=%v", w.rule, c.Extensions, w.extended)
	}
}

// TestDeadline_MakeupSaturday is the example of DESIGN.md "Time".
func TestDeadline_MakeupSaturday(t *testing.T) {
	clocks, problems := Compute(Input{
		Policy: bank(), Calendar: calendar.New(cst), Eval: evalStub,
		Env:        map[string]any{"category_class": "general"},
		ReceivedAt: at("2026-09-30T10:00:00+08:00"), Events: receivedSep30, Now: at("2026-09-30T12:00:00+08:00"),
	})
	if len(problems) > 0 || len(clocks) != 1 {
		t.Fatalf("clocks %+v problems %v", clocks, problems)
	}
	if got := clocks[0].DueAt.Format(time.RFC3339); got != "2026-10-10T23:59:59+08:00" || clocks[0].DaysLeft != 3 {
		t.Errorf("due %s, %d days left; want 2026-10-10T23:59:59+08:00, 3", got, clocks[0].DaysLeft)
	}
}

func TestCompute_NoDataYear(t *testing.T) {
	clocks, _ := Compute(Input{
		Policy:   withRules(policy.DeadlineRule{ID: "reply", Start: policy.Start{Received: true}, Duration: "3 working_days"}),
		Calendar: calendar.New(cst), ReceivedAt: at("2035-03-01T10:00:00+08:00"), Status: "received", Now: at("2035-03-01T10:00:00+08:00"),
	})
	if len(clocks) != 1 || !slices.Equal(clocks[0].NoData, []int{2035}) {
		t.Errorf("clocks = %+v, want one with NoData [2035]", clocks)
	}
}

func TestCalendarFor(t *testing.T) {
	p := &policy.Policy{ID: "food", Location: cst,
		BusinessHours: &policy.BusinessHours{Open: "08:30", Close: "17:30"},
		Calendar: policy.CalendarOverrides{
			Holidays: []policy.CalendarDay{{Date: "2026-10-09", Name: "厂庆"}},
			Workdays: []policy.CalendarDay{{Date: "2026-10-11", Name: "盘点"}},
		}}
	cal, err := CalendarFor(p)
	if err != nil {
		t.Fatal(err)
	}
	due, _ := cal.End(at("2026-09-30T10:00:00+08:00"), calendar.Period{N: 3, Unit: calendar.WorkingDays})
	if got := due.Format(time.RFC3339); got != "2026-10-11T17:30:00+08:00" {
		t.Errorf("due = %s, want 2026-10-11T17:30:00+08:00 (Oct 9 off, Sunday Oct 11 on, closing time)", got)
	}
	// Periods with a lunch break, Saturday hours for the make-up Saturday
	// Oct 10 and a desk on ordinary Saturdays: Fri Oct 16 17:00 + 1 hour is
	// 30 minutes on Friday and 30 at the desk on Sat Oct 17.
	p.BusinessHours = &policy.BusinessHours{Periods: []string{"08:30-12:00", "13:30-17:30"},
		Weekdays: map[string][]string{"sat": {"09:00-12:00"}}, RestDays: map[string][]string{"sat": {"09:00-11:00"}}}
	if cal, err = CalendarFor(p); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		start  string
		period calendar.Period
		want   string
	}{
		{"2026-09-30T10:00:00+08:00", calendar.Period{N: 2, Unit: calendar.WorkingDays}, "2026-10-10T12:00:00+08:00"},
		{"2026-10-16T17:00:00+08:00", calendar.Period{N: 1, Unit: calendar.Hours}, "2026-10-17T09:30:00+08:00"},
	} {
		if due, _ := cal.End(at(tt.start), tt.period); due.Format(time.RFC3339) != tt.want {
			t.Errorf("periods, weekdays and rest_days: End(%s, %s) = %s, want %s", tt.start, tt.period, due.Format(time.RFC3339), tt.want)
		}
	}
	p.BusinessHours = nil
	p.Calendar.Holidays[0].Date = "2026-10-32"
	if _, err := CalendarFor(p); err == nil || !strings.Contains(err.Error(), "calendar.holidays[0]") {
		t.Errorf("bad override date: err = %v, want one naming calendar.holidays[0]", err)
	}
}
