package policy

import (
	"slices"
	"strings"
)

// Corrections is the policy's `corrections` block: who may approve a
// recorded correction (更正) of a clerk's mistake.
type Corrections struct {
	// Approvers are the names a correction's Casebook-Approved-By may
	// carry; empty means any name is recorded.
	Approvers []string `yaml:"approvers"`
}

// CorrectionApprovers returns the names allowed to approve a correction,
// nil when the policy names none (anyone may then).
func (p *Policy) CorrectionApprovers() []string {
	if p == nil || p.Corrections == nil {
		return nil
	}
	return p.Corrections.Approvers
}

func (c *checker) corrections() {
	if c.p.Corrections == nil {
		return
	}
	var seen []string
	for i, a := range c.p.Corrections.Approvers {
		at := []any{"corrections", "approvers", i}
		switch {
		case strings.TrimSpace(a) == "":
			c.add(at, "write the approver's name, as casebook correct --approved-by will give it", "corrections approver %d is empty", i+1)
		case a != strings.TrimSpace(a):
			c.add(at, "remove the spaces around the name", "corrections approver %q has spaces around it", a)
		case slices.Contains(seen, a):
			c.add(at, "list each approver once", "corrections approver %q is listed twice", a)
		}
		seen = append(seen, a)
	}
}
