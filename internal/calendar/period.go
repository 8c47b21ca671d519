package calendar

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/msg"
)

// Unit is the unit of a Period.
type Unit int

// Units of periods, as written in policies.
const (
	WorkingDays  Unit = iota + 1 // working_days: 工作日
	CalendarDays                 // calendar_days: 日 (自然日)
	Months                       // months: 月
	Hours                        // hours: 小时, wall clock unless business hours
	Minutes                      // minutes: 分钟, likewise
)

var unitNames = map[string]Unit{
	"working_days": WorkingDays, "working_day": WorkingDays,
	"calendar_days": CalendarDays, "calendar_day": CalendarDays,
	"months": Months, "month": Months,
	"hours": Hours, "hour": Hours,
	"minutes": Minutes, "minute": Minutes,
}

// String is the unit's name in policies ("working_days").
func (u Unit) String() string {
	switch u {
	case WorkingDays:
		return "working_days"
	case CalendarDays:
		return "calendar_days"
	case Months:
		return "months"
	case Hours:
		return "hours"
	case Minutes:
		return "minutes"
	}
	return fmt.Sprintf("Unit(%d)", int(u))
}

// Clock reports whether the unit runs on the clock (hours, minutes) rather
// than in whole days.
func (u Unit) Clock() bool { return u == Hours || u == Minutes }

// Period is a length of time as a policy writes it: "3 working_days".
type Period struct {
	N    int
	Unit Unit
}

// ParsePeriod reads "<N> <unit>", N a whole number and unit one of
// working_days, calendar_days, months, hours, minutes (or the singular).
// N is positive, or 0 for working_days and calendar_days: the same day
// (当天), and at most about 20 years (maxN). "0 days" is "0 calendar_days";
// "days" needs the 0, since "3 days" would not say which days. The error
// is a *msg.FileError without a place, for the caller to place.
func ParsePeriod(s string) (Period, error) {
	f := strings.Fields(s)
	if len(f) != 2 {
		return Period{}, msg.Errorf(msg.T(`期限 %q：写成「<数> <单位>」，如 "3 working_days"，单位用 working_days、calendar_days、months、hours 或 minutes`,
			`period %q: write "<N> <unit>", e.g. "3 working_days", with unit working_days, calendar_days, months, hours or minutes`), s)
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n < 0 || f[0][0] < '0' || f[0][0] > '9' {
		return Period{}, msg.Errorf(msg.T(`期限 %q：%q 不是整数；写成如 "3 working_days"`, `period %q: %q is not a whole number; write e.g. "3 working_days"`), s, f[0])
	}
	unit := strings.ToLower(f[1])
	if unit == "days" || unit == "day" {
		if n != 0 {
			return Period{}, msg.Errorf(msg.T(`期限 %q：要说明是哪种天："%d working_days"（工作日）或 "%d calendar_days"（自然日）`, `period %q: say which days: "%d working_days" or "%d calendar_days"`), s, n, n)
		}
		unit = "calendar_days"
	}
	u, ok := unitNames[unit]
	if !ok {
		return Period{}, msg.Errorf(msg.T("期限 %q：单位 %q 无法识别；用 working_days、calendar_days、months、hours 或 minutes", "period %q: unknown unit %q; use working_days, calendar_days, months, hours or minutes"), s, f[1])
	}
	if n == 0 && u != WorkingDays && u != CalendarDays {
		return Period{}, msg.Errorf(msg.T(`期限 %q：只有按天算的期限可以是 0（"0 calendar_days"，当天）；%s 要写正数`, `period %q: only day periods can be 0 ("0 calendar_days", the same day); write a positive number of %s`), s, u)
	}
	if n > maxN[u] {
		return Period{}, msg.Errorf(msg.T("期限 %q 太长：最多 %d %s（20 年）", "period %q is too long: at most %d %s (20 years)"), s, maxN[u], u)
	}
	return Period{N: n, Unit: u}, nil
}

// ParsePeriodOrDays reads a period as ParsePeriod does, where a bare
// number ("2") means that many working days, the unit clerks count in.
func ParsePeriodOrDays(s string) (Period, error) {
	if _, err := fmt.Sscanf(s, "%d", new(int)); err == nil && !strings.Contains(s, " ") {
		s += " working_days"
	}
	return ParsePeriod(s)
}

// maxN is the longest period of each unit, about 20 years: no procedure
// counts a longer one, so a longer N is a typo. Within it every count is
// exact, well inside maxScan, and hours cannot overflow a time.Duration
// into the past.
var maxN = map[Unit]int{
	WorkingDays: 5000, CalendarDays: 20 * 366, Months: 20 * 12,
	Hours: 20 * 366 * 24, Minutes: 20 * 366 * 24 * 60,
}

// String writes p as a policy would: "3 working_days".
func (p Period) String() string { return fmt.Sprintf("%d %s", p.N, p.Unit) }

// Zh writes p in Chinese for people: "3个工作日", "30日", "3个月", "当天".
func (p Period) Zh() string {
	if p.N == 0 {
		return "当天"
	}
	switch p.Unit {
	case WorkingDays:
		return fmt.Sprintf("%d个工作日", p.N)
	case CalendarDays:
		return fmt.Sprintf("%d日", p.N)
	case Months:
		return fmt.Sprintf("%d个月", p.N)
	case Hours:
		return fmt.Sprintf("%d小时", p.N)
	case Minutes:
		return fmt.Sprintf("%d分钟", p.N)
	}
	return p.String()
}

// Duration is the length of an hour or minute period, 0 for day periods.
func (p Period) Duration() time.Duration {
	switch p.Unit {
	case Hours:
		return time.Duration(p.N) * time.Hour
	case Minutes:
		return time.Duration(p.N) * time.Minute
	}
	return 0
}

// maxScan bounds every walk over days, so that overrides marking years of
// rest days cannot make a computation run forever.
const maxScan = 100 * 366

// End is the due time of period p started at start, counted as the package
// doc says, and the years (sorted) the computation touched for which the
// national calendar has no data.
func (c *Calendar) End(start time.Time, p Period) (due time.Time, noData []int) {
	start = start.In(c.loc)
	switch {
	case p.Unit.Clock():
		due = c.AddDuration(start, p.Duration())
	case p.N == 0:
		due = c.sameDay(start, p.Unit)
	case p.Unit == WorkingDays:
		due = c.EndOfDay(c.LastDay(start, p))
	default:
		due = c.DueOn(c.LastDay(start, p))
	}
	return due, c.NoData(start, due)
}

// LastDay is the nominal last day of the day period p started at start:
// the N-th working day after the start's date, or the date N days or
// months after it, before any move off a rest day (DueOn makes that
// move). Pauses of calendar-day and month clocks lengthen this day.
func (c *Calendar) LastDay(start time.Time, p Period) Date {
	d0 := DateOf(start, c.loc)
	switch p.Unit {
	case WorkingDays:
		return c.workingDayAfter(d0, p.N)
	case Months:
		return d0.AddMonths(p.N)
	}
	return d0.AddDays(p.N)
}

// sameDay is the end of a 0-day period (当天) started at start: the end of
// the start's date; for working days, of the next working day when that
// date is a rest day. With business hours a start at or after the day's
// closing, or on a closed day, belongs to the next working day's business.
func (c *Calendar) sameDay(start time.Time, u Unit) time.Time {
	d := DateOf(start, c.loc)
	if c.hours != nil {
		if !c.working(d) || !start.Before(c.EndOfDay(d)) {
			d = c.workingDayAfter(d, 1)
		}
		return c.EndOfDay(d)
	}
	if u == WorkingDays {
		d = c.nextWorkingDay(d)
	}
	return c.EndOfDay(d)
}

// NoData lists, sorted, the years from a's to b's (in either order) for
// which the national calendar has no data.
func (c *Calendar) NoData(a, b time.Time) []int {
	ya, yb := a.In(c.loc).Year(), b.In(c.loc).Year()
	if yb < ya {
		ya, yb = yb, ya
	}
	var years []int
	for y := ya; y <= yb; y++ {
		if !c.HasData(y) {
			years = append(years, y)
		}
	}
	return years
}

// MergeYears merges sorted year lists, without duplicates; callers use it
// to collect the NoData of several computations.
func MergeYears(lists ...[]int) []int {
	var all []int
	for _, l := range lists {
		all = append(all, l...)
	}
	slices.Sort(all)
	return slices.Compact(all)
}

// Back is the moment from which only p remains until due: the end of the
// N-th working day before due's day for working days, the end of the day N
// days or months earlier for calendar days and months, and due minus the
// duration (of opening hours, with business hours) for hours and minutes.
// It gives a warning time from a rule's warn_before.
func (c *Calendar) Back(due time.Time, p Period) time.Time {
	due = due.In(c.loc)
	d := DateOf(due, c.loc)
	switch p.Unit {
	case WorkingDays:
		n := 0
		for i := 0; i < maxScan && n < p.N; i++ {
			d = d.AddDays(-1)
			if c.working(d) {
				n++
			}
		}
		return c.EndOfDay(d)
	case CalendarDays:
		return c.EndOfDay(d.AddDays(-p.N))
	case Months:
		return c.EndOfDay(d.AddMonths(-p.N))
	}
	return c.SubDuration(due, p.Duration())
}

// EndOfDay is the last moment of d that counts as on time: 23:59:59, or the
// closing time with business hours (the end of the day's last period). A
// day open until 24:00 ends at 23:59:59 as well: 24:00 is the next day's
// first instant, a rest day's perhaps.
func (c *Calendar) EndOfDay(d Date) time.Time {
	if c.hours != nil {
		if cl := c.hours.closing(d.Weekday()); cl < 24*3600 {
			return d.At(0, 0, cl, c.loc)
		}
	}
	return d.At(23, 59, 59, c.loc)
}

// DueOn is the due time of a period whose last day is d: the end of d, or
// of the next working day when d is a rest day.
func (c *Calendar) DueOn(d Date) time.Time { return c.EndOfDay(c.nextWorkingDay(d)) }

// nextWorkingDay is d when it is a working day, else the first after it.
func (c *Calendar) nextWorkingDay(d Date) Date {
	for i := 0; i < maxScan && !c.working(d); i++ {
		d = d.AddDays(1)
	}
	return d
}

// workingDayAfter is the n-th working day after d (d itself when n <= 0).
func (c *Calendar) workingDayAfter(d Date, n int) Date {
	for i := 0; i < maxScan && n > 0; i++ {
		d = d.AddDays(1)
		if c.working(d) {
			n--
		}
	}
	return d
}

// WorkingDaysBetween counts the working days strictly after a's date up to
// and including b's date, negated when b's date is before a's: "3 working
// days left" from now to a due time, or "-2" when it passed two working
// days ago.
func (c *Calendar) WorkingDaysBetween(a, b time.Time) int {
	da, db := DateOf(a, c.loc), DateOf(b, c.loc)
	sign := 1
	if db.Before(da) {
		da, db, sign = db, da, -1
	}
	// Count Monday to Friday arithmetically, then correct for the few
	// exceptions in the range: a case late for a year would otherwise
	// look up every one of its days, for every clock, on every run.
	lo, hi := dayNumber(da)+1, dayNumber(db)+1 // the days [lo, hi)
	n := weekdaysBefore(hi) - weekdaysBefore(lo)
	ex := c.exceptions()
	i, _ := slices.BinarySearchFunc(ex, lo, func(e exception, day int64) int { return cmp.Compare(e.day, day) })
	for ; i < len(ex) && ex[i].day < hi; i++ {
		if ex[i].work {
			n++
		} else {
			n--
		}
	}
	return sign * int(n)
}

// exception is a day whose working status differs from the Monday to
// Friday rule: a holiday on a weekday (work false) or a working weekend
// day (work true), by day number.
type exception struct {
	day  int64
	work bool
}

// exceptions lists, sorted, the days on which working disagrees with the
// weekday rule, every source of days merged.
func (c *Calendar) exceptions() []exception {
	ex := c.ex
	ex.once.Do(func() {
		add := func(d Date, work bool) {
			if n := dayNumber(d); work != isWeekday(n) {
				ex.list = append(ex.list, exception{n, work})
			}
		}
		seen := map[Date]bool{}
		c.listedDays(func(d Date) {
			if !seen[d] {
				seen[d] = true
				add(d, c.working(d))
			}
		})
		slices.SortFunc(ex.list, func(a, b exception) int { return cmp.Compare(a.day, b.day) })
	})
	return ex.list
}

// dayNumber is the number of days from 1970-01-01 to d.
func dayNumber(d Date) int64 { return d.utc().Unix() / 86400 }

// weekdaysBefore counts the Mondays to Fridays before day number n, from
// a fixed Monday: only differences of it mean anything. Day 0 was a
// Thursday, so n+3 is a multiple of 7 on Mondays.
func weekdaysBefore(n int64) int64 {
	s := n + 3
	q, r := s/7, s%7
	if r < 0 {
		q, r = q-1, r+7
	}
	return 5*q + min(r, 5)
}

func isWeekday(n int64) bool { return weekdaysBefore(n+1) != weekdaysBefore(n) }

// windows is the opening periods of d as instants: a working day's, or a
// rest-day desk's on an ordinary rest day; none on a holiday.
func (c *Calendar) windows(d Date) [][2]time.Time {
	var spans []Span
	switch wd := d.Weekday(); {
	case c.working(d):
		spans = c.hours.On(wd)
	case c.hours.OnRestDay(wd) != nil && c.ordinaryRestDay(d):
		spans = c.hours.OnRestDay(wd)
	default:
		return nil
	}
	out := make([][2]time.Time, len(spans))
	for i, sp := range spans {
		out[i] = [2]time.Time{d.At(0, 0, sp.From, c.loc), d.At(0, 0, sp.To, c.loc)}
	}
	return out
}

// ordinaryRestDay reports whether d, a rest day, is a plain weekend day
// rather than a holiday of the national calendar or of the office.
func (c *Calendar) ordinaryRestDay(d Date) bool {
	day := c.Day(d)
	return day.Holiday == "" && !day.Override
}

// AddDuration is t plus dur on the wall clock, or, with business hours,
// the moment when dur of opening time on working days has passed since t.
func (c *Calendar) AddDuration(t time.Time, dur time.Duration) time.Time {
	t = t.In(c.loc)
	if c.hours == nil || dur <= 0 {
		return t.Add(dur)
	}
	d := DateOf(t, c.loc)
	for i := 0; i < maxScan; i++ {
		for _, w := range c.windows(d) {
			s := t
			if s.Before(w[0]) {
				s = w[0]
			}
			if s.Before(w[1]) {
				avail := w[1].Sub(s)
				if dur <= avail {
					return s.Add(dur)
				}
				dur -= avail
			}
		}
		d = d.AddDays(1)
		t = d.At(0, 0, 0, c.loc)
	}
	return t
}

// SubDuration is the inverse of AddDuration: the moment dur (of opening
// time, with business hours) before t.
func (c *Calendar) SubDuration(t time.Time, dur time.Duration) time.Time {
	t = t.In(c.loc)
	if c.hours == nil || dur <= 0 {
		return t.Add(-dur)
	}
	d := DateOf(t, c.loc)
	for i := 0; i < maxScan; i++ {
		ws := c.windows(d)
		for j := len(ws) - 1; j >= 0; j-- {
			w := ws[j]
			e := t
			if e.After(w[1]) {
				e = w[1]
			}
			if e.After(w[0]) {
				avail := e.Sub(w[0])
				if dur <= avail {
					return e.Add(-dur)
				}
				dur -= avail
			}
		}
		t = d.At(0, 0, 0, c.loc) // 24:00 of the day before: a period may end there
		d = d.AddDays(-1)
	}
	return t
}

// OpenTime is how much of the time from a to b counts: all of it on the
// wall clock, or, with business hours, only opening hours on working days.
// It is negative when b is before a.
func (c *Calendar) OpenTime(a, b time.Time) time.Duration {
	if b.Before(a) {
		return -c.OpenTime(b, a)
	}
	if c.hours == nil {
		return b.Sub(a)
	}
	var sum time.Duration
	for d := DateOf(a, c.loc); !d.After(DateOf(b, c.loc)); d = d.AddDays(1) {
		for _, w := range c.windows(d) {
			s, e := a, b
			if s.Before(w[0]) {
				s = w[0]
			}
			if e.After(w[1]) {
				e = w[1]
			}
			if s.Before(e) {
				sum += e.Sub(s)
			}
		}
	}
	return sum
}
