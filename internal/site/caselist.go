package site

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
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

// CaseRow is one case of the case list.
type CaseRow struct {
	ID, Href, Title                string
	StatusID, Status               string
	CategoryID, Category           string
	ChannelID, Channel, Department string
	Received, NextDue              string // "2006-01-02 15:04", empty when none
	Overdue                        bool
	// Broken is set for a file that could not be read.
	Broken bool
}

// Choice is one value the case list can be filtered by, with how many
// cases have it.
type Choice struct {
	ID, Label string
	Count     int
}

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
// Data.
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
	// Filter choices, for the script's selects.
	Statuses, Categories, Channels, Departments []Choice
	// Data is the href of cases/rows.js, all cases for the script, and
	// Base the way from this page to cases/, where its hrefs point from.
	Data, Base string
}

// listView is a view while the pages are made.
type listView struct {
	key, label string
	rows       []int32 // indexes into the rows of all cases
}

// writeCaseLists writes the case list: all cases, the overdue ones and
// one view per status, each in pages of listPageSize, plus cases/rows.js.
func writeCaseLists(w *writer, recs []*office.Record, broken []*msg.FileError, opts Options) {
	lang := opts.Lang
	var rows []CaseRow
	for _, b := range broken {
		id := cases.StemID(b.File)
		rows = append(rows, CaseRow{ID: id, Href: fileName(id), Title: word(lang, "broken_title"),
			StatusID: "#broken", Status: word(lang, "broken"), Broken: true})
	}
	for _, r := range recs {
		c := r.Case
		row := CaseRow{
			ID: c.ID, Href: fileName(c.ID), Title: c.Title,
			StatusID: c.Status, Status: label(r.Policy, "state", c.Status, lang),
			CategoryID: fieldString(r, "category"), Category: label(r.Policy, "category", fieldString(r, "category"), lang),
			ChannelID: fieldString(r, "channel"), Channel: label(r.Policy, "channel", fieldString(r, "channel"), lang),
			Department: listed(r, "department"),
			Overdue:    r.Open() && r.Late(),
		}
		if !c.ReceivedAt.IsZero() {
			row.Received = c.ReceivedAt.In(loc(r)).Format(timeLayout)
		}
		if cl, ok := deadline.Next(r.Clocks); ok {
			row.NextDue = cl.DueAt.In(loc(r)).Format(timeLayout)
		}
		rows = append(rows, row)
	}
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
		v := byStatus[row.StatusID]
		if v == nil {
			v = &listView{key: "status-" + row.StatusID, label: row.Status}
			if row.StatusID == "" {
				v.label = word(lang, "unset")
			}
			byStatus[row.StatusID] = v
			statusKeys = append(statusKeys, row.StatusID)
		}
		v.rows = append(v.rows, int32(i))
	}
	views := []listView{{key: "all", label: word(lang, "all"), rows: all}, {key: "overdue", label: word(lang, "overdue"), rows: late}}
	slices.Sort(statusKeys)
	for _, k := range statusKeys {
		views = append(views, *byStatus[k])
	}

	choices := listChoices(rows)
	for vi, v := range views {
		n := max(1, (len(v.rows)+listPageSize-1)/listPageSize)
		for page := 1; page <= n; page++ {
			rel := listPath(v.key, page)
			l := &CaseList{View: v.label, Total: len(v.rows), Data: relTo(rel, "cases/rows.js")}
			l.Statuses, l.Categories, l.Channels, l.Departments = choices[0], choices[1], choices[2], choices[3]
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
			p := Page{Lang: lang, Title: title, Root: root, Now: opts.Now.Format(timeLayout + " -07:00"), List: l}
			w.page(rel, "cases.html", p)
		}
	}
	w.write("cases/rows.js", rowsScript(rows))
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

// listChoices are the statuses, categories, channels and departments of
// the rows, each with its count, in label order.
func listChoices(rows []CaseRow) [4][]Choice {
	var out [4][]Choice
	for i, of := range []func(CaseRow) (string, string){
		func(r CaseRow) (string, string) { return r.StatusID, r.Status },
		func(r CaseRow) (string, string) { return r.CategoryID, r.Category },
		func(r CaseRow) (string, string) { return r.ChannelID, r.Channel },
		func(r CaseRow) (string, string) { return r.Department, r.Department },
	} {
		seen := map[string]int{}
		for _, r := range rows {
			id, lbl := of(r)
			if id == "" {
				continue
			}
			if j, ok := seen[id]; ok {
				out[i][j].Count++
				continue
			}
			seen[id] = len(out[i])
			out[i] = append(out[i], Choice{ID: id, Label: lbl, Count: 1})
		}
		slices.SortFunc(out[i], func(a, b Choice) int { return cmp.Or(strings.Compare(a.Label, b.Label), strings.Compare(a.ID, b.ID)) })
	}
	return out
}

// rowsScript is cases/rows.js: every case of the list as a JSON array
// assigned to window.casebookCases, for filter.js. It is a script file,
// not a fetch, so it loads from file:// too; json.Marshal escapes <, >
// and & so no title can end the script.
func rowsScript(rows []CaseRow) []byte {
	type jsRow struct {
		ID       string `json:"id"`
		Href     string `json:"href"`
		Title    string `json:"title"`
		Status   string `json:"s"`
		StatusL  string `json:"sl"`
		Category string `json:"c"`
		CatL     string `json:"cl"`
		Channel  string `json:"ch"`
		ChanL    string `json:"chl"`
		Dept     string `json:"d"`
		Received string `json:"r"`
		NextDue  string `json:"due"`
		Overdue  bool   `json:"late"`
	}
	var b bytes.Buffer
	b.WriteString("// All cases of the list, for filter.js. Generated by casebook build.\nwindow.casebookCases = [\n")
	enc := json.NewEncoder(&b)
	for i, r := range rows {
		if i > 0 {
			// Encode ends each value with a newline; a comma goes before
			// the next one.
			b.WriteString(",")
		}
		enc.Encode(jsRow{r.ID, r.Href, r.Title, r.StatusID, r.Status, r.CategoryID, r.Category, r.ChannelID, r.Channel,
			r.Department, r.Received, r.NextDue, r.Overdue})
	}
	b.WriteString("];\n")
	return b.Bytes()
}

// listed is a field's value as a list of many cases shows it: blank when
// the policy keeps the field confidential (export.Confidential).
func listed(r *office.Record, path string) string {
	if export.Confidential(r)(path) {
		return ""
	}
	return fieldString(r, path)
}
