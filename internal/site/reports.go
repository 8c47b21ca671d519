package site

import (
	"bytes"
	"cmp"
	"fmt"
	"html"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/casebook/casebook/internal/export"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/volume"
)

// reportWords are the report pages' own chrome; init adds them to words so
// templates reach them through "t" like every other label.
var reportWords = map[string][2]string{
	"reports":       {"统计报表", "Reports"},
	"months":        {"月报", "Monthly"},
	"halves":        {"半年报", "Half-yearly"},
	"count":         {"件数", "Cases"},
	"finished":      {"办结", "Finished"},
	"met":           {"按时", "Met"},
	"missed":        {"超时办结", "Missed"},
	"late_open":     {"超期未办", "Overdue"},
	"rate":          {"按时率", "On-time rate"},
	"csv":           {"下载 CSV", "Download CSV"},
	"by_category":   {"按类别", "By category"},
	"by_channel":    {"按渠道", "By channel"},
	"by_department": {"按部门", "By department"},
	"by_cause":      {"按原因", "By cause"},
	"by_class":      {"按类别分级", "By category class"},
	"unset":         {"（未填）", "(none)"},
	"period":        {"统计期间", "Period"},
	"code":          {"代码", "Code"},
}

func init() {
	addWords("report", reportWords)
}

// ReportIndex is the data of reports/index.html.
type ReportIndex struct {
	Policies []ReportPolicy
}

// ReportPolicy lists the report periods of one policy, newest first,
// and the reports its procedure prescribes (see seedreports.go).
type ReportPolicy struct {
	Name           string
	Months, Halves []ReportLink
	Seed           []SeedLinks
}

// ReportLink is one period's report page.
type ReportLink struct {
	Label, Href string
	Cases       int
	// Shown is Cases as reports.html shows it: in a public build a
	// count under MinCell reads Suppressed.
	Shown string
}

// Report is the data of one reports/<policy>-<period>.html.
type Report struct {
	Policy, Period string
	// Cases are the period's cases as the page shows them (withheld in
	// a public build when few).
	Cases  string
	Tables []StatTable
}

// StatTable is one grouping of a report, with its chart and CSV file.
type StatTable struct {
	Key, Title, Group string
	CSV               string // href of the CSV file, relative to the page
	Chart             template.HTML
	Rows              []StatRow
	Total             StatRow
}

// StatRow counts the cases of one group, as casebook stats does.
type StatRow struct {
	ID, Label string
	office.Tally
	Rate string // "66.7%", or "—" when no clock ended or ran late
	// Shown are the counts and the rate as the page and the CSV show
	// them, in report.html's order: the numbers, or in a public build
	// Suppressed for the withheld ones (see publicStats).
	Shown []string
}

// reportPage is what report.html and reports.html receive: a Page plus
// the report data, so the layout's templates keep working unchanged.
type reportPage struct {
	Page
	Report  *Report
	Reports *ReportIndex
}

// period is one month ("2026-11") or half-year ("2026-H2") of one policy.
type period struct {
	key  string
	recs []*office.Record
}

// writeReports writes reports/index.html and, per policy, a page with
// CSV files for every month and half-year in which cases were received.
func writeReports(w *writer, o *office.Office, recs []*office.Record, marks *condMarks, opts Options) error {
	lang := opts.Lang
	vols, err := volume.Load(o.Root)
	if err != nil {
		return err
	}
	now := opts.Now.Format(timeLayout + " -07:00")
	byPolicy := map[string][]*office.Record{}
	pols := map[string]*policy.Policy{}
	for _, r := range recs {
		if r.Policy == nil || r.Case.ReceivedAt.IsZero() {
			continue
		}
		byPolicy[r.Policy.ID] = append(byPolicy[r.Policy.ID], r)
		pols[r.Policy.ID] = r.Policy
	}
	ids := make([]string, 0, len(pols))
	for id := range pols {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	idx := &ReportIndex{}
	public := opts.Audience == AudiencePublic
	for _, id := range ids {
		p := pols[id]
		months, halves := periods(byPolicy[id], p)
		if public {
			// A month is part of a half-year: both published, a withheld
			// count of one could be recovered from the other. A public
			// build has the half-years (the period the procedures report
			// on) alone.
			months = nil
		}
		rp := ReportPolicy{Name: p.Label("policy", id, lang)}
		for _, set := range []struct {
			list []period
			into *[]ReportLink
		}{{months, &rp.Months}, {halves, &rp.Halves}} {
			for _, per := range set.list {
				name := reportName(id, per.key)
				rep := buildReport(p, per, name, lang, public)
				link := ReportLink{Label: per.key, Href: name + ".html", Cases: len(per.recs), Shown: rep.Cases}
				if public {
					link.Cases = 0
				}
				*set.into = append(*set.into, link)
				what := fmt.Sprintf("the monthly and half-yearly report of policy %s", id)
				w.claim("reports/"+name+".html", what)
				for _, t := range rep.Tables {
					w.claim("reports/"+t.CSV, what)
					w.write("reports/"+t.CSV, tableCSV(t, lang))
				}
				title := rep.Policy + " " + per.key
				renderReport(w, "reports/"+name+".html", "report.html",
					reportPage{Page: Page{Lang: lang, Title: title, Root: "../", Now: now, Public: public, Wide: true}, Report: rep})
			}
		}
		if !public {
			// The procedures' own reports count small groups of cases
			// in layouts of their own; a public build leaves them out.
			rp.Seed = writeSeedReports(w, p, byPolicy[id], marks, vols, opts)
		}
		idx.Policies = append(idx.Policies, rp)
	}
	renderReport(w, "reports/index.html", "reports.html",
		reportPage{Page: Page{Lang: lang, Title: word(lang, "reports"), Root: "../", Now: now, Public: public}, Reports: idx})
	return w.err
}

func renderReport(w *writer, rel, tpl string, data reportPage) { w.page(rel, tpl, data) }

// periods groups the records by month and by half-year of received_at in
// the policy's zone, each list newest first.
func periods(recs []*office.Record, p *policy.Policy) (months, halves []period) {
	l := p.Location
	if l == nil {
		l = time.UTC
	}
	m, h := map[string][]*office.Record{}, map[string][]*office.Record{}
	for _, r := range recs {
		at := r.Case.ReceivedAt.In(l)
		m[at.Format("2006-01")] = append(m[at.Format("2006-01")], r)
		half := "H1"
		if at.Month() > 6 {
			half = "H2"
		}
		hk := strconv.Itoa(at.Year()) + "-" + half
		h[hk] = append(h[hk], r)
	}
	list := func(g map[string][]*office.Record) []period {
		out := make([]period, 0, len(g))
		for k, v := range g {
			out = append(out, period{key: k, recs: v})
		}
		// Keys are zero-padded, so string order is time order.
		slices.SortFunc(out, func(a, b period) int { return strings.Compare(b.key, a.key) })
		return out
	}
	return list(m), list(h)
}

// reportName is a report's file name without extension; policy ids are
// checked by the policy loader, and fileName keeps them inside reports/.
func reportName(policyID, key string) string {
	return strings.TrimSuffix(fileName(policyID+"-"+key), ".html")
}

// grouping is one table of a report: how a record maps to a group id and
// how a group id is labelled, in the policy's order when it has one.
type grouping struct {
	key, title, group string
	head              string // the label column's header when group is ""
	order             []string
	of                func(*office.Record) string
	label             func(id string) string
}

// groupings are the tables of a report. A public build leaves out the
// departments (names of units that may be the respondents) and the
// category classes (sums of categories, which would give a withheld
// category count away).
func groupings(p *policy.Policy, lang string, public bool) []grouping {
	ids := func(cs []policy.Choice) []string {
		out := make([]string, len(cs))
		for i, c := range cs {
			out[i] = c.ID
		}
		return out
	}
	class := func(r *office.Record) string {
		if c, ok := p.Category(fieldString(r, "category")); ok {
			return c.Class
		}
		return ""
	}
	gs := []grouping{
		{key: "category", title: "by_category", group: "category", order: ids(p.Categories),
			of:    func(r *office.Record) string { return fieldString(r, "category") },
			label: func(id string) string { return p.Label("category", id, lang) }},
		{key: "channel", title: "by_channel", group: "channel", order: ids(p.Channels),
			of:    func(r *office.Record) string { return fieldString(r, "channel") },
			label: func(id string) string { return p.Label("channel", id, lang) }},
		{key: "department", title: "by_department", group: "department",
			of:    func(r *office.Record) string { return listed(r, "department") },
			label: func(id string) string { return id }},
	}
	if f, ok := p.Field("cause"); ok {
		gs = append(gs, grouping{key: "cause", title: "by_cause", group: "", head: p.Label("field", "cause", lang), order: ids(f.Values),
			of:    func(r *office.Record) string { return fieldString(r, "cause") },
			label: func(id string) string { return p.Label("value:cause", id, lang) }})
	}
	if public {
		return slices.DeleteFunc(gs, func(g grouping) bool { return g.key == "department" })
	}
	gs = append(gs, grouping{key: "class", title: "by_class", group: "", order: ids(p.Classes),
		of: class, label: func(id string) string { return p.Label("class", id, lang) }})
	return gs
}

func buildReport(p *policy.Policy, per period, name, lang string, public bool) *Report {
	rep := &Report{Policy: p.Label("policy", p.ID, lang), Period: per.key}
	for _, g := range groupings(p, lang, public) {
		rows := map[string]*StatRow{}
		t := StatTable{Key: g.key, Title: word(lang, g.title), CSV: name + "-" + g.key + ".csv"}
		t.Group = word(lang, g.group)
		if g.group == "" {
			t.Group = cmp.Or(g.head, word(lang, "name"))
		}
		t.Total = StatRow{ID: "total", Label: word(lang, "total")}
		for _, r := range per.recs {
			id := g.of(r)
			row := rows[id]
			if row == nil {
				row = &StatRow{ID: id, Label: word(lang, "unset")}
				if id != "" {
					row.Label = g.label(id)
				}
				rows[id] = row
			}
			row.Add(r, "")
			t.Total.Add(r, "")
		}
		keys := make([]string, 0, len(rows))
		for k := range rows {
			keys = append(keys, k)
		}
		// Policy order first, then values the policy does not know by id,
		// and the unset group last.
		rank := func(k string) int {
			if k == "" {
				return len(g.order) + 1
			}
			if i := slices.Index(g.order, k); i >= 0 {
				return i
			}
			return len(g.order)
		}
		slices.SortFunc(keys, func(a, b string) int {
			if ra, rb := rank(a), rank(b); ra != rb {
				return ra - rb
			}
			return strings.Compare(a, b)
		})
		for _, k := range keys {
			row := rows[k]
			row.Rate = rateOf(row)
			t.Rows = append(t.Rows, *row)
		}
		t.Total.Rate = rateOf(&t.Total)
		if public {
			publicStats(&t)
		} else {
			showStats(&t)
		}
		// Every grouping counts all the period's cases.
		rep.Cases = t.Total.Shown[0]
		// A grouping none of whose cases has the field set says nothing
		// (a procedure without departments, a category without class):
		// the page leaves it out, heading and CSV file too.
		if !slices.ContainsFunc(t.Rows, func(r StatRow) bool { return r.ID != "" && r.Cases > 0 }) {
			continue
		}
		t.Chart = barChart(name+"-"+g.key, rep.Policy+" "+per.key+" "+t.Title, t, lang)
		if public {
			// Templates of an office's own may still show the numbers:
			// a public build gives them none.
			for i := range t.Rows {
				t.Rows[i].Tally = office.Tally{}
			}
			t.Total.Tally = office.Tally{}
		}
		rep.Tables = append(rep.Tables, t)
	}
	return rep
}

// rateOf is met/(met+missed+overdue) as a percentage with one decimal,
// rounded half up in integers so no float noise reaches the page.
func rateOf(row *StatRow) string {
	n := row.Timed()
	if n == 0 {
		return "—"
	}
	tenths := (row.Met*2000 + n) / (2 * n)
	return strconv.Itoa(tenths/10) + "." + strconv.Itoa(tenths%10) + "%"
}

// Chart geometry, in SVG user units. A chart is drawn at the width of a
// phone's page (390 px less the margins) and never scaled up, so on a
// phone a unit is a CSS pixel and the text stays 13 px; labels are
// measured (textEm) and wrapped, never cut off by the edge.
const (
	chartWidth  = 360
	chartFont   = 13
	chartLineH  = 16 // a label line
	chartBarH   = 14
	chartGap    = 8 // between rows, and around the chart
	chartLabelW = 150
	chartInset  = 2 // kept clear at the left and right edges
)

// barChart draws one horizontal bar per row, its width proportional to
// the row's cases, with a title and a description of the data in words
// for screen readers; "" when no row but the unset one has a case.
func barChart(id, title string, t StatTable, lang string) template.HTML {
	var bars []chartBar
	var parts []string
	for _, r := range t.Rows {
		b := chartBar{Label: r.Label, Text: r.shownCases(), Unset: r.ID == ""}
		// A withheld count sets no scale and draws no bar: its length
		// would tell it.
		if b.Text != Suppressed {
			b.Value = int64(r.Cases)
		}
		bars = append(bars, b)
		parts = append(parts, casesText(lang, r.Label, r.shownCases()))
	}
	sep, end := "；", "。"
	if lang == "en" {
		sep, end = "; ", "."
	}
	desc := strings.Join(parts, sep) + sep + casesText(lang, word(lang, "total"), t.Total.shownCases()) + end
	return hbarChart(id, title, desc, bars)
}

// chartBar is one bar of a chart: Value sets its length, Text is printed
// beside it, Desc describes it in words; Unset marks the bar of the cases
// that leave the grouped field unset (未填).
type chartBar struct {
	Label, Text, Desc string
	Value             int64
	Unset             bool
}

// hbarChart draws the bars under one another, each label at the left of
// its bar (wrapped onto more lines when long) and its text at the bar's
// end. A chart with no value but the unset bar's says nothing: it is "".
func hbarChart(id, title, desc string, bars []chartBar) template.HTML {
	if !slices.ContainsFunc(bars, func(b chartBar) bool { return !b.Unset && b.Value > 0 }) {
		return ""
	}
	id = strings.TrimSuffix(fileName("chart-"+id), ".html")
	var top int64
	labelW, textW := 0, 0
	for _, b := range bars {
		top = max(top, b.Value)
		labelW = maxInt(labelW, emUnits(b.Label))
		textW = maxInt(textW, emUnits(b.Text))
	}
	labelW = min(labelW, chartLabelW)
	labelX := chartInset + labelW
	barX := labelX + chartGap
	barMax := chartWidth - chartInset - barX - 4 - textW
	lines := make([][]string, len(bars))
	h := chartGap
	for i, b := range bars {
		lines[i] = wrapText(b.Label, labelW)
		h += max(len(lines[i])*chartLineH, chartBarH) + chartGap
	}
	var sb strings.Builder
	e := html.EscapeString
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="%d" height="%d" viewBox="0 0 %d %d" aria-labelledby="%s-title %s-desc">`,
		chartWidth, h, chartWidth, h, id, id)
	fmt.Fprintf(&sb, "\n<title id=\"%s-title\">%s</title>\n<desc id=\"%s-desc\">%s</desc>\n", id, e(title), id, e(desc))
	y := chartGap
	for i, b := range bars {
		rowH := max(len(lines[i])*chartLineH, chartBarH)
		// Baselines sit 12 units below the top of a 16-unit line, so
		// the 13-unit glyphs are centred on it.
		ly := y + (rowH-len(lines[i])*chartLineH)/2 + 12
		for k, l := range lines[i] {
			fmt.Fprintf(&sb, `<text x="%d" y="%d" text-anchor="end" font-size="%d" fill="#333">%s</text>`, labelX, ly+k*chartLineH, chartFont, e(l))
		}
		var w int64
		if top > 0 {
			w = (b.Value*int64(barMax)*2 + top) / (2 * top)
		}
		by := y + (rowH-chartBarH)/2
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%d" height="%d" fill="#3b6ea5"></rect>`, barX, by, w, chartBarH)
		fmt.Fprintf(&sb, `<text x="%d" y="%d" font-size="%d" fill="#333">%s</text>`+"\n", int64(barX)+w+4, by+chartBarH-2, chartFont, e(b.Text))
		y += rowH + chartGap
	}
	sb.WriteString("</svg>")
	return template.HTML(sb.String())
}

// textEm is how wide s is set in em, estimated on the wide side for the
// site's sans-serif fonts: a CJK, full-width or general punctuation
// character one em, a Latin capital or m and w up to one, other
// characters about 0.6. What it sizes is never cut off.
func textEm(s string) float64 {
	var w float64
	for _, r := range s {
		switch {
		case r >= 0x2000:
			w += 1
		case r == ' ' || r == '.' || r == ',' || r == ':' || r == ';' || r == '\'' || r == '|' || r == 'i' || r == 'l':
			w += 0.35
		case r == 'M' || r == 'W' || r == 'm' || r == 'w' || r == '%':
			w += 0.95
		case r >= 'A' && r <= 'Z':
			w += 0.75
		default:
			w += 0.62
		}
	}
	return w
}

// emUnits is s's width (textEm) in a chart's units, rounded up.
func emUnits(s string) int { return int(math.Ceil(textEm(s) * chartFont)) }

// wrapText breaks s into lines no wider than w chart units: between CJK
// characters, at spaces, or inside a word too long for a line.
func wrapText(s string, w int) []string {
	var tokens []string
	word := ""
	for _, r := range s {
		switch {
		case r >= 0x2000:
			if word != "" {
				tokens = append(tokens, word)
				word = ""
			}
			tokens = append(tokens, string(r))
		case r == ' ':
			tokens = append(tokens, word+" ")
			word = ""
		default:
			word += string(r)
		}
	}
	if word != "" {
		tokens = append(tokens, word)
	}
	var lines []string
	line := ""
	for _, t := range tokens {
		if line != "" && emUnits(strings.TrimRight(line+t, " ")) > w {
			lines = append(lines, strings.TrimRight(line, " "))
			line = ""
		}
		// A word wider than a whole line is cut where it must be.
		for line == "" && emUnits(strings.TrimRight(t, " ")) > w {
			n := 0
			for i := range t {
				if i > 0 && emUnits(t[:i]) > w {
					break
				}
				n = i
			}
			if n == 0 {
				_, n = utf8.DecodeRuneInString(t)
			}
			lines = append(lines, t[:n])
			t = t[n:]
		}
		line += t
	}
	if line = strings.TrimRight(line, " "); line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// shownCases is the row's count of cases as the page shows it.
func (r StatRow) shownCases() string {
	if len(r.Shown) > 0 {
		return r.Shown[0]
	}
	return strconv.Itoa(r.Cases)
}

func casesText(lang, label, n string) string {
	if lang == "en" {
		return fmt.Sprintf("%s %s cases", label, n)
	}
	return fmt.Sprintf("%s %s 件", label, n)
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// tableCSV is t as CSV (export.CSVWriter: a byte-order mark, CRLF,
// neutralised cells), the columns of the page: the group's label, then
// the counts and the rate, or Suppressed where a public build withholds
// them. A "—" (no rate) is an empty cell.
func tableCSV(t StatTable, lang string) []byte {
	head := []string{t.Group, word(lang, "count"), word(lang, "open"), word(lang, "finished"),
		word(lang, "met"), word(lang, "missed"), word(lang, "late_open"), word(lang, "rate")}
	var rows []reportRow
	all := append(slices.Clone(t.Rows), t.Total)
	for i, r := range all {
		cells := []string{r.Label}
		for _, v := range r.Shown {
			if v == "—" {
				v = ""
			}
			cells = append(cells, v)
		}
		id := r.ID
		if i == len(all)-1 {
			id = "" // the total
		}
		rows = append(rows, reportRow{id: id, cells: cells})
	}
	return reportCSV(head, rows, lang)
}

// reportRow is one row of a report's CSV: the cells as the page shows
// them, label first, and the id of what the row counts.
type reportRow struct {
	id    string
	cells []string
}

// reportCSV writes a report table's CSV with the page's headers and row
// labels, in the site's language. Ids are not what a reader looks for, so
// none stands in for a label: when a row's id says more than its label (a
// category's, a channel's id in the policy), it goes in a last column,
// 代码 (Code), for joining the tables of several periods; a table whose
// rows' labels are their ids (departments, periods, cases) has no such
// column, and the total and (none) rows leave it empty.
func reportCSV(head []string, rows []reportRow, lang string) []byte {
	code := false
	for _, r := range rows {
		if r.id != "" && (len(r.cells) == 0 || r.id != r.cells[0]) {
			code = true
		}
	}
	if code {
		head = append(slices.Clone(head), word(lang, "code"))
	}
	var buf bytes.Buffer
	cw, _ := export.NewCSVWriter(&buf, head)
	for _, r := range rows {
		cells := r.cells
		if code {
			id := r.id
			if len(cells) > 0 && id == cells[0] {
				id = ""
			}
			cells = append(slices.Clone(cells), id)
		}
		cw.Write(cells)
	}
	cw.Close() // a bytes.Buffer does not fail
	return buf.Bytes()
}
