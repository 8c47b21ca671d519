package clerk

import (
	"fmt"
	"strings"

	"github.com/casebook/casebook/internal/msg"
)

// InputError is a bad argument or a bad file: the command exits 2 and
// changes nothing.
type InputError struct {
	Msg, Fix string
	// MsgZh and FixZh are the Chinese words, where they are written; the
	// English ones stand in for them where not.
	MsgZh, FixZh string
}

func (e *InputError) Error() string { return e.In(msg.En) }

// In is the error in lang.
func (e *InputError) In(lang string) string {
	if lang != msg.En && e.MsgZh != "" {
		if e.FixZh == "" {
			return e.MsgZh
		}
		return e.MsgZh + "（修正：" + e.FixZh + "）"
	}
	if e.Fix == "" {
		return e.Msg
	}
	return e.Msg + " (fix: " + e.Fix + ")"
}

// ForbiddenError is an action the policy does not allow (an illegal move,
// a move without what the target state requires): exit 1, nothing changes.
type ForbiddenError struct {
	Msg      string
	Problems []string // one line each: what is missing or wrong, and how to fix it
	// MsgZh and ProblemsZh are the Chinese words, where they are written.
	MsgZh      string
	ProblemsZh []string
}

func (e *ForbiddenError) Error() string { return e.In(msg.En) }

// In is the error in lang.
func (e *ForbiddenError) In(lang string) string {
	m, ps, sep := e.Msg, e.Problems, ":\n  "
	if lang != msg.En && e.MsgZh != "" {
		m, ps, sep = e.MsgZh, e.ProblemsZh, "：\n  "
	}
	if len(ps) == 0 {
		return m
	}
	return m + sep + strings.Join(ps, "\n  ")
}

var (
	_ msg.Localized = (*InputError)(nil)
	_ msg.Localized = (*ForbiddenError)(nil)
)

// MissingError lists the fields a new case still needs. A command on a
// terminal asks for them; elsewhere it fails with the list.
type MissingError struct {
	Paths []string
}

func (e *MissingError) Error() string {
	var flags, sets []string
	for _, p := range e.Paths {
		switch p {
		case "title", "channel", "category":
			flags = append(flags, "--"+p)
		default:
			sets = append(sets, "--set "+p+"=...")
		}
	}
	return fmt.Sprintf("missing required fields: %s (fix: give %s)", strings.Join(e.Paths, ", "), strings.Join(append(flags, sets...), " "))
}
