package clerk

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/yamltext"
)

// ParseAssignment splits a command-line `k=v` into the field path and the
// raw value.
func ParseAssignment(s string) (path, raw string, err error) {
	k, v, ok := strings.Cut(s, "=")
	k = strings.TrimSpace(k)
	if !ok || k == "" {
		return "", "", &InputError{Msg: fmt.Sprintf("%q is not k=v", s), Fix: "write the field path, an equals sign and the value, e.g. complainant.phone=13800000000"}
	}
	return k, v, nil
}

// ParseValue turns a raw command-line value into the Go value the policy's
// field type wants, so the file holds a number for a money field and a
// list for a list field. Times are checked and kept as text.
func ParseValue(p *policy.Policy, path, raw string) (any, error) {
	f, ok := p.Field(path)
	if !ok {
		return nil, &InputError{Msg: fmt.Sprintf("policy %s declares no field %q", p.ID, path),
			Fix: "check the spelling (casebook policy show " + p.ID + " lists the fields), or declare it in policies/" + p.ID + ".yaml"}
	}
	bad := func(want, example string) error {
		return &InputError{Msg: fmt.Sprintf("%s=%q: %s", path, raw, want), Fix: "write e.g. " + path + "=" + example}
	}
	because := func(want, cause string) string {
		if cause == "" {
			return want
		}
		return want + ": " + cause
	}
	raw = strings.TrimSpace(raw)
	switch f.Type {
	case policy.TypeNumber, policy.TypeMoney:
		x, err := strconv.ParseFloat(strings.ReplaceAll(raw, ",", ""), 64)
		if err != nil {
			return nil, bad(because("not a number", yamltext.NumberCause(raw)), "50000")
		}
		if x == float64(int64(x)) {
			return int(x), nil
		}
		return x, nil
	case policy.TypeInt:
		n, err := strconv.Atoi(raw)
		if err != nil {
			return nil, bad(because("not a whole number", yamltext.NumberCause(raw)), "25")
		}
		return n, nil
	case policy.TypeBool:
		switch strings.ToLower(raw) {
		case "true", "yes", "y", "1", "是":
			return true, nil
		case "false", "no", "n", "0", "否":
			return false, nil
		}
		return nil, bad("not yes or no", "yes")
	case policy.TypeDate:
		if _, err := calendar.ParseDate(raw); err != nil {
			return nil, bad(because("not a date", yamltext.TimeCause(raw)), "2026-10-08")
		}
		return raw, nil
	case policy.TypeDateTime:
		t, ok := p.ParseTime(raw)
		if !ok {
			return nil, bad(because("not a date and time", yamltext.TimeCause(raw)), "2026-10-08T09:30:00+08:00")
		}
		return t.Format(time.RFC3339), nil
	case policy.TypeEnum:
		// A label names its value as well as the id; the file holds the id.
		return p.Resolve("value:"+path, raw)
	case policy.TypeList:
		if raw == "" {
			return []any{}, nil
		}
		var out []any
		for _, it := range strings.Split(raw, ",") {
			out = append(out, strings.TrimSpace(it))
		}
		return out, nil
	case policy.TypeObject, policy.TypePerson, policy.TypeApproval:
		return nil, &InputError{Msg: fmt.Sprintf("%s is a group of fields", path), Fix: "set its parts one by one, e.g. " + path + "." + firstSub(f) + "=..."}
	}
	return raw, nil
}

func firstSub(f *policy.Field) string {
	if len(f.Fields) > 0 {
		return f.Fields[0].Name
	}
	return "name"
}
