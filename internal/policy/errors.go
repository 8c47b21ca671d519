package policy

import (
	"github.com/casebook/casebook/internal/msg"
)

// report turns collected problems into the error Load returns: nil, the
// single *msg.FileError, or msg.FileErrors sorted by position.
func report(es msg.FileErrors) error {
	switch len(es) {
	case 0:
		return nil
	case 1:
		return es[0]
	}
	es.Sort()
	return es
}

// cat is t with zh and en appended: a place named in a message
// ("rule "x"") grown into a longer one ("rule "x" when").
func cat(t msg.Text, zh, en string) msg.Text { return msg.T(t.Zh+zh, t.En+en) }

// oneOf is the fix that lists what may be written instead.
func oneOf(list string) msg.Text {
	return msg.T("用其中之一：%s", "use one of: %s").Sprintf(list)
}

// Fixes several checks share.
var (
	oneWordFix     = msg.T("只用字母、数字、_ 和 -", "use letters, digits, _ and -")
	anotherIDFix   = msg.T("换一个 id", "choose another id")
	anotherNameFix = msg.T("换一个名字", "choose another name")
	addIDFix       = msg.T("加上 id:", "add id:")
	yamlFix        = msg.T("改正 YAML 写法", "correct the YAML syntax")
	durationFix    = msg.T(`写成「<数> <单位>」，单位用 working_days、calendar_days、months、hours 或 minutes（"0 calendar_days" 表示当天）`,
		`write "<N> <unit>", unit working_days, calendar_days, months, hours or minutes ("0 calendar_days" is the same day)`)
	spanFix = msg.T(`写成 "HH:MM-HH:MM"，如 "08:30-12:00"`, `write "HH:MM-HH:MM", e.g. "08:30-12:00"`)
)
