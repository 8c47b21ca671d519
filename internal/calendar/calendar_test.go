package calendar

import (
	"fmt"
	"testing"
	"time"
)

// cst is China Standard Time without tzdata, so the tests run anywhere.
var cst = time.FixedZone("CST", 8*3600)

func date(t *testing.T, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDay_StateCouncilNotices checks the holidays and make-up working days
// of 2025 and 2026 against the State Council's notices.
func TestDay_StateCouncilNotices(t *testing.T) {
	c := New(cst)
	tests := []struct {
		name    string
		date    string
		working bool
		makeUp  bool
		holiday string
	}{
		// 2025 春节: 1/28–2/4 off, make-up Sun 1/26 and Sat 2/8.
		{"2025 spring festival make-up Sunday before", "2025-01-26", true, true, "春节"},
		{"2025 spring festival first day", "2025-01-28", false, false, "春节"},
		{"2025 spring festival weekend inside", "2025-02-01", false, false, "春节"},
		{"2025 spring festival last day", "2025-02-04", false, false, "春节"},
		{"2025 spring festival first working day after", "2025-02-05", true, false, ""},
		{"2025 spring festival make-up Saturday after", "2025-02-08", true, true, "春节"},
		{"2025 ordinary Sunday after spring festival", "2025-02-09", false, false, ""},
		// 2025 劳动节: 5/1–5/5 off, make-up Sun 4/27.
		{"2025 may day make-up Sunday", "2025-04-27", true, true, "劳动节"},
		{"2025 may day first day", "2025-05-01", false, false, "劳动节"},
		{"2025 may day last day (Monday)", "2025-05-05", false, false, "劳动节"},
		{"2025 may day first working day after", "2025-05-06", true, false, ""},
		// 2025 国庆中秋: 10/1–10/8 off, make-up Sun 9/28 and Sat 10/11.
		{"2025 national day make-up Sunday before", "2025-09-28", true, true, "国庆中秋"},
		{"2025 national day first day", "2025-10-01", false, false, "国庆中秋"},
		{"2025 national day last day", "2025-10-08", false, false, "国庆中秋"},
		{"2025 national day first working day after", "2025-10-09", true, false, ""},
		{"2025 national day make-up Saturday after", "2025-10-11", true, true, "国庆中秋"},
		{"2025 ordinary Sunday after national day", "2025-10-12", false, false, ""},
		// 2026 元旦: 1/1–1/3 off, make-up Sun 1/4.
		{"2026 new year make-up Sunday", "2026-01-04", true, true, "元旦节"},
		// 2026 春节: 2/15–2/23 off, make-up Sat 2/14 and Sat 2/28.
		{"2026 ordinary Friday before spring festival", "2026-02-13", true, false, ""},
		{"2026 spring festival make-up Saturday before", "2026-02-14", true, true, "春节"},
		{"2026 spring festival first day (Sunday)", "2026-02-15", false, false, "春节"},
		{"2026 spring festival new year's day", "2026-02-17", false, false, "春节"},
		{"2026 spring festival last day (Monday)", "2026-02-23", false, false, "春节"},
		{"2026 spring festival first working day after", "2026-02-24", true, false, ""},
		{"2026 spring festival make-up Saturday after", "2026-02-28", true, true, "春节"},
		// 2026 劳动节: 5/1–5/5 off, make-up Sat 5/9.
		{"2026 may day first day", "2026-05-01", false, false, "劳动节"},
		{"2026 may day last day (Tuesday)", "2026-05-05", false, false, "劳动节"},
		{"2026 may day first working day after", "2026-05-06", true, false, ""},
		{"2026 may day make-up Saturday", "2026-05-09", true, true, "劳动节"},
		{"2026 ordinary Sunday after may day", "2026-05-10", false, false, ""},
		// 2026 中秋 9/25–9/27; 国庆 10/1–10/7 off, make-up Sun 9/20 and Sat 10/10.
		{"2026 national day make-up Sunday before", "2026-09-20", true, true, "国庆节"},
		{"2026 mid-autumn Friday", "2026-09-25", false, false, "中秋节"},
		{"2026 ordinary Wednesday before national day", "2026-09-30", true, false, ""},
		{"2026 national day first day", "2026-10-01", false, false, "国庆节"},
		{"2026 national day last day", "2026-10-07", false, false, "国庆节"},
		{"2026 national day first working day after", "2026-10-08", true, false, ""},
		{"2026 national day make-up Saturday after", "2026-10-10", true, true, "国庆节"},
		{"2026 ordinary Sunday after national day", "2026-10-11", false, false, ""},
		// Ordinary days.
		{"ordinary Saturday", "2026-03-07", false, false, ""},
		{"ordinary Monday", "2026-03-09", true, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Day(date(t, tt.date))
			if got.Working != tt.working || got.MakeUp != tt.makeUp || got.Holiday != tt.holiday || !got.HasData || got.Override {
				t.Errorf("Day(%s) = %+v, want working=%v makeUp=%v holiday=%q hasData=true", tt.date, got, tt.working, tt.makeUp, tt.holiday)
			}
		})
	}
}

func TestHasData(t *testing.T) {
	c := New(cst)
	tests := []struct {
		name string
		year int
		want bool
	}{
		{"2025 published", 2025, true},
		{"2026 published", 2026, true},
		{"2035 not yet published", 2035, false},
		{"before lunar-go's data", 1999, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.HasData(tt.year); got != tt.want {
				t.Errorf("HasData(%d) = %v, want %v", tt.year, got, tt.want)
			}
		})
	}
	d := c.Day(date(t, "2035-10-01")) // a Monday
	if d.HasData || !d.Working || d.Holiday != "" {
		t.Errorf("Day(2035-10-01) = %+v, want a weekday guess with HasData false", d)
	}
}

func TestDay_Overrides(t *testing.T) {
	c := New(cst, WithOverrides([]Override{
		{Date: date(t, "2026-10-09"), Working: false, Name: "建行纪念日"},
		{Date: date(t, "2026-10-04"), Working: true, Name: "盘点"},
		{Date: date(t, "2026-10-10"), Working: false},
		{Date: date(t, "2026-03-10"), Working: true, Name: "ignored, the later entry wins"},
		{Date: date(t, "2026-03-10"), Working: false, Name: "local holiday"},
	}))
	tests := []struct {
		name    string
		date    string
		working bool
		makeUp  bool
		holiday string
	}{
		{"extra holiday on a working Friday", "2026-10-09", false, false, "建行纪念日"},
		{"extra working day inside national day", "2026-10-04", true, true, "盘点"},
		{"national make-up Saturday turned rest", "2026-10-10", false, false, ""},
		{"later override of the same date wins", "2026-03-10", false, false, "local holiday"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Day(date(t, tt.date))
			if got.Working != tt.working || got.MakeUp != tt.makeUp || got.Holiday != tt.holiday || !got.Override {
				t.Errorf("Day(%s) = %+v, want working=%v makeUp=%v holiday=%q override", tt.date, got, tt.working, tt.makeUp, tt.holiday)
			}
		})
	}
}

func TestDays(t *testing.T) {
	c := New(cst)
	days := c.Days(date(t, "2026-09-30"), date(t, "2026-10-11"))
	if len(days) != 12 {
		t.Fatalf("len(Days) = %d, want 12", len(days))
	}
	var working []string
	for _, d := range days {
		if d.Working {
			working = append(working, d.Date.String())
		}
	}
	want := "[2026-09-30 2026-10-08 2026-10-09 2026-10-10]"
	if got := fmtList(working); got != want {
		t.Errorf("working days = %s, want %s", got, want)
	}
	if got := c.Days(date(t, "2026-10-02"), date(t, "2026-10-01")); got != nil {
		t.Errorf("Days(to before from) = %v, want nil", got)
	}
}

func fmtList(s []string) string {
	out := "["
	for i, v := range s {
		if i > 0 {
			out += " "
		}
		out += v
	}
	return out + "]"
}

func TestWithBusinessHours_Invalid(t *testing.T) {
	tests := []struct {
		name, open, close string
	}{
		{"not a time", "8.30", "17:30"},
		{"close before open", "17:30", "08:30"},
		{"minutes out of range", "08:75", "17:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(cst, WithBusinessHours(tt.open, tt.close))
			if c.Err() == nil {
				t.Fatal("Err() = nil, want an error")
			}
			if c.OpeningHours() != nil {
				t.Error("invalid business hours were applied")
			}
		})
	}
	if c := New(cst, WithBusinessHours("08:30", "17:30")); c.Err() != nil {
		t.Errorf("valid hours: Err() = %v", c.Err())
	}
}

func TestDate(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"Jan 31 plus a month clamps to Feb 28", date(t, "2026-01-31").AddMonths(1).String(), "2026-02-28"},
		{"Jan 31 plus a month in a leap year", date(t, "2024-01-31").AddMonths(1).String(), "2024-02-29"},
		{"months across the year", date(t, "2026-11-30").AddMonths(3).String(), "2027-02-28"},
		{"months backwards", date(t, "2026-03-31").AddMonths(-1).String(), "2026-02-28"},
		{"days across the year", date(t, "2026-12-30").AddDays(3).String(), "2027-01-02"},
		{"weekday", date(t, "2026-10-10").Weekday().String(), "Saturday"},
		{"date of an instant in the zone", DateOf(time.Date(2026, 9, 30, 20, 0, 0, 0, time.UTC), cst).String(), "2026-10-01"},
		{"days from the first to the last day of a pause", fmt.Sprint(date(t, "2027-02-05").DaysUntil(date(t, "2027-02-13"))), "8"},
		{"days until an earlier date", fmt.Sprint(date(t, "2027-03-01").DaysUntil(date(t, "2027-02-27"))), "-2"},
		// Day 30 of a clock from Jan 6 2027 is Feb 5, a Spring Festival
		// rest day: LastDay does not move it, End does (to the make-up Sunday).
		{"nominal last day on a holiday is not moved", New(cst).LastDay(time.Date(2027, 1, 6, 10, 0, 0, 0, cst), Period{30, CalendarDays}).String(), "2027-02-05"},
		{"the end of that period is moved", func() string {
			d, _ := New(cst).End(time.Date(2027, 1, 6, 10, 0, 0, 0, cst), Period{30, CalendarDays})
			return DateOf(d, cst).String()
		}(), "2027-02-14"},
		{"nominal last day of working days is a working day", New(cst).LastDay(time.Date(2026, 9, 30, 10, 0, 0, 0, cst), Period{3, WorkingDays}).String(), "2026-10-10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %s, want %s", tt.got, tt.want)
			}
		})
	}
	a, b := date(t, "2026-09-30"), date(t, "2026-10-01")
	if !a.Before(b) || a.After(b) || !b.After(a) || a.Compare(a) != 0 {
		t.Error("Before/After/Compare disagree with the calendar order")
	}
	for _, bad := range []string{"2026-13-01", "2026/10/01", "", "2026-02-30"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) succeeded, want an error", bad)
		}
	}
}
