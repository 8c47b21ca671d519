package export

import (
	"os"
	"reflect"
	"testing"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
)

func bankPolicy(t *testing.T) *policy.Policy {
	t.Helper()
	data, err := os.ReadFile("../../policies/bank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := policy.Load("bank.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func record(t *testing.T, p *policy.Policy, front string) *office.Record {
	t.Helper()
	c, err := cases.Parse("x.md", []byte("---\nid: BANK-2026-0001\n"+front+"---\n"))
	if err != nil {
		t.Fatal(err)
	}
	return &office.Record{Case: c, Policy: p}
}

func TestWithheld_FailsClosed(t *testing.T) {
	p := bankPolicy(t)
	tests := []struct {
		name, front string
		anonymous   bool
		misshapen   []string
		// shown with includePII
		path  string
		shown bool
	}{
		{"named complainant", "complainant: {name: 王五, anonymous: false}\n", false, nil, "complainant.name", true},
		{"no anonymous key", "complainant: {name: 王五}\n", false, nil, "complainant.name", true},
		{"anonymous true", "complainant: {name: 王五, anonymous: true}\n", true, nil, "complainant.name", false},
		{`anonymous "yes"`, "complainant: {name: 王五, anonymous: \"yes\"}\n", true, nil, "complainant.name", false},
		{"anonymous 1", "complainant: {name: 王五, anonymous: 1}\n", true, nil, "complainant.name", false},
		{"anonymous 是", "complainant: {name: 王五, anonymous: 是}\n", true, nil, "complainant.name", false},
		{`anonymous "false" (text)`, "complainant: {name: 王五, anonymous: \"false\"}\n", true, nil, "complainant.name", false},
		{"complainant a string", "complainant: \"王五 13912340090\"\n", true, []string{"complainant"}, "complainant", false},
		{"complainant a list", "complainant: [王五, \"13912340090\"]\n", true, []string{"complainant"}, "complainant", false},
		{"phone a list", "complainant: {name: 王五, phone: [\"1\", \"2\"]}\n", false, []string{"complainant.phone"}, "complainant.phone", false},
		{"phone a mapping", "complainant: {name: 王五, phone: {home: \"1\"}}\n", false, []string{"complainant.phone"}, "complainant.phone.home", false},
		{"name beside a misshapen phone", "complainant: {name: 王五, phone: [\"1\"]}\n", false, []string{"complainant.phone"}, "complainant.name", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := record(t, p, tt.front)
			if got := Anonymous(r); got != tt.anonymous {
				t.Errorf("Anonymous = %v, want %v", got, tt.anonymous)
			}
			if got := Misshapen(r.Case, p); !reflect.DeepEqual(got, tt.misshapen) {
				t.Errorf("Misshapen = %v, want %v", got, tt.misshapen)
			}
			if got := !Withheld(r, true)(tt.path); got != tt.shown {
				t.Errorf("%s shown with includePII = %v, want %v", tt.path, got, tt.shown)
			}
			if !Withheld(r, false)(tt.path) {
				t.Errorf("%s shown without includePII", tt.path)
			}
		})
	}
}

// A case whose policy is unknown shows only the core fields that are not
// personal: nothing says which of its other keys are.
func TestWithheld_UnknownPolicy(t *testing.T) {
	r := record(t, nil, "title: 标题\ncomplainant: {name: 王五}\nwechat: 王五的微信\n")
	hide := Withheld(r, true)
	for path, want := range map[string]bool{"title": false, "status": false, "complainant": true, "complainant.name": true, "wechat": true} {
		if got := hide(path); got != want {
			t.Errorf("Withheld(%s) = %v, want %v", path, got, want)
		}
	}
}
