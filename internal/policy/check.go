package policy

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zones must load the same on every machine, including ones without zoneinfo

	"gopkg.in/yaml.v3"

	"github.com/casebook/casebook/internal/calendar"
)

var (
	policyIDPattern = regexp.MustCompile(`^[a-z0-9_-]+$`)
	prefixPattern   = regexp.MustCompile(`^[A-Z][A-Z0-9]*$`)
	// Vocabulary ids (states, categories, rules ...) appear in case files
	// and command lines; keep them to one unquoted word.
	vocabPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)
	// Field names must be identifiers of the rule language.
	fieldPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	clockPattern = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	// A closing time may also be 24:00, as a period's end may.
	closePattern = regexp.MustCompile(`^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$`)
)

// reservedNames are environment names the rule language defines itself, and
// its keywords; a field with such a name could not be used in a condition.
var reservedNames = []string{
	envHas, envLate, envCategoryClass, envChannelClass,
	"and", "or", "not", "in", "matches", "contains", "startsWith", "endsWith",
	"true", "false", "nil", "let", "if", "else",
}

// checker runs the semantic checks of one policy in a fixed order: a check
// may rely on the vocabularies checked before it.
type checker struct {
	d     *doc
	p     *Policy
	conds []cond // conditions to compile once all fields are known
}

// cond is one condition found in the policy and where it is.
type cond struct {
	src   string
	node  *yaml.Node
	where string // e.g. `rule "x" require`
}

func check(d *doc, p *Policy) {
	c := &checker{d: d, p: p}
	c.header()
	c.states()
	c.choices("classes", p.Classes, false)
	c.choices("categories", p.Categories, true)
	c.choices("channels", p.Channels, true)
	c.fields()
	c.transitions()
	c.requirements()
	c.deadlines()
	c.escalations()
	c.rules()
	c.recusal()
	c.forms()
	c.corrections()
	c.compile()
}

// add records a problem at path. A problem with a whole list or mapping
// lands on its key's line rather than on its first entry.
func (c *checker) add(path []any, fix, format string, args ...any) {
	n := c.d.at(path...)
	if len(path) > 0 && n.Kind != 0 && n.Kind != yaml.ScalarNode {
		if _, ok := path[len(path)-1].(string); ok {
			if k, found := c.d.walk(true, path); found {
				n = k
			}
		}
	}
	c.d.add(n, fix, format, args...)
}

func (c *checker) header() {
	p := c.p
	switch {
	case p.ID == "":
		c.add([]any{"id"}, "add `id: <lower-case word>` at the top", "the policy has no id")
	case !policyIDPattern.MatchString(p.ID):
		c.add([]any{"id"}, "use lower-case letters, digits, _ and -", "policy id %q is not lower-case [a-z0-9_-]", p.ID)
	}
	switch {
	case p.Prefix == "":
		c.add([]any{"prefix"}, "add `prefix: <UPPER-CASE word>`; new case ids are <PREFIX>-<YYYY>-<NNNN>", "the policy has no prefix")
	case !prefixPattern.MatchString(p.Prefix):
		c.add([]any{"prefix"}, "use upper-case letters and digits, e.g. BANK", "prefix %q is not upper-case", p.Prefix)
	}
	if p.Name.Zh == "" {
		c.add([]any{"name"}, "add `name: {zh: ..., en: ...}`", "the policy has no Chinese name (name.zh)")
	}
	for _, k := range []struct{ key, value string }{{"office", p.Office}, {"office_placeholder", p.OfficePlaceholder}} {
		if problem := officeNameProblem(k.value); problem != "" {
			c.add([]any{k.key}, "write the name on one line, e.g. `office: 城关农商银行监察室`", "%s %q %s", k.key, k.value, problem)
		}
	}
	tz := p.Timezone
	if tz == "" {
		tz = DefaultTimezone
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		c.add([]any{"timezone"}, "use an IANA time zone name such as Asia/Shanghai", "unknown time zone %q", tz)
		loc, _ = time.LoadLocation(DefaultTimezone)
	}
	p.Location = loc
	p.LateEntryWindow = DefaultLateEntry
	if p.LateEntry != "" {
		if w, err := lateEntryWindow(p.LateEntry); err != nil {
			c.add([]any{"late_entry"}, `write a wall-clock length, e.g. "72 hours", "3 days" or "90 minutes"`, "late_entry: %v", err)
		} else {
			p.LateEntryWindow = w
		}
	}
	if bh := p.BusinessHours; bh != nil {
		c.businessHours([]any{"business_hours"}, "business_hours", *bh)
	}
	for _, name := range slices.Sorted(maps.Keys(p.Hours)) {
		at := []any{"hours", name}
		if name == HoursNone || !vocabPattern.MatchString(name) {
			c.add(at, "choose a one-word name other than none, e.g. daytime", "hours %q: not a usable name", name)
		}
		c.businessHours(at, "hours."+name, p.Hours[name])
	}
	for _, list := range []struct {
		key  string
		days []CalendarDay
	}{{"holidays", p.Calendar.Holidays}, {"workdays", p.Calendar.Workdays}} {
		seen := map[string]bool{}
		for i, day := range list.days {
			if _, err := time.Parse(time.DateOnly, day.Date); err != nil {
				c.add([]any{"calendar", list.key, i, "date"}, "write the date as YYYY-MM-DD", "calendar.%s: %q is not a date", list.key, day.Date)
			} else if seen[day.Date] {
				c.add([]any{"calendar", list.key, i, "date"}, "remove the repeated date", "calendar.%s: %s is listed twice", list.key, day.Date)
			}
			seen[day.Date] = true
		}
	}
	for i, day := range p.Calendar.Workdays {
		if slices.ContainsFunc(p.Calendar.Holidays, func(h CalendarDay) bool { return h.Date == day.Date }) {
			c.add([]any{"calendar", "workdays", i, "date"}, "keep the date in one of the two lists", "calendar: %s is both a holiday and a working day", day.Date)
		}
	}
}

func (c *checker) states() {
	p := c.p
	if len(p.States) == 0 {
		c.add([]any{"states"}, "list the states of the procedure under states:", "the policy has no states")
		return
	}
	seen := map[string]int{}
	var initial []int
	terminal := 0
	for i, s := range p.States {
		at := []any{"states", i, "id"}
		switch {
		case s.ID == "":
			c.add(at, "give the state an id", "state %d has no id", i+1)
		case s.ID == "*" || s.ID == "open":
			c.add(at, "choose another id", "%q cannot be a state id: transitions use it for a group of states", s.ID)
		case !vocabPattern.MatchString(s.ID):
			c.add(at, "use letters, digits, _ and -", "state id %q is not one word", s.ID)
		}
		if j, dup := seen[s.ID]; dup && s.ID != "" {
			c.add(at, "give each state its own id", "state %q is declared twice (also state %d)", s.ID, j+1)
		}
		seen[s.ID] = i
		if s.Initial {
			initial = append(initial, i)
		}
		if s.Terminal {
			terminal++
			if s.Initial {
				c.add([]any{"states", i}, "a case must be able to leave its first state", "state %q is both initial and terminal", s.ID)
			}
		}
	}
	switch {
	case len(initial) == 0:
		c.add([]any{"states"}, "mark the state new cases start in with `initial: true`", "no state is initial")
	case len(initial) > 1:
		for _, i := range initial[1:] {
			c.add([]any{"states", i, "initial"}, "keep `initial: true` on one state", "state %q is initial, but so is %q: exactly one state must be", p.States[i].ID, p.States[initial[0]].ID)
		}
	}
	if terminal == 0 {
		c.add([]any{"states"}, "mark the states that end a case with `terminal: true`", "no state is terminal")
	}
}

// choices checks a vocabulary. Category and channel classes must be
// declared under classes: when the policy has any.
func (c *checker) choices(key string, list []Choice, classed bool) {
	if classed && len(list) == 0 {
		c.add([]any{key}, fmt.Sprintf("list at least one entry under %s:", key), "the policy has no %s", key)
	}
	seen := map[string]int{}
	for i, ch := range list {
		at := []any{key, i, "id"}
		switch {
		case ch.ID == "":
			c.add(at, "give it an id", "%s entry %d has no id", key, i+1)
		case !vocabPattern.MatchString(ch.ID):
			c.add(at, "use letters, digits, _ and -", "%s id %q is not one word", key, ch.ID)
		}
		if j, dup := seen[ch.ID]; dup && ch.ID != "" {
			c.add(at, "give each entry its own id", "%s id %q is declared twice (also entry %d)", key, ch.ID, j+1)
		}
		seen[ch.ID] = i
		if ch.Class != "" {
			if !classed {
				c.add([]any{key, i, "class"}, "remove class: here", "a class cannot itself have a class")
			} else if len(c.p.Classes) > 0 {
				if _, ok := c.p.Class(ch.Class); !ok {
					c.add([]any{key, i, "class"}, "use one of: "+choiceIDs(c.p.Classes), "%s %q has class %q, which is not declared under classes", key, ch.ID, ch.Class)
				}
			}
		}
	}
}

// fields checks the declared fields and merges them with the core fields,
// leaving p.Fields complete.
func (c *checker) fields() {
	p := c.p
	core := coreFields(p)
	declared := p.Fields
	seen := map[string]int{}
	var own []Field
	for i := range declared {
		f := &declared[i]
		at := []any{"fields", i}
		if j, dup := seen[f.Name]; dup && f.Name != "" {
			c.add(append(at, "name"), "declare each field once", "field %q is declared twice (also field %d)", f.Name, j+1)
			continue
		}
		seen[f.Name] = i
		if slices.Contains(reservedNames, f.Name) {
			c.add(append(at, "name"), "choose another name", "%q cannot be a field name: the rule language uses it", f.Name)
			continue
		}
		k := slices.IndexFunc(core, func(cf Field) bool { return cf.Name == f.Name })
		if k < 0 {
			c.field(f, nil, at, "", false)
			own = append(own, *f)
			continue
		}
		switch f.Name {
		case FieldStatus, FieldChannel, FieldCategory:
			if len(f.Values) > 0 {
				c.add(append(at, "values"), fmt.Sprintf("remove values: and edit %s instead", map[string]string{FieldStatus: "states:", FieldChannel: "channels:", FieldCategory: "categories:"}[f.Name]),
					"the values of core field %q come from the policy's vocabulary", f.Name)
				f.Values = nil
			}
		}
		c.field(f, &core[k], at, "", false)
		core[k] = mergeField(core[k], *f)
	}
	p.Fields = append(core, own...)
	for i := range p.Fields {
		inheritPII(&p.Fields[i], false)
	}
}

// field checks one declared field (at path in the YAML, named parent.name)
// and normalises it: default types, default sub-fields of person and
// approval fields. base is the core field it redeclares, if any.
func (c *checker) field(f *Field, base *Field, at []any, parent string, parentIsList bool) {
	name := f.Name
	if parent != "" {
		name = parent + "." + f.Name
	}
	switch {
	case f.Name == "":
		c.add(at, "add name:", "a field in %s has no name", show(parent))
	case !fieldPattern.MatchString(f.Name):
		c.add(append(at, "name"), "use letters, digits and _, starting with a letter", "field name %q is not an identifier", name)
	case slices.Contains(reservedNames[4:], f.Name):
		c.add(append(at, "name"), "choose another name", "%q cannot be a field name: it is a keyword of the rule language", name)
	}
	if base != nil {
		if f.Type == "" {
			f.Type = base.Type
		}
		if f.Type != base.Type {
			c.add(append(at, "type"), fmt.Sprintf("remove type: or write type: %s", base.Type), "core field %q has type %s, not %s", name, base.Type, f.Type)
			f.Type = base.Type
		}
		if f.Items == "" {
			f.Items = base.Items
		}
	}
	if f.Type == "" {
		f.Type = TypeString
	}
	if !validType(f.Type) {
		c.add(append(at, "type"), "use one of: "+typeNames(), "field %q has unknown type %q", name, f.Type)
		return
	}
	kind := f.Type
	if f.Type == TypeList {
		if f.Items == "" {
			f.Items = TypeString
		}
		switch {
		case !validType(f.Items):
			c.add(append(at, "items"), "use one of: "+typeNames(), "list field %q has unknown item type %q", name, f.Items)
			return
		case f.Items == TypeList:
			c.add(append(at, "items"), "use a list of objects instead", "list field %q cannot hold lists", name)
			return
		}
		kind = f.Items
	} else if f.Items != "" && (base == nil || base.Items == "") {
		c.add(append(at, "items"), "remove items: or write type: list", "field %q has items: but is not a list", name)
	}
	if kind == TypeEnum {
		if len(f.Values) == 0 && (base == nil || len(base.Values) == 0) {
			c.add(at, "list the allowed values under values:", "enum field %q has no values", name)
		}
		seen := map[string]bool{}
		for i, v := range f.Values {
			switch {
			case v.ID == "":
				c.add(append(at, "values", i), "give the value an id", "value %d of field %q has no id", i+1, name)
			case seen[v.ID]:
				c.add(append(at, "values", i, "id"), "list each value once", "value %q of field %q is listed twice", v.ID, name)
			}
			seen[v.ID] = true
		}
	} else if len(f.Values) > 0 {
		c.add(append(at, "values"), "remove values: or write type: enum", "field %q has values but is of type %s", name, f.Type)
	}
	objectLike := kind == TypeObject || kind == TypePerson || kind == TypeApproval
	switch {
	case objectLike && kind == TypeObject && len(f.Fields) == 0 && (base == nil || len(base.Fields) == 0):
		c.add(at, "declare its sub-fields under fields:", "object field %q has no fields", name)
	case !objectLike && len(f.Fields) > 0:
		c.add(append(at, "fields"), "remove fields: or use type object", "field %q has sub-fields but is of type %s", name, f.Type)
	}
	if f.Min != nil || f.Max != nil {
		switch {
		case kind != TypeNumber && kind != TypeInt && kind != TypeMoney:
			c.add(at, "remove min:/max:", "field %q has min/max but is of type %s", name, f.Type)
		case f.Min != nil && f.Max != nil && *f.Min > *f.Max:
			c.add(append(at, "min"), "swap them", "field %q has min %v above max %v", name, *f.Min, *f.Max)
		}
	}
	for i, s := range f.RequiredIn {
		if _, ok := c.p.State(s); !ok {
			c.add(append(at, "required_in", i), "use one of: "+stateIDs(c.p.States), "field %q is required in state %q, which is not declared", name, s)
		}
	}
	if f.RequiredWhen != "" {
		if len(f.RequiredIn) == 0 && (base == nil || len(base.RequiredIn) == 0) {
			c.add(append(at, "required_when"), "add required_in: [states] to say where the condition applies", "field %q has required_when but no required_in", name)
		}
		c.conds = append(c.conds, cond{src: f.RequiredWhen, node: c.d.at(append(at, "required_when")...), where: fmt.Sprintf("field %q required_when", name)})
	}
	seen := map[string]bool{}
	for i := range f.Fields {
		sf := &f.Fields[i]
		if seen[sf.Name] && sf.Name != "" {
			c.add(append(at, "fields", i, "name"), "declare each sub-field once", "field %q declares sub-field %q twice", name, sf.Name)
		}
		seen[sf.Name] = true
		var sbase *Field
		if base != nil {
			if k := slices.IndexFunc(base.Fields, func(b Field) bool { return b.Name == sf.Name }); k >= 0 {
				sbase = &base.Fields[k]
			}
		}
		c.field(sf, sbase, append(slices.Clone(at), "fields", i), name, f.Type == TypeList)
	}
	if base == nil && (kind == TypePerson || kind == TypeApproval) {
		f.Fields = mergeFields(defaultSubFields(kind, f.PII), f.Fields)
	}
}

// inheritPII marks every sub-field of a personal-data field as personal.
func inheritPII(f *Field, parent bool) {
	f.PII = f.PII || parent
	for i := range f.Fields {
		inheritPII(&f.Fields[i], f.PII)
	}
}

func validType(t FieldType) bool {
	return slices.Contains(fieldTypes, t)
}

var fieldTypes = []FieldType{TypeString, TypeText, TypeNumber, TypeInt, TypeMoney, TypeDate, TypeDateTime,
	TypeEnum, TypeBool, TypeList, TypeObject, TypePerson, TypeApproval}

func typeNames() string {
	s := make([]string, len(fieldTypes))
	for i, t := range fieldTypes {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

func (c *checker) transitions() {
	p := c.p
	if len(p.Transitions) == 0 {
		c.add([]any{"transitions"}, "list the allowed moves under transitions:", "the policy has no transitions")
	}
	for i, t := range p.Transitions {
		at := []any{"transitions", i}
		if t.To == "" {
			c.add(at, "add to: <state>", "transition %d has no to:", i+1)
		} else if _, ok := p.State(t.To); !ok {
			c.add(append(at, "to"), "use one of: "+stateIDs(p.States), "transition to unknown state %q", t.To)
		}
		if len(t.From) == 0 {
			c.add(at, "add from: [states] (or [\"*\"] for any state, [open] for any open state)", "transition %d to %q has no from:", i+1, t.To)
		}
		fromTerminal := false
		for j, f := range t.From {
			if f == "*" || f == "open" {
				continue
			}
			s, ok := p.State(f)
			if !ok {
				c.add(append(at, "from", j), "use one of: "+stateIDs(p.States)+", * or open", "transition from unknown state %q", f)
				continue
			}
			if f == t.To {
				c.add(append(at, "from", j), "remove it", "transition from %q to itself", f)
			}
			fromTerminal = fromTerminal || s.Terminal
		}
		switch {
		case fromTerminal && !t.Reopen:
			c.add(at, "add `reopen: true` if this move reopens a closed case", "transition to %q leaves a terminal state but is not marked reopen", t.To)
		case t.Reopen && !fromTerminal:
			c.add(append(at, "reopen"), "list the terminal states it reopens in from:, or remove reopen:", "transition to %q is marked reopen but leaves no terminal state", t.To)
		}
		if t.When != "" {
			c.conds = append(c.conds, cond{src: t.When, node: c.d.at(append(at, "when")...), where: fmt.Sprintf("transition to %q when", t.To)})
		}
	}
}

func (c *checker) requirements() {
	p := c.p
	keys := make([]string, 0, len(p.Requirements))
	for k := range p.Requirements {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, state := range keys {
		r := p.Requirements[state]
		if _, ok := p.State(state); !ok {
			c.d.add(c.d.keyAt("requirements", state), "use one of: "+stateIDs(p.States), "requirements for unknown state %q", state)
		}
		at := []any{"requirements", state}
		c.paths(append(at, "fields"), r.Fields, fmt.Sprintf("requirements of %q", state))
		c.paths(append(at, "approvals"), r.Approvals, fmt.Sprintf("requirements of %q", state))
		for i, a := range r.Approvals {
			if f, ok := p.Field(a); ok && f.Type != TypeApproval {
				c.add(append(at, "approvals", i), "list it under fields:, or declare it with type: approval", "approval %q in requirements of %q is a %s field, not an approval", a, state, f.Type)
			}
		}
		c.sections(append(at, "sections"), r.Sections)
	}
}

// paths checks that every entry names a declared field ("complainant.phone").
func (c *checker) paths(at []any, paths []string, where string) {
	for i, path := range paths {
		if _, ok := c.p.Field(path); !ok {
			c.add(append(slices.Clone(at), i), c.fieldFix(path), "%s: field %q is not declared", where, path)
		}
	}
}

// fieldFix suggests a declared field for a mistyped path.
func (c *checker) fieldFix(path string) string {
	if best := closest(path, c.p.fieldPaths()); best != "" {
		return fmt.Sprintf("did you mean %q? otherwise declare it under fields:", best)
	}
	return "declare it under fields:, or correct the name"
}

func (c *checker) sections(at []any, sections []string) {
	seen := map[string]bool{}
	for i, s := range sections {
		switch {
		case strings.TrimSpace(s) == "":
			c.add(append(slices.Clone(at), i), "write the heading text of the section", "empty section name")
		case seen[s]:
			c.add(append(slices.Clone(at), i), "list each section once", "section %q is listed twice", s)
		}
		seen[s] = true
	}
}

// states checks that every entry of a list names a declared state.
func (c *checker) stateList(at []any, states []string, what string) {
	for i, s := range states {
		if _, ok := c.p.State(s); !ok {
			c.add(append(slices.Clone(at), i), "use one of: "+stateIDs(c.p.States), "%s: unknown state %q", what, s)
		}
	}
}

func (c *checker) deadlines() {
	p := c.p
	open := map[string]int{} // rule id → index of an alternative without when
	for i, r := range p.Deadlines {
		at := []any{"deadlines", i}
		what := fmt.Sprintf("deadline %q", r.ID)
		switch {
		case r.ID == "":
			c.add(at, "add id:", "deadline %d has no id", i+1)
		case !vocabPattern.MatchString(r.ID):
			c.add(append(at, "id"), "use letters, digits, _ and -", "deadline id %q is not one word", r.ID)
		}
		if j, ok := open[r.ID]; ok {
			c.add(at, fmt.Sprintf("give deadline %d a when:, or move this one before it", j+1), "%s: this alternative is never used: an earlier one (deadline %d) has no when and always applies", what, j+1)
		}
		if r.When == "" {
			open[r.ID] = i
		} else {
			c.conds = append(c.conds, cond{src: r.When, node: c.d.at(append(at, "when")...), where: what + " when"})
		}
		if r.Duration == "" {
			c.add(at, `add duration: "<N> <unit>", e.g. "3 working_days"`, "%s has no duration", what)
		} else if err := checkDuration(r.Duration); err != nil {
			c.add(append(at, "duration"), durationFix, "%s duration: %v", what, err)
		}
		n := 0
		if r.Start.Received {
			n++
		}
		if r.Start.State != "" {
			n++
			if _, ok := p.State(r.Start.State); !ok {
				c.add(append(at, "start", "state"), "use one of: "+stateIDs(p.States), "%s starts in unknown state %q", what, r.Start.State)
			}
		}
		if r.Start.Field != "" {
			n++
			c.datetimeField(append(at, "start", "field"), r.Start.Field, what+" start")
		}
		if n != 1 {
			c.add(append(at, "start"), "set exactly one of start.received: true, start.state or start.field", "%s must start in exactly one way, has %d", what, n)
		}
		c.stateList(append(at, "stop"), r.Stop, what+" stop")
		if r.StopField != "" {
			c.datetimeField(append(at, "stop_field"), r.StopField, what+" stop_field")
		}
		if len(r.Stop) == 0 && r.StopField == "" && r.Report == nil {
			c.add(at, "add stop: [states] or stop_field:", "%s never stops", what)
		}
		c.stateList(append(at, "pause_in"), r.PauseIn, what+" pause_in")
		if _, ok := p.Hours[r.Hours]; r.Hours != "" && r.Hours != HoursNone && !ok {
			names := append(slices.Sorted(maps.Keys(p.Hours)), HoursNone)
			c.add(append(at, "hours"), "use one of: "+strings.Join(names, ", "), "%s: no hours %q under hours:", what, r.Hours)
		}
		for _, w := range []struct{ key, v string }{{"warn_after", r.WarnAfter}, {"warn_before", r.WarnBefore}} {
			if w.v == "" {
				continue
			}
			if err := checkDuration(w.v); err != nil {
				c.add(append(at, w.key), durationFix, "%s %s: %v", what, w.key, err)
			}
		}
		if r.WarnAfter != "" && r.WarnBefore != "" {
			c.add(append(at, "warn_before"), "keep one of warn_after and warn_before", "%s sets both warn_after and warn_before", what)
		}
		if r.Extension != nil && r.Extension.Max != "" {
			if err := checkDuration(r.Extension.Max); err != nil {
				c.add(append(at, "extension", "max"), durationFix, "%s extension max: %v", what, err)
			}
		}
		c.duty(at, r, what)
	}
}

const durationFix = `write "<N> <unit>", unit working_days, calendar_days, months, hours or minutes ("0 calendar_days" is the same day)`

// checkDuration accepts exactly what calendar.ParsePeriod accepts, by
// asking it: one reader of the format.
func checkDuration(s string) error {
	_, err := calendar.ParsePeriod(s)
	return err
}

const spanFix = `write "HH:MM-HH:MM", e.g. "08:30-12:00"`

// businessHours checks one set of business hours at path: open and close,
// or periods, and the weekdays' own periods, each problem on its line.
func (c *checker) businessHours(at []any, what string, bh BusinessHours) {
	pick := func(key string) []any { return append(slices.Clone(at), key) }
	oc := bh.Open != "" || bh.Close != ""
	switch {
	case oc && len(bh.Periods) > 0:
		c.add(pick("periods"), "keep periods and remove open and close", "%s gives both open/close and periods", what)
	case !oc && len(bh.Periods) == 0:
		c.add(at, `add periods: ["08:30-12:00", "14:00-17:30"], or open: and close:`, "%s has no opening hours", what)
	case oc:
		ok := true
		for _, f := range []struct {
			key, v  string
			pattern *regexp.Regexp
		}{{"open", bh.Open, clockPattern}, {"close", bh.Close, closePattern}} {
			if !f.pattern.MatchString(f.v) {
				c.add(pick(f.key), "write 24-hour time as HH:MM, e.g. 08:30", "%s.%s %q is not HH:MM", what, f.key, f.v)
				ok = false
			}
		}
		if ok && bh.Open >= bh.Close {
			c.add(at, "opening must come before closing on the same day", "%s: open %s is not before close %s", what, bh.Open, bh.Close)
		}
	}
	c.spans(pick("periods"), what+".periods", bh.Periods)
	for _, list := range []struct {
		key  string
		days map[string][]string
	}{{"weekdays", bh.Weekdays}, {"rest_days", bh.RestDays}} {
		first := map[time.Weekday]string{} // a weekday's key, for keys that name it again
		for _, key := range slices.Sorted(maps.Keys(list.days)) {
			wat := append(pick(list.key), key)
			wd, ok := calendar.ParseWeekday(key)
			switch prev, again := first[wd]; {
			case !ok:
				c.add(wat, "use one of: "+calendar.WeekdayNames(), "%s.%s: unknown weekday %q", what, list.key, key)
			case again:
				// Both would be read, the later one winning at random.
				c.add(wat, "keep one list of periods for the day", "%s.%s: %q and %q both name %s", what, list.key, prev, key, calendar.WeekdayName(wd))
			default:
				first[wd] = key
			}
			if len(list.days[key]) == 0 {
				c.add(wat, "list the periods of the day, e.g. [\"09:00-12:00\"]", "%s.%s.%s has no periods", what, list.key, key)
			}
			c.spans(wat, what+"."+list.key+"."+key, list.days[key])
		}
	}
}

// spans checks the periods of one day: each readable, in order, none
// overlapping the one before.
func (c *checker) spans(at []any, what string, list []string) {
	var spans []calendar.Span
	var index []int
	for i, s := range list {
		sp, err := calendar.ParseSpan(s)
		if err != nil {
			c.add(append(slices.Clone(at), i), spanFix, "%s: %v", what, err)
			continue
		}
		spans, index = append(spans, sp), append(index, i)
	}
	if i, err := calendar.CheckSpans(spans); err != nil {
		c.add(append(slices.Clone(at), index[i]), "end each period before the next begins, e.g. [\"08:30-12:00\", \"14:00-17:30\"]", "%s: %v", what, err)
	}
}

// lateEntryWindow reads the late_entry key: "<N> <unit>" on the wall
// clock, unit days, hours or minutes. Working days have no fixed length:
// a commit's lag is measured between two instants.
func lateEntryWindow(s string) (time.Duration, error) {
	f := strings.Fields(s)
	if len(f) != 2 {
		return 0, fmt.Errorf("%q is not \"<N> <unit>\"", s)
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q: %q is not a positive whole number", s, f[0])
	}
	var unit time.Duration
	switch strings.ToLower(f[1]) {
	case "days", "day", "calendar_days", "calendar_day":
		unit = 24 * time.Hour
	case "hours", "hour":
		unit = time.Hour
	case "minutes", "minute":
		unit = time.Minute
	default:
		return 0, fmt.Errorf("%q: unit %q is not days, hours or minutes", s, f[1])
	}
	if n > 366*24*60 || time.Duration(n)*unit > 366*24*time.Hour {
		return 0, fmt.Errorf("%q is longer than a year", s)
	}
	return time.Duration(n) * unit, nil
}

func (c *checker) datetimeField(at []any, path, what string) {
	f, ok := c.p.Field(path)
	switch {
	case !ok:
		c.add(at, c.fieldFix(path), "%s: field %q is not declared", what, path)
	case f.Type != TypeDateTime:
		c.add(at, "declare it with type: datetime", "%s: field %q is a %s field, not a datetime", what, path, f.Type)
	}
}

func (c *checker) escalations() {
	seen := map[string]int{}
	for i, e := range c.p.Escalations {
		at := []any{"escalations", i}
		what := fmt.Sprintf("escalation %q", e.ID)
		c.uniqueID(at, "escalation", e.ID, i, seen)
		if e.When == "" {
			c.add(at, "add when: <condition>", "%s has no when", what)
		} else {
			c.conds = append(c.conds, cond{src: e.When, node: c.d.at(append(at, "when")...), where: what + " when"})
		}
		c.paths(append(at, "fields"), e.Fields, what)
		c.sections(append(at, "sections"), e.Sections)
		c.stateList(append(at, "in"), e.In, what+" in")
	}
}

func (c *checker) rules() {
	seen := map[string]int{}
	for i, r := range c.p.Rules {
		at := []any{"rules", i}
		what := fmt.Sprintf("rule %q", r.ID)
		c.uniqueID(at, "rule", r.ID, i, seen)
		if r.Require == "" {
			c.add(at, "add require: <condition>", "%s has no require", what)
		} else {
			c.conds = append(c.conds, cond{src: r.Require, node: c.d.at(append(at, "require")...), where: what + " require"})
		}
		if r.When != "" {
			c.conds = append(c.conds, cond{src: r.When, node: c.d.at(append(at, "when")...), where: what + " when"})
		}
		if strings.TrimSpace(r.Message) == "" {
			c.add(at, "add message: saying what is wrong", "%s has no message", what)
		}
		c.stateList(append(at, "in"), r.In, what+" in")
	}
}

func (c *checker) recusal() {
	for i, r := range c.p.Recusal {
		at := []any{"recusal", i}
		for _, x := range []struct{ key, path string }{{"handler", r.Handler}, {"respondent", r.Respondent}} {
			if x.path == "" {
				c.add(at, fmt.Sprintf("add %s: <field path>", x.key), "recusal %d has no %s", i+1, x.key)
			} else if _, ok := c.p.Field(x.path); !ok {
				c.add(append(at, x.key), c.fieldFix(x.path), "recusal %s: field %q is not declared", x.key, x.path)
			}
		}
	}
}

func (c *checker) forms() {
	seen := map[string]int{}
	for i, f := range c.p.Forms {
		at := []any{"forms", i}
		c.uniqueID(at, "form", f.ID, i, seen)
		switch f.Kind {
		case "", "per_case", "register":
		default:
			c.add(append(at, "kind"), "use per_case or register", "form %q has unknown kind %q", f.ID, f.Kind)
		}
	}
}

func (c *checker) uniqueID(at []any, what, id string, i int, seen map[string]int) {
	switch {
	case id == "":
		c.add(at, "add id:", "%s %d has no id", what, i+1)
		return
	case !vocabPattern.MatchString(id):
		c.add(append(at, "id"), "use letters, digits, _ and -", "%s id %q is not one word", what, id)
	}
	if j, dup := seen[id]; dup {
		c.add(append(at, "id"), fmt.Sprintf("give each %s its own id", what), "%s %q is declared twice (also %s %d)", what, id, what, j+1)
	}
	seen[id] = i
}

func stateIDs(states []State) string {
	ids := make([]string, len(states))
	for i, s := range states {
		ids[i] = s.ID
	}
	return strings.Join(ids, ", ")
}

func choiceIDs(list []Choice) string {
	ids := make([]string, len(list))
	for i, c := range list {
		ids[i] = c.ID
	}
	return strings.Join(ids, ", ")
}
