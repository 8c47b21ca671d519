package policy

import (
	"errors"
	"strings"
	"testing"
)

func TestEval_Budget(t *testing.T) {
	p := mustLoad(t, basePolicy)
	long := strings.Repeat("长", 20000)
	for _, tt := range []struct {
		name string
		cond string
		want error // nil: evaluates to true
	}{
		{"a loop over the title's characters", `all(split(title, ""), {# == "长"})`, nil},
		{"a loop in a loop over the title's characters", `all(split(title, ""), {all(split(title, ""), {# == "长"})})`, ErrTooExpensive},
		{"three loops deep", `any(split(title, ""), {any(split(title, ""), {any(split(title, ""), {# == "x"})})})`, ErrTooExpensive},
		{"ranges nested", `all(1..1000, {all(1..1000, {all(1..1000, {# > 0})})})`, ErrTooExpensive},
		{"a range as large as the budget", `len(1..200000) > 0`, ErrTooExpensive},
		{"reduce over a long range", `reduce(1..50000, #acc + 1, 0) + reduce(1..50000, #acc + 1, 0) > 0`, ErrTooExpensive},
		{"a string doubled in reduce", `len(reduce(1..60, #acc + #acc, title)) > 0`, ErrTooExpensive},
		{"a copy of the title per step", `len(map(1..20000, title + "x")) > 0`, ErrTooExpensive},
		{"a small loop", `count(1..100, {# % 2 == 0}) == 50`, nil},
		{"a short reduce", `reduce(1..10, #acc + "a", "") == "aaaaaaaaaa"`, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.Eval(tt.cond, p.Env(map[string]any{"title": long}))
			if tt.want != nil {
				if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), "too expensive") {
					t.Fatalf("%s = %v, %v; want %v", tt.cond, got, err, tt.want)
				}
				return
			}
			if err != nil || !got {
				t.Fatalf("%s = %v, %v; want true", tt.cond, got, err)
			}
		})
	}
}

// The predicates keep their types: a condition that compares what map or
// filter give still type-checks at load and evaluates.
func TestEval_BudgetKeepsMeaning(t *testing.T) {
	p := mustLoad(t, basePolicy)
	env := p.Env(map[string]any{"tags": []any{"a", "bb", "ccc"}})
	for _, cond := range []string{
		`sum(map(tags, len(#))) == 6`,
		`len(filter(tags, len(#) > 1)) == 2`,
		`first(sortBy(tags, -len(#))) == "ccc"`,
		`one(tags, # == "bb")`,
	} {
		if got, err := p.Eval(cond, env); err != nil || !got {
			t.Errorf("%s = %v, %v; want true", cond, got, err)
		}
	}
}
