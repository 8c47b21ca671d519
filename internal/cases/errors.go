package cases

import (
	"fmt"
	"strings"
)

// ParseError says why a file is not a case file, where, and how to fix it.
// Line counts from the top of the file (1-based); Col is 1-based, or 0 when
// the position inside the line is unknown.
type ParseError struct {
	File string
	Line int
	Col  int
	Msg  string
	Fix  string
}

// Error formats the error as "file:line:col: msg (fix: ...)"; parts that are
// unknown (a zero line or column, an empty fix) are left out.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Fix != "" {
		b.WriteString(" (fix: ")
		b.WriteString(e.Fix)
		b.WriteString(")")
	}
	return b.String()
}

// FieldError is a problem with the type or form of one core field, found
// while reading a case that is otherwise well formed. Path is the key path
// ("received_at"); Line counts from the top of the file.
type FieldError struct {
	Path string
	Line int
	Msg  string
	Fix  string
}

// Error formats the field error as "path (line N): msg (fix: ...)".
func (e FieldError) Error() string {
	s := fmt.Sprintf("%s (line %d): %s", e.Path, e.Line, e.Msg)
	if e.Fix != "" {
		s += " (fix: " + e.Fix + ")"
	}
	return s
}
