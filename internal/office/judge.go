package office

import (
	"slices"
	"sort"
	"time"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/policy"
)

// Judge judges one case outside a loaded office: the write commands check
// the one file they change without reading the whole repository. h may be
// nil (the case is judged as if just received in its current state).
func Judge(p *policy.Policy, cal *calendar.Calendar, c *cases.Case, h *history.Case, now time.Time) *Record {
	return judge(p, cal, c, c, h, now, p.Env(c.Fields))
}

// judge computes a record's clocks, the late rules and the escalations
// that apply, on a condition environment already filled from the case.
// The clocks run on clock, which is c or c with the clock facts as first
// recorded (see factChanges).
func judge(p *policy.Policy, cal *calendar.Calendar, c, clock *cases.Case, h *history.Case, now time.Time, env map[string]any) *Record {
	r := &Record{Case: c, Policy: p, History: h, Env: env}
	exts, probs := deadline.ParseExtensions(c.Fields)
	r.ClockProblems = append(r.ClockProblems, probs...)
	clockEnv := r.Env
	if clock != c {
		clockEnv = p.Env(clock.Fields)
	}
	clocks, cprobs, settled, until := deadline.ComputeUntil(deadline.Input{
		Policy: p, Calendar: cal, Env: clockEnv, ReceivedAt: clock.ReceivedAt, Status: c.Status,
		Fields: clock.Fields, Events: CorrectedEvents(p, h, clock), Extensions: exts, Now: now,
	})
	r.Clocks, r.Settled, r.Until = clocks, settled, until
	r.ClockProblems = append(r.ClockProblems, cprobs...)
	late, met := []string{}, []string{}
	for _, cl := range clocks {
		switch cl.State {
		case deadline.Overdue, deadline.Missed:
			late = append(late, cl.Rule)
		case deadline.Met:
			met = append(met, cl.Rule)
		}
	}
	sort.Strings(late)
	sort.Strings(met)
	r.Env["late"], r.Env["met"] = late, met
	if h != nil && len(h.Transitions) > 0 {
		entered := []string{}
		for _, t := range h.Transitions {
			if !slices.Contains(entered, t.To) {
				entered = append(entered, t.To)
			}
		}
		if !slices.Contains(entered, c.Status) {
			entered = append(entered, c.Status)
		}
		r.Env["entered"] = entered
	}
	for _, e := range p.Escalations {
		if ok, err := p.Eval(e.When, r.Env); err == nil && ok {
			r.Escalations = append(r.Escalations, e)
		}
	}
	escalated := make([]string, len(r.Escalations))
	for i, e := range r.Escalations {
		escalated[i] = e.ID
	}
	r.Env["escalated"] = escalated
	return r
}
