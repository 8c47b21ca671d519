package calendar

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
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

// ParsePeriod reads "<N> <unit>", N a positive whole number and unit one of
// working_days, calendar_days, months, hours, minutes (or the singular).
func ParsePeriod(s string) (Period, error) {
	f := strings.Fields(s)
	if len(f) != 2 {
		return Period{}, fmt.Errorf("period %q: write \"<N> <unit>\", e.g. \"3 working_days\", with unit working_days, calendar_days, months, hours or minutes", s)
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n <= 0 {
		return Period{}, fmt.Errorf("period %q: %q is not a positive whole number; write e.g. \"3 working_days\"", s, f[0])
	}
	u, ok := unitNames[strings.ToLower(f[1])]
	if !ok {
		return Period{}, fmt.Errorf("period %q: unknown unit %q; use working_days, calendar_days, months, hours or minutes", s, f[1])
	}
	return Period{N: n, Unit: u}, nil
}

// String writes p as a policy would: "3 working_days".
func (p Period) String() string { return fmt.Sprintf("%d %s", p.N, p.Unit) }

// Zh writes p in Chinese for people: "3个工作日", "30日", "3个月".
func (p Period) Zh() string {
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
	d0 := DateOf(start, c.loc)
	switch p.Unit {
	case WorkingDays:
		due = c.EndOfDay(c.workingDayAfter(d0, p.N))
	case CalendarDays:
		due = c.DueOn(d0.AddDays(p.N))
	case Months:
		due = c.DueOn(d0.AddMonths(p.N))
	default:
		due = c.AddDuration(start, p.Duration())
	}
	return due, c.NoData(start, due)
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
// closing time with business hours.
func (c *Calendar) EndOfDay(d Date) time.Time {
	if c.hasHours {
		return d.At(0, 0, c.close, c.loc)
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
	c.exOnce.Do(func() {
		add := func(d Date, work bool) {
			if n := dayNumber(d); work != isWeekday(n) {
				c.except = append(c.except, exception{n, work})
			}
		}
		seen := map[Date]bool{}
		c.listedDays(func(d Date) {
			if !seen[d] {
				seen[d] = true
				add(d, c.working(d))
			}
		})
		slices.SortFunc(c.except, func(a, b exception) int { return cmp.Compare(a.day, b.day) })
	})
	return c.except
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

// window is the opening hours of d.
func (c *Calendar) window(d Date) (open, close time.Time) {
	return d.At(0, 0, c.open, c.loc), d.At(0, 0, c.close, c.loc)
}

// AddDuration is t plus dur on the wall clock, or, with business hours,
// the moment when dur of opening time on working days has passed since t.
func (c *Calendar) AddDuration(t time.Time, dur time.Duration) time.Time {
	t = t.In(c.loc)
	if !c.hasHours || dur <= 0 {
		return t.Add(dur)
	}
	d := DateOf(t, c.loc)
	for i := 0; i < maxScan; i++ {
		if c.working(d) {
			open, close := c.window(d)
			s := t
			if s.Before(open) {
				s = open
			}
			if s.Before(close) {
				avail := close.Sub(s)
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
	if !c.hasHours || dur <= 0 {
		return t.Add(-dur)
	}
	d := DateOf(t, c.loc)
	for i := 0; i < maxScan; i++ {
		if c.working(d) {
			open, close := c.window(d)
			e := t
			if e.After(close) {
				e = close
			}
			if e.After(open) {
				avail := e.Sub(open)
				if dur <= avail {
					return e.Add(-dur)
				}
				dur -= avail
			}
		}
		d = d.AddDays(-1)
		t = d.At(23, 59, 59, c.loc)
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
	if !c.hasHours {
		return b.Sub(a)
	}
	var sum time.Duration
	for d := DateOf(a, c.loc); !d.After(DateOf(b, c.loc)); d = d.AddDays(1) {
		if !c.working(d) {
			continue
		}
		open, close := c.window(d)
		s, e := a, b
		if s.Before(open) {
			s = open
		}
		if e.After(close) {
			e = close
		}
		if s.Before(e) {
			sum += e.Sub(s)
		}
	}
	return sum
}
