package scaffold

import (
	"fmt"
	"maps"
	"slices"
	"strings"

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
	// ExtendSets are the "k=v" that the policy's rules require once a case
	// has an extension (xinfang: the reason told to the petitioner), set
	// before `casebook extend`, which would be refused without them.
	ExtendSets []string
	// Withdraw tells whether the policy has a withdrawn state, the one
	// `casebook withdraw` moves to; WithdrawSets the "k=v" that state
	// requires beyond what withdraw records itself (bankins: when the
	// withdrawal was received).
	Withdraw     bool
	WithdrawSets []string
}

// withdrawRecords are the fields `casebook withdraw` fills itself from its
// flags (clerk.Desk.Withdraw).
var withdrawRecords = []string{"withdrawal", "withdrawal_reason", "withdrawal_voluntary"}

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
		// The rules that apply in Move (market 第九条: the complainant's
		// address and the respondent's), filled as they ask.
		fields := exampleFields(ex)
		for _, kv := range ex.MoveSets {
			k, v, _ := strings.Cut(kv, "=")
			setExample(fields, k, v)
		}
		for _, r := range p.Rules {
			if (len(r.In) == 0 || slices.Contains(r.In, ex.Move)) && (r.When == "" || holds(p, r.When, fields)) {
				sets := fulfil(p, r.Require, fields)
				for _, kv := range sets {
					k, v, _ := strings.Cut(kv, "=")
					setExample(fields, k, v)
				}
				ex.MoveSets = append(ex.MoveSets, sets...)
			}
		}
	}
	for _, d := range p.Deadlines {
		if d.Extension != nil {
			ex.ExtendRule = d.ID
			ex.ExtendSets = extendSets(p, ex, d.ID)
			break
		}
	}
	if _, ex.Withdraw = p.State("withdrawn"); ex.Withdraw {
		for _, path := range p.Requirement("withdrawn").Fields {
			top, _, _ := strings.Cut(path, ".")
			if !slices.Contains(withdrawRecords, top) {
				ex.WithdrawSets = append(ex.WithdrawSets, exampleSets(p, path)...)
			}
		}
	}
	return ex
}

// extendSets finds what the policy's rules require once the case has an
// extension of rule: a rule whose condition an extension makes true.
func extendSets(p *policy.Policy, ex Example, rule string) []string {
	fields := exampleFields(ex)
	with := maps.Clone(fields)
	with[policy.FieldExtensions] = []any{map[string]any{"rule": rule, "until": "2026-11-20", "approved_by": "王局长"}}
	var out []string
	for _, r := range p.Rules {
		if r.When != "" && !holds(p, r.When, fields) && holds(p, r.When, with) {
			out = append(out, fulfil(p, r.Require, with)...)
		}
	}
	return out
}

// exampleFields are the README's new case after its first move.
func exampleFields(ex Example) map[string]any {
	return map[string]any{
		policy.FieldChannel: ex.Channel, policy.FieldCategory: ex.Category, policy.FieldStatus: ex.Move,
		policy.FieldComplainant: map[string]any{"name": "王某", "phone": "13800000000"},
	}
}

func holds(p *policy.Policy, src string, fields map[string]any) bool {
	ok, err := p.Eval(src, p.Env(fields))
	return err == nil && ok
}

// fulfil returns the "k=v" that make the requirement hold for fields: the
// paths it asks has() about, filled one by one until it holds; none when
// it holds already or cannot be made to.
func fulfil(p *policy.Policy, require string, fields map[string]any) []string {
	if require == "" || holds(p, require, fields) {
		return nil
	}
	filled := maps.Clone(fields)
	var out []string
	for _, path := range p.HasPaths(require) {
		if holds(p, fmt.Sprintf("has(%q)", path), filled) {
			continue
		}
		sets := exampleSets(p, path)
		for _, kv := range sets {
			k, v, _ := strings.Cut(kv, "=")
			setExample(filled, k, v)
		}
		out = append(out, sets...)
		if holds(p, require, filled) {
			return out
		}
	}
	return nil
}

// setExample sets the value at a key path of fields, copying the objects on
// the way.
func setExample(fields map[string]any, path, v string) {
	k, rest, nested := strings.Cut(path, ".")
	if !nested {
		fields[k] = v
		return
	}
	inner, _ := fields[k].(map[string]any)
	cp := maps.Clone(inner)
	if cp == nil {
		cp = map[string]any{}
	}
	setExample(cp, rest, v)
	fields[k] = cp
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
