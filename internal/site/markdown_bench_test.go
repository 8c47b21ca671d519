package site

import (
	"fmt"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/cases"
)

// caseHead is the front-matter of the hostile cases; the body follows.
const caseHead = "---\nid: BANK-2026-0001\npolicy: bank\ntitle: 测试\nstatus: received\nreceived_at: 2026-11-02T09:00:00+08:00\nchannel: phone\ncategory: attitude\n---\n## 投诉内容\n\n"

// fill repeats unit, separated by sep, up to about size bytes.
func fill(unit, sep string, size int) string {
	n := size / (len(unit) + len(sep))
	return strings.Repeat(unit+sep, n)
}

// refDefs writes n reference definitions [<i>]:http://x, each on its
// line, a blank line after every group of them (group 0: none), then uses
// of every step-th, ten to a paragraph.
func refDefs(n, group, step int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "[%x]:http://x\n", i)
		if group > 0 && (i+1)%group == 0 {
			b.WriteByte('\n')
		}
	}
	for i := 0; i < n; i += step {
		if i%(10*step) == 0 {
			b.WriteString("\n\n")
		}
		fmt.Fprintf(&b, "[%x] ", i)
	}
	return b.String() + "\n"
}

// nestedLines nests a list (or quote) one level per line, depth deep,
// reps times.
func nestedLines(depth, reps int, quote bool) string {
	var one strings.Builder
	for i := range depth {
		if quote {
			one.WriteString(strings.Repeat(">", i+1) + " x\n")
		} else {
			one.WriteString(strings.Repeat("  ", i) + "- x\n")
		}
	}
	return strings.Repeat(one.String()+"\n", reps)
}

// hostileBodies are the bodies of issue 9 (all under the 1 MiB case-file
// limit) and, for each limit, the worst a body just within it can do.
func hostileBodies() []struct {
	name string
	body string
	over bool // over a limit of cases.CheckBody
} {
	const size = 1<<20 - 4096
	return []struct {
		name string
		body string
		over bool
	}{
		{"list-markers-200000", strings.Repeat("- ", 200000) + "x\n", true},
		{"list-lines-700", nestedLines(700, 1, false), true},
		{"quotes-100000", strings.Repeat("> ", 100000) + "x\n", true},
		{"quote-lines-1000", nestedLines(1000, 1, true), true},
		{"refs-60000", refDefs(60000, 0, 10), true},
		{"refs-60000-spaced", refDefs(60000, 2, 30), false},
		{"links-one-line", fill("[a](", "", 200000), true},
		{"limit-list-markers-32", fill(strings.Repeat("- ", 32)+"x", "\n\n", size), false},
		{"limit-quotes-32", fill(strings.Repeat("> ", 32)+"x", "\n\n", size), false},
		{"limit-quote-lines-32", nestedLines(32, size/625, true), false},
		{"limit-list-lines-100", nestedLines(100, size/10400, false), false},
		{"limit-refs-50", refDefs(60000, 50, 30), false},
		{"limit-links-50", fill(strings.Repeat("[a](", 50), "\n\n", size), false},
		{"limit-brackets-50", fill(strings.Repeat("[", 50), "\n\n", size), false},
		{"limit-list-of-links", fill("- "+strings.Repeat("[a](", 50), "\n", size), false},
		{"plain-text", fill("投诉人反映柜员态度恶劣，要求道歉。", "\n", size), false},
	}
}

func TestHostileBodies_Limits(t *testing.T) {
	for _, h := range hostileBodies() {
		if n := len(caseHead) + len(h.body); n > cases.DefaultMaxBytes {
			t.Errorf("%s: %d bytes, over the case-file limit", h.name, n)
		}
		if got := cases.CheckBody(h.body) != nil; got != h.over {
			t.Errorf("%s: over a limit %t, want %t", h.name, got, h.over)
		}
	}
}

// BenchmarkHostileMarkdown times what validate (parse: front-matter and
// sections) and build (render) do with each hostile body; see
// bench/README.md for the figures.
func BenchmarkHostileMarkdown(b *testing.B) {
	for _, h := range hostileBodies() {
		data := []byte(caseHead + h.body)
		b.Run(h.name+"/parse", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := cases.Parse("cases/2026/11/02/BANK-2026-0001.md", data); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(h.name+"/render", func(b *testing.B) {
			b.SetBytes(int64(len(h.body)))
			for b.Loop() {
				if _, err := renderMarkdown(h.body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
