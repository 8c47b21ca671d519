package validate

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/msg"
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
	for _, key := range coreRequired {
		if !blank(c, key) {
			continue
		}
		f := Finding{Severity: severityOf("field.required"), Code: "field.required", Case: c.ID, File: c.File, Line: requiredLine(c, key), Field: key}
		f.Say("core", msg.Args{"field": coreName(p, key), "what": missingOrEmpty(c, key), "key": key, "example": coreExample(p, key)})
		fs = append(fs, f)
	}
	if !c.ReceivedAt.IsZero() {
		loc := time.UTC
		if p != nil && p.Location != nil {
			loc = p.Location
		}
		earliest := time.Date(earliestReceived[0], time.Month(earliestReceived[1]), earliestReceived[2], 0, 0, 0, 0, loc)
		args := msg.Args{"field": termOf(p, "field", policy.FieldReceivedAt), "at": msg.At(c.ReceivedAt, loc)}
		variant := ""
		switch {
		case c.ReceivedAt.Before(earliest):
			variant, args["earliest"] = "received_too_early", msg.Date{T: earliest}
		case !now.IsZero() && c.ReceivedAt.After(now.Add(receivedSlack)):
			variant, args["now"] = "received_future", msg.At(now, loc)
		}
		if variant != "" {
			f := Finding{Severity: severityOf("field.invalid"), Code: "field.invalid", Case: c.ID, File: c.File, Line: c.Line(policy.FieldReceivedAt), Field: policy.FieldReceivedAt}
			f.Say(variant, args)
			fs = append(fs, f)
		}
	}
	return fs
}

// missingOrEmpty says whether a blank key is missing or written empty.
func missingOrEmpty(c *cases.Case, key string) msg.Text {
	if _, ok := c.Fields[key]; ok {
		return msg.T("是空的", "empty")
	}
	return msg.T("没有填写", "missing")
}

// coreName names a core field: its label in Chinese; in English its key
// with the Chinese label beside it, which is how the clerks' forms name it.
func coreName(p *policy.Policy, key string) msg.Text {
	if p == nil {
		return msg.Same(key)
	}
	zh := p.Label("field", key, msg.Zh)
	return msg.Text{Zh: zh, En: key + " (" + zh + ")"}
}

// termOf is a policy term as a message argument (policy.Term); without a
// policy (the case names none that loads) the id stands for itself.
func termOf(p *policy.Policy, kind, id string) msg.Label {
	if p == nil {
		return msg.Label{ID: id}
	}
	return p.Term(kind, id)
}

// fieldTerm is a field path as a message argument: in English the path as
// written ("complainant.phone", "progress_reports[1]", "tags.0"), in
// Chinese the field's label, a list item counted from one ("进展报告第2项").
func fieldTerm(p *policy.Policy, path string) msg.Label {
	base, item := path, -1
	if i := strings.LastIndexByte(path, '['); i > 0 && strings.HasSuffix(path, "]") {
		if n, err := strconv.Atoi(path[i+1 : len(path)-1]); err == nil {
			base, item = path[:i], n
		}
	} else if i := strings.LastIndexByte(path, '.'); i > 0 {
		if n, err := strconv.Atoi(path[i+1:]); err == nil {
			base, item = path[:i], n
		}
	}
	if p == nil {
		return msg.Label{ID: path}
	}
	zh := p.Label("field", base, msg.Zh)
	if item >= 0 {
		zh += fmt.Sprintf("第%d项", item+1)
	}
	return msg.Label{ID: path, Zh: zh}
}

// coreExample is a short example value for a core field's fix.
func coreExample(p *policy.Policy, key string) msg.Text {
	switch key {
	case policy.FieldReceivedAt:
		return msg.T("，例如 received_at: 2026-09-30T10:00:00+08:00", ", e.g. received_at: 2026-09-30T10:00:00+08:00")
	case policy.FieldStatus:
		if p != nil && p.InitialState() != "" {
			s := p.InitialState()
			return msg.T("，例如 status: "+labelled(p, "state", s), ", e.g. status: "+s)
		}
	case policy.FieldChannel:
		if p != nil && len(p.Channels) > 0 {
			ids := p.EnumValues(policy.FieldChannel)
			zh := make([]string, len(ids))
			for i, id := range ids {
				zh[i] = labelled(p, "channel", id)
			}
			return msg.T("，可填："+strings.Join(zh, "、"), ", one of: "+strings.Join(ids, ", "))
		}
	}
	return msg.Text{}
}

// labelled is an id as a case file holds it with its Chinese label beside
// it, for a fix that says what to write: "phone（电话）".
func labelled(p *policy.Policy, kind, id string) string {
	if l := p.Label(kind, id, msg.Zh); l != id {
		return id + "（" + l + "）"
	}
	return id
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
	stemOK := idShape(stem, prefix).IsZero()
	if blank(c, policy.FieldID) {
		if _, isString := c.Fields[policy.FieldID].(string); !isString && c.Fields[policy.FieldID] != nil {
			return nil // the parser reports an id of the wrong type
		}
		variant := "id"
		if stemOK {
			variant = "id_from_file"
		}
		f := Finding{Severity: severityOf("field.required"), Code: "field.required", Case: c.ID, File: c.File, Line: c.Line(policy.FieldID), Field: policy.FieldID}
		f.Say(variant, msg.Args{"field": msg.T("编号", "id (编号)"), "what": missingOrEmpty(c, policy.FieldID), "stem": stem})
		return []Finding{f}
	}
	id := c.ID
	if why := idShape(id, prefix); !why.IsZero() {
		f := finding(r, "field.invalid", policy.FieldID, "", "")
		variant, args := idFix(id, stem, stemOK, prefix, policyID)
		args["why"] = why
		f.Say(variant, args)
		return []Finding{f}
	}
	if id != stem {
		f := finding(r, "field.invalid", policy.FieldID, "", "")
		variant := "id_not_file"
		if stemOK {
			variant = "id_not_file_or_set"
		}
		f.Say(variant, msg.Args{"id": strconv.Quote(id), "stem": strconv.Quote(stem), "want_file": id, "want_id": stem})
		return []Finding{f}
	}
	return nil
}

// idFix says how to repair an id idShape rejects, as the variant of
// field.invalid that names the fix and its arguments. It offers the file
// name when that is a good id, or the id with its look-alike characters
// made ASCII when that is one; never the id as written.
func idFix(id, stem string, stemOK bool, prefix, policyID string) (string, msg.Args) {
	if stemOK && stem != id {
		return "id_use_file", msg.Args{"stem": stem}
	}
	shape := "PREFIX-YYYY-NNNN"
	if prefix != "" {
		shape = prefix + "-YYYY-NNNN"
	}
	if ascii := asciiSkeleton(id); ascii != id && idShape(ascii, prefix).IsZero() {
		return "id_ascii", msg.Args{"ascii": ascii}
	}
	if prefix != "" {
		return "id_of_policy", msg.Args{"policy": policyID, "shape": shape}
	}
	return "id_shape", msg.Args{"shape": shape}
}

// IDShape says why id is not a well-formed id of the policy prefix (zero
// when it is one), for the commands that give a case an id (see idShape).
func IDShape(id, prefix string) msg.Text { return idShape(id, prefix) }

// idShape says why id is not exactly prefix, "-", a four-digit year, "-"
// and ASCII digits (zero when it is). With prefix "" (policy unknown) any
// upper-case letters and digits starting with a letter pass as a prefix.
// A look-alike character is named with its position.
func idShape(id, prefix string) msg.Text {
	pos := 0
	q := strconv.Quote(id)
	for _, r := range id {
		pos++
		if r < 0x80 {
			continue
		}
		name, advice := lookAlike(r)
		return msg.T(fmt.Sprintf("编号 %s 的第 %d 个字符是 %s；%s", q, pos, name.Zh, advice.Zh),
			fmt.Sprintf("id %s has %s at position %d; %s", q, name.En, pos, advice.En))
	}
	if !wellFormedID(id) {
		return msg.T(fmt.Sprintf("编号 %s 不是案件编号：编号由字母、数字和连字符组成", q),
			fmt.Sprintf("id %s is not a case id: ids are letters, digits and hyphens", q))
	}
	p, rest, ok := strings.Cut(id, "-")
	switch {
	case prefix != "" && p != prefix:
		return msg.T(fmt.Sprintf("编号 %s 不以其政策的前缀 %s- 开头", q, prefix),
			fmt.Sprintf("id %s does not start with %s-, the prefix of its policy", q, prefix))
	case prefix == "" && !upperPrefix(p):
		return msg.T(fmt.Sprintf("编号 %s 不以大写字母的前缀（如 BANK-）开头", q),
			fmt.Sprintf("id %s does not start with an upper-case prefix such as BANK-", q))
	case !ok || !yearAndNumber(rest):
		shape := "PREFIX"
		if prefix != "" {
			shape = prefix
		}
		return msg.T(fmt.Sprintf("编号 %s 不是 %s-YYYY-NNNN 的格式：前缀后应是四位年份和序号", q, shape),
			fmt.Sprintf("id %s is not %s-YYYY-NNNN: a four-digit year and a number after the prefix", q, shape))
	}
	return msg.Text{}
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
