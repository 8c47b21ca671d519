package msg

import (
	"errors"
	"fmt"
	"strings"
)

// Sprintf formats both languages of t with args, as fmt.Sprintf does: the
// printf form of a message, for the places whose English has always been
// built with fmt (a verb may name its argument, %[2]s, where Chinese puts
// the words in another order). An argument that says itself in a language
// (an Arg: a Text, a Label, a Time, a *FileError) is rendered in each
// language first, and so is an error that wraps a Localized one, so %s and
// %q see the words of that language.
func (t Text) Sprintf(args ...any) Text {
	return Text{Zh: fmt.Sprintf(t.Zh, in(args, Zh)...), En: fmt.Sprintf(t.En, in(args, En)...)}
}

func in(args []any, lang string) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case Arg:
			out[i] = v.In(lang)
		case error:
			out[i] = ErrorIn(v, lang)
		default:
			out[i] = a
		}
	}
	return out
}

// ErrorIn is err in lang. When err is or wraps a Localized error, that
// error's words in lang take the place of its English in err's text, so
// that what a wrapper added around it ("read policy x: ...") stays; any
// other error reads as it is.
func ErrorIn(err error, lang string) string {
	var l Localized
	if !errors.As(err, &l) {
		return err.Error()
	}
	s, en := err.Error(), l.Error()
	if i := strings.LastIndex(s, en); i >= 0 {
		return s[:i] + l.In(lang) + s[i+len(en):]
	}
	return s
}

// Has reports whether the text is whole, in Chinese and in English, and
// holds s in one of the two. Tests use it to check a message's words.
func (t Text) Has(s string) bool {
	return t.Zh != "" && t.En != "" && (strings.Contains(t.En, s) || strings.Contains(t.Zh, s))
}

// Errorf is the error of a value that does not read, in both languages: a
// *FileError without a place yet, which the caller that knows where the
// value was written can place (set File and Line, or take its Msg), and
// which reads as its message alone until then.
func Errorf(format Text, args ...any) error {
	return &FileError{Msg: format.Sprintf(args...)}
}
