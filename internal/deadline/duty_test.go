package deadline

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/policies"
)

// dutyClock is what TestCompute_Duties checks of each clock, in order.
func dutyClock(c Clock) string {
	ended := "-"
	if c.EndedAt != nil {
		ended = c.EndedAt.Format("01-02T15:04")
	}
	s := fmt.Sprintf("%s due=%s %s ended=%s", c.Rule, c.DueAt.Format("01-02T15:04:05"), c.State, ended)
	if c.NotDone {
		s += " not_done"
	}
	if c.Report > 0 {
		s += fmt.Sprintf(" report=%d", c.Report)
	}
	if c.Cycle > 0 {
		s += fmt.Sprintf(" cycle=%d", c.Cycle)
	}
	return s
}

// Dates: received Wednesday 2026-09-30 10:00; Oct 1-7 National Day,
// Oct 8 and 9 working days 1 and 2, Saturday Oct 10 a make-up working day
// (3), Oct 12 Monday (4), Oct 13 (5), Oct 14 (6), Oct 15 (7).
func TestCompute_Duties(t *testing.T) {
	reply := policy.DeadlineRule{ID: "reply", Start: policy.Start{Received: true}, Stop: []string{"replied"}, Duration: "3 working_days"}
	lapsing := reply
	lapsing.Lapse = []string{"withdrawn"}
	answeredOnTheSpot := policy.DeadlineRule{ID: "forward", Start: policy.Start{Received: true}, Stop: []string{"assigned"}, Duration: "2 working_days",
		Lapse: []string{"withdrawn", "replied"}}
	restart := reply
	restart.OnReopen = policy.OnReopenRestart
	restartExt := restart
	restartExt.Extension = &policy.Extension{Max: "20 working_days"}
	feedback := policy.DeadlineRule{ID: "feedback", Start: policy.Start{State: "verified"}, StopField: "feedback_at", Duration: "1 calendar_days"}
	progress := policy.DeadlineRule{ID: "progress", Start: policy.Start{Received: true}, Stop: []string{"verified"}, Duration: "3 working_days",
		Report: &policy.Report{Field: "progress_reported_at"}}
	every := progress
	every.Report = &policy.Report{Field: "progress_reports", Every: "3 working_days"}
	handover := policy.DeadlineRule{ID: "handover", Start: policy.Start{Field: "dispatch_approval.at"}, Stop: []string{"handed_over"}, Duration: "1 hours"}
	closingReply := policy.DeadlineRule{ID: "reply", Start: policy.Start{Field: "closing_approval.at"}, StopField: "reporter_replied_at", Duration: "5 working_days"}
	reopened := events(ev("2026-10-09T10:00:00+08:00", "received", "replied"), ev("2026-10-09T11:00:00+08:00", "replied", "closed"),
		ev("2026-10-12T09:00:00+08:00", "closed", "assigned"))
	tests := []dutyCase{
		{
			name: "withdrawn in time under lapse: [withdrawn] is moot and left out", rule: lapsing,
			events: events(ev("2026-10-08T09:00:00+08:00", "received", "withdrawn")), now: "2026-10-20T09:00:00+08:00",
			want: nil,
		},
		{
			name: "withdrawn after the due time under lapse is missed and not done", rule: lapsing,
			events: events(ev("2026-10-12T09:00:00+08:00", "received", "withdrawn")), now: "2026-10-20T09:00:00+08:00",
			want: []string{"reply due=10-10T23:59:59 missed ended=10-12T09:00 not_done"},
		},
		{
			name: "a lapse state that is not terminal ends the clock as moot", rule: answeredOnTheSpot,
			events: events(ev("2026-10-08T09:00:00+08:00", "received", "replied"), ev("2026-10-08T10:00:00+08:00", "replied", "closed")),
			now:    "2026-10-20T09:00:00+08:00",
			want:   nil,
		},
		{
			name: "closed in time without the stop state is missed and not done", rule: reply,
			events: events(ev("2026-10-08T09:00:00+08:00", "received", "closed")), now: "2026-10-20T09:00:00+08:00",
			want: []string{"reply due=10-10T23:59:59 missed ended=10-08T09:00 not_done"},
		},
		{
			name: "withdrawn without lapse is not done either", rule: reply,
			events: events(ev("2026-10-08T09:00:00+08:00", "received", "withdrawn")), now: "2026-10-20T09:00:00+08:00",
			want: []string{"reply due=10-10T23:59:59 missed ended=10-08T09:00 not_done"},
		},
		{
			name: "closed without the feedback field is missed and not done", rule: feedback,
			events: events(ev("2026-10-09T10:00:00+08:00", "received", "verified"), ev("2026-10-09T12:00:00+08:00", "verified", "closed")),
			now:    "2026-10-20T09:00:00+08:00",
			want:   []string{"feedback due=10-10T23:59:59 missed ended=10-09T12:00 not_done"},
		},
		{
			name: "feedback recorded before closing is met", rule: feedback, fields: map[string]any{"feedback_at": "2026-10-09T11:00:00+08:00"},
			events: events(ev("2026-10-09T10:00:00+08:00", "received", "verified"), ev("2026-10-09T12:00:00+08:00", "verified", "closed")),
			now:    "2026-10-20T09:00:00+08:00",
			want:   []string{"feedback due=10-10T23:59:59 met ended=10-09T11:00"},
		},
		{
			name: "report duty: done before the report is due makes it moot", rule: progress,
			events: events(ev("2026-10-09T16:00:00+08:00", "received", "verified")), now: "2026-10-20T09:00:00+08:00",
			want: nil,
		},
		{
			name: "report duty: the report on the make-up Saturday meets it though the case is open", rule: progress,
			fields: map[string]any{"progress_reported_at": "2026-10-10T15:00:00+08:00"}, events: receivedSep30, now: "2026-10-20T09:00:00+08:00",
			want: []string{"progress due=10-10T23:59:59 met ended=10-10T15:00 report=1"},
		},
		{
			name: "report duty: no report and open past the due time is overdue", rule: progress,
			events: receivedSep30, now: "2026-10-13T09:00:00+08:00",
			want: []string{"progress due=10-10T23:59:59 overdue ended=- report=1"},
		},
		{
			name: "report duty: late report is missed", rule: progress,
			fields: map[string]any{"progress_reported_at": "2026-10-12T09:00:00+08:00"}, events: receivedSep30, now: "2026-10-13T09:00:00+08:00",
			want: []string{"progress due=10-10T23:59:59 missed ended=10-12T09:00 report=1"},
		},
		{
			name: "report duty: completed after the due time without a report is missed and not done", rule: progress,
			events: events(ev("2026-10-12T09:00:00+08:00", "received", "verified")), now: "2026-10-20T09:00:00+08:00",
			want: []string{"progress due=10-10T23:59:59 missed ended=10-12T09:00 not_done report=1"},
		},
		{
			name: "report duty: a report written after now does not count", rule: progress,
			fields: map[string]any{"progress_reported_at": "2026-10-12T09:00:00+08:00"}, events: receivedSep30, now: "2026-10-11T09:00:00+08:00",
			want: []string{"progress due=10-10T23:59:59 overdue ended=- report=1"},
		},
		{
			name: "every 3 working days: the second report is due 3 working days after the first", rule: every,
			fields: map[string]any{"progress_reports": []any{"2026-10-09T10:00:00+08:00"}}, events: receivedSep30, now: "2026-10-13T09:00:00+08:00",
			want: []string{"progress due=10-10T23:59:59 met ended=10-09T10:00 report=1", "progress due=10-13T23:59:59 pending ended=- report=2"},
		},
		{
			name: "every 3 working days: a late second report, the third due from it", rule: every,
			fields: map[string]any{"progress_reports": []any{"2026-10-15T10:00:00+08:00", "2026-10-09T10:00:00+08:00"}}, events: receivedSep30,
			now:  "2026-10-20T09:00:00+08:00",
			want: []string{"progress due=10-10T23:59:59 met ended=10-09T10:00 report=1", "progress due=10-13T23:59:59 missed ended=10-15T10:00 report=2", "progress due=10-20T23:59:59 pending ended=- report=3"},
		},
		{
			name: "every 3 working days: completing before the next report makes it moot", rule: every,
			fields: map[string]any{"progress_reports": []any{"2026-10-09T10:00:00+08:00"}}, events: events(ev("2026-10-12T09:00:00+08:00", "received", "verified")),
			now:  "2026-10-20T09:00:00+08:00",
			want: []string{"progress due=10-10T23:59:59 met ended=10-09T10:00 report=1"},
		},
		{
			name: "reopened with on_reopen: restart runs the clock again from the reopening", rule: restart,
			events: reopened, now: "2026-10-14T09:00:00+08:00",
			want: []string{"reply due=10-10T23:59:59 met ended=10-09T10:00", "reply due=10-15T23:59:59 pending ended=- cycle=1"},
		},
		{
			name: "reopened and answered late in the second cycle: the first verdict stays", rule: restart,
			events: append(reopened, ev("2026-10-16T09:00:00+08:00", "assigned", "replied")), now: "2026-10-20T09:00:00+08:00",
			want: []string{"reply due=10-10T23:59:59 met ended=10-09T10:00", "reply due=10-15T23:59:59 missed ended=10-16T09:00 cycle=1"},
		},
		{
			name: "reopened with on_reopen: keep leaves the first verdict alone", rule: reply,
			events: reopened, now: "2026-10-20T09:00:00+08:00",
			want: []string{"reply due=10-10T23:59:59 met ended=10-09T10:00"},
		},
		{
			name: "an extension approved after the reopening moves the second cycle only", rule: restartExt,
			events: reopened, now: "2026-10-14T09:00:00+08:00",
			exts: []Extension{{Rule: "reply", Until: ptr(calendar.Date{Year: 2026, Month: 10, Day: 20}), ApprovedBy: "张某", ApprovedAt: at("2026-10-13T09:00:00+08:00")}},
			want: []string{"reply due=10-10T23:59:59 met ended=10-09T10:00", "reply due=10-20T23:59:59 pending ended=- cycle=1"},
		},
		{
			name: "hand-over counted from the recorded approval, not its late commit", rule: handover,
			fields: map[string]any{"dispatch_approval": map[string]any{"by": "王某", "at": "2026-10-09T10:00:00+08:00"}},
			events: events(ev("2026-10-09T11:20:00+08:00", "received", "verified"), ev("2026-10-09T11:30:00+08:00", "verified", "handed_over")),
			now:    "2026-10-20T09:00:00+08:00",
			want:   []string{"handover due=10-09T11:00:00 missed ended=10-09T11:30"},
		},
		{
			name: "reply to the reporter counted from the recorded closing approval", rule: closingReply,
			fields: map[string]any{"closing_approval": map[string]any{"by": "李某", "at": "2026-09-30T16:00:00+08:00"}, "reporter_replied_at": "2026-10-14T10:00:00+08:00"},
			events: events(ev("2026-10-08T09:00:00+08:00", "received", "verified")), now: "2026-10-20T09:00:00+08:00",
			want: []string{"reply due=10-13T23:59:59 missed ended=10-14T10:00"},
		},
	}
	checkDuties(t, tests)
}

// dutyCase is a row of TestCompute_Duties: one rule, the case's fields,
// events and extensions, and the clocks (dutyClock) wanted at now.
type dutyCase struct {
	name   string
	rule   policy.DeadlineRule
	fields map[string]any
	events []Event
	exts   []Extension
	now    string
	want   []string
}

// checkDuties computes each row's clocks and compares them, in order.
func checkDuties(t *testing.T, tests []dutyCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Input{Policy: withRules(tt.rule), Calendar: calendar.New(cst), Eval: evalStub, Fields: tt.fields,
				Events: tt.events, Extensions: tt.exts, ReceivedAt: tt.events[0].At, Now: at(tt.now)}
			clocks, problems := computeLater(t, in)
			if len(problems) > 0 {
				t.Errorf("problems: %v", problems)
			}
			var got []string
			for _, c := range clocks {
				got = append(got, dutyClock(c))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("clocks:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(tt.want, "\n     "))
			}
		})
	}
}

// TestCompute_BuiltinDuties runs the duty keys of the embedded policies:
// what lapses, what restarts on reopening, what a report fulfils.
func TestCompute_BuiltinDuties(t *testing.T) {
	load := func(name string) *policy.Policy {
		data, err := fs.ReadFile(policies.FS, name+".yaml")
		if err != nil {
			t.Fatal(err)
		}
		p, err := policy.Load(name+".yaml", data)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, policy, rule string
		fields             map[string]any
		events             []Event
		now                string
		want               []string
	}{
		{
			name: "bank 第十七条: a repeat complaint after closing runs the reply again from the reopening", policy: "bank", rule: "reply",
			fields: map[string]any{"category": "attitude", "channel": "visit"},
			events: events(ev("2026-10-09T10:00:00+08:00", "received", "replied"), ev("2026-10-09T11:00:00+08:00", "replied", "closed"),
				ev("2026-10-12T09:00:00+08:00", "closed", "assigned")),
			now:  "2026-10-14T09:00:00+08:00",
			want: []string{"reply due=10-10T23:59:59 met ended=10-09T10:00", "reply due=10-15T23:59:59 pending ended=- cycle=1"},
		},
		{
			name: "bank 第十八条: a withdrawal in time releases the reply", policy: "bank", rule: "reply",
			fields: map[string]any{"category": "attitude", "channel": "visit"},
			events: events(ev("2026-10-08T09:00:00+08:00", "received", "withdrawn")), now: "2026-10-20T09:00:00+08:00",
			want: nil,
		},
		{
			name: "bank 第九条(三): an online complaint answered on the spot needs no forwarding", policy: "bank", rule: "forward",
			fields: map[string]any{"category": "attitude", "channel": "online"},
			events: events(ev("2026-09-30T11:00:00+08:00", "received", "replied")), now: "2026-10-20T09:00:00+08:00",
			want: nil,
		},
		{
			name: "food 4.1.1: an invalid complaint needs no hand-over", policy: "food", rule: "handover",
			events: events(ev("2026-10-08T09:00:00+08:00", "received", "approved"), ev("2026-10-08T09:30:00+08:00", "approved", "invalid")),
			now:    "2026-10-20T09:00:00+08:00",
			want:   nil,
		},
		{
			name: "hotline 4.2: confirmed within 3 working days owes no progress report", policy: "hotline", rule: "progress",
			events: events(ev("2026-10-09T16:00:00+08:00", "received", "confirmed")), now: "2026-10-20T09:00:00+08:00",
			want: nil,
		},
		{
			name: "hotline 4.2: the progress report clears the duty while the case is open", policy: "hotline", rule: "progress",
			fields: map[string]any{"progress_reported_at": "2026-10-10T17:00:00+08:00"}, events: receivedSep30, now: "2026-10-20T09:00:00+08:00",
			want: []string{"progress due=10-10T23:59:59 met ended=10-10T17:00 report=1"},
		},
		{
			name: "tendering 第二十三条: withdrawn before a handler was assigned", policy: "tendering", rule: "assign",
			events: events(ev("2026-10-08T09:00:00+08:00", "received", "withdrawn")), now: "2026-10-20T09:00:00+08:00",
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := load(tt.policy)
			cal, err := CalendarFor(p)
			if err != nil {
				t.Fatal(err)
			}
			clocks, problems := computeLater(t, Input{Policy: p, Calendar: cal, Env: p.Env(tt.fields), Fields: tt.fields,
				Events: tt.events, ReceivedAt: tt.events[0].At, Now: at(tt.now)})
			if len(problems) > 0 {
				t.Errorf("problems: %v", problems)
			}
			var got []string
			for _, c := range clocks {
				if c.Rule == tt.rule {
					got = append(got, dutyClock(c))
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("clocks:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(tt.want, "\n     "))
			}
		})
	}
}
