package cases

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/msg"
)

// FuzzParse checks that Parse never panics, that every failure is a
// *msg.FileError pointing inside the file, and that every line it reports for
// a parsed case is a line of the file. Seeds are in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Add([]byte(bankCase))
	f.Add([]byte(sectionsCase))
	f.Fuzz(func(t *testing.T, data []byte) {
		nlines := bytes.Count(data, []byte("\n")) + 1
		c, err := Parse("f.md", data, WithMaxBytes(1<<16))
		if err != nil {
			var pe *msg.FileError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *msg.FileError: %v", err, err)
			}
			if pe.File != "f.md" || pe.Line < 1 || pe.Line > nlines || pe.Msg.En == "" || pe.Msg.Zh == "" ||
				(pe.Fix.Zh == "") != (pe.Fix.En == "") || strings.Contains(pe.In(msg.Zh)+pe.In(msg.En), "%!") {
				t.Fatalf("bad error position or message (%d lines): %v", nlines, err)
			}
			return
		}
		if c.FrontMatterLine < 1 || c.FrontMatterEnd <= c.FrontMatterLine || c.BodyLine != c.FrontMatterEnd+1 {
			t.Fatalf("front-matter lines %d..%d, body %d", c.FrontMatterLine, c.FrontMatterEnd, c.BodyLine)
		}
		if !strings.HasSuffix(string(data), c.Body) {
			t.Fatalf("body %q is not the end of the file", c.Body)
		}
		if len(c.Keys) != len(c.Fields) {
			t.Fatalf("%d keys for %d fields", len(c.Keys), len(c.Fields))
		}
		for p, l := range c.lines.all {
			if l <= c.FrontMatterLine || l >= c.FrontMatterEnd {
				t.Fatalf("Line(%q) = %d outside the front-matter %d..%d", p, l, c.FrontMatterLine, c.FrontMatterEnd)
			}
			if _, ok := c.Get(p); !ok && !strings.Contains(p, ".") {
				t.Fatalf("Get(%q) finds nothing for a recorded key", p)
			}
		}
		for _, fe := range c.FieldErrors {
			if fe.Line < 1 || fe.Line > nlines || fe.File != "f.md" || fe.Msg.Zh == "" || fe.Msg.En == "" {
				t.Fatalf("field error outside the file: %v", fe)
			}
		}
		for _, s := range c.Sections {
			if s.Line < c.BodyLine || s.Line > nlines || s.Level < 1 || s.Level > 6 {
				t.Fatalf("section %+v outside the body (lines %d..%d)", s, c.BodyLine, nlines)
			}
		}
	})
}

// typicalCase is a realistic case of about 2 KB: the bank example with a
// full body.
var typicalCase = bankCase + strings.Repeat("客户于九月三十日上午到城关支行柜台办理业务，称柜员态度生硬。\n\n", 12) +
	"## 调查核实\n\n经调阅监控，情况属实。\n\n## 处理结果\n\n已对当事柜员批评教育。\n"

func BenchmarkParse(b *testing.B) {
	data := []byte(typicalCase)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("cases/2026/09/30/BANK-2026-0007.md", data); err != nil {
			b.Fatal(err)
		}
	}
}
