package cases

import (
	"math"
	"math/rand"
	"slices"
	"testing"
	"time"
)

var cst = time.FixedZone("CST", 8*3600)

func TestRender_DesignExample(t *testing.T) {
	fields := []Field{
		{"id", "BANK-2026-0007"},
		{"policy", "bank"},
		{"title", "柜台办理业务时服务态度差"},
		{"status", "assigned"},
		{"received_at", time.Date(2026, 9, 30, 10, 0, 0, 0, cst)},
		{"channel", "visit"},
		{"category", "attitude"},
		{"complainant", map[string]any{"name": "王某", "phone": "13800000000", "anonymous": false}},
		{"respondent", map[string]any{"unit": "城关支行", "person": "李某"}},
		{"assignee", "赵某"},
		{"department", "监察室"},
		{"related", []string{"BANK-2026-0001", "BANK-2026-0003"}},
		{"extensions", []any{
			map[string]any{"approved_by": "钱某", "until": "2026-10-20", "days": 5},
		}},
	}
	want := "---\n" +
		"id: BANK-2026-0007\n" +
		"policy: bank\n" +
		"title: 柜台办理业务时服务态度差\n" +
		"status: assigned\n" +
		"received_at: 2026-09-30T10:00:00+08:00\n" +
		"channel: visit\n" +
		"category: attitude\n" +
		"complainant: {anonymous: false, name: 王某, phone: \"13800000000\"}\n" +
		"respondent: {person: 李某, unit: 城关支行}\n" +
		"assignee: 赵某\n" +
		"department: 监察室\n" +
		"related: [BANK-2026-0001, BANK-2026-0003]\n" +
		"extensions:\n" +
		"  - approved_by: 钱某\n" +
		"    days: 5\n" +
		"    until: \"2026-10-20\"\n" +
		"---\n" +
		"## 投诉内容\n\n柜员态度生硬。\n"
	got := string(Render(fields, "## 投诉内容\n\n柜员态度生硬。\n"))
	if got != want {
		t.Errorf("Render =\n%s\nwant\n%s", got, want)
	}
}

func TestRender_Values(t *testing.T) {
	tests := []struct {
		name  string
		value any
		want  string // the front-matter line(s) of key "k"
	}{
		{"plain text", "赵某", "k: 赵某\n"},
		{"phone number", "13800000000", "k: \"13800000000\"\n"},
		{"leading zero", "0123", "k: \"0123\"\n"},
		{"yes", "yes", "k: \"yes\"\n"},
		{"date text", "2026-10-01", "k: \"2026-10-01\"\n"},
		{"colon space", "a: b", "k: \"a: b\"\n"},
		{"hash", "#x", "k: \"#x\"\n"},
		{"empty", "", "k: \"\"\n"},
		{"quote and backslash", `a"b\c`, "k: a\"b\\c\n"},
		{"control character", "a\x01", "k: \"a\\x01\"\n"},
		{"integer", 42, "k: 42\n"},
		{"whole float", 3.0, "k: 3.0\n"},
		{"NaN", math.NaN(), "k: .nan\n"},
		{"bool", true, "k: true\n"},
		{"nil", nil, "k: null\n"},
		{"time", time.Date(2026, 10, 10, 23, 59, 59, 0, cst), "k: 2026-10-10T23:59:59+08:00\n"},
		{"lines", "第一行\n第二行\n", "k: |\n  第一行\n  第二行\n"},
		{"lines without final newline", "甲\n\n乙", "k: |-\n  甲\n\n  乙\n"},
		{"lines with a delimiter are quoted", "甲\n---\n乙", "k: \"甲\\n---\\n乙\"\n"},
		{"empty list", []any{}, "k: []\n"},
		{"empty mapping", map[string]any{}, "k: {}\n"},
		{"comma in a flow list", []any{"a, b", "c"}, "k: [\"a, b\", c]\n"},
		{"long mapping in block style", map[string]any{"reason": "客户表示已与支行达成和解，不再追究，自愿撤回投诉", "voluntary": true},
			"k:\n  reason: 客户表示已与支行达成和解，不再追究，自愿撤回投诉\n  voluntary: true\n"},
		{"nested mapping in block style", map[string]any{"a": map[string]any{"b": 1}}, "k:\n  a: {b: 1}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(Render([]Field{{"k", tt.value}}, ""))
			if want := "---\n" + tt.want + "---\n"; got != want {
				t.Errorf("Render =\n%s\nwant\n%s", got, want)
			}
			c := mustParse(t, "x.md", got)
			nv, _ := normalize(tt.value, true)
			if !sameValue(c.Fields["k"], plainValue(nv)) {
				t.Errorf("parsed back as %#v, want %#v", c.Fields["k"], tt.value)
			}
		})
	}
}

func TestRender_DuplicateKeyKeepsFirstPlaceLastValue(t *testing.T) {
	got := string(Render([]Field{{"a", 1}, {"b", 2}, {"a", 3}}, "x"))
	if want := "---\na: 3\nb: 2\n---\nx"; got != want {
		t.Errorf("Render = %q, want %q", got, want)
	}
}

// TestRender_RoundTrip renders random fields from the property values and
// checks that Parse reads back the same keys, values and body.
func TestRender_RoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	bodies := []string{"", "## 投诉内容\n\n正文\n", "---\nnot: front-matter\n---\n```\n---\n```\n", "no final newline"}
	for range 500 {
		var fields []Field
		var keys []string
		want := map[string]any{}
		for range 1 + rng.Intn(8) {
			k := propertyKeys[rng.Intn(len(propertyKeys))]
			if slices.Contains(keys, k) {
				continue
			}
			v := propertyValues[rng.Intn(len(propertyValues))]
			fields = append(fields, Field{k, v})
			keys = append(keys, k)
			nv, _ := normalize(v, true)
			want[k] = plainValue(nv)
		}
		body := bodies[rng.Intn(len(bodies))]
		out := Render(fields, body)
		c, err := Parse("x.md", out)
		if err != nil {
			t.Fatalf("Parse(Render(%v)): %v\n%s", fields, err, out)
		}
		if !slices.Equal(c.Keys, keys) || !sameValue(c.Fields, want) || c.Body != body {
			t.Fatalf("Render(%v) reads back as %v %#v body %q\n%s", fields, c.Keys, c.Fields, c.Body, out)
		}
	}
}

// TestRender_ThenEdit checks that a rendered file takes edits: the way new
// and move work together.
func TestRender_ThenEdit(t *testing.T) {
	data := Render([]Field{{"id", "A-1"}, {"status", "received"}, {"related", []any{"A-0"}},
		{"extensions", []any{map[string]any{"until": "2026-10-20"}}}}, "body\n")
	out, err := Apply(data, []Change{Set{"status", "assigned"}, Append{"related", "A-2"},
		Append{"extensions", map[string]any{"until": "2026-10-30", "days": 5}}})
	if err != nil {
		t.Fatal(err)
	}
	want := "---\nid: A-1\nstatus: assigned\nrelated: [A-0, A-2]\nextensions:\n  - until: \"2026-10-20\"\n  - days: 5\n    until: \"2026-10-30\"\n---\nbody\n"
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func BenchmarkEdit(b *testing.B) {
	data := []byte(typicalCase)
	sets := []Set{{"status", "replied"}, {"replied_at", time.Date(2026, 10, 8, 9, 0, 0, 0, cst)}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Edit(data, sets); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	fields := []Field{{"id", "BANK-2026-0007"}, {"policy", "bank"}, {"title", "柜台办理业务时服务态度差"},
		{"status", "received"}, {"received_at", time.Date(2026, 9, 30, 10, 0, 0, 0, cst)},
		{"complainant", map[string]any{"name": "王某", "phone": "13800000000", "anonymous": false}}}
	b.ReportAllocs()
	for b.Loop() {
		Render(fields, "## 投诉内容\n")
	}
}
