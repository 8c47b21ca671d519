package policy

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/casebook/casebook/internal/msg"
)

// DefaultOfficePlaceholder is the words a procedure's text writes for the
// office when the policy names no office_placeholder.
const DefaultOfficePlaceholder = "某某"

// MaxOfficeName is the longest office name, in characters, a policy
// accepts: a name is printed in page headers and form titles.
const MaxOfficeName = 100

// OfficeText is s with the procedure's words for the office (the policy's
// office_placeholder, 某某 by default) replaced by the office's name; s
// as it is when the policy names no office.
func (p *Policy) OfficeText(s string) string {
	if p == nil || p.Office == "" {
		return s
	}
	mark := p.OfficePlaceholder
	if mark == "" {
		mark = DefaultOfficePlaceholder
	}
	return strings.ReplaceAll(s, mark, p.Office)
}

// OfficeName is the name of the office the set's policies name: the
// repository's own policies (every policy without them), each name once,
// joined with "、"; empty when none names one.
func (s *Set) OfficeName() string {
	var names []string
	seen := map[string]bool{}
	for _, id := range s.Scope() {
		p := s.byID[id]
		if p == nil || p.Office == "" || seen[p.Office] {
			continue
		}
		seen[p.Office] = true
		names = append(names, p.Office)
	}
	return strings.Join(names, "、")
}

// officeNameProblem says what is wrong with an office name or placeholder
// as the policy writes it, in both languages, with a %s for the key and
// a %q for the value; the zero Text when it is fine or not given.
func officeNameProblem(s string) msg.Text {
	switch {
	case s == "":
		return msg.Text{}
	case strings.TrimSpace(s) != s:
		return msg.T("%s %q 的开头或结尾有空格", "%s %q starts or ends with spaces")
	case utf8.RuneCountInString(s) > MaxOfficeName:
		return msg.T("%s %q 超过 100 个字", "%s %q is longer than 100 characters")
	case strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) || r == utf8.RuneError }) >= 0:
		return msg.T("%s %q 含有换行或其他控制字符", "%s %q holds a line break or another control character")
	}
	return msg.Text{}
}
