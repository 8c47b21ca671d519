package site

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/stats"
)

// aggregateWords are the aggregate dashboard's own chrome.
var aggregateWords = map[string][2]string{
	"agg_title":       {"汇总看板", "Aggregate dashboard"},
	"agg_home":        {"汇总", "Overview"},
	"agg_by_month":    {"按月对比", "By month"},
	"agg_by_proc":     {"按办法", "By procedure"},
	"agg_offices":     {"各单位", "Offices"},
	"agg_office":      {"单位", "Office"},
	"agg_own":         {"文件中的名称", "Name in its file"},
	"agg_built":       {"统计时点", "Counted at"},
	"agg_period":      {"统计期间", "Period"},
	"agg_cases":       {"件数", "Cases"},
	"agg_open":        {"在办", "Open"},
	"agg_finished":    {"办结", "Finished"},
	"agg_overdue":     {"超期未办", "Overdue"},
	"agg_on_time":     {"按时", "On time"},
	"agg_decided":     {"已判定", "Decided"},
	"agg_rate":        {"按时率", "On-time rate"},
	"agg_month":       {"月份", "Month"},
	"agg_received":    {"受理", "Received"},
	"agg_closed":      {"办结", "Closed"},
	"agg_read":        {"已汇总单位", "Offices counted"},
	"agg_missing":     {"未能读取", "Could not be read"},
	"agg_missing_h":   {"未能读取的单位", "Offices that could not be read"},
	"agg_source":      {"来源", "Source"},
	"agg_procedure":   {"办法", "Procedure"},
	"agg_n_offices":   {"单位数", "Offices"},
	"agg_months":      {"逐月", "Month by month"},
	"agg_by_state":    {"按状态", "By state"},
	"agg_by_category": {"按类别", "By category"},
	"agg_by_channel":  {"按渠道", "By channel"},
	"agg_unreadable":  {"无法读取的案件文件", "Unreadable case files"},
	"agg_m_received":  {"每月受理件数", "Cases received per month"},
	"agg_m_closed":    {"每月办结件数", "Cases closed per month"},
	"agg_m_rate":      {"按时率（按受理月份）", "On-time rate by month received"},
	"agg_m_overdue":   {"超期未办件数（按受理月份）", "Overdue cases by month received"},
	"agg_note": {"按时率按案件计：有时限超期的案件为超时，全部时限结束且至少一项按时的案件为按时，其余尚未判定。各数为各单位 stats.json 之和；在办、超期未办为各单位统计时点的情况。",
		"On-time rates count cases: a case with a clock that ran late is late, one whose clocks all ended with at least one met is on time, the others are not decided yet. Every figure is the sum of the offices' stats.json; open and overdue are as of each office's time of counting."},
	"agg_withheld_note": {"公开版的 stats.json 不公开小于 3 的件数，并另隐去几项，使它们不能由合计相减算出：这些件数显示为 <3。含有这样一项的合计显示为 ≥N，N 为已知各项之和；由隐去的件数算出的按时率显示为 —。",
		"A public stats.json withholds every count under 3, and a few more so that no total gives one away: these read <3. A sum that includes such a count reads ≥N, N being the sum of the known parts; an on-time rate from a withheld count reads —."},
	"agg_public": {"公开版", "public edition"},
}

func init() {
	addWords("aggregate", aggregateWords)
}

// OfficeStats is one office of an aggregate: the name the aggregate gives
// it, where its stats.json came from, and the file, or why it could not
// be read.
type OfficeStats struct {
	Name, Path string
	Stats      *stats.File
	Err        error
}

// AggregateOptions tune Aggregate.
type AggregateOptions struct {
	// Out is the folder to write.
	Out string
	// Lang is "zh" (default) or "en".
	Lang string
	// Now, when set, is shown as the time of the aggregate; the pages
	// otherwise depend on the offices' files only.
	Now time.Time
}

// AggregateSummary tells what Aggregate wrote.
type AggregateSummary struct {
	Out, Index string
	Pages      int
	// Read and Missing count the offices counted and those that could
	// not be read.
	Read, Missing int
	Written       int
	Removed       int
}

// AggRow counts a set of cases, as a row of the aggregate's tables shows
// them (see aggCount): "12", "<3" for a count an office's public file
// withholds, "≥12" for a sum that includes one.
type AggRow struct {
	Cases, Open, Finished, Overdue string
	OnTime, Decided                string
	Rate                           string // "66.7%", "—" when nothing is decided or a count is withheld
}

// AggMonth is one month of a month-by-month table, shown as AggRow.
type AggMonth struct {
	Month                     string
	Received, Closed, Overdue string
	OnTime, Decided           string
	Rate                      string
}

// AggMonths is a month-by-month table with its heading.
type AggMonths struct {
	ID, Title string
	Months    []AggMonth
}

// AggOffice is one office of the aggregate. Missing, when set, says why
// its stats.json could not be read; it then has no counts.
type AggOffice struct {
	N                        int
	Name, Own, Href, Source  string
	BuiltAt, Period, Missing string
	Row                      AggRow
	// Unreadable is the office's unreadable case files as shown; "" for
	// none.
	Unreadable string
	// Public is set for an office whose file is a public one, with
	// counts withheld.
	Public     bool
	Procedures []AggOfficeProcedure
	Months     AggMonths
	file       *stats.File
}

// AggOfficeProcedure is one procedure of one office's page.
type AggOfficeProcedure struct {
	ID, Name string
	Row      AggRow
	Months   AggMonths
	// Counts are the cases by state, by category and by channel.
	Counts []AggCounts
}

// AggCounts is the cases of one procedure by one vocabulary.
type AggCounts struct {
	ID, Title string
	Items     []AggCount
}

// AggCount is one value of a vocabulary and its cases, as shown.
type AggCount struct {
	Label string
	Cases string
}

// AggProcedure is one procedure over every office that has it.
type AggProcedure struct {
	ID, Name string
	Offices  []AggProcOffice
	Total    AggRow
	Months   AggMonths
}

// AggProcOffice is one office's row in a procedure's table.
type AggProcOffice struct {
	Name, Href string
	Row        AggRow
}

// AggMatrix compares the offices month by month in one measure: a row
// per month, a column per office, and the total.
type AggMatrix struct {
	ID, Title string
	Cols      []string
	Rows      []AggMatrixRow
}

// AggMatrixRow is one month of an AggMatrix.
type AggMatrixRow struct {
	Month string
	Cells []string
	Total string
}

// AggregateView is the data of the aggregate's pages.
type AggregateView struct {
	Figures    []Figure
	Offices    []AggOffice
	Total      AggRow
	Period     string
	Missing    []AggOffice
	Procedures []AggProcedure
	Months     AggMonths
	Matrices   []AggMatrix
	// Office is the office of an office page.
	Office *AggOffice
	// Withheld is set when an office's file is public: the pages then
	// say what <3 and ≥N mean.
	Withheld bool
}

// aggregatePage is what the aggregate templates receive.
type aggregatePage struct {
	Page
	Agg *AggregateView
}

// Aggregate writes one dashboard over several offices' stats.json into
// opts.Out: index.html (the offices side by side, per procedure, month by
// month), months.html (the offices month by month), procedures.html, and
// offices/<N>.html per office read. An office that could not be read is
// listed with its reason; the others are counted. Aggregate returns an
// error only for what stops it writing (a broken template, an unwritable
// folder).
func Aggregate(offices []OfficeStats, opts AggregateOptions) (AggregateSummary, error) {
	if opts.Lang == "" {
		opts.Lang = msg.Zh
	}
	if opts.Lang != msg.Zh && opts.Lang != msg.En {
		return AggregateSummary{}, fmt.Errorf("language %q is not zh or en", opts.Lang)
	}
	if opts.Out == "" {
		return AggregateSummary{}, errors.New("aggregate: no output folder")
	}
	tpl, seed, tplFiles, err := loadTemplates("", opts.Lang, "")
	if err != nil {
		return AggregateSummary{}, err
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return AggregateSummary{}, fmt.Errorf("write aggregate: %w", err)
	}
	interrupted, err := startBuild(opts.Out)
	if err != nil {
		return AggregateSummary{}, fmt.Errorf("write aggregate: %w", err)
	}
	fl := &files{out: opts.Out, old: readManifest(opts.Out), cur: manifest{}, untrusted: interrupted}
	w := &writer{out: opts.Out, tpl: tpl, seed: seed, tplFiles: tplFiles, files: fl, pages: new(atomic.Int64)}

	v := aggregateView(offices, opts.Lang)
	now := ""
	if !opts.Now.IsZero() {
		now = opts.Now.Format(timeLayout + " -07:00")
	}
	nav := []NavLink{
		{Label: word(opts.Lang, "agg_home"), Href: "index.html"},
		{Label: word(opts.Lang, "agg_by_month"), Href: "months.html"},
		{Label: word(opts.Lang, "agg_by_proc"), Href: "procedures.html"},
	}
	page := func(title, root string) Page {
		return Page{Lang: opts.Lang, Title: title, Root: root, Now: now, Nav: nav, Wide: true}
	}
	w.page("index.html", "aggregate.html", aggregatePage{Page: page(word(opts.Lang, "agg_title"), ""), Agg: v})
	w.page("months.html", "aggregate_months.html", aggregatePage{Page: page(word(opts.Lang, "agg_by_month"), ""), Agg: v})
	w.page("procedures.html", "aggregate_procedures.html", aggregatePage{Page: page(word(opts.Lang, "agg_by_proc"), ""), Agg: v})
	for i := range v.Offices {
		o := &v.Offices[i]
		if o.Missing != "" {
			continue
		}
		one := *v
		one.Office = o
		w.page("offices/"+strconv.Itoa(o.N)+".html", "aggregate_office.html", aggregatePage{Page: page(o.Name, "../"), Agg: &one})
	}
	w.asset("", "site.css")
	if w.err != nil {
		return AggregateSummary{}, w.err
	}
	removed, err := removeStale(opts.Out, fl.old, fl.cur)
	if err != nil {
		return AggregateSummary{}, fmt.Errorf("remove pages of offices that are gone: %w", err)
	}
	if err := writeManifest(opts.Out, fl.cur); err != nil {
		return AggregateSummary{}, fmt.Errorf("write aggregate: %w", err)
	}
	if err := finishBuild(opts.Out); err != nil {
		return AggregateSummary{}, fmt.Errorf("write aggregate: %w", err)
	}
	return AggregateSummary{Out: opts.Out, Index: filepath.Join(opts.Out, "index.html"), Pages: int(w.pages.Load()),
		Read: len(v.Offices) - len(v.Missing), Missing: len(v.Missing), Written: fl.written, Removed: removed}, nil
}

// aggregateView sums the offices' files into the pages' data.
func aggregateView(offices []OfficeStats, lang string) *AggregateView {
	v := &AggregateView{}
	var total stats.Summary
	var totalMonths []stats.Month
	procs := map[string]*AggProcedure{}
	procMonths := map[string][]stats.Month{}
	procTotals := map[string]*stats.Summary{}
	var procOrder []string
	from, to := "", ""
	for i, in := range offices {
		o := AggOffice{N: i + 1, Name: in.Name, Source: in.Path, Href: "offices/" + strconv.Itoa(i+1) + ".html"}
		if in.Stats == nil {
			o.Href = ""
			o.Missing = reason(in.Err, lang)
			v.Offices = append(v.Offices, o)
			v.Missing = append(v.Missing, o)
			continue
		}
		f := in.Stats
		o.file = f
		if f.Office != in.Name {
			o.Own = f.Office
		}
		o.BuiltAt = builtAt(f.BuiltAt)
		if f.Period != nil {
			o.Period = f.Period.From + " – " + f.Period.To
			if from == "" || f.Period.From < from {
				from = f.Period.From
			}
			to = max(to, f.Period.To)
		}
		o.Row = aggRow(f.Totals, false)
		if f.Unreadable != (stats.Num{}) {
			o.Unreadable = aggCount(f.Unreadable, false)
		}
		if f.Audience == stats.AudiencePublic {
			o.Public, v.Withheld = true, true
		}
		o.Months = AggMonths{ID: "months", Title: word(lang, "agg_months"), Months: aggMonths(f.Totals.Months, false)}
		total.Add(f.Totals)
		totalMonths = stats.SumMonths(totalMonths, f.Totals.Months)
		for _, p := range f.Procedures {
			name := pick(lang, [2]string{p.Name.Zh, p.Name.En})
			if name == "" {
				name = p.Policy
			}
			op := AggOfficeProcedure{ID: p.Policy, Name: name, Row: aggRow(p.Summary, false),
				Months: AggMonths{ID: "months-" + p.Policy, Title: name + " · " + word(lang, "agg_months"), Months: aggMonths(p.Months, false)}}
			for _, c := range []struct {
				key  string
				list []stats.Count
			}{{"state", p.States}, {"category", p.Categories}, {"channel", p.Channels}} {
				op.Counts = append(op.Counts, AggCounts{ID: p.Policy + "-" + c.key, Title: name + " · " + word(lang, "agg_by_"+c.key),
					Items: counts(c.list, lang)})
			}
			o.Procedures = append(o.Procedures, op)
			ap := procs[p.Policy]
			if ap == nil {
				ap = &AggProcedure{ID: p.Policy, Name: name}
				procs[p.Policy] = ap
				procTotals[p.Policy] = &stats.Summary{}
				procOrder = append(procOrder, p.Policy)
			}
			ap.Offices = append(ap.Offices, AggProcOffice{Name: in.Name, Href: o.Href, Row: op.Row})
			procTotals[p.Policy].Add(p.Summary)
			procMonths[p.Policy] = stats.SumMonths(procMonths[p.Policy], p.Months)
		}
		v.Offices = append(v.Offices, o)
	}
	v.Total = aggRow(total, true)
	if from != "" {
		v.Period = from + " – " + to
	}
	v.Months = AggMonths{ID: "months", Title: word(lang, "agg_months"), Months: aggMonths(totalMonths, true)}
	slices.Sort(procOrder)
	for _, id := range procOrder {
		ap := procs[id]
		ap.Total = aggRow(*procTotals[id], true)
		ap.Months = AggMonths{ID: "months-" + id, Title: ap.Name + " · " + word(lang, "agg_months"), Months: aggMonths(procMonths[id], true)}
		v.Procedures = append(v.Procedures, *ap)
	}
	v.Matrices = matrices(v, totalMonths, lang)
	read := len(v.Offices) - len(v.Missing)
	for _, f := range []struct{ key, label, value string }{
		{"offices", word(lang, "agg_read"), strconv.Itoa(read) + " / " + strconv.Itoa(len(v.Offices))},
		{"cases", word(lang, "agg_cases"), v.Total.Cases},
		{"open", word(lang, "agg_open"), v.Total.Open},
		{"overdue", word(lang, "agg_overdue"), v.Total.Overdue},
		{"on_time", word(lang, "agg_rate"), v.Total.Rate},
	} {
		v.Figures = append(v.Figures, Figure{Key: f.key, Label: f.label, Value: f.value})
	}
	return v
}

// matrices are the month-by-month comparisons of the offices read: a row
// per month of any office, a column per office.
func matrices(v *AggregateView, totalMonths []stats.Month, lang string) []AggMatrix {
	var read []*AggOffice
	var cols []string
	for i := range v.Offices {
		if o := &v.Offices[i]; o.file != nil {
			read = append(read, o)
			cols = append(cols, o.Name)
		}
	}
	type measure struct {
		id, title string
		cell      func(m stats.Month, sum bool) string
	}
	measures := []measure{
		{"received", word(lang, "agg_m_received"), func(m stats.Month, sum bool) string { return aggCount(m.Received, sum) }},
		{"closed", word(lang, "agg_m_closed"), func(m stats.Month, sum bool) string { return aggCount(m.Closed, sum) }},
		{"rate", word(lang, "agg_m_rate"), func(m stats.Month, _ bool) string { return rate(m.OnTime) }},
		{"overdue", word(lang, "agg_m_overdue"), func(m stats.Month, sum bool) string { return aggCount(m.Overdue, sum) }},
	}
	var out []AggMatrix
	for _, ms := range measures {
		mx := AggMatrix{ID: "m-" + ms.id, Title: ms.title, Cols: cols}
		for _, tm := range totalMonths {
			row := AggMatrixRow{Month: tm.Month, Total: ms.cell(tm, true)}
			for _, o := range read {
				m, ok := stats.MonthOf(o.file.Totals.Months, tm.Month)
				if !ok {
					row.Cells = append(row.Cells, "")
					continue
				}
				row.Cells = append(row.Cells, ms.cell(m, false))
			}
			mx.Rows = append(mx.Rows, row)
		}
		out = append(out, mx)
	}
	return out
}

// aggRow shows a summary; sum says whether it is a sum over offices.
func aggRow(s stats.Summary, sum bool) AggRow {
	c := func(n stats.Num) string { return aggCount(n, sum) }
	return AggRow{Cases: c(s.Cases), Open: c(s.Open), Finished: c(s.Finished), Overdue: c(s.Overdue),
		OnTime: c(s.OnTime.OnTime), Decided: c(s.OnTime.Decided), Rate: rate(s.OnTime)}
}

func aggMonths(months []stats.Month, sum bool) []AggMonth {
	out := make([]AggMonth, 0, len(months))
	c := func(n stats.Num) string { return aggCount(n, sum) }
	for _, m := range months {
		out = append(out, AggMonth{Month: m.Month, Received: c(m.Received), Closed: c(m.Closed), Overdue: c(m.Overdue),
			OnTime: c(m.OnTime.OnTime), Decided: c(m.OnTime.Decided), Rate: rate(m.OnTime)})
	}
	return out
}

// aggCount is a count as the aggregate shows it: the number; a count an
// office's public file withholds as the public pages show it (Suppressed);
// a sum over offices that includes one as ≥N, N the sum of the known
// parts.
func aggCount(n stats.Num, sum bool) string {
	switch {
	case !n.Withheld:
		return strconv.Itoa(n.N)
	case sum:
		return "≥" + strconv.Itoa(n.N)
	}
	return Suppressed
}

// rate is on time / decided as the dashboard shows rates: "66.7%", or "—"
// when nothing is decided or a count it comes from is withheld.
func rate(o stats.OnTime) string {
	if o.Decided.N <= 0 || o.Decided.Withheld || o.OnTime.Withheld || o.Late.Withheld {
		return "—"
	}
	return strconv.FormatFloat(float64(o.OnTime.N)*100/float64(o.Decided.N), 'f', 1, 64) + "%"
}

func counts(list []stats.Count, lang string) []AggCount {
	out := make([]AggCount, 0, len(list))
	for _, c := range list {
		label := pick(lang, [2]string{c.Zh, c.En})
		if label == "" {
			label = c.ID
		}
		out = append(out, AggCount{Label: label, Cases: aggCount(c.Cases, false)})
	}
	return out
}

// builtAt shows an office's time of counting as the site shows times, in
// the zone the file gives.
func builtAt(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.Format(timeLayout + " -07:00")
}

// reason is why an office could not be read, in lang.
func reason(err error, lang string) string {
	if err == nil {
		return word(lang, "agg_missing")
	}
	var l msg.Localized
	if errors.As(err, &l) {
		return l.In(lang)
	}
	return err.Error()
}
