package cases

import (
	"bytes"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// Section is one heading of the body and the text under it.
type Section struct {
	// Level is 1 for # (or a === underline) to 6 for ######.
	Level int
	// Title is the heading's plain text, without markup.
	Title string
	// Line is the heading's line in the file.
	Line int
	// Text is the Markdown from the line after the heading up to the next
	// heading of the same or a higher level, blank lines around it trimmed;
	// it includes any sub-sections.
	Text string
	// Empty is true when Text holds nothing but white space and HTML
	// comments, which templates use as prompts ("<!-- 写明处理意见 -->").
	Empty bool
}

// Section finds the first section whose title matches, ignoring white space
// (including the ideographic space), punctuation such as "：" at either end,
// and ASCII case.
func (c *Case) Section(title string) (*Section, bool) {
	want := normalizeTitle(title)
	for i := range c.Sections {
		if strings.EqualFold(normalizeTitle(c.Sections[i].Title), want) {
			return &c.Sections[i], true
		}
	}
	return nil, false
}

func normalizeTitle(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}

var (
	atxLine     = regexp.MustCompile(`^ {0,3}#{1,6}(?:[ \t]|$)`)
	htmlComment = regexp.MustCompile(`(?s)<!--.*?-->`)
	markdown    = goldmark.New()
)

// parseSections finds headings with goldmark's block parser, so that a
// "## " line inside a fenced code block or an HTML block is not taken for a
// heading. Only headings at the top of the document count: one inside a
// block quote or a list item does not start a section of the case.
// bodyStr is body as a string: each Text is a slice of it rather than a
// copy, and offs holds where in the body each Text starts.
func parseSections(body []byte, bodyStr string, bodyLine int) (secs []Section, offs []int) {
	src := body
	if lim := CheckBody(bodyStr); lim != nil {
		// Paragraphs goldmark would take minutes over are left out.
		src = blankBlocks(body, lim.Blocks)
	}
	doc := markdown.Parser().Parse(text.NewReader(src))
	starts := lineStarts(body)
	lineOf := func(off int) int {
		return sort.Search(len(starts), func(i int) bool { return starts[i] > off }) - 1
	}

	type heading struct {
		level, first, last int // body line indexes: heading start, last line of the heading
		title              string
	}
	var hs []heading
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok || h.Pos() < 0 {
			continue
		}
		first := lineOf(h.Pos())
		last := first
		if lines := h.Lines(); lines.Len() > 0 {
			last = lineOf(lines.At(lines.Len() - 1).Start)
		}
		if !atxLine.Match(lineBytes(body, starts, first)) {
			last++ // a setext heading ends with its === or --- underline
		}
		var title strings.Builder
		plainText(h, body, &title)
		hs = append(hs, heading{level: h.Level, first: first, last: last, title: strings.TrimSpace(title.String())})
	}

	if len(hs) == 0 {
		return nil, nil
	}
	out := make([]Section, len(hs))
	offs = make([]int, len(hs))
	for i, h := range hs {
		end := len(starts) // line index where the section's text stops
		for _, next := range hs[i+1:] {
			if next.level <= h.level {
				end = next.first
				break
			}
		}
		from := min(h.last+1, len(starts))
		var off int
		var txt string
		if from < end {
			stop := len(body)
			if end < len(starts) {
				stop = starts[end]
			}
			skip, t := trimBlankLines(bodyStr[starts[from]:stop])
			off, txt = starts[from]+skip, t
		}
		offs[i] = off
		out[i] = Section{
			Level: h.level,
			Title: h.title,
			Line:  bodyLine + h.first,
			Text:  txt,
			Empty: strings.TrimSpace(htmlComment.ReplaceAllString(txt, "")) == "",
		}
	}
	return out, offs
}

// lineStarts holds the offset of each line's first byte.
func lineStarts(b []byte) []int {
	starts := []int{0}
	for i, c := range b {
		if c == '\n' && i+1 < len(b) {
			starts = append(starts, i+1)
		}
	}
	return starts
}

func lineBytes(b []byte, starts []int, i int) []byte {
	if i >= len(starts) {
		return nil
	}
	l := b[starts[i]:]
	if j := bytes.IndexByte(l, '\n'); j >= 0 {
		l = l[:j]
	}
	return l
}

// trimBlankLines drops blank lines before and white space after the text,
// keeping the indentation of its first line (an indented code block). skip
// is how many bytes were dropped from the front.
func trimBlankLines(s string) (skip int, t string) {
	n := len(s)
	for {
		line, rest, ok := strings.Cut(s, "\n")
		if !ok || strings.TrimSpace(line) != "" {
			break
		}
		s = rest
	}
	if strings.TrimSpace(s) == "" {
		return 0, ""
	}
	return n - len(s), strings.TrimRightFunc(s, unicode.IsSpace)
}

func plainText(n ast.Node, src []byte, b *strings.Builder) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.AutoLink:
			b.Write(t.Label(src))
		case *ast.RawHTML:
		default:
			plainText(c, src, b)
		}
	}
}
