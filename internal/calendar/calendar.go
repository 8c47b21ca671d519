package calendar

import (
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"

	"github.com/casebook/casebook/internal/msg"
)

// Calendar answers which days are working days in one time zone, with an
// office's overrides and optional business hours. It is immutable after
// New and safe for concurrent use.
type Calendar struct {
	loc       *time.Location
	overrides map[Date]Override
	file      *File // the office's calendar file; nil without one
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

// WithFile makes the office's calendar file (policies/calendar.yaml) a
// source of days: the years it lists replace lunar-go's data for them, and
// its office days apply in every year. Overrides given with WithOverrides
// still win. A nil file changes nothing.
func WithFile(f *File) Option {
	return func(c *Calendar) { c.file = f }
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
		return 0, msg.Errorf(msg.T(`%q 不是一天中的时刻；写成 HH:MM，如 "08:30"`, `%q is not a time of day; write HH:MM, e.g. "08:30"`), s)
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

// Source is what decided a day: from the lowest precedence to the
// highest, lunar-go, the calendar file's year, the file's office days, the
// policy's own overrides.
type Source int

// Sources of a day.
const (
	// FromLibrary is lunar-go's record of the State Council's notices;
	// a day it does not list follows the weekday rule.
	FromLibrary Source = iota + 1
	// FromFile is the year's block of the calendar file; likewise for a
	// day it does not list.
	FromFile
	// FromOffice is the calendar file's office days.
	FromOffice
	// FromPolicy is the policy's own calendar: overrides.
	FromPolicy
	// FromWeekdays is a year without data: the weekday rule is a guess.
	FromWeekdays
)

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
	// Override is true when the policy's overrides decided the day.
	Override bool
	// HasData is false when neither lunar-go nor the calendar file has
	// data for the year, so Working is a guess from the day of the week.
	HasData bool
	// Source is what decided the day.
	Source Source
}

// Kind names what decided the day, as calendar --format json writes it:
// 国务院办公厅 (a day of a State Council notice, from lunar-go or the
// calendar file), weekday rule (a day such a notice does not list),
// office, policy, or no data (a year without holiday data).
func (d Day) Kind() string {
	switch {
	case d.Source == FromPolicy:
		return "policy"
	case d.Source == FromOffice:
		return "office"
	case !d.HasData:
		return "no data"
	case d.Holiday == "" && !d.MakeUp:
		return "weekday rule"
	}
	return "国务院办公厅"
}

// Origin says where the day comes from, for people: lunar-go and its
// version, the calendar file (named file) with the year's notice, the
// file's office days (本单位), the policy policyID, or 无数据 no data.
func (c *Calendar) Origin(d Day, file, policyID string) string {
	switch d.Source {
	case FromLibrary:
		return Library()
	case FromFile:
		if y, ok := c.File().YearOf(d.Date); ok {
			return file + " " + y.Source.String()
		}
		return file
	case FromOffice:
		return file + " 本单位 office"
	case FromPolicy:
		return "policy " + policyID
	}
	return "无数据 no data"
}

// Day describes d.
func (c *Calendar) Day(d Date) Day {
	day := c.yearDay(d)
	if o, ok := c.file.officeDay(d); ok {
		day.apply(o, FromOffice)
	}
	if o, ok := c.overrides[d]; ok {
		day.apply(o, FromPolicy)
		day.Override = true
	}
	return day
}

// apply lets o decide the day.
func (day *Day) apply(o Override, src Source) {
	day.MakeUp = o.Working && !day.Working
	day.Working = o.Working
	day.Holiday = o.Name
	day.Source = src
}

// yearDay describes d by the national schedule: the calendar file's when
// it lists d or covers d's year, else lunar-go's.
func (c *Calendar) yearDay(d Date) Day {
	if o, ok := c.file.listed(d); ok {
		return Day{Date: d, Working: o.Working, Holiday: o.Name, MakeUp: o.Working && weekend(d), HasData: true, Source: FromFile}
	}
	if c.file.covers(d.Year) {
		return Day{Date: d, Working: !weekend(d), HasData: true, Source: FromFile}
	}
	day := national(d)
	day.Source = FromLibrary
	if !day.HasData {
		day.Source = FromWeekdays
	}
	return day
}

// working reports whether d is a working day; it is Day without the
// allocations of building the whole description.
func (c *Calendar) working(d Date) bool {
	if o, ok := c.overrides[d]; ok {
		return o.Working
	}
	if o, ok := c.file.officeDay(d); ok {
		return o.Working
	}
	if o, ok := c.file.listed(d); ok {
		return o.Working
	}
	if c.file.covers(d.Year) {
		return !weekend(d)
	}
	if e, ok := holidays().days[d]; ok {
		return e.work
	}
	return !weekend(d)
}

// listedDays calls fn for every day some source lists (a day may come
// more than once): the only days on which working can differ from the
// weekday rule.
func (c *Calendar) listedDays(fn func(Date)) {
	for d := range holidays().days {
		fn(d)
	}
	if c.file != nil {
		for d := range c.file.days {
			fn(d)
		}
		for d := range c.file.office {
			fn(d)
		}
	}
	for d := range c.overrides {
		fn(d)
	}
}

func weekend(d Date) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// national describes d by lunar-go's record of the State Council's
// calendar alone.
func national(d Date) Day {
	t := holidays()
	day := Day{Date: d, HasData: t.years[d.Year]}
	if e, ok := t.days[d]; ok {
		day.Working, day.Holiday, day.MakeUp = e.work, e.name, e.work
		return day
	}
	day.Working = !weekend(d)
	return day
}

// File is the office's calendar file the calendar reads, nil without one.
func (c *Calendar) File() *File { return c.file }

// HasData reports whether the national calendar covers year: the calendar
// file lists it, or lunar-go records holidays in it. Overrides and office
// days do not count: they cannot tell which weekdays are national
// holidays.
func (c *Calendar) HasData(year int) bool { return c.file.covers(year) || holidays().years[year] }

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

// libraryPath is lunar-go's module; libraryModVersion is the version go.mod
// requires, for builds without module information (a test checks that the
// two agree).
const (
	libraryPath       = "github.com/6tail/lunar-go"
	libraryModVersion = "v1.4.7"
)

// Library names the holiday data built in: "lunar-go v1.4.7", the version
// read from the build's module information when it has any.
func Library() string {
	v := libraryModVersion
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == libraryPath {
				v = m.Version
				if m.Replace != nil && m.Replace.Version != "" {
					v = m.Replace.Version
				}
			}
		}
	}
	return "lunar-go " + v
}
