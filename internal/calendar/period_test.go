package calendar

import (
	"slices"
	"testing"
	"time"
)

func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Period
		str  string
	}{
		{"working days", "3 working_days", Period{3, WorkingDays}, "3 working_days"},
		{"singular working day", "1 working_day", Period{1, WorkingDays}, "1 working_days"},
		{"calendar days", "30 calendar_days", Period{30, CalendarDays}, "30 calendar_days"},
		{"months", "3 months", Period{3, Months}, "3 months"},
		{"plural hours", "1 hours", Period{1, Hours}, "1 hours"},
		{"singular hour", "1 hour", Period{1, Hours}, "1 hours"},
		{"minutes", "30 minutes", Period{30, Minutes}, "30 minutes"},
		{"extra spaces", "  2   working_days ", Period{2, WorkingDays}, "2 working_days"},
		{"the same day in calendar days", "0 calendar_days", Period{0, CalendarDays}, "0 calendar_days"},
		{"the same day in working days", "0 working_days", Period{0, WorkingDays}, "0 working_days"},
		{"0 days is the same calendar day", "0 days", Period{0, CalendarDays}, "0 calendar_days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePeriod(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want || got.String() != tt.str {
				t.Errorf("ParsePeriod(%q) = %v (%s), want %v (%s)", tt.in, got, got, tt.want, tt.str)
			}
		})
	}
	for _, bad := range []string{"", "3", "three working_days", "0 hours", "-1 hours", "3 weeks", "3 working days", "1.5 hours",
		"0 minutes", "0 months", "-1 working_days", "-0 calendar_days", "+3 working_days", "3 days", "x days"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("ParsePeriod(%q) succeeded, want an error", bad)
		}
	}
	if got := (Period{10, WorkingDays}).Zh(); got != "10个工作日" {
		t.Errorf("Zh() = %q", got)
	}
}

// TestEnd_NationalDay2026 is the example of DESIGN.md "Time".
func TestEnd_NationalDay2026(t *testing.T) {
	c := New(cst)
	due, noData := c.End(at(t, "2026-09-30T10:00:00+08:00"), Period{3, WorkingDays})
	if got := due.Format(time.RFC3339); got != "2026-10-10T23:59:59+08:00" || noData != nil {
		t.Errorf("End = %s %v, want 2026-10-10T23:59:59+08:00 []", got, noData)
	}
}

func TestEnd(t *testing.T) {
	plain := New(cst)
	hours := New(cst, WithBusinessHours("08:30", "17:30"))
	extraHoliday := New(cst, WithOverrides([]Override{{Date: Date{2026, 10, 9}, Working: false, Name: "local holiday"}}))
	extraWorkday := New(cst, WithOverrides([]Override{{Date: Date{2026, 10, 4}, Working: true, Name: "extra working Sunday"}}))
	tests := []struct {
		name   string
		cal    *Calendar
		start  string
		period Period
		want   string
		noData []int
	}{
		{"received the day before national day 2026", plain, "2026-09-30T10:00:00+08:00", Period{3, WorkingDays}, "2026-10-10T23:59:59+08:00", nil},
		{"10 working days over national day 2026", plain, "2026-09-30T10:00:00+08:00", Period{10, WorkingDays}, "2026-10-20T23:59:59+08:00", nil},
		{"received on a national holiday", plain, "2026-10-03T09:00:00+08:00", Period{1, WorkingDays}, "2026-10-08T23:59:59+08:00", nil},
		{"received on the make-up Saturday", plain, "2026-10-10T09:00:00+08:00", Period{1, WorkingDays}, "2026-10-12T23:59:59+08:00", nil},
		{"received late at night counts by the zone's date", plain, "2026-10-09T16:30:00Z", Period{1, WorkingDays}, "2026-10-12T23:59:59+08:00", nil},
		{"2025 national day ends on the make-up Saturday", plain, "2025-09-30T10:00:00+08:00", Period{3, WorkingDays}, "2025-10-11T23:59:59+08:00", nil},
		{"2025 national day make-up Sunday before", plain, "2025-09-27T10:00:00+08:00", Period{1, WorkingDays}, "2025-09-28T23:59:59+08:00", nil},
		{"2026 spring festival across make-up Saturday", plain, "2026-02-13T10:00:00+08:00", Period{3, WorkingDays}, "2026-02-25T23:59:59+08:00", nil},
		{"2026 spring festival second make-up Saturday", plain, "2026-02-27T10:00:00+08:00", Period{1, WorkingDays}, "2026-02-28T23:59:59+08:00", nil},
		{"2025 spring festival make-up Sunday", plain, "2025-01-24T10:00:00+08:00", Period{2, WorkingDays}, "2025-01-27T23:59:59+08:00", nil},
		{"2025 spring festival make-up Saturday after", plain, "2025-02-07T10:00:00+08:00", Period{1, WorkingDays}, "2025-02-08T23:59:59+08:00", nil},
		{"2026 may day with make-up Saturday", plain, "2026-04-30T10:00:00+08:00", Period{5, WorkingDays}, "2026-05-11T23:59:59+08:00", nil},
		{"2025 may day make-up Sunday", plain, "2025-04-26T10:00:00+08:00", Period{1, WorkingDays}, "2025-04-27T23:59:59+08:00", nil},
		{"2025 may day holiday week", plain, "2025-04-30T10:00:00+08:00", Period{1, WorkingDays}, "2025-05-06T23:59:59+08:00", nil},
		{"calendar days ending on a working day", plain, "2026-03-02T10:00:00+08:00", Period{10, CalendarDays}, "2026-03-12T23:59:59+08:00", nil},
		{"calendar days ending in Qingming move to the next working day", plain, "2026-03-05T10:00:00+08:00", Period{30, CalendarDays}, "2026-04-07T23:59:59+08:00", nil},
		{"calendar days ending on national day", plain, "2026-09-01T10:00:00+08:00", Period{30, CalendarDays}, "2026-10-08T23:59:59+08:00", nil},
		{"calendar days ending on an ordinary Sunday", plain, "2026-03-01T10:00:00+08:00", Period{7, CalendarDays}, "2026-03-09T23:59:59+08:00", nil},
		{"month from Jan 31 clamps to the make-up Saturday Feb 28", plain, "2026-01-31T10:00:00+08:00", Period{1, Months}, "2026-02-28T23:59:59+08:00", nil},
		{"month from Jan 31 in a leap year", plain, "2024-01-31T10:00:00+08:00", Period{1, Months}, "2024-02-29T23:59:59+08:00", nil},
		{"months ending on national day", plain, "2026-07-01T10:00:00+08:00", Period{3, Months}, "2026-10-08T23:59:59+08:00", nil},
		{"three months on a working day", plain, "2026-09-30T10:00:00+08:00", Period{3, Months}, "2026-12-30T23:59:59+08:00", nil},
		{"hour across midnight", plain, "2026-09-30T23:30:00+08:00", Period{1, Hours}, "2026-10-01T00:30:00+08:00", nil},
		{"hours run through holidays on the wall clock", plain, "2026-10-01T10:00:00+08:00", Period{1, Hours}, "2026-10-01T11:00:00+08:00", nil},
		{"30 minutes", plain, "2026-03-02T10:45:00+08:00", Period{30, Minutes}, "2026-03-02T11:15:00+08:00", nil},
		{"business hours: day periods end at closing", hours, "2026-09-30T10:00:00+08:00", Period{3, WorkingDays}, "2026-10-10T17:30:00+08:00", nil},
		{"business hours: calendar days end at closing", hours, "2026-03-02T10:00:00+08:00", Period{10, CalendarDays}, "2026-03-12T17:30:00+08:00", nil},
		{"business hours: hour within the day", hours, "2026-03-02T10:00:00+08:00", Period{1, Hours}, "2026-03-02T11:00:00+08:00", nil},
		{"business hours: before opening counts from opening", hours, "2026-03-02T07:00:00+08:00", Period{1, Hours}, "2026-03-02T09:30:00+08:00", nil},
		{"business hours: ends exactly at closing", hours, "2026-03-02T16:30:00+08:00", Period{1, Hours}, "2026-03-02T17:30:00+08:00", nil},
		{"business hours: over national day", hours, "2026-09-30T17:00:00+08:00", Period{1, Hours}, "2026-10-08T09:00:00+08:00", nil},
		{"business hours: Friday evening into make-up Sunday", hours, "2026-09-18T17:00:00+08:00", Period{60, Minutes}, "2026-09-20T09:00:00+08:00", nil},
		{"business hours: after closing", hours, "2026-03-02T20:00:00+08:00", Period{30, Minutes}, "2026-03-03T09:00:00+08:00", nil},
		{"override holiday is skipped", extraHoliday, "2026-09-30T10:00:00+08:00", Period{3, WorkingDays}, "2026-10-12T23:59:59+08:00", nil},
		{"override working day inside a holiday counts", extraWorkday, "2026-10-02T10:00:00+08:00", Period{2, WorkingDays}, "2026-10-08T23:59:59+08:00", nil},
		{"year without data is reported", plain, "2035-03-01T10:00:00+08:00", Period{3, WorkingDays}, "2035-03-06T23:59:59+08:00", []int{2035}},
		{"period running into a year without data", plain, "2027-12-30T10:00:00+08:00", Period{3, WorkingDays}, "2028-01-04T23:59:59+08:00", []int{2028}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			due, noData := tt.cal.End(at(t, tt.start), tt.period)
			if got := due.Format(time.RFC3339); got != tt.want {
				t.Errorf("End(%s, %s) = %s, want %s", tt.start, tt.period, got, tt.want)
			}
			if !slices.Equal(noData, tt.noData) {
				t.Errorf("noData = %v, want %v", noData, tt.noData)
			}
		})
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	c := New(cst)
	tests := []struct {
		name string
		a, b string
		want int
	}{
		{"received before national day, due on the make-up Saturday", "2026-09-30T10:00:00+08:00", "2026-10-10T23:59:59+08:00", 3},
		{"same day", "2026-10-10T08:00:00+08:00", "2026-10-10T23:59:59+08:00", 0},
		{"one rest day then a working day", "2026-10-10T23:59:59+08:00", "2026-10-12T09:00:00+08:00", 1},
		{"late by two working days", "2026-10-13T09:00:00+08:00", "2026-10-10T23:59:59+08:00", -2},
		{"holidays only", "2026-09-30T10:00:00+08:00", "2026-10-07T10:00:00+08:00", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.WorkingDaysBetween(at(t, tt.a), at(t, tt.b)); got != tt.want {
				t.Errorf("WorkingDaysBetween = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestWorkingDaysBetween_MatchesDayByDay guards the arithmetic count
// against the plain definition: every day of a range asked one by one.
func TestWorkingDaysBetween_MatchesDayByDay(t *testing.T) {
	cals := map[string]*Calendar{
		"national": New(cst),
		"with overrides": New(cst, WithOverrides([]Override{
			{Date: Date{2026, time.October, 1}, Working: true},   // a national holiday worked
			{Date: Date{2026, time.October, 10}, Working: false}, // a make-up Saturday rested
			{Date: Date{2026, time.March, 4}, Working: false},    // a local holiday
			{Date: Date{2026, time.March, 7}, Working: true},     // a working Saturday
		})),
	}
	start := Date{2025, time.December, 20}
	for name, c := range cals {
		t.Run(name, func(t *testing.T) {
			for i := 0; i < 420; i += 3 {
				for _, span := range []int{0, 1, 2, 6, 7, 8, 30, 200} {
					a := start.AddDays(i).At(10, 0, 0, cst)
					b := start.AddDays(i+span).At(9, 0, 0, cst)
					want := 0
					for d := DateOf(a, cst).AddDays(1); !d.After(DateOf(b, cst)); d = d.AddDays(1) {
						if c.working(d) {
							want++
						}
					}
					if got := c.WorkingDaysBetween(a, b); got != want {
						t.Fatalf("WorkingDaysBetween(%v, %v) = %d, want %d", a, b, got, want)
					}
					if got := c.WorkingDaysBetween(b, a); got != -want {
						t.Fatalf("WorkingDaysBetween(%v, %v) = %d, want %d", b, a, got, -want)
					}
				}
			}
		})
	}
}

func TestBack(t *testing.T) {
	plain := New(cst)
	hours := New(cst, WithBusinessHours("08:30", "17:30"))
	tests := []struct {
		name   string
		cal    *Calendar
		due    string
		period Period
		want   string
	}{
		{"3 of 10 working days left is the end of the 7th", plain, "2026-10-20T23:59:59+08:00", Period{3, WorkingDays}, "2026-10-15T23:59:59+08:00"},
		{"working days back over national day", plain, "2026-10-09T23:59:59+08:00", Period{2, WorkingDays}, "2026-09-30T23:59:59+08:00"},
		{"calendar days back", plain, "2026-10-20T23:59:59+08:00", Period{5, CalendarDays}, "2026-10-15T23:59:59+08:00"},
		{"hours back on the wall clock", plain, "2026-10-01T00:30:00+08:00", Period{1, Hours}, "2026-09-30T23:30:00+08:00"},
		{"business hours back over national day", hours, "2026-10-08T09:00:00+08:00", Period{1, Hours}, "2026-09-30T17:00:00+08:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cal.Back(at(t, tt.due), tt.period).Format(time.RFC3339); got != tt.want {
				t.Errorf("Back = %s, want %s", got, tt.want)
			}
		})
	}
	// The 7th working day from the start is where 3 of 10 remain.
	seven, _ := plain.End(at(t, "2026-09-30T10:00:00+08:00"), Period{7, WorkingDays})
	if got := seven.Format(time.RFC3339); got != "2026-10-15T23:59:59+08:00" {
		t.Errorf("End(7 working days) = %s, want 2026-10-15T23:59:59+08:00", got)
	}
}

func TestOpenTime(t *testing.T) {
	hours := New(cst, WithBusinessHours("08:30", "17:30"))
	a, b := at(t, "2026-09-30T17:00:00+08:00"), at(t, "2026-10-08T09:00:00+08:00")
	if got := hours.OpenTime(a, b); got != time.Hour {
		t.Errorf("OpenTime over national day = %v, want 1h", got)
	}
	if got := hours.OpenTime(b, a); got != -time.Hour {
		t.Errorf("OpenTime reversed = %v, want -1h", got)
	}
	if got := New(cst).OpenTime(a, b); got != b.Sub(a) {
		t.Errorf("OpenTime without business hours = %v, want %v", got, b.Sub(a))
	}
	// AddDuration and SubDuration are inverses over open time.
	for _, d := range []time.Duration{time.Minute, time.Hour, 9 * time.Hour, 20 * time.Hour} {
		end := hours.AddDuration(a, d)
		if got := hours.OpenTime(a, end); got != d {
			t.Errorf("OpenTime(a, AddDuration(a, %v)) = %v", d, got)
		}
		if back := hours.SubDuration(end, d); hours.OpenTime(back, end) != d {
			t.Errorf("SubDuration(AddDuration(a, %v)) = %v", d, back)
		}
	}
}

func BenchmarkEnd_10WorkingDays(b *testing.B) {
	c := New(cst, WithOverrides([]Override{{Date: Date{2026, 10, 9}, Name: "local"}}))
	start := time.Date(2026, 9, 30, 10, 0, 0, 0, cst)
	p := Period{10, WorkingDays}
	for b.Loop() {
		c.End(start, p)
	}
}

func TestParsePeriodOrDays(t *testing.T) {
	tests := []struct {
		name, in string
		want     Period
		wantErr  bool
	}{
		{"a bare number is working days", "2", Period{N: 2, Unit: WorkingDays}, false},
		{"a period as written", "3 calendar_days", Period{N: 3, Unit: CalendarDays}, false},
		{"hours", "4 hours", Period{N: 4, Unit: Hours}, false},
		{"a bare zero is the same working day", "0", Period{N: 0, Unit: WorkingDays}, false},
		{"a number with junk is refused", "2x", Period{}, true},
		{"days without saying which are refused", "3 days", Period{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePeriodOrDays(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("ParsePeriodOrDays(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}
