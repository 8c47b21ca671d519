package policy

import (
	"fmt"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
)

// evalBudget bounds the work of one evaluation of a condition, in the
// units of expr's memory budget: one for each element of every range,
// array and map the condition makes, and, through stepCounter, one for
// every run of a predicate (the body of all, any, filter, map, count,
// reduce, sortBy ...) and one for every KiB of a string a run gives. Real
// conditions use a few hundred units; 100,000 take a few milliseconds, so
// a condition that nests loops over a long field
// (all(split(title, ""), {all(split(title, ""), {...})})) or doubles a
// string in reduce fails on that case instead of running for hours or
// filling the memory.
const evalBudget = 100_000

// ErrTooExpensive is the error of an evaluation that went over evalBudget.
var ErrTooExpensive = fmt.Errorf("too expensive: the condition needs more than %d steps on this case (条件运算量过大)", evalBudget)

// Names of what stepCounter adds to a predicate. The variable is bound
// only around the charge, after the body ran, so a body cannot see it.
const (
	stepVar    = "_step"
	stepKiB    = "_step_kib"
	stepCharge = "_step_charge"
)

// stepFunctions are the functions stepCounter calls.
func stepFunctions() []expr.Option {
	return []expr.Option{
		expr.Function(stepKiB, func(args ...any) (any, error) {
			if s, ok := args[0].(string); ok {
				return len(s) / 1024, nil
			}
			return 0, nil
		}, new(func(any) int)),
		expr.Function(stepCharge, func(args ...any) (any, error) { return args[0], nil }, new(func(any, any) any)),
	}
}

// stepCounter makes every run of a predicate count against the
// evaluation's budget. expr counts the elements of the ranges, arrays and
// maps a condition builds, but not the runs of a predicate over a value
// the case gives, nor the strings it builds, so each predicate body P
// becomes
//
//	let _step = P; _step_charge(_step, 0.._step_kib(_step))
//
// whose range has one element, and one more per KiB of what P gave.
type stepCounter struct{}

var _ ast.Visitor = stepCounter{}

// Visit implements ast.Visitor.
func (stepCounter) Visit(node *ast.Node) {
	pr, ok := (*node).(*ast.PredicateNode)
	if !ok || pr.Node == nil {
		return
	}
	loc := pr.Node.Location()
	at := func(n ast.Node) ast.Node { n.SetLocation(loc); return n }
	step := func() ast.Node { return at(&ast.IdentifierNode{Value: stepVar}) }
	kib := at(&ast.CallNode{Callee: at(&ast.IdentifierNode{Value: stepKiB}), Arguments: []ast.Node{step()}})
	rng := at(&ast.BinaryNode{Operator: "..", Left: at(&ast.IntegerNode{Value: 0}), Right: kib})
	charge := at(&ast.CallNode{Callee: at(&ast.IdentifierNode{Value: stepCharge}), Arguments: []ast.Node{step(), rng}})
	pr.Node = at(&ast.VariableDeclaratorNode{Name: stepVar, Value: pr.Node, Expr: charge})
}
