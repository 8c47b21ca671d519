package policy

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/msg"
)

// basePolicy is a small valid policy; test rows edit it.
const basePolicy = `id: test
name: {zh: 测试办法, en: Test procedure}
prefix: TST
states:
  - {id: received, zh: 已登记, initial: true}
  - {id: assigned, zh: 已转办}
  - {id: replied, zh: 已回复}
  - {id: closed, zh: 已办结, terminal: true}
  - {id: withdrawn, zh: 已撤诉, terminal: true}
transitions:
  - {from: [received], to: assigned}
  - {from: [received, assigned], to: replied}
  - {from: [replied], to: closed}
  - {from: [closed], to: assigned, reopen: true}
  - {from: [open], to: withdrawn}
requirements:
  assigned: {fields: [assignee, department]}
  replied: {sections: [处理结果], approvals: [leader_opinion]}
classes:
  - {id: general, zh: 一般}
  - {id: complex, zh: 复杂}
  - {id: forwarded, zh: 转来}
categories:
  - {id: attitude, zh: 服务态度, class: general}
  - {id: product, zh: 服务产品, class: complex}
channels:
  - {id: phone, zh: 电话}
  - {id: online, zh: 网络, class: forwarded}
fields:
  - name: amount
    type: money
    zh: 涉及金额
  - name: boxes
    type: int
  - name: leader_opinion
    type: approval
    zh: 领导落实意见
  - name: replied_at
    type: datetime
  - name: complainant
    fields:
      - {name: wechat, type: string}
  - name: reply_summary
    type: text
    required_in: [replied]
    required_when: category_class == "complex"
  - name: satisfaction
    type: enum
    values: [{id: satisfied}, {id: unsatisfied}]
deadlines:
  - id: reply
    start: {received: true}
    stop: [replied]
    duration: 3 working_days
    when: category_class == "general"
  - id: reply
    start: {received: true}
    stop: [replied]
    duration: 10 working_days
    warn_after: 7 working_days
  - id: forward
    start: {received: true}
    stop: [assigned]
    duration: 2 working_days
    when: channel == "online"
escalations:
  - id: major
    when: amount > 50000 || "sensitive" in tags
    fields: [leader_opinion]
    in: [assigned, replied]
recusal:
  - {handler: assignee, respondent: respondent.person}
rules:
  - id: late_reply
    when: '"reply" in late'
    require: has("complainant.phone")
    message: 超期需说明
forms:
  - {id: register, zh: 登记表, kind: register, columns: ["#id", received_at, category, "#status"]}
`

// lineOf returns the 1-based line of the first occurrence of sub in text.
func lineOf(t *testing.T, text, sub string) int {
	t.Helper()
	i := strings.Index(text, sub)
	if i < 0 {
		t.Fatalf("test bug: %q not in policy", sub)
	}
	return strings.Count(text[:i], "\n") + 1
}

func edit(t *testing.T, old, new string) string {
	t.Helper()
	if !strings.Contains(basePolicy, old) {
		t.Fatalf("test bug: %q not in base policy", old)
	}
	return strings.Replace(basePolicy, old, new, 1)
}

func mustLoad(t *testing.T, src string) *Policy {
	t.Helper()
	p, err := Load("test.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return p
}

func TestLoad_Base(t *testing.T) {
	p := mustLoad(t, basePolicy)
	if p.Location == nil || p.Location.String() != "Asia/Shanghai" {
		t.Errorf("Location = %v, want Asia/Shanghai", p.Location)
	}
	if p.File != "test.yaml" {
		t.Errorf("File = %q", p.File)
	}
}

func TestLoad_LateEntry(t *testing.T) {
	tests := []struct {
		name, line string
		want       time.Duration
	}{
		{"not set: the default", "", DefaultLateEntry},
		{"hours", "late_entry: 72 hours\n", 72 * time.Hour},
		{"one hour", "late_entry: 1 hour\n", time.Hour},
		{"days on the wall clock", "late_entry: 3 days\n", 72 * time.Hour},
		{"calendar days", "late_entry: 2 calendar_days\n", 48 * time.Hour},
		{"minutes", "late_entry: 90 minutes\n", 90 * time.Minute},
		{"upper-case unit", "late_entry: 5 Hours\n", 5 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustLoad(t, edit(t, "prefix: TST\n", "prefix: TST\n"+tt.line))
			if p.LateEntryWindow != tt.want {
				t.Errorf("LateEntryWindow = %v, want %v", p.LateEntryWindow, tt.want)
			}
		})
	}
}

func TestLoad_Problems(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		msg      string // substring of the expected message
		at       string // the expected line holds this text ("" = line 1)
	}{
		{"unknown top-level key", "prefix: TST\n", "prefix: TST\nstats: {}\n", `unknown key "stats" in the policy`, "stats:"},
		{"typo in a field key", "    required_in: [replied]", "    requried_in: [replied]", `unknown key "requried_in" in fields[5] (fix: did you mean "required_in"?)`, "requried_in"},
		{"duplicate key", "prefix: TST\n", "prefix: TST\nprefix: TST2\n", `duplicate key "prefix" in the policy (first at line 3)`, "prefix: TST2"},
		{"comma splits a flow value", "{id: assigned, zh: 已转办}", "{id: assigned, zh: 已转办,待处理}", "a comma inside {...} ends a value", "待处理"},
		{"scalar where a list belongs", "{from: [replied], to: closed}", "{from: replied, to: closed}", "transitions[2].from must be a list", "from: replied"},
		{"bool spelt as text", "{id: closed, zh: 已办结, terminal: true}", "{id: closed, zh: 已办结, terminal: yes please}", "must be true or false", "yes please"},
		{"anchor", "prefix: TST\n", "prefix: &p TST\n", "anchors and aliases are not allowed", "prefix: &p"},
		{"upper-case id", "id: test", "id: Test", `policy id "Test" is not lower-case`, "id: Test"},
		{"missing id", "id: test\n", "", "the policy has no id", ""},
		{"lower-case prefix", "prefix: TST", "prefix: tst", `prefix "tst" is not upper-case`, "prefix: tst"},
		{"unknown time zone", "prefix: TST\n", "prefix: TST\ntimezone: Mars/Olympus\n", `unknown time zone "Mars/Olympus"`, "timezone:"},
		{"late_entry in working days", "prefix: TST\n", "prefix: TST\nlate_entry: 3 working_days\n", `late_entry: "3 working_days": unit "working_days" is not days, hours or minutes`, "late_entry:"},
		{"late_entry without a unit", "prefix: TST\n", "prefix: TST\nlate_entry: 72\n", `late_entry: "72" is not "<N> <unit>"`, "late_entry:"},
		{"late_entry of no time", "prefix: TST\n", "prefix: TST\nlate_entry: 0 hours\n", `late_entry: "0 hours": "0" is not a positive whole number`, "late_entry:"},
		{"late_entry beyond a year", "prefix: TST\n", "prefix: TST\nlate_entry: 9999999999 days\n", `late_entry: "9999999999 days" is longer than a year`, "late_entry:"},
		{"no initial state", "{id: received, zh: 已登记, initial: true}", "{id: received, zh: 已登记}", "no state is initial", "states:"},
		{"two initial states", "{id: assigned, zh: 已转办}", "{id: assigned, zh: 已转办, initial: true}", `state "assigned" is initial, but so is "received"`, "initial: true}\n  - {id: replied"},
		{"no terminal state", "{id: closed, zh: 已办结, terminal: true}\n  - {id: withdrawn, zh: 已撤诉, terminal: true}", "{id: closed, zh: 已办结}\n  - {id: withdrawn, zh: 已撤诉}", "no state is terminal", "states:"},
		{"duplicate state", "{id: replied, zh: 已回复}", "{id: assigned, zh: 已回复}", `state "assigned" is declared twice`, "{id: assigned, zh: 已回复}"},
		{"state called open", "{id: replied, zh: 已回复}", "{id: open, zh: 已回复}", `"open" cannot be a state id`, "{id: open"},
		{"transition to unknown state", "{from: [replied], to: closed}", "{from: [replied], to: done}", `transition to unknown state "done"`, "to: done"},
		{"transition from unknown state", "{from: [replied], to: closed}", "{from: [replyed], to: closed}", `transition from unknown state "replyed"`, "replyed"},
		{"reopen not marked", "{from: [closed], to: assigned, reopen: true}", "{from: [closed], to: assigned}", "leaves a terminal state but is not marked reopen", "{from: [closed], to: assigned}"},
		{"requirement for unknown state", "  replied: {sections:", "  answered: {sections:", `requirements for unknown state "answered"`, "answered:"},
		{"requirement of undeclared field", "fields: [assignee, department]", "fields: [assignee, departmnt]", `field "departmnt" is not declared (fix: did you mean "department"?`, "departmnt"},
		{"requirement of sub-field", "fields: [assignee, department]", "fields: [assignee, complainant.phnoe]", `field "complainant.phnoe" is not declared (fix: did you mean "complainant.phone"?`, "phnoe"},
		{"approval that is not an approval field", "approvals: [leader_opinion]", "approvals: [amount]", `approval "amount" in requirements of "replied" is a money field`, "approvals: [amount]"},
		{"category class not declared", "{id: product, zh: 服务产品, class: complex}", "{id: product, zh: 服务产品, class: compex}", `class "compex", which is not declared under classes`, "compex"},
		{"duplicate category", "{id: product, zh: 服务产品, class: complex}", "{id: attitude, zh: 服务产品, class: complex}", `categories id "attitude" is declared twice`, "{id: attitude, zh: 服务产品"},
		{"enum without values", "    values: [{id: satisfied}, {id: unsatisfied}]\n", "", `enum field "satisfaction" has no values`, "- name: satisfaction"},
		{"unknown field type", "    type: money", "    type: currency", `field "amount" has unknown type "currency"`, "type: currency"},
		{"duplicate field", "  - name: boxes", "  - name: amount", `field "amount" is declared twice`, "- name: amount\n    type: int"},
		{"field named like a keyword", "  - name: boxes", "  - name: in", `"in" cannot be a field name`, "- name: in"},
		{"core field with another type", "  - name: complainant\n", "  - name: complainant\n    type: string\n", `core field "complainant" has type person, not string`, "type: string"},
		{"required_in unknown state", "required_in: [replied]", "required_in: [done]", `field "reply_summary" is required in state "done"`, "required_in: [done]"},
		{"required_when without required_in", "    required_in: [replied]\n", "", `has required_when but no required_in`, "required_when:"},
		{"bad duration", "duration: 2 working_days", "duration: 2 workdays", `deadline "forward" duration: period "2 workdays": unknown unit "workdays"`, "2 workdays"},
		{"duration without a number", "duration: 2 working_days", "duration: two working_days", `"two" is not a whole number`, "two working_days"},
		{"negative duration", "duration: 2 working_days", "duration: -1 working_days", `"-1" is not a whole number`, "-1 working_days"},
		{"days without saying which", "duration: 2 working_days", "duration: 3 days", `say which days: "3 working_days" or "3 calendar_days"`, "3 days"},
		{"zero hours", "duration: 2 working_days", "duration: 0 hours", `only day periods can be 0`, "0 hours"},
		{"two starts", "  - id: forward\n    start: {received: true}", "  - id: forward\n    start: {received: true, state: assigned}", `deadline "forward" must start in exactly one way, has 2`, "state: assigned}"},
		{"no start", "  - id: forward\n    start: {received: true}\n", "  - id: forward\n", `deadline "forward" must start in exactly one way, has 0`, "- id: forward"},
		{"start field not datetime", "  - id: forward\n    start: {received: true}", "  - id: forward\n    start: {field: amount}", `deadline "forward" start: field "amount" is a money field, not a datetime`, "field: amount"},
		{"stop in unknown state", "stop: [assigned]", "stop: [asigned]", `deadline "forward" stop: unknown state "asigned"`, "asigned"},
		{"stop_field not datetime", "stop: [assigned]", "stop_field: amount", `stop_field: field "amount" is a money field`, "stop_field: amount"},
		{"pause in unknown state", "stop: [assigned]", "stop: [assigned]\n    pause_in: [waiting]", `pause_in: unknown state "waiting"`, "waiting"},
		{"bad extension max", "stop: [assigned]", "stop: [assigned]\n    extension: {max: 3 moons}", `extension max: period "3 moons": unknown unit "moons"`, "3 moons"},
		{"unreachable alternative", "    warn_after: 7 working_days\n", "    warn_after: 7 working_days\n  - id: reply # unreachable\n    start: {received: true}\n    stop: [replied]\n    duration: 1 working_days\n", "this alternative is never used", "# unreachable"},
		{"escalation in unknown state", "in: [assigned, replied]", "in: [assigned, answered]", `escalation "major" in: unknown state "answered"`, "answered"},
		{"escalation field not declared", "fields: [leader_opinion]\n    in:", "fields: [leader_opnion]\n    in:", `escalation "major": field "leader_opnion" is not declared`, "leader_opnion"},
		{"recusal path not declared", "respondent: respondent.person", "respondent: respondent.persn", `recusal respondent: field "respondent.persn" is not declared`, "respondent.persn"},
		{"condition not bool", `when: channel == "online"`, `when: amount + 1`, `deadline "forward" when: expected bool, but got float64`, "amount + 1"},
		{"condition unknown name", `when: channel == "online"`, `when: chanel == "online"`, `unknown name chanel (fix: did you mean "channel"?)`, `chanel ==`},
		{"condition unknown sub-field", `require: has("complainant.phone")`, `require: complainant.phnoe != ""`, `complainant has no field "phnoe" (fix: did you mean complainant.phone?)`, "phnoe"},
		{"has of unknown path", `require: has("complainant.phone")`, `require: has("complainant.phnoe")`, `has("complainant.phnoe"): no such field`, "phnoe"},
		{"enum compared with a value it never has", `when: channel == "online"`, `when: channel == "onlin"`, `channel is never "onlin" (fix: did you mean "online"?)`, `"onlin"`},
		{"class literal unknown", `when: category_class == "general"`, `when: category_class in ["general", "simple"]`, `category_class is never "simple"`, "simple"},
		{"late names unknown deadline", `when: '"reply" in late'`, `when: '"answer" in late'`, `"answer" is not a deadline of this policy`, "answer"},
		{"met names unknown deadline", `when: '"reply" in late'`, `when: '"answr" in met'`, `"answr" is not a deadline of this policy`, "answr"},
		{"entered names unknown state", `when: '"reply" in late'`, `when: '"asigned" in entered'`, `"asigned" is not a state of this policy (fix: did you mean "assigned"?)`, "asigned"},
		{"escalated names unknown escalation", `when: '"reply" in late'`, `when: '"majr" in escalated'`, `"majr" is not an escalation of this policy (fix: did you mean "major"?)`, "majr"},
		{"syntax error in condition", `when: channel == "online"`, `when: channel == `, `deadline "forward" when:`, "when: channel =="},
		{"rule in unknown state", "    message: 超期需说明\n", "    message: 超期需说明\n    in: [archived]\n", `rule "late_reply" in: unknown state "archived"`, "archived"},
		{"required_when that does not compile", `required_when: category_class == "complex"`, `required_when: category_clas == "complex"`, `field "reply_summary" required_when: unknown name category_clas`, "category_clas"},
		{"transition when that is not bool", "{from: [replied], to: closed}", "{from: [replied], to: closed, when: boxes}", `transition to "closed" when: expected bool, but got int`, "when: boxes"},
		{"enum value listed twice", "values: [{id: satisfied}, {id: unsatisfied}]", "values: [{id: satisfied}, {id: satisfied}]", `value "satisfied" of field "satisfaction" is listed twice`, "values: [{id: satisfied}, {id: satisfied}]"},
		{"object without fields", "  - name: boxes\n    type: int", "  - name: boxes\n    type: object", `object field "boxes" has no fields`, "- name: boxes"},
		{"values on a non-enum", "  - name: boxes\n    type: int", "  - name: boxes\n    type: int\n    values: [{id: a}]", `field "boxes" has values but is of type int`, "values: [{id: a}]"},
		{"core enum values redeclared", "  - name: boxes\n", "  - name: channel\n    values: [{id: fax}]\n  - name: boxes\n", `the values of core field "channel" come from the policy's vocabulary`, "values: [{id: fax}]"},
		{"warn_after and warn_before", "    warn_after: 7 working_days\n", "    warn_after: 7 working_days\n    warn_before: 1 working_days\n", "sets both warn_after and warn_before", "warn_before"},
		{"deadline never stops", "    stop: [assigned]\n", "", `deadline "forward" never stops`, "- id: forward"},
		{"rule without message", "    message: 超期需说明\n", "", `rule "late_reply" has no message`, "- id: late_reply"},
		{"duplicate rule", "forms:\n", "  - {id: late_reply, require: \"true\", message: x}\nforms:\n", `rule "late_reply" is declared twice`, "{id: late_reply, require"},
		{"form kind", "kind: register", "kind: ledger", `form "register" has unknown kind "ledger"`, "kind: ledger"},
		{"form without columns", `, columns: ["#id", received_at, category, "#status"]}`, "}", `form "register" has no columns: it would print empty`, "{id: register"},
		{"form column not declared", `columns: ["#id", received_at, category`, `columns: ["#id", received_at, categroy`, `form "register": field "categroy" is not declared (fix: did you mean "category"?`, "categroy"},
		{"form pseudo column unknown", `"#status"]}`, `"#state"]}`, `form "register": unknown item "#state"`, `"#state"`},
		{"form due of unknown deadline", `"#status"]}`, `"#due:answer"]}`, `form "register": "answer" is not a deadline of this policy`, `"#due:answer"`},
		{"form entered_at unknown state", `"#status"]}`, `"#entered_at:asigned"]}`, `form "register": unknown state "asigned"`, `"#entered_at:asigned"`},
		{"form when names unknown state", `kind: register,`, `kind: register, when: '"asigned" in entered',`, `form "register" when: "asigned" is not a state of this policy`, "asigned"},
		{"register with fields", `columns: [`, `fields: ["#id"], columns: [`, `form "register" takes columns, not fields`, `fields: ["#id"], columns`},
		{"form section of unknown state", `kind: register, columns: ["#id", received_at, category, "#status"]}`, `kind: per_case, fields: ["#id"], sections: [{state: answered}]}`, `form "register": unknown state "answered"`, "answered"},
		{"form section of two kinds", `kind: register, columns: ["#id", received_at, category, "#status"]}`, `kind: per_case, fields: ["#id"], sections: [{state: assigned, title: 处理结果}]}`, `form "register" section must be one of a title, a state or an escalation`, "{state: assigned"},
		{"business hours", "prefix: TST\n", "prefix: TST\nbusiness_hours: {open: \"18:00\", close: \"09:00\"}\n", "business_hours: open 18:00 is not before close 09:00", "business_hours"},
		{"business hours period malformed", "prefix: TST\n", "prefix: TST\nbusiness_hours:\n  periods: [\"08:30-12:00\", \"14:00_17:30\"]\n", `business_hours.periods: period "14:00_17:30": write "HH:MM-HH:MM"`, "14:00_17:30"},
		{"business hours periods overlap", "prefix: TST\n", "prefix: TST\nbusiness_hours:\n  periods: [\"08:30-12:00\", \"11:30-17:30\"]\n", `period 11:30-17:30 begins before 08:30-12:00 ends`, "11:30-17:30"},
		{"business hours period backwards", "prefix: TST\n", "prefix: TST\nbusiness_hours:\n  periods: [\"17:30-08:30\"]\n", `period "17:30-08:30": 17:30 is not before 08:30`, "17:30-08:30"},
		{"business hours both forms", "prefix: TST\n", "prefix: TST\nbusiness_hours:\n  open: \"08:30\"\n  close: \"17:30\"\n  periods: [\"08:30-17:30\"]\n", `gives both open/close and periods`, "periods:"},
		{"business hours unknown weekday", "prefix: TST\n", "prefix: TST\nbusiness_hours:\n  periods: [\"08:30-17:30\"]\n  weekdays: {saturday: [\"09:00-12:00\"]}\n", `business_hours.weekdays: unknown weekday "saturday"`, "saturday"},
		{"weekday periods overlap", "prefix: TST\n", "prefix: TST\nhours:\n  desk:\n    periods: [\"08:30-17:30\"]\n    weekdays:\n      sat: [\"09:00-12:00\", \"10:00-11:00\"]\n", `hours.desk.weekdays.sat: period 10:00-11:00 begins before 09:00-12:00 ends`, "10:00-11:00"},
		{"rest-day desk on an unknown weekday", "prefix: TST\n", "prefix: TST\nbusiness_hours:\n  periods: [\"08:30-17:30\"]\n  rest_days: {sa: [\"09:00-12:00\"]}\n", `business_hours.rest_days: unknown weekday "sa"`, "sa:"},
		{"named hours without periods", "prefix: TST\n", "prefix: TST\nhours:\n  desk: {}\n", `hours.desk has no opening hours`, "desk:"},
		{"deadline names unknown hours", "stop: [assigned]", "stop: [assigned]\n    hours: daytime", `deadline "forward": no hours "daytime" under hours:`, "hours: daytime"},
		{"calendar date", "prefix: TST\n", "prefix: TST\ncalendar: {holidays: [{date: 2026-13-01}]}\n", `calendar.holidays: "2026-13-01" is not a date`, "2026-13-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantProblem(t, edit(t, tt.old, tt.new), tt.msg, tt.at) })
	}
}

// wantProblem loads src as test.yaml and wants a problem whose message
// holds msg, on the line that holds at ("" = line 1).
func wantProblem(t *testing.T, src, msg, at string) {
	t.Helper()
	_, err := Load("test.yaml", []byte(src))
	if err == nil {
		t.Fatal("Load succeeded, want an error")
	}
	wantLine := 1
	if at != "" {
		wantLine = lineOf(t, src, at)
	}
	for _, e := range ErrorList(err) {
		if strings.Contains(e.Error(), msg) {
			if e.Line != wantLine {
				t.Errorf("%q at line %d, want line %d", e.Msg, e.Line, wantLine)
			}
			if e.File != "test.yaml" {
				t.Errorf("File = %q", e.File)
			}
			return
		}
	}
	t.Errorf("no problem contains %q; got:\n%v", msg, err)
}

func TestLoad_ReportsAllProblems(t *testing.T) {
	src := edit(t, "prefix: TST", "prefix: tst")
	src = strings.Replace(src, "to: closed}", "to: done}", 1)
	src = strings.Replace(src, `when: channel == "online"`, `when: amount`, 1)
	_, err := Load("test.yaml", []byte(src))
	var es msg.FileErrors
	if !errors.As(err, &es) || len(es) != 3 {
		t.Fatalf("want 3 problems, got %v", err)
	}
	for i := 1; i < len(es); i++ {
		if es[i-1].Line > es[i].Line {
			t.Errorf("problems not in line order: %v", err)
		}
	}
	if got := strings.Count(err.Error(), "\n"); got != 2 {
		t.Errorf("Error() has %d newlines, want one problem per line:\n%s", got, err)
	}
}

func TestLoad_Rejects(t *testing.T) {
	tests := []struct {
		name, file, src, msg string
	}{
		{"json", "p.yaml", `{"id": "x"}`, "not JSON"},
		{"json file name", "p.json", "id: x\n", "must be a YAML file"},
		{"toml", "p.yaml", "id = \"x\"\n[states]\n", "looks like TOML"},
		{"empty", "p.yaml", "", "empty"},
		{"not a mapping", "p.yaml", "- a\n- b\n", "must be a YAML mapping"},
		{"two documents", "p.yaml", basePolicy + "---\nid: other\n", "second one"},
		{"too large", "p.yaml", basePolicy + "#" + strings.Repeat("x", MaxFileSize), "larger than 1 MiB"},
		{"syntax error", "p.yaml", "id: [x\n", "p.yaml:"},
		{"alias", "p.yaml", strings.Replace(basePolicy, "prefix: TST\n", "prefix: TST\nextra: {a: &a [1], b: *a}\n", 1), "anchors and aliases"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.file, []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("got %v, want an error containing %q", err, tt.msg)
			}
		})
	}
}

func TestLoad_CoreFields(t *testing.T) {
	p := mustLoad(t, basePolicy)
	for _, path := range []string{"id", "policy", "title", "status", "received_at", "channel", "category",
		"complainant.name", "complainant.anonymous", "complainant.wechat", "respondent.unit", "respondent.person",
		"assignee", "department", "related.id", "related.as", "extensions.until", "extensions.approved_by", "tags",
		"leader_opinion.by", "leader_opinion.at"} {
		if _, ok := p.Field(path); !ok {
			t.Errorf("Field(%q) not found", path)
		}
	}
	if f, _ := p.Field("status"); len(f.Values) != 5 || f.Values[0].ID != "received" {
		t.Errorf("status values = %v, want the states", f.Values)
	}
	if f, _ := p.Field("channel"); len(f.Values) != 2 {
		t.Errorf("channel values = %v, want the channels", f.Values)
	}
	if f, _ := p.Field("complainant"); f.Zh != "投诉人" || f.Type != TypePerson {
		t.Errorf("merged complainant lost its core label or type: %+v", f)
	}
	want := "complainant.address complainant.email complainant.id_number complainant.name complainant.phone complainant.work_unit"
	if got := strings.Join(p.PIIPaths(), " "); got != want {
		t.Errorf("PIIPaths = %s\nwant       %s", got, want)
	}
}

func TestLoad_RedeclaredCoreKeepsPII(t *testing.T) {
	p := mustLoad(t, edit(t, "      - {name: wechat, type: string}", "      - {name: phone, zh: 联系电话}\n      - {name: wechat, pii: true}"))
	f, _ := p.Field("complainant.phone")
	if !f.PII || f.Zh != "联系电话" || f.Type != TypeString {
		t.Errorf("complainant.phone = %+v, want PII kept, new label, type string", f)
	}
	if f, _ := p.Field("complainant.wechat"); !f.PII {
		t.Errorf("complainant.wechat not PII")
	}
}

func ExampleLoad() {
	src := strings.Replace(basePolicy, "prefix: TST", "prefix: tst", 1)
	_, err := Load("policies/test.yaml", []byte(src))
	fmt.Println(err)
	// Output:
	// policies/test.yaml:3:9: prefix "tst" is not upper-case (fix: use upper-case letters and digits, e.g. BANK)
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load("test.yaml", []byte(basePolicy)); err != nil {
			b.Fatal(err)
		}
	}
}

// embedded returns the built-in policy id.
func embedded(t *testing.T, id string) *Policy {
	t.Helper()
	set, err := LoadSet(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	p, ok := set.Get(id)
	if !ok {
		t.Fatalf("no %s policy", id)
	}
	return p
}

func TestClockFacts_Bank(t *testing.T) {
	got := strings.Join(embedded(t, "bank").ClockFacts(), ",")
	if got != "category,channel,received_at" {
		t.Errorf("ClockFacts = %s, want category,channel,received_at", got)
	}
}

// TestClockFacts_ReportField guards a report duty's field as a recorded
// fact: the hotline's progress report rewritten to an earlier time would
// turn a late report into one in time.
func TestClockFacts_ReportField(t *testing.T) {
	if got := embedded(t, "hotline").ClockFacts(); !slices.Contains(got, "progress_reported_at") {
		t.Errorf("ClockFacts = %v, want progress_reported_at among them", got)
	}
}

// TestClockFacts_TimeInObject guards the recorded time, not the object
// around it, as the fact: the approver's opinion decides no clock.
func TestClockFacts_TimeInObject(t *testing.T) {
	got := embedded(t, "food").ClockFacts()
	if !slices.Contains(got, "dispatch_approval.at") || slices.Contains(got, "dispatch_approval") {
		t.Errorf("ClockFacts = %v, want dispatch_approval.at and not dispatch_approval", got)
	}
}

// TestClockFacts_NotStatus guards the state out of the facts: xinfang's
// objection reads status in its when, and every transition would
// otherwise be a fact changed.
func TestClockFacts_NotStatus(t *testing.T) {
	if got := embedded(t, "xinfang").ClockFacts(); slices.Contains(got, FieldStatus) {
		t.Errorf("ClockFacts = %v, want no status", got)
	}
}

// The procedures that keep the party reported and the evidence secret
// (tendering 第二十一条, bank 第六条) mark them confidential, sub-fields
// included; the others mark nothing.
func TestConfidentialPaths_BuiltIn(t *testing.T) {
	for id, want := range map[string]string{
		"tendering": "evidence respondent respondent.address respondent.person respondent.position respondent.unit",
		"bank":      "respondent respondent.person respondent.unit",
		"food":      "",
	} {
		if got := strings.Join(embedded(t, id).ConfidentialPaths(), " "); got != want {
			t.Errorf("%s: ConfidentialPaths = %q, want %q", id, got, want)
		}
	}
}

func TestLoad_Confidential(t *testing.T) {
	p := mustLoad(t, edit(t, "      - {name: wechat, type: string}", "      - {name: wechat, type: string, confidential: true}"))
	if got := strings.Join(p.ConfidentialPaths(), " "); got != "complainant.wechat" {
		t.Errorf("ConfidentialPaths = %q", got)
	}
	if f, _ := p.Field("complainant.wechat"); !f.Confidential {
		t.Errorf("complainant.wechat = %+v", f)
	}
}
