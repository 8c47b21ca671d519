package office

import (
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/policy"
)

func bankPolicy(t *testing.T) *policy.Policy {
	t.Helper()
	set, err := policy.LoadSet("")
	if err != nil {
		t.Fatal(err)
	}
	p, ok := set.Get("bank")
	if !ok {
		t.Fatal("no embedded bank policy")
	}
	return p
}

// TestCorrectedEvents_ClocksAfterUndo judges the bank's reply clock (3
// working days from 2026-09-30 10:00, due 2026-10-10) after a stop that a
// correction took back, and after one that a plain commit made.
func TestCorrectedEvents_ClocksAfterUndo(t *testing.T) {
	p := bankPolicy(t)
	cal, err := deadline.CalendarFor(p)
	if err != nil {
		t.Fatal(err)
	}
	loc := cal.Location()
	day := func(d, h int) time.Time { return time.Date(2026, 10, d, h, 0, 0, 0, loc) }
	received := time.Date(2026, 9, 30, 10, 0, 0, 0, loc)
	correction := history.Trailers{{Key: "Casebook-Case", Value: "BANK-2026-0001"}, {Key: "Casebook-Correction", Value: "undo"}, {Key: "Casebook-Approved-By", Value: "孙主任"}}
	forged := history.Trailers{{Key: "Casebook-Case", Value: "BANK-2026-0001"}, {Key: "Casebook-Correction", Value: "undo"}}
	type step struct {
		at       time.Time
		status   string
		trailers history.Trailers
	}
	tests := []struct {
		name   string
		steps  []step
		now    time.Time
		status string
		want   string // the reply clock's state, "" when it is not running
	}{
		{"withdrawn in time: the clock is moot", []step{{received, "received", nil}, {day(8, 9), "withdrawn", nil}}, day(20, 9), "withdrawn", ""},
		{"withdrawal undone after the due date: overdue at once", []step{{received, "received", nil}, {day(8, 9), "withdrawn", nil}, {day(12, 9), "received", correction}}, day(12, 10), "received", "overdue"},
		{"withdrawal undone before the due date: running again", []step{{received, "received", nil}, {day(8, 9), "withdrawn", nil}, {day(9, 9), "received", correction}}, day(9, 10), "received", "at_risk_or_pending"},
		{"a reply undone: the first reply no longer stops the clock", []step{{received, "received", nil}, {day(8, 9), "replied", nil}, {day(12, 9), "received", correction}, {day(13, 9), "replied", nil}}, day(14, 9), "replied", "missed"},
		{"a reply kept stops the clock", []step{{received, "received", nil}, {day(8, 9), "replied", nil}}, day(14, 9), "replied", "met"},
		{"a forged undo (no approver) does not take the stop back", []step{{received, "received", nil}, {day(8, 9), "replied", nil}, {day(12, 9), "received", forged}, {day(13, 9), "replied", nil}}, day(14, 9), "replied", "met"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &history.Case{ID: "BANK-2026-0001"}
			prev := ""
			for i, s := range tt.steps {
				v := history.Version{Commit: string(rune('a' + i)), At: s.at, Trailers: s.trailers, Note: "误操作", Snap: history.Snapshot{Status: s.status}, Changed: []string{"status"}}
				h.Versions = append(h.Versions, v)
				h.Transitions = append(h.Transitions, history.Transition{At: s.at, From: prev, To: s.status, Commit: v.Commit, Trailers: s.trailers, Note: v.Note})
				prev = s.status
			}
			c := &cases.Case{ID: h.ID, Status: tt.status, ReceivedAt: received, Fields: map[string]any{"category": "attitude", "channel": "visit"}}
			r := Judge(p, cal, c, h, tt.now)
			got := ""
			for _, cl := range r.Clocks {
				if cl.Rule == "reply" {
					got = string(cl.State)
					if cl.DueAt.Format(time.RFC3339) != "2026-10-10T23:59:59+08:00" {
						t.Errorf("due %s, want the original 2026-10-10", cl.DueAt.Format(time.RFC3339))
					}
				}
			}
			if tt.want == "at_risk_or_pending" {
				if got != "pending" && got != "at_risk" {
					t.Errorf("reply %q, want running", got)
				}
				return
			}
			if got != tt.want {
				t.Errorf("reply %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCorrectedEvents_NoCorrectionIsTheSame(t *testing.T) {
	p := bankPolicy(t)
	h := &history.Case{ID: "X", Transitions: []history.Transition{{To: "received", Commit: "a"}, {From: "received", To: "closed", Commit: "b"}}}
	got := CorrectedEvents(p, h, &cases.Case{Status: "closed"})
	var moves []string
	for _, e := range got {
		moves = append(moves, e.From+">"+e.To)
	}
	if strings.Join(moves, " ") != ">received received>closed" {
		t.Errorf("events %v", moves)
	}
}
