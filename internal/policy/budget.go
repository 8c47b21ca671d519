package policy

import (
	"fmt"

	"github.com/expr-lang/expr/ast"
)

// evalBudget bounds the work of one evaluation of a condition, in the
// units of expr's memory budget: an element of every range, array and map
// it makes, and, through stepCounter, every run of a predicate (the body
// of all, any, filter, map, count, sum, reduce, sortBy ...). Real
// conditions use a few hundred; the budget lets one use 100,000, a few
// milliseconds, so a condition nesting loops over a long field
// (all(split(title, ""), {all(split(title, ""), {...})})) fails on that
// case instead of running for hours.
const evalBudget = 100_000

// ErrTooExpensive is the error of an evaluation that went over evalBudget.
var ErrTooExpensive = fmt.Errorf("too expensive: the condition needs more than %d steps on this case (条件运算量过大)", evalBudget)

// stepCounter makes every run of a predicate count against the
// evaluation's budget: expr counts the elements of the arrays a condition
// builds, but not the runs of a predicate over a value the case gives, so
// each predicate body P becomes [P][0], a one-element array.
type stepCounter struct{}

var _ ast.Visitor = stepCounter{}

// Visit implements ast.Visitor.
func (stepCounter) Visit(node *ast.Node) {
	pr, ok := (*node).(*ast.PredicateNode)
	if !ok || pr.Node == nil {
		return
	}
	loc := pr.Node.Location()
	arr := &ast.ArrayNode{Nodes: []ast.Node{pr.Node}}
	idx := &ast.IntegerNode{Value: 0}
	mem := &ast.MemberNode{Node: arr, Property: idx}
	arr.SetLocation(loc)
	idx.SetLocation(loc)
	mem.SetLocation(loc)
	pr.Node = mem
}
