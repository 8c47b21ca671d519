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

func (s Severity) rank() int {
	switch s {
	case Error:
		return 0
	case Warning:
		return 1
	}
	return 2
}

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
	// Acknowledged is set when policies/acknowledged.yaml accepts the
	// finding; its severity is then info.
	Acknowledged *Ack `json:"acknowledged,omitempty"`
}

// Codes are the stable finding codes, documented in the README, with their
// default severities.
var Codes = map[string]Severity{
	"parse.error":          Error,
	"field.required":       Error,
	"field.invalid":        Error,
	"field.unknown":        Error,
	"id.duplicate":         Error,
	"id.collision":         Error,
	"transition.illegal":   Error,
	"deadline.overdue":     Error,
	"deadline.missed":      Warning,
	"deadline.at_risk":     Warning,
	"history.deleted":      Error,
	"history.rewritten":    Error,
	"history.closed_edit":  Error,
	"history.backdated":    Error,
	"history.readded":      Error,
	"history.fact_changed": Error,
	"history.late_entry":   Warning,
	"history.shallow":      Warning,
	"commit.unsigned":      Error,
	"commit.no_author":     Error,
	"recusal.conflict":     Error,
	"pii.plaintext":        Error,
	"calendar.no_data":     Warning,
	"policy.invalid":       Error,
	"rule.failed":          Error,
	"escalation.required":  Error,
	"extension.invalid":    Error,
	"ack.unused":           Warning,
	"correction.recorded":  Info,
	"rekey.unchecked":      Warning,
	"correction.invalid":   Error,
	"body.too_complex":     Warning,
}

// Acknowledgeable lists the codes about the past that only a history
// rewrite could undo; only these may be acknowledged.
var Acknowledgeable = map[string]bool{
	"history.deleted":      true,
	"history.rewritten":    true,
	"history.closed_edit":  true,
	"history.backdated":    true,
	"history.readded":      true,
	"history.fact_changed": true,
	"history.late_entry":   true,
	"transition.illegal":   true,
	"commit.unsigned":      true,
	"commit.no_author":     true,
	"correction.invalid":   true,
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
