package cases

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/msg"
)

// bankCase is the example of DESIGN.md "A case file", with a body and a few
// nested fields for line lookups.
const bankCase = `---
id: BANK-2026-0007
policy: bank
title: 柜台办理业务时服务态度差
status: assigned
received_at: 2026-09-30T10:00:00+08:00
channel: visit
category: attitude
complainant: {name: 王某, phone: "13800000000", anonymous: false}
respondent: {unit: 城关支行, person: 李某}
assignee: 赵某
department: 监察室
extensions:
  - approved_by: 钱某
    until: 2026-10-20
    days: 5
  - approved_by: 孙某
    until: 2026-10-30
---
## 投诉内容

客户称柜员态度生硬。

## 处理意见
<!-- 写明处理意见 -->
`

func mustParse(t *testing.T, file, src string, opts ...Option) *Case {
	t.Helper()
	c, err := Parse(file, []byte(src), opts...)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return c
}

func TestParse_BankCase(t *testing.T) {
	c := mustParse(t, "cases/2026/09/30/BANK-2026-0007.md", bankCase)

	if c.ID != "BANK-2026-0007" || c.Policy != "bank" || c.Status != "assigned" || c.Title != "柜台办理业务时服务态度差" {
		t.Errorf("core fields = %q %q %q %q", c.ID, c.Policy, c.Status, c.Title)
	}
	if !c.IDMatchesFile() {
		t.Errorf("IDMatchesFile() = false for %s", c.File)
	}
	want := time.Date(2026, 9, 30, 2, 0, 0, 0, time.UTC)
	if !c.ReceivedAt.Equal(want) || c.ReceivedAtRaw != "2026-09-30T10:00:00+08:00" {
		t.Errorf("received_at = %v (%q), want %v", c.ReceivedAt, c.ReceivedAtRaw, want)
	}
	wantKeys := []string{"id", "policy", "title", "status", "received_at", "channel", "category",
		"complainant", "respondent", "assignee", "department", "extensions"}
	if !reflect.DeepEqual(c.Keys, wantKeys) {
		t.Errorf("Keys = %v", c.Keys)
	}
	wantComplainant := map[string]any{"name": "王某", "phone": "13800000000", "anonymous": false}
	if !reflect.DeepEqual(c.Fields["complainant"], wantComplainant) {
		t.Errorf("complainant = %#v", c.Fields["complainant"])
	}
	wantExt := []any{
		map[string]any{"approved_by": "钱某", "until": "2026-10-20", "days": 5},
		map[string]any{"approved_by": "孙某", "until": "2026-10-30"},
	}
	if !reflect.DeepEqual(c.Fields["extensions"], wantExt) {
		t.Errorf("extensions = %#v", c.Fields["extensions"])
	}
	if len(c.FieldErrors) != 0 {
		t.Errorf("FieldErrors = %v", c.FieldErrors)
	}
	if c.FrontMatterLine != 1 || c.FrontMatterEnd != 19 || c.BodyLine != 20 {
		t.Errorf("front-matter lines %d..%d, body %d; want 1..19, 20", c.FrontMatterLine, c.FrontMatterEnd, c.BodyLine)
	}
	if !strings.HasPrefix(c.Body, "## 投诉内容\n") {
		t.Errorf("Body starts %q", c.Body[:20])
	}
	if c.Bundle {
		t.Error("Bundle = true for a single file")
	}
	if len(c.Sections) != 2 || c.Sections[0].Line != 20 || c.Sections[1].Line != 24 {
		t.Errorf("Sections = %+v", c.Sections)
	}
}

func TestCase_Line(t *testing.T) {
	c := mustParse(t, "x.md", "\n"+bankCase) // a leading blank line shifts everything by one
	tests := []struct {
		name, path string
		want       int
	}{
		{"top-level key", "status", 6},
		{"key in a flow mapping", "complainant.phone", 10},
		{"list item", "extensions.1", 18},
		{"key in a list item", "extensions.0.until", 16},
		{"key in the second list item", "extensions.1.until", 19},
		{"missing child falls back to its parent", "complainant.email", 10},
		{"missing grandchild falls back to the nearest parent", "extensions.0.until.day", 16},
		{"missing item falls back to the list", "extensions.7.until", 14},
		{"unknown key falls back to the front-matter", "satisfaction", 2},
		{"empty path", "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Line(tt.path); got != tt.want {
				t.Errorf("Line(%q) = %d, want %d", tt.path, got, tt.want)
			}
		})
	}
}

func TestCase_LineDottedKeyShadowsNestedKey(t *testing.T) {
	// "a.b" as a key spells the same path as b inside a; the later line
	// wins, as it always has.
	c := mustParse(t, "x.md", "---\na: {b: 1}\na.b: 2\nz: {y: 3}\n---\n")
	for path, want := range map[string]int{"a": 2, "a.b": 3, "z.y": 4, "a.c": 2, "b": 1} {
		if got := c.Line(path); got != want {
			t.Errorf("Line(%q) = %d, want %d", path, got, want)
		}
	}
}

func TestCase_Get(t *testing.T) {
	c := mustParse(t, "x.md", bankCase)
	tests := []struct {
		path string
		want any
		ok   bool
	}{
		{"status", "assigned", true},
		{"complainant.phone", "13800000000", true},
		{"extensions.0.days", 5, true},
		{"extensions.1.until", "2026-10-30", true},
		{"extensions.2", nil, false},
		{"extensions.-1", nil, false},
		{"extensions.01", nil, false},
		{"status.x", nil, false},
		{"nope", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, ok := c.Get(tt.path)
			if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Get(%q) = %#v, %v; want %#v, %v", tt.path, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestParse_FieldValues(t *testing.T) {
	src := "---\n" +
		"count: 42\n" +
		"negative: -7\n" +
		"hex: 0x1F\n" +
		"huge: 99999999999999999999\n" +
		"amount: 1250.50\n" +
		"yes_no: yes\n" +
		"flag: true\n" +
		"nothing: ~\n" +
		"blank:\n" +
		"date: 2026-10-01\n" +
		"stamp: 2026-10-01 08:00:00\n" +
		"quoted_int: \"42\"\n" +
		"str_tag: !!str 42\n" +
		"list: [a, 1, null]\n" +
		"---\n"
	c := mustParse(t, "x.md", src)
	want := map[string]any{
		"count": 42, "negative": -7, "hex": 31, "huge": 1e20, "amount": 1250.5,
		"yes_no": "yes", "flag": true, "nothing": nil, "blank": nil,
		"date": "2026-10-01", "stamp": "2026-10-01 08:00:00",
		"quoted_int": "42", "str_tag": "42", "list": []any{"a", 1, nil},
	}
	if !reflect.DeepEqual(c.Fields, want) {
		t.Errorf("Fields =\n%#v\nwant\n%#v", c.Fields, want)
	}
}

func TestParse_ReceivedAt(t *testing.T) {
	shanghai := time.FixedZone("UTC+8", 8*3600)
	utc := time.UTC
	tests := []struct {
		name, value string
		loc         *time.Location
		want        time.Time
	}{
		{"RFC 3339 with offset", "2026-09-30T10:00:00+08:00", nil, time.Date(2026, 9, 30, 10, 0, 0, 0, shanghai)},
		{"RFC 3339 in UTC ignores the location", "2026-09-30T02:00:00Z", shanghai, time.Date(2026, 9, 30, 2, 0, 0, 0, utc)},
		{"space instead of T with offset", "2026-09-30 10:00:00+08:00", nil, time.Date(2026, 9, 30, 10, 0, 0, 0, shanghai)},
		{"quoted RFC 3339", `"2026-09-30T10:00:00+08:00"`, nil, time.Date(2026, 9, 30, 10, 0, 0, 0, shanghai)},
		{"bare local minutes read in Shanghai by default", "2026-09-30 10:00", nil, time.Date(2026, 9, 30, 10, 0, 0, 0, shanghai)},
		{"bare local seconds read in Shanghai by default", "2026-09-30T10:00:00", nil, time.Date(2026, 9, 30, 10, 0, 0, 0, shanghai)},
		{"bare date is midnight local", "2026-09-30", nil, time.Date(2026, 9, 30, 0, 0, 0, 0, shanghai)},
		{"bare local time in the policy's zone", "2026-09-30 10:00", utc, time.Date(2026, 9, 30, 10, 0, 0, 0, utc)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []Option
			if tt.loc != nil {
				opts = append(opts, WithLocation(tt.loc))
			}
			c := mustParse(t, "x.md", "---\nreceived_at: "+tt.value+"\n---\n", opts...)
			if !c.ReceivedAt.Equal(tt.want) {
				t.Errorf("ReceivedAt = %v, want %v", c.ReceivedAt, tt.want)
			}
			if want := strings.Trim(tt.value, `"`); c.ReceivedAtRaw != want {
				t.Errorf("ReceivedAtRaw = %q, want %q", c.ReceivedAtRaw, want)
			}
			if len(c.FieldErrors) != 0 {
				t.Errorf("FieldErrors = %v", c.FieldErrors)
			}
		})
	}
}

func TestParse_FieldErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []msg.FileError
	}{
		{"unreadable received_at", "---\nid: A-1\nreceived_at: 30/09/2026\n---\n",
			[]msg.FileError{{Path: "received_at", Line: 3}}},
		{"received_at a number", "---\nreceived_at: 20260930\n---\n",
			[]msg.FileError{{Path: "received_at", Line: 2}}},
		{"title a number and status a list", "---\ntitle: 2026\nstatus: [a]\n---\n",
			[]msg.FileError{{Path: "title", Line: 2}, {Path: "status", Line: 3}}},
		{"id a number", "---\nid: 7\n---\n", []msg.FileError{{Path: "id", Line: 2}}},
		{"empty values are absent, not wrong", "---\ntitle:\nreceived_at: ~\n---\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustParse(t, "x.md", tt.src)
			var got []msg.FileError
			for _, fe := range c.FieldErrors {
				if fe.Msg.Zh == "" || fe.Msg.En == "" || fe.Fix.Zh == "" || fe.Fix.En == "" {
					t.Errorf("field error without message or fix: %+v", fe)
				}
				got = append(got, msg.FileError{Path: fe.Path, Line: fe.Line})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("FieldErrors = %+v, want %+v", got, tt.want)
			}
			if len(tt.want) > 0 && tt.want[0].Path == "received_at" && !c.ReceivedAt.IsZero() {
				t.Errorf("ReceivedAt = %v, want zero", c.ReceivedAt)
			}
		})
	}
}

func TestParse_Errors(t *testing.T) {
	deep := "---\na: " + strings.Repeat("[", 20) + strings.Repeat("]", 20) + "\n---\n"
	deepBlock := "---\n"
	for i := range 21 {
		deepBlock += strings.Repeat("  ", i) + "k:\n"
	}
	deepBlock += strings.Repeat("  ", 21) + "v: 1\n---\n"
	tests := []struct {
		name     string
		src      string
		opts     []Option
		line     int
		contains string
	}{
		{"empty file", "", nil, 1, "no front-matter"},
		{"conflict in the front-matter", "---\nid: A-1\n<<<<<<< HEAD\ntitle: a\n=======\ntitle: b\n>>>>>>> side\n---\n", nil, 3, "unresolved merge conflict"},
		{"both sides added the file", "<<<<<<< HEAD\n---\nid: A-1\n=======\n---\nid: A-1\n>>>>>>> theirs\n", nil, 1, "unresolved merge conflict"},
		{"conflict in the body", "---\nid: A-1\n---\n## 投诉内容\n\n<<<<<<< HEAD\na\n|||||||\nb\n=======\nc\n>>>>>>> x\n", nil, 6, "unresolved merge conflict"},
		{"conflict with CRLF", "---\r\nid: A-1\r\n<<<<<<<\r\n=======\r\n>>>>>>>\r\n---\r\n", nil, 3, "unresolved merge conflict"},
		{"only blank lines", " \n\n", nil, 1, "no front-matter"},
		{"only Markdown", "## 投诉内容\n", nil, 1, "no front-matter"},
		{"front-matter not at the top", "\n\ntext\n---\nid: a\n---\n", nil, 3, "front-matter is not at the top: text before the --- on line 4"},
		{"no front-matter at all", "\n\ntext\n", nil, 3, "no front-matter"},
		{"unclosed", "---\nid: A-1\ntitle: x\n", nil, 1, "not closed"},
		{"unclosed after blank lines", "\n\n---\nid: A-1\n", nil, 3, "not closed"},
		{"only an opening delimiter", "---", nil, 1, "not closed"},
		{"TOML", "+++\nid = \"A-1\"\n+++\n", nil, 1, "must be YAML between --- lines"},
		{"JSON", "{\"id\": \"A-1\"}\n\nbody\n", nil, 1, "must be YAML between --- lines"},
		{"tagged yaml delimiter", "---yaml\nid: A-1\n---\n", nil, 1, "must be YAML between --- lines"},
		{"bad YAML scanner error", "---\nid: A-1\ntitle: a: b\n---\n", nil, 3, "invalid YAML"},
		{"bad YAML parser error", "---\nid: A-1\ntitle: [a, b\nstatus: x\n---\n", nil, 3, "invalid YAML"},
		{"bad YAML counts from the top of the file", "\n\n---\nid: A-1\n\ntitle: a: b\n---\n", nil, 6, "invalid YAML"},
		{"stray list item", "---\nid: A-1\n- b\n---\n", nil, 3, "invalid YAML"},
		{"tab indentation", "---\nid: A-1\n\tb: c\n---\n", nil, 3, "制表符"},
		{"two documents", "---\nid: A-1\n...\nid: A-2\n---\n", nil, 4, "invalid YAML"},
		{"indented closing delimiter in a block scalar", "---\nid: A-1\nnote: |\n  ---\n  x\n---\n", nil, 4, "indented --- line"},
		{"indented closing delimiter after blank lines", "\n---\nid: A-1\n  ---\n", nil, 4, "indented --- line"},
		{"duplicate top-level key", "---\nid: A-1\nstatus: a\ntitle: t\nstatus: b\n---\n", nil, 5, `duplicate key "status" (first at line 3)`},
		{"duplicate nested key", "---\ncomplainant:\n  name: a\n  phone: 1\n  name: b\n---\n", nil, 5, `duplicate key "name" (first at line 3)`},
		{"duplicate key in a flow mapping", "---\nc: {x: 1, x: 2}\n---\n", nil, 2, `duplicate key "x" (first at line 2)`},
		{"duplicate key in a list item", "---\next:\n  - until: a\n    days: 1\n    until: b\n---\n", nil, 5, `duplicate key "until" (first at line 3)`},
		{"a list", "---\n- a\n- b\n---\n", nil, 2, "must be a YAML mapping"},
		{"a scalar", "---\njust text\n---\n", nil, 2, "must be a YAML mapping"},
		{"integer key", "---\nid: A-1\n2026: x\n---\n", nil, 3, "not a string"},
		{"null key", "---\n~: x\n---\n", nil, 2, "not a string"},
		{"nested boolean key", "---\na:\n  true: x\n---\n", nil, 3, "not a string"},
		{"mapping as key", "---\n? {a: 1}\n: x\n---\n", nil, 2, "not a string"},
		{"file too large", bankCase, []Option{WithMaxBytes(100)}, 1, "larger than the limit of 100 bytes"},
		{"front-matter too large", "---\nnote: " + strings.Repeat("x", MaxFrontMatterBytes) + "\n---\n", nil, 1, "front-matter is larger"},
		{"nesting too deep in flow style", deep, nil, 2, "nested deeper than 20"},
		{"nesting too deep in block style", deepBlock, nil, 22, "nested deeper than 20"},
		{"lone carriage return", "---\nid: A-1\rtitle: t\n---\n", nil, 2, "carriage return"},
		{"line separator", "---\nid: A-1\ntitle: a\u2028b\n---\n", nil, 3, "U+2028"},
		{"anchor", "---\na: &x [1, 2]\n---\n", nil, 2, "anchor &x"},
		{"alias", "---\na: b\nc: *x\n---\n", nil, 3, "alias *x"},
		{"billion laughs", "---\na: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n---\n", nil, 2, "anchor &a"},
		{"merge key", "---\na: {x: 1}\nb:\n  <<: {y: 2}\n---\n", nil, 4, "merge key"},
		{"binary tag", "---\na: !!binary aGk=\n---\n", nil, 2, "tag !!binary"},
		{"custom tag", "---\na: !secret hunter2\n---\n", nil, 2, "tag !secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("cases/x.md", []byte(tt.src), tt.opts...)
			if err == nil {
				t.Fatalf("Parse succeeded (fields %v), want an error", c.Fields)
			}
			var pe *msg.FileError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v is not a *msg.FileError", err, err)
			}
			if pe.File != "cases/x.md" || pe.Line != tt.line {
				t.Errorf("at %s:%d, want cases/x.md:%d (%v)", pe.File, pe.Line, tt.line, err)
			}
			if !pe.Msg.Has(tt.contains) {
				t.Errorf("message %q does not contain %q", pe.Msg.En, tt.contains)
			}
			if pe.Fix.IsZero() {
				t.Errorf("no fix in %v", err)
			}
		})
	}
}

func TestParse_Tolerated(t *testing.T) {
	tests := []struct {
		name, src           string
		fmLine, body, nkeys int
		id                  string
	}{
		{"byte order mark", "\uFEFF---\nid: A-1\n---\nbody\n", 1, 4, 1, "A-1"},
		{"CRLF line endings", "---\r\nid: A-1\r\ntitle: t\r\n---\r\nbody\r\n", 1, 5, 2, "A-1"},
		{"blank lines before the front-matter", "\n\n---\nid: A-1\n---\n", 3, 6, 1, "A-1"},
		{"empty front-matter", "---\n---\nbody\n", 1, 3, 0, ""},
		{"comments only", "---\n# nothing yet\n---\n", 1, 4, 0, ""},
		{"closing delimiter without newline", "---\nid: A-1\n---", 1, 4, 1, "A-1"},
		{"trailing spaces on delimiters", "--- \nid: A-1\n---  \n", 1, 4, 1, "A-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustParse(t, "x.md", tt.src)
			if c.FrontMatterLine != tt.fmLine || c.BodyLine != tt.body || len(c.Keys) != tt.nkeys || c.ID != tt.id {
				t.Errorf("front-matter line %d, body line %d, %d keys, id %q; want %d, %d, %d, %q",
					c.FrontMatterLine, c.BodyLine, len(c.Keys), c.ID, tt.fmLine, tt.body, tt.nkeys, tt.id)
			}
		})
	}
}

func TestParse_ErrorLinesCountCRLF(t *testing.T) {
	_, err := Parse("x.md", []byte("---\r\nid: a\r\nid: b\r\n---\r\n"))
	var pe *msg.FileError
	if !errors.As(err, &pe) || pe.Line != 3 || pe.Col != 1 {
		t.Fatalf("err = %v, want a duplicate key at x.md:3:1", err)
	}
}

func TestStemID(t *testing.T) {
	tests := []struct{ name, path, want string }{
		{"single file", "cases/2026/09/30/BANK-2026-0007.md", "BANK-2026-0007"},
		{"bundle", "cases/2026/09/30/BANK-2026-0007/index.md", "BANK-2026-0007"},
		{"backslashes", `cases\2026\BANK-2026-0007\index.md`, "BANK-2026-0007"},
		{"bare file name", "BANK-2026-0007.md", "BANK-2026-0007"},
		{"bare index.md has no stem", "index.md", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StemID(tt.path); got != tt.want {
				t.Errorf("StemID(%q) = %q, want %q", tt.path, got, tt.want)
			}
		})
	}
}

func TestCase_IDMatchesFile(t *testing.T) {
	tests := []struct {
		name, file, src string
		want            bool
	}{
		{"matching bundle", "cases/A-1/index.md", "---\nid: A-1\n---\n", true},
		{"other id", "cases/A-1.md", "---\nid: A-2\n---\n", false},
		{"no id", "cases/A-1.md", "---\ntitle: t\n---\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustParse(t, tt.file, tt.src)
			if got := c.IDMatchesFile(); got != tt.want {
				t.Errorf("IDMatchesFile() = %v, want %v (id %q)", got, tt.want, c.ID)
			}
		})
	}
}
