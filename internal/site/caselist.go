package site

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/export"
	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/office"
)

// listPageSize is how many cases one static page of the case list shows.
const listPageSize = 200

// CaseRow is one case of the case list. States, categories and channels
// are a policy's own: their keys (StatusKey, CategoryKey, ChannelKey) are
// "policy/id", so the bank's withdrawn and the tendering office's
// withdrawn stay apart.
type CaseRow struct {
	ID, Href, Title             string
	PolicyID, Policy            string
	StatusID, StatusKey, Status string
	CategoryKey, Category       string
	ChannelKey, Channel         string
	Department, Handler         string // blank when unset or confidential
	Received, NextDue, Closed   string // "2006-01-02 15:04", empty when none
	Open, Overdue, Escalated    bool
	// ClosedLate is set for a closed case with a deadline missed; Age is
	// an open case's working days since it was received (-1 otherwise).
	ClosedLate bool
	Age        int
	// Days is the next clock's time left or late in words ("剩余 3 个工作
	// 日", "超期 2 个工作日"); DaysLeft its working days, negative when
	// late; HasDays tells whether the case has a running clock at all.
	Days     string
	DaysLeft int
	HasDays  bool
	// Broken is set for a file that could not be read.
	Broken bool
}

// Choice is one value the case list can be filtered by, with how many
// cases have it.
type Choice struct {
	ID, Label string
	Count     int
}

// ChoiceGroup is one policy's choices of a select (an optgroup); Label is
// empty when the office has one policy, and for the lists that span
// policies (departments, handlers).
type ChoiceGroup struct {
	Label   string
	Choices []Choice
}

func init() {
	addWords("case list", map[string][2]string{
		"procedure":      {"办法", "Procedure"},
		"stage":          {"办理情况", "Stage"},
		"stage_closed":   {"已办结", "Closed"},
		"escalated_only": {"重大或升级", "Escalated"},
		"due_within":     {"几个工作日内到期", "Due within (working days)"},
		"date_from":      {"从", "From"},
		"date_to":        {"至", "To"},
		"closed_on":      {"办结时间", "Closed"},
		"sort_late":      {"超期最久在前", "Longest overdue first"},
		"days_left":      {"剩余或超期", "Left or late"},
		"reset":          {"清除筛选", "Clear filters"},
		"download_csv":   {"下载所列案件(CSV)", "Download these cases (CSV)"},
		"csv_file":       {"案件筛选结果.csv", "cases-filtered.csv"},
		"age_filter":     {"已办理工作日", "Open for (working days)"},
		"loading":        {"显示 {n} 件，正在载入其余案件…", "Showing {n}, loading the rest…"},
	})
}

// noneValue is the filter value of a blank department or handler, as the
// dashboard's workload tables name it.
const noneValue = "—"

// ListView is one static view of the case list: all cases, the overdue
// ones, or those in one status; each is split into pages.
type ListView struct {
	Label, Href string
	Count       int
	Current     bool
}

// PageLink is one page of the current view; N is 0 for the gap where
// pages are left out.
type PageLink struct {
	N       int
	Href    string
	Current bool
}

// CaseList is the data of cases/index.html and the other pages of the
// list (cases/list/<view>-<n>.html). Every page works without
// JavaScript; with it, filter.js filters and sorts all cases, read from
// the chunks of cases/rows/ that Data, their index, lists.
type CaseList struct {
	// View is the label of the view this page belongs to.
	View  string
	Views []ListView
	// Rows are this page's cases, the latest received first.
	Rows []CaseRow
	// Total counts the view's cases; First and Last number this page's
	// rows (1-based, 0 when the view is empty), and Range says so in words.
	Total, First, Last int
	Range              string
	Pages              []PageLink
	Prev, Next         string // hrefs of the neighbouring pages, empty at the ends
	// Filter choices, for the script's selects: Policies only when the
	// office has more than one.
	Policies                                              []Choice
	Statuses, Categories, Channels, Departments, Handlers []ChoiceGroup
	// MultiPolicy shows the 办法 column.
	MultiPolicy bool
	// ViewFilter is this page's view as the script's address filter
	// ("late=1"), so filtering on the overdue list starts from it.
	ViewFilter string
	// Data is the href of cases/rows/index.js, the index of the chunks
	// holding all cases for the script, and
	// Base the way from this page to cases/, where its hrefs point from.
	Data, Base string
}

// listView is a view while the pages are made.
type listView struct {
	key, label string
	// filter is the view as filter.js's address filter ("late=1").
	filter string
	rows   []int32 // indexes into the rows of all cases
}

// writeCaseLists writes the case list: all cases, the overdue ones and
// one view per status, each in pages of listPageSize, plus the script's
// data in cases/rows/ (rowsFiles).
func writeCaseLists(w *writer, o *office.Office, recs []*office.Record, broken []*msg.FileError, opts Options) {
	lang := opts.Lang
	var rows []CaseRow
	for _, b := range broken {
		id := cases.StemID(b.File)
		rows = append(rows, CaseRow{ID: id, Href: fileName(id), Title: word(lang, "broken_title"),
			StatusID: "#broken", StatusKey: "#broken", Status: word(lang, "broken"), Broken: true})
	}
	policies := map[string]bool{}
	for _, row := range caseRows(o, recs, opts) {
		policies[row.PolicyID] = true
		rows = append(rows, row)
	}
	multi := len(policies) > 1
	// The latest received first; unreadable files, which have no date,
	// come first of all, since they need fixing.
	slices.SortStableFunc(rows, func(a, b CaseRow) int {
		if a.Broken != b.Broken {
			if a.Broken {
				return -1
			}
			return 1
		}
		return cmp.Or(strings.Compare(b.Received, a.Received), strings.Compare(b.ID, a.ID))
	})

	// Views hold indexes, not copies: 100,000 rows are 25 MB a copy.
	all := make([]int32, len(rows))
	var late []int32
	byStatus := map[string]*listView{}
	var statusKeys []string
	for i, row := range rows {
		all[i] = int32(i)
		if row.Overdue {
			late = append(late, int32(i))
		}
		v := byStatus[row.StatusKey]
		if v == nil {
			v = &listView{key: "status-" + strings.ReplaceAll(row.StatusKey, "/", "-"), label: row.Status,
				filter: "s=" + url.QueryEscape(row.StatusKey)}
			if row.StatusID == "" {
				v.label = word(lang, "unset")
			}
			if multi && row.Policy != "" {
				v.label = row.Policy + " · " + v.label
			}
			byStatus[row.StatusKey] = v
			statusKeys = append(statusKeys, row.StatusKey)
		}
		v.rows = append(v.rows, int32(i))
	}
	views := []listView{{key: "all", label: word(lang, "all"), rows: all}, {key: "overdue", label: word(lang, "overdue"), rows: late, filter: "late=1"}}
	slices.Sort(statusKeys)
	for _, k := range statusKeys {
		views = append(views, *byStatus[k])
	}

	choices := listChoices(rows, multi, lang)
	for vi, v := range views {
		n := max(1, (len(v.rows)+listPageSize-1)/listPageSize)
		for page := 1; page <= n; page++ {
			rel := listPath(v.key, page)
			l := &CaseList{View: v.label, Total: len(v.rows), Data: relTo(rel, rowsIndex), MultiPolicy: multi, ViewFilter: v.filter}
			l.Statuses, l.Categories, l.Channels, l.Departments, l.Handlers = choices[0], choices[1], choices[2], choices[3], choices[4]
			if multi {
				l.Policies = policyChoices(rows)
			}
			for vj, o := range views {
				l.Views = append(l.Views, ListView{Label: o.label, Href: relTo(rel, listPath(o.key, 1)), Count: len(o.rows), Current: vi == vj})
			}
			if n > 1 {
				for _, q := range pageWindow(page, n) {
					if q == 0 {
						l.Pages = append(l.Pages, PageLink{})
						continue
					}
					l.Pages = append(l.Pages, PageLink{N: q, Href: relTo(rel, listPath(v.key, q)), Current: q == page})
				}
				if page > 1 {
					l.Prev = relTo(rel, listPath(v.key, page-1))
				}
				if page < n {
					l.Next = relTo(rel, listPath(v.key, page+1))
				}
			}
			lo, hi := (page-1)*listPageSize, min(page*listPageSize, len(v.rows))
			for _, i := range v.rows[lo:hi] {
				row := rows[i]
				row.Href = relTo(rel, "cases/"+row.Href)
				l.Rows = append(l.Rows, row)
			}
			if hi > lo {
				l.First, l.Last = lo+1, hi
				l.Range = fmt.Sprintf(pick(lang, [2]string{"第 %d–%d 件，共 %d 件", "Cases %d–%d of %d"}), l.First, l.Last, l.Total)
			}
			root := "../"
			if strings.Count(rel, "/") == 2 {
				root, l.Base = "../../", "../"
			}
			title := word(lang, "cases")
			if v.key != "all" || page > 1 {
				title += " · " + v.label
				if n > 1 {
					title += " " + strconv.Itoa(page) + "/" + strconv.Itoa(n)
				}
			}
			p := Page{Lang: lang, Title: title, Root: root, Now: opts.Now.Format(timeLayout + " -07:00"), List: l, Wide: true}
			w.page(rel, "cases.html", p)
		}
	}
	for _, f := range rowsFiles(rows) {
		w.write(f.rel, f.data)
	}
}

// pageWindow is the pages the pager of page p of n links: the first and
// the last, and three on either side of p; a 0 stands for the pages left
// out between them.
func pageWindow(p, n int) []int {
	var out []int
	for q := 1; q <= n; q++ {
		switch {
		case q == 1 || q == n || (q >= p-3 && q <= p+3):
			out = append(out, q)
		case len(out) > 0 && out[len(out)-1] != 0:
			out = append(out, 0)
		}
	}
	return out
}

// listPath is the path of page n of a view of the case list.
func listPath(view string, n int) string {
	if view == "all" && n == 1 {
		return "cases/index.html"
	}
	return "cases/list/" + strings.TrimSuffix(fileName(view), ".html") + "-" + strconv.Itoa(n) + ".html"
}

// relTo is the link from the site file from to the site file to, both
// slash paths from the site's top.
func relTo(from, to string) string {
	fromDir := strings.Split(from, "/")
	fromDir = fromDir[:len(fromDir)-1]
	toParts := strings.Split(to, "/")
	common := 0
	for common < len(fromDir) && common < len(toParts)-1 && fromDir[common] == toParts[common] {
		common++
	}
	return strings.Repeat("../", len(fromDir)-common) + strings.Join(toParts[common:], "/")
}

// caseRows are the list's rows of recs, in their order.
func caseRows(o *office.Office, recs []*office.Record, opts Options) []CaseRow {
	rows := make([]CaseRow, 0, len(recs))
	for _, r := range recs {
		row := caseRow(r, opts)
		if r.Policy != nil {
			row.Age = ageOf(o.Calendar(r.Policy), r, opts.Now)
		}
		rows = append(rows, row)
	}
	return rows
}

// caseRow is the list's row of one case.
func caseRow(r *office.Record, opts Options) CaseRow {
	c, l, lang := r.Case, loc(r), opts.Lang
	pid := ""
	if r.Policy != nil {
		pid = r.Policy.ID
	}
	key := func(id string) string {
		if id == "" {
			return ""
		}
		return pid + "/" + id
	}
	cat, ch := fieldString(r, "category"), fieldString(r, "channel")
	row := CaseRow{
		ID: c.ID, Href: fileName(c.ID), Title: c.Title,
		PolicyID: pid, Policy: label(r.Policy, "policy", pid, lang),
		StatusID: c.Status, StatusKey: key(c.Status), Status: label(r.Policy, "state", c.Status, lang),
		CategoryKey: key(cat), Category: label(r.Policy, "category", cat, lang),
		ChannelKey: key(ch), Channel: label(r.Policy, "channel", ch, lang),
		Department: listed(r, "department"), Handler: listed(r, "assignee"),
		Open: r.Open(), Overdue: r.Open() && r.Late(), Escalated: len(r.Escalations) > 0, Age: -1,
	}
	_, row.ClosedLate = closedLate(r)
	if r.Policy == nil {
		row.Policy = ""
	}
	if !c.ReceivedAt.IsZero() {
		row.Received = c.ReceivedAt.In(l).Format(timeLayout)
	}
	if at, ok := closedAt(r); ok {
		row.Closed = at.In(l).Format(timeLayout)
	}
	if cl, ok := deadline.Next(r.Clocks); ok {
		row.NextDue = cl.DueAt.In(l).Format(timeLayout)
		if row.Open {
			// The dashboard's rule: an overdue case counts by its overdue
			// clock, any other by its next one.
			if row.Overdue {
				for _, o := range r.Clocks {
					if o.State == deadline.Overdue {
						cl = o
						break
					}
				}
			}
			row.Days, row.DaysLeft, row.HasDays = daysText(lang, cl, opts.Now), cl.DaysLeft, true
		}
	}
	return row
}

// listChoices are the statuses, categories and channels of the rows by
// policy (one group per policy when multi), and the departments and
// handlers, each with its count, in label order; departments and handlers
// end with the blank one ("未填") when some case has none.
func listChoices(rows []CaseRow, multi bool, lang string) [5][]ChoiceGroup {
	var out [5][]ChoiceGroup
	for i, of := range []func(CaseRow) (string, string){
		func(r CaseRow) (string, string) { return r.StatusKey, r.Status },
		func(r CaseRow) (string, string) { return r.CategoryKey, r.Category },
		func(r CaseRow) (string, string) { return r.ChannelKey, r.Channel },
		func(r CaseRow) (string, string) { return r.Department, r.Department },
		func(r CaseRow) (string, string) { return r.Handler, r.Handler },
	} {
		perPolicy := i < 3
		groups := map[string]*ChoiceGroup{}
		var order []string
		seen := map[string]int{}
		blank := 0
		for _, r := range rows {
			if r.Broken {
				continue
			}
			id, lbl := of(r)
			if id == "" {
				blank++
				continue
			}
			g := ""
			if perPolicy && multi {
				g = r.Policy
			}
			grp := groups[g]
			if grp == nil {
				grp = &ChoiceGroup{Label: g}
				groups[g] = grp
				order = append(order, g)
			}
			if j, ok := seen[id]; ok {
				grp.Choices[j].Count++
				continue
			}
			seen[id] = len(grp.Choices)
			grp.Choices = append(grp.Choices, Choice{ID: id, Label: lbl, Count: 1})
		}
		slices.Sort(order)
		for _, g := range order {
			grp := groups[g]
			slices.SortFunc(grp.Choices, func(a, b Choice) int { return cmp.Or(strings.Compare(a.Label, b.Label), strings.Compare(a.ID, b.ID)) })
			out[i] = append(out[i], *grp)
		}
		if !perPolicy && blank > 0 {
			if len(out[i]) == 0 {
				out[i] = []ChoiceGroup{{}}
			}
			out[i][0].Choices = append(out[i][0].Choices, Choice{ID: noneValue, Label: word(lang, "unset"), Count: blank})
		}
	}
	return out
}

// policyChoices are the policies of the rows, with their counts.
func policyChoices(rows []CaseRow) []Choice {
	var out []Choice
	seen := map[string]int{}
	for _, r := range rows {
		if r.Broken || r.PolicyID == "" {
			continue
		}
		if j, ok := seen[r.PolicyID]; ok {
			out[j].Count++
			continue
		}
		seen[r.PolicyID] = len(out)
		out = append(out, Choice{ID: r.PolicyID, Label: r.Policy, Count: 1})
	}
	slices.SortFunc(out, func(a, b Choice) int { return cmp.Or(strings.Compare(a.Label, b.Label), strings.Compare(a.ID, b.ID)) })
	return out
}

// listed is a field's value as a list of many cases shows it: blank when
// the policy keeps the field confidential (export.Confidential).
func listed(r *office.Record, path string) string {
	if export.Confidential(r)(path) {
		return ""
	}
	return fieldString(r, path)
}
