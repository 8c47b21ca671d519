package calendar

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Span is one opening period of a day, in seconds after midnight: open
// from From (included) to To (excluded).
type Span struct{ From, To int }

// ParseSpan reads "HH:MM-HH:MM" ("08:30-12:00"; "24:00" may end a day).
func ParseSpan(s string) (Span, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return Span{}, fmt.Errorf("period %q: write \"HH:MM-HH:MM\", e.g. \"08:30-12:00\"", s)
	}
	from, err := parseClock(a)
	if err != nil {
		return Span{}, fmt.Errorf("period %q: %w", s, err)
	}
	to, err := parseClock(b)
	if err != nil {
		return Span{}, fmt.Errorf("period %q: %w", s, err)
	}
	if from >= to {
		return Span{}, fmt.Errorf("period %q: %s is not before %s", s, strings.TrimSpace(a), strings.TrimSpace(b))
	}
	return Span{From: from, To: to}, nil
}

// String writes s as "08:30-12:00".
func (s Span) String() string { return clockString(s.From) + "-" + clockString(s.To) }

func clockString(sec int) string { return fmt.Sprintf("%02d:%02d", sec/3600, sec/60%60) }

// CheckSpans reports the first span of a day's list that begins before the
// one before it has ended (overlapping, or out of order), by index; -1 and
// nil when the list is in order.
func CheckSpans(spans []Span) (int, error) {
	for i := 1; i < len(spans); i++ {
		if spans[i].From < spans[i-1].To {
			return i, fmt.Errorf("period %s begins before %s ends; list a day's periods in order, without overlaps", spans[i], spans[i-1])
		}
	}
	return -1, nil
}

// ParseWeekday reads a weekday as policies write it: mon, tue, wed, thu,
// fri, sat, sun.
func ParseWeekday(s string) (time.Weekday, bool) {
	i := slices.Index(weekdayNames, strings.ToLower(strings.TrimSpace(s)))
	return time.Weekday(i), i >= 0
}

// weekdayNames are indexed by time.Weekday.
var weekdayNames = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// WeekdayNames lists the names ParseWeekday accepts, Monday first.
func WeekdayNames() string { return "mon, tue, wed, thu, fri, sat, sun" }

// OpeningHours are business hours: the opening periods of a working day, the same
// every day or set per weekday (a make-up Saturday keeps Saturday hours).
// Rest days are closed. OpeningHours are immutable.
type OpeningHours struct {
	days [7][]Span
}

// NewOpeningHours makes business hours of periods, open on every working day,
// with the weekdays listed in byWeekday open in their own periods instead.
// Every list must be non-empty, in order and without overlaps.
func NewOpeningHours(periods []Span, byWeekday map[time.Weekday][]Span) (*OpeningHours, error) {
	if len(periods) == 0 {
		return nil, fmt.Errorf("business hours need at least one period, e.g. \"08:30-17:30\"")
	}
	if _, err := CheckSpans(periods); err != nil {
		return nil, err
	}
	h := &OpeningHours{}
	for wd := range h.days {
		h.days[wd] = periods
	}
	for wd, spans := range byWeekday {
		if len(spans) == 0 {
			return nil, fmt.Errorf("business hours on %s need at least one period", weekdayNames[wd])
		}
		if _, err := CheckSpans(spans); err != nil {
			return nil, fmt.Errorf("%s: %w", weekdayNames[wd], err)
		}
		h.days[wd] = spans
	}
	return h, nil
}

// On is the opening periods of a working day that falls on wd.
func (h *OpeningHours) On(wd time.Weekday) []Span { return h.days[wd] }

// closing is the end of the last period of a working day on wd.
func (h *OpeningHours) closing(wd time.Weekday) int { return h.days[wd][len(h.days[wd])-1].To }

// String lists the periods, "08:30-12:00, 13:30-17:30", then the weekdays
// that differ: "; sat 09:00-12:00".
func (h *OpeningHours) String() string {
	join := func(spans []Span) string {
		s := make([]string, len(spans))
		for i, sp := range spans {
			s[i] = sp.String()
		}
		return strings.Join(s, ", ")
	}
	// Monday's hours are the common ones unless only Monday differs; the
	// listing is for people, so the majority is shown first.
	common := h.days[time.Monday]
	if slices.Equal(h.days[time.Tuesday], h.days[time.Wednesday]) {
		common = h.days[time.Tuesday]
	}
	out := join(common)
	for _, wd := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
		if !slices.Equal(h.days[wd], common) {
			out += "; " + weekdayNames[wd] + " " + join(h.days[wd])
		}
	}
	return out
}
