package site

import (
	"cmp"
	"fmt"
	"html/template"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/volume"
)

// seedWords are the seed-specific reports' own labels; init adds them to
// words so templates and code reach them like every other label.
var seedWords = map[string][2]string{
	"s_unset":         {"未填", "Not given"},
	"s_kind":          {"类型", "Kind"},
	"s_other":         {"其他", "Others"},
	"s_rate_months":   {"月度", "Monthly"},
	"s_rate_halves":   {"半年度", "Half-yearly"},
	"s_rate_years":    {"年度", "Yearly"},
	"s_volume":        {"销量", "Volume"},
	"s_unit":          {"单位", "Unit"},
	"s_rate_per":      {"投诉率(每万单位)", "Rate (per 10,000 units)"},
	"s_no_volume":     {"未提供本期销量", "no volume given for this period"},
	"s_complaints":    {"投诉件数", "Complaints"},
	"s_period_col":    {"期间", "Period"},
	"s_per_unit_text": {"每万%s %s", "%[2]s per 10,000 %[1]s"},
	"s_week_span":     {"统计周：%s 至 %s(ISO %s)", "Week %[3]s: %[1]s to %[2]s"},
	"s_clock":         {"期限", "Deadline"},
	"s_due":           {"到期时间", "Due"},
}

func init() {
	addWords("seed report", seedWords)
}

// SeedLinks are the pages of one seed-specific report of a policy, for
// reports/index.html.
type SeedLinks struct {
	Title, Basis string
	Links        []ReportLink
}

// SeedReport is the data of one seed-specific report page: the statistics
// a procedure itself prescribes (the bank's 第二十二条, the 市场投诉率, the
// hotline's weekly summary, the tendering 统计表).
type SeedReport struct {
	Title, Policy, Period, Basis string
	// Notes say what is counted and how, in sentences.
	Notes  []string
	Tables []SeedTable
}

// SeedTable is one table of a seed report, with its CSV file and, where a
// chart helps, an inline SVG chart.
type SeedTable struct {
	Key, Title string
	CSV        string // href of the CSV file, relative to the page
	Chart      template.HTML
	Heads      []string // the first names the label column
	Rows       []SeedRow
	Total      *SeedRow
	// blank is set by countTable for a table with nothing to say: every
	// count of a known group is 0, or only the cases that leave the
	// field unset are counted (see add).
	blank bool
}

// NumCol tells whether column i holds figures (a right-aligned cell), so
// its header aligns over them.
func (t SeedTable) NumCol(i int) bool {
	rows := t.Rows
	if t.Total != nil {
		rows = append(slices.Clone(rows), *t.Total)
	}
	return slices.ContainsFunc(rows, func(r SeedRow) bool { return i < len(r.Cells) && r.Cells[i].Num })
}

// add appends t to the report's tables, unless it has nothing to say
// (t.blank): a page leaves out a table of zeros or of 未填 alone, heading
// and CSV file too.
func (rep *SeedReport) add(t SeedTable) {
	if !t.blank {
		rep.Tables = append(rep.Tables, t)
	}
}

// SeedRow is one row: ID identifies it in the CSV (a group id, a period,
// a case id, or "total"), Cells are the row as shown, label first.
type SeedRow struct {
	ID    string
	Cells []SeedCell
}

// SeedCell is one cell; Num right-aligns a figure, Href links a case.
type SeedCell struct {
	Text, Href string
	Num        bool
}

// seedPage is what seedreport.html receives.
type seedPage struct {
	Page
	Seed *SeedReport
}

// writeSeedReports writes the reports the policy declares (its
// reports:), each from the policy's data: no report is code keyed by a
// policy's id or its state names.
func writeSeedReports(w *writer, p *policy.Policy, recs []*office.Record, marks *condMarks, vols *volume.Table, opts Options) []SeedLinks {
	var out []SeedLinks
	for _, sr := range p.Reports {
		counted := recs
		if sr.When != "" {
			counted = nil
			for _, r := range recs {
				if marks.holds(p, sr.When, r) {
					counted = append(counted, r)
				}
			}
		}
		var l SeedLinks
		if sr.Kind == "rate" {
			l = complaintRate(w, p, sr, counted, vols, opts)
		} else {
			l = countsReport(w, p, sr, counted, marks, opts)
		}
		if len(l.Links) > 0 {
			out = append(out, l)
		}
	}
	return out
}

// condMarks say, for each record, which of its policy's report
// conditions hold. They are judged while the record's condition
// environment (late, met, entered, escalated) is alive: casePages hands
// it back before the reports are written.
type condMarks struct {
	index map[string]map[string]int // policy id → condition → position
	held  map[*office.Record][]bool
}

// newCondMarks numbers the conditions of every policy's reports.
func newCondMarks(set *policy.Set) *condMarks {
	m := &condMarks{index: map[string]map[string]int{}, held: map[*office.Record][]bool{}}
	for _, id := range set.IDs() {
		p, ok := set.Get(id)
		if !ok {
			continue
		}
		idx := map[string]int{}
		add := func(src string) {
			if _, ok := idx[src]; src != "" && !ok {
				idx[src] = len(idx)
			}
		}
		for _, sr := range p.Reports {
			add(sr.When)
			for _, t := range sr.Tables {
				add(t.When)
				for _, c := range t.Columns {
					add(c.When)
				}
			}
		}
		m.index[id] = idx
	}
	return m
}

// judge is which of r's policy's report conditions hold for r, read
// from r.Env; call it before r's environment is released.
func (m *condMarks) judge(r *office.Record) []bool {
	if r.Policy == nil || len(m.index[r.Policy.ID]) == 0 {
		return nil
	}
	idx := m.index[r.Policy.ID]
	out := make([]bool, len(idx))
	env := r.Env
	if env == nil {
		env = r.Policy.Env(r.Case.Fields)
	}
	for src, i := range idx {
		ok, err := r.Policy.Eval(src, env)
		// A condition that fails to run (the loader has type-checked
		// it) counts nothing.
		out[i] = err == nil && ok
	}
	return out
}

// holds tells whether condition src of p held for r.
func (m *condMarks) holds(p *policy.Policy, src string, r *office.Record) bool {
	i, ok := m.index[p.ID][src]
	held := m.held[r]
	return ok && i < len(held) && held[i]
}

// caption is c in lang, the Chinese when it has no English.
func caption(lang string, c policy.Caption) string {
	return cmp.Or(pick(lang, [2]string{c.Zh, c.En}), c.Zh, c.En)
}

// writeSeed writes a seed report page and the CSV of each of its tables.
func writeSeed(w *writer, name string, rep *SeedReport, opts Options) {
	what := fmt.Sprintf("the report %q of %s", rep.Title, rep.Policy)
	if !w.claim("reports/"+name+".html", what) {
		return
	}
	for _, t := range rep.Tables {
		if !w.claim("reports/"+t.CSV, what) {
			return
		}
		w.write("reports/"+t.CSV, seedCSV(t, opts.Lang))
	}
	if w.err != nil {
		return
	}
	title := rep.Policy + " " + rep.Title
	if rep.Period != "" {
		title += " " + rep.Period
	}
	data := seedPage{Page: Page{Lang: opts.Lang, Title: title, Root: "../", Now: opts.Now.Format(timeLayout + " -07:00"), Wide: true}, Seed: rep}
	w.page("reports/"+name+".html", "seedreport.html", data)
}

// seedCSV is t as CSV with the page's headers and row labels, like
// tableCSV (reportCSV).
func seedCSV(t SeedTable, lang string) []byte {
	rows := t.Rows
	if t.Total != nil {
		rows = append(slices.Clone(rows), *t.Total)
	}
	var out []reportRow
	for i, r := range rows {
		var cells []string
		for _, c := range r.Cells {
			// A dash stands for "no figure" on the page; a spreadsheet
			// reads an empty cell as that.
			if c.Text == "—" {
				c.Text = ""
			}
			cells = append(cells, c.Text)
		}
		id := r.ID
		if t.Total != nil && i == len(rows)-1 {
			id = ""
		}
		out = append(out, reportRow{id: id, cells: cells})
	}
	return reportCSV(slices.Clone(t.Heads), out, lang)
}

// column is one counted column of a count table. All marks the column
// that counts every case of its row, unset the one of the cases that
// leave a field unset (enumColumns' 未填).
type column struct {
	head       string
	of         func(r *office.Record) bool
	all, unset bool
}

// group is one row of a count table: the records it holds.
type group struct {
	id, label string
	extra     []string // text cells after the label, such as a class
	has       func(r *office.Record) bool
}

// countTable counts recs into rows × columns, with a total row. Rows with
// keep false and no cases are left out.
func countTable(lang, key, title string, heads []string, groups []group, cols []column, recs []*office.Record, keep func(g group) bool) SeedTable {
	t := SeedTable{Key: key, Title: title, Heads: heads, blank: true}
	split := slices.ContainsFunc(cols, func(c column) bool { return c.unset })
	for _, c := range cols {
		t.Heads = append(t.Heads, c.head)
	}
	totals := make([]int, len(cols))
	// Each record is asked of every group before the next record, so
	// that a group's test can remember what it read of the record
	// (perRecord), and its columns are judged once.
	counts := make([][]int, len(groups))
	for gi := range groups {
		counts[gi] = make([]int, len(cols))
	}
	ns := make([]int, len(groups))
	in := make([]bool, len(cols))
	for _, r := range recs {
		judged := false
		for gi, g := range groups {
			if !g.has(r) {
				continue
			}
			if !judged {
				for i, c := range cols {
					in[i] = c.of(r)
				}
				judged = true
			}
			ns[gi]++
			for i := range cols {
				if in[i] {
					counts[gi][i]++
				}
			}
		}
	}
	for gi, g := range groups {
		counts, n := counts[gi], ns[gi]
		if n == 0 && (keep == nil || !keep(g)) {
			continue
		}
		row := SeedRow{ID: g.id, Cells: []SeedCell{{Text: g.label}}}
		for _, e := range g.extra {
			row.Cells = append(row.Cells, SeedCell{Text: e})
		}
		for i, n := range counts {
			row.Cells = append(row.Cells, SeedCell{Text: strconv.Itoa(n), Num: true})
			totals[i] += n
			// A known group's count says something, but not the 未填
			// column's, nor, where a field's values split the cases,
			// the count of them all.
			if n > 0 && g.id != "" && !cols[i].unset && !(cols[i].all && split) {
				t.blank = false
			}
		}
		t.Rows = append(t.Rows, row)
	}
	tot := SeedRow{ID: "total", Cells: []SeedCell{{Text: word(lang, "total")}}}
	for range groups[0].extra {
		tot.Cells = append(tot.Cells, SeedCell{})
	}
	for _, n := range totals {
		tot.Cells = append(tot.Cells, SeedCell{Text: strconv.Itoa(n), Num: true})
	}
	t.Total = &tot
	return t
}

// categoryGroups are the policy's categories in policy order, then the
// cases with a category the policy does not know or none.
func categoryGroups(p *policy.Policy, lang string, extra func(c policy.Choice) []string) []group {
	var gs []group
	ids := make([]string, 0, len(p.Categories))
	category := perRecord(func(r *office.Record) string { return fieldString(r, "category") })
	for _, c := range p.Categories {
		id := c.ID
		ids = append(ids, id)
		g := group{id: id, label: p.Label("category", id, lang), has: func(r *office.Record) bool { return category(r) == id }}
		if extra != nil {
			g.extra = extra(c)
		}
		gs = append(gs, g)
	}
	other := group{id: "", label: word(lang, "unset"), has: func(r *office.Record) bool { return !slices.Contains(ids, category(r)) }}
	if extra != nil {
		other.extra = extra(policy.Choice{})
	}
	return append(gs, other)
}

// perRecord is f remembering its value for the record it was last asked
// about: countTable asks every group about one record before the next.
// A table's groups are used by one goroutine.
func perRecord(f func(r *office.Record) string) func(r *office.Record) string {
	var last *office.Record
	var v string
	return func(r *office.Record) string {
		if r != last {
			last, v = r, f(r)
		}
		return v
	}
}

// keepKnown keeps every category of the policy in a table, with zeros,
// as a statistics form lists them; the unknown group only when used.
func keepKnown(g group) bool { return g.id != "" }

// is tells whether a record's field has value v.
func is(field, v string) func(*office.Record) bool {
	return func(r *office.Record) bool { return pathString(r, field) == v }
}

// pathString is the value at a dotted field path (review.level), as
// written; "" when absent.
func pathString(r *office.Record, path string) string {
	if !strings.Contains(path, ".") {
		return fieldString(r, path)
	}
	v := valueAt(r, path)
	if v == nil {
		return ""
	}
	return asWritten(r, path, v)
}

// enumColumns are one column per value of an enum field, then one for
// the cases that leave it unset; nil when the policy has no such field.
func enumColumns(p *policy.Policy, field, lang string) []column {
	f, ok := p.Field(field)
	if !ok || len(f.Values) == 0 {
		return nil
	}
	var cols []column
	var ids []string
	for _, v := range f.Values {
		ids = append(ids, v.ID)
		cols = append(cols, column{head: p.Label("value:"+field, v.ID, lang), of: is(field, v.ID)})
	}
	return append(cols, column{head: word(lang, "s_unset"), of: func(r *office.Record) bool { return !slices.Contains(ids, pathString(r, field)) }, unset: true})
}

// countChart draws a count table's first numeric column with barChart.
func countChart(id, title string, t SeedTable, col int, lang string) template.HTML {
	st := StatTable{}
	for _, r := range t.Rows {
		n, _ := strconv.Atoi(r.Cells[col].Text)
		// The unset group keeps its empty id, so the chart knows it.
		st.Rows = append(st.Rows, StatRow{ID: r.ID, Label: r.Cells[0].Text, Tally: office.Tally{Cases: n}})
	}
	if t.Total != nil {
		st.Total.Cases, _ = strconv.Atoi(t.Total.Cells[col].Text)
	}
	return barChart(id, title, st, lang)
}

// complaintRate writes a rate report of a policy (the hotline's 第三篇
// 五.5 市场投诉率; the food maker's quality target, 第二篇 1): complaints
// per 10,000 units sold in each month, half-year and year (its periods)
// that has complaints or a volume. recs are the complaints it counts.
func complaintRate(w *writer, p *policy.Policy, sr policy.StatReport, recs []*office.Record, vols *volume.Table, opts Options) SeedLinks {
	lang := opts.Lang
	l := zone(p)
	title := caption(lang, policy.Caption{Zh: sr.Zh, En: sr.En})
	name := reportName(p.ID, sr.ID)
	rep := &SeedReport{Title: title, Policy: p.Label("policy", p.ID, lang), Basis: caption(lang, sr.Basis)}
	for _, n := range sr.Notes {
		rep.Notes = append(rep.Notes, caption(lang, n))
	}
	// Classes the categories use, in policy order: A/B/C, 服务类 ...
	var classes []string
	for _, c := range p.Categories {
		if c.Class != "" && !slices.Contains(classes, c.Class) {
			classes = append(classes, c.Class)
		}
	}
	type bucket struct {
		n       int
		byClass map[string]int
	}
	type rateKind struct {
		key, title string
		of         func(time.Time) string
		valid      func(string) bool
	}
	all := map[string]rateKind{
		"months": {"months", "s_rate_months", func(t time.Time) string { return t.Format("2006-01") }, func(k string) bool { return len(k) == 7 && k[5] != 'H' }},
		"halves": {"halves", "s_rate_halves", halfOf, func(k string) bool { return len(k) == 7 && k[5] == 'H' }},
		"years":  {"years", "s_rate_years", func(t time.Time) string { return strconv.Itoa(t.Year()) }, func(k string) bool { return len(k) == 4 }},
	}
	var kinds []rateKind
	for _, per := range sr.Periods {
		if k, ok := all[per]; ok {
			kinds = append(kinds, k)
		}
	}
	total := len(recs)
	for _, kind := range kinds {
		buckets := map[string]*bucket{}
		get := func(k string) *bucket {
			b := buckets[k]
			if b == nil {
				b = &bucket{byClass: map[string]int{}}
				buckets[k] = b
			}
			return b
		}
		for _, r := range recs {
			b := get(kind.of(r.Case.ReceivedAt.In(l)))
			b.n++
			if c, ok := p.Category(fieldString(r, "category")); ok {
				b.byClass[c.Class]++
			}
		}
		for _, v := range vols.Rows(p.ID) {
			if kind.valid(v.Period) {
				get(v.Period)
			}
		}
		keys := make([]string, 0, len(buckets))
		for k := range buckets {
			keys = append(keys, k)
		}
		slices.Sort(keys) // zero-padded: string order is time order
		t := SeedTable{Key: kind.key, Title: title + " · " + word(lang, kind.title),
			CSV: name + "-" + kind.key + ".csv", Heads: []string{word(lang, "s_period_col"), word(lang, "s_complaints")}}
		for _, c := range classes {
			t.Heads = append(t.Heads, p.Label("class", c, lang))
		}
		t.Heads = append(t.Heads, word(lang, "s_volume"), word(lang, "s_unit"), word(lang, "s_rate_per"))
		var bars []chartBar
		// The total row is the rate over all the listed periods, given
		// only when every one of them has a volume in the same unit.
		sum := SeedRow{ID: "total", Cells: []SeedCell{{Text: word(lang, "total")}}}
		sumN, sumClass, sumVol, sumUnit, whole := 0, make([]int, len(classes)), int64(0), "", len(keys) > 0
		for _, k := range keys {
			b := buckets[k]
			sumN += b.n
			for i, c := range classes {
				sumClass[i] += b.byClass[c]
			}
			if v, ok := vols.Get(p.ID, k); ok && (sumUnit == "" || sumUnit == v.Unit) {
				sumVol, sumUnit = sumVol+v.Volume, v.Unit
			} else {
				whole = false
			}
			row := SeedRow{ID: k, Cells: []SeedCell{{Text: k}, {Text: strconv.Itoa(b.n), Num: true}}}
			for _, c := range classes {
				row.Cells = append(row.Cells, SeedCell{Text: strconv.Itoa(b.byClass[c]), Num: true})
			}
			bar := chartBar{Label: k}
			if v, ok := vols.Get(p.ID, k); ok {
				rate := volume.FormatRate(volume.Rate(b.n, v.Volume))
				row.Cells = append(row.Cells, SeedCell{Text: strconv.FormatInt(v.Volume, 10), Num: true}, SeedCell{Text: v.Unit},
					SeedCell{Text: rate, Num: true})
				bar.Value, bar.Text, bar.Desc = volume.Rate(b.n, v.Volume), rate, perUnitText(lang, v.Unit, rate)
			} else {
				row.Cells = append(row.Cells, SeedCell{}, SeedCell{}, SeedCell{Text: word(lang, "s_no_volume")})
				bar.Text, bar.Desc = "—", word(lang, "s_no_volume")
			}
			t.Rows = append(t.Rows, row)
			bars = append(bars, bar)
		}
		sum.Cells = append(sum.Cells, SeedCell{Text: strconv.Itoa(sumN), Num: true})
		for _, n := range sumClass {
			sum.Cells = append(sum.Cells, SeedCell{Text: strconv.Itoa(n), Num: true})
		}
		if whole {
			sum.Cells = append(sum.Cells, SeedCell{Text: strconv.FormatInt(sumVol, 10), Num: true}, SeedCell{Text: sumUnit},
				SeedCell{Text: volume.FormatRate(volume.Rate(sumN, sumVol)), Num: true})
		} else {
			sum.Cells = append(sum.Cells, SeedCell{}, SeedCell{}, SeedCell{Text: "—", Num: true})
		}
		t.Total = &sum
		if kind.key == "months" && len(bars) > 0 && sr.Chart.Zh != "" {
			t.Chart = valueChart(name+"-months", rep.Policy+" "+caption(lang, sr.Chart), bars, lang)
		}
		rep.Tables = append(rep.Tables, t)
	}
	writeSeed(w, name, rep, opts)
	return SeedLinks{Title: rep.Title, Basis: rep.Basis, Links: []ReportLink{{Label: title, Href: name + ".html", Cases: total}}}
}

func perUnitText(lang, unit, rate string) string {
	return fmt.Sprintf(word(lang, "s_per_unit_text"), unit, rate)
}

// valueChart draws bars of any value, such as a rate in hundredths, with
// barChart's geometry, title and description.
func valueChart(id, title string, bars []chartBar, lang string) template.HTML {
	sep, end := "；", "。"
	if lang == "en" {
		sep, end = "; ", "."
	}
	parts := make([]string, len(bars))
	for i, b := range bars {
		parts[i] = b.Label + " " + b.Desc
	}
	return hbarChart(id, title, strings.Join(parts, sep)+end, bars)
}

// week is one ISO week in a policy's zone: [start, end).
type week struct {
	key        string // "2026-W47"
	start, end time.Time
}

func weekOf(t time.Time) week {
	y, n := t.ISOWeek()
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	start := d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7)) // back to Monday
	return week{key: fmt.Sprintf("%04d-W%02d", y, n), start: start, end: start.AddDate(0, 0, 7)}
}

// within tells whether at falls in [a, b).
func within(at, a, b time.Time) bool { return !at.Before(a) && at.Before(b) }

// stateAt is the case's status just before end: its last committed
// status change before then; the initial state when its history starts
// later; its current status when it was never committed.
func stateAt(r *office.Record, end time.Time) string {
	if r.History == nil || len(r.Transitions()) == 0 {
		return r.Case.Status
	}
	st := r.Policy.InitialState()
	for _, t := range r.Transitions() {
		if t.At.Before(end) {
			st = t.To
		}
	}
	return st
}

// lateAt is the first clock of r that was past due and still running at
// end.
func lateAt(r *office.Record, end time.Time) (deadline.Clock, bool) {
	for _, c := range r.Clocks {
		if c.DueAt.Before(end) && (c.EndedAt == nil || !c.EndedAt.Before(end)) {
			return c, true
		}
	}
	return deadline.Clock{}, false
}

// zone is the policy's time zone.
func zone(p *policy.Policy) *time.Location {
	if p.Location == nil {
		return time.UTC
	}
	return p.Location
}

func halfOf(t time.Time) string {
	if t.Month() > 6 {
		return strconv.Itoa(t.Year()) + "-H2"
	}
	return strconv.Itoa(t.Year()) + "-H1"
}

// reportPeriod is one page of a counts report: the period [start, end),
// the cases it counts, and those received or changed in it.
type reportPeriod struct {
	key        string
	start, end time.Time
	recs       []*office.Record
	touched    map[*office.Record]bool
}

// periodOf is the key and bounds of the period of kind that holds t.
func periodOf(kind string, t time.Time) (key string, start, end time.Time) {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	switch kind {
	case "weeks":
		wk := weekOf(t)
		return wk.key, wk.start, wk.end
	case "halves":
		m := time.January
		if t.Month() > 6 {
			m = time.July
		}
		start = time.Date(d.Year(), m, 1, 0, 0, 0, 0, d.Location())
		return halfOf(t), start, start.AddDate(0, 6, 0)
	case "years":
		start = time.Date(d.Year(), time.January, 1, 0, 0, 0, 0, d.Location())
		return strconv.Itoa(t.Year()), start, start.AddDate(1, 0, 0)
	}
	start = time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, d.Location())
	return t.Format("2006-01"), start, start.AddDate(0, 1, 0)
}

// reportPeriods are the pages of kind, newest first: the periods cases
// were received in, each with those cases; with byEnd, the periods cases
// were received or changed in, each with every case received before its
// end.
func reportPeriods(recs []*office.Record, kind string, byEnd bool, l *time.Location) []*reportPeriod {
	byKey := map[string]*reportPeriod{}
	get := func(at time.Time) *reportPeriod {
		k, a, b := periodOf(kind, at.In(l))
		per := byKey[k]
		if per == nil {
			per = &reportPeriod{key: k, start: a, end: b, touched: map[*office.Record]bool{}}
			byKey[k] = per
		}
		return per
	}
	for _, r := range recs {
		per := get(r.Case.ReceivedAt)
		per.touched[r] = true
		if !byEnd {
			per.recs = append(per.recs, r)
		}
		if r.History != nil {
			for _, v := range r.History.Versions {
				if !v.Deleted {
					get(v.At).touched[r] = true
				}
			}
		}
	}
	out := make([]*reportPeriod, 0, len(byKey))
	for _, per := range byKey {
		if !byEnd && len(per.recs) == 0 {
			continue // a period only changed in: no page of its own
		}
		out = append(out, per)
	}
	// Keys are zero-padded, so string order is time order.
	slices.SortFunc(out, func(a, b *reportPeriod) int { return strings.Compare(b.key, a.key) })
	if byEnd {
		for _, per := range out {
			for _, r := range recs {
				if r.Case.ReceivedAt.Before(per.end) {
					per.recs = append(per.recs, r)
				}
			}
		}
	}
	return out
}

// measure tells the period-relative facts a report column counts and a
// list selects by (policy.CountMeasures), for one page.
type measure struct {
	p     *policy.Policy
	per   *reportPeriod
	asOf  time.Time // the period's end, or the build's time for a period still running
	marks *condMarks
}

func (m measure) holds(name string, r *office.Record) bool {
	switch name {
	case "":
		return true
	case policy.CountOpen:
		return r.Open()
	case policy.CountFinal:
		return !r.Open()
	case policy.CountReceived:
		return within(r.Case.ReceivedAt, m.per.start, m.per.end)
	case policy.CountClosed:
		_, ok := m.closedIn(r)
		return ok
	case policy.CountTouched:
		return m.per.touched[r]
	case policy.CountOpenAtEnd:
		return !m.p.IsTerminal(stateAt(r, m.asOf))
	case policy.CountOverdueAtEnd:
		_, late := lateAt(r, m.asOf)
		return late && !m.p.IsTerminal(stateAt(r, m.asOf))
	}
	return false
}

// tableCases are the page's cases that any of t.Cases and t.When hold
// for, in the page's order.
func (m measure) tableCases(t policy.ReportTable) []*office.Record {
	if len(t.Cases) == 0 && t.When == "" {
		return m.per.recs
	}
	var out []*office.Record
	for _, r := range m.per.recs {
		in := len(t.Cases) == 0
		for _, c := range t.Cases {
			if m.holds(c, r) {
				in = true
				break
			}
		}
		if in && (t.When == "" || m.marks.holds(m.p, t.When, r)) {
			out = append(out, r)
		}
	}
	return out
}

// closedIn is the last time in the period r reached a final state.
func (m measure) closedIn(r *office.Record) (at time.Time, ok bool) {
	for _, t := range r.Transitions() {
		if m.p.IsTerminal(t.To) && within(t.At, m.per.start, m.per.end) {
			at, ok = t.At, true
		}
	}
	return at, ok
}

// countsReport writes the pages of a counts report: one per period of
// each of its periods, with its tables.
func countsReport(w *writer, p *policy.Policy, sr policy.StatReport, recs []*office.Record, marks *condMarks, opts Options) SeedLinks {
	lang := opts.Lang
	l := zone(p)
	links := SeedLinks{Title: caption(lang, policy.Caption{Zh: sr.Zh, En: sr.En}), Basis: caption(lang, sr.Basis)}
	byEnd := sr.Cases == "received_by_end"
	for _, kind := range sr.Periods {
		for _, per := range reportPeriods(recs, kind, byEnd, l) {
			name := reportName(p.ID, sr.ID+"-"+per.key)
			rep := &SeedReport{Title: links.Title, Policy: p.Label("policy", p.ID, lang), Period: per.key, Basis: links.Basis}
			if kind == "weeks" {
				rep.Notes = append(rep.Notes, fmt.Sprintf(word(lang, "s_week_span"),
					per.start.Format("2006-01-02"), per.end.AddDate(0, 0, -1).Format("2006-01-02"), per.key))
			}
			for _, n := range sr.Notes {
				rep.Notes = append(rep.Notes, caption(lang, n))
			}
			asOf := per.end
			if opts.Now.Before(asOf) {
				asOf = opts.Now
			}
			m := measure{p: p, per: per, asOf: asOf, marks: marks}
			for _, t := range sr.Tables {
				var st SeedTable
				if len(t.Items) > 0 {
					st = listTable(p, t, m, opts)
				} else {
					var ok bool
					if st, ok = groupTable(p, t, m, opts); !ok {
						continue
					}
					if t.Chart.Zh != "" {
						// The first counted column, after the label and the class.
						first := 1
						if t.Class.Zh != "" {
							first = 2
						}
						st.Chart = countChart(name+"-"+t.ID, rep.Policy+" "+per.key+" "+caption(lang, t.Chart), st, first, lang)
					}
				}
				st.CSV = name + "-" + t.ID + ".csv"
				if len(t.Items) > 0 {
					// A list says 无 when empty: that nobody was
					// overdue this week is news.
					rep.Tables = append(rep.Tables, st)
				} else {
					rep.add(st)
				}
			}
			writeSeed(w, name, rep, opts)
			n := len(per.recs)
			if byEnd {
				n = len(per.touched)
			}
			links.Links = append(links.Links, ReportLink{Label: per.key, Href: name + ".html", Cases: n})
		}
	}
	return links
}

// groupTable is a count table of the period's cases, one row per group
// of t.Rows; false when the policy has no such groups.
func groupTable(p *policy.Policy, t policy.ReportTable, m measure, opts Options) (SeedTable, bool) {
	lang := opts.Lang
	recs := m.tableCases(t)
	var groups []group
	var extra func(policy.Choice) []string
	if t.Class.Zh != "" {
		extra = func(c policy.Choice) []string {
			if c.Class == "" {
				return []string{""}
			}
			return []string{p.Label("class", c.Class, lang)}
		}
	}
	head := caption(lang, t.Head)
	switch t.Rows {
	case "category":
		groups = categoryGroups(p, lang, extra)
		head = cmp.Or(head, word(lang, "category"))
	case "channel":
		var ids []string
		channel := perRecord(func(r *office.Record) string { return fieldString(r, "channel") })
		for _, c := range p.Channels {
			id := c.ID
			ids = append(ids, id)
			groups = append(groups, group{id: id, label: p.Label("channel", id, lang), has: func(r *office.Record) bool { return channel(r) == id }})
		}
		groups = append(groups, group{label: word(lang, "unset"), has: func(r *office.Record) bool { return !slices.Contains(ids, channel(r)) }})
		head = cmp.Or(head, word(lang, "channel"))
	case "escalation":
		for _, e := range p.Escalations {
			id := e.ID
			groups = append(groups, group{id: id, label: p.Label("escalation", id, lang), has: func(r *office.Record) bool {
				return slices.ContainsFunc(r.Escalations, func(x policy.Escalation) bool { return x.ID == id })
			}})
		}
		head = cmp.Or(head, word(lang, "s_kind"))
	default:
		f, _ := p.Field(t.Rows)
		if len(f.Values) == 0 {
			groups = textGroups(t, recs, opts)
			head = cmp.Or(head, label(p, "field", t.Rows, lang))
			break
		}
		var ids []string
		for _, v := range f.Values {
			id := v.ID
			ids = append(ids, id)
			groups = append(groups, group{id: id, label: p.Label("value:"+t.Rows, id, lang), has: is(t.Rows, id)})
		}
		groups = append(groups, group{label: word(lang, "unset"), has: func(r *office.Record) bool { return !slices.Contains(ids, pathString(r, t.Rows)) }})
		head = cmp.Or(head, label(p, "field", t.Rows, lang))
	}
	if len(groups) == 0 {
		return SeedTable{}, false
	}
	if extra != nil {
		for i := range groups {
			if len(groups[i].extra) == 0 {
				groups[i].extra = []string{""}
			}
		}
	}
	heads := []string{head}
	if extra != nil {
		heads = append(heads, caption(lang, t.Class))
	}
	var cols []column
	for _, c := range t.Columns {
		if c.Values != "" {
			cols = append(cols, enumColumns(p, c.Values, lang)...)
			continue
		}
		c := c
		cols = append(cols, column{head: caption(lang, policy.Caption{Zh: c.Zh, En: c.En}), of: func(r *office.Record) bool {
			return m.holds(c.Count, r) && (c.When == "" || m.marks.holds(p, c.When, r))
		}, all: c.Count == "" && c.When == ""})
	}
	return countTable(lang, t.ID, caption(lang, policy.Caption{Zh: t.Zh, En: t.En}), heads, groups, cols, recs, keepKnown), true
}

// textGroups are the rows of a table grouped by a text field: a row per
// value written among the period's cases, most cases first (then by
// value), the first t.Top of them when set and the rest as one row, then
// the cases that leave it blank.
func textGroups(t policy.ReportTable, recs []*office.Record, opts Options) []group {
	n := map[string]int{}
	for _, r := range recs {
		if v := listValue(r, t.Rows, opts); v != "" {
			n[v]++
		}
	}
	values := slices.Collect(maps.Keys(n))
	slices.SortFunc(values, func(a, b string) int { return cmp.Or(cmp.Compare(n[b], n[a]), strings.Compare(a, b)) })
	var rest []string
	if t.Top > 0 && len(values) > t.Top {
		values, rest = values[:t.Top], values[t.Top:]
	}
	value := func(v string) func(*office.Record) bool {
		return func(r *office.Record) bool { return listValue(r, t.Rows, opts) == v }
	}
	var gs []group
	for _, v := range values {
		gs = append(gs, group{id: v, label: v, has: value(v)})
	}
	if len(rest) > 0 {
		slices.Sort(rest)
		gs = append(gs, group{id: "#other", label: word(opts.Lang, "s_other"), has: func(r *office.Record) bool {
			_, ok := slices.BinarySearch(rest, listValue(r, t.Rows, opts))
			return ok
		}})
	}
	return append(gs, group{label: word(opts.Lang, "unset"), has: value("")})
}

// listTable lists the period's cases that any of t.Cases and t.When hold
// for, one row each, printing t.Items.
func listTable(p *policy.Policy, t policy.ReportTable, m measure, opts Options) SeedTable {
	lang := opts.Lang
	l := zone(p)
	st := SeedTable{Key: t.ID, Title: caption(lang, policy.Caption{Zh: t.Zh, En: t.En})}
	for _, it := range t.Items {
		st.Heads = append(st.Heads, itemHead(p, it, lang))
	}
	for _, r := range m.tableCases(t) {
		row := SeedRow{ID: r.Case.ID}
		for _, it := range t.Items {
			var c SeedCell
			switch it.Path {
			case policy.FormID:
				c = SeedCell{Text: r.Case.ID, Href: "../" + caseHref(r.Case.ID)}
			case policy.ReportOverdueDeadline, policy.ReportOverdueDue:
				if cl, late := lateAt(r, m.asOf); late {
					c.Text = cl.Name(lang)
					if it.Path == policy.ReportOverdueDue {
						c.Text = cl.DueAt.In(l).Format(timeLayout)
					}
				}
			case policy.ReportClosedInPeriod:
				if at, ok := m.closedIn(r); ok {
					c.Text = at.In(l).Format(timeLayout)
				}
			default:
				c.Text = listValue(r, it.Path, opts)
			}
			row.Cells = append(row.Cells, c)
		}
		st.Rows = append(st.Rows, row)
	}
	return st
}
