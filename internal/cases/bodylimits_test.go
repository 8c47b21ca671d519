package cases

import (
	"strings"
	"testing"
)

func TestCheckBody(t *testing.T) {
	for _, tt := range []struct {
		name string
		body string
		line int // -1: within the limits
	}{
		{"plain text", "## 投诉内容\n\n柜员态度恶劣。\n", -1},
		{"a reply quoted 32 levels deep", strings.Repeat(">", 32) + " 原文\n", -1},
		{"33 quote markers on one line", "正文\n\n" + strings.Repeat("> ", 33) + "x\n", 2},
		{"33 list markers on one line", strings.Repeat("- ", 33) + "x\n", 0},
		{"ordered markers count too", strings.Repeat("1. ", 33) + "x\n", 0},
		{"a list nested a level per line, 101 deep", nested(101), 100},
		{"a list nested a level per line, 100 deep", nested(100), -1},
		{"50 links in a paragraph", strings.Repeat("[a](http://x) ", 50) + "\n", -1},
		{"51 links in a paragraph", "x\n" + strings.Repeat("[a](http://x) ", 51) + "\n", 0},
		{"a list of 100 links, one per item", strings.Repeat("- [a](http://x)\n", 100), -1},
		{"51 link definitions without a blank line", strings.Repeat("[a]: http://x\n", 51), 0},
		{"link definitions with blank lines", strings.Repeat("[a]: http://x\n\n", 500), -1},
		{"dashes that are no list markers", strings.Repeat("-", 500) + "\n", -1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			lim := CheckBody(tt.body)
			switch {
			case tt.line < 0 && lim != nil:
				t.Errorf("over a limit at line %d: %s", lim.Line, lim.Msg)
			case tt.line >= 0 && lim == nil:
				t.Error("within the limits")
			case tt.line >= 0 && lim.Line != tt.line:
				t.Errorf("line %d, want %d (%s)", lim.Line, tt.line, lim.Msg)
			}
		})
	}
}

func nested(depth int) string {
	var b strings.Builder
	for i := range depth {
		b.WriteString(strings.Repeat("  ", i) + "- x\n")
	}
	return b.String()
}

// A heading after a paragraph over a limit is still a section, on its
// line: the paragraph is left out of the parse, not the rest.
func TestParse_SectionsAfterHostileParagraph(t *testing.T) {
	head := "---\nid: BANK-2026-0001\ntitle: t\n---\n"
	body := "## 投诉内容\n\n" + strings.Repeat("> ", 100000) + "x\n\n## 处理意见\n\n同意。\n"
	c, err := Parse("cases/BANK-2026-0001.md", []byte(head+body))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sections) != 2 || c.Sections[1].Title != "处理意见" || c.Sections[1].Line != 9 || c.Sections[1].Text != "同意。" {
		t.Fatalf("sections %+v", c.Sections)
	}
	if !strings.HasPrefix(c.Sections[0].Text, "> > >") {
		t.Errorf("the first section's text is not the body as written: %.20q", c.Sections[0].Text)
	}
}
