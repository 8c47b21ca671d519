package policy

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/msg"
)

// State returns the state with the given id.
func (p *Policy) State(id string) (*State, bool) {
	for i := range p.States {
		if p.States[i].ID == id {
			return &p.States[i], true
		}
	}
	return nil, false
}

// InitialState returns the id of the state new cases start in.
func (p *Policy) InitialState() string {
	for _, s := range p.States {
		if s.Initial {
			return s.ID
		}
	}
	return ""
}

// IsTerminal tells whether id is a state that ends a case.
func (p *Policy) IsTerminal(id string) bool {
	s, ok := p.State(id)
	return ok && s.Terminal
}

// OpenStates returns the ids of the non-terminal states, in policy order.
func (p *Policy) OpenStates() []string {
	var out []string
	for _, s := range p.States {
		if !s.Terminal {
			out = append(out, s.ID)
		}
	}
	return out
}

// TransitionAllowed returns the first transition that allows moving a case
// from one state to another. "*" in a transition's from matches any state
// and "open" any non-terminal state, but neither matches the target state
// itself, nor lets a case go back to the initial state: that takes a
// transition naming the source state explicitly. A transition's When is
// not evaluated here; the caller runs it with Eval.
func (p *Policy) TransitionAllowed(from, to string) (*Transition, bool) {
	if _, ok := p.State(from); !ok {
		return nil, false
	}
	if _, ok := p.State(to); !ok {
		return nil, false
	}
	initial := p.InitialState()
	for i := range p.Transitions {
		t := &p.Transitions[i]
		if t.To != to {
			continue
		}
		for _, f := range t.From {
			switch {
			case f == from:
				return t, true
			case from == to || to == initial:
			case f == "*", f == "open" && !p.IsTerminal(from):
				return t, true
			}
		}
	}
	return nil, false
}

// Category returns the category with the given id.
func (p *Policy) Category(id string) (*Choice, bool) { return findChoice(p.Categories, id) }

// Channel returns the channel with the given id.
func (p *Policy) Channel(id string) (*Choice, bool) { return findChoice(p.Channels, id) }

// Class returns the class with the given id.
func (p *Policy) Class(id string) (*Choice, bool) { return findChoice(p.Classes, id) }

func findChoice(list []Choice, id string) (*Choice, bool) {
	for i := range list {
		if list[i].ID == id {
			return &list[i], true
		}
	}
	return nil, false
}

// Field returns the field at a dotted path: "amount", "complainant.phone",
// or "extensions.until" for the sub-field of a list's items. After Load,
// the core fields are always found.
func (p *Policy) Field(path string) (*Field, bool) {
	if path == "" {
		return nil, false
	}
	fields := p.Fields
	var f *Field
	for part := range strings.SplitSeq(path, ".") {
		f = fieldNamed(fields, part)
		if f == nil {
			return nil, false
		}
		fields = f.Fields
	}
	return f, true
}

// fieldNamed finds a field by index rather than with a predicate taking a
// Field by value: the validator asks for every key of every case, and
// copying each Field on the way showed in profiles.
func fieldNamed(fields []Field, name string) *Field {
	for i := range fields {
		if fields[i].Name == name {
			return &fields[i]
		}
	}
	return nil
}

// fieldPaths lists every field path, parents before their sub-fields.
func (p *Policy) fieldPaths() []string {
	var out []string
	var walk func(prefix string, fields []Field)
	walk = func(prefix string, fields []Field) {
		for _, f := range fields {
			path := prefix + f.Name
			out = append(out, path)
			walk(path+".", f.Fields)
		}
	}
	walk("", p.Fields)
	return out
}

// PIIPaths returns the sorted paths of the fields that hold personal data,
// such as "complainant.phone". A personal-data object's sub-fields are all
// listed.
func (p *Policy) PIIPaths() []string {
	var out []string
	for _, path := range p.fieldPaths() {
		if f, _ := p.Field(path); f.PII {
			out = append(out, path)
		}
	}
	slices.Sort(out)
	return out
}

// ConfidentialPaths returns the sorted paths of the fields marked
// confidential, such as "respondent"; what is under one is confidential
// too.
func (p *Policy) ConfidentialPaths() []string {
	var out []string
	for _, path := range p.fieldPaths() {
		if f, _ := p.Field(path); f.Confidential {
			out = append(out, path)
		}
	}
	slices.Sort(out)
	return out
}

// Requirement returns the requirements block of a state (empty if it has
// none). Fields' own required_in/required_when are not merged in: those
// depend on the case, and the caller evaluates them.
func (p *Policy) Requirement(state string) Requirement {
	r := p.Requirements[state]
	return Requirement{
		Fields:    slices.Clone(r.Fields),
		Sections:  slices.Clone(r.Sections),
		Approvals: slices.Clone(r.Approvals),
	}
}

// Requires tells whether a case in state must carry the field at path (or
// a field inside it): the state's requirements, or a field's required_in
// where its required_when holds for fields, the case's front-matter.
func (p *Policy) Requires(state, path string, fields map[string]any) bool {
	names := func(r string) bool { return r == path || strings.HasPrefix(r, path+".") }
	req := p.Requirement(state)
	if slices.ContainsFunc(req.Fields, names) || slices.ContainsFunc(req.Approvals, names) {
		return true
	}
	// A required approval names who approved.
	if a, ok := strings.CutSuffix(path, ".by"); ok && slices.Contains(req.Approvals, a) {
		return true
	}
	for _, fp := range p.fieldPaths() {
		f, _ := p.Field(fp)
		if !names(fp) || !slices.Contains(f.RequiredIn, state) {
			continue
		}
		if f.RequiredWhen == "" {
			return true
		}
		if ok, err := p.Eval(f.RequiredWhen, p.Env(fields)); err == nil && ok {
			return true
		}
	}
	return false
}

// Label returns the display name of a policy term in lang ("zh" or "en").
// kind is one of policy, state, category, channel, class, field, deadline,
// escalation, or value:FIELD for a value of an enum field. Chinese falls
// back to English, and both to the id.
func (p *Policy) Label(kind, id, lang string) string {
	var zh, en string
	switch kind {
	case "policy":
		zh, en = p.Name.Zh, p.Name.En
	case "state":
		if s, ok := p.State(id); ok {
			zh, en = s.Zh, s.En
		}
	case "category", "channel", "class":
		list := map[string][]Choice{"category": p.Categories, "channel": p.Channels, "class": p.Classes}[kind]
		if c, ok := findChoice(list, id); ok {
			zh, en = c.Zh, c.En
		}
	case "field":
		if f, ok := p.Field(id); ok {
			zh, en = f.Zh, f.En
		}
	case "deadline":
		for _, d := range p.Deadlines {
			if d.ID == id {
				zh, en = cmp.Or(zh, d.Zh), cmp.Or(en, d.En)
			}
		}
	case "escalation":
		for _, e := range p.Escalations {
			if e.ID == id {
				zh, en = e.Zh, e.En
			}
		}
	default:
		// "value:FIELD" labels a value of an enum field ("value:cause").
		if path, ok := strings.CutPrefix(kind, "value:"); ok {
			if f, ok := p.Field(path); ok {
				if c, ok := findChoice(f.Values, id); ok {
					zh, en = c.Zh, c.En
				}
			}
		}
	}
	if lang == "en" {
		return cmp.Or(en, id)
	}
	return cmp.Or(zh, en, id)
}

// DeadlineIDs returns the ids of the deadline rules, each once, in policy
// order (rules sharing an id are alternatives of one clock).
func (p *Policy) DeadlineIDs() []string {
	var out []string
	for _, d := range p.Deadlines {
		if !slices.Contains(out, d.ID) {
			out = append(out, d.ID)
		}
	}
	return out
}

// EnumValues lists the allowed values of an enum field ("status",
// "channel", "cause", "complainant.anonymous" is not one), or of the class
// names category_class and channel_class; nil when path is none of these.
func (p *Policy) EnumValues(path string) []string {
	v, _ := p.enumValues(path)
	return v
}

// Reachable lists, in state order, the states a case in from may move to.
func (p *Policy) Reachable(from string) []string {
	var out []string
	for _, s := range p.States {
		if _, ok := p.TransitionAllowed(from, s.ID); ok {
			out = append(out, s.ID)
		}
	}
	return out
}

// FieldRequirement is one reason a field must be filled in: in States
// (policy order), when When holds, or while Escalation applies (in its
// States; none means every state after the initial one).
type FieldRequirement struct {
	States     []string
	When       string
	Escalation string
}

// FieldRequirements lists what requires the field at path, for people
// (policy show): the states whose requirements name it, its own
// required_in and required_when, and the escalations that require it.
func (p *Policy) FieldRequirements(path string) []FieldRequirement {
	var out []FieldRequirement
	var inStates []string
	for _, s := range p.States {
		r := p.Requirements[s.ID]
		if slices.Contains(r.Fields, path) || slices.Contains(r.Approvals, path) {
			inStates = append(inStates, s.ID)
		}
	}
	if len(inStates) > 0 {
		out = append(out, FieldRequirement{States: inStates})
	}
	if f, ok := p.Field(path); ok && len(f.RequiredIn) > 0 {
		out = append(out, FieldRequirement{States: slices.Clone(f.RequiredIn), When: f.RequiredWhen})
	}
	for _, e := range p.Escalations {
		if slices.Contains(e.Fields, path) {
			out = append(out, FieldRequirement{States: slices.Clone(e.In), Escalation: e.ID})
		}
	}
	return out
}

// Term is a policy term as a message argument: its Chinese label in
// Chinese words, its id in English ones (see Label for the kinds).
func (p *Policy) Term(kind, id string) msg.Label {
	return msg.Label{ID: id, Zh: p.Label(kind, id, msg.Zh)}
}

// At is a moment as a message argument, shown in the policy's time zone.
func (p *Policy) At(t time.Time) msg.Time { return msg.At(t, p.Location) }
