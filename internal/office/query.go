package office

import (
	"slices"
	"sort"
	"time"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/policy"
)

// Selection is what `casebook list` keeps: every criterion that is set
// must hold. The policy terms are read by their ids or labels beforehand
// (see policy.Set.Filter), so a Selection holds ids only.
type Selection struct {
	// Policy keeps only the cases of this policy id; empty keeps all.
	Policy string
	// Status, Category and Channel keep the cases whose value is one of
	// the filter's ids for the case's policy; a nil filter keeps all.
	Status, Category, Channel policy.Filter
	// Departments keeps the cases of these departments; none keeps all.
	Departments []string
	// Overdue keeps only the cases with an overdue clock.
	Overdue bool
	// Within, when set, keeps only the cases with a running clock due
	// within the period from now, counted on the policy's calendar.
	Within *calendar.Period
}

// Filters are list's criteria as a clerk gives them: the policy by its id
// or name, states, categories and channels by their ids or labels.
type Filters struct {
	Policy                    string
	Status, Category, Channel []string
	Departments               []string
	Overdue                   bool
	Within                    *calendar.Period
}

// Selection reads f as a Selection of records: the policy terms are read
// in the policies of Scope, and a value unknown in all of them is an error
// that names the closest one (see policy.Set.Filter), where an empty list
// would mislead.
func (o *Office) Selection(f Filters, records []*Record) (Selection, error) {
	sel := Selection{Departments: f.Departments, Overdue: f.Overdue, Within: f.Within}
	var scope []string
	var err error
	if sel.Policy, scope, err = o.Scope(f.Policy, records); err != nil {
		return sel, err
	}
	for _, x := range []struct {
		kind   string
		values []string
		into   *policy.Filter
	}{
		{policy.KindState, f.Status, &sel.Status},
		{policy.KindCategory, f.Category, &sel.Category},
		{policy.KindChannel, f.Channel, &sel.Channel},
	} {
		if *x.into, err = o.Policies.Filter(x.kind, x.values, scope); err != nil {
			return sel, err
		}
	}
	return sel, nil
}

// Scope reads a policy named by its id or name (list and stats --policy):
// its id, and it alone as the policies other criteria are read in. Without
// a name, the id is "" and the scope is the office's policies and those
// of records' cases.
func (o *Office) Scope(name string, records []*Record) (id string, scope []string, err error) {
	if name != "" {
		p, err := o.Policies.Lookup(name)
		if err != nil {
			return "", nil, err
		}
		return p.ID, []string{p.ID}, nil
	}
	scope = o.Policies.Scope()
	for _, r := range records {
		if r.Policy != nil && !slices.Contains(scope, r.Policy.ID) {
			scope = append(scope, r.Policy.ID)
		}
	}
	return "", scope, nil
}

// Select returns the records sel keeps, in their order; a record without
// a policy is never kept.
func (o *Office) Select(records []*Record, sel Selection, now time.Time) []*Record {
	var out []*Record
	for _, r := range records {
		if o.keeps(sel, r, now) {
			out = append(out, r)
		}
	}
	return out
}

func (o *Office) keeps(sel Selection, r *Record, now time.Time) bool {
	c := r.Case
	if r.Policy == nil {
		return false
	}
	if sel.Policy != "" && r.Policy.ID != sel.Policy {
		return false
	}
	str := func(k string) string { s, _ := c.Fields[k].(string); return s }
	pid := r.Policy.ID
	if !sel.Status.Keeps(pid, c.Status) || !sel.Category.Keeps(pid, str("category")) || !sel.Channel.Keeps(pid, str("channel")) {
		return false
	}
	if len(sel.Departments) > 0 && !slices.Contains(sel.Departments, str("department")) {
		return false
	}
	if sel.Overdue && !r.Late() {
		return false
	}
	if sel.Within != nil {
		limit, _ := o.Calendar(r.Policy).End(now, *sel.Within)
		return slices.ContainsFunc(r.Clocks, func(cl deadline.Clock) bool { return cl.EndedAt == nil && !cl.DueAt.After(limit) })
	}
	return true
}

// Grouping is what `casebook stats` counts: the cases received in
// [From, To] (days in the policy's time zone), grouped By a field path
// or "month".
type Grouping struct {
	// Policy counts only the cases of this policy id; empty counts all.
	Policy string
	// From and To bound the day a case was received, both included; nil
	// leaves that side open.
	From, To *calendar.Date
	// By is a field path (resolved beforehand) or "month".
	By string
	// Rule, when set, counts only the clocks of this deadline rule id.
	Rule string
}

// Group is one group of a Grouping, or the total: its key (the value as
// the case file writes it, "(none)" without one, "total" for the total),
// its label for people, its tally and its on-time rate.
type Group struct {
	Group string `json:"group"`
	Label string `json:"label"`
	Tally
	// OnTimeRate is met / (met + missed + overdue), rounded to four
	// places; nil when no clock was timed.
	OnTimeRate *float64 `json:"on_time_rate"`
}

// Groups counts records by g: the groups in the order of their keys, then
// the total (合计).
func Groups(records []*Record, g Grouping) []Group {
	groups := map[string]*Group{}
	total := &Group{Group: "total", Label: "合计"}
	for _, r := range records {
		if r.Policy == nil || (g.Policy != "" && r.Policy.ID != g.Policy) {
			continue
		}
		day := calendar.DateOf(r.Case.ReceivedAt, r.Policy.Location)
		if (g.From != nil && day.Before(*g.From)) || (g.To != nil && day.After(*g.To)) {
			continue
		}
		key, label := g.key(r)
		x := groups[key]
		if x == nil {
			x = &Group{Group: key, Label: label}
			groups[key] = x
		}
		x.Add(r, g.Rule)
		total.Add(r, g.Rule)
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]Group, 0, len(keys)+1)
	for _, k := range keys {
		out = append(out, groups[k].rated())
	}
	return append(out, total.rated())
}

// key is the group of r and its label: the month received, or the value
// of the field (its id as written, and its Chinese label).
func (g Grouping) key(r *Record) (string, string) {
	if g.By == "month" {
		m := r.Case.ReceivedAt.In(r.Policy.Location).Format("2006-01")
		return m, m
	}
	v, ok := r.Case.Get(g.By)
	if !ok || v == nil {
		return "(none)", "(未填)"
	}
	key := r.Policy.ValueText(g.By, v, policy.LangIDs)
	if s, ok := v.(string); ok {
		key = s // the group JSON and CSV print is the value as written
	}
	return key, r.Policy.ValueText(g.By, v, "zh")
}

// FieldLabel names what g groups by, in Chinese: the label of the field
// in the first of records' policies that has it, 月份 for month, else the
// path.
func (g Grouping) FieldLabel(records []*Record) string {
	if g.By == "month" {
		return "月份"
	}
	for _, r := range records {
		if r.Policy != nil {
			if _, ok := r.Policy.Field(g.By); ok {
				return r.Policy.Label(policy.KindField, g.By, "zh")
			}
		}
	}
	return g.By
}

func (x *Group) rated() Group {
	if n := x.Timed(); n > 0 {
		v := float64(x.Met) / float64(n)
		v = float64(int(v*10000+0.5)) / 10000
		x.OnTimeRate = &v
	}
	return *x
}
