package calendar

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/msg"
)

// Span is one opening period of a day, in seconds after midnight: open
// from From (included) to To (excluded).
type Span struct{ From, To int }

// ParseSpan reads "HH:MM-HH:MM" ("08:30-12:00"; "24:00" may end a day).
func ParseSpan(s string) (Span, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return Span{}, msg.Errorf(msg.T(`时段 %q：写成 "HH:MM-HH:MM"，如 "08:30-12:00"`, `period %q: write "HH:MM-HH:MM", e.g. "08:30-12:00"`), s)
	}
	from, err := parseClock(a)
	if err != nil {
		return Span{}, msg.Errorf(msg.T("时段 %q：%v", "period %q: %v"), s, err)
	}
	to, err := parseClock(b)
	if err != nil {
		return Span{}, msg.Errorf(msg.T("时段 %q：%v", "period %q: %v"), s, err)
	}
	if from >= to {
		return Span{}, msg.Errorf(msg.T("时段 %q：%s 不早于 %s", "period %q: %s is not before %s"), s, strings.TrimSpace(a), strings.TrimSpace(b))
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
			return i, msg.Errorf(msg.T("时段 %s 在 %s 结束之前就开始了；一天的时段要按顺序写，不能重叠", "period %s begins before %s ends; list a day's periods in order, without overlaps"), spans[i], spans[i-1])
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

// WeekdayName is wd as policies write it: "sat".
func WeekdayName(wd time.Weekday) string { return weekdayNames[wd] }

// WeekdayNames lists the names ParseWeekday accepts, Monday first.
func WeekdayNames() string { return "mon, tue, wed, thu, fri, sat, sun" }

// OpeningHours are business hours: the opening periods of a working day, the same
// every day or set per weekday (a make-up Saturday keeps Saturday hours).
// Rest days are closed, unless the office keeps a desk on the rest days of
// some weekdays (WithRestDays). OpeningHours are immutable.
type OpeningHours struct {
	days [7][]Span
	// rest are the periods of a desk kept on ordinary rest days (not
	// holidays) of a weekday: a Saturday morning desk. Hour and minute
	// clocks count them; day clocks count working days only.
	rest [7][]Span
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
	if err := setDays(&h.days, byWeekday, ""); err != nil {
		return nil, err
	}
	return h, nil
}

// setDays checks the periods of each weekday of byWeekday and sets them in
// days; what names the list in errors.
func setDays(days *[7][]Span, byWeekday map[time.Weekday][]Span, what string) error {
	for wd, spans := range byWeekday {
		if len(spans) == 0 {
			return fmt.Errorf("%s%s needs at least one period", what, weekdayNames[wd])
		}
		if _, err := CheckSpans(spans); err != nil {
			return fmt.Errorf("%s%s: %w", what, weekdayNames[wd], err)
		}
		days[wd] = spans
	}
	return nil
}

// WithRestDays is h with a desk open, in the periods given, on the rest days
// of the weekdays in byWeekday that are not holidays: an ordinary Saturday,
// not a Saturday of Spring Festival or an office's day off.
func (h *OpeningHours) WithRestDays(byWeekday map[time.Weekday][]Span) (*OpeningHours, error) {
	out := *h
	if err := setDays(&out.rest, byWeekday, "rest days: "); err != nil {
		return nil, err
	}
	return &out, nil
}

// WorkingDaysOnly is h without its rest-day desk: the hours a working-day
// clock counts in.
func (h *OpeningHours) WorkingDaysOnly() *OpeningHours {
	if !slices.ContainsFunc(h.rest[:], func(s []Span) bool { return s != nil }) {
		return h
	}
	out := *h
	out.rest = [7][]Span{}
	return &out
}

// OnRestDay is the periods of the desk kept on an ordinary rest day that
// falls on wd; nil when there is none.
func (h *OpeningHours) OnRestDay(wd time.Weekday) []Span { return h.rest[wd] }

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
	week := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
	for _, wd := range week {
		if !slices.Equal(h.days[wd], common) {
			out += "; " + weekdayNames[wd] + " " + join(h.days[wd])
		}
	}
	for _, wd := range week {
		if h.rest[wd] != nil {
			out += "; rest-day " + weekdayNames[wd] + " " + join(h.rest[wd])
		}
	}
	return out
}
