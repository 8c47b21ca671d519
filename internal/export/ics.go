package export

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
)

// icsLineMax is RFC 5545's limit on a content line, in octets, without
// the CRLF.
const icsLineMax = 75

// icsEvent is one running clock of an open case, or one clock whose duty
// was never done, with the calendar its days are counted in.
type icsEvent struct {
	r   *office.Record
	c   deadline.Clock
	uid string
	cal *calendar.Calendar
}

// ICS writes deadlines.ics: one event per running clock of every open case
// and one per clock of any case that was missed and not done (未办理): a
// duty never done stays on the office's calendar. Events are ordered by
// due time, then UID; see eventTimes for when they are and when they
// remind. There is no METHOD: a published feed is not a scheduling
// message, and METHOD:PUBLISH would need an ORGANIZER (RFC 5546 3.2.1).
func ICS(w io.Writer, recs []*office.Record, o Options) error {
	cals := calendarsOf(o)
	var evs []icsEvent
	var zones []*time.Location
	for _, r := range byID(recs) {
		cal := cals(r.Policy)
		if r.Policy != nil {
			zones = append(zones, cal.Location())
		}
		for _, c := range running(r) {
			evs = append(evs, icsEvent{r, c, icsUID(r, c, o), cal})
		}
		for _, c := range r.Clocks {
			if c.NotDone {
				evs = append(evs, icsEvent{r, c, icsUID(r, c, o), cal})
			}
		}
	}
	slices.SortStableFunc(evs, func(a, b icsEvent) int {
		return cmp.Or(a.c.DueAt.Compare(b.c.DueAt), cmp.Compare(a.uid, b.uid))
	})
	bw := bufio.NewWriter(w)
	line := func(name, value string) { writeFolded(bw, name+":"+value) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//casebook//casebook//ZH")
	line("CALSCALE", "GREGORIAN")
	line("X-WR-CALNAME", escapeText(o.title()))
	if tz := commonZone(zones); tz != "" {
		line("X-WR-TIMEZONE", tz)
	}
	stamp := icsTime(o.Now)
	for _, e := range evs {
		c, cs := e.c, e.r.Case
		summary := cs.ID + " " + c.Name(o.Lang) + ": " + cs.Title
		if v := c.Verdict(); v == deadline.NotDone || v == deadline.Overdue {
			summary = "[" + v.Label(o.Lang) + "] " + summary
		}
		if note := calendar.NoDataNote(c.NoData, o.en()); note != "" {
			summary += " (" + note + ")"
		}
		desc := descriptionOf(e, o)
		at := eventTimes(c, e.cal, o.Now)
		line("BEGIN", "VEVENT")
		line("UID", escapeText(e.uid))
		line("DTSTAMP", stamp)
		if at.allDay {
			line("DTSTART;VALUE=DATE", icsDate(at.day))
			line("DTEND;VALUE=DATE", icsDate(at.day.AddDays(1)))
		} else {
			line("DTSTART", icsTime(at.start))
			line("DTEND", icsTime(at.end))
		}
		line("SUMMARY", escapeText(summary))
		line("DESCRIPTION", escapeText(desc))
		if o.BaseURL != "" {
			line("URL", o.href(casePage(cs.ID)))
		}
		for _, t := range at.alarms {
			line("BEGIN", "VALARM")
			line("ACTION", "DISPLAY")
			line("TRIGGER;VALUE=DATE-TIME", icsTime(t))
			// DISPLAY alarms must carry a DESCRIPTION (RFC 5545 3.6.6).
			line("DESCRIPTION", escapeText(summary))
			line("END", "VALARM")
		}
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write calendar: %w", err)
	}
	return nil
}

// calendarsOf returns the working-day calendar of a policy: Options'
// when given, else one built per policy and kept for the call; a record
// without a policy counts in UTC by the weekday rule.
func calendarsOf(o Options) func(*policy.Policy) *calendar.Calendar {
	built := map[*policy.Policy]*calendar.Calendar{}
	return func(p *policy.Policy) *calendar.Calendar {
		if p == nil {
			return calendar.New(time.UTC)
		}
		if o.Calendar != nil {
			if c := o.Calendar(p); c != nil {
				return c
			}
		}
		c, ok := built[p]
		if !ok {
			c, _ = deadline.CalendarFor(p)
			built[p] = c
		}
		return c
	}
}

// commonZone is the IANA name of the one time zone every case counts in,
// for X-WR-TIMEZONE, which some calendar apps take as the zone to show a
// feed in (cases whose policy did not load count in none); "" when the
// cases count in several, or in an unnamed zone, or there are none: the
// events need no zone (times are UTC, days are dates).
func commonZone(zones []*time.Location) string {
	name := ""
	for _, z := range zones {
		n := z.String()
		if n != "UTC" && !strings.Contains(n, "/") || name != "" && n != name {
			return ""
		}
		name = n
	}
	return name
}

// Reminder rules of the calendar feed.
const (
	// remindHour is the local hour of a day clock's reminders: 09:00 on
	// the working day before the due day and on the due day.
	remindHour = 9
	// hourSpan is how long before its due time an hour clock's event
	// starts (the clock's length when shorter): the event ends at the
	// due time, so a calendar shows the deadline where it falls.
	hourSpan = 30 * time.Minute
	// hourAlarm is the last reminder of an hour clock (half the clock's
	// length when shorter); a second comes a quarter of the clock's
	// length before the due time when that is longer.
	hourAlarm = 15 * time.Minute
)

// icsTimes is when an event is and when it reminds.
type icsTimes struct {
	// allDay events take the whole due day; the others run from start
	// to end.
	allDay     bool
	day        calendar.Date
	start, end time.Time
	// alarms are the reminders, earliest first.
	alarms []time.Time
}

// eventTimes places a clock on the calendar:
//
//   - A clock counted in days (working days, calendar days, months) is an
//     all-day event on its due day, in the time zone of its calendar, with
//     reminders at 09:00 on the working day before (by the office's
//     calendar: holidays and make-up working days count) and at 09:00 on
//     the due day.
//   - A clock counted in hours or minutes is a timed event ending at the
//     due time and starting hourSpan before (or at its start, when
//     shorter), with reminders hourAlarm before the due time (half the
//     length when shorter) and a quarter of the length before when that
//     is longer than hourAlarm: a 24-hour clock reminds 6 hours and 15
//     minutes before, a 1-hour clock 15 minutes before. These spans are
//     wall-clock time back from the due time, also for a clock counted in
//     business hours (the rule's hours are not the policy calendar's).
//
// An overdue clock and one never done keep their place but remind no
// more, and a reminder at or before now is left out: it would only pop
// up late. The feed depends on now alone, never on the wall clock, so
// one --now gives the same file.
func eventTimes(c deadline.Clock, cal *calendar.Calendar, now time.Time) icsTimes {
	var at icsTimes
	due := c.DueAt.Truncate(time.Second)
	if c.Period.Unit.Clock() {
		length := c.Period.Duration()
		at.start, at.end = due.Add(-min(hourSpan, length)), due
		if q := length / 4; q > hourAlarm {
			at.alarms = append(at.alarms, due.Add(-q))
		}
		at.alarms = append(at.alarms, due.Add(-min(hourAlarm, length/2)))
	} else {
		loc := cal.Location()
		at.allDay, at.day = true, dueDay(due, loc)
		at.alarms = []time.Time{
			workingDayBefore(cal, at.day).At(remindHour, 0, 0, loc),
			at.day.At(remindHour, 0, 0, loc),
		}
	}
	if v := c.Verdict(); v == deadline.Overdue || v == deadline.NotDone {
		at.alarms = nil
	}
	at.alarms = slices.DeleteFunc(at.alarms, func(t time.Time) bool { return !t.After(now) })
	return at
}

// dueDay is the day a due time falls on in loc. A due time at midnight
// (24:00, written as 00:00 of the next day) is the end of the day before,
// so the event shows on the last day the duty can be done, as 23:59:59
// does.
func dueDay(due time.Time, loc *time.Location) calendar.Date {
	t := due.In(loc)
	d := calendar.DateOf(t, loc)
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		d = d.AddDays(-1)
	}
	return d
}

// workingDayBefore is the last working day before d by cal; the day
// before d when none is found within a year (a calendar of rest days).
func workingDayBefore(cal *calendar.Calendar, d calendar.Date) calendar.Date {
	for p, i := d.AddDays(-1), 0; i < 366; p, i = p.AddDays(-1), i+1 {
		if cal.Day(p).Working {
			return p
		}
	}
	return d.AddDays(-1)
}

// icsUID names a clock's event: the case and the rule, and the run of the
// rule after the first (a reopening, a later report).
func icsUID(r *office.Record, c deadline.Clock, o Options) string {
	uid := r.Case.ID + "-" + c.Rule
	if c.Cycle > 0 {
		uid += fmt.Sprintf("-c%d", c.Cycle)
	}
	if c.Report > 1 {
		uid += fmt.Sprintf("-r%d", c.Report)
	}
	// The domain part is the office's, so two offices' calendars
	// subscribed side by side never merge their events.
	domain := "casebook"
	if k := o.officeKey(); k != "" {
		if len(k) > 16 && o.Repository != "" {
			k = k[:16]
		}
		domain = k + ".casebook"
	}
	return uid + "@" + domain
}

// descriptionOf says where the clock stands and where the case page is.
func descriptionOf(e icsEvent, o Options) string {
	status := label(e.r.Policy, "state", e.r.Case.Status, o)
	note := calendar.NoDataNote(e.c.NoData, o.en())
	if o.en() {
		if note != "" {
			note = "\nNote: " + note + "; the due date counts weekends only, check it against the holiday notice"
		}
		return "Deadline: " + e.c.Verdict().Label(o.Lang) + "\nStatus: " + status + "\nPage: " + o.href(casePage(e.r.Case.ID)) + note
	}
	if note != "" {
		note = "\n注意：" + note + "，到期日只按周末推算，请对照放假通知核对"
	}
	return "期限状态：" + e.c.Verdict().Label(o.Lang) + "\n案件状态：" + status + "\n页面：" + o.href(casePage(e.r.Case.ID)) + note
}

// icsDate is a DATE value.
func icsDate(d calendar.Date) string {
	return fmt.Sprintf("%04d%02d%02d", d.Year, int(d.Month), d.Day)
}

// icsTime is a UTC DATE-TIME, which every calendar reads without a
// VTIMEZONE.
func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// escapeText escapes a TEXT value (RFC 5545 3.3.11). Carriage returns are
// dropped so CRLF in a note becomes one \n.
func escapeText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case ';':
			b.WriteString(`\;`)
		case ',':
			b.WriteString(`\,`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
		default:
			// Other controls are not allowed in TEXT.
			if r < 0x20 && r != '\t' || r == 0x7f {
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// writeFolded writes a content line with CRLF, folded so that no line is
// longer than 75 octets and no UTF-8 sequence is split; continuation lines
// start with a space, which counts toward their 75. Invalid UTF-8 was
// already replaced by escapeText's range loop.
func writeFolded(w *bufio.Writer, s string) {
	limit := icsLineMax
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.WriteString(s[:cut])
		w.WriteString("\r\n ")
		s = s[cut:]
		limit = icsLineMax - 1
	}
	w.WriteString(s)
	w.WriteString("\r\n")
}
