package msg

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// FileError is a problem at a place in a file: a case file, a policy, the
// calendar file, the recipients or volume file. File is relative to the
// repository root (or as the user named it); Line and Col are 1-based and
// count from the top of the file, 0 when unknown. Msg says what is wrong
// and Fix how to repair it (empty when the message says it).
type FileError struct {
	File      string
	Line, Col int
	Msg, Fix  Text
	// Path is the field the problem is about ("complainant.phone"), empty
	// when it is about no one field.
	Path string
}

// Error formats the problem in English as "file:line:col: msg (fix: ...)";
// unknown parts are left out. Commands print In(lang) instead.
func (e *FileError) Error() string { return e.In(En) }

// In formats the problem in lang.
func (e *FileError) In(lang string) string {
	var b strings.Builder
	b.WriteString(e.Where())
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Msg.In(lang))
	if f := e.Fix.In(lang); f != "" {
		if lang == En {
			fmt.Fprintf(&b, " (fix: %s)", f)
		} else {
			fmt.Fprintf(&b, "（修正：%s）", f)
		}
	}
	return b.String()
}

// Where is "file:line:col" with the unknown parts left out.
func (e *FileError) Where() string {
	s := e.File
	if e.Line > 0 {
		s += fmt.Sprintf(":%d", e.Line)
		if e.Col > 0 {
			s += fmt.Sprintf(":%d", e.Col)
		}
	}
	return s
}

// FileErrors are several problems, reported together so that one round of
// edits fixes them all.
type FileErrors []*FileError

// Error joins the problems one per line, in English.
func (es FileErrors) Error() string { return es.In(En) }

// In joins the problems one per line, in lang.
func (es FileErrors) In(lang string) string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.In(lang)
	}
	return strings.Join(lines, "\n")
}

// Unwrap exposes the single problems to errors.As and errors.Is.
func (es FileErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Localized is an error that can say itself in either language; commands
// print In(lang) of the first one in an error's chain.
type Localized interface {
	error
	In(lang string) string
}

var (
	_ Localized = (*FileError)(nil)
	_ Localized = FileErrors(nil)
)

// Sort orders the problems by file, line and column, keeping the order of
// problems at one place, so that output does not depend on the order the
// checks ran in.
func (es FileErrors) Sort() {
	slices.SortStableFunc(es, func(a, b *FileError) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
}
