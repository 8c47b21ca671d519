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
	seenFold := map[string]string{}
	for i, r := range reports {
		at := func(path ...any) []any {
			if builtin {
				return []any{"id"}
			}
			return append([]any{"reports", i}, path...)
		}
		what := msg.T("报告 %q", "report %q").Sprintf(r.ID)
		c.uniqueID(at(), msg.T("报告", "report"), r.ID, i, seen)
		c.pageID(at("id"), msg.T("报告", "report"), r.ID, seenFold)
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
			if r.Cases != "" {
				c.add(at("cases"), msg.T("删除 cases:；投诉率按收到时间计", "remove cases:; a rate counts complaints by when they were received"), msg.T("%s 是投诉率报告，不用 cases", "%s is a rate report and takes no cases"), what)
			}
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
		tseen, tfold := map[string]int{}, map[string]string{}
		for j, t := range r.Tables {
			c.reportTable(func(path ...any) []any { return at(append([]any{"tables", j}, path...)...) }, t, j, tseen, tfold, what)
		}
	}
}

// reportTable checks one table of a report: a count table (rows and
// columns) or a list (items).
func (c *checker) reportTable(at func(...any) []any, t ReportTable, j int, seen map[string]int, fold map[string]string, report msg.Text) {
	c.uniqueID(at(), msg.T("报告表", "report table"), t.ID, j, seen)
	c.pageID(at("id"), msg.T("报告表", "report table"), t.ID, fold)
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
		if t.Chart != (Caption{}) {
			c.add(at("chart"), msg.T("删除 chart:；图只画统计表的第一列", "remove chart:; a chart draws a count table's first column"), msg.T("%s 是案件列表，不能有 chart", "%s is a list of cases and has no chart"), what)
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
	if t.Class != (Caption{}) && t.Rows != "category" {
		c.add(at("class"), msg.T("删除 class:，或按 category 分组", "remove class:, or group by category"), msg.T("%s：class 是类别的分类，只用于 rows: category", "%s: class is the category's class, for rows: category only"), what)
	}
	if f, ok := c.p.Field(t.Rows); t.Top > 0 && (t.Rows == "category" || t.Rows == "channel" || t.Rows == "escalation" || (ok && len(f.Values) > 0)) {
		c.add(at("top"), msg.T("删除 top:；它只用于按文字字段分组（如 respondent.unit）", "remove top:; it is for rows grouped by a text field (such as respondent.unit)"), msg.T("%s：top 对 rows: %s 不起作用", "%s: top does nothing for rows: %s"), what, t.Rows)
	}
	switch t.Rows {
	case "category", "channel":
	case "escalation":
		if len(c.p.Escalations) == 0 {
			c.add(at("rows"), msg.T("先在 escalations: 下声明升级规则，或换一种分组", "declare escalations under escalations: first, or group otherwise"), msg.T("%s 按升级规则分组，但这个政策没有升级规则", "%s groups by escalation, but the policy has none"), what)
		}
	case "":
		c.add(at(), msg.T("加上 rows: category、channel、escalation 或一个枚举字段，或者用 items: 列出案件", "add rows: category, channel, escalation or an enum field, or list cases with items:"), msg.T("%s 没有 rows，也没有 items", "%s has neither rows nor items"), what)
	default:
		c.rowsPath(at("rows"), t.Rows, what)
	}
	if t.Top < 0 {
		c.add(at("top"), msg.T("写一个正整数，如 20", "write a positive number, e.g. 20"), msg.T("%s：top 不能是负数", "%s: top cannot be negative"), what)
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
	case f.Type == TypeList:
		c.add(at, msg.T("按只取一个值的字段分组，或用 when: 数列表里的值，如 '\"x\" in %s'", "group by a field that takes one value, or count a list's values with when:, e.g. '\"x\" in %s'").Sprintf(path),
			msg.T("%s：字段 %q 是列表，一个案件可以有几个值，不能按它分组", "%s: field %q is a list (a case may have several values) and cannot be grouped by"), what, path)
	}
}

// maxPageID is the longest id a report or table may have: it names
// files, and a file name has a limit.
const maxPageID = 64

// pageID checks an id that names files (reports/<policy>-<report>-
// <period>-<table>.csv): it starts with a letter, does not end in what a
// period looks like (stats-2026-11 would be another page's name), is not
// too long, and differs from the others in more than letter case (the
// files would be one on Windows and macOS). fold maps the lower-case ids
// seen to the first spelling.
func (c *checker) pageID(at []any, what msg.Text, id string, fold map[string]string) {
	if id == "" {
		return
	}
	switch {
	case !reportIDPattern.MatchString(id):
		c.add(at, msg.T("用字母开头的词，只含字母、数字、- 和 _，如 stats", "use a word that starts with a letter, of letters, digits, - and _, e.g. stats"),
			msg.T("%s id %q 不能用作文件名", "%s id %q cannot name a file"), what, id)
	case periodSuffix.MatchString(id):
		c.add(at, msg.T("换一个不以年份或期间结尾的词", "choose a word that does not end in a year or period"),
			msg.T("%s id %q 会和按期间命名的页面重名", "%s id %q would clash with the pages named by period"), what, id)
	case len(id) > maxPageID:
		c.add(at, msg.T("用不超过 %d 个字符的词", "use a word of at most %d characters").Sprintf(maxPageID), msg.T("%s id 太长", "%s id is too long"), what)
	}
	if first, ok := fold[strings.ToLower(id)]; ok && first != id {
		c.add(at, msg.T("换一个 id：只差大小写的文件名在 Windows 和 macOS 上是同一个", "choose another id: file names that differ only in case are one file on Windows and macOS"),
			msg.T("%s id %q 和 %q 只差大小写", "%s id %q differs from %q only in case"), what, id, first)
		return
	}
	fold[strings.ToLower(id)] = id
}

// rowsPath checks a field a table's rows group by: an enum, or a text
// field that is neither personal data nor confidential (a row per value
// written would print it).
func (c *checker) rowsPath(at []any, path string, what msg.Text) {
	f, ok := c.p.Field(path)
	switch {
	case !ok:
		c.add(at, c.fieldFix(path), undeclaredMsg, what, path)
	case len(f.Values) > 0:
		c.enumPath(at, path, what)
	case f.Type != "" && f.Type != TypeString && f.Type != TypeText:
		c.add(at, msg.T("按有 values: 的字段或文字字段分组", "group by a field with values: or a text field"), msg.T("%[1]s：不能按 %[3]s 类型的字段 %[2]q 分组", "%[1]s: cannot group by field %[2]q of type %[3]s"), what, path, string(f.Type))
	case underAny(path, c.p.PIIPaths()) || underAny(path, c.p.ConfidentialPaths()):
		c.add(at, msg.T("换一个字段：每行会印出它的值", "choose another field: each row would print its value"), msg.T("%s：字段 %q 是个人信息或保密的，不能按它分组", "%s: field %q is personal or confidential data and cannot be grouped by"), what, path)
	}
}

// underAny tells whether path is one of roots or below one.
func underAny(path string, roots []string) bool {
	for _, r := range roots {
		if path == r || strings.HasPrefix(path, r+".") {
			return true
		}
	}
	return false
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
