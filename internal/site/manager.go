package site

import (
	"cmp"
	"fmt"
	"html"
	"html/template"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/export"
	"github.com/casebook/casebook/internal/office"
)

// The views a manager expects beside the key figures: who handles what
// and how well, how old the open work is, which cases closed late, and
// how each procedure goes month by month.

func init() {
	addWords("manager", map[string][2]string{
		"closed_late":     {"超期办结", "Closed late"},
		"closed_late_all": {"全部超期办结案件", "All cases closed late"},
		"esc_all":         {"全部重大或升级案件（含已办结）", "All escalated cases, closed ones too"},
		"handler_table":   {"承办人办理情况", "Handlers"},
		"h_closed":        {"近12个月办结", "Closed (12 months)"},
		"h_rate":          {"按时办结率", "On-time rate"},
		"h_median":        {"办理时长中位数（工作日）", "Median working days"},
		"period_note":     {"办结、按时办结率和办理时长按近12个月（%s 至 %s）办结的案件计：一件案件的每个期限都按时才算按时办结。", "Closed cases, on-time rates and handling times count the cases closed in the last 12 months (%s to %s); a case is on time when every one of its deadlines was met."},
		"ageing":          {"在办案件已办理时长（按部门，工作日）", "Age of open cases by department (working days)"},
		"age_0":           {"0–3", "0–3"},
		"age_1":           {"4–10", "4–10"},
		"age_2":           {"11–30", "11–30"},
		"age_3":           {"30以上", "over 30"},
		"age":             {"已办理（工作日）", "Open for (working days)"},
		"trends":          {"各办法逐月趋势", "Month by month, per procedure"},
		"t_month":         {"月份", "Month"},
		"t_received":      {"受理", "Received"},
		"t_closed":        {"办结", "Closed"},
		"t_rate":          {"按时办结率", "On-time rate"},
		"t_table":         {"数字", "The numbers"},
		"missed_clock":    {"超期的期限", "Deadline missed"},
	})
}

// ageBuckets are the upper bounds, in working days, of the backlog
// ageing columns: 0–3, 4–10, 11–30, over 30.
var ageBuckets = []int{3, 10, 30}

// ageBucket is the column of an open case open for n working days, and
// its filter value for the case list.
func ageBucket(n int) (int, string) {
	lo := 0
	for i, hi := range ageBuckets {
		if n <= hi {
			return i, strconv.Itoa(lo) + "-" + strconv.Itoa(hi)
		}
		lo = hi + 1
	}
	return len(ageBuckets), strconv.Itoa(lo) + "-"
}

// HandlerRow is one handler's line of the handler table: open cases now,
// cases closed in the period, the share of those on time, and their
// median handling time in working days.
type HandlerRow struct {
	Name                 string
	Open, Closed         int
	Rate, Median         string
	OpenHref, ClosedHref string
	onTime, decided      int
	days                 []int
}

// AgeRow is one department's open cases by how long they have been open.
type AgeRow struct {
	Name      string
	Counts    []int
	Hrefs     []string
	Total     int
	TotalHref string
}

// Trend is one procedure's last 12 months: a chart and its numbers.
type Trend struct {
	Policy string
	Chart  template.HTML
	Months []TrendMonth
}

// TrendMonth is one month of a Trend; Rate is the on-time share of the
// cases closed that month ("—" when none had a deadline).
type TrendMonth struct {
	Label            string
	Received, Closed int
	Rate             string
	onTime, decided  int
}

// Period is the stretch the rates of the dashboard count over.
type Period struct {
	From, To string // dates, "2006-01-02"
	Note     string
}

// periodStart is the first moment of the 12 months up to now: the rates
// count the cases closed since then.
func periodStart(now time.Time) time.Time { return now.AddDate(-1, 0, 0) }

// caseOnTime tells whether a closed case met every deadline it had, and
// whether it had any that ended at all (decided).
func caseOnTime(r *office.Record) (onTime, decided bool) {
	onTime = true
	for _, c := range r.Clocks {
		switch c.State {
		case deadline.Met:
			decided = true
		case deadline.Missed, deadline.Overdue:
			decided, onTime = true, false
		}
	}
	return onTime && decided, decided
}

// closedLate tells whether a case closed with a deadline missed, and the
// first one missed.
func closedLate(r *office.Record) (deadline.Clock, bool) {
	if r.Open() {
		return deadline.Clock{}, false
	}
	for _, c := range r.Clocks {
		if c.State == deadline.Missed {
			return c, true
		}
	}
	return deadline.Clock{}, false
}

// rateText is a share as the dashboard shows it: "66.7%", "—" for none.
func rateText(n, of int) string {
	if of == 0 {
		return "—"
	}
	return strconv.FormatFloat(float64(n)*100/float64(of), 'f', 1, 64) + "%"
}

// managerViews fills d's handler table, backlog ageing, closed-late list
// and trends, and returns the on-time counts and handling times of the
// cases closed in the period, for the key figures.
func managerViews(o *office.Office, recs []*office.Record, opts Options, d *Dashboard) (onTime, decided int, handling []int) {
	lang := opts.Lang
	handlers := map[string]*HandlerRow{}
	handler := func(name string) *HandlerRow {
		if name == "" {
			name = noneValue
		}
		h := handlers[name]
		if h == nil {
			h = &HandlerRow{Name: name}
			handlers[name] = h
		}
		return h
	}
	ages := map[string]*AgeRow{}
	trends := map[string]*Trend{}
	l := officeLoc(recs)
	now := opts.Now.In(l)
	start := periodStart(now)
	from, to := start.Format(time.DateOnly), now.Format(time.DateOnly)
	d.Period = Period{From: from, To: to, Note: fmt.Sprintf(word(lang, "period_note"), from, to)}
	months := lastMonths(now, 12)
	var late []CaseRef
	for _, r := range recs {
		c := r.Case
		rl := loc(r)
		name := listed(r, "assignee")
		if r.Open() {
			handler(name).Open++
			if !c.ReceivedAt.IsZero() && r.Policy != nil {
				dept := listed(r, "department")
				if dept == "" {
					dept = noneValue
				}
				a := ages[dept]
				if a == nil {
					a = &AgeRow{Name: dept, Counts: make([]int, len(ageBuckets)+1)}
					ages[dept] = a
				}
				col, _ := ageBucket(ageOf(o.Calendar(r.Policy), r, opts.Now))
				a.Counts[col]++
				a.Total++
			}
		}
		at, closed := closedAt(r)
		var ok, dec bool
		if closed {
			ok, dec = caseOnTime(r)
		}
		if closed && !at.Before(start) && !at.After(opts.Now) {
			h := handler(name)
			h.Closed++
			if dec {
				decided++
				h.decided++
				if ok {
					onTime++
					h.onTime++
				}
			}
			if r.Policy != nil {
				// The handling time cases.csv shows, so the two agree.
				if n, ok := export.HandlingDays(r, o.Calendar(r.Policy)); ok {
					handling = append(handling, n)
					h.days = append(h.days, n)
				}
			}
		}
		if cl, ok := closedLate(r); ok && closed {
			ref := CaseRef{ID: c.ID, Href: caseHref(c.ID), Title: c.Title, Status: label(r.Policy, "state", c.Status, lang),
				Clock: cl.Name(lang), Due: cl.DueAt.In(rl).Format(timeLayout), Days: daysText(lang, cl, opts.Now),
				Handler: name, Department: listed(r, "department"), Closed: at.In(rl).Format(timeLayout),
				received: at.UTC().Format(time.RFC3339)}
			late = append(late, ref)
		}
		if r.Policy != nil {
			t := trends[r.Policy.ID]
			if t == nil {
				t = &Trend{Policy: r.Policy.Label("policy", r.Policy.ID, lang), Months: make([]TrendMonth, len(months))}
				for i, m := range months {
					t.Months[i].Label = m.Format("2006-01")
				}
				trends[r.Policy.ID] = t
			}
			if !c.ReceivedAt.IsZero() {
				if i := monthIndex(months, c.ReceivedAt.In(rl)); i >= 0 {
					t.Months[i].Received++
				}
			}
			if closed {
				if i := monthIndex(months, at.In(rl)); i >= 0 {
					m := &t.Months[i]
					m.Closed++
					if dec {
						m.decided++
						if ok {
							m.onTime++
						}
					}
				}
			}
		}
	}
	// Closed late: the latest closed first ("received" holds the closing
	// time here), with the whole list a link away.
	slices.SortStableFunc(late, func(a, b CaseRef) int {
		return cmp.Or(strings.Compare(b.received, a.received), strings.Compare(b.ID, a.ID))
	})
	d.ClosedLateAll = len(late)
	d.ClosedLate = late[:min(len(late), dashboardList)]

	for _, h := range handlers {
		h.Rate, h.Median = rateText(h.onTime, h.decided), median(h.days)
		if h.Open > 0 {
			h.OpenHref = filterHref("stage", "open", "a", h.Name)
		}
		if h.Closed > 0 {
			h.ClosedHref = filterHref("a", h.Name, "cfrom", from, "cto", to)
		}
		d.HandlerTable = append(d.HandlerTable, *h)
	}
	slices.SortFunc(d.HandlerTable, func(a, b HandlerRow) int {
		return cmp.Or(b.Open-a.Open, b.Closed-a.Closed, strings.Compare(a.Name, b.Name))
	})
	for _, a := range ages {
		a.Hrefs = make([]string, len(a.Counts))
		for i, n := range a.Counts {
			if n > 0 {
				lo := 0
				if i > 0 {
					lo = ageBuckets[i-1] + 1
				}
				_, v := ageBucket(lo)
				a.Hrefs[i] = filterHref("stage", "open", "d", a.Name, "age", v)
			}
		}
		a.TotalHref = filterHref("stage", "open", "d", a.Name)
		d.Ageing = append(d.Ageing, *a)
	}
	slices.SortFunc(d.Ageing, func(a, b AgeRow) int {
		return cmp.Or(b.Total-a.Total, strings.Compare(a.Name, b.Name))
	})
	pids := slices.Sorted(maps.Keys(trends))
	for i, id := range pids {
		t := trends[id]
		// A procedure with nothing received or closed in the 12 months
		// gets no empty chart.
		if !slices.ContainsFunc(t.Months, func(m TrendMonth) bool { return m.Received > 0 || m.Closed > 0 }) {
			continue
		}
		for j := range t.Months {
			m := &t.Months[j]
			m.Rate = rateText(m.onTime, m.decided)
		}
		t.Chart = trendChart(fmt.Sprintf("trend-%d", i), t, lang)
		d.Trends = append(d.Trends, *t)
	}
	return onTime, decided, handling
}

// officeLoc is the office's time zone: the first policy's.
func officeLoc(recs []*office.Record) *time.Location {
	for _, r := range recs {
		if r.Policy != nil {
			return loc(r)
		}
	}
	return time.UTC
}

// lastMonths are the first days of the n months up to and including
// now's, oldest first.
func lastMonths(now time.Time, n int) []time.Time {
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
	out := make([]time.Time, n)
	for i := range out {
		out[i] = first.AddDate(0, i-n+1, 0)
	}
	return out
}

func monthIndex(months []time.Time, t time.Time) int {
	for i, m := range months {
		if t.Year() == m.Year() && t.Month() == m.Month() {
			return i
		}
	}
	return -1
}

// Trend chart geometry, in SVG user units: drawn for a phone's width, so
// its text is 12 px there and never scaled below 11.
const (
	trendW      = 360
	trendH      = 190
	trendTop    = 24
	trendBottom = 36
	trendFont   = 12
)

// trendChart draws received and closed cases per month as paired columns,
// with a title, a legend and a description in words for screen readers.
func trendChart(id string, t *Trend, lang string) template.HTML {
	e := html.EscapeString
	maxN := 1
	for _, m := range t.Months {
		maxN = max(maxN, m.Received, m.Closed)
	}
	// The axis' top count is written left of the plot, which starts
	// where the widest count ends.
	trendLeft := max(30, int(math.Ceil(textEm(strconv.Itoa(maxN))*trendFont))+6)
	plotH := trendH - trendTop - trendBottom
	slot := float64(trendW-trendLeft-4) / float64(len(t.Months))
	barW := slot*0.4 - 1
	var desc []string
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart trend" role="img" width="%d" height="%d" viewBox="0 0 %d %d" aria-labelledby="%s-title %s-desc">`,
		trendW, trendH, trendW, trendH, id, id)
	for _, m := range t.Months {
		desc = append(desc, fmt.Sprintf(pick(lang, [2]string{"%s 受理 %d、办结 %d、按时 %s", "%s received %d, closed %d, on time %s"}), m.Label, m.Received, m.Closed, m.Rate))
	}
	sep := pick(lang, [2]string{"；", "; "})
	fmt.Fprintf(&b, "\n<title id=\"%s-title\">%s</title>\n<desc id=\"%s-desc\">%s</desc>\n", id, e(t.Policy), id, e(strings.Join(desc, sep)))
	// Legend.
	fmt.Fprintf(&b, `<rect x="%d" y="6" width="10" height="10" fill="#3b6ea5"></rect><text x="%d" y="15" font-size="%d" fill="#333">%s</text>`,
		trendLeft, trendLeft+14, trendFont, e(word(lang, "t_received")))
	fmt.Fprintf(&b, `<rect x="%d" y="6" width="10" height="10" fill="#9bb8d3"></rect><text x="%d" y="15" font-size="%d" fill="#333">%s</text>`+"\n",
		trendLeft+90, trendLeft+104, trendFont, e(word(lang, "t_closed")))
	// Scale: the top count on the axis.
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" font-size="%d" fill="#555">%d</text>`, trendLeft-4, trendTop+trendFont-2, trendFont, maxN)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" font-size="%d" fill="#555">0</text>`, trendLeft-4, trendTop+plotH, trendFont)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#999"></line>`+"\n", trendLeft, trendTop+plotH, trendW-4, trendTop+plotH)
	for i, m := range t.Months {
		x := float64(trendLeft) + slot*float64(i) + slot*0.1
		for k, n := range []int{m.Received, m.Closed} {
			h := float64(n) * float64(plotH) / float64(maxN)
			fill := "#3b6ea5"
			if k == 1 {
				fill = "#9bb8d3"
			}
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"></rect>`, x+float64(k)*(barW+1), float64(trendTop+plotH)-h, barW, h, fill)
		}
		// Each month by its number (MM); the range is written below.
		{
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" font-size="%d" fill="#333">%s</text>`, x+barW, trendTop+plotH+trendFont+4, trendFont, m.Label[5:])
		}
		b.WriteString("\n")
	}
	last := t.Months[len(t.Months)-1]
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="%d" fill="#555">%s</text>`, trendLeft, trendH-4, trendFont, e(t.Months[0].Label+" – "+last.Label))
	b.WriteString("</svg>")
	return template.HTML(b.String())
}

// ageOf is how many working days an open case has been open at now, for
// the case list's age filter; -1 for a closed case or one with no date.
func ageOf(cal *calendar.Calendar, r *office.Record, now time.Time) int {
	if !r.Open() || r.Case.ReceivedAt.IsZero() || cal == nil {
		return -1
	}
	// Counted as the handling time is (export.HandlingDays): the day of
	// receipt not counted.
	return max(0, cal.WorkingDaysBetween(r.Case.ReceivedAt, now))
}
