package site

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
)

// Page is what every template receives: Root is the relative path from
// the page to the site's top ("" or "../"), so links work from file:// and
// any sub-path.
type Page struct {
	Lang  string
	Title string
	Root  string
	Now   string
	// Public is set in a public build: the layout links only the pages
	// such a build has.
	Public bool
	// Nav, when set, replaces the office site's navigation (the
	// aggregate's pages have their own).
	Nav []NavLink
	// Wide prints the page on landscape A4 (site.css, @page wide): the
	// dashboard, registers, reports, statistics and case lists, whose
	// tables have many columns.
	Wide bool
	// Exactly one of the following is set, by page.
	Dashboard *Dashboard
	List      *CaseList
	Case      *CaseView
}

// NavLink is one link of the navigation; Href is relative to the site's
// top.
type NavLink struct{ Label, Href string }

// Figure is one key figure of the dashboard; Href, when set, is the case
// list filtered to exactly the cases it counts.
type Figure struct {
	Key, Label, Value, Href string
}

// Matrix is a status × category count table for one policy.
type Matrix struct {
	Policy string
	Cols   []string // category labels
	Rows   []MatrixRow
	// pid is the policy's id; states and cats the ids behind Rows and
	// Cols, while counting.
	pid          string
	states, cats []string
}

// MatrixRow is one status of a Matrix.
type MatrixRow struct {
	Label  string
	Counts []int
	Total  int
	// Shown and TotalShown are Counts and Total as the page shows them:
	// the numbers, or in a public build Suppressed for the withheld ones.
	Shown      []string
	TotalShown string
	// Hrefs and TotalHref link each count to the case list filtered to
	// those cases (internal builds; empty for a count of 0).
	Hrefs     []string
	TotalHref string
	// state is the row's state id.
	state string
}

// Load is the open work of one department or handler; OpenHref and
// OverdueHref link the counts to the case list filtered to those cases.
type Load struct {
	Name                  string
	Open, Overdue         int
	OpenHref, OverdueHref string
}

// CaseRef is a case in a dashboard list.
type CaseRef struct {
	ID, Href, Title, Status, Clock, Due, Days string
	Handler, Department, Closed               string
	Escalations                               []string
	received                                  string // RFC 3339 in UTC, for ordering
	daysLeft                                  int    // the clock's working days left, negative when late
}

// Move is one transition in the dashboard's latest list.
type Move struct {
	ID, Href, Title, At, Actor, From, To, Note, Commit string
	// Correction is set when the step is a recorded correction.
	Correction *CorrectionView
	// Renumbered is set when the step gave the case another id: "OLD → NEW".
	Renumbered string
}

// Dashboard is the data of index.html.
type Dashboard struct {
	Figures  []Figure
	Matrices []Matrix
	// Overdue, DueSoon and Escalated hold the latest received cases of
	// each list, at most 30; the ...All fields count the whole list.
	Overdue                              []CaseRef
	DueSoon                              []CaseRef
	OverdueAll, DueSoonAll, EscalatedAll int
	Departments                          []Load
	Handlers                             []Load
	Escalated                            []CaseRef
	// EscalatedEver counts every escalated case, closed ones too; the
	// list shows the open ones.
	EscalatedEver int
	// ClosedLate are the latest cases closed with a deadline missed, at
	// most 30 of ClosedLateAll.
	ClosedLate    []CaseRef
	ClosedLateAll int
	// HandlerTable, Ageing and Trends are the manager's views (manager.go);
	// Period says what the rates count.
	HandlerTable []HandlerRow
	Ageing       []AgeRow
	Trends       []Trend
	Period       Period
	Latest       []Move
	// Exports are the machine-readable files of the build, linked from the
	// dashboard: feed, calendar, case table (internal builds) and stats.json.
	Exports []Export
}

// Export is one machine-readable file of the site: Href relative to the
// dashboard, URL its absolute address when the build knows the base URL
// (to paste into a feed reader or a calendar app), Type its media type.
type Export struct {
	Label, Note, Href, URL, Type string
}

// FieldView is one front-matter field under its policy label.
type FieldView struct{ Path, Label, Value string }

// ClockView is one deadline clock of a case page.
type ClockView struct {
	Label, Due, StateID, State, Days string
	Late                             bool
}

// Link is a page a case links to: a form (ID is its name).
type Link struct{ ID, Href string }

// RelatedView is a case related to this one: written in this case's
// related list (Back false) or in the other case's, naming this one (Back
// true). Href is empty when the site has no page of it; As is the
// relation's label (重复投诉, 重复登记, 相关).
type RelatedView struct {
	ID, Href, Title, As string
	Back                bool
}

// ExtensionView is one entry of the case's extensions: the deadline it
// extends, its due time before and after (After reads 未生效 for an entry
// the clock did not apply, which the problems explain), who approved it,
// when, and why.
type ExtensionView struct {
	Clock, Before, After, ApprovedBy, ApprovedAt, Reason string
	Applied                                              bool
}

// CaseView is the data of cases/<ID>.html.
type CaseView struct {
	ID, Title, Policy, Status string
	Fields                    []FieldView
	Body                      any // template.HTML from renderMarkdown
	Clocks                    []ClockView
	Timeline                  []Move
	Related                   []RelatedView
	Extensions                []ExtensionView
	Attachments               []string
	Escalations               []string
	// Problems are the case's findings, as casebook validate reports them.
	Problems []ProblemView
	// Forms are the printable forms of this case: ID is the form's name,
	// Href its anchor in this page (#form-<form id>), and Sheets the forms
	// themselves, each with that Anchor (the page shows a sheet alone when
	// its anchor is followed, on screen and on paper).
	Forms  []Link
	Sheets []*Form
	// Broken is set for a file that could not be read; Problems says why.
	Broken bool
	// bodySrc is the Markdown Body is rendered from.
	bodySrc string
}

// ProblemView is one finding on a case page. CodeLabel is the code's
// short name from validate.Table, in the page's language.
type ProblemView struct {
	SeverityID, Severity, Code, CodeLabel, Where, Message, Fix string
}

// word is a piece of the site's own chrome, which the policy does not name.
var words = map[string][2]string{
	"dashboard":     {"工作台", "Dashboard"},
	"cases":         {"全部案件", "All cases"},
	"open":          {"在办", "Open"},
	"overdue":       {"已超期", "Overdue"},
	"due_soon":      {"2个工作日内到期", "Due within 2 working days"},
	"received":      {"本月受理", "Received this month"},
	"closed":        {"本月办结", "Closed this month"},
	"on_time":       {"按时办结率（近12个月）", "On-time rate (12 months)"},
	"public_note":   {"公开版：只有统计数字，没有案件、正文和姓名；小于 3 的件数显示为 <3，并另隐去一格，使它不能由合计相减算出。", "Public edition: statistics only, no cases, texts or names; counts under 3 read <3, and one more cell is withheld so that no total gives them away."},
	"median":        {"办理时长中位数（近12个月，工作日）", "Median handling time (12 months, working days)"},
	"matrix":        {"状态 × 类别", "Status × category"},
	"total":         {"合计", "Total"},
	"by_dept":       {"各部门工作量", "Workload by department"},
	"by_handler":    {"各承办人工作量", "Workload by handler"},
	"department":    {"部门", "Department"},
	"handler":       {"承办人", "Handler"},
	"escalated":     {"重大或升级案件", "Major or escalated cases"},
	"latest":        {"最新流转", "Latest transitions"},
	"id":            {"编号", "ID"},
	"title":         {"标题", "Title"},
	"status":        {"状态", "Status"},
	"category":      {"类别", "Category"},
	"channel":       {"渠道", "Channel"},
	"next_due":      {"最近期限", "Next due"},
	"deadline":      {"期限", "Deadline"},
	"due":           {"到期时间", "Due"},
	"state":         {"状态", "State"},
	"days":          {"工作日", "Working days"},
	"when":          {"时间", "When"},
	"who":           {"经办人", "Who"},
	"change":        {"流转", "Change"},
	"note":          {"说明", "Note"},
	"commit":        {"提交", "Commit"},
	"fields":        {"登记信息", "Fields"},
	"body":          {"正文", "Body"},
	"clocks":        {"办理期限", "Deadlines"},
	"timeline":      {"办理过程", "Timeline"},
	"related":       {"关联案件", "Related cases"},
	"relation":      {"关系", "Relation"},
	"recorded":      {"记载于", "Recorded in"},
	"rel_here":      {"本案", "this case"},
	"rel_there":     {"对方案件", "the other case"},
	"extensions":    {"延期", "Extensions"},
	"ext_before":    {"原到期", "Due before"},
	"ext_after":     {"延至", "Extended to"},
	"ext_not":       {"未生效", "not applied"},
	"ext_by":        {"批准人", "Approved by"},
	"ext_at":        {"批准时间", "Approved at"},
	"attachments":   {"附件", "Attachments"},
	"problems":      {"校验发现的问题", "Problems found by validation"},
	"broken":        {"文件有误", "unreadable"},
	"broken_title":  {"案件文件无法读取", "The case file cannot be read"},
	"fix":           {"改正方法：", "How to fix: "},
	"views":         {"列表", "Lists"},
	"more":          {"显示更多", "Show more"},
	"shown":         {"显示 {n} / 共 {total} 件", "Showing {n} of {total}"},
	"sort":          {"排序", "Sort"},
	"sort_received": {"最新受理在前", "Latest received first"},
	"sort_due":      {"期限最近在前", "Soonest due first"},
	"sort_id":       {"按编号", "By ID"},
	"received_on":   {"受理时间", "Received"},
	"pages":         {"分页", "Pages"},
	"prev":          {"上一页", "Previous"},
	"next":          {"下一页", "Next"},
	"see_all":       {"查看全部", "See all"},
	"filter":        {"筛选", "Filter"},
	"all":           {"全部", "All"},
	"search":        {"标题或编号", "Title or ID"},
	"none":          {"无", "None"},
	"as_of":         {"统计时点", "As of"},
	"exports":       {"订阅与下载", "Subscribe and download"},
	"x_feed":        {"动态订阅(Atom)", "News feed (Atom)"},
	"x_feed_note":   {"每次受理、转办、办结都会出现在订阅里，可用 Outlook、Thunderbird 等阅读器订阅", "every registration, referral and closing, for Outlook, Thunderbird or any feed reader"},
	"x_ics":         {"期限日历(iCalendar)", "Deadline calendar (iCalendar)"},
	"x_ics_note":    {"在 Outlook、手机日历中按网址订阅；按天计的期限在到期前一个工作日和到期当天 9:00 提醒，按小时计的在到期前 15 分钟提醒，较长的另在剩余四分之一时提醒", "subscribe by address in Outlook or a phone's calendar; deadlines in days remind at 09:00 on the working day before and on the due day, deadlines in hours 15 minutes before, longer ones also when a quarter of their time is left"},
	"x_csv":         {"案件表(CSV)", "Case table (CSV)"},
	"x_csv_note":    {"用 Excel 或 WPS 打开", "opens in Excel or WPS"},
	"x_stats":       {"统计数据(JSON)", "Statistics (JSON)"},
	"x_stats_note":  {"供上级单位汇总(casebook aggregate)", "for a head office's casebook aggregate"},
	"x_address":     {"订阅地址", "Address"},
	"policy":        {"制度", "Policy"},
	"new":           {"新建", "new"},
	"renumbered":    {"重新编号", "Renumbered"},
	"name":          {"名称", "Name"},
}

// addWords adds a page family's own words to words at init; a key used
// twice would make one family's label silently replace another's.
func addWords(family string, m map[string][2]string) {
	for k, v := range m {
		if _, dup := words[k]; dup {
			panic("site: " + family + " word " + k + " is already a word")
		}
		words[k] = v
	}
}

func word(lang, key string) string {
	w, ok := words[key]
	if !ok {
		return key
	}
	if lang == "en" {
		return w[1]
	}
	return w[0]
}

func pick(lang string, w [2]string) string {
	if lang == "en" {
		return w[1]
	}
	return w[0]
}

const timeLayout = "2006-01-02 15:04"

// caseHref is the link to a case page from the site's top.
func caseHref(id string) string { return "cases/" + fileName(id) }

// fileName is a case page's file name; ids are checked by the validator,
// and anything outside a safe set is replaced so no id can leave cases/.
func fileName(id string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, strings.TrimLeft(id, ".")) + ".html"
}

func daysText(lang string, c deadline.Clock, now time.Time) string {
	d, late := c.Distance(now, lang)
	switch {
	case lang == "en" && late:
		return d + " late"
	case lang == "en":
		return d + " left"
	case late:
		return "超期 " + d
	}
	return "剩余 " + d
}

func loc(r *office.Record) *time.Location { return r.Location() }

func label(p *policy.Policy, kind, id, lang string) string {
	if p == nil {
		return id
	}
	return p.Label(kind, id, lang)
}

func fieldString(r *office.Record, key string) string {
	v, ok := r.Case.Fields[key]
	if !ok || v == nil {
		return ""
	}
	return asWritten(r, key, v)
}

// closedAt is when the case last entered a terminal state.
func closedAt(r *office.Record) (time.Time, bool) { return r.ClosedAt() }

func median(xs []int) string {
	if len(xs) == 0 {
		return "—"
	}
	slices.Sort(xs)
	m := len(xs) / 2
	if len(xs)%2 == 1 {
		return fmt.Sprint(xs[m])
	}
	// Half-days only: "4.5", and "4" rather than "4.0".
	return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(xs[m-1]+xs[m])/2), ".0")
}
