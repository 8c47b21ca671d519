package policy

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Error is one problem in a policy file. Line and Col are 1-based and count
// from the top of the file; they are 0 when the problem has no place (an
// unreadable file).
type Error struct {
	File string
	Line int
	Col  int
	Msg  string
	// Fix says how to repair the problem; empty when the message says it.
	Fix string
}

// Error formats the problem as file:line:col: msg (fix: ...).
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Fix != "" {
		fmt.Fprintf(&b, " (fix: %s)", e.Fix)
	}
	return b.String()
}

// Errors is every problem found in one or more policy files. Load reports
// all problems of a file together so that one edit round fixes them all.
type Errors []*Error

// Error joins the problems one per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap exposes the single problems to errors.As and errors.Is.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// err turns a collected list into the error Load returns: nil, the single
// *Error, or Errors sorted by position.
func (es Errors) err() error {
	switch len(es) {
	case 0:
		return nil
	case 1:
		return es[0]
	}
	es.sort()
	return es
}

// sort orders problems by file and position so output does not depend on
// the order the checks ran in.
func (es Errors) sort() {
	slices.SortStableFunc(es, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
}
