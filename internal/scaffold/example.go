package scaffold

import (
	"slices"

	"github.com/casebook/casebook/internal/policy"
)

// Example is what the new office's README shows of the daily commands, in
// the vocabulary of its policy: its channels, categories and states, and
// the fields its first move requires. (The bank's words in another
// office's README were refused by its policy.)
type Example struct {
	// Channel and Category are the first the policy lists.
	Channel, Category string
	// Move is the first state the policy lets a new case move to that is
	// not terminal, and MoveSets the "k=v" that state requires.
	Move     string
	MoveSets []string
	// ExtendRule is the policy's first extensible clock, "" when none.
	ExtendRule string
	// Withdraw tells whether the policy has a withdrawn state, the one
	// `casebook withdraw` moves to.
	Withdraw bool
}

// ExampleOf picks the README's example from the policy.
func ExampleOf(p *policy.Policy) Example {
	var ex Example
	if len(p.Channels) > 0 {
		ex.Channel = p.Channels[0].ID
	}
	if len(p.Categories) > 0 {
		ex.Category = p.Categories[0].ID
	}
	initial := p.InitialState()
	for _, t := range p.Transitions {
		if slices.Contains(t.From, initial) && !p.IsTerminal(t.To) && t.To != initial {
			ex.Move = t.To
			break
		}
	}
	if ex.Move != "" {
		req := p.Requirement(ex.Move)
		for _, path := range append(slices.Clone(req.Fields), req.Approvals...) {
			ex.MoveSets = append(ex.MoveSets, exampleSets(p, path)...)
		}
		// The fields a declaration requires in Move, when they apply to the
		// README's new case.
		env := p.Env(map[string]any{
			policy.FieldChannel: ex.Channel, policy.FieldCategory: ex.Category,
			policy.FieldComplainant: map[string]any{"name": "王某", "phone": "13800000000"},
		})
		for _, f := range p.Fields {
			if f.RequiredWhen != "" {
				if ok, err := p.Eval(f.RequiredWhen, env); err != nil || !ok {
					continue
				}
			}
			if slices.Contains(f.RequiredIn, ex.Move) && !slices.Contains(req.Fields, f.Name) {
				ex.MoveSets = append(ex.MoveSets, exampleSets(p, f.Name)...)
			}
		}
	}
	for _, d := range p.Deadlines {
		if d.Extension != nil {
			ex.ExtendRule = d.ID
			break
		}
	}
	_, ex.Withdraw = p.State("withdrawn")
	return ex
}

// exampleSets are the --set values that fill the field at path with a
// plausible value of its type.
func exampleSets(p *policy.Policy, path string) []string {
	f, ok := p.Field(path)
	if !ok {
		return []string{path + "=某某"}
	}
	const at = "2026-10-08T09:00:00+08:00"
	switch f.Type {
	case policy.TypeApproval:
		return []string{path + ".by=王主任", path + ".at=" + at}
	case policy.TypeDateTime:
		return []string{path + "=" + at}
	case policy.TypeDate:
		return []string{path + "=2026-10-08"}
	case policy.TypeEnum:
		if vs := p.EnumValues(path); len(vs) > 0 {
			return []string{path + "=" + vs[0]}
		}
	case policy.TypeBool:
		return []string{path + "=yes"}
	case policy.TypeNumber, policy.TypeInt, policy.TypeMoney:
		return []string{path + "=1"}
	}
	switch path {
	case policy.FieldAssignee:
		return []string{path + "=赵某"}
	case policy.FieldDepartment:
		return []string{path + "=监察室"}
	}
	return []string{path + "=某某"}
}
