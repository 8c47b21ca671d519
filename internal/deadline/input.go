package deadline

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/policy"
)

// Extension is one approved extension of a deadline, an entry of the case's
// `extensions` list. Exactly one of Until and By is set.
type Extension struct {
	Rule string
	// Until moves the due time to the end of this date.
	Until *calendar.Date
	// By adds this period to the due time.
	By         *calendar.Period
	ApprovedBy string
	ApprovedAt time.Time
	Reason     string
	// Index is the entry's position in the list, for Problem.Field.
	Index int
	// DueBefore and DueAfter are set on the extensions a Clock applied
	// (Clock.Extensions): its due time before this extension and after
	// it, before any pause moved it.
	DueBefore, DueAfter time.Time
}

var extensionKeys = []string{"rule", "until", "by", "approved_by", "approved_at", "reason"}

// ParseExtensions reads the case's `extensions` list:
//
//	extensions:
//	  - {rule: verify, until: 2026-12-31, approved_by: 张某, approved_at: 2026-10-01T10:00:00+08:00, reason: 情况复杂}
//
// (`by: "30 calendar_days"` instead of until). Entries with a problem are
// reported and left out; whether the policy allows them is Compute's job.
func ParseExtensions(fields map[string]any) ([]Extension, []Problem) {
	raw, ok := fields["extensions"]
	if !ok || raw == nil {
		return nil, nil
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, []Problem{{Field: "extensions", Msg: msg.T(fmt.Sprintf("extensions 是 %T，不是列表", raw), fmt.Sprintf("extensions is a %T, not a list", raw)),
			Fix: msg.T("写成列表：extensions: [{rule: ..., until: YYYY-MM-DD, approved_by: ...}]", "write a list: extensions: [{rule: ..., until: YYYY-MM-DD, approved_by: ...}]")}}
	}
	var exts []Extension
	var problems []Problem
	for i, item := range list {
		e, ps := parseExtension(i, item)
		problems = append(problems, ps...)
		if ps == nil {
			exts = append(exts, e)
		}
	}
	return exts, problems
}

func parseExtension(i int, item any) (Extension, []Problem) {
	e := Extension{Index: i}
	var problems []Problem
	bad := func(key string, fix, m msg.Text) {
		f := fmt.Sprintf("extensions[%d]", i)
		if key != "" {
			f += "." + key
		}
		problems = append(problems, Problem{Rule: e.Rule, Field: f, Msg: m, Fix: fix})
	}
	m, ok := asMap(item)
	if !ok {
		bad("", msg.T("写成映射：{rule: ..., until: YYYY-MM-DD, approved_by: ...}", "write a mapping: {rule: ..., until: YYYY-MM-DD, approved_by: ...}"),
			msg.T(fmt.Sprintf("这一项是 %T，不是映射", item), fmt.Sprintf("entry is a %T, not a mapping", item)))
		return e, problems
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys) // report in a stable order
	for _, k := range keys {
		if !slices.Contains(extensionKeys, k) {
			bad(k, msg.T("只用 "+strings.Join(extensionKeys, "、"), "use only "+strings.Join(extensionKeys, ", ")), msg.T(fmt.Sprintf("未知的键 %q", k), fmt.Sprintf("unknown key %q", k)))
		}
	}
	str := func(key string) string {
		v, ok := m[key]
		if !ok || v == nil {
			return ""
		}
		s, ok := v.(string)
		if !ok {
			bad(key, msg.T("写成文本", "write text"), msg.T(fmt.Sprintf("%s 是 %T，不是文本", key, v), fmt.Sprintf("%s is a %T, not text", key, v)))
		}
		return strings.TrimSpace(s)
	}
	e.Rule = str("rule")
	if e.Rule == "" {
		bad("rule", msg.T("写明延长的是哪个时限，例如 rule: verify", "name the deadline it extends, e.g. rule: verify"), msg.T("延期没有写明时限（rule）", "extension names no rule"))
	}
	if v, ok := m["until"]; ok && v != nil {
		var d calendar.Date
		var err error
		switch v := v.(type) {
		case time.Time:
			d = calendar.DateOf(v, nil)
		case string:
			d, err = calendar.ParseDate(v)
		default:
			err = fmt.Errorf("until is a %T, not a date", v)
		}
		if err != nil {
			bad("until", msg.T("写日期，例如 until: 2026-12-31", "write a date, e.g. until: 2026-12-31"), msg.Same(err.Error()))
		} else {
			e.Until = &d
		}
	}
	if s := str("by"); s != "" {
		if p, err := calendar.ParsePeriod(s); err != nil {
			bad("by", msg.T("例如写 by: \"30 calendar_days\"", "write e.g. by: \"30 calendar_days\""), msg.Same(err.Error()))
		} else {
			e.By = &p
		}
	}
	if (e.Until == nil) == (e.By == nil) && !hasKeyProblem(problems, i, "until", "by") {
		bad("", untilOrByFix, untilOrBy)
	}
	e.ApprovedBy = str("approved_by")
	if e.ApprovedBy == "" {
		bad("approved_by", approverFix, noApprover)
	}
	if v, ok := m["approved_at"]; ok && v != nil {
		switch v := v.(type) {
		case time.Time:
			e.ApprovedAt = v
		case string:
			t, err := time.Parse(time.RFC3339, strings.TrimSpace(v))
			if err != nil {
				bad("approved_at", rfc3339Fix, msg.T(fmt.Sprintf("approved_at %q 不是带时区的时间", v), fmt.Sprintf("approved_at %q is not a time with offset", v)))
			}
			e.ApprovedAt = t
		default:
			bad("approved_at", rfc3339Fix, msg.T(fmt.Sprintf("approved_at 是 %T，不是时间", v), fmt.Sprintf("approved_at is a %T, not a time", v)))
		}
	}
	e.Reason = str("reason")
	for j := range problems {
		problems[j].Rule = e.Rule
	}
	return e, problems
}

// Words shared by the extension checks here and in Compute.
var (
	rfc3339Fix   = msg.T("写 RFC 3339 时间，例如 2026-10-01T10:00:00+08:00", "write an RFC 3339 time, e.g. 2026-10-01T10:00:00+08:00")
	approverFix  = msg.T("写明批准人，例如 approved_by: 张某", "name who approved it, e.g. approved_by: 张某")
	noApprover   = msg.T("延期没有批准人", "extension has no approver")
	untilOrByFix = msg.T("until: YYYY-MM-DD 和 by: \"<N> <unit>\" 二选一", "give either until: YYYY-MM-DD or by: \"<N> <unit>\"")
	untilOrBy    = msg.T("延期必须写 until 或 by，且只能写一个", "extension needs exactly one of until and by")
)

func hasKeyProblem(ps []Problem, i int, keys ...string) bool {
	for _, p := range ps {
		for _, k := range keys {
			if p.Field == fmt.Sprintf("extensions[%d].%s", i, k) {
				return true
			}
		}
	}
	return false
}

func asMap(v any) (map[string]any, bool) {
	switch m := v.(type) {
	case map[string]any:
		return m, true
	case map[any]any:
		out := make(map[string]any, len(m))
		for k, v := range m {
			out[fmt.Sprint(k)] = v
		}
		return out, true
	}
	return nil, false
}

// bareLayouts are the local-time layouts accepted for datetime fields
// without an offset; they are read in the calendar's time zone.
var bareLayouts = []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04", time.DateOnly}

// fieldTime reads the datetime at a dotted path of fields. ok is false when
// the field is absent or empty.
func fieldTime(fields map[string]any, path string, loc *time.Location) (t time.Time, ok bool, err error) {
	var v any = fields
	for _, k := range strings.Split(path, ".") {
		m, isMap := asMap(v)
		if !isMap {
			return time.Time{}, false, nil
		}
		v = m[k]
	}
	switch v := v.(type) {
	case nil:
		return time.Time{}, false, nil
	case time.Time:
		// YAML reads a bare date as midnight UTC; it means the local day.
		if v.Location() == time.UTC && v.Hour() == 0 && v.Minute() == 0 && v.Second() == 0 && v.Nanosecond() == 0 {
			return calendar.DateOf(v, nil).At(0, 0, 0, loc), true, nil
		}
		return v, true, nil
	case string:
		s := strings.TrimSpace(v)
		if s == "" {
			return time.Time{}, false, nil
		}
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t, true, nil
		}
		for _, layout := range bareLayouts {
			if t, err := time.ParseInLocation(layout, s, loc); err == nil {
				return t, true, nil
			}
		}
		return time.Time{}, false, fmt.Errorf("%s: %q is not a time", path, s)
	}
	return time.Time{}, false, fmt.Errorf("%s is a %T, not a time", path, v)
}

// CalendarFor builds the calendar of a policy: its time zone (Location, or
// Timezone, or policy.DefaultTimezone), the office's calendar file, its
// calendar overrides and business hours.
// On an error it still returns a usable calendar without the faulty parts.
func CalendarFor(p *policy.Policy) (*calendar.Calendar, error) {
	var errs []error
	loc := p.Location
	if loc == nil {
		var err error
		if p.Timezone == "" {
			loc, err = policy.DefaultLocation()
		} else {
			loc, err = time.LoadLocation(p.Timezone)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("policy %s: timezone %q: %w (install tzdata, or build with the time/tzdata package)", p.ID, p.Timezone, err))
			if loc == nil {
				loc, _ = policy.DefaultLocation()
			}
		}
	}
	var overrides []calendar.Override
	add := func(days []policy.CalendarDay, working bool, key string) {
		for i, d := range days {
			date, err := calendar.ParseDate(d.Date)
			if err != nil {
				errs = append(errs, fmt.Errorf("policy %s: calendar.%s[%d]: %w", p.ID, key, i, err))
				continue
			}
			overrides = append(overrides, calendar.Override{Date: date, Working: working, Name: d.Name})
		}
	}
	add(p.Calendar.Holidays, false, "holidays")
	add(p.Calendar.Workdays, true, "workdays")
	// Precedence, highest first: the policy's overrides, the office's
	// days of the calendar file, the file's years, lunar-go.
	opts := []calendar.Option{calendar.WithFile(p.OfficeCalendar), calendar.WithOverrides(overrides)}
	if bh := p.BusinessHours; bh != nil {
		if h, err := bh.OpeningHours(); err != nil {
			errs = append(errs, fmt.Errorf("policy %s: business_hours: %w", p.ID, err))
		} else {
			opts = append(opts, calendar.WithOpeningHours(h))
		}
	}
	cal := calendar.New(loc, opts...)
	if err := cal.Err(); err != nil {
		errs = append(errs, fmt.Errorf("policy %s: %w", p.ID, err))
	}
	return cal, errors.Join(errs...)
}
