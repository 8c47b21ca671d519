package msg

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Languages a message can be read in.
const (
	Zh = "zh"
	En = "en"
)

// Text is one message in Chinese and in English.
type Text struct {
	Zh, En string
}

// T is a Text; it reads well at call sites: msg.T("未填", "not given").
func T(zh, en string) Text { return Text{Zh: zh, En: en} }

// Same is a Text that reads the same in both languages: an id, a path, a
// value as written.
func Same(s string) Text { return Text{Zh: s, En: s} }

// In returns the text in lang, falling back to the other language when
// that one is empty.
func (t Text) In(lang string) string {
	if lang == En && t.En != "" || t.Zh == "" {
		return t.En
	}
	return t.Zh
}

// IsZero reports whether the text is empty in both languages.
func (t Text) IsZero() bool { return t.Zh == "" && t.En == "" }

// String is the English text, for error strings read by programs and logs.
func (t Text) String() string { return t.In(En) }

// Args are the named arguments of a template: "{commit}" is replaced by
// Args["commit"] rendered in the template's language (see Arg).
type Args map[string]any

// Arg renders itself in a language. Text, Time and Label are Args; other
// values are printed with fmt.Sprint, ints and strings as they are.
type Arg interface {
	In(lang string) string
}

// Time is a moment shown in a time zone. In Chinese it reads
// "2026-11-24 23:59" (Clock) in Loc; in English
// it keeps RFC 3339 in the zone the time carries, as programs and older
// scripts read it.
type Time struct {
	T   time.Time
	Loc *time.Location
}

// At is a Time argument shown in loc (nil: the time's own zone).
func At(t time.Time, loc *time.Location) Time { return Time{T: t, Loc: loc} }

// In renders the time in lang.
func (t Time) In(lang string) string {
	if lang == En {
		return t.T.Format(time.RFC3339)
	}
	return Clock(t.T, t.Loc)
}

// Clock is how a moment reads to a clerk: "2026-11-24 23:59" in loc (nil:
// the time's own zone), to the minute: a day's end, 23:59:59, reads 23:59.
func Clock(t time.Time, loc *time.Location) string {
	if loc != nil {
		t = t.In(loc)
	}
	return t.Format(ClockLayout)
}

// ClockLayout is the layout of Clock.
const ClockLayout = "2006-01-02 15:04"

// Date is a day argument: "2026-11-24" in both languages.
type Date struct {
	T   time.Time
	Loc *time.Location
}

// In renders the day.
func (d Date) In(string) string {
	t := d.T
	if d.Loc != nil {
		t = t.In(d.Loc)
	}
	return t.Format("2006-01-02")
}

// Label is an id of the policy (a state, a field, a channel) shown by its
// label in Chinese; English keeps the id, which is what English readers
// type and search for and what the policy file holds. An empty Zh falls
// back to the id.
type Label struct {
	ID, Zh string
}

// In renders the label in lang.
func (l Label) In(lang string) string {
	if lang == En || l.Zh == "" {
		return l.ID
	}
	return l.Zh
}

// List is several arguments joined: "、" in Chinese, ", " in English.
type List []any

// In renders the list in lang.
func (l List) In(lang string) string {
	sep := ", "
	if lang != En {
		sep = "、"
	}
	parts := make([]string, len(l))
	for i, a := range l {
		parts[i] = render(a, lang)
	}
	return strings.Join(parts, sep)
}

func render(a any, lang string) string {
	switch v := a.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case Arg:
		return v.In(lang)
	case fmt.Stringer:
		return v.String()
	}
	return fmt.Sprint(a)
}

// With renders the template text in both languages: each "{name}" is
// replaced by args[name] in that language. "{{" is a literal "{". A name
// without an argument is left as "{name}", which the table tests catch.
func (t Text) With(args Args) Text {
	return Text{Zh: Render(t.Zh, Zh, args), En: Render(t.En, En, args)}
}

// Render fills one template in lang.
func Render(tmpl, lang string, args Args) string {
	if !strings.Contains(tmpl, "{") {
		return tmpl
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:i])
		tmpl = tmpl[i:]
		if strings.HasPrefix(tmpl, "{{") {
			b.WriteByte('{')
			tmpl = tmpl[2:]
			continue
		}
		j := strings.IndexByte(tmpl, '}')
		if j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		name := tmpl[1:j]
		if a, ok := args[name]; ok {
			b.WriteString(render(a, lang))
		} else {
			b.WriteString(tmpl[:j+1])
		}
		tmpl = tmpl[j+1:]
	}
}

// Names lists the argument names a template uses, in order, each once.
func Names(tmpl string) []string {
	var out []string
	seen := map[string]bool{}
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			return out
		}
		tmpl = tmpl[i:]
		if strings.HasPrefix(tmpl, "{{") {
			tmpl = tmpl[2:]
			continue
		}
		j := strings.IndexByte(tmpl, '}')
		if j < 0 {
			return out
		}
		if n := tmpl[1:j]; !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
		tmpl = tmpl[j+1:]
	}
}
