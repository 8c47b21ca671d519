package policy

import (
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

// ClockFacts lists the field paths whose values start or decide a clock:
// received_at, the fields a clock starts or stops at (a path inside an
// object, such as dispatch_approval.at), the field of a report duty (a
// report rewritten to an earlier time would hide a late one), and every
// field a deadline's `when` reads (category for category_class, channel
// for channel_class, the path of a has("a.b") where the policy declares
// it, else its first part). Once recorded, such a fact may be changed only by a
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
	for _, d := range p.Deadlines {
		// A time inside an object (dispatch_approval.at) is the fact, not
		// the object: the approver's opinion beside it decides no clock.
		for _, f := range []string{d.Start.Field, d.StopField, d.ReportField()} {
			if f != "" {
				set[f] = true
			}
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

// ReportField is the field of a reporting duty; empty for a completion
// clock.
func (d DeadlineRule) ReportField() string {
	if d.Report == nil {
		return ""
	}
	return d.Report.Field
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
		case FieldStatus:
			// The state is no recorded fact: transitions change it, and
			// history judges them.
		default:
			if _, ok := v.p.Field(n.Value); ok {
				v.set[n.Value] = true
			}
		}
	case *ast.CallNode:
		if id, ok := n.Callee.(*ast.IdentifierNode); ok && id.Value == envHas && len(n.Arguments) == 1 {
			if s, ok := n.Arguments[0].(*ast.StringNode); ok {
				// The path itself where the policy declares it, so that
				// has("dispatch_approval.at") makes the time the fact and
				// not the approval's other parts.
				name, _, _ := strings.Cut(s.Value, ".")
				if _, ok := v.p.Field(s.Value); ok {
					name = s.Value
				}
				if _, ok := v.p.Field(name); ok {
					v.set[name] = true
				}
			}
		}
	}
}

// HasPaths lists the paths a condition asks has() about, in order:
// has("extension_reason_told_at") gives extension_reason_told_at. A
// condition that does not parse has none.
func (p *Policy) HasPaths(src string) []string {
	tree, err := parser.Parse(src)
	if err != nil {
		return nil
	}
	v := &hasVisitor{}
	ast.Walk(&tree.Node, v)
	return v.paths
}

type hasVisitor struct{ paths []string }

func (v *hasVisitor) Visit(node *ast.Node) {
	if n, ok := (*node).(*ast.CallNode); ok {
		if id, ok := n.Callee.(*ast.IdentifierNode); ok && id.Value == envHas && len(n.Arguments) == 1 {
			if s, ok := n.Arguments[0].(*ast.StringNode); ok && !slices.Contains(v.paths, s.Value) {
				v.paths = append(v.paths, s.Value)
			}
		}
	}
}
