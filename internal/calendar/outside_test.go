package calendar

import (
	"strings"
	"testing"
	"time"
)

// TestEnd_CheckedFromOutside audits End on the corners of issue 11, each due
// date worked out by hand from the Civil Code (第二百零一条至第二百零四条) and
// `casebook calendar`; the rows are in docs/clock-scenarios.md, "Checked
// from outside".
func TestEnd_CheckedFromOutside(t *testing.T) {
	plain := New(cst)
	spans := func(list ...string) *OpeningHours {
		var sp []Span
		for _, s := range list {
			v, err := ParseSpan(s)
			if err != nil {
				t.Fatal(err)
			}
			sp = append(sp, v)
		}
		h, err := NewOpeningHours(sp, nil)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	allDay := New(cst, WithOpeningHours(spans("00:00-24:00")))
	evening := New(cst, WithOpeningHours(spans("08:00-12:00", "13:00-24:00")))
	checkEnds(t, plain, []endCase{
		// 第二百零二条: no Feb 31, so the month's last day; 2027's Feb 28 is a
		// Sunday, the next working day Mon Mar 1.
		{"a month from the make-up Sunday Jan 31 2027 ends on Mar 1", "2027-01-31T10:00:00+08:00", Period{1, Months}, "2027-03-01T23:59:59+08:00"},
		{"three months from Nov 30 end on Feb 28 2027, a Sunday: Mar 1", "2026-11-30T10:00:00+08:00", Period{3, Months}, "2027-03-01T23:59:59+08:00"},
		{"a month from Feb 28 is Mar 28, not the month's end", "2026-02-28T10:00:00+08:00", Period{1, Months}, "2026-03-30T23:59:59+08:00"},
		{"0 calendar_days received at 23:59:59 ends within that second", "2026-03-02T23:59:59+08:00", Period{0, CalendarDays}, "2026-03-02T23:59:59+08:00"},
		{"0 working_days on the make-up Saturday is that day", "2026-10-10T23:00:00+08:00", Period{0, WorkingDays}, "2026-10-10T23:59:59+08:00"},
		{"5 working days over Spring Festival 2027 and its make-up Sunday", "2027-02-04T10:00:00+08:00", Period{5, WorkingDays}, "2027-02-18T23:59:59+08:00"},
	})
	checkEnds(t, allDay, []endCase{
		// Open until 24:00: the day's end is its last second, as without
		// business hours, not 00:00 of the next (a rest) day.
		{"open 00:00-24:00: 3 working days end at 23:59:59 of the make-up Saturday", "2026-09-30T10:00:00+08:00", Period{3, WorkingDays}, "2026-10-10T23:59:59+08:00"},
		{"open 00:00-24:00: the same day ends at 23:59:59", "2026-09-30T10:00:00+08:00", Period{0, CalendarDays}, "2026-09-30T23:59:59+08:00"},
		{"open 00:00-24:00: an hour clock runs through the working night", "2026-09-29T23:30:00+08:00", Period{1, Hours}, "2026-09-30T00:30:00+08:00"},
		{"open 00:00-24:00: an hour clock skips National Day", "2026-09-30T23:30:00+08:00", Period{1, Hours}, "2026-10-08T00:30:00+08:00"},
	})
	checkEnds(t, evening, []endCase{
		{"open until 24:00 with lunch: 1 working day ends at 23:59:59", "2026-03-02T10:00:00+08:00", Period{1, WorkingDays}, "2026-03-03T23:59:59+08:00"},
		// 2 staffed hours from 23:00: one until 24:00, one from 08:00.
		{"open until 24:00: two hours from 23:00 run into the next morning", "2026-03-02T23:00:00+08:00", Period{2, Hours}, "2026-03-03T09:00:00+08:00"},
	})
	// SubDuration walks back over the night: from Tue 09:00, one hour back
	// is 08:00, the next is Mon 23:00 (open until 24:00), not 22:59:59.
	if got := evening.SubDuration(at(t, "2026-03-03T09:00:00+08:00"), 2*time.Hour).Format(time.RFC3339); got != "2026-03-02T23:00:00+08:00" {
		t.Errorf("SubDuration over a night open until 24:00 = %s, want 2026-03-02T23:00:00+08:00", got)
	}
}

// TestParsePeriod_CheckedFromOutside feeds ParsePeriod what a policy author
// might write by mistake, and periods too long to count: a huge N must be
// refused, not counted to the scan bound and returned as a wrong date, nor
// overflow into the past.
func TestParsePeriod_CheckedFromOutside(t *testing.T) {
	ok := []struct{ in, want string }{
		{" 3  working_days ", "3 working_days"},
		{"3 Working_Days", "3 working_days"},
		{"0 days", "0 calendar_days"},
		{"240 months", "240 months"}, // 20 years, the longest
	}
	for _, tt := range ok {
		if p, err := ParsePeriod(tt.in); err != nil || p.String() != tt.want {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %s", tt.in, p, err, tt.want)
		}
	}
	bad := []struct{ in, msg string }{
		{"0 hours", "only day periods can be 0"},
		{"-1 days", "not a whole number"},
		{"1e3 working_days", "not a whole number"},
		{"３ working_days", "not a whole number"},
		{"3 working_days per case", "write \"<N> <unit>\""},
		{"99999 working_days", "too long"},
		{"99999 months", "too long"},
		{"99999 calendar_days", "too long"},
		{"3000000 hours", "too long"},
		{"9223372036854775807 minutes", "too long"},
		{"99999999999999999999 hours", "not a whole number"},
	}
	for _, tt := range bad {
		_, err := ParsePeriod(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("ParsePeriod(%q) = %v, want an error saying %q", tt.in, err, tt.msg)
		}
	}
	// The longest periods accepted still count exactly: every one ends
	// after its start, in a year a time value can print.
	start := at(t, "2026-09-30T10:00:00+08:00")
	for _, s := range []string{"5000 working_days", "7320 calendar_days", "240 months", "175680 hours", "10540800 minutes"} {
		p, err := ParsePeriod(s)
		if err != nil {
			t.Fatalf("ParsePeriod(%q): %v", s, err)
		}
		due, _ := New(cst).End(start, p)
		if !due.After(start) || due.Year() > 2047 {
			t.Errorf("End(%s) = %s", s, due)
		}
	}
	// 5000 working days really are 5000: counting them back gives the start day.
	due, _ := New(cst).End(start, Period{5000, WorkingDays})
	if back := New(cst).WorkingDaysBetween(start, due); back != 5000 {
		t.Errorf("WorkingDaysBetween(start, End(5000 working_days)) = %d", back)
	}
}

// TestParseSpan_CheckedFromOutside: hostile business hours.
func TestParseSpan_CheckedFromOutside(t *testing.T) {
	for _, bad := range []string{"24:00-24:00", "+08:30-17:30", "08:30-+17:30", "08:30-17:30:00", "０８:３０-17:30", "08:30-24:01", "17:30-08:30"} {
		if sp, err := ParseSpan(bad); err == nil {
			t.Errorf("ParseSpan(%q) = %v, want an error", bad, sp)
		}
	}
	if sp, err := ParseSpan("00:00-24:00"); err != nil || sp != (Span{0, 24 * 3600}) {
		t.Errorf("ParseSpan(00:00-24:00) = %v, %v", sp, err)
	}
	if _, err := CheckSpans([]Span{{8 * 3600, 12 * 3600}, {11 * 3600, 17 * 3600}}); err == nil {
		t.Error("CheckSpans accepted overlapping periods")
	}
}
