package site

import (
	"html"
	"html/template"
	"strings"
	"sync/atomic"
	"unsafe"
)

// The built-in case.html and layout.html are also written out here in
// Go, as sheet.go writes sheet.html: a build whose office keeps the
// built-in case.html, layout.html and sheet.html renders each case's page
// without the template engine, whose reflection was most of a build's
// time at 20,000 cases. A page with anything the Go path does not write
// as html/template would (a link to normalise, a file that could not be
// read, the aggregate's navigation) goes through the template.
// TestCasePage_GoMatchesTemplate keeps the two byte for byte the same.

// casePagesInGo counts the case pages goCasePage wrote, for the test
// that compares them with the template's.
var casePagesInGo atomic.Int64

// caseWriter writes case pages for one language and office.
type caseWriter struct {
	lang, office string
	b            strings.Builder
}

func (w *caseWriter) raw(s string) { w.b.WriteString(s) }

// bytes is what w wrote, sharing the builder's memory (no copy of a page
// that can be tens of megabytes): the caller only reads it.
func (w *caseWriter) bytes() []byte {
	s := w.b.String()
	return unsafe.Slice(unsafe.StringData(s), len(s))
}
func (w *caseWriter) text(s string) { htmlText.WriteString(&w.b, s) }

// word writes a word of the site's chrome, as inlineWords puts it in a
// template.
func (w *caseWriter) word(key string) { w.b.WriteString(html.EscapeString(word(w.lang, key))) }

// goCasePage is p's page as case.html renders it, or false when the Go
// path cannot promise the same bytes.
func goCasePage(p Page, office string) ([]byte, bool) {
	v := p.Case
	if v == nil || v.Broken || len(p.Nav) > 0 || p.Public || p.Wide || (p.Root != "" && !plainHref(p.Root)) {
		return nil, false
	}
	body, ok := v.Body.(template.HTML)
	if !ok {
		return nil, false
	}
	for _, r := range v.Related {
		if r.Href != "" && !plainHref(r.Href) {
			return nil, false
		}
	}
	for _, f := range v.Forms {
		if !plainHref(f.Href) {
			return nil, false
		}
	}
	sheets := make([]template.HTML, len(v.Sheets))
	for i, f := range v.Sheets {
		if sheets[i], ok = goSheet(f, p.Lang); !ok {
			return nil, false
		}
	}
	w := &caseWriter{lang: p.Lang, office: office}
	w.b.Grow(8192)
	w.top(p)
	w.raw("\n<h1><span class=\"id\">")
	w.text(v.ID)
	w.raw("</span> ")
	w.text(v.Title)
	w.raw("</h1>\n<p class=\"meta\">")
	w.text(v.Policy)
	w.raw(" · ")
	w.text(v.Status)
	w.raw("</p>\n")
	if len(v.Problems) > 0 {
		w.raw("<section class=\"problems\">\n<h2>")
		w.word("problems")
		w.raw("</h2>\n<ul>")
		for _, pr := range v.Problems {
			w.raw(`<li class="problem-`)
			w.text(pr.SeverityID)
			w.raw(`"><strong>`)
			w.text(pr.Severity)
			w.raw("</strong> ")
			w.text(pr.CodeLabel)
			w.raw(" <code>")
			w.text(pr.Code)
			w.raw("</code> ")
			w.text(pr.Where)
			w.raw(": ")
			w.text(pr.Message)
			if pr.Fix != "" {
				w.raw("<br>")
				w.word("fix")
				w.text(pr.Fix)
			}
			w.raw("</li>\n")
		}
		w.raw("</ul>\n</section>")
	}
	w.raw("\n")
	if len(v.Escalations) > 0 {
		w.raw(`<p class="escalations">`)
		w.word("escalated")
		w.raw(": ")
		for i, e := range v.Escalations {
			if i > 0 {
				w.raw("、")
			}
			w.text(e)
		}
		w.raw("</p>")
	}
	w.raw("\n<section>\n<h2>")
	w.word("fields")
	w.raw("</h2>\n<table class=\"fields\">\n<tbody>\n")
	for _, f := range v.Fields {
		w.raw("<tr><th>")
		w.text(f.Label)
		w.raw("</th><td>")
		w.text(f.Value)
		w.raw("</td></tr>\n")
	}
	w.raw("</tbody>\n</table>\n</section>\n<section>\n<h2>")
	w.word("clocks")
	w.raw("</h2>\n")
	if len(v.Clocks) > 0 {
		w.raw("<table>\n")
		w.heads("deadline", "due", "state", "days")
		for _, c := range v.Clocks {
			w.raw(`<tr class="clock-`)
			w.text(c.StateID)
			w.raw(`">`)
			w.cells(c.Label, c.Due, c.State, c.Days)
			w.raw("</tr>\n")
		}
		w.raw("</tbody>\n</table>")
	} else {
		w.none()
	}
	w.raw("\n</section>\n<section class=\"body\">\n<h2>")
	w.word("body")
	w.raw("</h2>\n")
	w.raw(string(body))
	w.raw("\n</section>\n<section>\n<h2>")
	w.word("timeline")
	w.raw("</h2>\n")
	if len(v.Timeline) > 0 {
		w.raw("<ol class=\"timeline\">\n")
		for _, m := range v.Timeline {
			w.move(m)
		}
		w.raw("</ol>")
	} else {
		w.none()
	}
	w.raw("\n</section>\n")
	if len(v.Extensions) > 0 {
		w.extensions(v.Extensions)
	}
	if len(v.Related) > 0 {
		w.related(v.Related)
	}
	w.raw("\n")
	if len(v.Forms) > 0 {
		w.raw("<section>\n<h2>")
		w.word("forms")
		w.raw("</h2>\n<ul>")
		for _, f := range v.Forms {
			w.raw(`<li><a href="`)
			w.raw(f.Href)
			w.raw(`">`)
			w.text(f.ID)
			w.raw("</a></li>")
		}
		w.raw("</ul>\n</section>")
	}
	w.raw("\n")
	if len(v.Attachments) > 0 {
		w.raw("<section>\n<h2>")
		w.word("attachments")
		w.raw("</h2>\n<ul>")
		for _, a := range v.Attachments {
			w.raw("<li>")
			w.text(a)
			w.raw("</li>")
		}
		w.raw("</ul>\n</section>")
	}
	w.raw("\n")
	for _, s := range sheets {
		w.raw(string(s))
	}
	w.raw("</main>\n</body>\n</html>\n\n")
	casePagesInGo.Add(1)
	return w.bytes(), true
}

// top is layout.html's top for a page of the office's site.
func (w *caseWriter) top(p Page) {
	lang := "zh-CN"
	if p.Lang == "en" {
		lang = "en"
	}
	w.raw("<!DOCTYPE html>\n<html lang=\"" + lang + "\">\n<head>\n<meta charset=\"utf-8\">\n" +
		`<meta http-equiv="Content-Security-Policy" content="default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'">` + "\n" +
		`<meta name="viewport" content="width=device-width, initial-scale=1">` + "\n" +
		`<meta name="robots" content="noindex,nofollow">` + "\n<title>")
	w.text(p.Title)
	w.raw("</title>\n<link rel=\"stylesheet\" href=\"" + p.Root + "assets/site.css\">\n")
	for _, l := range []struct{ typ, key, href string }{
		{"application/atom+xml", "x_feed", "feed.xml"}, {"text/calendar", "x_ics", "deadlines.ics"}, {"text/csv", "x_csv", "cases.csv"},
	} {
		w.raw(`<link rel="alternate" type="` + l.typ + `" title="`)
		w.word(l.key)
		w.raw(`" href="` + p.Root + l.href + "\">\n")
	}
	w.raw(`<link rel="alternate" type="application/json" title="`)
	w.word("x_stats")
	w.raw(`" href="` + p.Root + "stats.json\">\n</head>\n<body")
	if p.Wide {
		w.raw(` class="wide"`)
	}
	w.raw(">\n<header class=\"top\">\n")
	if w.office != "" {
		w.raw(`<p class="office">`)
		w.text(w.office)
		w.raw("</p>\n")
	}
	w.raw("<nav>")
	for i, l := range []struct{ key, href string }{
		{"dashboard", "index.html"}, {"cases", "cases/index.html"}, {"reports", "reports/index.html"}, {"forms", "forms/index.html"},
	} {
		if i > 0 {
			w.raw(" ")
		}
		w.raw(`<a href="` + p.Root + l.href + `">`)
		w.word(l.key)
		w.raw("</a>")
	}
	w.raw("</nav>\n")
	if p.Now != "" {
		w.raw(`<p class="asof">`)
		w.word("as_of")
		w.raw(": ")
		w.text(p.Now)
		w.raw("</p>")
	}
	w.raw("\n</header>\n<main>\n")
}

// heads writes a table's head of words and opens its body.
func (w *caseWriter) heads(keys ...string) {
	w.raw("<thead><tr>")
	for _, k := range keys {
		w.raw("<th>")
		w.word(k)
		w.raw("</th>")
	}
	w.raw("</tr></thead>\n<tbody>\n")
}

// cells writes a row's cells.
func (w *caseWriter) cells(texts ...string) {
	for _, s := range texts {
		w.raw("<td>")
		w.text(s)
		w.raw("</td>")
	}
}

// link writes text as a link to href, or as text alone when href is
// empty; href must be plainHref.
func (w *caseWriter) link(href, text string) {
	if href == "" {
		w.text(text)
		return
	}
	w.raw(`<a href="` + href + `">`)
	w.text(text)
	w.raw("</a>")
}

func (w *caseWriter) none() {
	w.raw("<p>")
	w.word("none")
	w.raw("</p>")
}

// move is one step of the timeline.
func (w *caseWriter) move(m Move) {
	w.raw("<li><time>")
	w.text(m.At)
	w.raw("</time> ")
	w.text(m.Actor)
	w.raw(": ")
	if m.Renumbered != "" {
		w.raw("<strong>")
		w.word("renumbered")
		w.raw("</strong> ")
		w.text(m.Renumbered)
	} else {
		w.text(m.From)
		w.raw(" → ")
		w.text(m.To)
	}
	if c := m.Correction; c != nil {
		w.raw(" <strong>")
		w.word("correction")
		w.raw("</strong> ")
		w.text(c.What)
		w.raw(" · ")
		w.word("approved_by")
		w.raw(" ")
		w.text(c.ApprovedBy)
		w.raw(" · ")
		w.word("reason")
		w.raw(": ")
		w.text(c.Reason)
		for _, cl := range c.Clocks {
			w.raw("<br>")
			w.text(cl.Label)
			w.raw(": ")
			w.text(cl.Before)
			w.raw(" → ")
			w.text(cl.After)
		}
	} else if m.Note != "" {
		w.raw(" — ")
		w.text(m.Note)
	}
	w.raw(" <code>")
	w.text(m.Commit)
	w.raw("</code></li>\n")
}

func (w *caseWriter) extensions(exts []ExtensionView) {
	w.raw("<section>\n<h2>")
	w.word("extensions")
	w.raw("</h2>\n<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-label=\"")
	w.word("extensions")
	w.raw("\">\n<table class=\"extensions\">\n")
	w.heads("deadline", "ext_before", "ext_after", "ext_by", "ext_at", "reason")
	for _, e := range exts {
		w.raw("<tr")
		if !e.Applied {
			w.raw(` class="ext-not-applied"`)
		}
		w.raw(">")
		w.cells(e.Clock, e.Before, e.After, e.ApprovedBy, e.ApprovedAt, e.Reason)
		w.raw("</tr>\n")
	}
	w.raw("</tbody>\n</table>\n</div>\n</section>\n")
}

func (w *caseWriter) related(rels []RelatedView) {
	w.raw("<section>\n<h2>")
	w.word("related")
	w.raw("</h2>\n<table class=\"related\">\n")
	w.heads("relation", "id", "title", "recorded")
	for _, r := range rels {
		w.raw("<tr><td>")
		w.text(r.As)
		w.raw("</td><td>")
		w.link(r.Href, r.ID)
		w.raw("</td><td>")
		w.text(r.Title)
		w.raw("</td><td>")
		if r.Back {
			w.word("rel_there")
		} else {
			w.word("rel_here")
		}
		w.raw("</td></tr>\n")
	}
	w.raw("</tbody>\n</table>\n</section>")
}
