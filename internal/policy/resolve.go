package policy

import (
	"github.com/casebook/casebook/internal/msg"

	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Kinds of term Resolve reads, besides "value:FIELD" for a value of an
// enum field ("value:satisfaction", "value:complainant.kind").
const (
	KindState    = "state"
	KindCategory = "category"
	KindChannel  = "channel"
	KindClass    = "class"
	// KindTransition is a target state, named by the state or by the label
	// of a transition into it ("反馈给业务员或质检部" names routed).
	KindTransition = "transition"
	// KindField is a field path, named by the path or the field's label.
	KindField = "field"
	// KindDeadline is a deadline rule (a clock), by its id or label.
	KindDeadline = "deadline"
)

// Resolve reads what a clerk typed for a term of the policy: its id, its
// Chinese label or its English label, after trimming spaces (full-width
// ones too), English case-insensitively. It returns the id, which is what
// files hold. An input that names no value, or several (two values share a
// label, or a label is another value's id), is a *ResolveError listing the
// candidates with their labels.
func (p *Policy) Resolve(kind, input string) (string, error) {
	noun, cands, ok := p.candidates(kind)
	if !ok {
		return "", fmt.Errorf("policy %s has no terms of kind %q", p.ID, kind)
	}
	c, err := pick(noun, input, cands)
	if err != nil {
		err.Policy, err.Known = p.ID, p.known(kind, cands)
		return "", err
	}
	return c.ID, nil
}

// pick is the one candidate input names (see Resolve).
func pick(noun, input string, cands []Choice) (Choice, *ResolveError) {
	in := strings.TrimSpace(input)
	match := func(names func(Choice) []string) []Choice {
		var hits []Choice
		for _, c := range cands {
			if in != "" && slices.ContainsFunc(names(c), func(n string) bool { return strings.EqualFold(n, in) }) &&
				!slices.ContainsFunc(hits, func(h Choice) bool { return h.ID == c.ID }) {
				hits = append(hits, c)
			}
		}
		return hits
	}
	hits := match(func(c Choice) []string { return []string{c.ID, c.Zh, c.En} })
	if len(hits) == 0 {
		// A label without its explanation in brackets names the value too:
		// 已受理 for 已受理(调解中).
		hits = match(func(c Choice) []string { return []string{bare(c.Zh), bare(c.En)} })
	}
	if len(hits) == 1 {
		return hits[0], nil
	}
	e := &ResolveError{Noun: noun, Input: in, Matches: hits, Known: cands}
	if len(hits) == 0 {
		if c, d, ok := nearest(in, cands); ok {
			e.Suggestion, e.distance = &c, d
		}
	}
	return Choice{}, e
}

// bare is a label without a trailing remark in brackets, "" when it has
// none.
func bare(label string) string {
	for _, open := range []string{"(", "（"} {
		if i := strings.LastIndex(label, open); i > 0 && (strings.HasSuffix(label, ")") || strings.HasSuffix(label, "）")) {
			return strings.TrimSpace(label[:i])
		}
	}
	return ""
}

// Choices lists the values of a kind of term (see Resolve), in policy
// order, for a prompt or a message; nil for an unknown kind.
func (p *Policy) Choices(kind string) []Choice {
	_, cands, _ := p.candidates(kind)
	return p.known(kind, cands)
}

// known are the candidates an error lists: a transition is named by its
// target, so only the states are listed, and a clock once.
func (p *Policy) known(kind string, cands []Choice) []Choice {
	switch kind {
	case KindTransition:
		return stateChoices(p.States)
	case KindDeadline:
		var out []Choice
		for _, c := range cands {
			if !slices.ContainsFunc(out, func(x Choice) bool { return x.ID == c.ID }) {
				out = append(out, c)
			}
		}
		return out
	}
	return cands
}

// candidates are the values a kind of term may name, and the noun that
// messages use for it.
func (p *Policy) candidates(kind string) (string, []Choice, bool) {
	switch kind {
	case KindState, "value:" + FieldStatus:
		return FieldStatus, stateChoices(p.States), true
	case KindCategory, "value:" + FieldCategory:
		return FieldCategory, p.Categories, true
	case KindChannel, "value:" + FieldChannel:
		return FieldChannel, p.Channels, true
	case KindClass:
		if len(p.Classes) > 0 {
			return KindClass, p.Classes, true
		}
		var out []Choice
		for _, c := range slices.Concat(p.Categories, p.Channels) {
			if c.Class != "" && !slices.ContainsFunc(out, func(x Choice) bool { return x.ID == c.Class }) {
				out = append(out, Choice{ID: c.Class})
			}
		}
		return KindClass, out, true
	case KindTransition:
		out := stateChoices(p.States)
		for _, t := range p.Transitions {
			out = append(out, Choice{ID: t.To, Zh: t.Zh, En: t.En})
		}
		return FieldStatus, out, true
	case KindDeadline:
		// Each alternative of a clock names it by its own label.
		var out []Choice
		for _, d := range p.Deadlines {
			out = append(out, Choice{ID: d.ID, Zh: d.Zh, En: d.En})
		}
		return KindDeadline, out, true
	case KindField:
		var out []Choice
		for _, path := range p.fieldPaths() {
			f, _ := p.Field(path)
			out = append(out, Choice{ID: path, Zh: f.Zh, En: f.En})
		}
		return KindField, out, true
	}
	if path, ok := strings.CutPrefix(kind, "value:"); ok {
		if f, ok := p.Field(path); ok && f.Type == TypeEnum {
			return path, f.Values, true
		}
	}
	return "", nil, false
}

// nearest is the candidate whose id or label is closest to in, within a
// small edit distance that leaves most of it intact.
func nearest(in string, cands []Choice) (Choice, int, bool) {
	in = strings.ToLower(in)
	best, bestDist, found := Choice{}, 3, false
	for _, c := range cands {
		for _, s := range []string{c.ID, c.Zh, c.En} {
			if s == "" {
				continue
			}
			s = strings.ToLower(s)
			if d := editDistance(in, s); d < bestDist && 2*d <= len([]rune(s)) {
				best, bestDist, found = c, d, true
			}
		}
	}
	return best, bestDist, found
}

// ResolveError is an input that names no value of a term, or several.
type ResolveError struct {
	// Noun is what was asked for: status, channel, category, class, field,
	// or the path of an enum field.
	Noun, Input, Policy string
	// Matches are the values the input names, two or more when it is
	// ambiguous, none when it is unknown.
	Matches []Choice
	// Suggestion is the known value closest to an unknown input.
	Suggestion *Choice
	// Known are the values of the term.
	Known    []Choice
	distance int
}

// Ambiguous tells whether the input names several values.
func (e *ResolveError) Ambiguous() bool { return len(e.Matches) > 1 }

// nounsZh are the Chinese words for what ResolveError asks for.
var nounsZh = map[string]string{"status": "状态", "state": "状态", "channel": "渠道", "category": "类别",
	"class": "渠道类别", "field": "字段", "policy": "办法", "transition": "流转", "by": "分组"}

// In is the error in lang: Chinese lists the values by label with the id
// beside it.
func (e *ResolveError) In(lang string) string {
	if lang == msg.En {
		return e.Error()
	}
	noun := nounsZh[e.Noun]
	if noun == "" {
		noun = "「" + e.Noun + "」的取值"
	}
	in := ""
	if e.Policy != "" {
		in = "办法 " + e.Policy + " 中"
	}
	switch {
	case e.Ambiguous():
		ids := make([]string, len(e.Matches))
		for i, m := range e.Matches {
			ids[i] = m.ID
		}
		return fmt.Sprintf("%s「%s」有歧义：它可指 %s（修正：改写编号，%s 之一）", noun, e.Input, choiceListZh(e.Matches), strings.Join(ids, "、"))
	case e.Input == "":
		return fmt.Sprintf("%s为空（修正：填写 %s 之一）", noun, choiceListZh(e.Known))
	case e.Suggestion != nil:
		return fmt.Sprintf("%s没有%s「%s」；是不是 %s？", in, noun, e.Input, choiceListZh([]Choice{*e.Suggestion}))
	case len(e.Known) == 0 && e.Policy == "":
		return fmt.Sprintf("没有%s「%s」：没有哪个办法声明了%s", noun, e.Input, noun)
	case len(e.Known) == 0:
		return fmt.Sprintf("没有%s「%s」：办法 %s 没有声明%s", noun, e.Input, e.Policy, noun)
	}
	return fmt.Sprintf("%s没有%s「%s」（修正：填写 %s 之一）", in, noun, e.Input, choiceListZh(e.Known))
}

// choiceListZh writes values by Chinese label with the id beside it:
// "电话（phone）、信函（letter）".
func choiceListZh(cs []Choice) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.ID
		if c.Zh != "" && c.Zh != c.ID {
			parts[i] = c.Zh + "（" + c.ID + "）"
		}
	}
	return strings.Join(parts, "、")
}

var _ msg.Localized = (*ResolveError)(nil)

func (e *ResolveError) Error() string {
	switch {
	case e.Ambiguous():
		ids := make([]string, len(e.Matches))
		for i, m := range e.Matches {
			ids[i] = m.ID
		}
		return fmt.Sprintf("ambiguous %s %q: it names %s (fix: give the id, one of %s)", e.Noun, e.Input, ChoiceList(e.Matches), strings.Join(ids, ", "))
	case e.Input == "":
		return fmt.Sprintf("empty %s (fix: give one of %s)", e.Noun, ChoiceList(e.Known))
	case e.Suggestion != nil:
		return fmt.Sprintf("unknown %s %q; did you mean %s?", e.Noun, e.Input, shortChoice(*e.Suggestion))
	case len(e.Known) == 0 && e.Policy == "":
		return fmt.Sprintf("unknown %s %q: no policy declares any", e.Noun, e.Input)
	case len(e.Known) == 0:
		return fmt.Sprintf("unknown %s %q: policy %s declares none", e.Noun, e.Input, e.Policy)
	}
	in := ""
	if e.Policy != "" {
		in = " in policy " + e.Policy
	}
	return fmt.Sprintf("unknown %s %q%s (fix: give one of %s)", e.Noun, e.Input, in, ChoiceList(e.Known))
}

// ChoiceList writes values with their labels for a message or a prompt:
// "phone (电话, Telephone), letter (信函, Letter)".
func ChoiceList(cs []Choice) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.ID
		if labels := choiceLabels(c); labels != "" {
			parts[i] += " (" + labels + ")"
		}
	}
	return strings.Join(parts, ", ")
}

func choiceLabels(c Choice) string {
	var ls []string
	for _, l := range []string{c.Zh, c.En} {
		if l != "" && l != c.ID && !slices.Contains(ls, l) {
			ls = append(ls, l)
		}
	}
	return strings.Join(ls, ", ")
}

// shortChoice is a value with its Chinese label: "assigned (已指定承办人)".
func shortChoice(c Choice) string {
	if l := cmp.Or(c.Zh, c.En); l != "" && l != c.ID {
		return c.ID + " (" + l + ")"
	}
	return c.ID
}

// Resolve reads a term for the policies of scope (ids; all policies when
// empty): where a value is valid in one policy and not in another, the
// result holds the policies where it is. It is an error when the input is
// ambiguous in a policy, or names nothing in any: the suggestion is the
// closest value of all of them.
func (s *Set) Resolve(kind, input string, scope []string) (map[string]string, error) {
	if len(scope) == 0 {
		scope = s.IDs()
	}
	out := map[string]string{}
	var unknown *ResolveError
	for _, id := range scope {
		p, ok := s.Get(id)
		if !ok {
			continue
		}
		if _, _, ok := p.candidates(kind); !ok {
			continue // an enum field this policy does not have
		}
		v, err := p.Resolve(kind, input)
		if err == nil {
			out[id] = v
			continue
		}
		re, ok := err.(*ResolveError)
		if !ok {
			return nil, err
		}
		if re.Ambiguous() {
			return nil, fmt.Errorf("policy %s: %w", id, re)
		}
		if unknown == nil || re.Suggestion != nil && (unknown.Suggestion == nil || re.distance < unknown.distance) {
			unknown = re
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	if unknown == nil {
		noun := kind
		if kind == KindState {
			noun = FieldStatus
		}
		return nil, &ResolveError{Noun: strings.TrimPrefix(noun, "value:"), Input: strings.TrimSpace(input)}
	}
	return nil, unknown
}

// Scope is the office's policies: those of its own policies/ folder, or
// all when it has none.
func (s *Set) Scope() []string {
	if len(s.own) > 0 {
		return slices.Clone(s.own)
	}
	return s.IDs()
}

// Lookup finds a policy by its id or its Chinese or English name, trimmed
// and English case-insensitively; an unknown one is a *ResolveError with
// the closest policy as suggestion.
func (s *Set) Lookup(input string) (*Policy, error) {
	var cands []Choice
	for _, id := range s.IDs() {
		p := s.byID[id]
		cands = append(cands, Choice{ID: id, Zh: p.Name.Zh, En: p.Name.En})
	}
	c, err := pick("policy", input, cands)
	if err != nil {
		return nil, err
	}
	return s.byID[c.ID], nil
}

// Filter is what the values of a filter name in each policy: policy id to
// the ids a case's value must be one of. A nil Filter keeps every case.
type Filter map[string][]string

// Filter reads the values of a filter (list --status 已受理,closed) for the
// policies of scope, each by Set.Resolve; no values is a nil Filter.
func (s *Set) Filter(kind string, inputs, scope []string) (Filter, error) {
	if len(inputs) == 0 {
		return nil, nil
	}
	f := Filter{}
	for _, in := range inputs {
		ids, err := s.Resolve(kind, in, scope)
		if err != nil {
			return nil, err
		}
		for p, id := range ids {
			f[p] = append(f[p], id)
		}
	}
	return f, nil
}

// Keeps tells whether a case of policy whose value is id passes the filter.
func (f Filter) Keeps(policy, id string) bool {
	return f == nil || slices.Contains(f[policy], id)
}

// ResolveOne reads a term that must name one id in all the policies of
// scope where it is known, such as a field path or a deadline rule given
// by its label: a label that names different ids in different policies is
// ambiguous.
func (s *Set) ResolveOne(kind, input string, scope []string) (string, error) {
	ids, err := s.Resolve(kind, input, scope)
	if err != nil {
		return "", err
	}
	var distinct []string
	for _, id := range ids {
		if !slices.Contains(distinct, id) {
			distinct = append(distinct, id)
		}
	}
	if len(distinct) > 1 {
		slices.Sort(distinct)
		return "", fmt.Errorf("ambiguous %s %q: it names %s in different policies (fix: give the id)", kind, strings.TrimSpace(input), strings.Join(distinct, ", "))
	}
	return distinct[0], nil
}
