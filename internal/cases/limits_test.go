package cases

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/msg"
)

// billionLaughs is the classic alias bomb: nine levels of nine aliases
// each, which a decoder that expands aliases turns into 9^9 strings.
func billionLaughs() string {
	var b strings.Builder
	b.WriteString("---\nid: X-2026-0001\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 9; i++ {
		refs := strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 9), ", ")
		fmt.Fprintf(&b, "a%d: &a%d [%s]\n", i, i, refs)
	}
	b.WriteString("---\nbody\n")
	return b.String()
}

// allocated returns the bytes allocated while fn runs.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestParse_Limits checks that each hostile shape of file is refused with
// a *msg.FileError at the right line, explaining what to do, and at a cost
// bounded by the input rather than by what it would expand to.
func TestParse_Limits(t *testing.T) {
	deepFlow := "---\nid: X\nf: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n---\n"
	var deepBlock strings.Builder
	deepBlock.WriteString("---\nid: X\n")
	for i := range 30 {
		fmt.Fprintf(&deepBlock, "%sk%d:\n", strings.Repeat("  ", i), i)
	}
	deepBlock.WriteString("---\n")
	tests := []struct {
		name     string
		src      string
		opts     []Option
		line     int
		msg, fix string
	}{
		{"billion laughs", billionLaughs(), nil, 3, "YAML anchor &a0 is not allowed", "write values out in full"},
		{"alias of a scalar", "---\nid: &i X\nt: *i\n---\n", nil, 2, "YAML anchor &i is not allowed", "write values out in full"},
		{"merge key", "---\nbase: {a: 1}\nm:\n  <<: {b: 2}\n---\n", nil, 4, "merge key", "write the fields out in full"},
		{"alias without anchor", "---\nid: X\nt: *nothing\n---\n", nil, 3, "YAML alias *nothing is not allowed", "write the value out in full"},
		{"deep flow nesting", deepFlow, nil, 3, "nested deeper than 20 levels", "flatten"},
		{"deep block nesting", deepBlock.String(), nil, 23, "nested deeper than 20 levels", "flatten"},
		{"flow nesting beyond the YAML parser's own limit", "---\nf: " + strings.Repeat("[", 10001) + "\n---\n", nil, 2, "exceeded max depth", "fix the YAML syntax"},
		{"front-matter over 64 KiB", "---\nid: X\nnote: " + strings.Repeat("x", MaxFrontMatterBytes) + "\n---\n", nil, 1, "front-matter is larger than 65536 bytes", "keep long text in the Markdown body"},
		{"file over the size limit", "---\nid: X\n---\n" + strings.Repeat("正文", 600), []Option{WithMaxBytes(1000)}, 1, "larger than the limit of 1000 bytes", "attachments"},
		{"file over the default size limit", "---\nid: X\n---\n" + strings.Repeat("x", DefaultMaxBytes), nil, 1, "larger than the limit of 1048576 bytes", "attachments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			alloc := allocated(func() { _, err = Parse("cases/x.md", []byte(tt.src), tt.opts...) })
			var pe *msg.FileError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v (%T), want a *msg.FileError", err, err)
			}
			if pe.File != "cases/x.md" || pe.Line != tt.line || !pe.Msg.Has(tt.msg) || !pe.Fix.Has(tt.fix) {
				t.Errorf("err = %v\nwant line %d, message containing %q, fix containing %q", err, tt.line, tt.msg, tt.fix)
			}
			// The work is bounded by the input: a few dozen times its size
			// (yaml.v3 builds a node per token), never what an expansion
			// would reach (9^9 strings for the bomb).
			if limit := uint64(64*len(tt.src)) + 8<<20; alloc > limit {
				t.Errorf("parsing %d bytes allocated %d bytes, more than %d", len(tt.src), alloc, limit)
			}
		})
	}
}
