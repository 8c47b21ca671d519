package export

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/deadline"
)

// shanghai is the time zone of the PRC offices' calendars.
func shanghai(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip("no tzdata for Asia/Shanghai")
	}
	return loc
}

// TestEventTimes guards where a clock lands on the calendar and when it
// reminds: day clocks on their due day with 09:00 reminders on the working
// day before (by the PRC calendar) and on the day, hour clocks ending at
// their due time with scaled reminders, none for a clock past due.
func TestEventTimes(t *testing.T) {
	loc := shanghai(t)
	cal := calendar.New(loc)
	at := func(y int, m time.Month, d, h, min, s int) time.Time { return time.Date(y, m, d, h, min, s, 0, loc) }
	days := func(n int) calendar.Period { return calendar.Period{N: n, Unit: calendar.WorkingDays} }
	hours := func(n int) calendar.Period { return calendar.Period{N: n, Unit: calendar.Hours} }
	minutes := func(n int) calendar.Period { return calendar.Period{N: n, Unit: calendar.Minutes} }
	early := at(2026, 9, 1, 12, 0, 0)
	tests := []struct {
		name string
		c    deadline.Clock
		now  time.Time
		// day is the all-day event's date ("" for a timed event);
		// start and end the timed event's, in UTC.
		day, start, end string
		alarms          []string
	}{
		{name: "due on a Monday: reminded on the Friday before",
			c:   deadline.Clock{DueAt: at(2026, 11, 30, 23, 59, 59), Period: days(3), State: deadline.Pending},
			now: early, day: "20261130", alarms: []string{"20261127T010000Z", "20261130T010000Z"}},
		{name: "due on a weekday: reminded the day before",
			c:   deadline.Clock{DueAt: at(2026, 11, 5, 23, 59, 59), Period: days(3), State: deadline.Pending},
			now: early, day: "20261105", alarms: []string{"20261104T010000Z", "20261105T010000Z"}},
		{name: "due the Monday after National Day: reminded on the make-up Saturday",
			c:   deadline.Clock{DueAt: at(2026, 10, 12, 23, 59, 59), Period: days(10), State: deadline.Pending},
			now: early, day: "20261012", alarms: []string{"20261010T010000Z", "20261012T010000Z"}},
		{name: "due the first day after National Day: reminded before the holiday",
			c:   deadline.Clock{DueAt: at(2026, 10, 8, 23, 59, 59), Period: days(10), State: deadline.Pending},
			now: early, day: "20261008", alarms: []string{"20260930T010000Z", "20261008T010000Z"}},
		{name: "due after New Year's Day: reminded on the last day of the year",
			c:   deadline.Clock{DueAt: at(2027, 1, 4, 23, 59, 59), Period: calendar.Period{N: 30, Unit: calendar.CalendarDays}, State: deadline.Pending},
			now: early, day: "20270104", alarms: []string{"20261231T010000Z", "20270104T010000Z"}},
		{name: "due at 24:00 shows on the day that ends, not the next",
			c:   deadline.Clock{DueAt: at(2026, 12, 1, 0, 0, 0), Period: days(3), State: deadline.Pending},
			now: early, day: "20261130", alarms: []string{"20261127T010000Z", "20261130T010000Z"}},
		{name: "due at closing time",
			c:   deadline.Clock{DueAt: at(2026, 11, 30, 17, 0, 0), Period: days(3), State: deadline.Pending},
			now: early, day: "20261130", alarms: []string{"20261127T010000Z", "20261130T010000Z"}},
		{name: "a reminder already past is left out",
			c:   deadline.Clock{DueAt: at(2026, 11, 30, 23, 59, 59), Period: days(3), State: deadline.AtRisk},
			now: at(2026, 11, 27, 9, 0, 0), day: "20261130", alarms: []string{"20261130T010000Z"}},
		{name: "overdue: on its due day, no reminders",
			c:   deadline.Clock{DueAt: at(2026, 11, 30, 23, 59, 59), Period: days(3), State: deadline.Overdue},
			now: at(2026, 12, 2, 10, 0, 0), day: "20261130"},
		{name: "not done: no reminders",
			c:   deadline.Clock{DueAt: at(2026, 11, 30, 23, 59, 59), Period: days(3), State: deadline.Missed, NotDone: true},
			now: early, day: "20261130"},
		{name: "24-hour clock: 6 hours and 15 minutes before",
			c:   deadline.Clock{DueAt: at(2026, 11, 4, 10, 0, 0), Period: hours(24), State: deadline.Pending},
			now: early, start: "20261104T013000Z", end: "20261104T020000Z",
			alarms: []string{"20261103T200000Z", "20261104T014500Z"}},
		{name: "2-hour clock: 30 and 15 minutes before",
			c:   deadline.Clock{DueAt: at(2026, 11, 4, 10, 0, 0), Period: hours(2), State: deadline.Pending},
			now: early, start: "20261104T013000Z", end: "20261104T020000Z",
			alarms: []string{"20261104T013000Z", "20261104T014500Z"}},
		{name: "1-hour clock: 15 minutes before",
			c:   deadline.Clock{DueAt: at(2026, 11, 4, 10, 0, 0), Period: hours(1), State: deadline.Pending},
			now: early, start: "20261104T013000Z", end: "20261104T020000Z", alarms: []string{"20261104T014500Z"}},
		{name: "10-minute clock: the event is the clock, reminded half-way",
			c:   deadline.Clock{DueAt: at(2026, 11, 4, 10, 0, 0), Period: minutes(10), State: deadline.Pending},
			now: early, start: "20261104T015000Z", end: "20261104T020000Z", alarms: []string{"20261104T015500Z"}},
		{name: "overdue hour clock keeps its time, no reminders",
			c:   deadline.Clock{DueAt: at(2026, 11, 4, 10, 0, 0), Period: hours(2), State: deadline.Overdue},
			now: at(2026, 11, 4, 11, 0, 0), start: "20261104T013000Z", end: "20261104T020000Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := eventTimes(tt.c, cal, tt.now)
			if tt.day != "" {
				if !got.allDay || icsDate(got.day) != tt.day {
					t.Errorf("all day %v on %s, want all day on %s", got.allDay, icsDate(got.day), tt.day)
				}
			} else if got.allDay || icsTime(got.start) != tt.start || icsTime(got.end) != tt.end {
				t.Errorf("all day %v, %s to %s; want timed %s to %s", got.allDay, icsTime(got.start), icsTime(got.end), tt.start, tt.end)
			}
			var alarms []string
			for _, a := range got.alarms {
				alarms = append(alarms, icsTime(a))
			}
			if !slices.Equal(alarms, tt.alarms) {
				t.Errorf("alarms %v, want %v", alarms, tt.alarms)
			}
		})
	}
}

// TestICS_OverdueAndHourClock goes through ICS: an overdue clock's summary
// starts with the verdict's word and it has no alarms, an hour clock is a
// timed event, in both languages.
func TestICS_OverdueAndHourClock(t *testing.T) {
	recs := loadOffice(t)
	for _, r := range recs {
		switch r.Case.ID {
		case "BANK-2026-0002":
			r.Clocks[0].State = deadline.Overdue
		case "BANK-2026-0003":
			r.Clocks[0].Period = calendar.Period{N: 24, Unit: calendar.Hours}
			r.Clocks[0].DueAt = time.Date(2026, 11, 4, 10, 0, 0, 0, now.Location())
		}
	}
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := ICS(&buf, recs, Options{Now: now, Lang: lang}); err != nil {
				t.Fatal(err)
			}
			events := map[string]string{}
			for _, ev := range strings.Split(unfold(buf.String()), "BEGIN:VEVENT\r\n")[1:] {
				id, _, _ := strings.Cut(strings.TrimPrefix(ev, "UID:"), "-reply@")
				events[id] = ev
			}
			// The verdict's own word, as the CLI and the site print it.
			mark := map[string]string{"zh": "[已超期]", "en": "[overdue]"}[lang]
			late := events["BANK-2026-0002"]
			if !strings.Contains(late, "\r\nSUMMARY:"+mark+" BANK-2026-0002 ") || strings.Contains(late, "VALARM") ||
				!strings.Contains(late, "DTSTART;VALUE=DATE:20261105\r\n") {
				t.Errorf("overdue event:\n%s", late)
			}
			hour := events["BANK-2026-0003"]
			for _, want := range []string{
				"DTSTART:20261104T013000Z\r\nDTEND:20261104T020000Z\r\n",
				"TRIGGER;VALUE=DATE-TIME:20261103T200000Z\r\n", "TRIGGER;VALUE=DATE-TIME:20261104T014500Z\r\n",
			} {
				if !strings.Contains(hour, want) {
					t.Errorf("hour clock's event lacks %q:\n%s", want, hour)
				}
			}
			if strings.Contains(hour, "SUMMARY:[") {
				t.Errorf("running hour clock marked:\n%s", hour)
			}
		})
	}
}

// TestCommonZone guards X-WR-TIMEZONE: written only for one named zone.
func TestCommonZone(t *testing.T) {
	sh := shanghai(t)
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no tzdata")
	}
	tests := []struct {
		name  string
		zones []*time.Location
		want  string
	}{
		{"one zone", []*time.Location{sh, sh}, "Asia/Shanghai"},
		{"UTC", []*time.Location{time.UTC}, "UTC"},
		{"two zones", []*time.Location{sh, ny}, ""},
		{"an unnamed zone", []*time.Location{time.FixedZone("CST", 8*3600)}, ""},
		{"no cases", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := commonZone(tt.zones); got != tt.want {
				t.Errorf("commonZone = %q, want %q", got, tt.want)
			}
		})
	}
}
