package validate

import (
	"sort"
)

// Severity orders findings; only errors fail validate.
type Severity string

// Severities, from most to least serious.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
)

// Finding is one thing validate reports about a case, a file or the
// repository. File is relative to the repository root, Line counts from the
// top of the file.
type Finding struct {
	Severity Severity `json:"severity"`
	Code     string   `json:"code"`
	Case     string   `json:"case,omitempty"`
	File     string   `json:"file,omitempty"`
	Line     int      `json:"line,omitempty"`
	Message  string   `json:"message"`
	Fix      string   `json:"fix,omitempty"`
	Commit   string   `json:"commit,omitempty"`
	Rule     string   `json:"rule,omitempty"`
	// Field is the path of the field the finding is about
	// ("complainant.phone"), empty when it is about no one field.
	Field string `json:"field,omitempty"`
	// Acknowledged is set when policies/acknowledged.yaml accepts the
	// finding; its severity is then info.
	Acknowledged *Ack `json:"acknowledged,omitempty"`
}

// Sort orders findings by file, line, code and message so output is stable.
func Sort(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		if a.Commit != b.Commit {
			return a.Commit < b.Commit
		}
		return a.Message < b.Message
	})
}
