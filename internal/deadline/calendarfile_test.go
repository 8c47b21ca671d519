package deadline

import (
	"testing"
	"time"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/policy"
)

// TestCalendarFor_CalendarFile guards the precedence CalendarFor builds:
// the policy's calendar: overrides over the office's days of the calendar
// file, over the file's year, over lunar-go.
func TestCalendarFor_CalendarFile(t *testing.T) {
	f, errs := calendar.ParseFile([]byte(`years:
  2028:
    source: {notice: 国办发明电〔2027〕99号, checked: false}
    holidays:
      - 2028-01-25..2028-02-01: 春节
    workdays:
      - 2028-01-22: 春节
office:
  holidays:
    - 2028-01-21: 年终决算
    - 2028-01-24: 盘点
`))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	p := &policy.Policy{ID: "bank", OfficeCalendar: f,
		Calendar: policy.CalendarOverrides{Workdays: []policy.CalendarDay{{Date: "2028-01-24", Name: "加班"}}}}
	cal, err := CalendarFor(p)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		date    calendar.Date
		working bool
		source  calendar.Source
	}{
		{"the file's make-up Saturday", calendar.Date{Year: 2028, Month: time.January, Day: 22}, true, calendar.FromFile},
		{"the office's day off wins over the file's working Friday", calendar.Date{Year: 2028, Month: time.January, Day: 21}, false, calendar.FromOffice},
		{"the policy's working day wins over the office's day off", calendar.Date{Year: 2028, Month: time.January, Day: 24}, true, calendar.FromPolicy},
		{"lunar-go for a year the file does not list", calendar.Date{Year: 2027, Month: time.February, Day: 8}, false, calendar.FromLibrary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cal.Day(tt.date); d.Working != tt.working || d.Source != tt.source {
				t.Errorf("Day(%s) = %+v, want working=%v source=%d", tt.date, d, tt.working, tt.source)
			}
		})
	}
	// Received Thursday 2028-01-20, 3 working days: Sat 22 (make-up),
	// Mon 24 (the policy's), then the file's Spring Festival: Wed Feb 2.
	due, noData := cal.End(time.Date(2028, 1, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)), calendar.Period{N: 3, Unit: calendar.WorkingDays})
	if got := due.Format(time.RFC3339); got != "2028-02-02T23:59:59+08:00" || len(noData) != 0 {
		t.Errorf("due = %s, no data %v; want 2028-02-02T23:59:59+08:00 and none", got, noData)
	}
}
