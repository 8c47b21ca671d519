package site

import (
	"strconv"
	"sync/atomic"
)

// listPagesInGo counts the case list pages goListPage wrote, for the test
// that compares them with the template's.
var listPagesInGo atomic.Int64

// goListPage is p's page as the built-in cases.html renders it, or false
// when the Go path cannot promise the same bytes (a link html/template
// would normalise). One case changing status changes the counts every
// list page shows, so a rebuild after one commit rewrites them all: at
// 20,000 cases two hundred pages, most of its time when rendered by
// template.
func goListPage(p Page, office string) ([]byte, bool) {
	l := p.List
	if l == nil || len(p.Nav) > 0 || p.Public || !p.Wide || (p.Root != "" && !plainHref(p.Root)) ||
		!plainHref(l.Data) || (l.Prev != "" && !plainHref(l.Prev)) || (l.Next != "" && !plainHref(l.Next)) {
		return nil, false
	}
	for _, v := range l.Views {
		if !v.Current && !plainHref(v.Href) {
			return nil, false
		}
	}
	for _, r := range l.Rows {
		if !plainHref(r.Href) {
			return nil, false
		}
	}
	for _, pg := range l.Pages {
		if pg.N != 0 && !pg.Current && !plainHref(pg.Href) {
			return nil, false
		}
	}
	w := &caseWriter{lang: p.Lang, office: office}
	w.b.Grow(4096 + len(l.Rows)*1200)
	w.top(p)
	t := func(key string) { w.text(word(p.Lang, key)) }
	n := func(i int) { w.raw(strconv.Itoa(i)) }
	w.raw("\n<h1>")
	t("cases")
	if l.View != word(p.Lang, "all") {
		w.raw(" · ")
		w.text(l.View)
	}
	w.raw("</h1>\n<nav class=\"views\" aria-label=\"")
	t("views")
	w.raw("\"><ul>\n")
	for _, v := range l.Views {
		w.raw("<li>")
		if v.Current {
			w.raw(`<strong aria-current="page">`)
		} else {
			w.raw(`<a href="` + v.Href + `">`)
		}
		w.text(v.Label)
		w.raw(" (")
		n(v.Count)
		if v.Current {
			w.raw(")</strong></li>\n")
		} else {
			w.raw(")</a></li>\n")
		}
	}
	w.raw("</ul></nav>\n<form class=\"filter\" id=\"filter\" hidden data-data=\"")
	w.text(l.Data)
	w.raw(`" data-base="`)
	w.text(l.Base)
	for _, a := range []struct{ attr, key string }{{"more", "more"}, {"shown", "shown"}, {"loading", "loading"}} {
		w.raw(`" data-` + a.attr + `="`)
		t(a.key)
	}
	w.raw(`" data-view="`)
	w.text(l.ViewFilter)
	w.raw(`" data-file="`)
	t("csv_file")
	w.raw("\">\n<label>")
	t("filter")
	w.raw(` <input type="search" id="filter-text" placeholder="`)
	t("search")
	w.raw("\"></label>\n")
	if len(l.Policies) > 0 {
		w.raw("<label>")
		t("procedure")
		w.raw(` <select id="filter-policy"><option value="">`)
		t("all")
		w.raw("</option>\n")
		for _, c := range l.Policies {
			w.choice(c)
		}
		w.raw("</select></label>\n")
	}
	for _, s := range []struct {
		key, id string
		groups  []ChoiceGroup
	}{{"status", "status", l.Statuses}, {"category", "category", l.Categories}, {"channel", "channel", l.Channels},
		{"department", "department", l.Departments}, {"handler", "handler", l.Handlers}} {
		w.raw("<label>")
		t(s.key)
		w.raw(` <select id="filter-` + s.id + `"><option value="">`)
		t("all")
		w.raw("</option>\n")
		for _, g := range s.groups {
			if g.Label != "" {
				w.raw(`<optgroup label="`)
				w.text(g.Label)
				w.raw("\">\n")
			}
			for _, c := range g.Choices {
				w.choice(c)
			}
			if g.Label != "" {
				w.raw("</optgroup>\n")
			}
		}
		w.raw("</select></label>\n")
	}
	w.raw("<label>")
	t("stage")
	w.raw(` <select id="filter-stage"><option value="">`)
	t("all")
	w.raw("</option>\n<option value=\"open\">")
	t("open")
	w.raw("</option>\n<option value=\"closed\">")
	t("stage_closed")
	w.raw("</option>\n</select></label>\n")
	for _, c := range []struct{ id, key string }{{"overdue", "overdue"}, {"escalated", "escalated_only"}, {"missed", "closed_late"}} {
		w.raw(`<label><input type="checkbox" id="filter-` + c.id + `"> `)
		t(c.key)
		w.raw("</label>\n")
	}
	w.raw("<label>")
	t("age_filter")
	w.raw(` <select id="filter-age"><option value="">`)
	t("all")
	w.raw("</option>\n")
	for i, v := range []string{"0-3", "4-10", "11-30", "31-"} {
		w.raw(`<option value="` + v + `">`)
		t("age_" + strconv.Itoa(i))
		w.raw("</option>\n")
	}
	w.raw("</select></label>\n<label>")
	t("due_within")
	w.raw(" <input type=\"number\" id=\"filter-due\" min=\"0\" max=\"999\" inputmode=\"numeric\"></label>\n")
	for _, f := range []struct{ legend, from, to string }{{"received_on", "from", "to"}, {"closed_on", "cfrom", "cto"}} {
		w.raw("<fieldset><legend>")
		t(f.legend)
		w.raw("</legend>\n<label>")
		t("date_from")
		w.raw(` <input type="date" id="filter-` + f.from + "\"></label>\n<label>")
		t("date_to")
		w.raw(` <input type="date" id="filter-` + f.to + "\"></label>\n</fieldset>\n")
	}
	w.raw("<label>")
	t("sort")
	w.raw(" <select id=\"filter-sort\">\n")
	for _, o := range []string{"received", "due", "late", "id"} {
		w.raw(`<option value="` + o + `">`)
		t("sort_" + o)
		w.raw("</option>\n")
	}
	w.raw("</select></label>\n<p class=\"actions\"><a href=\"#\" id=\"filter-reset\">")
	t("reset")
	w.raw(`</a> <button type="button" id="download" hidden>`)
	t("download_csv")
	w.raw("</button></p>\n</form>\n<p class=\"count\" id=\"count\" aria-live=\"polite\">")
	if l.Total != 0 {
		w.text(l.Range)
	} else {
		t("none")
	}
	w.raw("</p>\n<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-label=\"")
	t("cases")
	w.raw("\">\n<table class=\"cases\" id=\"cases\">\n<thead><tr>")
	head := func(key, label string) {
		w.raw(`<th scope="col" data-key="` + key + `">`)
		t(label)
		w.raw("</th>")
	}
	head("id", "id")
	head("title", "title")
	if l.MultiPolicy {
		head("pl", "procedure")
	}
	for _, h := range [][2]string{{"sl", "status"}, {"cl", "category"}, {"chl", "channel"}, {"d", "department"}, {"a", "handler"},
		{"r", "received_on"}, {"due", "next_due"}, {"dt", "days_left"}} {
		head(h[0], h[1])
	}
	w.raw("</tr></thead>\n<tbody>\n")
	// The cells' data-label attributes, escaped once per page.
	labels := map[string]string{}
	for _, k := range []string{"id", "title", "procedure", "status", "category", "channel", "department", "handler", "received_on", "next_due", "days_left"} {
		labels[k] = htmlText.Replace(word(p.Lang, k))
	}
	cell := func(key, text string) {
		w.raw(`<td data-label="` + labels[key] + `">`)
		w.text(text)
		w.raw("</td>")
	}
	for i := range l.Rows {
		r := &l.Rows[i]
		w.raw(`<tr data-status="`)
		w.text(r.StatusKey)
		w.raw(`"`)
		if r.Overdue {
			w.raw(` class="late"`)
		} else if r.Broken {
			w.raw(` class="broken"`)
		}
		w.raw(`><td data-label="` + labels["id"] + `"><a href="` + r.Href + `">`)
		w.text(r.ID)
		w.raw("</a></td>")
		cell("title", r.Title)
		if l.MultiPolicy {
			cell("procedure", r.Policy)
		}
		cell("status", r.Status)
		cell("category", r.Category)
		cell("channel", r.Channel)
		cell("department", r.Department)
		cell("handler", r.Handler)
		cell("received_on", r.Received)
		cell("next_due", r.NextDue)
		cell("days_left", r.Days)
		w.raw("</tr>\n")
	}
	w.raw("</tbody>\n</table>\n</div>\n<button type=\"button\" id=\"more\" hidden>")
	t("more")
	w.raw("</button>\n")
	if len(l.Pages) > 0 {
		w.raw("<nav class=\"pager\" id=\"pager\" aria-label=\"")
		t("pages")
		w.raw("\"><ul>\n")
		if l.Prev != "" {
			w.raw(`<li><a href="` + l.Prev + `" rel="prev">`)
			t("prev")
			w.raw("</a></li>")
		}
		w.raw("\n")
		for _, pg := range l.Pages {
			w.raw("<li>")
			switch {
			case pg.N == 0:
				w.raw("…")
			case pg.Current:
				w.raw(`<strong aria-current="page">`)
				n(pg.N)
				w.raw("</strong>")
			default:
				w.raw(`<a href="` + pg.Href + `">`)
				n(pg.N)
				w.raw("</a>")
			}
			w.raw("</li>\n")
		}
		if l.Next != "" {
			w.raw(`<li><a href="` + l.Next + `" rel="next">`)
			t("next")
			w.raw("</a></li>")
		}
		w.raw("\n</ul></nav>")
	}
	w.raw("\n<script src=\"" + l.Data + "\"></script>\n<script src=\"" + p.Root + "assets/filter.js\"></script>\n")
	w.raw("</main>\n</body>\n</html>\n\n")
	listPagesInGo.Add(1)
	return w.bytes(), true
}

// choice is one option of a filter's select.
func (w *caseWriter) choice(c Choice) {
	w.raw(`<option value="`)
	w.text(c.ID)
	w.raw(`">`)
	w.text(c.Label)
	w.raw(" (" + strconv.Itoa(c.Count) + ")</option>\n")
}
