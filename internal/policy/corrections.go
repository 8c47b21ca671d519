package policy

import (
	"slices"
	"strings"

	"github.com/casebook/casebook/internal/msg"
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
			c.add(at, msg.T("写上批准人的姓名，和 casebook correct --approved-by 给的一样", "write the approver's name, as casebook correct --approved-by will give it"),
				msg.T("更正批准人第 %d 项是空的", "corrections approver %d is empty"), i+1)
		case a != strings.TrimSpace(a):
			c.add(at, msg.T("删除姓名前后的空格", "remove the spaces around the name"), msg.T("更正批准人 %q 前后有空格", "corrections approver %q has spaces around it"), a)
		case slices.Contains(seen, a):
			c.add(at, msg.T("每个批准人只列一次", "list each approver once"), msg.T("更正批准人 %q 列了两次", "corrections approver %q is listed twice"), a)
		}
		seen = append(seen, a)
	}
}
