package validate

import (
	"fmt"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
)

// coreRequired are the fields every case carries whatever its state, in
// the order they are reported. policy is required only where the
// repository has several policies (checkRecord).
var coreRequired = []string{policy.FieldTitle, policy.FieldStatus, policy.FieldReceivedAt, policy.FieldChannel}

// earliestReceived is the earliest received_at accepted: no office kept
// its cases in casebook before, and a year such as 1926 is a typing slip.
var earliestReceived = [3]int{1990, 1, 1}

// receivedSlack is how far after --now a received_at may lie: clocks of
// clerks and servers disagree, a day never.
const receivedSlack = 24 * time.Hour

// blank reports whether the top-level key is missing, empty or only white
// space. A value of another type is not blank: the parser reports it.
func blank(c *cases.Case, key string) bool {
	v, ok := c.Fields[key]
	if !ok || v == nil {
		return true
	}
	s, isString := v.(string)
	return isString && strings.TrimSpace(s) == ""
}

// requiredLine is the line of a required key: the key itself when it is
// written (empty), else the line of `id`, else the front-matter's.
func requiredLine(c *cases.Case, key string) int {
	if _, ok := c.Fields[key]; ok {
		return c.Line(key)
	}
	return c.Line(policy.FieldID)
}

// checkCoreFields reports the core fields that are missing or empty and a
// received_at outside 1990-01-01 .. now plus a day. p may be nil (the
// case's policy is unknown); messages then name the keys only. Nothing here
// depends on the status, so a case without one is still checked in full.
func checkCoreFields(c *cases.Case, p *policy.Policy, now time.Time) []Finding {
	var fs []Finding
	label := func(key string) string {
		if p == nil {
			return key
		}
		return key + " (" + p.Label("field", key, "zh") + ")"
	}
	for _, key := range coreRequired {
		if !blank(c, key) {
			continue
		}
		what := "missing"
		if _, ok := c.Fields[key]; ok {
			what = "empty"
		}
		fs = append(fs, Finding{Severity: severityOf("field.required"), Code: "field.required", Case: c.ID, File: c.File, Line: requiredLine(c, key), Field: key,
			Message: fmt.Sprintf("%s is required in every case, and it is %s", label(key), what),
			Fix:     fmt.Sprintf("write `%s:` with its value in the front-matter%s", key, coreExample(p, key))})
	}
	if !c.ReceivedAt.IsZero() {
		loc := time.UTC
		if p != nil && p.Location != nil {
			loc = p.Location
		}
		earliest := time.Date(earliestReceived[0], time.Month(earliestReceived[1]), earliestReceived[2], 0, 0, 0, 0, loc)
		at := c.ReceivedAt.Format(time.RFC3339)
		line := c.Line(policy.FieldReceivedAt)
		switch {
		case c.ReceivedAt.Before(earliest):
			fs = append(fs, Finding{Severity: severityOf("field.invalid"), Code: "field.invalid", Case: c.ID, File: c.File, Line: line, Field: policy.FieldReceivedAt,
				Message: fmt.Sprintf("received_at %s is before %s: no case of this office is that old", at, earliest.Format("2006-01-02")),
				Fix:     "check the year, and write the moment the case was received, e.g. received_at: 2026-09-30T10:00:00+08:00"})
		case !now.IsZero() && c.ReceivedAt.After(now.Add(receivedSlack)):
			fs = append(fs, Finding{Severity: severityOf("field.invalid"), Code: "field.invalid", Case: c.ID, File: c.File, Line: line, Field: policy.FieldReceivedAt,
				Message: fmt.Sprintf("received_at %s is more than a day after now (%s): a case cannot be received in the future", at, now.Format(time.RFC3339)),
				Fix:     "check the date and its offset (+08:00), or pass the right --now"})
		}
	}
	return fs
}

// coreExample is a short example value for a core field's fix.
func coreExample(p *policy.Policy, key string) string {
	switch key {
	case policy.FieldReceivedAt:
		return ", e.g. received_at: 2026-09-30T10:00:00+08:00"
	case policy.FieldStatus:
		if p != nil && p.InitialState() != "" {
			return ", e.g. status: " + p.InitialState()
		}
	case policy.FieldChannel:
		if p != nil && len(p.Channels) > 0 {
			return ", one of: " + strings.Join(p.EnumValues(policy.FieldChannel), ", ")
		}
	}
	return ""
}

// checkIDField reports a missing id, an id that is not exactly the
// policy's PREFIX-YYYY-digits in ASCII (also when it equals the file
// name: a look-alike file name is as misleading as a look-alike id), and
// an id that differs from its file name. prefix is "" when the policy is
// unknown. No fix names a path made of a wrong id: "../../x" would name a
// file outside cases/.
func checkIDField(r *office.Record, prefix, policyID string) []Finding {
	c := r.Case
	stem := cases.StemID(c.File)
	stemOK := idShape(stem, prefix) == ""
	if blank(c, policy.FieldID) {
		if _, isString := c.Fields[policy.FieldID].(string); !isString && c.Fields[policy.FieldID] != nil {
			return nil // the parser reports an id of the wrong type
		}
		fix := "write `id:` with the case's id"
		if stemOK {
			fix = fmt.Sprintf("add `id: %s` (the file name without .md)", stem)
		}
		what := "missing"
		if _, ok := c.Fields[policy.FieldID]; ok {
			what = "empty"
		}
		return []Finding{{Severity: severityOf("field.required"), Code: "field.required", Case: c.ID, File: c.File, Line: c.Line(policy.FieldID), Field: policy.FieldID,
			Message: fmt.Sprintf("id (编号) is required in every case, and it is %s", what), Fix: fix}}
	}
	id := c.ID
	if msg := idShape(id, prefix); msg != "" {
		return []Finding{finding(r, "field.invalid", policy.FieldID, msg, idFix(id, stem, stemOK, prefix, policyID))}
	}
	if id != stem {
		fix := fmt.Sprintf("rename the file to %s.md", id)
		if stemOK {
			fix += fmt.Sprintf(" or set `id: %s`", stem)
		}
		return []Finding{finding(r, "field.invalid", policy.FieldID, fmt.Sprintf("id %q does not match the file name %q", id, stem), fix)}
	}
	return nil
}

// idFix says how to repair an id idShape rejects. It offers the file name
// when that is a good id, or the id with its look-alike characters made
// ASCII when that is one; never the id as written.
func idFix(id, stem string, stemOK bool, prefix, policyID string) string {
	if stemOK && stem != id {
		return fmt.Sprintf("set `id: %s` (the file name)", stem)
	}
	shape := "PREFIX-YYYY-NNNN"
	if prefix != "" {
		shape = prefix + "-YYYY-NNNN"
	}
	if ascii := asciiSkeleton(id); ascii != id && idShape(ascii, prefix) == "" {
		return fmt.Sprintf("retype the id in plain ASCII as %s, in `id:` and in the file name", ascii)
	}
	if prefix != "" {
		return fmt.Sprintf("give the case an id of policy %s, %s in ASCII letters, digits and hyphens, in `id:` and in the file name (or set `policy:` to the policy the id belongs to)", policyID, shape)
	}
	return fmt.Sprintf("write the id as %s in ASCII letters, digits and hyphens, in `id:` and in the file name", shape)
}

// IDShape says why id is not a well-formed id of the policy prefix ("" when
// it is one), for the commands that give a case an id (see idShape).
func IDShape(id, prefix string) string { return idShape(id, prefix) }

// idShape says why id is not exactly prefix, "-", a four-digit year, "-"
// and ASCII digits ("" when it is). With prefix "" (policy unknown) any
// upper-case letters and digits starting with a letter pass as a prefix.
// A look-alike character is named with its position.
func idShape(id, prefix string) string {
	pos := 0
	for _, r := range id {
		pos++
		if r < 0x80 {
			continue
		}
		name, advice := lookAlike(r)
		return fmt.Sprintf("id %q has %s at position %d; %s", id, name, pos, advice)
	}
	if !wellFormedID(id) {
		return fmt.Sprintf("id %q is not a case id: ids are letters, digits and hyphens", id)
	}
	p, rest, ok := strings.Cut(id, "-")
	switch {
	case prefix != "" && p != prefix:
		return fmt.Sprintf("id %q does not start with %s-, the prefix of its policy", id, prefix)
	case prefix == "" && !upperPrefix(p):
		return fmt.Sprintf("id %q does not start with an upper-case prefix such as BANK-", id)
	case !ok || !yearAndNumber(rest):
		shape := "PREFIX"
		if prefix != "" {
			shape = prefix
		}
		return fmt.Sprintf("id %q is not %s-YYYY-NNNN: a four-digit year and a number after the prefix", id, shape)
	}
	return ""
}

func upperPrefix(s string) bool {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !(s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9') {
			return false
		}
	}
	return true
}

// yearAndNumber reports whether s is YYYY-digits in ASCII.
func yearAndNumber(s string) bool {
	year, num, ok := strings.Cut(s, "-")
	return ok && len(year) == 4 && asciiDigits(year) && num != "" && asciiDigits(num)
}

func asciiDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
