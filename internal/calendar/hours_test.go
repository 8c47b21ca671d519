package calendar

import (
	"testing"
	"time"
)

// lunchHours is a desk open 08:30–12:00 and 14:00–17:30, Saturdays (the
// make-up ones: rest days are closed) 09:00–12:00.
func lunchHours(t *testing.T) *OpeningHours {
	t.Helper()
	h, err := NewOpeningHours([]Span{{8*3600 + 1800, 12 * 3600}, {14 * 3600, 17*3600 + 1800}},
		map[time.Weekday][]Span{time.Saturday: {{9 * 3600, 12 * 3600}}})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// endCase is a period started at start that must end at want.
type endCase struct {
	name   string
	start  string
	period Period
	want   string
}

// checkEnds runs End for each case; for hour and minute periods it also
// checks that OpenTime and SubDuration agree with the end.
func checkEnds(t *testing.T, c *Calendar, tests []endCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			due, _ := c.End(at(t, tt.start), tt.period)
			if got := due.Format(time.RFC3339); got != tt.want {
				t.Errorf("End(%s, %s) = %s, want %s", tt.start, tt.period, got, tt.want)
			}
			if tt.period.Unit.Clock() {
				if got := c.OpenTime(at(t, tt.start), due); got != tt.period.Duration() {
					t.Errorf("OpenTime(start, due) = %v, want %v", got, tt.period.Duration())
				}
				if back := c.SubDuration(due, tt.period.Duration()); c.OpenTime(back, due) != tt.period.Duration() {
					t.Errorf("SubDuration(due) = %v is not %v of open time before it", back, tt.period.Duration())
				}
			}
		})
	}
}

func TestParseSpan(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"morning", "08:30-12:00", "08:30-12:00"},
		{"spaces and one-digit hour", " 8:30 - 12:00 ", "08:30-12:00"},
		{"until midnight", "18:00-24:00", "18:00-24:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSpan(tt.in)
			if err != nil || got.String() != tt.want {
				t.Errorf("ParseSpan(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
			}
		})
	}
	for _, bad := range []string{"", "08:30", "08:30–12:00", "12:00-08:30", "08:30-08:30", "08:30-25:00", "8h-12h"} {
		if _, err := ParseSpan(bad); err == nil {
			t.Errorf("ParseSpan(%q) succeeded, want an error", bad)
		}
	}
	if i, err := CheckSpans([]Span{{100, 200}, {150, 300}}); i != 1 || err == nil {
		t.Errorf("CheckSpans(overlap) = %d, %v; want 1 and an error", i, err)
	}
	if i, err := CheckSpans([]Span{{100, 200}, {200, 300}}); i != -1 || err != nil {
		t.Errorf("CheckSpans(adjacent) = %d, %v; want -1, nil", i, err)
	}
	if _, err := NewOpeningHours(nil, nil); err == nil {
		t.Error("NewOpeningHours without periods succeeded")
	}
	if got := lunchHours(t).String(); got != "08:30-12:00, 14:00-17:30; sat 09:00-12:00" {
		t.Errorf("String() = %q", got)
	}
}

func TestOpeningHours_LunchBreakAndSaturday(t *testing.T) {
	c := New(cst, WithOpeningHours(lunchHours(t)))
	tests := []endCase{
		// 11:45–12:00 is 15 minutes, the other 15 after lunch from 14:00.
		{"30 minutes across the lunch break", "2026-03-02T11:45:00+08:00", Period{30, Minutes}, "2026-03-02T14:15:00+08:00"},
		{"received during lunch counts from 14:00", "2026-03-02T12:30:00+08:00", Period{1, Hours}, "2026-03-02T15:00:00+08:00"},
		// Oct 10 2026 is a make-up Saturday: its own hours close at 12:00.
		{"working days ending on a make-up Saturday close at its noon", "2026-09-30T10:00:00+08:00", Period{3, WorkingDays}, "2026-10-10T12:00:00+08:00"},
		// Fri Oct 9 17:00–17:30 is 30 minutes, Sat Oct 10 09:00–09:30 the rest.
		{"an hour from Friday evening into the make-up Saturday", "2026-10-09T17:00:00+08:00", Period{1, Hours}, "2026-10-10T09:30:00+08:00"},
		// Sat Oct 17 is an ordinary rest day: closed, Saturday hours or not.
		{"an ordinary Saturday is closed", "2026-10-16T17:00:00+08:00", Period{1, Hours}, "2026-10-19T09:00:00+08:00"},
	}
	checkEnds(t, c, tests)
	if got := c.OpenTime(at(t, "2026-03-02T11:00:00+08:00"), at(t, "2026-03-02T15:00:00+08:00")); got != 2*time.Hour {
		t.Errorf("OpenTime 11:00–15:00 over lunch = %v, want 2h", got)
	}
}

func TestWithHours_SharesTheDays(t *testing.T) {
	base := New(cst, WithOverrides([]Override{{Date: Date{2026, 10, 9}, Name: "厂庆"}}), WithBusinessHours("08:30", "17:30"))
	wall := base.WithHours(nil)
	lunch := base.WithHours(lunchHours(t))
	start := at(t, "2026-09-30T10:00:00+08:00")
	// Oct 9 is the office's holiday in all three: Oct 8, 10 (make-up), 12.
	for _, tt := range []struct {
		name string
		cal  *Calendar
		want string
	}{
		{"the policy's hours", base, "2026-10-12T17:30:00+08:00"},
		{"no hours: the day ends at 24:00", wall, "2026-10-12T23:59:59+08:00"},
		{"a clock's own hours", lunch, "2026-10-12T17:30:00+08:00"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			due, _ := tt.cal.End(start, Period{3, WorkingDays})
			if got := due.Format(time.RFC3339); got != tt.want {
				t.Errorf("End = %s, want %s", got, tt.want)
			}
		})
	}
	if wall.OpeningHours() != nil || base.OpeningHours() == nil {
		t.Error("WithHours(nil) kept hours, or the base lost them")
	}
}

// TestEnd_SameDay guards 0-day periods (当天, issue 11 §2).
func TestEnd_SameDay(t *testing.T) {
	plain := New(cst)
	hours := New(cst, WithBusinessHours("08:30", "17:30"))
	tests := []struct {
		name   string
		cal    *Calendar
		start  string
		period string
		want   string
	}{
		{"the same day ends at 24:00", plain, "2026-03-02T10:00:00+08:00", "0 calendar_days", "2026-03-02T23:59:59+08:00"},
		{"0 days is 0 calendar_days", plain, "2026-03-02T23:00:00+08:00", "0 days", "2026-03-02T23:59:59+08:00"},
		// 当天 is that day, a rest day too: no move to a working day.
		{"0 calendar_days on a national holiday stays on it", plain, "2026-10-03T10:00:00+08:00", "0 calendar_days", "2026-10-03T23:59:59+08:00"},
		{"0 working_days on a working day is that day", plain, "2026-09-30T10:00:00+08:00", "0 working_days", "2026-09-30T23:59:59+08:00"},
		// Oct 1–7 are holidays: the first working day is Thu Oct 8.
		{"0 working_days on a holiday is the next working day", plain, "2026-10-03T10:00:00+08:00", "0 working_days", "2026-10-08T23:59:59+08:00"},
		{"with business hours the same day ends at closing", hours, "2026-03-02T10:00:00+08:00", "0 calendar_days", "2026-03-02T17:30:00+08:00"},
		{"received after closing: the next working day's closing", hours, "2026-03-02T18:00:00+08:00", "0 calendar_days", "2026-03-03T17:30:00+08:00"},
		{"received at closing belongs to the next working day", hours, "2026-03-06T17:30:00+08:00", "0 working_days", "2026-03-09T17:30:00+08:00"},
		{"received on a holiday with business hours", hours, "2026-10-03T10:00:00+08:00", "0 calendar_days", "2026-10-08T17:30:00+08:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePeriod(tt.period)
			if err != nil {
				t.Fatal(err)
			}
			due, _ := tt.cal.End(at(t, tt.start), p)
			if got := due.Format(time.RFC3339); got != tt.want {
				t.Errorf("End(%s, %s) = %s, want %s", tt.start, tt.period, got, tt.want)
			}
		})
	}
	if got := (Period{0, CalendarDays}).Zh(); got != "当天" {
		t.Errorf("Zh() = %q, want 当天", got)
	}
}

// TestOpeningHours_RestDayDesk guards a Saturday morning desk: open on
// ordinary Saturdays for hour clocks, closed on holidays, and never a day
// of a day clock.
func TestOpeningHours_RestDayDesk(t *testing.T) {
	h, err := lunchHours(t).WithRestDays(map[time.Weekday][]Span{time.Saturday: {{9 * 3600, 11 * 3600}}})
	if err != nil {
		t.Fatal(err)
	}
	c := New(cst, WithOpeningHours(h))
	checkEnds(t, c, []endCase{
		// Fri Oct 16 17:00–17:30, then Sat Oct 17 (an ordinary Saturday)
		// from 09:00 at the desk.
		{"an hour from Friday evening into the Saturday desk", "2026-10-16T17:00:00+08:00", Period{1, Hours}, "2026-10-17T09:30:00+08:00"},
		// Sat Oct 3 is part of National Day: closed; Oct 8 opens at 08:30.
		{"a Saturday of a holiday keeps the desk closed", "2026-09-30T17:00:00+08:00", Period{1, Hours}, "2026-10-08T09:00:00+08:00"},
		// The make-up Saturday Oct 10 is a working day: its working hours.
		{"a make-up Saturday opens in its working hours", "2026-10-09T17:00:00+08:00", Period{1, Hours}, "2026-10-10T09:30:00+08:00"},
		{"a day clock does not count the desk", "2026-10-16T10:00:00+08:00", Period{1, WorkingDays}, "2026-10-19T17:30:00+08:00"},
		{"the same day received at the desk is the next working day's", "2026-10-17T10:00:00+08:00", Period{0, CalendarDays}, "2026-10-19T17:30:00+08:00"},
	})
	fri, mon := at(t, "2026-10-16T17:00:00+08:00"), at(t, "2026-10-19T09:00:00+08:00")
	if got := c.OpenTime(fri, mon); got != 30*time.Minute+2*time.Hour+30*time.Minute {
		t.Errorf("OpenTime Fri 17:00 – Mon 09:00 = %v, want 3h (with the desk)", got)
	}
	if got := c.WithHours(h.WorkingDaysOnly()).OpenTime(fri, mon); got != time.Hour {
		t.Errorf("OpenTime without the desk = %v, want 1h", got)
	}
	if got := h.String(); got != "08:30-12:00, 14:00-17:30; sat 09:00-12:00; rest-day sat 09:00-11:00" {
		t.Errorf("String() = %q", got)
	}
}
