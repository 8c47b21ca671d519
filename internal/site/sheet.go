package site

import (
	"html"
	"html/template"
	"strings"
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
	if len(f.Heads) > 0 || (f.Case.ID != "" && !plainHref(f.Case.Href)) {
		return "", false
	}
	var b strings.Builder
	b.Grow(2048)
	text := func(s string) { htmlText.WriteString(&b, s) }
	b.WriteString(`<article class="form-sheet"`)
	if f.Anchor != "" {
		b.WriteString(` id="`)
		text(f.Anchor)
		b.WriteString(`"`)
	}
	b.WriteString(">\n<header class=\"form-head\">\n<p class=\"form-policy\">")
	text(f.Policy)
	b.WriteString("</p>\n")
	if f.Office != "" {
		b.WriteString(`<p class="form-office">` + html.EscapeString(word(lang, "office")) + ": ")
		text(f.Office)
		b.WriteString("</p>\n")
	}
	b.WriteString("<h1>")
	text(f.Title)
	b.WriteString("</h1>\n<p class=\"form-basis\">" + html.EscapeString(word(lang, "basis")) + ": ")
	text(f.Basis)
	if f.Case.ID != "" {
		b.WriteString(` · <a href="`)
		b.WriteString(f.Case.Href)
		b.WriteString(`">`)
		text(f.Case.ID)
		b.WriteString("</a>")
	}
	b.WriteString("</p>\n</header>\n<table class=\"form-table\">\n<tbody>\n")
	for _, fd := range f.Fields {
		b.WriteString("<tr><th>")
		text(fd.Label)
		b.WriteString("</th><td>")
		if fd.Value != "" {
			text(fd.Value)
		} else {
			b.WriteString(`<span class="fill"></span>`)
		}
		b.WriteString("</td></tr>\n")
	}
	for _, s := range f.Sections {
		b.WriteString(`<tr class="form-section"><th>`)
		text(s.Title)
		b.WriteString("</th><td>")
		if s.HTML != "" {
			b.WriteString(`<div class="body">` + string(s.HTML) + "</div>")
		} else {
			b.WriteString(`<span class="fill"></span><span class="fill"></span><span class="fill"></span>`)
		}
		b.WriteString("</td></tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n<p class=\"signatures\">")
	for _, s := range f.Signatures {
		b.WriteString("<span>")
		text(s)
		b.WriteString(`: <span class="fill"></span></span> `)
	}
	b.WriteString("<span>" + html.EscapeString(word(lang, "date")) + `: <span class="fill"></span></span></p>` + "\n</article>\n")
	return template.HTML(b.String()), true
}
