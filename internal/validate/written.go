package validate

import (
	"slices"
	"strconv"
	"strings"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
)

// NotAsWritten returns the unquoted values of c that sit in fields p
// declares string or text, and that YAML reads as something else than the
// text written (cases.Unquoted): `phone: 013800000000` is the number
// 13800000000 with its leading zero gone. Commands that would write such
// a value back from its parsed form refuse while it is there (rekey);
// edits are textual and leave it as it is.
func NotAsWritten(c *cases.Case, p *policy.Policy) []cases.Unquoted {
	var out []cases.Unquoted
	for _, u := range c.Unquoted {
		if textAt(p, u.Path) {
			out = append(out, u)
		}
	}
	return out
}

// checkWritten reports NotAsWritten values as field.invalid. It runs in
// validate only, not on the write commands' result: a set of another
// field leaves such a value byte for byte as it was, so it is no reason
// to refuse the edit.
func checkWritten(r *office.Record, p *policy.Policy) []Finding {
	var fs []Finding
	for _, u := range NotAsWritten(r.Case, p) {
		if slices.ContainsFunc(r.Case.FieldErrors, func(fe msg.FileError) bool { return fe.Path == u.Path }) {
			continue // a core field: the parser's finding already says to quote it
		}
		key := u.Path[strings.LastIndexByte(u.Path, '.')+1:]
		args := msg.Args{"path": fieldTerm(p, u.Path), "text": u.Text, "as": readAs[u.Kind], "quoted": strconv.Quote(u.Text), "key": key}
		variant := "unquoted"
		if _, err := strconv.Atoi(key); err == nil {
			list := u.Path[:strings.LastIndexByte(u.Path, '.')]
			variant, args["list"] = "unquoted_item", fieldTerm(p, list)
		}
		f := finding(r, "field.invalid", u.Path, "", "")
		f.Say(variant, args)
		f.Line = u.Line
		fs = append(fs, f)
	}
	return fs
}

// readAs says what YAML makes of an unquoted value of each kind.
var readAs = map[string]msg.Text{
	cases.UnquotedNumber: msg.T("数字", "a number"),
	cases.UnquotedBool:   msg.T("true/false（是非值）", "true/false"),
	cases.UnquotedNull:   msg.T("空值", "an empty value"),
	cases.UnquotedBool11: msg.T("YAML 1.1 中的 true/false（casebook 以外的许多工具这样读）", "true/false in YAML 1.1 (many tools other than casebook)"),
}

// textAt reports whether the value at a case key path ("complainant.phone",
// "tags.0", "extensions.1.reason") is declared string or text by p. A
// list's items are its item type (string unless the policy says other).
func textAt(p *policy.Policy, path string) bool {
	segs := strings.Split(path, ".")
	f, ok := p.Field(segs[0])
	if !ok {
		return false
	}
	t := f.Type
	for _, seg := range segs[1:] {
		switch {
		case t == policy.TypeList:
			if _, err := strconv.Atoi(seg); err != nil {
				return false
			}
			t = f.Items
			if t == "" {
				t = policy.TypeString
			}
		case len(f.Fields) > 0:
			sub := fieldNamed(f.Fields, seg)
			if sub == nil {
				return false
			}
			f, t = sub, sub.Type
		default:
			return false
		}
	}
	return t == policy.TypeString || t == policy.TypeText
}

func fieldNamed(fs []policy.Field, name string) *policy.Field {
	for i := range fs {
		if fs[i].Name == name {
			return &fs[i]
		}
	}
	return nil
}
