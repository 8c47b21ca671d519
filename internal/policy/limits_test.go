package policy

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// bomb is the classic alias bomb under extra:, the one free-form key,
// where a decoder into Go values would expand it to 9^9 strings.
func bomb() string {
	var b strings.Builder
	b.WriteString(basePolicy)
	b.WriteString("extra:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 9; i++ {
		refs := strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 9), ", ")
		fmt.Fprintf(&b, "  a%d: &a%d [%s]\n", i, i, refs)
	}
	return b.String()
}

func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestLoad_Limits checks that hostile policy files are refused with a
// positioned problem, at a cost bounded by the input's size.
func TestLoad_Limits(t *testing.T) {
	baseLines := strings.Count(basePolicy, "\n")
	var deep strings.Builder
	deep.WriteString(basePolicy + "extra:\n")
	for i := range 40 {
		fmt.Fprintf(&deep, "%sk%d:\n", strings.Repeat("  ", i+1), i)
	}
	tests := []struct {
		name string
		src  string
		line int
		msg  string
	}{
		{"billion laughs", bomb(), baseLines + 2, "anchors and aliases are not allowed"},
		{"deep nesting", deep.String(), 0, "nested deeper than"},
		{"deep flow nesting", basePolicy + "extra: {x: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "}\n", baseLines + 1, "nested deeper than"},
		{"flow nesting beyond the YAML parser's own limit", basePolicy + "extra: " + strings.Repeat("[", 10001) + "\n", baseLines + 1, "exceeded max depth"},
		{"file over 1 MiB", basePolicy + "# " + strings.Repeat("x", MaxFileSize) + "\n", 0, "larger than 1 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			alloc := allocated(func() { _, err = Load("policies/x.yaml", []byte(tt.src)) })
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			found := false
			for _, e := range ErrorList(err) {
				if e.Msg.Has(tt.msg) && e.File == "policies/x.yaml" && (tt.line == 0 || e.Line == tt.line) && !e.Fix.IsZero() {
					found = true
				}
			}
			if !found {
				t.Errorf("problems:\n%v\nwant one at line %d containing %q, with a fix", err, tt.line, tt.msg)
			}
			if limit := uint64(64*len(tt.src)) + 8<<20; alloc > limit {
				t.Errorf("loading %d bytes allocated %d bytes, more than %d", len(tt.src), alloc, limit)
			}
		})
	}
}
