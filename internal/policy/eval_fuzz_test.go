package policy

import (
	"testing"
)

// FuzzEval compiles and runs a rule condition through the policy's rule
// API, against an environment built from hostile front-matter values. No
// input may panic, hang or leak a non-boolean result: a condition either
// fails to compile with an error or yields true or false, the same each
// time. Seeds are in testdata/fuzz/FuzzEval.
func FuzzEval(f *testing.F) {
	seeds := []struct{ cond, amount, phone, tag, category, replied string }{
		{`amount > 50000 || "sensitive" in tags`, "60,000", "13800000000", "sensitive", "product", "2026-09-30 11:00"},
		{`category_class == "complex" && !has("complainant.phone")`, "", "", "", "product", ""},
		{`replied_at > received_at`, "1e308", "x", "", "attitude", "2026-02-30"},
		{`any(related, .as == "repeat") && len(tags) > 2`, "-0", "", "", "", ""},
		{`"reply" in late && satisfaction == "satisfied"`, "NaN", "", "", "", ""},
		{`amount / 0 > 1`, "abc", "", "", "", ""},
		{`len(1..1000000000) > 0`, "", "", "", "", ""},
		{`reduce(1..100000, # + #acc) > 0`, "", "", "", "", ""},
		{`complainant.phone matches "(a+)+$"`, "", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "", "", ""},
		{`date(replied_at) > date("2026-01-01")`, "", "", "", "", "2026-13-45"},
		{`tags[99] == "x"`, "", "", "", "", ""},
		{`boxes << 70 > 0`, "", "", "", "", ""},
	}
	for _, s := range seeds {
		f.Add(s.cond, s.amount, s.phone, s.tag, s.category, s.replied)
	}
	p, err := Load("fuzz.yaml", []byte(basePolicy))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, cond, amount, phone, tag, category, replied string) {
		env := p.Env(map[string]any{
			"amount":      amount,
			"boxes":       amount,
			"complainant": map[string]any{"phone": phone, "wechat": []any{phone}},
			"tags":        []any{tag, amount},
			"category":    category,
			"channel":     category,
			"replied_at":  replied,
			"received_at": replied,
			"related":     []any{tag, map[string]any{"id": phone, "as": tag}},
			"extensions":  []any{map[string]any{"until": replied, "days": amount}},
		})
		got, err := p.Eval(cond, env)
		if err != nil {
			if got {
				t.Fatalf("Eval(%q) = true with error %v", cond, err)
			}
			return
		}
		again, err := p.Eval(cond, env)
		if err != nil || again != got {
			t.Fatalf("Eval(%q) = %v, then %v, %v", cond, got, again, err)
		}
	})
}
