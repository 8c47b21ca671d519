package deadline

import (
	"testing"
	"time"

	"github.com/casebook/casebook/internal/calendar"
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

// computeLater is Compute for the other tests of the package, which also
// checks that clocks called settled are what later moments give.
func computeLater(t *testing.T, in Input) ([]Clock, []Problem) {
	t.Helper()
	laterSame(t, in)
	return Compute(in)
}
