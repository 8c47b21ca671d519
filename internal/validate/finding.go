package validate

import (
	"regexp"
	"sort"
	"strings"

	"github.com/casebook/casebook/internal/msg"
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
	// Message and Fix are in English; MessageZh and FixZh in Chinese.
	// JSON carries both, so that its output does not depend on the
	// reader's language; text, github and junit print one (Text).
	Message   string `json:"message"`
	Fix       string `json:"fix,omitempty"`
	MessageZh string `json:"message_zh,omitempty"`
	FixZh     string `json:"fix_zh,omitempty"`
	Commit    string `json:"commit,omitempty"`
	Rule      string `json:"rule,omitempty"`
	// Field is the path of the field the finding is about
	// ("complainant.phone"), empty when it is about no one field.
	Field string `json:"field,omitempty"`
	// Acknowledged is set when policies/acknowledged.yaml accepts the
	// finding; its severity is then info.
	Acknowledged *Ack `json:"acknowledged,omitempty"`
}

// SetText sets the message and fix in both languages.
func (f *Finding) SetText(m, fix msg.Text) {
	f.Message, f.MessageZh = m.En, m.Zh
	f.Fix, f.FixZh = fix.En, fix.Zh
}

// Text is the message and fix in lang; a finding that has no Chinese words
// reads in English.
func (f Finding) Text(lang string) (message, fix string) {
	m := msg.Text{Zh: f.MessageZh, En: f.Message}
	x := msg.Text{Zh: f.FixZh, En: f.Fix}
	if lang != msg.En && f.MessageZh == "" {
		// a message only in English keeps its English fix beside it
		return f.Message, f.Fix
	}
	return m.In(lang), x.In(lang)
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

// unfilled is a template argument left in a message: a "{name}" that no
// argument filled.
var unfilled = regexp.MustCompile(`\{[a-z_]+\}`)

// WordsProblem says what is wrong with a finding's words, or "" when they
// are whole: Chinese words missing (a place that reports the code without
// its variant in Table), an argument left unfilled, or Markdown backticks
// in the Chinese words, which the site would show as they are. Tests run it
// over every finding (CASEBOOK_CHECK_WORDS).
func WordsProblem(f Finding) string {
	switch {
	case f.MessageZh == "":
		return "no Chinese message"
	case f.Fix != "" && f.FixZh == "":
		return "no Chinese fix"
	case unfilled.MatchString(f.MessageZh + f.FixZh + f.Message + f.Fix):
		return "an argument left unfilled"
	case strings.Contains(f.MessageZh+f.FixZh, "`"):
		return "Markdown backticks in the Chinese words"
	}
	return ""
}
