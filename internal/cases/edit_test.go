package cases

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/casebook/casebook/internal/msg"
)

func TestEdit(t *testing.T) {
	const body = "## 投诉内容\n\n客户称柜员态度生硬。\n"
	tests := []struct {
		name   string
		before string
		sets   []Set
		after  string
	}{
		{"change status",
			"---\nid: A-1\nstatus: received\ntitle: t\n---\n" + body,
			[]Set{{"status", "assigned"}},
			"---\nid: A-1\nstatus: assigned\ntitle: t\n---\n" + body},
		{"set assignee when absent goes at the end",
			"---\nid: A-1\nstatus: received\n# 以下由经办人填写\n\n---\n" + body,
			[]Set{{"assignee", "赵某"}},
			"---\nid: A-1\nstatus: received\n# 以下由经办人填写\n\nassignee: 赵某\n---\n" + body},
		{"set a key inside a flow mapping",
			"---\ncomplainant: {name: 王某, phone: \"13800000000\", anonymous: false}\n---\n",
			[]Set{{"complainant.phone", "13911112222"}},
			"---\ncomplainant: {name: 王某, phone: \"13911112222\", anonymous: false}\n---\n"},
		{"add a key to a flow mapping",
			"---\ncomplainant: {name: 王某, anonymous: false}\n---\n",
			[]Set{{"complainant.phone", "13911112222"}},
			"---\ncomplainant: {name: 王某, anonymous: false, phone: \"13911112222\"}\n---\n"},
		{"add a key to an empty flow mapping",
			"---\ncomplainant: {}\nstatus: x\n---\n",
			[]Set{{"complainant.name", "王某"}},
			"---\ncomplainant: {name: 王某}\nstatus: x\n---\n"},
		{"add a key to a block mapping after the last sibling",
			"---\nrespondent:\n  unit: 城关支行 # 支行\n  # 当事人待定\nstatus: x\n---\n",
			[]Set{{"respondent.person", "李某"}},
			"---\nrespondent:\n  unit: 城关支行 # 支行\n  person: 李某\n  # 当事人待定\nstatus: x\n---\n"},
		{"add a nested key whose parent is missing",
			"---\nid: A-1\nstatus: replied\n---\n" + body,
			[]Set{{"status", "withdrawn"}, {"withdrawal.voluntary", false}, {"withdrawal.reason", "已与客户和解"}},
			"---\nid: A-1\nstatus: withdrawn\nwithdrawal:\n  voluntary: false\n  reason: 已与客户和解\n---\n" + body},
		{"a nested key under an empty parent",
			"---\nwithdrawal:\nstatus: x\n---\n",
			[]Set{{"withdrawal.voluntary", true}},
			"---\nwithdrawal:\n  voluntary: true\nstatus: x\n---\n"},
		{"keep a trailing comment on the edited line",
			"---\nstatus: received   # 登记后改为 assigned\nassignee: 赵某\n---\n",
			[]Set{{"status", "assigned"}},
			"---\nstatus: assigned   # 登记后改为 assigned\nassignee: 赵某\n---\n"},
		{"keep single quotes",
			"---\ntitle: '柜台服务态度差'\n---\n",
			[]Set{{"title", "柜员's 态度"}},
			"---\ntitle: '柜员''s 态度'\n---\n"},
		{"keep double quotes when no longer needed",
			"---\nassignee: \"赵某\"\n---\n",
			[]Set{{"assignee", "钱某"}},
			"---\nassignee: \"钱某\"\n---\n"},
		{"replace a block scalar with a block scalar",
			"---\nnote: |\n  第一行\n  第二行\n\nstatus: x\n---\n",
			[]Set{{"note", "新的一行\n第二行\n"}},
			"---\nnote: |\n  新的一行\n  第二行\n\nstatus: x\n---\n"},
		{"replace a folded scalar with one line",
			"---\nnote: >-\n  很长的\n  说明\nstatus: x\n---\n",
			[]Set{{"note", "短"}},
			"---\nnote: 短\nstatus: x\n---\n"},
		{"replace a plain value with several lines",
			"---\nnote: x\nstatus: x\n---\n",
			[]Set{{"note", "甲\n乙"}},
			"---\nnote: |-\n  甲\n  乙\nstatus: x\n---\n"},
		{"replace a multi-line plain scalar",
			"---\ntitle: 柜台办理业务时\n  服务态度差\nstatus: x\n---\n",
			[]Set{{"title", "新标题"}},
			"---\ntitle: 新标题\nstatus: x\n---\n"},
		{"CRLF line endings",
			"---\r\nid: A-1\r\nstatus: received\r\n---\r\n## 投诉内容\r\n",
			[]Set{{"status", "assigned"}, {"assignee", "赵某"}, {"withdrawal.voluntary", true}},
			"---\r\nid: A-1\r\nstatus: assigned\r\nassignee: 赵某\r\nwithdrawal:\r\n  voluntary: true\r\n---\r\n## 投诉内容\r\n"},
		{"digits are quoted", "---\na: x\n---\n", []Set{{"a", "0123"}}, "---\na: \"0123\"\n---\n"},
		{"yes is quoted", "---\na: x\n---\n", []Set{{"a", "yes"}}, "---\na: \"yes\"\n---\n"},
		{"a date string is quoted", "---\na: x\n---\n", []Set{{"a", "2026-10-01"}}, "---\na: \"2026-10-01\"\n---\n"},
		{"colon space is quoted", "---\na: x\n---\n", []Set{{"a", "a: b"}}, "---\na: \"a: b\"\n---\n"},
		{"leading hash is quoted", "---\na: x\n---\n", []Set{{"a", "#x"}}, "---\na: \"#x\"\n---\n"},
		{"null text is quoted", "---\na: x\n---\n", []Set{{"a", "null"}}, "---\na: \"null\"\n---\n"},
		{"a comma is quoted only in a flow mapping",
			"---\na: x\nb: {c: d}\n---\n",
			[]Set{{"a", "甲, 乙"}, {"b.c", "甲, 乙"}},
			"---\na: 甲, 乙\nb: {c: \"甲, 乙\"}\n---\n"},
		{"typed values",
			"---\na: x\nb: x\nc: x\nd: x\ne: x\n---\n",
			[]Set{{"a", 42}, {"b", 1.0}, {"c", true}, {"d", nil},
				{"e", time.Date(2026, 9, 30, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))}},
			"---\na: 42\nb: 1.0\nc: true\nd: null\ne: 2026-09-30T10:00:00+08:00\n---\n"},
		{"a value for an empty key",
			"---\nassignee:\ndepartment: ~\n---\n",
			[]Set{{"assignee", "赵某"}, {"department", "监察室"}},
			"---\nassignee: 赵某\ndepartment: 监察室\n---\n"},
		{"replace a flow list in flow style",
			"---\nrelated: [A-1, A-2] # 重复投诉\n---\n",
			[]Set{{"related", []any{"A-1", "A-3"}}},
			"---\nrelated: [A-1, A-3] # 重复投诉\n---\n"},
		{"replace a block list in block style",
			"---\nrelated: # 重复投诉\n  - A-1\n  - A-2\nstatus: x\n---\n",
			[]Set{{"related", []any{"A-3"}}},
			"---\nrelated: # 重复投诉\n  - A-3\nstatus: x\n---\n"},
		{"a new list is in block style",
			"---\nid: A-1\n---\n",
			[]Set{{"related", []string{"A-2", "A-3"}}},
			"---\nid: A-1\nrelated:\n  - A-2\n  - A-3\n---\n"},
		{"a new mapping is in block style",
			"---\nid: A-1\n---\n",
			[]Set{{"respondent", map[string]any{"unit": "城关支行", "person": "李某"}}},
			"---\nid: A-1\nrespondent:\n  person: 李某\n  unit: 城关支行\n---\n"},
		{"empty front-matter",
			"---\n---\nbody\n",
			[]Set{{"status", "received"}},
			"---\nstatus: received\n---\nbody\n"},
		{"a key in a nested block mapping",
			"---\na:\n  b:\n    c: 1\n    d: 2\n  e: 3\n---\n",
			[]Set{{"a.b.c", 10}, {"a.b.x", 4}},
			"---\na:\n  b:\n    c: 10\n    d: 2\n    x: 4\n  e: 3\n---\n"},
		{"body with --- lines and code fences unchanged",
			"---\nstatus: received\n---\n## 投诉内容\n\n---\nstatus: fake\n---\n\n```yaml\nstatus: fake\n```\n",
			[]Set{{"status", "assigned"}},
			"---\nstatus: assigned\n---\n## 投诉内容\n\n---\nstatus: fake\n---\n\n```yaml\nstatus: fake\n```\n"},
		{"byte order mark and blank lines before the front-matter",
			"\uFEFF\n---\nstatus: received\n---\n",
			[]Set{{"status", "assigned"}},
			"\uFEFF\n---\nstatus: assigned\n---\n"},
		{"a tagged value",
			"---\nno: !!str 42\n---\n",
			[]Set{{"no", "43"}},
			"---\nno: \"43\"\n---\n"},
		{"no changes",
			"---\nid: A-1\n---\n",
			nil,
			"---\nid: A-1\n---\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Edit([]byte(tt.before), tt.sets)
			if err != nil {
				t.Fatalf("Edit: %v", err)
			}
			if string(got) != tt.after {
				t.Errorf("Edit =\n%s\nwant\n%s", got, tt.after)
			}
		})
	}
}

func TestApply_Append(t *testing.T) {
	tests := []struct {
		name    string
		before  string
		changes []Change
		after   string
	}{
		{"to a block list of mappings in block style",
			bankCase,
			[]Change{Append{"extensions", map[string]any{"approved_by": "周某", "until": "2026-11-10"}}},
			strings.Replace(bankCase, "    until: 2026-10-30\n", "    until: 2026-10-30\n  - approved_by: 周某\n    until: \"2026-11-10\"\n", 1)},
		{"to a block list of flow mappings",
			"---\nextensions:\n  - {until: 2026-10-20, days: 5}\n# end\n---\n",
			[]Change{Append{"extensions", map[string]any{"until": "2026-10-30", "days": 3}}},
			"---\nextensions:\n  - {until: 2026-10-20, days: 5}\n  - {days: 3, until: \"2026-10-30\"}\n# end\n---\n"},
		{"to a flow list",
			"---\nrelated: [A-1, A-2] # 重复\nstatus: x\n---\n",
			[]Change{Append{"related", "A-3"}},
			"---\nrelated: [A-1, A-2, A-3] # 重复\nstatus: x\n---\n"},
		{"to an empty flow list",
			"---\nrelated: []\n---\n",
			[]Change{Append{"related", "A-3"}},
			"---\nrelated: [A-3]\n---\n"},
		{"to an indentless block list",
			"---\nrelated:\n- A-1\nstatus: x\n---\n",
			[]Change{Append{"related", "A-2"}},
			"---\nrelated:\n- A-1\n- A-2\nstatus: x\n---\n"},
		{"to a missing list",
			"---\nid: A-1\n---\n",
			[]Change{Append{"related", "A-2"}, Append{"related", "A-3"}},
			"---\nid: A-1\nrelated:\n  - A-2\n  - A-3\n---\n"},
		{"to an empty key",
			"---\nrelated:\nid: A-1\n---\n",
			[]Change{Append{"related", "A-2"}},
			"---\nrelated:\n  - A-2\nid: A-1\n---\n"},
		{"with a set in the same edit",
			"---\nstatus: closed\nrelated: [A-1]\n---\n",
			[]Change{Set{"status", "assigned"}, Append{"related", "A-9"}},
			"---\nstatus: assigned\nrelated: [A-1, A-9]\n---\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Apply([]byte(tt.before), tt.changes)
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			if string(got) != tt.after {
				t.Errorf("Apply =\n%s\nwant\n%s", got, tt.after)
			}
		})
	}
}

func TestEdit_Errors(t *testing.T) {
	tests := []struct {
		name, src string
		changes   []Change
		line      int
		contains  string
	}{
		{"no front-matter", "## 投诉内容\n", []Change{Set{"status", "x"}}, 1, "no front-matter"},
		{"unclosed front-matter", "---\nstatus: x\n", []Change{Set{"status", "y"}}, 1, "not closed"},
		{"duplicate key", "---\nstatus: a\nstatus: b\n---\n", []Change{Set{"status", "y"}}, 3, `duplicate key "status"`},
		{"path through a single value", "\n---\nid: A-1\nstatus: x\n---\n", []Change{Set{"status.code", "y"}}, 4, "status is a single value, not a mapping"},
		{"path through a list", "---\nextensions:\n  - {days: 1}\n---\n", []Change{Set{"extensions.0.days", 2}}, 2, "extensions is a list, not a mapping"},
		{"UTF-16 front-matter", "---\n\xfe\xff\x00\n---\n", []Change{Set{"status", "y"}}, 2, "不是 UTF-8 编码"},
		{"explicit key", "---\n? a\n: 1\n---\n", []Change{Set{"b", 2}}, 2, "explicit keys"},
		{"append to a mapping", "---\ncomplainant: {name: a}\n---\n", []Change{Append{"complainant", "x"}}, 2, "not a list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Apply([]byte(tt.src), tt.changes)
			var pe *msg.FileError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *msg.FileError", err)
			}
			if pe.Line != tt.line || !pe.Msg.Has(tt.contains) || pe.Fix.IsZero() {
				t.Errorf("err = line %d %q (fix %q), want line %d containing %q", pe.Line, pe.Msg.En, pe.Fix, tt.line, tt.contains)
			}
		})
	}
}

func TestEdit_BadInput(t *testing.T) {
	tests := []struct {
		name string
		set  Set
	}{
		{"empty path", Set{"", "x"}},
		{"empty segment", Set{"a..b", "x"}},
		{"unsupported type", Set{"a", struct{}{}}},
		{"invalid UTF-8", Set{"a", "\xff"}},
		{"invalid UTF-8 in the path", Set{"\xff", "x"}},
		{"nested too deep", Set{strings.Repeat("k.", MaxDepth) + "k", "x"}},
		{"key too long", Set{strings.Repeat("k", 1000), "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if out, err := Edit([]byte("---\na: 1\n---\n"), []Set{tt.set}); err == nil {
				t.Fatalf("Edit succeeded:\n%s", out)
			}
		})
	}
}

// editCorpus is every case file of the package's tests and fuzz seeds that
// parses, is UTF-8 and has no layout Edit refuses (explicit keys).
func editCorpus(t testing.TB) []struct{ name, src string } {
	corpus := slices.Clone(cacheCorpus)
	for _, dir := range []string{"testdata/fuzz/FuzzParse", "testdata/fuzz/FuzzEdit"} {
		files, err := filepath.Glob(filepath.Join(dir, "*"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			data := readSeed(t, f)
			// Edit refuses what is not UTF-8 (a UTF-16 byte order mark
			// that Parse reads as an empty front-matter).
			_, err := Parse("x.md", data)
			_, eerr := Edit(data, []Set{{"probe_new", 1}})
			if err == nil && utf8.Valid(data) && (eerr == nil || !strings.Contains(eerr.Error(), "not supported")) {
				corpus = append(corpus, struct{ name, src string }{f, string(data)})
			}
		}
	}
	return corpus
}

// readSeed reads the first []byte value of a Go fuzz corpus file.
func readSeed(t testing.TB, file string) []byte {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if lit, ok := strings.CutPrefix(sc.Text(), "[]byte("); ok {
			s, err := strconv.Unquote(strings.TrimSuffix(lit, ")"))
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			return []byte(s)
		}
	}
	t.Fatalf("%s: no []byte value", file)
	return nil
}

// propertyValues are values an edit may set: the tricky strings of YAML,
// numbers, times, lists and mappings.
var propertyValues = []any{
	"assigned", "赵某", "", " ", "0123", "13800000000", "yes", "No", "on", "null", "~", "true", "2026-10-01",
	"2026-09-30T10:00:00+08:00", "10:30", "1_000", "0x1F", ".5", ".nan", "-", "- x", "a: b", "a:b", "#x", "a #b", "a#b",
	"'q'", `"dq"`, "[x]", "{x}", "a, b", "a]b", "&a", "*a", "!x", "|", ">", "%x", "@x", "`x`", "?", "? x", "<<",
	"---", "...", "\t tab", "trail ", "甲\n乙", "甲\n乙\n", "甲\n\n乙\n\n", "\n甲", "  缩进\n行", "x\r\ny", "a\\b", "全角\u3000空格",
	"\u3000前导", "bom\uFEFF", "ctl\x01", "line\u2028sep", "引号'和\"", "--- \nx", "😀",
	0, 1, -7, math.MaxInt64, 1.5, 3.0, -0.0, 1e20, 1e-7, math.Inf(1), math.NaN(), true, false, nil,
	time.Date(2026, 9, 30, 10, 0, 0, 0, time.FixedZone("", 8*3600)), time.Date(2026, 10, 1, 2, 3, 4, 500, time.UTC),
	[]any{}, map[string]any{}, []any{"A-1", "A-2"}, []any{1, "0123", nil, []any{"x"}},
	map[string]any{"name": "王某", "phone": "13800000000", "anonymous": false},
	map[string]any{"until": "2026-10-20", "approved_by": "钱某", "days": 5, "note": "两\n行"},
	[]any{map[string]any{"until": "2026-10-20", "days": 5}, map[string]any{"x": []any{map[string]any{"y": "z"}}}},
	map[string]any{"yes": 1, "a: b": 2, "0123": 3, "": 4, "k\n": 5, "nested": map[string]any{"deep": []any{}}},
}

var propertyKeys = []string{"status", "assignee", "note", "complainant", "phone", "yes", "0123", "a b", "编号", "x-y", "null", "#k", "k:"}

// randomPath picks an existing path reachable through mappings, or a new
// one below an existing mapping.
func randomPath(rng *rand.Rand, fields map[string]any) string {
	var p []string
	m := fields
	for {
		keys := sortedKeys(m)
		if len(keys) == 0 || rng.Intn(4) == 0 {
			k := propertyKeys[rng.Intn(len(propertyKeys))]
			for _, exists := m[k]; exists; _, exists = m[k] {
				k += "_new"
			}
			p = append(p, k)
			for rng.Intn(3) == 0 {
				p = append(p, propertyKeys[rng.Intn(len(propertyKeys))])
			}
			return strings.Join(p, ".")
		}
		k := keys[rng.Intn(len(keys))]
		if strings.Contains(k, ".") || k == "" {
			return strings.Join(append(p, "new"), ".")
		}
		p = append(p, k)
		next, ok := m[k].(map[string]any)
		if !ok || rng.Intn(3) == 0 {
			if m[k] == nil && rng.Intn(2) == 0 {
				p = append(p, "child")
			}
			return strings.Join(p, ".")
		}
		m = next
	}
}

// TestEdit_Property checks that an edit changes nothing but the paths it
// sets: every other field reads the same, the keys keep their order, the
// body is the same bytes, and lines outside the edited values are kept.
func TestEdit_Property(t *testing.T) {
	rng := rand.New(rand.NewSource(propertySeed))
	for _, tc := range editCorpus(t) {
		t.Run(tc.name, func(t *testing.T) {
			for range propertyRounds {
				before := mustParse(t, "x.md", tc.src)
				want := copyValue(before.Fields).(map[string]any)
				wantKeys := slices.Clone(before.Keys)
				var changes []Change
				for range 1 + rng.Intn(3) {
					p := randomPath(rng, want)
					v := propertyValues[rng.Intn(len(propertyValues))]
					segs := strings.Split(p, ".")
					isAppend := false
					if cur, ok := lookupPath(want, segs); ok && rng.Intn(2) == 0 {
						if _, isList := cur.([]any); isList || cur == nil {
							isAppend = true
						}
					}
					if isAppend {
						changes = append(changes, Append{p, v})
					} else {
						changes = append(changes, Set{p, v})
					}
					nv, _ := normalize(v, true)
					setWant(want, segs, plainValue(nv), isAppend)
					if !slices.Contains(wantKeys, segs[0]) {
						wantKeys = append(wantKeys, segs[0])
					}
				}
				out, err := Apply([]byte(tc.src), changes)
				if err != nil {
					t.Fatalf("Apply(%s) = %v\n%s", describe(changes), err, tc.src)
				}
				after, err := Parse("x.md", out)
				if err != nil {
					t.Fatalf("Parse after %s: %v\n%s", describe(changes), err, out)
				}
				if !sameValue(after.Fields, want) || !slices.Equal(after.Keys, wantKeys) {
					t.Fatalf("after %s\nfields %#v\nwant   %#v\nkeys %v, want %v\n%s", describe(changes), after.Fields, want, after.Keys, wantKeys, out)
				}
				if after.Body != before.Body || !bytes.HasSuffix(out, []byte(before.Body)) {
					t.Fatalf("body changed after %s:\n%s", describe(changes), out)
				}
				if !bytes.HasPrefix(out, []byte(tc.src[:strings.Index(tc.src, "---")+3])) {
					t.Fatalf("text before the front-matter changed:\n%s", out)
				}
			}
		})
	}
}

func lookupPath(m map[string]any, segs []string) (any, bool) {
	var cur any = m
	for _, s := range segs {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = mm[s]; !ok {
			return nil, false
		}
	}
	return cur, true
}

func describe(changes []Change) string {
	var parts []string
	for _, c := range changes {
		parts = append(parts, fmt.Sprintf("%T%#v", c, c))
	}
	return strings.Join(parts, ", ")
}

// TestEdit_KeepsOtherLines checks the in-place promise on the bank case:
// setting status changes exactly one line.
func TestEdit_KeepsOtherLines(t *testing.T) {
	out, err := Edit([]byte(bankCase), []Set{{"status", "replied"}, {"complainant.phone", "0871-1234"}})
	if err != nil {
		t.Fatal(err)
	}
	a, b := strings.Split(bankCase, "\n"), strings.Split(string(out), "\n")
	if len(a) != len(b) {
		t.Fatalf("%d lines became %d", len(a), len(b))
	}
	var changed []int
	for i := range a {
		if a[i] != b[i] {
			changed = append(changed, i+1)
		}
	}
	if !slices.Equal(changed, []int{5, 9}) {
		t.Errorf("changed lines %v, want [5 9]:\n%s", changed, out)
	}
}

// FuzzEdit sets a value, given as YAML-ish text and a kind, at a path of
// any file: Edit either fails with a *msg.FileError or an input error, or the
// result parses with exactly that change. Seeds are in testdata/fuzz/FuzzEdit.
func FuzzEdit(f *testing.F) {
	f.Add([]byte(bankCase), "status", "replied", byte(0))
	f.Add([]byte(bankCase), "complainant.phone", "13800000000", byte(0))
	f.Add([]byte(bankCase), "extensions", "x", byte(5))
	f.Fuzz(func(t *testing.T, data []byte, path, value string, kind byte) {
		var v any = value
		switch kind % 6 {
		case 1:
			v, _ = strconv.Atoi(value)
		case 2:
			v = len(value)%2 == 0
		case 3:
			v = nil
		case 4:
			v = []any{value, map[string]any{value: value}}
		case 5:
			v = map[string]any{"k": value}
		}
		before, err := Parse("x.md", data)
		changes := []Change{Set{path, v}}
		if kind >= 128 {
			changes = []Change{Append{path, v}}
		}
		out, eerr := Apply(data, changes)
		if err != nil {
			if eerr == nil {
				t.Fatalf("Edit succeeded on a file Parse rejects: %v", err)
			}
			return
		}
		if eerr != nil {
			var pe *msg.FileError
			if errors.As(eerr, &pe) && pe.Msg.Has("without changing other fields") {
				t.Fatalf("unsafe edit: %v\n%q", eerr, data)
			}
			return
		}
		after, err := Parse("x.md", out)
		if err != nil {
			t.Fatalf("result does not parse: %v\n%q", err, out)
		}
		if after.Body != before.Body {
			t.Fatalf("body changed")
		}
	})
}

// propertyRounds is how many random edits each corpus file gets.
var propertyRounds = 60

// propertySeed seeds the random edits, so that a failure repeats.
var propertySeed int64 = 1

func TestApply_Delete(t *testing.T) {
	const body = "## 投诉内容\n\n客户称柜员态度生硬。\n"
	tests := []struct {
		name, before, path, after string
	}{
		{"a top-level key and its value",
			"---\nid: A-1\namount: 60000 # 元\nstatus: x\n---\n" + body, "amount",
			"---\nid: A-1\nstatus: x\n---\n" + body},
		{"the last top-level key",
			"---\nid: A-1\namount: 60000\n---\n" + body, "amount",
			"---\nid: A-1\n---\n" + body},
		{"a key of a block mapping",
			"---\nrespondent:\n  unit: 城关支行\n  phone: \"0871\"\nstatus: x\n---\n", "respondent.phone",
			"---\nrespondent:\n  unit: 城关支行\nstatus: x\n---\n"},
		{"the only key of a block mapping takes the mapping with it",
			"---\nid: A-1\nrespondent:\n  phone: \"0871\"\nstatus: x\n---\n", "respondent.phone",
			"---\nid: A-1\nstatus: x\n---\n"},
		{"a block value over several lines",
			"---\nid: A-1\nnote: |\n  第一行\n  第二行\nstatus: x\n---\n", "note",
			"---\nid: A-1\nstatus: x\n---\n"},
		{"a block mapping with its sub-keys",
			"---\nid: A-1\nwithdrawal:\n  voluntary: true\n  reason: 和解\nstatus: x\n---\n", "withdrawal",
			"---\nid: A-1\nstatus: x\n---\n"},
		{"a middle key of a flow mapping",
			"---\ncomplainant: {name: 王某, phone: \"13800000000\", anonymous: false}\n---\n", "complainant.phone",
			"---\ncomplainant: {name: 王某, anonymous: false}\n---\n"},
		{"the first key of a flow mapping",
			"---\ncomplainant: {name: 王某, phone: \"13800000000\"}\n---\n", "complainant.name",
			"---\ncomplainant: {phone: \"13800000000\"}\n---\n"},
		{"the last key of a flow mapping",
			"---\ncomplainant: {name: 王某, phone: \"13800000000\"}\n---\n", "complainant.phone",
			"---\ncomplainant: {name: 王某}\n---\n"},
		{"CRLF line endings are kept",
			"---\r\nid: A-1\r\namount: 1\r\nstatus: x\r\n---\r\n", "amount",
			"---\r\nid: A-1\r\nstatus: x\r\n---\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Apply([]byte(tt.before), []Change{Delete{Path: tt.path}})
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.after {
				t.Fatalf("got\n%s\nwant\n%s", got, tt.after)
			}
		})
	}
	for _, tt := range []struct{ name, before, path, want string }{
		{"a key the file does not have", "---\nid: A-1\n---\n", "amount", "cannot remove amount: the front-matter has no amount"},
		{"a path through a value that is not a mapping", "---\nid: A-1\n---\n", "id.x", "cannot remove id.x: id is a single value, not a mapping"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Apply([]byte(tt.before), []Change{Delete{Path: tt.path}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v; want %q", err, tt.want)
			}
		})
	}
}
