package site

import (
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/volume"
)

// seedWords are the seed-specific reports' own labels; init adds them to
// words so templates and code reach them like every other label.
var seedWords = map[string][2]string{
	"s_bank_stats":      {"客户投诉统计分析", "Complaint statistics"},
	"s_bank_basis":      {"第二十二条", "Art. 22"},
	"s_bank_note":       {"按投诉内容(第十三条)统计量化分析；按受理时间归入统计期间，处理情况截至统计时点。", "Counted by the content of the complaint (Art. 13); cases fall in the period they were received in, their handling is as of the build."},
	"s_by_content":      {"按投诉内容统计", "By content of the complaint"},
	"s_by_resp":         {"按投诉内容和责任认定统计", "By content and responsibility"},
	"s_by_satisfaction": {"按投诉内容和客户满意程度统计", "By content and customer satisfaction"},
	"s_special":         {"重大及特殊投诉", "Major and special complaints"},
	"s_content":         {"投诉内容", "Content"},
	"s_kind":            {"类型", "Kind"},
	"s_cases":           {"件数", "Cases"},
	"s_closed":          {"已办结", "Closed"},
	"s_open":            {"在办", "Open"},
	"s_withdrawn":       {"撤诉", "Withdrawn"},
	"s_reply_met":       {"按时回复", "Replied in time"},
	"s_reply_late":      {"超时或超期", "Late"},
	"s_unset":           {"未填", "Not given"},

	"s_rate":          {"市场投诉率", "Market complaint rate"},
	"s_rate_basis":    {"五.5", "5.5"},
	"s_rate_formula":  {"市场投诉率 = 本期投诉件数 ÷ 本期销量 × 10,000，即每万单位销量的投诉件数，保留两位小数(四舍五入)。销量取自 policies/volume.csv。", "Market complaint rate = complaints in the period ÷ volume sold in the period × 10,000: complaints per 10,000 units sold, to two decimals (rounded half up). Volumes come from policies/volume.csv."},
	"s_rate_invalid":  {"无效客诉(4.1.1)不计入投诉件数。", "Complaints found not valid (4.1.1) are not counted."},
	"s_rate_months":   {"月度", "Monthly"},
	"s_rate_halves":   {"半年度", "Half-yearly"},
	"s_rate_years":    {"年度", "Yearly"},
	"s_volume":        {"销量", "Volume"},
	"s_unit":          {"单位", "Unit"},
	"s_rate_per":      {"投诉率(每万单位)", "Rate (per 10,000 units)"},
	"s_no_volume":     {"未提供本期销量", "no volume given for this period"},
	"s_rate_chart":    {"月度市场投诉率(每万单位)", "Monthly market complaint rate (per 10,000 units)"},
	"s_complaints":    {"投诉件数", "Complaints"},
	"s_period_col":    {"期间", "Period"},
	"s_per_unit_text": {"每万%s %s", "%[2]s per 10,000 %[1]s"},

	"s_weekly":          {"客户投诉周报", "Weekly complaint summary"},
	"s_weekly_basis":    {"四.1", "4.1"},
	"s_weekly_to":       {"报送：总经理、质检部、营销总监、技术总监、销售经理(四.1)。", "To: the general manager, QC, the marketing, technical and sales managers (4.1)."},
	"s_week_span":       {"统计周：%s 至 %s(ISO %s)", "Week %[3]s: %[1]s to %[2]s"},
	"s_week_by_cat":     {"按类别统计", "By category"},
	"s_week_by_channel": {"按渠道统计", "By channel"},
	"s_owner":           {"归口", "Handled by"},
	"s_week_received":   {"本周受理", "Received"},
	"s_week_closed":     {"本周结案", "Closed"},
	"s_week_open":       {"周末在办", "Open at week end"},
	"s_week_overdue":    {"周末超期", "Overdue at week end"},
	"s_week_major":      {"重大投诉(2.3.3)", "Major complaints (2.3.3)"},
	"s_week_late":       {"周末超期案件", "Overdue at the end of the week"},
	"s_week_done":       {"本周结案明细", "Closed this week"},
	"s_week_new":        {"本周受理明细", "Received this week"},
	"s_clock":           {"期限", "Deadline"},
	"s_due":             {"到期时间", "Due"},
	"s_state_now":       {"当前状态", "Status now"},

	"s_tender":         {"举报投诉处理统计表", "Statistics of reports and complaints"},
	"s_tender_basis":   {"第二十五条、附件5", "Art. 25, annex 5"},
	"s_tender_note":    {"按收到时间归入半年度，处理情况截至统计时点；每半年向上一级招标投标管理机构上报一次。", "Cases fall in the half-year they were received in, their handling is as of the build; reported to the higher tendering office every half-year."},
	"s_tender_table":   {"举报投诉处理情况", "Reports and complaints handled"},
	"s_t_received":     {"收到", "Received"},
	"s_t_referral":     {"其中上级交办", "Of which handed down"},
	"s_t_accepted":     {"受理", "Accepted"},
	"s_t_not_accepted": {"不予受理", "Not accepted"},
	"s_t_transferred":  {"转送", "Transferred"},
	"s_t_withdrawn":    {"撤回中止", "Withdrawn"},
	"s_t_open":         {"在办", "Open"},
	"s_t_closed":       {"已结案", "Closed"},
	"s_t_simple":       {"简易程序", "Simple procedure"},
	"s_t_general":      {"一般程序", "General procedure"},
	"s_t_penalty":      {"行政处罚", "Penalties"},
	"s_t_overdue":      {"超过核查期限", "Verification late"},
	"s_t_replied":      {"已回复举报人", "Reporter answered"},
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

// seedKind writes one seed-specific report of a policy and says which
// pages it wrote.
type seedKind func(w *writer, p *policy.Policy, recs []*office.Record, vols *volume.Table, opts Options) SeedLinks

// seedKinds are the seed-specific reports by policy id, as the forms are.
var seedKinds = map[string][]seedKind{
	"bank":      {bankStats},
	"food":      {complaintRate},
	"hotline":   {complaintRate, hotlineWeekly},
	"tendering": {tenderStats},
}

// writeSeedReports writes the seed-specific reports of one policy.
func writeSeedReports(w *writer, p *policy.Policy, recs []*office.Record, vols *volume.Table, opts Options) []SeedLinks {
	var out []SeedLinks
	for _, k := range seedKinds[p.ID] {
		if l := k(w, p, recs, vols, opts); len(l.Links) > 0 {
			out = append(out, l)
		}
	}
	return out
}

// writeSeed writes a seed report page and the CSV of each of its tables.
func writeSeed(w *writer, name string, rep *SeedReport, opts Options) {
	for _, t := range rep.Tables {
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
	for _, g := range groups {
		counts := make([]int, len(cols))
		n := 0
		for _, r := range recs {
			if !g.has(r) {
				continue
			}
			n++
			for i, c := range cols {
				if c.of(r) {
					counts[i]++
				}
			}
		}
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
	for _, c := range p.Categories {
		id := c.ID
		ids = append(ids, id)
		g := group{id: id, label: p.Label("category", id, lang), has: func(r *office.Record) bool { return fieldString(r, "category") == id }}
		if extra != nil {
			g.extra = extra(c)
		}
		gs = append(gs, g)
	}
	other := group{id: "", label: word(lang, "unset"), has: func(r *office.Record) bool { return !slices.Contains(ids, fieldString(r, "category")) }}
	if extra != nil {
		other.extra = extra(policy.Choice{})
	}
	return append(gs, other)
}

// keepKnown keeps every category of the policy in a table, with zeros,
// as a statistics form lists them; the unknown group only when used.
func keepKnown(g group) bool { return g.id != "" }

// is tells whether a record's field has value v.
func is(field, v string) func(*office.Record) bool {
	return func(r *office.Record) bool { return fieldString(r, field) == v }
}

// statusIn tells whether a record is in one of the states.
func statusIn(states ...string) func(*office.Record) bool {
	return func(r *office.Record) bool { return slices.Contains(states, r.Case.Status) }
}

// clockLate tells whether the record's clock rule ended late or is overdue.
func clockLate(rule string) func(*office.Record) bool {
	return func(r *office.Record) bool {
		for _, c := range r.Clocks {
			if c.Rule == rule && (c.State == deadline.Missed || c.State == deadline.Overdue) {
				return true
			}
		}
		return false
	}
}

func clockMet(rule string) func(*office.Record) bool {
	return func(r *office.Record) bool {
		for _, c := range r.Clocks {
			if c.Rule == rule && c.State == deadline.Met {
				return true
			}
		}
		return false
	}
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
	return append(cols, column{head: word(lang, "s_unset"), of: func(r *office.Record) bool { return !slices.Contains(ids, fieldString(r, field)) }, unset: true})
}

func always1(*office.Record) bool { return true }

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

// bankStats writes the bank's statistics (第二十二条): counted by the
// content of the complaint (第十三条 categories), with the handling
// results the procedure names: closed or withdrawn (第十八条), replied in
// time (第十条), responsibility (第十三条、第十四条), the customer's
// satisfaction (第十一条), and the major and special complaints
// (第九条、第十五至十七条、第二十条), per month and half-year.
func bankStats(w *writer, p *policy.Policy, recs []*office.Record, _ *volume.Table, opts Options) SeedLinks {
	lang := opts.Lang
	links := SeedLinks{Title: word(lang, "s_bank_stats"), Basis: word(lang, "s_bank_basis")}
	months, halves := periods(recs, p)
	for _, per := range append(months, halves...) {
		name := reportName(p.ID, "stats-"+per.key)
		rep := &SeedReport{Title: links.Title, Policy: p.Label("policy", p.ID, lang), Period: per.key, Basis: links.Basis,
			Notes: []string{word(lang, "s_bank_note")}}
		head := []string{word(lang, "s_content")}
		t := countTable(lang, "content", word(lang, "s_by_content"), head, categoryGroups(p, lang, nil), []column{
			{head: word(lang, "s_cases"), of: always1, all: true},
			{head: word(lang, "s_closed"), of: func(r *office.Record) bool { return !r.Open() && r.Case.Status != "withdrawn" }},
			{head: word(lang, "s_withdrawn"), of: statusIn("withdrawn")},
			{head: word(lang, "s_open"), of: func(r *office.Record) bool { return r.Open() }},
			{head: word(lang, "s_reply_met"), of: clockMet("reply")},
			{head: word(lang, "s_reply_late"), of: clockLate("reply")},
		}, per.recs, keepKnown)
		t.Chart = countChart(name+"-content", rep.Policy+" "+per.key+" "+t.Title, t, 1, lang)
		rep.add(t)
		for _, x := range []struct{ key, title, field string }{
			{"responsibility", "s_by_resp", "responsibility"},
			{"satisfaction", "s_by_satisfaction", "satisfaction"},
		} {
			cols := enumColumns(p, x.field, lang)
			if cols == nil {
				continue
			}
			cols = append([]column{{head: word(lang, "s_cases"), of: always1, all: true}}, cols...)
			rep.add(countTable(lang, x.key, word(lang, x.title), head, categoryGroups(p, lang, nil), cols, per.recs, keepKnown))
		}
		var special []group
		for _, e := range p.Escalations {
			id := e.ID
			special = append(special, group{id: id, label: p.Label("escalation", id, lang), has: func(r *office.Record) bool {
				return slices.ContainsFunc(r.Escalations, func(x policy.Escalation) bool { return x.ID == id })
			}})
		}
		if len(special) > 0 {
			rep.add(countTable(lang, "special", word(lang, "s_special"), []string{word(lang, "s_kind")}, special, []column{
				{head: word(lang, "s_cases"), of: always1, all: true},
				{head: word(lang, "s_open"), of: func(r *office.Record) bool { return r.Open() }},
				{head: word(lang, "s_closed"), of: func(r *office.Record) bool { return !r.Open() }},
			}, per.recs, func(group) bool { return true }))
		}
		for i := range rep.Tables {
			rep.Tables[i].CSV = name + "-" + rep.Tables[i].Key + ".csv"
		}
		writeSeed(w, name, rep, opts)
		links.Links = append(links.Links, ReportLink{Label: per.key, Href: name + ".html", Cases: len(per.recs)})
	}
	return links
}

// rateCounted tells the complaints a market complaint rate counts: all
// but those found not valid (the food maker's 4.1.1).
func rateCounted(r *office.Record) bool { return r.Case.Status != "invalid" }

// complaintRate writes the 市场投诉率 page of a policy (第三篇 五.5; the
// food maker's quality target, 第二篇 1): complaints per 10,000 units
// sold in each month, half-year and year that has complaints or a volume.
func complaintRate(w *writer, p *policy.Policy, recs []*office.Record, vols *volume.Table, opts Options) SeedLinks {
	lang := opts.Lang
	l := p.Location
	if l == nil {
		l = time.UTC
	}
	name := reportName(p.ID, "complaint-rate")
	rep := &SeedReport{Title: word(lang, "s_rate"), Policy: p.Label("policy", p.ID, lang), Basis: word(lang, "s_rate_basis"),
		Notes: []string{word(lang, "s_rate_formula")}}
	if slices.ContainsFunc(p.States, func(s policy.State) bool { return s.ID == "invalid" }) {
		rep.Notes = append(rep.Notes, word(lang, "s_rate_invalid"))
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
	kinds := []struct {
		key, title string
		of         func(time.Time) string
		valid      func(string) bool
	}{
		{"months", "s_rate_months", func(t time.Time) string { return t.Format("2006-01") }, func(k string) bool { return len(k) == 7 && k[5] != 'H' }},
		{"halves", "s_rate_halves", func(t time.Time) string {
			if t.Month() > 6 {
				return strconv.Itoa(t.Year()) + "-H2"
			}
			return strconv.Itoa(t.Year()) + "-H1"
		}, func(k string) bool { return len(k) == 7 && k[5] == 'H' }},
		{"years", "s_rate_years", func(t time.Time) string { return strconv.Itoa(t.Year()) }, func(k string) bool { return len(k) == 4 }},
	}
	total := 0
	for _, r := range recs {
		if rateCounted(r) {
			total++
		}
	}
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
			if !rateCounted(r) {
				continue
			}
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
		t := SeedTable{Key: kind.key, Title: word(lang, "s_rate") + " · " + word(lang, kind.title),
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
		if kind.key == "months" && len(bars) > 0 {
			t.Chart = valueChart(name+"-months", rep.Policy+" "+word(lang, "s_rate_chart"), bars, lang)
		}
		rep.Tables = append(rep.Tables, t)
	}
	writeSeed(w, name, rep, opts)
	return SeedLinks{Title: rep.Title, Basis: rep.Basis, Links: []ReportLink{{Label: word(lang, "s_rate"), Href: name + ".html", Cases: total}}}
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

// hotlineWeekly writes the hotline's weekly summary to the leaders (四.1
// 每周出统计汇总): one page per ISO week in which a case was received or
// changed, with the week's counts by category and channel, the major
// complaints (2.3.3), the cases overdue at the week's end, and the cases
// received and closed in the week.
func hotlineWeekly(w *writer, p *policy.Policy, recs []*office.Record, _ *volume.Table, opts Options) SeedLinks {
	lang := opts.Lang
	l := p.Location
	if l == nil {
		l = time.UTC
	}
	links := SeedLinks{Title: word(lang, "s_weekly"), Basis: word(lang, "s_weekly_basis")}
	weeks := map[string]week{}
	touched := map[string][]*office.Record{}
	for _, r := range recs {
		seen := map[string]bool{}
		mark := func(at time.Time) {
			wk := weekOf(at.In(l))
			if !seen[wk.key] {
				seen[wk.key] = true
				weeks[wk.key] = wk
				touched[wk.key] = append(touched[wk.key], r)
			}
		}
		mark(r.Case.ReceivedAt)
		if r.History != nil {
			for _, v := range r.History.Versions {
				if !v.Deleted {
					mark(v.At)
				}
			}
		}
	}
	keys := make([]string, 0, len(weeks))
	for k := range weeks {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	slices.Reverse(keys) // newest first, like the other period lists
	for _, k := range keys {
		wk := weeks[k]
		name := reportName(p.ID, "week-"+k)
		rep := &SeedReport{Title: links.Title, Policy: p.Label("policy", p.ID, lang), Period: k, Basis: links.Basis, Notes: []string{
			fmt.Sprintf(word(lang, "s_week_span"), wk.start.Format("2006-01-02"), wk.end.AddDate(0, 0, -1).Format("2006-01-02"), k),
			word(lang, "s_weekly_to"),
		}}
		received := func(r *office.Record) bool { return within(r.Case.ReceivedAt, wk.start, wk.end) }
		closedIn := func(r *office.Record) bool {
			for _, t := range r.Transitions() {
				if p.IsTerminal(t.To) && within(t.At, wk.start, wk.end) {
					return true
				}
			}
			return false
		}
		// The cases the week's figures are about: received by its end.
		var upto []*office.Record
		for _, r := range recs {
			if r.Case.ReceivedAt.Before(wk.end) {
				upto = append(upto, r)
			}
		}
		// Open and overdue are as of the week's end, or of the build for
		// the week still running: clocks are judged at opts.Now.
		asOf := wk.end
		if opts.Now.Before(asOf) {
			asOf = opts.Now
		}
		openAt := func(r *office.Record) bool { return !p.IsTerminal(stateAt(r, asOf)) }
		overdueAt := func(r *office.Record) bool { _, late := lateAt(r, asOf); return openAt(r) && late }
		cols := []column{
			{head: word(lang, "s_week_received"), of: received},
			{head: word(lang, "s_week_closed"), of: closedIn},
			{head: word(lang, "s_week_open"), of: openAt},
			{head: word(lang, "s_week_overdue"), of: overdueAt},
		}
		owner := func(c policy.Choice) []string {
			if c.Class == "" {
				return []string{""}
			}
			return []string{p.Label("class", c.Class, lang)}
		}
		t := countTable(lang, "category", word(lang, "s_week_by_cat"), []string{word(lang, "category"), word(lang, "s_owner")},
			categoryGroups(p, lang, owner), cols, upto, keepKnown)
		t.Chart = countChart(name+"-category", rep.Policy+" "+k+" "+word(lang, "s_week_received"), t, 2, lang)
		rep.add(t)
		var chans []group
		var chIDs []string
		for _, c := range p.Channels {
			id := c.ID
			chIDs = append(chIDs, id)
			chans = append(chans, group{id: id, label: p.Label("channel", id, lang), has: is("channel", id)})
		}
		chans = append(chans, group{id: "", label: word(lang, "unset"), has: func(r *office.Record) bool { return !slices.Contains(chIDs, fieldString(r, "channel")) }})
		rep.add(countTable(lang, "channel", word(lang, "s_week_by_channel"), []string{word(lang, "channel")}, chans, cols[:2], upto, keepKnown))

		caseCell := func(r *office.Record) SeedCell { return SeedCell{Text: r.Case.ID, Href: "../" + caseHref(r.Case.ID)} }
		text := func(s string) SeedCell { return SeedCell{Text: s} }
		list := func(key, title string, heads []string, keep func(r *office.Record) bool, cells func(r *office.Record) []SeedCell) {
			t := SeedTable{Key: key, Title: title, Heads: heads}
			for _, r := range upto {
				if keep(r) {
					t.Rows = append(t.Rows, SeedRow{ID: r.Case.ID, Cells: cells(r)})
				}
			}
			rep.Tables = append(rep.Tables, t)
		}
		major := func(r *office.Record) bool {
			return slices.ContainsFunc(r.Escalations, func(e policy.Escalation) bool { return e.Severity == "major" })
		}
		list("major", word(lang, "s_week_major"),
			[]string{word(lang, "id"), word(lang, "title"), word(lang, "category"), label(p, "field", "gm_decision", lang), label(p, "field", "legal_review", lang), word(lang, "s_state_now")},
			func(r *office.Record) bool { return major(r) && (slices.Contains(touched[k], r) || openAt(r)) },
			func(r *office.Record) []SeedCell {
				return []SeedCell{caseCell(r), text(r.Case.Title), text(fieldValue(r, "category", lang)),
					text(listValue(r, "gm_decision", opts)), text(listValue(r, "legal_review", opts)), text(label(p, "state", r.Case.Status, lang))}
			})
		list("overdue", word(lang, "s_week_late"),
			[]string{word(lang, "id"), word(lang, "title"), word(lang, "s_clock"), word(lang, "s_due"), label(p, "field", "assignee", lang), word(lang, "s_state_now")},
			overdueAt,
			func(r *office.Record) []SeedCell {
				c, _ := lateAt(r, asOf)
				return []SeedCell{caseCell(r), text(r.Case.Title), text(c.Name(lang)), text(c.DueAt.In(l).Format(timeLayout)),
					text(listValue(r, "assignee", opts)), text(label(p, "state", r.Case.Status, lang))}
			})
		list("closed", word(lang, "s_week_done"),
			[]string{word(lang, "id"), word(lang, "title"), word(lang, "category"), label(p, "field", "remedy", lang), label(p, "field", "satisfaction", lang), word(lang, "closed_at")},
			closedIn,
			func(r *office.Record) []SeedCell {
				at := ""
				for _, t := range r.Transitions() {
					if p.IsTerminal(t.To) && within(t.At, wk.start, wk.end) {
						at = t.At.In(l).Format(timeLayout)
					}
				}
				return []SeedCell{caseCell(r), text(r.Case.Title), text(fieldValue(r, "category", lang)),
					text(listValue(r, "remedy", opts)), text(listValue(r, "satisfaction", opts)), text(at)}
			})
		list("received", word(lang, "s_week_new"),
			[]string{word(lang, "id"), label(p, "field", "received_at", lang), word(lang, "channel"), word(lang, "category"), label(p, "field", "product", lang),
				word(lang, "summary"), label(p, "field", "assignee", lang), word(lang, "s_state_now")},
			received,
			func(r *office.Record) []SeedCell {
				return []SeedCell{caseCell(r), text(receivedText(r)), text(fieldValue(r, "channel", lang)), text(fieldValue(r, "category", lang)),
					text(listValue(r, "product", opts)), text(r.Case.Title), text(listValue(r, "assignee", opts)), text(label(p, "state", r.Case.Status, lang))}
			})
		for i := range rep.Tables {
			rep.Tables[i].CSV = name + "-" + rep.Tables[i].Key + ".csv"
		}
		writeSeed(w, name, rep, opts)
		links.Links = append(links.Links, ReportLink{Label: k, Href: name + ".html", Cases: len(touched[k])})
	}
	return links
}

// tenderStats writes the tendering 举报投诉处理统计表 (第二十五条、附件5)
// per half-year: by category of the conduct reported, how many were
// received (of them handed down, 第十三条(三)), accepted (第十三条) or not
// (第十四条), transferred (第二十条), withdrawn (第二十三条), open or
// closed, by which procedure (第十五条), with a penalty (第十七条), past
// the verification period (第十八条), and answered to the reporter
// (第十二条).
func tenderStats(w *writer, p *policy.Policy, recs []*office.Record, _ *volume.Table, opts Options) SeedLinks {
	lang := opts.Lang
	links := SeedLinks{Title: word(lang, "s_tender"), Basis: word(lang, "s_tender_basis")}
	_, halves := periods(recs, p)
	accepted := func(r *office.Record) bool {
		if slices.Contains([]string{"accepted", "closed", "archived"}, r.Case.Status) {
			return true
		}
		return slices.ContainsFunc(r.Transitions(), func(t history.Transition) bool { return t.To == "accepted" })
	}
	referral := func(r *office.Record) bool {
		return slices.ContainsFunc(r.Escalations, func(e policy.Escalation) bool { return e.ID == "handed_down" }) ||
			fieldString(r, "channel") == "higher_office" || fieldString(r, "acceptance_ground") == "higher_office" || fieldString(r, "handed_down_by") != ""
	}
	cols := []column{
		{head: word(lang, "s_t_received"), of: always1, all: true},
		{head: word(lang, "s_t_referral"), of: referral},
		{head: word(lang, "s_t_accepted"), of: accepted},
		{head: word(lang, "s_t_not_accepted"), of: statusIn("not_accepted")},
		{head: word(lang, "s_t_transferred"), of: statusIn("transferred")},
		{head: word(lang, "s_t_withdrawn"), of: statusIn("withdrawn")},
		{head: word(lang, "s_t_open"), of: statusIn("received", "assigned", "accepted")},
		{head: word(lang, "s_t_closed"), of: statusIn("closed", "archived")},
		{head: word(lang, "s_t_simple"), of: is("procedure", "simple")},
		{head: word(lang, "s_t_general"), of: is("procedure", "general")},
		{head: word(lang, "s_t_penalty"), of: func(r *office.Record) bool { return r.Case.Fields["penalty"] == true }},
		{head: word(lang, "s_t_overdue"), of: clockLate("verify")},
		{head: word(lang, "s_t_replied"), of: func(r *office.Record) bool { return fieldString(r, "replied_to_reporter_at") != "" }},
	}
	for _, per := range halves {
		name := reportName(p.ID, "stats-"+per.key)
		rep := &SeedReport{Title: links.Title, Policy: p.Label("policy", p.ID, lang), Period: per.key, Basis: links.Basis,
			Notes: []string{word(lang, "s_tender_note")}}
		t := countTable(lang, "handling", word(lang, "s_tender_table"), []string{word(lang, "category")}, categoryGroups(p, lang, nil), cols, per.recs, keepKnown)
		t.CSV = name + "-handling.csv"
		t.Chart = countChart(name+"-handling", rep.Policy+" "+per.key+" "+word(lang, "s_t_received"), t, 1, lang)
		rep.add(t)
		writeSeed(w, name, rep, opts)
		links.Links = append(links.Links, ReportLink{Label: per.key, Href: name + ".html", Cases: len(per.recs)})
	}
	return links
}
