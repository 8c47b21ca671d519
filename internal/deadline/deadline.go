package deadline

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/policy"
)

// Event is one status change of a case, as history records it. The
// creating commit has From "".
type Event struct {
	At       time.Time
	From, To string
}

// Input is everything Compute needs about one case.
type Input struct {
	Policy   *policy.Policy
	Calendar *calendar.Calendar
	// Env is the condition environment of the case (policy.Env); it is
	// passed through to the evaluation of rules' When.
	Env map[string]any
	// Eval evaluates a condition; nil means Policy.Eval. It lets callers
	// and tests evaluate conditions without a loaded policy.
	Eval       func(src string, env map[string]any) (bool, error)
	ReceivedAt time.Time
	// Status is the case's current status (of the working tree).
	Status string
	Fields map[string]any
	// Events are the status changes, oldest first.
	Events     []Event
	Extensions []Extension
	// Now is the moment the clocks are judged at (--now).
	Now time.Time
}

// State is where a clock stands.
type State string

// States of a clock, as `show --format json` prints them.
const (
	Pending State = "pending" // running, not yet in the warning window
	AtRisk  State = "at_risk" // running, inside the warning window
	Met     State = "met"     // ended at or before the due time
	Missed  State = "missed"  // ended after the due time
	Overdue State = "overdue" // running, past the due time
)

// Clock is one deadline of a case.
type Clock struct {
	Rule, Zh, En, Basis string
	Start, DueAt        time.Time
	// WarnAt is when the clock becomes at_risk; nil when the rule sets
	// no warning.
	WarnAt *time.Time
	// EndedAt is when the clock stopped; nil while it runs.
	EndedAt *time.Time
	State   State
	// Paused is the wall-clock time spent in pause states that moved the
	// due time.
	Paused time.Duration
	// Extended is true when an extension was applied; Extensions lists them.
	Extended   bool
	Extensions []Extension
	// DaysLeft is the working days from Now (EndedAt when ended) to DueAt,
	// negative when late.
	DaysLeft int
	// NoData lists the years the calendar had no holiday data for.
	NoData []int
	// Period is the rule's duration, before extensions and pauses.
	Period calendar.Period

	// Duties (duty.go).

	// NotDone marks a missed clock whose duty was never done: a terminal
	// state that is neither a stop nor a lapse state ended it, or the case
	// completed after a report came due without it.
	NotDone bool
	// Report numbers the reports of a reporting duty (1, 2, ...); 0 for a
	// completion clock. ReportField is the field that records them.
	Report      int
	ReportField string
	// Cycle counts the reopenings before this clock ran: 0 for the first
	// handling, 1 after the first reopening (rules with on_reopen: restart).
	Cycle int
	// Extensible is true when the rule allows extensions.
	Extensible bool
}

// Distance says how far the due time is from now, in the clock's own
// terms: hours and minutes for hour clocks, working days otherwise.
// late is true when the due time has passed.
func (c Clock) Distance(now time.Time) (text string, late bool) {
	ref := now
	if c.EndedAt != nil {
		ref = *c.EndedAt
	}
	late = ref.After(c.DueAt)
	if c.Period.Unit.Clock() {
		d := c.DueAt.Sub(ref)
		if d < 0 {
			d = -d
		}
		d = d.Round(time.Minute)
		h, m := int(d.Hours()), int(d.Minutes())%60
		switch {
		case h == 0:
			return fmt.Sprintf("%d min", m), late
		case m == 0:
			return fmt.Sprintf("%d h", h), late
		}
		return fmt.Sprintf("%d h %d min", h, m), late
	}
	n := c.DaysLeft
	if n < 0 {
		n = -n
	}
	if n == 1 {
		return "1 working day", late
	}
	return fmt.Sprintf("%d working days", n), late
}

// Problem is something wrong with a case's or a policy's deadlines that
// Compute had to skip: a refused extension, an unreadable start field, a
// condition that failed.
type Problem struct {
	Rule string
	// Field is the case field at fault ("extensions[0].until"); empty for
	// a problem of the policy.
	Field string
	Msg   string
	Fix   string
}

// Error formats the problem as one line.
func (p Problem) Error() string {
	s := "deadline " + p.Rule
	if p.Field != "" {
		s += ": " + p.Field
	}
	s += ": " + p.Msg
	if p.Fix != "" {
		s += " (" + p.Fix + ")"
	}
	return s
}

func (in *Input) eval(src string) (bool, error) {
	if strings.TrimSpace(src) == "" {
		return true, nil
	}
	if in.Eval != nil {
		return in.Eval(src, in.Env)
	}
	return in.Policy.Eval(src, in.Env)
}

// Compute returns the clocks of a case that have started, in policy order,
// and the problems met on the way. See the package documentation for the
// rules it follows.
func Compute(in Input) ([]Clock, []Problem) {
	var problems []Problem
	if in.Policy == nil {
		return nil, []Problem{{Msg: "no policy", Fix: "load the case's policy first"}}
	}
	cal := in.Calendar
	if cal == nil {
		var err error
		if cal, err = CalendarFor(in.Policy); err != nil {
			problems = append(problems, Problem{Msg: err.Error(), Fix: "correct the policy's timezone, calendar or business_hours"})
		}
	}
	c := computer{in: &in, cal: cal, events: timeline(in), terminal: map[string]bool{}}
	for _, s := range in.Policy.States {
		c.terminal[s.ID] = s.Terminal
	}

	// Choose one rule per ID: the first alternative whose When holds.
	var order []string
	chosen := map[string]*policy.DeadlineRule{}
	seen := map[string]bool{}
	for i := range in.Policy.Deadlines {
		r := &in.Policy.Deadlines[i]
		if !seen[r.ID] {
			seen[r.ID] = true
			order = append(order, r.ID)
		}
		if chosen[r.ID] != nil {
			continue
		}
		ok, err := in.eval(r.When)
		if err != nil {
			problems = append(problems, Problem{Rule: r.ID, Msg: fmt.Sprintf("condition %q: %v", r.When, err), Fix: "correct the rule's when in the policy"})
			continue
		}
		if ok {
			chosen[r.ID] = r
		}
	}

	for _, e := range in.Extensions {
		if !seen[e.Rule] {
			problems = append(problems, Problem{Rule: e.Rule, Field: fmt.Sprintf("extensions[%d].rule", e.Index),
				Msg: fmt.Sprintf("policy %s has no deadline %q", in.Policy.ID, e.Rule),
				Fix: "use one of: " + strings.Join(order, ", ")})
		}
	}

	var clocks []Clock
	for _, id := range order {
		r := chosen[id]
		if r == nil {
			continue
		}
		cs, ps := c.duty(r)
		problems = append(problems, ps...)
		clocks = append(clocks, cs...)
	}
	return clocks, problems
}

// timeline is the events that count at Now, completed by the working
// tree's status as the package documentation says.
func timeline(in Input) []Event {
	if len(in.Events) == 0 {
		if in.Status == "" {
			return nil
		}
		return []Event{{At: in.ReceivedAt, To: in.Status}}
	}
	var evs []Event
	for _, e := range in.Events {
		if in.Now.IsZero() || !e.At.After(in.Now) {
			evs = append(evs, e)
		}
	}
	if len(evs) == len(in.Events) && in.Status != "" && evs[len(evs)-1].To != in.Status {
		evs = append(evs, Event{At: in.Now, From: evs[len(evs)-1].To, To: in.Status})
	}
	return evs
}

type computer struct {
	in       *Input
	cal      *calendar.Calendar
	events   []Event
	terminal map[string]bool
}

// interval is a stretch of time the case spent in a pause state.
type interval struct{ from, to time.Time }

func (c *computer) clock(r *policy.DeadlineRule, x span) (Clock, bool, []Problem) {
	in := c.in
	var problems []Problem
	bad := func(field, fix, format string, args ...any) {
		problems = append(problems, Problem{Rule: r.ID, Field: field, Msg: fmt.Sprintf(format, args...), Fix: fix})
	}
	period, err := calendar.ParsePeriod(cmp.Or(x.period, r.Duration))
	if err != nil {
		bad("", "correct the rule's duration in the policy", "duration: %v", err)
		return Clock{}, false, problems
	}

	// Start, and from which event on the stop is looked for.
	var start time.Time
	from := 0
	switch {
	case x.start != nil:
		start = *x.start
		from = slices.IndexFunc(c.events, func(e Event) bool { return !e.At.Before(start) })
		if from < 0 {
			from = len(c.events)
		}
	case r.Start.Received:
		start = in.ReceivedAt
		if start.IsZero() {
			return Clock{}, false, problems
		}
	case r.Start.State != "":
		i := slices.IndexFunc(c.events, func(e Event) bool { return e.To == r.Start.State })
		if i < 0 {
			return Clock{}, false, problems
		}
		start, from = c.events[i].At, i+1
	case r.Start.Field != "":
		t, ok, err := fieldTime(in.Fields, r.Start.Field, c.cal.Location())
		if err != nil {
			bad(r.Start.Field, "write an RFC 3339 time, e.g. 2026-10-01T10:00:00+08:00", "start: %v", err)
		}
		if !ok {
			return Clock{}, false, problems
		}
		start = t
		from = slices.IndexFunc(c.events, func(e Event) bool { return !e.At.Before(start) })
		if from < 0 {
			from = len(c.events)
		}
	default:
		bad("", "give the rule start: received, state or field", "the rule has no start")
		return Clock{}, false, problems
	}
	start = start.In(c.cal.Location())
	if start.Before(x.notBefore) {
		return Clock{}, false, problems // started in an earlier cycle
	}

	clock := Clock{Rule: r.ID, Zh: r.Zh, En: r.En, Basis: r.Basis, Start: start, Period: period}
	due, noData := c.cal.End(start, period)

	// End.
	var ended *time.Time
	endAt := func(t time.Time) {
		if t.Before(start) {
			t = start
		}
		if ended == nil || t.Before(*ended) {
			ended = &t
		}
	}
	stopOnTerminal := !(r.Start.State != "" && c.terminal[r.Start.State])
	abandoned := false // ended, duty undone: by a terminal or lapse state that is not a stop state, or any state for a report duty
	endedBy := ""
	for _, e := range c.events[from:] {
		if slices.Contains(r.Stop, e.To) || slices.Contains(r.Lapse, e.To) || (stopOnTerminal && c.terminal[e.To]) {
			endAt(e.At)
			abandoned = x.duty || !slices.Contains(r.Stop, e.To)
			endedBy = e.To
			break
		}
	}
	if r.StopField != "" {
		t, ok, err := fieldTime(in.Fields, r.StopField, c.cal.Location())
		if err != nil {
			bad(r.StopField, "write an RFC 3339 time, e.g. 2026-10-01T10:00:00+08:00", "stop: %v", err)
		}
		if ok && (in.Now.IsZero() || !t.After(in.Now)) && !t.Before(x.notBefore) {
			if ended == nil || t.Before(*ended) {
				abandoned = false
			}
			endAt(t)
		}
	}
	if t, ok := x.fulfilled(start, in.Now); ok {
		if ended == nil || !t.After(*ended) {
			abandoned = false
		}
		endAt(t)
	}
	until := in.Now
	if ended != nil {
		until = *ended
		clock.EndedAt = ended
	}

	// Extensions.
	for _, e := range in.Extensions {
		if e.Rule != r.ID {
			continue
		}
		next, ps := c.extend(r, e, start, due)
		problems = append(problems, ps...)
		if ps == nil {
			due = next
			clock.Extended = true
			clock.Extensions = append(clock.Extensions, e)
		}
	}

	// Pauses.
	pauses := c.pauses(r.PauseIn, start, until)
	shift := func(t time.Time, total *time.Duration) time.Time {
		for _, p := range pauses {
			if p.from.After(t) {
				break
			}
			t = c.push(t, period.Unit, p)
			if total != nil {
				*total += p.to.Sub(p.from)
			}
		}
		return t
	}
	due = shift(due, &clock.Paused)
	clock.DueAt = due
	noData = calendar.MergeYears(noData, c.cal.NoData(start, due))

	// Warning.
	var warns []time.Time
	if r.WarnBefore != "" {
		if p, err := calendar.ParsePeriod(r.WarnBefore); err != nil {
			bad("", "correct the rule's warn_before in the policy", "warn_before: %v", err)
		} else {
			warns = append(warns, c.cal.Back(due, p))
		}
	}
	if r.WarnAfter != "" {
		if p, err := calendar.ParsePeriod(r.WarnAfter); err != nil {
			bad("", "correct the rule's warn_after in the policy", "warn_after: %v", err)
		} else if p.Unit == period.Unit && p.N < period.N && (p.Unit == calendar.WorkingDays || p.Unit.Clock()) {
			warns = append(warns, c.cal.Back(due, calendar.Period{N: period.N - p.N, Unit: p.Unit}))
		} else {
			w, _ := c.cal.End(start, p)
			warns = append(warns, shift(w, nil))
		}
	}
	if len(warns) > 0 {
		w := slices.MinFunc(warns, func(a, b time.Time) int { return a.Compare(b) })
		clock.WarnAt = &w
	}

	// State. A clock that a lapse state (a withdrawal) ended in time is
	// moot, not met: it is left out, so statistics do not count a withdrawn
	// complaint as answered on time. Any other end without the duty done is
	// missed and not done (duty.go).
	switch {
	case abandoned && x.moot(r, endedBy) && !ended.After(due):
		return Clock{}, false, problems
	case abandoned:
		clock.State, clock.NotDone = Missed, true
	case ended != nil && !ended.After(due):
		clock.State = Met
	case ended != nil:
		clock.State = Missed
	case in.Now.After(due):
		clock.State = Overdue
	case clock.WarnAt != nil && in.Now.After(*clock.WarnAt):
		clock.State = AtRisk
	default:
		clock.State = Pending
	}
	clock.DaysLeft = c.cal.WorkingDaysBetween(until, due)
	clock.NoData = noData
	return clock, true, problems
}

// pauses lists the stretches, clipped to [start, until], that the case spent
// in one of the states.
func (c *computer) pauses(states []string, start, until time.Time) []interval {
	if len(states) == 0 {
		return nil
	}
	var out []interval
	for i, e := range c.events {
		if !slices.Contains(states, e.To) {
			continue
		}
		end := until
		if i+1 < len(c.events) && c.events[i+1].At.Before(end) {
			end = c.events[i+1].At
		}
		from := e.At
		if from.Before(start) {
			from = start
		}
		if from.Before(end) {
			out = append(out, interval{from, end})
		}
	}
	return out
}

// push moves due later by the pause p, in the rule's unit.
func (c *computer) push(due time.Time, unit calendar.Unit, p interval) time.Time {
	if unit.Clock() {
		return c.cal.AddDuration(due, c.cal.OpenTime(p.from, p.to))
	}
	loc := c.cal.Location()
	n := 0
	for d := calendar.DateOf(p.from, loc); !d.After(calendar.DateOf(p.to, loc)); d = d.AddDays(1) {
		whole := !d.At(0, 0, 0, loc).Before(p.from) && !d.AddDays(1).At(0, 0, 0, loc).After(p.to)
		if whole && (unit != calendar.WorkingDays || c.cal.Day(d).Working) {
			n++
		}
	}
	if n == 0 {
		return due
	}
	u := calendar.CalendarDays
	if unit == calendar.WorkingDays {
		u = calendar.WorkingDays
	}
	t, _ := c.cal.End(due, calendar.Period{N: n, Unit: u})
	return t
}

// extend applies one extension to due, or says why it cannot.
func (c *computer) extend(r *policy.DeadlineRule, e Extension, start, due time.Time) (time.Time, []Problem) {
	field := func(key string) string { return fmt.Sprintf("extensions[%d]%s", e.Index, key) }
	refuse := func(key, fix, format string, args ...any) (time.Time, []Problem) {
		return due, []Problem{{Rule: r.ID, Field: field(key), Msg: fmt.Sprintf(format, args...), Fix: fix}}
	}
	if r.Extension == nil {
		return refuse("", "remove the extension, or allow one with extension: in the policy's rule", "deadline %s cannot be extended", r.ID)
	}
	if strings.TrimSpace(e.ApprovedBy) == "" {
		return refuse(".approved_by", "name who approved it, e.g. approved_by: 张某", "extension has no approver")
	}
	var next time.Time
	key := ".until"
	switch {
	case e.Until != nil && e.By == nil:
		next = c.cal.DueOn(*e.Until)
	case e.By != nil && e.Until == nil:
		key = ".by"
		next, _ = c.cal.End(due, *e.By)
	default:
		return refuse("", "give either until: YYYY-MM-DD or by: \"<N> <unit>\"", "extension needs exactly one of until and by")
	}
	if !next.After(due) {
		return refuse(key, "an extension must end after "+due.Format(time.RFC3339), "extension to %s does not extend the due time %s", next.Format(time.RFC3339), due.Format(time.RFC3339))
	}
	if r.Extension.Max != "" {
		maxP, err := calendar.ParsePeriod(r.Extension.Max)
		if err != nil {
			return refuse("", "correct the rule's extension.max in the policy", "extension.max: %v", err)
		}
		limit, _ := c.cal.End(start, maxP)
		if next.After(limit) {
			return refuse(key, "shorten it to at most "+limit.Format(time.RFC3339),
				"extension to %s exceeds the limit of %s from the start (%s)", next.Format(time.RFC3339), maxP, limit.Format(time.RFC3339))
		}
	}
	return next, nil
}
