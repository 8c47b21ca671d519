package office

import (
	"slices"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/history"
)

// TestJudge_Env checks the names judging adds to a case's condition
// environment, which forms' and reports' conditions read: the states the
// case has been in, the rules met and late, and the escalations.
func TestJudge_Env(t *testing.T) {
	p := bankPolicy(t)
	cal, err := deadline.CalendarFor(p)
	if err != nil {
		t.Fatal(err)
	}
	loc := cal.Location()
	at := func(d, h int) time.Time { return time.Date(2026, 10, d, h, 0, 0, 0, loc) }
	h := &history.Case{ID: "BANK-2026-0001"}
	prev := ""
	for i, st := range []string{"received", "assigned", "replied", "assigned"} {
		h.Transitions = append(h.Transitions, history.Transition{At: at(8+i, 9), From: prev, To: st, Commit: string(rune('a' + i))})
		prev = st
	}
	c := &cases.Case{ID: h.ID, Status: "assigned", ReceivedAt: at(8, 9), Fields: map[string]any{"status": "assigned", "category": "attitude", "channel": "visit"}}
	r := Judge(p, cal, c, h, at(20, 9))
	if got, want := r.Env["entered"], []string{"received", "assigned", "replied"}; !slices.Equal(got.([]string), want) {
		t.Errorf("entered = %v, want %v", got, want)
	}
	if ok, err := p.Eval(`"replied" in entered && !("closed" in entered)`, r.Env); err != nil || !ok {
		t.Errorf(`"replied" in entered = %v, %v`, ok, err)
	}
	if ok, err := p.Eval(`"reply" in met && !("reply" in late)`, r.Env); err != nil || !ok {
		t.Errorf(`"reply" in met = %v, %v; clocks %+v`, ok, err, r.Clocks)
	}
	var ids []string
	for _, e := range r.Escalations {
		ids = append(ids, e.ID)
	}
	if got := r.Env["escalated"].([]string); !slices.Equal(got, ids) && !(len(got) == 0 && len(ids) == 0) {
		t.Errorf("escalated = %v, want %v", got, ids)
	}

	// Without history a case has been in its current state only.
	r = Judge(p, cal, c, nil, at(20, 9))
	if got := r.Env["entered"]; !slices.Equal(got.([]string), []string{"assigned"}) {
		t.Errorf("entered without history = %v, want [assigned]", got)
	}
}
