package policy

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/msg"
)

// LangIDs asks ValueText for the values as files hold them: ids, not
// labels (`--ids`).
const LangIDs = "ids"

// TimeLayout is how a time reads for people: "2026-11-24 23:59".
const TimeLayout = msg.ClockLayout

// TimeText is t in the policy's time zone as TimeLayout; the zero time is
// "".
func (p *Policy) TimeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if p != nil && p.Location != nil {
		t = t.In(p.Location)
	}
	return t.Format(TimeLayout)
}

// ValueText writes the front-matter value at path for people, in lang
// ("zh", "en" or LangIDs): a value of an enum field (status, channel,
// category, a policy's own enum) by its label, true and false as 是/否
// (yes/no), a date and time in the policy's time zone as TimeLayout, list
// items joined by ", " and an object as "{key: value}" in key order, each
// sub-value read for its own sub-field. With LangIDs values print as
// written, times still in the policy's zone. It is the one value-to-text
// function of the CLI and the site.
func (p *Policy) ValueText(path string, v any, lang string) string {
	switch x := v.(type) {
	case nil:
		return ""
	case []any:
		parts := make([]string, len(x))
		for i, it := range x {
			parts[i] = p.ValueText(path, it, lang)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ": " + p.ValueText(strings.TrimPrefix(path+"."+k, "."), x[k], lang)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case time.Time:
		return p.TimeText(x)
	case bool:
		if lang == LangIDs {
			return strconv.FormatBool(x)
		}
		if lang == "en" {
			return map[bool]string{true: "yes", false: "no"}[x]
		}
		return map[bool]string{true: "是", false: "否"}[x]
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		// A written date and time: RFC 3339 with an offset.
		if at, err := time.Parse(time.RFC3339, x); err == nil {
			return p.TimeText(at)
		}
		if p == nil || lang == LangIDs {
			return x
		}
		return p.Label("value:"+path, x, lang)
	}
	return fmt.Sprint(v)
}
