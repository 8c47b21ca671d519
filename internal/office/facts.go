package office

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/policy"
)

// FactChange is a change of a recorded clock fact (policy.ClockFacts): a
// commit, or the work tree, gave a field that starts or decides a clock
// another value after one had been recorded.
type FactChange struct {
	Field string
	// Commit made the change; empty for a change not yet committed.
	Commit string
	Actor  string
	At     time.Time
	// Old is the value the clocks held before the change (the value first
	// recorded, or the last correction's); New the value the change wrote
	// (nil: the field was removed).
	Old, New any
	// Corrected is true when a correction (更正) made the change: the
	// clocks then take New.
	Corrected bool
}

// factChanges follows the clock facts of c through its history h. It
// returns every change made after a value was recorded, and the values the
// clocks must use where they differ from the file's (nil when none do).
// Past versions are read only when a version replaced a fact key, which
// few do.
func factChanges(repo *git.Repository, p *policy.Policy, c *cases.Case, h *history.Case) ([]FactChange, map[string]any) {
	if h == nil || len(h.Versions) < 2 || repo == nil {
		return nil, nil
	}
	facts := p.ClockFacts()
	touched := false
	for _, v := range h.Versions[1:] {
		for _, k := range v.Replaced {
			touched = touched || len(factsUnder(facts, k)) > 0
		}
	}
	if !touched {
		return nil, nil
	}
	read := func(v *history.Version) *cases.Case {
		pc, _ := VersionCase(repo, p, *v)
		return pc
	}
	rev := history.ReviewCase(h, p.CorrectionApprovers())
	held := map[string]any{} // the value each fact's clocks use
	var changes []FactChange
	var prev *cases.Case
	for i := range h.Versions {
		v := &h.Versions[i]
		if v.Deleted {
			continue
		}
		if prev == nil {
			if prev = read(v); prev == nil {
				return nil, nil
			}
			for _, k := range facts {
				if x, ok := prev.Get(k); ok && !empty(x) {
					held[k] = x
				}
			}
			continue
		}
		// A version that adds a fact records it; only replacing one can
		// change it, but both move what the clocks hold when new.
		var keys []string
		for _, k := range slices.Concat(v.Replaced, v.Changed) {
			for _, f := range factsUnder(facts, k) {
				if !slices.Contains(keys, f) {
					keys = append(keys, f)
				}
			}
		}
		if len(keys) == 0 {
			continue
		}
		cur := read(v)
		if cur == nil {
			continue // a version that does not parse decides nothing
		}
		for _, k := range keys {
			nv, ok := cur.Get(k)
			if !ok || empty(nv) {
				nv = nil
			}
			old, recorded := held[k]
			was, _ := prev.Get(k)
			switch {
			case recorded && sameFact(p, k, was, nv):
				// This version left the fact as the one before it had it
				// (it changed another part of the same object).
			case !recorded:
				if nv != nil {
					held[k] = nv
				}
			case grows(p, k, old, nv):
				// A further report added to a list of report times
				// records a new fact and changes none.
				held[k] = nv
			case sameFact(p, k, old, nv):
				// Set back to what the clocks hold: the changes before
				// never decided a verdict and are taken back.
				changes = slices.DeleteFunc(changes, func(fc FactChange) bool { return fc.Field == k && !fc.Corrected })
			default:
				fc := FactChange{Field: k, Commit: v.Commit, Actor: v.Actor, At: v.At, Old: old, New: nv, Corrected: rev.Covers(v.Commit)}
				if fc.Corrected {
					held[k] = nv
				}
				changes = append(changes, fc)
			}
		}
		prev = cur
	}
	// The work tree: a change not committed yet is judged the same way.
	for _, k := range facts {
		old, recorded := held[k]
		if !recorded {
			continue
		}
		nv, ok := c.Get(k)
		if !ok || empty(nv) {
			nv = nil
		}
		was, _ := prev.Get(k)
		if sameFact(p, k, old, nv) || sameFact(p, k, was, nv) || grows(p, k, old, nv) {
			continue // as committed: a commit's change is reported with it
		}
		changes = append(changes, FactChange{Field: k, Old: old, New: nv})
	}
	var pinned map[string]any
	for _, k := range facts {
		nv, _ := c.Get(k)
		if old, ok := held[k]; ok && !sameFact(p, k, old, nv) && !grows(p, k, old, nv) {
			if pinned == nil {
				pinned = map[string]any{}
			}
			pinned[k] = old
		}
	}
	return changes, pinned
}

// factsUnder lists the facts at top-level key k or inside it: a version
// that replaced dispatch_approval may have changed dispatch_approval.at.
func factsUnder(facts []string, k string) []string {
	var out []string
	for _, f := range facts {
		if f == k || strings.HasPrefix(f, k+".") {
			out = append(out, f)
		}
	}
	return out
}

// setPath sets (v nil: removes) the value at a key path of fields,
// copying each object on the way so that the case's own maps are left as
// they are.
func setPath(fields map[string]any, path string, v any) {
	k, rest, nested := strings.Cut(path, ".")
	if !nested {
		if v == nil {
			delete(fields, k)
		} else {
			fields[k] = v
		}
		return
	}
	inner, _ := fields[k].(map[string]any)
	if inner == nil && v == nil {
		return
	}
	cp := make(map[string]any, len(inner)+1)
	for ik, iv := range inner {
		cp[ik] = iv
	}
	setPath(cp, rest, v)
	fields[k] = cp
}

// FactText writes a fact's value as --set takes it: a time in RFC 3339, a
// list's items separated by commas, "(none)" for a value removed.
func FactText(v any) string {
	switch v := v.(type) {
	case nil:
		return "(none)"
	case time.Time:
		return v.Format(time.RFC3339)
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = FactText(x)
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(v)
}

// Empty reports an absent value: nil or blank text.
func Empty(v any) bool { return empty(v) }

// VersionCase parses a past version of a case file, read from git under
// the case-file limit; false when it cannot be read or is no case file.
func VersionCase(repo *git.Repository, p *policy.Policy, v history.Version) (*cases.Case, bool) {
	if v.Deleted || repo == nil {
		return nil, false
	}
	data, err := history.ReadBlob(repo, v.Blob)
	if err != nil {
		return nil, false
	}
	var opts []cases.Option
	if p != nil && p.Location != nil {
		opts = append(opts, cases.WithLocation(p.Location))
	}
	c, err := cases.Parse(v.Path, data, opts...)
	return c, err == nil
}

// empty is an absent value: nil or blank text.
func empty(v any) bool {
	if v == nil {
		return true
	}
	s, ok := v.(string)
	return ok && strings.TrimSpace(s) == ""
}

// SameFact compares two values of clock fact k: times as instants, the
// rest as written.
func SameFact(p *policy.Policy, k string, a, b any) bool { return sameFact(p, k, a, b) }

func sameFact(p *policy.Policy, k string, a, b any) bool {
	if empty(a) || empty(b) {
		return empty(a) == empty(b)
	}
	if k == policy.FieldReceivedAt || isTimeField(p, k) {
		ta, oka := p.ParseTime(a)
		tb, okb := p.ParseTime(b)
		if oka && okb {
			return ta.Equal(tb)
		}
	}
	return reflect.DeepEqual(a, b) || fmt.Sprint(a) == fmt.Sprint(b)
}

// Grows reports whether b is list a with entries added: every time of a
// is still in b and b holds more. Reports in a list of times (a report
// duty's field) are recorded one by one; only dropping or moving one
// changes a recorded fact.
func Grows(p *policy.Policy, k string, a, b any) bool { return grows(p, k, a, b) }

func grows(p *policy.Policy, k string, a, b any) bool {
	f, ok := p.Field(k)
	if !ok || f.Type != policy.TypeList {
		return false
	}
	la, oka := a.([]any)
	lb, okb := b.([]any)
	if !oka || !okb || len(lb) <= len(la) {
		return false
	}
	used := make([]bool, len(lb))
	for _, x := range la {
		found := false
		for j, y := range lb {
			if !used[j] && sameEntry(p, f.Items, x, y) {
				used[j], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// sameEntry compares two entries of a list: times as instants, the rest as
// written.
func sameEntry(p *policy.Policy, items policy.FieldType, a, b any) bool {
	if items == policy.TypeDateTime || items == policy.TypeDate {
		ta, oka := p.ParseTime(a)
		tb, okb := p.ParseTime(b)
		if oka && okb {
			return ta.Equal(tb)
		}
	}
	return reflect.DeepEqual(a, b) || fmt.Sprint(a) == fmt.Sprint(b)
}

func isTimeField(p *policy.Policy, k string) bool {
	f, ok := p.Field(k)
	return ok && (f.Type == policy.TypeDateTime || f.Type == policy.TypeDate)
}

// withFacts returns c with the held facts in place of the file's values,
// for the clocks; c itself is left as it is.
func withFacts(p *policy.Policy, c *cases.Case, pinned map[string]any) *cases.Case {
	cp := *c
	cp.Fields = make(map[string]any, len(c.Fields))
	for k, v := range c.Fields {
		cp.Fields[k] = v
	}
	for k, v := range pinned {
		setPath(cp.Fields, k, v)
		if v == nil {
			continue
		}
		if k == policy.FieldReceivedAt {
			if t, ok := p.ParseTime(v); ok {
				cp.ReceivedAt = t
			}
			if s, ok := v.(string); ok {
				cp.ReceivedAtRaw = s
			}
		}
	}
	return &cp
}
