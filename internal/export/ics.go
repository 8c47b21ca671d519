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
)

// icsLineMax is RFC 5545's limit on a content line, in octets, without
// the CRLF.
const icsLineMax = 75

// icsEvent is one running clock of an open case, or one clock whose duty
// was never done.
type icsEvent struct {
	r   *office.Record
	c   deadline.Clock
	uid string
}

// ICS writes deadlines.ics: one event per running clock of every open case,
// at its due time, with alarms a day and two hours before, and one event,
// without alarms, per clock of any case that was missed and not done (未办理):
// a duty never done stays on the office's calendar. Events are ordered by
// due time, then UID.
func ICS(w io.Writer, recs []*office.Record, o Options) error {
	var evs []icsEvent
	for _, r := range byID(recs) {
		for _, c := range running(r) {
			evs = append(evs, icsEvent{r, c, icsUID(r, c, o)})
		}
		for _, c := range r.Clocks {
			if c.NotDone {
				evs = append(evs, icsEvent{r, c, icsUID(r, c, o)})
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
	line("METHOD", "PUBLISH")
	line("X-WR-CALNAME", escapeText(o.title()))
	stamp := icsTime(o.Now)
	for _, e := range evs {
		c, cs := e.c, e.r.Case
		summary := cs.ID + " " + c.Name(o.Lang) + ": " + cs.Title
		if c.NotDone {
			summary = "[" + deadline.NotDone.Label(o.Lang) + "] " + summary
		}
		if note := calendar.NoDataNote(c.NoData, o.en()); note != "" {
			summary += " (" + note + ")"
		}
		desc := descriptionOf(e, o)
		line("BEGIN", "VEVENT")
		line("UID", escapeText(e.uid))
		line("DTSTAMP", stamp)
		line("DTSTART", icsTime(c.DueAt))
		line("SUMMARY", escapeText(summary))
		line("DESCRIPTION", escapeText(desc))
		if o.BaseURL != "" {
			line("URL", o.href(casePage(cs.ID)))
		}
		for _, trigger := range alarms(c) {
			line("BEGIN", "VALARM")
			line("ACTION", "DISPLAY")
			line("TRIGGER", trigger)
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

// alarms are the reminders of an event: none for a duty that is past.
func alarms(c deadline.Clock) []string {
	if c.NotDone {
		return nil
	}
	return []string{"-P1D", "-PT2H"}
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
