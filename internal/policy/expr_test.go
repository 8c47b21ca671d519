package policy

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestEval(t *testing.T) {
	p := mustLoad(t, basePolicy)
	tests := []struct {
		name   string
		fields map[string]any
		cond   string
		want   bool
	}{
		{"absent amount reads as zero", map[string]any{}, "amount > 50000", false},
		{"amount over the threshold", map[string]any{"amount": 60000}, "amount > 50000", true},
		{"amount written as text", map[string]any{"amount": "60,000"}, "amount > 50000", true},
		{"int field", map[string]any{"boxes": 21}, "boxes > 20", true},
		{"tag present", map[string]any{"tags": []any{"sensitive", "x"}}, `"sensitive" in tags`, true},
		{"tag absent", map[string]any{}, `"sensitive" in tags`, false},
		{"has a sub-field", map[string]any{"complainant": map[string]any{"phone": "13800000000"}}, `has("complainant.phone")`, true},
		{"has an empty sub-field", map[string]any{"complainant": map[string]any{"phone": " "}}, `has("complainant.phone")`, false},
		{"has without the object", map[string]any{}, `has("complainant.phone")`, false},
		{"has false is present", map[string]any{"complainant": map[string]any{"anonymous": false}}, `has("complainant.anonymous")`, true},
		{"absent sub-field reads as zero", map[string]any{}, `complainant.phone == "" && !complainant.anonymous`, true},
		{"unquoted phone number is text", map[string]any{"complainant": map[string]any{"phone": 13800000000}}, `complainant.phone == "13800000000"`, true},
		{"category class", map[string]any{"category": "product"}, `category_class == "complex"`, true},
		{"unknown category has no class", map[string]any{"category": "nonsense"}, `category_class == ""`, true},
		{"channel class", map[string]any{"channel": "online"}, `channel_class == "forwarded"`, true},
		{"status", map[string]any{"status": "assigned"}, `status in ["assigned", "replied"]`, true},
		{"late is empty by default", map[string]any{}, `"reply" in late`, false},
		{"met is empty by default", map[string]any{}, `"reply" in met`, false},
		{"entered holds the current state by default", map[string]any{"status": "assigned"}, `"assigned" in entered && !("replied" in entered)`, true},
		{"escalated is empty by default", map[string]any{}, `"major" in escalated`, false},
		{"datetime compares", map[string]any{"received_at": "2026-09-30T10:00:00+08:00", "replied_at": "2026-09-30 11:00"}, `replied_at > received_at`, true},
		{"date at local midnight", map[string]any{"extensions": []any{map[string]any{"until": "2026-10-10"}}}, `extensions[0].until == date("2026-10-10 00:00:00 +0800", "2006-01-02 15:04:05 -0700")`, true},
		{"related as plain id", map[string]any{"related": []any{"TST-2026-0001"}}, `related[0].id == "TST-2026-0001"`, true},
		{"related as object", map[string]any{"related": []any{map[string]any{"id": "TST-2026-0001", "as": "repeat"}}}, `any(related, .as == "repeat")`, true},
		{"approval sub-field", map[string]any{"leader_opinion": map[string]any{"by": "张行长"}}, `leader_opinion.by != ""`, true},
		{"wrong type reads as zero", map[string]any{"amount": []any{1}}, `amount == 0`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.Eval(tt.cond, p.Env(tt.fields))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("%s = %v, want %v", tt.cond, got, tt.want)
			}
		})
	}
}

func TestEval_Late(t *testing.T) {
	p := mustLoad(t, basePolicy)
	env := p.Env(nil)
	env["late"] = []string{"reply"}
	if got, err := p.Eval(`"reply" in late`, env); err != nil || !got {
		t.Errorf(`"reply" in late = %v, %v; want true`, got, err)
	}
}

func TestEval_Rejects(t *testing.T) {
	p := mustLoad(t, basePolicy)
	for _, src := range []string{
		`now() > received_at`,
		`repeat("x", 3) == "xxx"`,
		`complainant.phnoe == ""`,
		`amount`,
		strings.Repeat("amount + ", 600) + "1 > 0",
	} {
		if _, err := p.Eval(src, p.Env(nil)); err == nil {
			t.Errorf("Eval(%.40q) succeeded, want an error", src)
		}
	}
}

func TestEnv_Types(t *testing.T) {
	p := mustLoad(t, basePolicy)
	env := p.Env(map[string]any{"received_at": "2026-09-30T10:00:00"})
	checks := map[string]func(any) bool{
		"amount": func(v any) bool { _, ok := v.(float64); return ok },
		"boxes":  func(v any) bool { _, ok := v.(int); return ok },
		"tags":   func(v any) bool { _, ok := v.([]any); return ok },
		"late":   func(v any) bool { _, ok := v.([]string); return ok },
		"complainant": func(v any) bool {
			m, ok := v.(map[string]any)
			return ok && m["anonymous"] == false && m["wechat"] == ""
		},
		"received_at": func(v any) bool {
			tm, ok := v.(time.Time)
			return ok && tm.Equal(time.Date(2026, 9, 30, 2, 0, 0, 0, time.UTC))
		},
	}
	keys := make([]string, 0, len(checks))
	for k := range checks {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !checks[k](env[k]) {
			t.Errorf("env[%q] = %#v has the wrong type or value", k, env[k])
		}
	}
}

func TestTransitionAllowed(t *testing.T) {
	p := mustLoad(t, edit(t, "  - {from: [open], to: withdrawn}", "  - {from: [open], to: withdrawn}\n  - {from: [\"*\"], to: received}\n  - {from: [assigned], to: received}"))
	tests := []struct {
		name     string
		from, to string
		want     bool
	}{
		{"listed", "received", "assigned", true},
		{"one of several sources", "assigned", "replied", true},
		{"not listed", "received", "closed", false},
		{"backwards not listed", "replied", "assigned", false},
		{"reopen", "closed", "assigned", true},
		{"open state to withdrawn", "replied", "withdrawn", true},
		{"terminal is not open", "closed", "withdrawn", false},
		{"open does not include the target", "withdrawn", "withdrawn", false},
		{"star never returns to the initial state", "replied", "received", false},
		{"explicit return to the initial state", "assigned", "received", true},
		{"unknown source", "nowhere", "assigned", false},
		{"unknown target", "received", "nowhere", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, got := p.TransitionAllowed(tt.from, tt.to)
			if got != tt.want {
				t.Fatalf("TransitionAllowed(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
			}
			if got && tr.To != tt.to {
				t.Errorf("returned transition to %q", tr.To)
			}
		})
	}
}

func TestLookups(t *testing.T) {
	p := mustLoad(t, basePolicy)
	if got := p.InitialState(); got != "received" {
		t.Errorf("InitialState = %q", got)
	}
	if !p.IsTerminal("closed") || p.IsTerminal("replied") || p.IsTerminal("nowhere") {
		t.Error("IsTerminal wrong")
	}
	if got := strings.Join(p.OpenStates(), ","); got != "received,assigned,replied" {
		t.Errorf("OpenStates = %s", got)
	}
	if got := strings.Join(p.DeadlineIDs(), ","); got != "reply,forward" {
		t.Errorf("DeadlineIDs = %s", got)
	}
	if r := p.Requirement("assigned"); strings.Join(r.Fields, ",") != "assignee,department" {
		t.Errorf("Requirement(assigned) = %+v", r)
	}
	if r := p.Requirement("closed"); len(r.Fields)+len(r.Sections)+len(r.Approvals) != 0 {
		t.Errorf("Requirement(closed) = %+v, want empty", r)
	}
	labels := []struct{ kind, id, lang, want string }{
		{"state", "assigned", "zh", "已转办"},
		{"state", "assigned", "en", "assigned"},
		{"category", "product", "zh", "服务产品"},
		{"class", "general", "zh", "一般"},
		{"field", "complainant.phone", "zh", "电话"},
		{"field", "complainant.phone", "en", "Phone"},
		{"field", "amount", "zh", "涉及金额"},
		{"deadline", "reply", "zh", "reply"},
		{"policy", "test", "en", "Test procedure"},
		{"channel", "fax", "zh", "fax"},
	}
	for _, l := range labels {
		if got := p.Label(l.kind, l.id, l.lang); got != l.want {
			t.Errorf("Label(%s, %s, %s) = %q, want %q", l.kind, l.id, l.lang, got, l.want)
		}
	}
}

func BenchmarkEval(b *testing.B) {
	p, err := Load("test.yaml", []byte(basePolicy))
	if err != nil {
		b.Fatal(err)
	}
	fields := map[string]any{"amount": 60000, "tags": []any{"sensitive"}, "category": "product"}
	for b.Loop() {
		if _, err := p.Eval(`amount > 50000 || "sensitive" in tags`, p.Env(fields)); err != nil {
			b.Fatal(err)
		}
	}
}
