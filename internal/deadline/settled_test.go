package deadline

import (
	"testing"
	"time"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/policy"
)

// TestComputeSettled checks which clocks ComputeSettled calls settled, and
// that settled clocks are what every later Now gives: validate keeps the
// findings of settled cases for later runs.
func TestComputeSettled(t *testing.T) {
	received := at("2026-09-30T10:00:00+08:00")
	ev := func(s, from, to string) Event { return Event{At: at(s), From: from, To: to} }
	recv := ev("2026-09-30T10:00:00+08:00", "", "received")
	rows := []struct {
		name    string
		status  string
		events  []Event
		now     string
		settled bool
	}{
		{"replied in time, judged later", "replied", []Event{recv, ev("2026-10-08T10:00:00+08:00", "received", "replied")}, "2026-12-01T10:00:00+08:00", true},
		{"replied late, judged later", "replied", []Event{recv, ev("2026-11-20T10:00:00+08:00", "received", "replied")}, "2026-12-01T10:00:00+08:00", true},
		{"withdrawn in time: no clock left", "withdrawn", []Event{recv, ev("2026-10-01T10:00:00+08:00", "received", "withdrawn")}, "2026-12-01T10:00:00+08:00", true},
		{"still running", "received", []Event{recv}, "2026-10-01T10:00:00+08:00", false},
		{"overdue, still running", "received", []Event{recv}, "2026-12-01T10:00:00+08:00", false},
		{"the reply is after the moment judged", "replied", []Event{recv, ev("2026-10-08T10:00:00+08:00", "received", "replied")}, "2026-10-05T10:00:00+08:00", false},
		{"replied in the work tree, not committed", "replied", []Event{recv}, "2026-12-01T10:00:00+08:00", false},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			in := func(now time.Time) Input {
				return Input{Policy: bank(), Calendar: calendar.New(cst), Eval: evalStub, Env: map[string]any{"category_class": "general"},
					ReceivedAt: received, Status: row.status, Events: row.events, Now: now}
			}
			now := at(row.now)
			clocks, _, settled := ComputeSettled(in(now))
			if settled != row.settled {
				t.Fatalf("settled = %v, want %v (clocks %+v)", settled, row.settled, clocks)
			}
			laterSame(t, in(now))
		})
	}
}

// TestComputeUntil checks until when ComputeUntil says clocks that are
// not settled hold; laterSame checks they do, up to the nanosecond before.
func TestComputeUntil(t *testing.T) {
	received := at("2026-09-30T10:00:00+08:00")
	recv := ev("2026-09-30T10:00:00+08:00", "", "received")
	hourly := withRules(policy.DeadlineRule{ID: "call", Start: policy.Start{Received: true}, Stop: []string{"replied"}, Duration: "4 hours", Hours: policy.HoursNone})
	paused := withRules(policy.DeadlineRule{ID: "reply", Start: policy.Start{Received: true}, Stop: []string{"replied"}, Duration: "3 working_days", PauseIn: []string{"suspended"}})
	warned := withRules(policy.DeadlineRule{ID: "reply", Start: policy.Start{Received: true}, Stop: []string{"replied"}, Duration: "10 working_days", WarnAfter: "7 working_days"})
	rows := []struct {
		name   string
		p      *policy.Policy
		status string
		events []Event
		now    string
		until  string // "" for none past now
	}{
		{"running: the next midnight", bank(), "received", []Event{recv}, "2026-10-09T10:00:00+08:00", "2026-10-10T00:00:00+08:00"},
		{"a reply committed for later that day", bank(), "replied", []Event{recv, ev("2026-10-09T15:00:00+08:00", "received", "replied")}, "2026-10-09T10:00:00+08:00", "2026-10-09T15:00:00+08:00"},
		{"due that evening", bank(), "received", []Event{recv}, "2026-10-10T22:00:00+08:00", "2026-10-11T00:00:00+08:00"},
		{"overdue: the next midnight", bank(), "received", []Event{recv}, "2026-10-12T22:30:00+08:00", "2026-10-13T00:00:00+08:00"},
		{"at risk later that day", warned, "received", []Event{recv}, "2026-10-16T10:00:00+08:00", "2026-10-17T00:00:00+08:00"},
		{"an hour clock moves with now", hourly, "received", []Event{recv}, "2026-09-30T11:00:00+08:00", ""},
		{"a paused clock moves with now", paused, "suspended", []Event{recv, ev("2026-10-09T09:00:00+08:00", "received", "suspended")}, "2026-10-09T10:00:00+08:00", ""},
		{"a status no commit recorded", bank(), "replied", []Event{recv}, "2026-10-09T10:00:00+08:00", ""},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			in := Input{Policy: row.p, Calendar: calendar.New(cst), Eval: evalStub, Env: map[string]any{"category_class": "general"},
				ReceivedAt: received, Status: row.status, Events: row.events, Now: at(row.now)}
			clocks, _, settled, until := ComputeUntil(in)
			if settled || len(clocks) == 0 {
				t.Fatalf("settled %v, clocks %+v: want running clocks", settled, clocks)
			}
			got := ""
			if !until.IsZero() {
				got = until.Format(time.RFC3339)
			}
			if got != row.until {
				t.Fatalf("until %q, want %q (clocks %+v)", got, row.until, clocks)
			}
			laterSame(t, in)
		})
	}
}

// computeLater is Compute for the other tests of the package, which also
// checks that clocks called settled are what later moments give.
func computeLater(t *testing.T, in Input) ([]Clock, []Problem) {
	t.Helper()
	laterSame(t, in)
	return Compute(in)
}
