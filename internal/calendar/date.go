package calendar

import (
	"fmt"
	"strings"
	"time"
)

// Date is a day in the civil calendar, without a time or a zone. Deadlines
// are counted in days of the office's time zone, so a Date is always
// obtained for a location (DateOf) and turned back into an instant for one
// (At).
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return Date{}, fmt.Errorf("parse date %q: want YYYY-MM-DD, e.g. 2026-10-01", s)
	}
	return DateOf(t, time.UTC), nil
}

// DateOf is the date of t in loc (t's own location when loc is nil).
func DateOf(t time.Time, loc *time.Location) Date {
	if loc != nil {
		t = t.In(loc)
	}
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// String formats d as "2006-01-02".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalText writes d as "2006-01-02", so JSON and YAML show a plain date.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "2006-01-02".
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// utc is d at midnight UTC: a zone without daylight saving, so day
// arithmetic on it is exact.
func (d Date) utc() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// At is the instant hour:min:sec on d in loc.
func (d Date) At(hour, min, sec int, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, min, sec, 0, loc)
}

// AddDays is the date n days after d (before, when n is negative).
func (d Date) AddDays(n int) Date { return DateOf(d.utc().AddDate(0, 0, n), time.UTC) }

// AddMonths is the same day of the month n months after d, clamped to the
// last day of the target month (Jan 31 + 1 month = Feb 28 or 29), as the
// Civil Code counts months; time.AddDate would overflow into March instead.
func (d Date) AddMonths(n int) Date {
	first := time.Date(d.Year, d.Month+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	day := min(d.Day, last)
	return Date{Year: first.Year(), Month: first.Month(), Day: day}
}

// Weekday is the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.utc().Weekday() }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// DaysUntil is the number of days from d to e, negative when e is before d.
func (d Date) DaysUntil(e Date) int { return int(dayNumber(e) - dayNumber(d)) }
