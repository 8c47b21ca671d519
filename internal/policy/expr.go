package policy

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/types"
	"github.com/expr-lang/expr/vm"
	"gopkg.in/yaml.v3"

	"github.com/casebook/casebook/internal/msg"
)

// Names the rule language defines besides the policy's fields.
const (
	// envHas is has("a.b"): whether the case carries a non-empty value at
	// that path. Absent fields read as zero values, so without has a
	// condition could not tell "0" from "not given".
	envHas = "has"
	// envLate lists the ids of the case's deadline rules that are late
	// (overdue or missed); the validator fills it in.
	envLate = "late"
	// envMet lists the ids of the deadline rules whose clocks stopped in
	// time; envEntered the states the case has been in, from its history,
	// the current one included; envEscalated the ids of the escalations
	// that apply to the case. The office fills them in when it judges a
	// case; an escalation's own condition sees envEscalated empty.
	envMet           = "met"
	envEntered       = "entered"
	envEscalated     = "escalated"
	envCategoryClass = "category_class"
	envChannelClass  = "channel_class"
)

// maxNodes bounds the size of a condition; real ones have a few dozen
// nodes, and the bound keeps compile and run time small.
const maxNodes = 500

// riskyBuiltins are expr builtins a condition may not use: now() would make
// a finding depend on the wall clock (commands take --now instead),
// repeat() can build huge strings, timezone() reads the zone database.
var riskyBuiltins = []string{"now", "repeat", "timezone"}

// compiled is the rule-language state of a loaded policy.
type compiled struct {
	opts  []expr.Option
	mu    sync.RWMutex
	progs map[string]*vm.Program

	zeroOnce sync.Once
	zeros    []any // zero(&Policy.Fields[i]); shared, never modified
}

// zeroValues returns the value of each top-level field when absent. Env
// shares them between cases (conditions only read them) rather than
// building an empty map for every absent object of every case.
func (c *compiled) zeroValues(p *Policy) []any {
	c.zeroOnce.Do(func() {
		c.zeros = make([]any, len(p.Fields))
		for i := range p.Fields {
			c.zeros[i] = zero(&p.Fields[i])
		}
	})
	return c.zeros
}

// compile type-checks every condition collected by the checker and caches
// the programs in the policy.
func (c *checker) compile() {
	p := c.p
	p.rt = &compiled{opts: p.exprOptions(), progs: map[string]*vm.Program{}}
	for _, cd := range c.conds {
		if _, ok := p.rt.progs[cd.src]; ok {
			continue
		}
		prog, probs := p.compileCond(cd.src)
		for _, pr := range probs {
			e := &msg.FileError{File: c.d.file, Msg: msg.T("%s：%s", "%s: %s").Sprintf(cd.where, pr.msg), Fix: pr.fix}
			if n := cd.node; n != nil {
				e.Line, e.Col = n.Line, exprColumn(n, cd.src, pr.offset)
			}
			c.d.errs = append(c.d.errs, e)
		}
		if prog != nil {
			p.rt.progs[cd.src] = prog
		}
	}
}

// exprColumn maps a rune offset inside a condition to a column of the
// file, when the condition sits on one line of the file.
func exprColumn(n *yaml.Node, src string, offset int) int {
	if offset < 0 || strings.Contains(src, "\n") {
		return n.Column
	}
	switch n.Style {
	case 0:
		return n.Column + offset
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		if !strings.ContainsAny(src, `\'"`) {
			return n.Column + 1 + offset
		}
	}
	return n.Column
}

func (p *Policy) exprOptions() []expr.Option {
	opts := []expr.Option{
		expr.Env(p.sampleEnv()),
		expr.AsBool(),
		expr.MaxNodes(maxNodes),
		expr.Patch(stepCounter{}),
		expr.Timezone(p.Location.String()),
	}
	for _, b := range riskyBuiltins {
		opts = append(opts, expr.DisableBuiltin(b))
	}
	return append(opts, stepFunctions()...)
}

// problem is one thing wrong with a condition; offset is the rune offset
// in the condition, -1 when unknown.
type problem struct {
	offset   int
	msg, fix msg.Text
}

// compileCond lints and compiles one condition.
func (p *Policy) compileCond(src string) (*vm.Program, []problem) {
	tree, err := parser.Parse(src)
	if err != nil {
		return nil, []problem{exprProblem(err, nil)}
	}
	l := &linter{p: p}
	ast.Walk(&tree.Node, l)
	if len(l.probs) > 0 {
		return nil, l.probs
	}
	prog, err := expr.Compile(src, p.rt.opts...)
	if err != nil {
		return nil, []problem{exprProblem(err, p.envNames())}
	}
	return prog, nil
}

// exprProblem turns an expr error into a problem, suggesting a field for
// an unknown name.
func exprProblem(err error, names []string) problem {
	pr := problem{offset: -1}
	raw := err.Error()
	var fe *file.Error
	if errors.As(err, &fe) {
		raw = fe.Message
		if fe.Line == 1 {
			pr.offset = fe.Column
		}
	}
	pr.msg = exprWords(raw)
	if name, ok := strings.CutPrefix(raw, "unknown name "); ok {
		if best := closest(name, names); best != "" {
			pr.fix = didYouMean(best)
		} else {
			pr.fix = msg.T("在 fields: 下声明这个字段", "declare the field under fields:")
		}
	}
	if pr.fix.IsZero() {
		pr.fix = msg.T("改正条件；它的结果要是 true 或 false，如 amount > 50000", "correct the condition; it must be true or false, e.g. amount > 50000")
	}
	return pr
}

// mismatched finds the two types in the rule language's "invalid
// operation: > (mismatched types string and int)".
var mismatched = regexp.MustCompile(`mismatched types (\S+) and ([^\s)]+)`)

// exprWords are the rule language's message in both languages: its own
// words in English, and in Chinese what the common ones say.
func exprWords(raw string) msg.Text {
	if name, ok := strings.CutPrefix(raw, "unknown name "); ok {
		return msg.T("不认识的名字 %[1]s", "%[2]s").Sprintf(name, raw)
	}
	if m := mismatched.FindStringSubmatch(raw); m != nil {
		return msg.T("类型不匹配：%[1]s 和 %[2]s 不能放在一起比较或运算", "%[3]s").Sprintf(m[1], m[2], raw)
	}
	return msg.T("条件写法有误：%s", "%s").Sprintf(raw)
}

// linter rejects, before type-checking, mistakes the type checker reports
// poorly or not at all: a sub-field that does not exist, has() of an
// undeclared path, and comparing an enum with a value it cannot take.
type linter struct {
	p     *Policy
	probs []problem
}

func (l *linter) report(n ast.Node, fix, format msg.Text, args ...any) {
	l.probs = append(l.probs, problem{offset: n.Location().From, msg: format.Sprintf(args...), fix: fix})
}

// Visit implements ast.Visitor.
func (l *linter) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.MemberNode:
		prop, ok := n.Property.(*ast.StringNode)
		if !ok {
			return
		}
		parent, ok := exprPath(n.Node)
		if !ok {
			return
		}
		pf, ok := l.p.Field(parent)
		if !ok || !objectLike(pf.Type) {
			return
		}
		if _, ok := l.p.Field(parent + "." + prop.Value); !ok {
			names := subFieldNames(pf)
			fix := oneOf(strings.Join(names, ", "))
			if best := closest(prop.Value, names); best != "" {
				fix = msg.T("是不是要写 %s.%s？", "did you mean %s.%s?").Sprintf(parent, best)
			}
			l.report(prop, fix, msg.T("%s 没有字段 %q", "%s has no field %q"), parent, prop.Value)
		}
	case *ast.CallNode:
		callee, ok := n.Callee.(*ast.IdentifierNode)
		if !ok || callee.Value != envHas || len(n.Arguments) != 1 {
			return
		}
		arg, ok := n.Arguments[0].(*ast.StringNode)
		if !ok {
			return
		}
		if _, ok := l.p.Field(arg.Value); !ok {
			fix := msg.T(`has() 只接受声明过的字段路径，如 "complainant.phone"`, `has() takes a declared field path such as "complainant.phone"`)
			if best := closest(arg.Value, l.p.fieldPaths()); best != "" {
				fix = didYouMean(best)
			}
			l.report(arg, fix, msg.T("has(%q)：没有这个字段", "has(%q): no such field"), arg.Value)
		}
	case *ast.BinaryNode:
		switch n.Operator {
		case "==", "!=":
			l.enumLiteral(n.Left, n.Right)
			l.enumLiteral(n.Right, n.Left)
		case "in", "not in":
			if arr, ok := n.Right.(*ast.ArrayNode); ok {
				for _, item := range arr.Nodes {
					l.enumLiteral(n.Left, item)
				}
			}
			if id, ok := n.Right.(*ast.IdentifierNode); ok {
				l.listMember(n.Left, id.Value)
			}
		}
	}
}

// listMember reports a literal that the list name of the environment can
// never hold: "reply" in late where the policy has no rule reply,
// "acepted" in entered.
func (l *linter) listMember(x ast.Node, name string) {
	s, ok := x.(*ast.StringNode)
	if !ok {
		return
	}
	var ids []string
	var what msg.Text
	switch name {
	case envLate, envMet:
		ids, what = l.p.DeadlineIDs(), msg.T("%q 不是这个政策的期限规则", "%q is not a deadline of this policy")
	case envEntered:
		ids, what = choiceIDList(stateChoices(l.p.States)), msg.T("%q 不是这个政策的状态", "%q is not a state of this policy")
	case envEscalated:
		for _, e := range l.p.Escalations {
			ids = append(ids, e.ID)
		}
		what = msg.T("%q 不是这个政策的升级规则", "%q is not an escalation of this policy")
	default:
		return
	}
	if slices.Contains(ids, s.Value) {
		return
	}
	fix := oneOf(strings.Join(ids, ", "))
	if best := closest(s.Value, ids); best != "" {
		fix = didYouMean(best)
	}
	l.report(s, fix, what, s.Value)
}

// enumLiteral reports lit when it is a string that the enum at path x
// cannot hold (category == "atitude").
func (l *linter) enumLiteral(x, lit ast.Node) {
	s, ok := lit.(*ast.StringNode)
	if !ok || s.Value == "" { // "" is how a condition asks for an absent value
		return
	}
	path, ok := exprPath(x)
	if !ok {
		return
	}
	values, ok := l.p.enumValues(path)
	if !ok || len(values) == 0 || slices.Contains(values, s.Value) {
		return
	}
	fix := oneOf(strings.Join(values, ", "))
	if best := closest(s.Value, values); best != "" {
		fix = didYouMean(best)
	}
	l.report(s, fix, msg.T("%s 永远不会是 %q", "%s is never %q"), path, s.Value)
}

// exprPath returns "a.b.c" for an identifier or a chain of property
// accesses on one.
func exprPath(n ast.Node) (string, bool) {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		return n.Value, true
	case *ast.MemberNode:
		prop, ok := n.Property.(*ast.StringNode)
		if !ok {
			return "", false
		}
		base, ok := exprPath(n.Node)
		return base + "." + prop.Value, ok
	}
	return "", false
}

// enumValues lists the values an enum-like name of the environment can
// take.
func (p *Policy) enumValues(path string) ([]string, bool) {
	classes := func(list []Choice) []string {
		if len(p.Classes) > 0 {
			return choiceIDList(p.Classes)
		}
		var out []string
		for _, c := range list {
			if c.Class != "" && !slices.Contains(out, c.Class) {
				out = append(out, c.Class)
			}
		}
		return out
	}
	switch path {
	case envCategoryClass:
		return classes(p.Categories), true
	case envChannelClass:
		return classes(p.Channels), true
	}
	f, ok := p.Field(path)
	if !ok || f.Type != TypeEnum {
		return nil, false
	}
	return choiceIDList(f.Values), true
}

func choiceIDList(list []Choice) []string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = c.ID
	}
	return out
}

func objectLike(t FieldType) bool {
	return t == TypeObject || t == TypePerson || t == TypeApproval
}

func subFieldNames(f *Field) []string {
	out := make([]string, len(f.Fields))
	for i, sf := range f.Fields {
		out[i] = sf.Name
	}
	return out
}

// envNames lists the top-level names of the environment.
func (p *Policy) envNames() []string {
	names := []string{envHas, envLate, envMet, envEntered, envEscalated, envCategoryClass, envChannelClass}
	for _, f := range p.Fields {
		names = append(names, f.Name)
	}
	return names
}

// sampleEnv is the environment conditions are type-checked against: every
// field with a value of its type, object fields as strict maps so that a
// misspelt sub-field does not compile.
func (p *Policy) sampleEnv() map[string]any {
	env := map[string]any{
		envHas:           func(string) bool { return false },
		envLate:          []string{},
		envMet:           []string{},
		envEntered:       []string{},
		envEscalated:     []string{},
		envCategoryClass: "",
		envChannelClass:  "",
	}
	for _, f := range p.Fields {
		if objectLike(f.Type) {
			env[f.Name] = mapType(&f)
		} else {
			env[f.Name] = zero(&f)
		}
	}
	return env
}

func mapType(f *Field) types.Map {
	m := types.Map{}
	for i := range f.Fields {
		sf := &f.Fields[i]
		if objectLike(sf.Type) {
			m[sf.Name] = mapType(sf)
		} else {
			m[sf.Name] = types.TypeOf(zero(sf))
		}
	}
	return m
}

// zero is the value an absent field has in the environment.
func zero(f *Field) any {
	switch f.Type {
	case TypeNumber, TypeMoney:
		return 0.0
	case TypeInt:
		return 0
	case TypeDate, TypeDateTime:
		return time.Time{}
	case TypeBool:
		return false
	case TypeList:
		return []any{}
	case TypeObject, TypePerson, TypeApproval:
		m := make(map[string]any, len(f.Fields))
		for i := range f.Fields {
			m[f.Fields[i].Name] = zero(&f.Fields[i])
		}
		return m
	}
	return ""
}

// Env builds the environment conditions run in from a case's front-matter
// (as decoded from YAML). Every declared top-level field is present,
// converted to its declared type, or its zero value when absent or not
// convertible (the validator reports such values separately):
//
//	number, money → float64    int → int           bool → bool
//	datetime → time.Time       date → time.Time at midnight in p.Location
//	string, text, enum → string
//	list → []any (object items as maps; a plain string item of a list of
//	       objects with an id sub-field, as in related:, becomes {id: ...})
//	object, person, approval → map[string]any with every declared sub-field
//
// Besides the fields: category_class and channel_class (the class of the
// case's category and channel, "" if none), late and met ([]string, the ids
// of late and of met deadline rules; empty here, the office replaces them),
// entered (the states the case has been in; here the current one only),
// escalated (ids of the escalations that apply; empty here) and has(path).
func (p *Policy) Env(fields map[string]any) map[string]any {
	return p.FillEnv(nil, fields)
}

// FillEnv is Env built in env, a map that an earlier Env or FillEnv
// returned and that its caller no longer uses; nil makes a new one. Judging
// twenty thousand cases one after another then fills a few maps again and
// again rather than leaving one per case for the collector.
func (p *Policy) FillEnv(env, fields map[string]any) map[string]any {
	if env == nil {
		env = make(map[string]any, len(p.Fields)+4)
	} else {
		clear(env)
	}
	if p.rt == nil {
		for i := range p.Fields {
			f := &p.Fields[i]
			env[f.Name] = p.convert(f, fields[f.Name])
		}
	} else {
		// A policy declares dozens of fields and a case carries a few:
		// the absent ones take zero values shared by all cases, and only
		// what the case has is converted.
		zeros := p.rt.zeroValues(p)
		for i, z := range zeros {
			if v, ok := fields[p.Fields[i].Name]; ok {
				env[p.Fields[i].Name] = p.convert(&p.Fields[i], v)
			} else {
				env[p.Fields[i].Name] = z
			}
		}
	}
	env[envCategoryClass] = ""
	if c, ok := p.Category(env[FieldCategory].(string)); ok {
		env[envCategoryClass] = c.Class
	}
	env[envChannelClass] = ""
	if c, ok := p.Channel(env[FieldChannel].(string)); ok {
		env[envChannelClass] = c.Class
	}
	env[envLate] = []string{}
	env[envMet] = []string{}
	env[envEscalated] = []string{}
	env[envEntered] = []string{}
	if st, _ := env[FieldStatus].(string); st != "" {
		env[envEntered] = []string{st}
	}
	env[envHas] = func(path string) bool { return present(fields, path) }
	return env
}

// present tells whether fields holds a non-empty value at a dotted path.
func present(fields map[string]any, path string) bool {
	var v any = fields
	for part := range strings.SplitSeq(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		v = m[part]
	}
	switch v := v.(type) {
	case nil:
		return false
	case string:
		return strings.TrimSpace(v) != ""
	case []any:
		return len(v) > 0
	case map[string]any:
		return len(v) > 0
	case time.Time:
		return !v.IsZero()
	}
	return true
}

// convert gives v the Go type of field f, or f's zero value.
func (p *Policy) convert(f *Field, v any) any {
	switch f.Type {
	case TypeObject, TypePerson, TypeApproval:
		src, _ := v.(map[string]any)
		m := make(map[string]any, len(f.Fields))
		for i := range f.Fields {
			sf := &f.Fields[i]
			m[sf.Name] = p.convert(sf, src[sf.Name])
		}
		return m
	case TypeList:
		items, ok := v.([]any)
		if !ok {
			return []any{}
		}
		item := &Field{Type: f.Items, Fields: f.Fields}
		out := make([]any, 0, len(items))
		for _, it := range items {
			if s, ok := it.(string); ok && objectLike(item.Type) {
				it = map[string]any{"id": s}
			}
			out = append(out, p.convert(item, it))
		}
		return out
	}
	if out, ok := p.scalar(f.Type, v); ok {
		return out
	}
	return zero(f)
}

// scalar converts a YAML scalar to the Go type of t.
func (p *Policy) scalar(t FieldType, v any) (any, bool) {
	switch t {
	case TypeNumber, TypeMoney:
		if _, ok := v.(float64); ok {
			return v, true // v itself: unboxing and boxing again allocates
		}
		return toFloat(v)
	case TypeInt:
		f, ok := toFloat(v)
		if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return nil, false
		}
		return int(f), true
	case TypeBool:
		switch v := v.(type) {
		case bool:
			return v, true
		case string:
			b, err := strconv.ParseBool(v)
			return b, err == nil
		}
	case TypeDateTime:
		return p.ParseTime(v)
	case TypeDate:
		t, ok := p.ParseTime(v)
		if !ok {
			return nil, false
		}
		y, m, d := t.In(p.Location).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, p.Location), true
	case TypeString, TypeText, TypeEnum:
		switch v.(type) {
		case string:
			return v, true // v itself: unboxing and boxing again allocates
		case int, int64, uint64, float64, bool:
			// Unquoted phone numbers and ids arrive as numbers.
			return fmt.Sprint(v), true
		}
	}
	return nil, false
}

func toFloat(v any) (float64, bool) {
	switch v := v.(type) {
	case int:
		return float64(v), true
	case int64:
		return float64(v), true
	case uint64:
		return float64(v), true
	case float64:
		return v, true
	case string:
		f, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(v), ",", ""), 64)
		return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
	}
	return 0, false
}

// timeLayouts are the forms a time may take in a case file, most specific
// first. Those without an offset are read in the policy's time zone.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	time.DateOnly,
}

// ParseTime reads a front-matter time: a time.Time (YAML timestamps), RFC
// 3339 text, or a bare local date or time, read in the policy's time zone.
func (p *Policy) ParseTime(v any) (time.Time, bool) {
	switch v := v.(type) {
	case time.Time:
		return v, true
	case string:
		s := strings.TrimSpace(v)
		for _, layout := range timeLayouts {
			if t, err := time.ParseInLocation(layout, s, p.Location); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// Eval runs a condition against an environment made by Env. Conditions of
// the policy were compiled by Load; any other is compiled now, type-checked
// the same way, and kept.
func (p *Policy) Eval(src string, env map[string]any) (bool, error) {
	if p.rt == nil {
		return false, errors.New("policy was not made by Load")
	}
	p.rt.mu.RLock()
	prog, ok := p.rt.progs[src]
	p.rt.mu.RUnlock()
	if !ok {
		if !utf8.ValidString(src) {
			return false, fmt.Errorf("condition %q is not valid UTF-8", src)
		}
		var probs []problem
		prog, probs = p.compileCond(src)
		if len(probs) > 0 {
			return false, fmt.Errorf("condition %q: %s", src, probs[0].msg.En)
		}
		p.rt.mu.Lock()
		p.rt.progs[src] = prog
		p.rt.mu.Unlock()
	}
	out, err := (&vm.VM{MemoryBudget: evalBudget}).Run(prog, env)
	if err != nil {
		if strings.Contains(err.Error(), "memory budget exceeded") {
			return false, fmt.Errorf("evaluate %q: %w", src, ErrTooExpensive)
		}
		return false, fmt.Errorf("evaluate %q: %w", src, err)
	}
	b, ok := out.(bool)
	if !ok {
		return false, fmt.Errorf("evaluate %q: got %T, want true or false", src, out)
	}
	return b, nil
}
