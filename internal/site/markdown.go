package site

import (
	"bytes"
	"html"
	"html/template"
	"net/url"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/casebook/casebook/internal/cases"
)

// markdown renders case bodies: GFM (its four extensions), safe mode
// (goldmark's default, which omits raw HTML), and urlFilter, because
// goldmark's own dangerous-URL check lets data: images through and does
// not look at autolinks at all.
// accessibleGFM aligns table cells by class (see site.css), not by the
// inline style GFM writes, which the pages' CSP blocks, nor by the align
// attribute, which HTML no longer has.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.Linkify, extension.Strikethrough, extension.TaskList,
		extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignNone))),
	goldmark.WithParserOptions(parser.WithASTTransformers(
		util.Prioritized(urlFilter{}, 1000), util.Prioritized(accessibleGFM{}, 1001))),
)

// renderMarkdown renders a case body into safe HTML. A body over the
// limits of cases.CheckBody, which goldmark would take minutes over, is
// shown as it is written, escaped, in a pre element.
func renderMarkdown(body string) (template.HTML, error) {
	var buf bytes.Buffer
	if cases.CheckBody(body) != nil {
		buf.WriteString(`<pre class="body-plain">`)
		buf.WriteString(html.EscapeString(body))
		buf.WriteString("</pre>\n")
		return trustedHTML(buf.Bytes()), nil
	}
	if err := markdown.Convert([]byte(body), &buf); err != nil {
		return "", err
	}
	return trustedHTML(buf.Bytes()), nil
}

// trustedHTML is the one audited place that marks markup as safe for
// html/template. Its only input is goldmark output made by markdown:
// raw HTML is omitted by safe mode and every URL went through allowedURL,
// or a body over the limits, escaped by html.EscapeString.
func trustedHTML(b []byte) template.HTML {
	return template.HTML(b) //nolint:gosec // see the doc comment
}

// urlFilter drops links, images and autolinks whose URL is not allowed,
// keeping their text so no content is lost.
type urlFilter struct{}

var _ parser.ASTTransformer = urlFilter{}

// Transform implements parser.ASTTransformer.
func (urlFilter) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	var bad []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := n.(type) {
		case *ast.Link:
			if !allowedURL(string(v.Destination)) {
				bad = append(bad, n)
			}
		case *ast.Image:
			if !allowedURL(string(v.Destination)) {
				bad = append(bad, n)
			}
		case *ast.AutoLink:
			u := string(v.URL(src))
			// Linkify turns "www.x.org" into an autolink that renders as
			// http://www.x.org.
			if v.AutoLinkType == ast.AutoLinkURL && !strings.Contains(u, ":") {
				u = "http://" + u
			}
			if !allowedURL(u) {
				bad = append(bad, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range bad {
		parent := n.Parent()
		if parent == nil {
			continue
		}
		if a, ok := n.(*ast.AutoLink); ok {
			parent.ReplaceChild(parent, n, ast.NewString(a.Label(src)))
			continue
		}
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
}

// accessibleGFM rewrites two GFM constructs that would break the pages:
// aligned table cells get the class align-left, align-center or
// align-right, and a task list's checkbox, an unlabelled form control,
// becomes the character ☑ or ☐.
type accessibleGFM struct{}

var _ parser.ASTTransformer = accessibleGFM{}

// Transform implements parser.ASTTransformer.
func (accessibleGFM) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	var boxes []*east.TaskCheckBox
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := n.(type) {
		case *east.TableCell:
			if v.Alignment != east.AlignNone {
				v.SetAttributeString("class", []byte("align-"+v.Alignment.String()))
			}
		case *east.TaskCheckBox:
			boxes = append(boxes, v)
		}
		return ast.WalkContinue, nil
	})
	for _, b := range boxes {
		mark := "☐ "
		if b.IsChecked {
			mark = "☑ "
		}
		b.Parent().ReplaceChild(b.Parent(), b, ast.NewString([]byte(mark)))
	}
}

// allowedURL reports whether u is relative or uses http, https or mailto.
// Entities are decoded and control characters and spaces dropped first, as
// a browser would, so "&#106;avascript:" and "java\tscript:" are caught.
// A relative reference must also stay inside the site (see insideSite).
func allowedURL(u string) bool {
	u = html.UnescapeString(u)
	u = strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, u)
	i := strings.IndexAny(u, ":/?#\\")
	if i < 0 || u[i] != ':' {
		return insideSite(u)
	}
	switch strings.ToLower(u[:i]) {
	case "http", "https", "mailto":
		return true
	}
	return false
}

// insideSite reports whether a relative reference, followed from a page one
// folder below the site's root (cases/<ID>.html, forms/<name>.html), stays
// inside the site: a case body may link to other pages, but not to the
// repository the site may be built in ("../../.git/config" opened from
// disk), to an absolute path, or through a backslash, which some browsers
// read as a slash. Percent-encoding is decoded first, as a server would.
func insideSite(u string) bool {
	p, _, _ := strings.Cut(u, "#")
	p, _, _ = strings.Cut(p, "?")
	p, err := url.PathUnescape(p)
	if err != nil || strings.ContainsAny(p, "\\\x00") || strings.HasPrefix(p, "/") {
		return false
	}
	depth := 1 // the page's folder
	for seg := range strings.SplitSeq(p, "/") {
		switch {
		case seg == "..":
			depth--
		case strings.EqualFold(strings.TrimRight(seg, ". "), ".git"):
			return false
		case seg != "." && seg != "":
			depth++
		}
		if depth < 0 {
			return false
		}
	}
	return true
}
