package calendar

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// Calendar answers which days are working days in one time zone, with an
// office's overrides and optional business hours. It is immutable after
// New and safe for concurrent use.
type Calendar struct {
	loc       *time.Location
	overrides map[Date]Override
	// hours is nil when the calendar keeps no business hours (days end
	// at 23:59:59).
	hours *OpeningHours
	err   error
	// ex is shared by the calendars WithHours derives: hours do not
	// change which days are working days.
	ex *exceptionCache
}

// exceptionCache holds the sorted exceptions, computed once.
type exceptionCache struct {
	once sync.Once
	list []exception // see exceptions
}

// Override is a date the office treats differently from the national
// calendar: a local holiday (Working false) or an extra working day.
type Override struct {
	Date    Date
	Working bool
	Name    string
}

// Option configures a Calendar.
type Option func(*Calendar)

// WithOverrides adds the office's own holidays and working days. When a
// date is listed twice the later entry wins.
func WithOverrides(overrides []Override) Option {
	return func(c *Calendar) {
		for _, o := range overrides {
			c.overrides[o.Date] = o
		}
	}
}

// WithBusinessHours makes days end at the closing time and hour and minute
// periods count only opening hours on working days. open and close are
// "HH:MM" ("08:30", "17:30"): one period a day. Invalid hours are ignored
// and reported by Err, because an Option cannot return an error.
func WithBusinessHours(open, close string) Option {
	return func(c *Calendar) {
		o, err1 := parseClock(open)
		cl, err2 := parseClock(close)
		switch {
		case err1 != nil:
			c.err = fmt.Errorf("business hours: open: %w", err1)
		case err2 != nil:
			c.err = fmt.Errorf("business hours: close: %w", err2)
		case o >= cl:
			c.err = fmt.Errorf("business hours: open %s is not before close %s; write e.g. open: \"08:30\", close: \"17:30\"", open, close)
		default:
			c.hours, _ = NewOpeningHours([]Span{{o, cl}}, nil)
		}
	}
}

// WithOpeningHours sets business hours of several periods a day, or per
// weekday (see NewOpeningHours); nil keeps none.
func WithOpeningHours(h *OpeningHours) Option {
	return func(c *Calendar) { c.hours = h }
}

// WithHours is the same calendar (zone, overrides) with business hours h,
// or with none when h is nil: a clock that keeps its own hours (a hotline
// staffed in the daytime) counts on it.
func (c *Calendar) WithHours(h *OpeningHours) *Calendar {
	d := *c // every source of days, and the exceptions computed from them, are shared
	d.hours = h
	return &d
}

// OpeningHours is the calendar's business hours, nil when it keeps none.
func (c *Calendar) OpeningHours() *OpeningHours { return c.hours }

// parseClock reads "HH:MM" into seconds after midnight.
func parseClock(s string) (int, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || !digits(h) || !digits(m) || hh < 0 || hh > 24 || mm < 0 || mm > 59 || hh*60+mm > 24*60 {
		return 0, fmt.Errorf("%q is not a time of day; write HH:MM, e.g. \"08:30\"", s)
	}
	return (hh*60 + mm) * 60, nil
}

// digits reports whether s is one or more ASCII digits: Atoi also takes a
// sign ("+8:30").
func digits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// New returns a calendar for loc (Asia/Shanghai for a PRC office; UTC when
// nil).
func New(loc *time.Location, opts ...Option) *Calendar {
	if loc == nil {
		loc = time.UTC
	}
	c := &Calendar{loc: loc, overrides: map[Date]Override{}, ex: &exceptionCache{}}
	for _, opt := range opts {
		opt(c)
	}
	return c
}

// Err reports an invalid option given to New (such as unreadable business
// hours); the calendar then behaves as if the option had not been given.
func (c *Calendar) Err() error { return c.err }

// Location is the time zone in which the calendar counts days.
func (c *Calendar) Location() *time.Location { return c.loc }

// Day describes one date of the calendar.
type Day struct {
	Date    Date
	Working bool
	// Holiday names the holiday the day belongs to (国庆节): the holiday a
	// rest day is part of, or the one a make-up working day makes up for;
	// for an overridden date, the override's name.
	Holiday string
	// MakeUp marks a working day that would otherwise be a rest day: a
	// 调休上班 Saturday or Sunday, or an override that makes a rest day
	// a working day.
	MakeUp bool
	// Override is true when the office's overrides decided the day.
	Override bool
	// HasData is false when the national calendar has no data for the
	// year, so Working is a guess from the day of the week.
	HasData bool
}

// Day describes d.
func (c *Calendar) Day(d Date) Day {
	day := national(d)
	if o, ok := c.overrides[d]; ok {
		day.MakeUp = o.Working && !day.Working
		day.Working = o.Working
		day.Holiday = o.Name
		day.Override = true
	}
	return day
}

// working reports whether d is a working day; it is Day without the
// allocations of building the whole description.
func (c *Calendar) working(d Date) bool {
	if o, ok := c.overrides[d]; ok {
		return o.Working
	}
	if e, ok := holidays().days[d]; ok {
		return e.work
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// national describes d by the State Council's calendar alone.
func national(d Date) Day {
	t := holidays()
	day := Day{Date: d, HasData: t.years[d.Year]}
	if e, ok := t.days[d]; ok {
		day.Working, day.Holiday, day.MakeUp = e.work, e.name, e.work
		return day
	}
	wd := d.Weekday()
	day.Working = wd != time.Saturday && wd != time.Sunday
	return day
}

// HasData reports whether the national calendar covers year, that is,
// whether lunar-go records holidays in it. Overrides do not count: they
// cannot tell which weekdays are national holidays.
func (c *Calendar) HasData(year int) bool { return holidays().years[year] }

// Days describes every date from from to to, both included; nil when to is
// before from.
func (c *Calendar) Days(from, to Date) []Day {
	var days []Day
	for d := from; !d.After(to); d = d.AddDays(1) {
		days = append(days, c.Day(d))
	}
	return days
}

// holidayTable is lunar-go's data, read once: its lookups scan a long
// string on every call, which is too slow for counting thousands of
// deadlines.
type holidayTable struct {
	days  map[Date]entry
	years map[int]bool
}

type entry struct {
	name string
	work bool
}

// Years scanned for lunar-go data. Its data starts at 2001-12-29 and
// follows the published notices, a year or two ahead at most.
const firstYear, lastYear = 1990, 2200

var (
	tableOnce sync.Once
	table     holidayTable
)

// holidays returns lunar-go's data as a table. It is a snapshot taken at
// first use: a later HolidayUtil.Fix is not seen.
func holidays() *holidayTable {
	tableOnce.Do(func() {
		table = holidayTable{days: map[Date]entry{}, years: map[int]bool{}}
		for y := firstYear; y <= lastYear; y++ {
			l := HolidayUtil.GetHolidaysByYear(y)
			for e := l.Front(); e != nil; e = e.Next() {
				h := e.Value.(*HolidayUtil.Holiday)
				d, err := ParseDate(h.GetDay())
				if err != nil || d.Year != y {
					continue
				}
				table.days[d] = entry{name: h.GetName(), work: h.IsWork()}
				table.years[y] = true
			}
		}
	})
	return &table
}
