package cases

import (
	"reflect"
	"testing"
)

const sectionsCase = "---\n" + // 1
	"id: A-1\n" + // 2
	"---\n" + // 3
	"# 案件\n" + // 4
	"\n" + // 5
	"## 投诉内容\n" + // 6
	"客户称柜员态度生硬。\n" + // 7
	"\n" + // 8
	"```markdown\n" + // 9
	"## not a heading\n" + // 10
	"```\n" + // 11
	"\n" + // 12
	"### 补充\n" + // 13
	"电话补充。\n" + // 14
	"\n" + // 15
	"## 处理意见：\n" + // 16
	"<!-- 写明处理意见 -->\n" + // 17
	"\n" + // 18
	"回复 意见\n" + // 19
	"----\n" + // 20
	"已电话回复。\n" + // 21
	"> ## quoted, not a section\n" + // 22
	"## **结案** 说明 ##\n" + // 23
	"    ## indented code\n" // 24

func TestParse_Sections(t *testing.T) {
	c := mustParse(t, "x.md", sectionsCase)
	type sec struct {
		Level int
		Title string
		Line  int
		Empty bool
	}
	var got []sec
	for _, s := range c.Sections {
		got = append(got, sec{s.Level, s.Title, s.Line, s.Empty})
	}
	want := []sec{
		{1, "案件", 4, false},
		{2, "投诉内容", 6, false},
		{3, "补充", 13, false},
		{2, "处理意见：", 16, true},
		{2, "回复 意见", 19, false},
		{2, "结案 说明", 23, false},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sections\n got %+v\nwant %+v", got, want)
	}

	texts := map[string]string{
		"投诉内容":  "客户称柜员态度生硬。\n\n```markdown\n## not a heading\n```\n\n### 补充\n电话补充。",
		"补充":    "电话补充。",
		"处理意见：": "<!-- 写明处理意见 -->",
		"回复 意见": "已电话回复。\n> ## quoted, not a section",
		"结案 说明": "    ## indented code",
	}
	for _, s := range c.Sections {
		if want, ok := texts[s.Title]; ok && s.Text != want {
			t.Errorf("section %q text = %q, want %q", s.Title, s.Text, want)
		}
	}
}

func TestCase_Section(t *testing.T) {
	c := mustParse(t, "x.md", sectionsCase)
	tests := []struct {
		name, title string
		wantLine    int
	}{
		{"exact", "投诉内容", 6},
		{"full-width colon in the file", "处理意见", 16},
		{"colon in the query", "投诉内容:", 6},
		{"spaces and ideographic space", " \u3000投诉内容 ", 6},
		{"inner space collapsed", "回复  意见", 19},
		{"missing", "调查核实", 0},
		{"not a heading inside a code block", "not a heading", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := c.Section(tt.title)
			if ok != (tt.wantLine != 0) {
				t.Fatalf("Section(%q) found = %v", tt.title, ok)
			}
			if ok && s.Line != tt.wantLine {
				t.Errorf("Section(%q).Line = %d, want %d", tt.title, s.Line, tt.wantLine)
			}
		})
	}
}

func TestParse_SectionsEdgeCases(t *testing.T) {
	tests := []struct {
		name, body string
		want       []Section
	}{
		{"no body", "", nil},
		{"empty heading at the end", "##\n", []Section{{Level: 2, Line: 4, Empty: true}}},
		{"setext title over two lines", "第一行\n第二行\n===\n内容\n", []Section{{Level: 1, Title: "第一行 第二行", Line: 4, Text: "内容"}}},
		{"heading with trailing blank lines", "## 空\n\n\n", []Section{{Level: 2, Title: "空", Line: 4, Empty: true}}},
		{"CRLF", "## 甲\r\n内容\r\n## 乙\r\n", []Section{
			{Level: 2, Title: "甲", Line: 4, Text: "内容"},
			{Level: 2, Title: "乙", Line: 6, Empty: true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustParse(t, "x.md", "---\nid: A-1\n---\n"+tt.body)
			if !reflect.DeepEqual(c.Sections, tt.want) {
				t.Errorf("Sections\n got %#v\nwant %#v", c.Sections, tt.want)
			}
		})
	}
}
