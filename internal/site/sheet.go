package site

import (
	"html/template"
	"strconv"
	"strings"
	"sync/atomic"
)

// The built-in sheet.html is also written out here in Go: a case page
// prints its forms through the template function sheet, which renders
// a per-case form by template only when the office has its own
// sheet.html. At 20,000 cases the template took a fifth of a build's
// time, most of it reflection; TestSheet_GoMatchesTemplate keeps the two
// byte for byte the same.

// htmlText escapes s as html/template escapes a string in HTML text or in
// a quoted attribute value.
var htmlText = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// plainHref tells whether a link (a page, a page#anchor) is made of
// characters html/template leaves as they are in an href, so writing it
// needs no URL rules.
func plainHref(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '/' || c == '#') {
			return false
		}
	}
	return s != "" && !strings.Contains(s, ":")
}

// goSheet writes the per-case form f as the built-in form-sheet template
// does, or says it cannot (a register, or a link it would have to
// normalise).
func goSheet(f *Form, lang string) (template.HTML, bool) {
	if !sheetInGo(f) {
		return "", false
	}
	w := &caseWriter{lang: lang}
	w.b.Grow(2048)
	w.sheet(f)
	return template.HTML(w.b.String()), true
}

// sheetInGo tells whether sheet can write f as the template would.
func sheetInGo(f *Form) bool {
	if f.Case.ID != "" && !plainHref(f.Case.Href) || len(f.Short) < len(f.Heads) {
		return false
	}
	for _, row := range f.Rows {
		if len(row) > len(f.Heads) {
			return false
		}
		for _, c := range row {
			if c.Href != "" && !plainHref(c.Href) {
				return false
			}
		}
	}
	return true
}

// sheet writes f as the built-in form-sheet template does; sheetInGo(f)
// must hold.
func (w *caseWriter) sheet(f *Form) {
	w.raw(`<article class="form-sheet"`)
	if f.Anchor != "" {
		w.raw(` id="`)
		w.text(f.Anchor)
		w.raw(`"`)
	}
	w.raw(">\n<header class=\"form-head\">\n<p class=\"form-policy\">")
	w.text(f.Policy)
	w.raw("</p>\n")
	if f.Office != "" {
		w.raw(`<p class="form-office">`)
		w.word("office")
		w.raw(": ")
		w.text(f.Office)
		w.raw("</p>\n")
	}
	w.raw("<h1>")
	w.text(f.Title)
	w.raw("</h1>\n<p class=\"form-basis\">")
	w.word("basis")
	w.raw(": ")
	w.text(f.Basis)
	if f.Case.ID != "" {
		w.raw(` · <a href="` + f.Case.Href + `">`)
		w.text(f.Case.ID)
		w.raw("</a>")
	}
	w.raw("</p>\n</header>\n")
	if len(f.Heads) > 0 {
		w.register(f)
	} else {
		w.fields(f)
	}
	w.raw("\n<p class=\"signatures\">")
	for _, sig := range f.Signatures {
		w.raw("<span>")
		w.text(sig)
		w.raw(`: <span class="fill"></span></span> `)
	}
	w.raw("<span>")
	w.word("date")
	w.raw(": <span class=\"fill\"></span></span></p>\n</article>\n")
}

// register writes a register's table.
func (w *caseWriter) register(f *Form) {
	w.raw("<table class=\"form-register\">\n<thead><tr>")
	for _, h := range f.Heads {
		w.raw("<th>")
		w.text(h)
		w.raw("</th>")
	}
	w.raw("</tr></thead>\n<tbody>\n")
	for _, row := range f.Rows {
		w.raw("<tr>")
		for i, c := range row {
			if f.Short[i] {
				w.raw(`<td class="short">`)
			} else {
				w.raw("<td>")
			}
			w.link(c.Href, c.Text)
			w.raw("</td>")
		}
		w.raw("</tr>\n")
	}
	if len(f.Rows) == 0 {
		w.raw(`<tr><td colspan="` + strconv.Itoa(len(f.Heads)) + `"><span class="fill"></span></td></tr>` + "\n")
	}
	w.raw("</tbody>\n</table>")
}

// fields writes a per-case form's table of fields and sections.
func (w *caseWriter) fields(f *Form) {
	w.raw("<table class=\"form-table\">\n<tbody>\n")
	for _, fd := range f.Fields {
		w.raw("<tr><th>")
		w.text(fd.Label)
		w.raw("</th><td>")
		if fd.Value != "" {
			w.text(fd.Value)
		} else {
			w.raw(`<span class="fill"></span>`)
		}
		w.raw("</td></tr>\n")
	}
	for _, sec := range f.Sections {
		w.raw(`<tr class="form-section"><th>`)
		w.text(sec.Title)
		w.raw("</th><td>")
		if sec.HTML != "" {
			w.raw(`<div class="body">` + string(sec.HTML) + "</div>")
		} else {
			w.raw(`<span class="fill"></span><span class="fill"></span><span class="fill"></span>`)
		}
		w.raw("</td></tr>\n")
	}
	w.raw("</tbody>\n</table>")
}

// formPagesInGo counts the register pages goFormPage wrote, for the test
// that compares them with the template's.
var formPagesInGo atomic.Int64

// goFormPage is p's page as form.html renders it, or false when the Go
// path cannot promise the same bytes.
func goFormPage(p formPage, office string) ([]byte, bool) {
	if p.Form == nil || len(p.Nav) > 0 || p.Public || (p.Root != "" && !plainHref(p.Root)) {
		return nil, false
	}
	if !sheetInGo(p.Form) {
		return nil, false
	}
	// A register holds every case: at 100,000 cases some 40 MB, written
	// once into one buffer.
	w := &caseWriter{lang: p.Lang, office: office}
	w.b.Grow(4096 + len(p.Form.Rows)*len(p.Form.Heads)*48)
	w.top(p.Page)
	w.sheet(p.Form)
	w.raw("</main>\n</body>\n</html>\n\n")
	formPagesInGo.Add(1)
	return w.bytes(), true
}
