package clerk_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/clerk"
	"github.com/casebook/casebook/internal/policy"
)

func TestExtensionRule(t *testing.T) {
	ext := &policy.Extension{Max: "30 calendar_days"}
	rules := func(rs ...policy.DeadlineRule) *policy.Policy { return &policy.Policy{ID: "t", Deadlines: rs} }
	tests := []struct {
		name    string
		p       *policy.Policy
		rule    string
		want    string
		wantErr string // part of the InputError's message
	}{
		{name: "the only extensible rule", p: rules(policy.DeadlineRule{ID: "ack"}, policy.DeadlineRule{ID: "conclude", Extension: ext}), want: "conclude"},
		{name: "alternatives of one rule count once", p: rules(policy.DeadlineRule{ID: "conclude", Extension: ext, When: "a"}, policy.DeadlineRule{ID: "conclude", Extension: ext}), want: "conclude"},
		{name: "a rule given is kept as given", p: rules(policy.DeadlineRule{ID: "conclude", Extension: ext}), rule: "reply", want: "reply"},
		{name: "two extensible rules need --rule", p: rules(policy.DeadlineRule{ID: "reply", Extension: ext}, policy.DeadlineRule{ID: "conclude", Extension: ext}), wantErr: "extensible: [reply conclude]"},
		{name: "no extensible rule", p: rules(policy.DeadlineRule{ID: "reply"}), wantErr: "extensible: []"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := clerk.ExtensionRule(tt.p, tt.rule)
			var ie *clerk.InputError
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("ExtensionRule: %v", err)
			case tt.wantErr != "" && (!errors.As(err, &ie) || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("ExtensionRule = %q, %v; want an input error naming %q", got, err, tt.wantErr)
			case got != tt.want:
				t.Errorf("ExtensionRule = %q, want %q", got, tt.want)
			}
		})
	}
}
