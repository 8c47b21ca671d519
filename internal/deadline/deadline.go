package deadline

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/msg"
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
	// PausedSince is when the pause the case is in at Now began; nil when
	// the clock runs or has ended. A paused clock is pending, never
	// at_risk or overdue, and DueAt is where it ends if it resumes at Now.
	PausedSince *time.Time
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
	// Extensible is true when the rule allows a further extension: it has
	// extension:, and the due time has not reached extension.max from the
	// start (a fix never suggests an extension that would be refused).
	Extensible bool
}

// Late reports whether t is past the clock's end. The end is exclusive:
// DueAt is the last second on time (23:59:59, the closing time), and
// anything within it, 23:59:59.5 too, is on time.
func (c Clock) Late(t time.Time) bool { return !t.Before(exclusiveEnd(c.DueAt)) }

// exclusiveEnd is the first instant after the due second.
func exclusiveEnd(due time.Time) time.Time { return due.Truncate(time.Second).Add(time.Second) }

// Distance says how far the due time is from now, in the clock's own
// terms and in lang ("zh" or "en"): hours and minutes for hour clocks
// ("2 h 5 min", "2 小时 5 分钟"), working days otherwise ("3 working days",
// "3 个工作日"). late is true when the due time has passed; the caller
// says "left" or "late" (还剩, 已超期).
func (c Clock) Distance(now time.Time, lang string) (text string, late bool) {
	w := distanceWords[0]
	if lang == "en" {
		w = distanceWords[1]
	}
	ref := now
	if c.EndedAt != nil {
		ref = *c.EndedAt
	}
	late = c.Late(ref)
	if c.Period.Unit.Clock() {
		d := c.DueAt.Sub(ref)
		if d < 0 {
			d = -d
		}
		d = d.Round(time.Minute)
		h, m := int(d.Hours()), int(d.Minutes())%60
		switch {
		case h == 0:
			return fmt.Sprintf(w.min, m), late
		case m == 0:
			return fmt.Sprintf(w.hours, h), late
		}
		return fmt.Sprintf(w.hoursMin, h, m), late
	}
	n := c.DaysLeft
	if n < 0 {
		n = -n
	}
	if n == 1 {
		return w.oneDay, late
	}
	return fmt.Sprintf(w.days, n), late
}

// distanceWords are Distance's words, Chinese then English.
var distanceWords = [2]struct{ min, hours, hoursMin, oneDay, days string }{
	{"%d 分钟", "%d 小时", "%d 小时 %d 分钟", "1 个工作日", "%d 个工作日"},
	{"%d min", "%d h", "%d h %d min", "1 working day", "%d working days"},
}

// Problem is something wrong with a case's or a policy's deadlines that
// Compute had to skip: a refused extension, an unreadable start field, a
// condition that failed.
type Problem struct {
	Rule string
	// Field is the case field at fault ("extensions[0].until"); empty for
	// a problem of the policy.
	Field string
	// Msg says what is wrong and Fix how to repair it, in both languages.
	Msg, Fix msg.Text
}

// Error formats the problem as one line, in English.
func (p Problem) Error() string {
	s := "deadline " + p.Rule
	if p.Field != "" {
		s += ": " + p.Field
	}
	s += ": " + p.Msg.En
	if p.Fix.En != "" {
		s += " (" + p.Fix.En + ")"
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
	clocks, problems, _ := ComputeSettled(in)
	return clocks, problems
}

// ComputeSettled is Compute, and reports whether the clocks are settled:
// whether any later Now gives the same clocks and problems. They are when
// every clock has ended and no event or recorded time that Compute
// compared with Now lies after it; Now moving on then changes nothing that
// is compared with it. A caller may keep settled clocks, or what it
// derived from them, for every later moment.
func ComputeSettled(in Input) ([]Clock, []Problem, bool) {
	clocks, problems, settled, _ := ComputeUntil(in)
	return clocks, problems, settled
}

// ComputeUntil is ComputeSettled, and says until when clocks that are not
// settled hold: every Now in [in.Now, until) gives the same clocks and
// problems. until is the first moment after in.Now at which a comparison
// Compute made with Now comes out otherwise: an event, a stop or report
// time recorded for later, a running clock's warning or due time, or the
// next midnight, when the working days left change. It is the zero time
// when nothing is known to hold past in.Now itself (a paused clock, whose
// due time moves with Now; an hour clock, whose distance does; a status
// no commit recorded, which enters at Now), and when settled.
func ComputeUntil(in Input) ([]Clock, []Problem, bool, time.Time) {
	var problems []Problem
	if in.Policy == nil {
		return nil, []Problem{{Msg: msg.T("没有政策", "no policy"), Fix: msg.T("先加载案件的政策", "load the case's policy first")}}, false, time.Time{}
	}
	cal := in.Calendar
	if cal == nil {
		var err error
		if cal, err = CalendarFor(in.Policy); err != nil {
			problems = append(problems, Problem{Msg: msg.Same(err.Error()), Fix: msg.T("更正政策的 timezone、calendar 或 business_hours", "correct the policy's timezone, calendar or business_hours")})
		}
	}
	// A working-tree status that no commit recorded enters at Now (see
	// timeline), and an event after Now enters later.
	h := &horizon{now: in.Now}
	if in.Now.IsZero() || len(in.Events) > 0 && in.Status != "" && in.Events[len(in.Events)-1].To != in.Status {
		h.moving()
	}
	for _, e := range in.Events {
		if e.At.After(in.Now) {
			h.at(e.At)
		}
	}
	c := computer{in: &in, cal: cal, events: timeline(in), terminal: map[string]bool{}, h: h}
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
			problems = append(problems, Problem{Rule: r.ID, Msg: msg.T(fmt.Sprintf("条件 %q：%v", r.When, err), fmt.Sprintf("condition %q: %v", r.When, err)),
				Fix: msg.T("更正政策中该规则的 when", "correct the rule's when in the policy")})
			continue
		}
		if ok {
			chosen[r.ID] = r
		}
	}

	for _, e := range in.Extensions {
		if !seen[e.Rule] {
			problems = append(problems, Problem{Rule: e.Rule, Field: fmt.Sprintf("extensions[%d].rule", e.Index),
				Msg: msg.T(fmt.Sprintf("政策 %s 没有时限 %q", in.Policy.ID, e.Rule), fmt.Sprintf("policy %s has no deadline %q", in.Policy.ID, e.Rule)),
				Fix: msg.T("可用："+strings.Join(order, "、"), "use one of: "+strings.Join(order, ", "))})
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
	settled := !h.future
	for _, cl := range clocks {
		if cl.EndedAt == nil || cl.PausedSince != nil {
			settled = false
		}
	}
	if settled || h.still {
		return clocks, problems, settled, time.Time{}
	}
	return clocks, problems, false, h.next
}

// horizon is what the comparisons of one Compute with Now found: whether
// a later Now may give other clocks (future), and from when on (next, the
// earliest such moment; still when that is Now itself).
type horizon struct {
	now    time.Time
	future bool
	still  bool
	next   time.Time
}

// at notes that a comparison with Now comes out otherwise once Now reaches t.
func (h *horizon) at(t time.Time) {
	h.future = true
	if !t.After(h.now) {
		h.still = true
		return
	}
	if h.next.IsZero() || t.Before(h.next) {
		h.next = t
	}
}

// moving notes a result that changes as soon as Now moves.
func (h *horizon) moving() { h.future, h.still = true, true }

// running notes when a clock still running at Now changes as Now moves
// on: its state at the warning and the due time, its working days left at
// midnight; an hour clock's distance and a paused clock's due time with
// Now itself.
func (c *computer) running(clock Clock, loc *time.Location) {
	if clock.PausedSince != nil || clock.Period.Unit.Clock() {
		c.h.moving()
		return
	}
	if clock.WarnAt != nil && !c.in.Now.After(*clock.WarnAt) {
		c.h.at(clock.WarnAt.Add(time.Nanosecond))
	}
	if end := exclusiveEnd(clock.DueAt); end.After(c.in.Now) {
		c.h.at(end)
	}
	c.h.at(calendar.DateOf(c.in.Now, loc).AddDays(1).At(0, 0, 0, loc))
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
	// byHours caches the calendars of rules' named hours.
	byHours map[string]*calendar.Calendar
	// h gathers the times compared with Now that lie after it, and notes
	// when Now itself entered the timeline: a later Now may then give
	// other clocks. It is shared with the computers of a case's cycles.
	h *horizon
}

// interval is a stretch of time the case spent in a pause state; open
// when no later event ended it (it runs to the clock's end, or Now).
type interval struct {
	from, to time.Time
	open     bool
}

// calendarOf is the calendar a rule counts on: the policy's, or the same
// days with the rule's own hours (none: the wall clock, days to 24:00).
func (c *computer) calendarOf(r *policy.DeadlineRule) (*calendar.Calendar, error) {
	switch r.Hours {
	case "":
		return c.cal, nil
	case policy.HoursNone:
		return c.cal.WithHours(nil), nil
	}
	if cal, ok := c.byHours[r.Hours]; ok {
		return cal, nil
	}
	bh, ok := c.in.Policy.Hours[r.Hours]
	if !ok {
		return c.cal, fmt.Errorf("policy %s has no hours %q", c.in.Policy.ID, r.Hours)
	}
	h, err := bh.OpeningHours()
	if err != nil {
		return c.cal, fmt.Errorf("hours %s: %w", r.Hours, err)
	}
	cal := c.cal.WithHours(h)
	if c.byHours == nil {
		c.byHours = map[string]*calendar.Calendar{}
	}
	c.byHours[r.Hours] = cal
	return cal, nil
}

func (c *computer) clock(r *policy.DeadlineRule, x span) (Clock, bool, []Problem) {
	in := c.in
	var problems []Problem
	bad := func(field string, fix, m msg.Text) {
		problems = append(problems, Problem{Rule: r.ID, Field: field, Msg: m, Fix: fix})
	}
	period, err := calendar.ParsePeriod(cmp.Or(x.period, r.Duration))
	if err != nil {
		bad("", msg.T("更正政策中该规则的 duration", "correct the rule's duration in the policy"), msg.T(fmt.Sprintf("时长（duration）：%v", err), fmt.Sprintf("duration: %v", err)))
		return Clock{}, false, problems
	}
	cal, err := c.calendarOf(r)
	if err != nil {
		bad("", msg.T("写政策在 hours: 下声明的工作时间名称，或 none", "name hours the policy declares under hours:, or none"), msg.Same(err.Error()))
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
		t, ok, err := fieldTime(in.Fields, r.Start.Field, cal.Location())
		if err != nil {
			bad(r.Start.Field, rfc3339Fix, msg.T(fmt.Sprintf("起算时间：%v", err), fmt.Sprintf("start: %v", err)))
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
		bad("", msg.T("给规则写上 start: received、state 或 field", "give the rule start: received, state or field"), msg.T("规则没有起算点（start）", "the rule has no start"))
		return Clock{}, false, problems
	}
	start = start.In(cal.Location())
	if start.Before(x.notBefore) {
		return Clock{}, false, problems // started in an earlier cycle
	}

	clock := Clock{Rule: r.ID, Zh: r.Zh, En: r.En, Basis: r.Basis, Start: start, Period: period}
	due, noData := cal.End(start, period)
	// nominal is the last day of a day clock before the move off a rest
	// day: pauses of calendar-day and month clocks lengthen it, and the
	// move is made after.
	nominal := calendar.DateOf(due, cal.Location())
	if !period.Unit.Clock() {
		nominal = cal.LastDay(start, period)
	}

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
		t, ok, err := fieldTime(in.Fields, r.StopField, cal.Location())
		if err != nil {
			bad(r.StopField, rfc3339Fix, msg.T(fmt.Sprintf("终止时间：%v", err), fmt.Sprintf("stop: %v", err)))
		}
		if ok && t.After(in.Now) {
			c.h.at(t)
		}
		if ok && (in.Now.IsZero() || !t.After(in.Now)) && !t.Before(x.notBefore) {
			if ended == nil || t.Before(*ended) {
				abandoned = false
			}
			endAt(t)
		}
	}
	for _, t := range x.reports {
		if t.After(in.Now) {
			c.h.at(t)
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
		next, ps := c.extend(cal, r, e, start, due, nominal)
		problems = append(problems, ps...)
		if ps == nil {
			switch {
			case e.Until != nil:
				nominal = *e.Until
			case e.By.Unit.Clock():
				nominal = calendar.DateOf(next, cal.Location())
			default:
				nominal = cal.LastDay(nominal.At(12, 0, 0, cal.Location()), *e.By)
			}
			e.DueBefore, e.DueAfter = due, next
			due = next
			clock.Extended = true
			clock.Extensions = append(clock.Extensions, e)
		}
	}

	clock.Extensible = r.Extension != nil && !atCap(cal, r, start, due)

	// Pauses. A pause that begins at or after the clock's end does not
	// rescue it.
	pauses := c.pauses(r.PauseIn, start, until)
	// shift moves t, the end of the period per counted from the start, by
	// the pauses that began before it.
	shift := func(t time.Time, per calendar.Period, last calendar.Date, total *time.Duration) time.Time {
		for _, p := range pauses {
			if !p.from.Before(exclusiveEnd(t)) {
				break
			}
			t = resume(cal, per, start, t, &last, p)
			if total != nil {
				*total += p.to.Sub(p.from)
				if p.open && ended == nil {
					clock.PausedSince = &p.from
				}
			}
		}
		return t
	}
	due = shift(due, period, nominal, &clock.Paused)
	clock.DueAt = due
	noData = calendar.MergeYears(noData, cal.NoData(start, due))

	// Warning.
	var warns []time.Time
	if r.WarnBefore != "" {
		if p, err := calendar.ParsePeriod(r.WarnBefore); err != nil {
			bad("", msg.T("更正政策中该规则的 warn_before", "correct the rule's warn_before in the policy"), msg.T(fmt.Sprintf("warn_before：%v", err), fmt.Sprintf("warn_before: %v", err)))
		} else {
			warns = append(warns, cal.Back(due, p))
		}
	}
	if r.WarnAfter != "" {
		if p, err := calendar.ParsePeriod(r.WarnAfter); err != nil {
			bad("", msg.T("更正政策中该规则的 warn_after", "correct the rule's warn_after in the policy"), msg.T(fmt.Sprintf("warn_after：%v", err), fmt.Sprintf("warn_after: %v", err)))
		} else if p.Unit == period.Unit && p.N < period.N && (p.Unit == calendar.WorkingDays || p.Unit.Clock()) {
			warns = append(warns, cal.Back(due, calendar.Period{N: period.N - p.N, Unit: p.Unit}))
		} else {
			// Moved as a clock of p would be: a warning in hours by the
			// hours paused, not by days.
			w, _ := cal.End(start, p)
			warns = append(warns, shift(w, p, cal.LastDay(start, p), nil))
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
	case abandoned && x.moot(r, endedBy) && !clock.Late(*ended):
		return Clock{}, false, problems
	case abandoned:
		clock.State, clock.NotDone = Missed, true
	case ended != nil && !clock.Late(*ended):
		clock.State = Met
	case ended != nil:
		clock.State = Missed
	case clock.PausedSince != nil:
		clock.State = Pending
	case clock.Late(in.Now):
		clock.State = Overdue
	case clock.WarnAt != nil && in.Now.After(*clock.WarnAt):
		clock.State = AtRisk
	default:
		clock.State = Pending
	}
	clock.DaysLeft = cal.WorkingDaysBetween(until, due)
	clock.NoData = noData
	if ended == nil && !in.Now.IsZero() {
		c.running(clock, cal.Location())
	}
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
			out = append(out, interval{from: from, to: end, open: i+1 == len(c.events)})
		}
	}
	return out
}

// resume is the due time of a clock due at due after the pause p, with
// exactly what was left when the pause began (see the package doc):
//
//   - hour and minute clocks, and working-day clocks with business hours:
//     the time left (opening time, with business hours) from the pause's
//     start to due runs again from its end; for working days only the
//     time after the start's day is the clock's, so the part of a pause
//     before it is not counted (business-time precision: a pause from the
//     day of receipt until 10:00 the next working day costs 1.5 open hours
//     with 08:30–17:30, not that whole day);
//   - working-day clocks without business hours count in days: the
//     working days left, the pause's first day included, run again from
//     its last day included, so the part of a day left when the pause
//     began is a day on the day it ends;
//   - without business hours, a pause that begins before the first
//     working day after the start's date (on the day the clock started,
//     or a rest day after it) hands the start's role over to the day it
//     ends: neither is counted (Civil Code 第二百零一条), and the days left
//     are counted after the day it ends;
//   - calendar-day and month clocks: the nominal last day moves by the
//     days from the pause's first day to its last, before the move off a
//     rest day;
//   - a same-day (0-day) clock is due the day the pause ends.
func resume(cal *calendar.Calendar, period calendar.Period, start, due time.Time, nominal *calendar.Date, p interval) time.Time {
	loc := cal.Location()
	first, last := calendar.DateOf(p.from, loc), calendar.DateOf(p.to, loc)
	// A working-day clock's counted days begin with the first working day
	// after the start's date. A pause that begins before it, on the start's
	// day or a rest day after (received Saturday, paused Sunday), has taken
	// nothing from the clock: it hands the start's role to the day it ends.
	onStartDay := first.Before(cal.LastDay(start, calendar.Period{N: 1, Unit: calendar.WorkingDays}))
	noon := func(d calendar.Date) time.Time { return d.At(12, 0, 0, loc) }
	switch {
	case period.N == 0 && !period.Unit.Clock():
		t, _ := cal.End(p.to, period)
		*nominal = calendar.DateOf(t, loc)
		return t
	case period.Unit.Clock():
		return cal.AddDuration(p.to, cal.OpenTime(p.from, due))
	case period.Unit == calendar.WorkingDays && cal.OpeningHours() != nil:
		cal = cal.WithHours(cal.OpeningHours().WorkingDaysOnly()) // a rest-day desk is no working day
		// The clock's time begins after the start's day (第二百零一条):
		// the part of a pause before that took nothing from it.
		begin := cal.EndOfDay(calendar.DateOf(start, loc))
		return cal.AddDuration(later(p.to, begin), cal.OpenTime(later(p.from, begin), due))
	case period.Unit == calendar.WorkingDays:
		if !onStartDay {
			first, last = first.AddDays(-1), last.AddDays(-1)
		}
		left := cal.WorkingDaysBetween(noon(first), due)
		t, _ := cal.End(noon(last), calendar.Period{N: left, Unit: calendar.WorkingDays})
		return t
	}
	if first.After(*nominal) {
		// Paused after the nominal end, in the days before a rest-day
		// move: what is left is the rest of that move.
		*nominal = first
	}
	*nominal = nominal.AddDays(first.DaysUntil(last))
	return cal.DueOn(*nominal)
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// atCap reports whether due has reached the rule's extension.max counted
// from start, so that no extension could move it further.
func atCap(cal *calendar.Calendar, r *policy.DeadlineRule, start, due time.Time) bool {
	limit, _, ok, err := extensionLimit(cal, r, start)
	return err == nil && ok && !due.Before(limit)
}

// extensionLimit is the latest due time the rule's extension.max allows,
// counted from start; false when the rule sets no max.
func extensionLimit(cal *calendar.Calendar, r *policy.DeadlineRule, start time.Time) (time.Time, calendar.Period, bool, error) {
	if r.Extension == nil || r.Extension.Max == "" {
		return time.Time{}, calendar.Period{}, false, nil
	}
	maxP, err := calendar.ParsePeriod(r.Extension.Max)
	if err != nil {
		return time.Time{}, calendar.Period{}, false, err
	}
	limit, _ := cal.End(start, maxP)
	return limit, maxP, true, nil
}

// extend applies one extension to due, or says why it cannot.
//
// A `by` extension in days or months counts from the nominal last day
// (before the move off a rest day), as pauses do: 60 days ending on a
// holiday and extended by 30 end where 90 days would, so the extension
// the rule allows is never refused by the rule's own cap.
func (c *computer) extend(cal *calendar.Calendar, r *policy.DeadlineRule, e Extension, start, due time.Time, nominal calendar.Date) (time.Time, []Problem) {
	field := func(key string) string { return fmt.Sprintf("extensions[%d]%s", e.Index, key) }
	refuse := func(key string, fix, m msg.Text) (time.Time, []Problem) {
		return due, []Problem{{Rule: r.ID, Field: field(key), Msg: m, Fix: fix}}
	}
	if r.Extension == nil {
		return refuse("", msg.T("删除该延期，或在政策的规则中用 extension: 允许延期", "remove the extension, or allow one with extension: in the policy's rule"),
			msg.T(fmt.Sprintf("时限 %s 不能延期", r.ID), fmt.Sprintf("deadline %s cannot be extended", r.ID)))
	}
	if strings.TrimSpace(e.ApprovedBy) == "" {
		return refuse(".approved_by", approverFix, noApprover)
	}
	var next time.Time
	key := ".until"
	switch {
	case e.Until != nil && e.By == nil:
		next = cal.DueOn(*e.Until)
	case e.By != nil && e.Until == nil:
		key = ".by"
		if e.By.Unit.Clock() {
			next, _ = cal.End(due, *e.By)
		} else {
			next = cal.DueOn(cal.LastDay(nominal.At(12, 0, 0, cal.Location()), *e.By))
		}
	default:
		return refuse("", untilOrByFix, untilOrBy)
	}
	loc := cal.Location()
	if !next.After(due) {
		args := msg.Args{"next": msg.At(next, loc), "due": msg.At(due, loc)}
		return refuse(key, msg.T("延期必须晚于 {due} 结束", "an extension must end after {due}").With(args),
			msg.T("延期至 {next} 并未延后截止时间 {due}", "extension to {next} does not extend the due time {due}").With(args))
	}
	limit, maxP, capped, err := extensionLimit(cal, r, start)
	if err != nil {
		return refuse("", msg.T("更正政策中该规则的 extension.max", "correct the rule's extension.max in the policy"), msg.T(fmt.Sprintf("extension.max：%v", err), fmt.Sprintf("extension.max: %v", err)))
	}
	if capped && next.After(limit) {
		args := msg.Args{"next": msg.At(next, loc), "max": maxP, "limit": msg.At(limit, loc)}
		return refuse(key, msg.T("缩短到不晚于 {limit}", "shorten it to at most {limit}").With(args),
			msg.T("延期至 {next}，超过了自起算起 {max} 的上限（{limit}）", "extension to {next} exceeds the limit of {max} from the start ({limit})").With(args))
	}
	return next, nil
}
