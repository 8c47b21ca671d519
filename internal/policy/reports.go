package policy

import (
	"regexp"
	"slices"
	"strings"

	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/policies"
	"gopkg.in/yaml.v3"
)

// reportIDPattern: a report's id starts with a letter and does not end
// in what a period's key looks like.
var reportIDPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)

var periodSuffix = regexp.MustCompile(`[-_][0-9]{4}([-_](H[12]|W[0-9]{2}|[0-9]{2}))?$`)

// The periods a report's pages may be cut into.
var reportPeriods = []string{"months", "halves", "years", "weeks"}

// reports checks the policy's reports.
func (c *checker) reports() { c.reportList(c.p.Reports, false) }

// builtinReportsFallback gives a policy with no reports: key the built-in
// policy's reports of the same id, as an office's copy written before
// reports were data has none, when they fit the copy: every field,
// state and deadline they name exists in it and their conditions compile
// against it. A copy they do not fit (an office's own policy under a
// built-in's id, a copy with a renamed state) keeps none: loading it must
// not fail for what the office never wrote. Runs after compile.
func (c *checker) builtinReportsFallback() {
	if c.p.Reports != nil || c.d.at("reports") != c.d.at() || c.p.rt == nil {
		return
	}
	br, ok := builtinReports(c.p.ID)
	if !ok {
		return
	}
	sub := &checker{d: &doc{file: c.d.file, root: c.d.root}, p: c.p}
	sub.reportList(br, true)
	if len(sub.d.errs) > 0 {
		return
	}
	progs := map[string]*Program{}
	for _, cd := range sub.conds {
		prog, probs := c.p.compileCond(cd.src)
		if len(probs) > 0 {
			return
		}
		progs[cd.src] = prog
	}
	for src, prog := range progs {
		c.p.rt.progs[src] = prog
	}
	c.p.Reports = br
}

// reportList checks reports; builtin says they are the built-in policy's.
func (c *checker) reportList(reports []StatReport, builtin bool) {
	seen := map[string]int{}
	for i, r := range reports {
		at := func(path ...any) []any {
			if builtin {
				return []any{"id"}
			}
			return append([]any{"reports", i}, path...)
		}
		what := msg.T("报告 %q", "report %q").Sprintf(r.ID)
		c.uniqueID(at(), msg.T("报告", "report"), r.ID, i, seen)
		if r.ID != "" && (!reportIDPattern.MatchString(r.ID) || periodSuffix.MatchString(r.ID)) {
			// Pages are named <policy>-<id>-<period>; an id like 2026-11
			// would be the name of another page.
			c.add(at("id"), msg.T("用字母开头、不以年份或期间结尾的词，如 stats", "use a word that starts with a letter and does not end in a year or period, e.g. stats"),
				msg.T("报告 id %q 会和按期间命名的页面重名", "report id %q would clash with the pages named by period"), r.ID)
		}
		if strings.TrimSpace(r.Zh) == "" {
			c.add(at(), msg.T("加上 zh: <报告名称>", "add zh: <the report's title>"), msg.T("%s 没有中文名称", "%s has no Chinese title"), what)
		}
		if r.When != "" {
			c.conds = append(c.conds, cond{src: r.When, node: c.d.at(at("when")...), where: cat(what, " 的 when", " when")})
		}
		if len(r.Periods) == 0 {
			c.add(at(), msg.T("加上 periods:，如 [months, halves]", "add periods:, e.g. [months, halves]"), msg.T("%s 没有 periods，不知道按什么期间出报告", "%s has no periods: it would have no pages"), what)
		}
		for j, per := range r.Periods {
			switch {
			case !slices.Contains(reportPeriods, per):
				c.add(at("periods", j), oneOf(strings.Join(reportPeriods, ", ")), msg.T("%s：不认识的期间 %q", "%s: unknown period %q"), what, per)
			case slices.Index(r.Periods, per) < j:
				c.add(at("periods", j), msg.T("删掉重复的一个", "remove the repeated one"), msg.T("%s：期间 %q 写了两次", "%s: period %q is listed twice"), what, per)
			}
		}
		switch r.Cases {
		case "", "received", "received_by_end":
		default:
			c.add(at("cases"), oneOf("received, received_by_end"), msg.T("%s：cases 不认识 %q", "%s: unknown cases %q"), what, r.Cases)
		}
		switch r.Kind {
		case "", "counts":
			if len(r.Tables) == 0 {
				c.add(at(), msg.T("在 tables: 下列出报告的表", "list the report's tables under tables:"), msg.T("%s 没有 tables，印出来是空的", "%s has no tables: it would print empty"), what)
			}
		case "rate":
			if len(r.Tables) > 0 {
				c.add(at("tables"), msg.T("删除 tables:；投诉率报告的表是固定的（期间、件数、销量、投诉率）", "remove tables:; a rate report's tables are fixed (period, complaints, volume, rate)"), msg.T("%s 是投诉率报告，不能有 tables", "%s is a rate report and has no tables"), what)
			}
			for j, per := range r.Periods {
				if per == "weeks" {
					c.add(at("periods", j), oneOf("months, halves, years"), msg.T("%s：销量按月、半年或年提供，投诉率不能按周算", "%s: volumes are given by month, half-year or year, not by week"), what)
				}
			}
		default:
			c.add(at("kind"), oneOf("counts, rate"), msg.T("%s 的种类 %q 不认识", "%s has unknown kind %q"), what, r.Kind)
		}
		tseen := map[string]int{}
		for j, t := range r.Tables {
			c.reportTable(func(path ...any) []any { return at(append([]any{"tables", j}, path...)...) }, t, j, tseen, what)
		}
	}
}

// reportTable checks one table of a report: a count table (rows and
// columns) or a list (items).
func (c *checker) reportTable(at func(...any) []any, t ReportTable, j int, seen map[string]int, report msg.Text) {
	c.uniqueID(at(), msg.T("报告表", "report table"), t.ID, j, seen)
	what := msg.T("%s 的表 %q", "%s table %q").Sprintf(report, t.ID)
	if strings.TrimSpace(t.Zh) == "" {
		c.add(at(), msg.T("加上 zh: <表的标题>", "add zh: <the table's title>"), msg.T("%s 没有中文标题", "%s has no Chinese title"), what)
	}
	if t.When != "" {
		c.conds = append(c.conds, cond{src: t.When, node: c.d.at(at("when")...), where: cat(what, " 的 when", " when")})
	}
	for k, m := range t.Cases {
		if !slices.Contains(CountMeasures, m) {
			c.add(at("cases", k), oneOf(strings.Join(CountMeasures, ", ")), msg.T("%s：cases 不认识 %q", "%s: unknown cases %q"), what, m)
		}
	}
	if len(t.Items) > 0 {
		if t.Rows != "" || len(t.Columns) > 0 {
			c.add(at("items"), msg.T("列表用 items:，分组统计表用 rows: 和 columns:，二选一", "a list takes items:, a count table rows: and columns:; use one"), msg.T("%s 既有 items 又有 rows 或 columns", "%s has items and also rows or columns"), what)
		}
		for k, it := range t.Items {
			switch it.Path {
			case ReportOverdueDeadline, ReportOverdueDue, ReportClosedInPeriod:
				continue
			}
			c.formItem(at("items", k), it, what)
		}
		return
	}
	if len(t.Cases) > 0 || t.When != "" {
		c.add(at(), msg.T("cases: 和 when: 只用于列表（items:）；统计表在 columns: 的每一列写 count: 或 when:", "cases: and when: are for lists (items:); a count table says count: or when: in each of its columns"), msg.T("%s 是统计表，不能有 cases 或 when", "%s is a count table and has no cases or when"), what)
	}
	switch t.Rows {
	case "category", "channel", "escalation":
	case "":
		c.add(at(), msg.T("加上 rows: category、channel、escalation 或一个枚举字段，或者用 items: 列出案件", "add rows: category, channel, escalation or an enum field, or list cases with items:"), msg.T("%s 没有 rows，也没有 items", "%s has neither rows nor items"), what)
	default:
		c.enumPath(at("rows"), t.Rows, what)
	}
	if len(t.Columns) == 0 {
		c.add(at(), msg.T("在 columns: 下列出要统计的列，如 {zh: 件数}", "list the counted columns under columns:, e.g. {zh: 件数}"), msg.T("%s 没有 columns", "%s has no columns"), what)
	}
	for k, col := range t.Columns {
		cl := func(path ...any) []any { return at(append([]any{"columns", k}, path...)...) }
		if col.Values != "" {
			if col.Count != "" || col.When != "" || col.Zh != "" {
				c.add(cl("values"), msg.T("values: 自己成列（每个取值一列），不和 zh、count、when 一起写", "values: makes its own columns (one per value); write it without zh, count and when"), msg.T("%s 的第 %d 列既有 values 又有别的", "%s column %d has values and more"), what, k+1)
			}
			c.enumPath(cl("values"), col.Values, what)
			continue
		}
		if strings.TrimSpace(col.Zh) == "" {
			c.add(cl(), msg.T("加上 zh: <列名>", "add zh: <the column's head>"), msg.T("%s 的第 %d 列没有名称", "%s column %d has no head"), what, k+1)
		}
		if col.Count != "" && !slices.Contains(CountMeasures, col.Count) {
			c.add(cl("count"), oneOf(strings.Join(CountMeasures, ", ")), msg.T("%s：count 不认识 %q", "%s: unknown count %q"), what, col.Count)
		}
		if col.When != "" {
			c.conds = append(c.conds, cond{src: col.When, node: c.d.at(cl("when")...), where: msg.T("%s 第 %d 列的 when", "%s column %d when").Sprintf(what, k+1)})
		}
	}
}

// enumPath checks that path is a declared field with a list of values.
func (c *checker) enumPath(at []any, path string, what msg.Text) {
	f, ok := c.p.Field(path)
	switch {
	case !ok:
		c.add(at, c.fieldFix(path), undeclaredMsg, what, path)
	case len(f.Values) == 0:
		c.add(at, msg.T("用有 values: 的字段", "use a field that has values:"), msg.T("%s：字段 %q 没有列出取值，不能按它分组", "%s: field %q lists no values to group by"), what, path)
	}
}

// builtinReports are the reports of the built-in policy id.
func builtinReports(id string) ([]StatReport, bool) {
	data, err := policies.FS.ReadFile(id + ".yaml")
	if err != nil {
		return nil, false
	}
	var doc struct {
		Reports []StatReport `yaml:"reports"`
	}
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Reports) == 0 {
		return nil, false
	}
	return doc.Reports, true
}
