package deadline

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/policy"
)

// span narrows one computation of a clock (computer.clock) to one report
// of a reporting duty, or to one cycle of a reopened case.
type span struct {
	// start, when set, replaces the rule's start: the reopening for a
	// restarted received_at clock, the previous report for a later report.
	start *time.Time
	// period, when set, replaces the rule's duration (report.every).
	period string
	// notBefore is the start of the cycle: a clock starting earlier, or a
	// stop-field time recorded earlier, belongs to an earlier cycle.
	notBefore time.Time
	// duty marks a reporting duty: the report fulfils it, and a stop or
	// terminal state that ends it first makes it moot when in time.
	duty bool
	// reports are the recorded report times, sorted; after, when set, is
	// the report that fulfilled the previous one.
	reports []time.Time
	after   *time.Time
}

// fulfilled returns the report that fulfils this duty: the first recorded
// at or after start (and after the previous report), at or before now.
func (x span) fulfilled(start, now time.Time) (time.Time, bool) {
	for _, t := range x.reports {
		if t.Before(start) || (x.after != nil && !t.After(*x.after)) {
			continue
		}
		if !now.IsZero() && t.After(now) {
			break
		}
		return t, true
	}
	return time.Time{}, false
}

// moot reports whether the end of a clock by state endedBy, before its
// duty was done, releases the duty: a lapse state (a withdrawal) does, and
// for a reporting duty so does completing the case.
func (x span) moot(r *policy.DeadlineRule, endedBy string) bool {
	return x.duty || slices.Contains(r.Lapse, endedBy)
}

// maxReports bounds the reports of one duty, against a period that a
// calendar without working days would never end.
const maxReports = 1000

// duty returns the clocks of one chosen rule: one per cycle of the case for
// a rule that restarts on reopening, and within a cycle one per report for
// a reporting duty.
func (c *computer) duty(r *policy.DeadlineRule) ([]Clock, []Problem) {
	cycles := []cycle{{c: c}}
	if r.OnReopen == policy.OnReopenRestart {
		cycles = c.cycles()
	}
	if len(cycles) == 1 { // most cases: no map, no copies
		return c.reports(r, span{})
	}
	var out []Clock
	var problems []Problem
	seen := map[Problem]bool{}
	for i, cy := range cycles {
		x := span{notBefore: cy.start}
		if i > 0 && r.Start.Received {
			start := cy.start
			x.start = &start
		}
		cs, ps := cy.c.reports(r, x)
		for _, p := range ps {
			if !seen[p] {
				seen[p] = true
				problems = append(problems, p)
			}
		}
		for _, cl := range cs {
			cl.Cycle = i
			out = append(out, cl)
		}
	}
	return out, problems
}

// reports returns the clock of r in the computer's cycle: one clock, or
// for a reporting duty one per report due.
func (c *computer) reports(r *policy.DeadlineRule, x span) ([]Clock, []Problem) {
	if r.Report == nil {
		cl, ok, ps := c.clock(r, x)
		if !ok {
			return nil, ps
		}
		return []Clock{cl}, ps
	}
	var problems []Problem
	times, err := reportTimes(c.in.Fields, r.Report.Field, c.cal.Location())
	if err != nil {
		problems = append(problems, Problem{Rule: r.ID, Field: r.Report.Field, Msg: msg.T("报告时间："+err.Error(), "report: "+err.Error()),
			Fix: msg.T("写 RFC 3339 时间或其列表，例如 [2026-10-01T10:00:00+08:00]", "write an RFC 3339 time, or a list of them, e.g. [2026-10-01T10:00:00+08:00]")})
	}
	x.duty, x.reports = true, times
	var out []Clock
	for k := 1; k <= maxReports; k++ {
		cl, ok, ps := c.clock(r, x)
		problems = append(problems, ps...)
		if !ok {
			break
		}
		cl.Report, cl.ReportField = k, r.Report.Field
		out = append(out, cl)
		if r.Report.Every == "" || cl.EndedAt == nil || cl.NotDone ||
			!slices.ContainsFunc(times, func(t time.Time) bool { return t.Equal(*cl.EndedAt) }) {
			break
		}
		prev := *cl.EndedAt
		x.start, x.after, x.period = &prev, &prev, r.Report.Every
	}
	return out, problems
}

// cycle is one handling of a case: from its registration, or from a
// reopening, to the next reopening.
type cycle struct {
	c     *computer
	start time.Time // zero for the first
}

// cycles splits the case's events at each reopening (a move out of a
// terminal state into an open one). Each cycle sees its own events and
// the extensions approved in it; an extension without approved_at belongs
// to the first.
func (c *computer) cycles() []cycle {
	var starts []int
	for i := 1; i < len(c.events); i++ {
		if c.terminal[c.events[i-1].To] && !c.terminal[c.events[i].To] {
			starts = append(starts, i)
		}
	}
	if len(starts) == 0 {
		return []cycle{{c: c}}
	}
	bounds := append([]int{0}, starts...)
	of := func(e Extension) int {
		k := 0
		for j, b := range bounds[1:] {
			if !e.ApprovedAt.IsZero() && !e.ApprovedAt.Before(c.events[b].At) {
				k = j + 1
			}
		}
		return k
	}
	out := make([]cycle, len(bounds))
	for k, b := range bounds {
		end := len(c.events)
		if k+1 < len(bounds) {
			end = bounds[k+1]
		}
		in := *c.in
		in.Extensions = nil
		for _, e := range c.in.Extensions {
			if of(e) == k {
				in.Extensions = append(in.Extensions, e)
			}
		}
		sub := &computer{in: &in, cal: c.cal, events: c.events[b:end], terminal: c.terminal, byHours: c.byHours, h: c.h}
		out[k] = cycle{c: sub}
		if k > 0 {
			out[k].start = c.events[b].At
		}
	}
	return out
}

// RecordedTimes reads the times at a field path of a case: none when it is
// absent, one for a datetime, each entry for a list of datetimes (a report
// field). Datetimes are read as the clocks read them: RFC 3339, or a bare
// local time in loc. The times come back sorted.
func RecordedTimes(fields map[string]any, path string, loc *time.Location) ([]time.Time, error) {
	return reportTimes(fields, path, loc)
}

// reportTimes reads a report field: one datetime, or a list of them.
// The times come back sorted.
func reportTimes(fields map[string]any, path string, loc *time.Location) ([]time.Time, error) {
	var v any = fields
	for _, k := range strings.Split(path, ".") {
		m, ok := asMap(v)
		if !ok {
			return nil, nil
		}
		v = m[k]
	}
	list, isList := v.([]any)
	if !isList {
		t, ok, err := fieldTime(fields, path, loc)
		if !ok {
			return nil, err
		}
		return []time.Time{t}, nil
	}
	var out []time.Time
	for i, item := range list {
		t, ok, err := fieldTime(map[string]any{"v": item}, "v", loc)
		if err != nil {
			return out, fmt.Errorf("%s[%d]: %v is not a time", path, i, item)
		}
		if ok {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out, nil
}

// NotDone is not a state a clock is in but how a Missed clock with
// Clock.NotDone is shown: every consumer's table of state words has a row
// for it (未办理, not done), and Verdict picks it.
const NotDone State = "not_done"

// Verdict is the state to show for the clock: State, or NotDone for a
// missed clock whose duty was never done. JSON and statistics keep State
// (missed) and carry NotDone beside it.
func (c Clock) Verdict() State {
	if c.NotDone {
		return NotDone
	}
	return c.State
}

// Run says which run of its rule the clock is, for people: a reporting
// duty's later reports ("第2次报告", "report 2") and the handling after a
// reopening ("重新办理1", "reopening 1"); empty for the first run.
func (c Clock) Run() (zh, en string) {
	var zs, es []string
	if c.Report > 1 {
		zs, es = append(zs, fmt.Sprintf("第%d次报告", c.Report)), append(es, fmt.Sprintf("report %d", c.Report))
	}
	if c.Cycle > 0 {
		zs, es = append(zs, fmt.Sprintf("重新办理%d", c.Cycle)), append(es, fmt.Sprintf("reopening %d", c.Cycle))
	}
	return strings.Join(zs, "，"), strings.Join(es, ", ")
}

// RunLabel is label followed by the clock's run in parentheses when it is
// not the first run of its rule: "回复客户 (重新办理1)", "Reply (reopening 1)".
func (c Clock) RunLabel(label string, en bool) string {
	zh, e := c.Run()
	run := zh
	if en {
		run = e
	}
	if run == "" {
		return label
	}
	return label + " (" + run + ")"
}
