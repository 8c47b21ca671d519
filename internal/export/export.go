package export

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
)

// Options tune the exports.
type Options struct {
	// Now is the moment of the build: the feed's date when it has no
	// entries and the calendar's DTSTAMP. The wall clock is never read.
	Now time.Time
	// Lang is "zh" (default) or "en" for labels and column names.
	Lang string
	// IncludePII adds the complainant's personal-data fields to the CSV;
	// anonymous cases never show them.
	IncludePII bool
	// Title names the feed and the calendar.
	Title string
	// BaseURL is the address the site is published at, from ParseBaseURL:
	// with it the feed's and the calendar's links are absolute, so they
	// work in a reader or a calendar app; without, relative to the site.
	BaseURL string
	// Office is the office's name (policy office:) and Repository the
	// first commit of its history (history.Root): they make the feed's id
	// and the calendar's UIDs differ from every other office's.
	Office     string
	Repository string
	// Calendar returns a policy's working-day calendar (Office.Calendar):
	// the calendar feed sets its reminders on the working day before a
	// due day, and cases.csv counts each finished case's handling time in
	// it. Nil: the feed builds each policy's own (deadline.CalendarFor)
	// and the handling-time column stays empty.
	Calendar func(*policy.Policy) *calendar.Calendar
}

// title is the feed and calendar name, "casebook" when none was given.
func (o Options) title() string { return cmp.Or(o.Title, "casebook") }

// en reports whether English labels were asked for.
func (o Options) en() bool { return o.Lang == "en" }

// label is the policy's label for a term; a record whose policy did not
// load shows the bare id rather than failing the whole export.
func label(p *policy.Policy, kind, id string, o Options) string {
	if id == "" {
		return ""
	}
	if p == nil {
		return id
	}
	lang := "zh"
	if o.en() {
		lang = "en"
	}
	return p.Label(kind, id, lang)
}

// casePage is the case's page, relative to the site's root.
func casePage(id string) string { return "cases/" + id + ".html" }

// running returns the clocks of an open case that have not stopped,
// earliest due first (rule id breaks ties), so "next deadline" is the
// first one.
func running(r *office.Record) []deadline.Clock {
	if !r.Open() {
		return nil
	}
	var out []deadline.Clock
	for _, c := range r.Clocks {
		if c.EndedAt == nil {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b deadline.Clock) int {
		return cmp.Or(a.DueAt.Compare(b.DueAt), cmp.Compare(a.Rule, b.Rule))
	})
	return out
}

// byID returns the records sorted by case id, then file, without touching
// the caller's slice.
func byID(recs []*office.Record) []*office.Record {
	out := slices.Clone(recs)
	out = slices.DeleteFunc(out, func(r *office.Record) bool { return r == nil || r.Case == nil })
	slices.SortStableFunc(out, func(a, b *office.Record) int {
		return cmp.Or(cmp.Compare(a.Case.ID, b.Case.ID), cmp.Compare(a.Case.File, b.Case.File))
	})
	return out
}

// text renders a front-matter value as a cell or a line.
func text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case time.Time:
		return v.Format(time.RFC3339)
	}
	return fmt.Sprint(v)
}

// HandlingDays is a finished case's handling time in working days: those
// of cal (its policy's calendar) after the day it was received, up to and
// including the day it reached its terminal state (Record.ClosedAt), both
// days taken in the calendar's time zone. The day of receipt is not
// counted, as in a period: a case closed the day it came in took 0. The
// dashboard's median and cases.csv's 办理用时(工作日) both come from here.
// ok is false for an open case, one without a time of receipt or a
// recorded closing, and without a calendar.
func HandlingDays(r *office.Record, cal *calendar.Calendar) (days int, ok bool) {
	at, closed := r.ClosedAt()
	if !closed || r.Case.ReceivedAt.IsZero() || cal == nil {
		return 0, false
	}
	return max(0, cal.WorkingDaysBetween(r.Case.ReceivedAt, at)), true
}
