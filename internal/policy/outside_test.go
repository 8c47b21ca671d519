package policy

import (
	"testing"
	"time"

	"github.com/casebook/casebook/internal/calendar"
)

// TestLoad_CheckedFromOutside: hostile clock settings of an audit (issue 11),
// each a policy.invalid on its line; docs/clock-scenarios.md, "Checked from
// outside".
func TestLoad_CheckedFromOutside(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		msg      string // substring of the expected message
		at       string // the expected line holds this text
	}{
		{"a period of 99999 working days", "duration: 2 working_days", "duration: 99999 working_days", `period "99999 working_days" is too long: at most 5000 working_days`, "99999 working_days"},
		{"hours too many to count", "duration: 2 working_days", "duration: 3000000 hours", `is too long: at most 175680 hours`, "3000000 hours"},
		{"a warning of 99999 months", "    warn_after: 7 working_days\n", "    warn_after: 99999 months\n", `warn_after: period "99999 months" is too long`, "99999 months"},
		{"a full-width digit", "duration: 2 working_days", "duration: ３ working_days", `"３" is not a whole number`, "３ working_days"},
		{"an exponent", "duration: 2 working_days", "duration: 1e3 working_days", `"1e3" is not a whole number`, "1e3 working_days"},
		{"hours named none", "prefix: TST\n", "prefix: TST\nhours:\n  none: {periods: [\"08:30-17:30\"]}\n", `hours "none": not a usable name`, "none:"},
		{"hours named in Chinese", "prefix: TST\n", "prefix: TST\nhours:\n  日间: {periods: [\"08:30-17:30\"]}\n", `hours "日间": not a usable name`, "日间:"},
		{"a period from 24:00 to 24:00", "prefix: TST\n", "prefix: TST\nbusiness_hours: {periods: [\"24:00-24:00\"]}\n", `24:00 is not before 24:00`, "24:00-24:00"},
		{"a signed time of day", "prefix: TST\n", "prefix: TST\nbusiness_hours: {periods: [\"+08:30-17:30\"]}\n", `"+08:30" is not a time of day`, "+08:30"},
		{"a weekday given twice", "prefix: TST\n", "prefix: TST\nbusiness_hours:\n  periods: [\"08:30-17:30\"]\n  weekdays:\n    sat: [\"09:00-12:00\"]\n    Sat: [\"09:00-11:00\"]\n", `business_hours.weekdays: "Sat" and "sat" both name sat`, "sat:"},
		{"a rest-day desk given twice", "prefix: TST\n", "prefix: TST\nbusiness_hours:\n  periods: [\"08:30-17:30\"]\n  rest_days:\n    sun: [\"09:00-12:00\"]\n    \" sun\": [\"09:00-11:00\"]\n", `business_hours.rest_days: " sun" and "sun" both name sun`, "sun:"},
		{"open at 24:00", "prefix: TST\n", "prefix: TST\nbusiness_hours: {open: \"24:00\", close: \"24:00\"}\n", `business_hours.open "24:00" is not HH:MM`, "business_hours"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantProblem(t, edit(t, tt.old, tt.new), tt.msg, tt.at) })
	}
}

// TestLoad_HoursUntilMidnight: a desk open until 24:00 may say so in either
// form, and its day clocks end at 23:59:59, not at 00:00 of the next day.
func TestLoad_HoursUntilMidnight(t *testing.T) {
	for _, bh := range []string{`{open: "08:00", close: "24:00"}`, `{periods: ["00:00-24:00"]}`} {
		p := mustLoad(t, edit(t, "prefix: TST\n", "prefix: TST\nbusiness_hours: "+bh+"\n"))
		h, err := p.BusinessHours.OpeningHours()
		if err != nil {
			t.Fatalf("%s: %v", bh, err)
		}
		cal := calendar.New(p.Location, calendar.WithOpeningHours(h))
		start := time.Date(2026, 9, 30, 10, 0, 0, 0, p.Location)
		due, _ := cal.End(start, calendar.Period{N: 3, Unit: calendar.WorkingDays})
		if got := due.Format(time.RFC3339); got != "2026-10-10T23:59:59+08:00" {
			t.Errorf("%s: 3 working days from Sep 30 end %s, want 2026-10-10T23:59:59+08:00", bh, got)
		}
	}
}
