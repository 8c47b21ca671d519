package policy

import (
	"sort"
	"strings"
	"sync"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

// ClockFacts lists the top-level fields whose values start or decide a
// clock: received_at, the fields a clock starts or stops at, the field of
// a report duty (a report rewritten to an earlier time would hide a late
// one), and every field a deadline's `when` reads (category for
// category_class, channel for channel_class, the first part of a
// has("a.b") path). Once recorded, such a fact may be changed only by a
// correction, and the clocks keep the value first recorded; a list of
// report times may only grow. Sorted.
func (p *Policy) ClockFacts() []string {
	if f, ok := clockFacts.Load(p); ok {
		return f.([]string)
	}
	f := p.clockFacts()
	clockFacts.Store(p, f)
	return f
}

// clockFacts holds ClockFacts per loaded policy: judging a case asks for
// them, and parsing conditions for each of a hundred thousand cases would
// cost seconds.
var clockFacts sync.Map

func (p *Policy) clockFacts() []string {
	set := map[string]bool{FieldReceivedAt: true}
	top := func(path string) string {
		name, _, _ := strings.Cut(path, ".")
		return name
	}
	for _, d := range p.Deadlines {
		if d.Start.Field != "" {
			set[top(d.Start.Field)] = true
		}
		if d.StopField != "" {
			set[top(d.StopField)] = true
		}
		if d.Report != nil && d.Report.Field != "" {
			set[top(d.Report.Field)] = true
		}
		if d.When == "" {
			continue
		}
		tree, err := parser.Parse(d.When)
		if err != nil {
			continue // the loader reported it
		}
		v := &factVisitor{p: p, set: set}
		ast.Walk(&tree.Node, v)
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

type factVisitor struct {
	p   *Policy
	set map[string]bool
}

func (v *factVisitor) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.IdentifierNode:
		switch n.Value {
		case envCategoryClass:
			v.set[FieldCategory] = true
		case envChannelClass:
			v.set[FieldChannel] = true
		default:
			if _, ok := v.p.Field(n.Value); ok {
				v.set[n.Value] = true
			}
		}
	case *ast.CallNode:
		if id, ok := n.Callee.(*ast.IdentifierNode); ok && id.Value == envHas && len(n.Arguments) == 1 {
			if s, ok := n.Arguments[0].(*ast.StringNode); ok {
				name, _, _ := strings.Cut(s.Value, ".")
				if _, ok := v.p.Field(name); ok {
					v.set[name] = true
				}
			}
		}
	}
}
