package clerk

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/repo"
	"github.com/casebook/casebook/internal/seal"
	"github.com/casebook/casebook/internal/validate"
)

// RecusedField lists, in a case, the names of recipients left out of its
// personal data beyond the respondents of the policy's recusal rules.
const RecusedField = "recused"

// RekeyTrailer marks a commit that only re-sealed personal data; validate
// does not count it as an edit of a closed case.
const RekeyTrailer = "Casebook-Rekey"

// isPII reports whether path is a personal-data field of p.
func isPII(p *policy.Policy, path string) bool {
	f, ok := p.Field(path)
	return ok && f.PII
}

// sealable is a value worth sealing: a scalar that says something.
func sealable(v any) bool {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x) != "" && !seal.IsSealed(x)
	case int, int64, float64, bool:
		return true
	}
	return false
}

// lookup reads path in fields the way cases.Case.Get does for mappings.
func lookup(fields map[string]any, path string) (any, bool) {
	var cur any = fields
	for part := range strings.SplitSeq(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[part]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// exclusions are the names a case leaves out of its sealed values: the
// respondents of the policy's recusal rules (the person complained about
// must not read who complained) and the case's own recused list. value
// reads a path of the case as it will be after the operation, in plain
// text where the clerk knows it.
func exclusions(p *policy.Policy, value func(path string) (any, bool)) []string {
	var out []string
	add := func(v any) {
		if s, ok := v.(string); ok && strings.TrimSpace(s) != "" && !seal.IsSealed(s) {
			out = append(out, strings.TrimSpace(s))
		}
	}
	for _, rc := range p.Recusal {
		if v, ok := value(rc.Respondent); ok {
			add(v)
		}
	}
	if v, ok := value(RecusedField); ok {
		switch x := v.(type) {
		case []any:
			for _, it := range x {
				add(it)
			}
		default:
			add(x)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// overlay reads a path of fields as it will be after sets.
func overlay(fields map[string]any, sets []cases.Set) func(path string) (any, bool) {
	return func(path string) (any, bool) {
		for i := len(sets) - 1; i >= 0; i-- {
			if sets[i].Path == path {
				return sets[i].Value, true
			}
			if v, ok := sets[i].Value.(map[string]any); ok && strings.HasPrefix(path, sets[i].Path+".") {
				return lookup(v, strings.TrimPrefix(path, sets[i].Path+"."))
			}
		}
		return lookup(fields, path)
	}
}

// sealSets returns sets with every personal-data value sealed for to and
// bound to case id; values inside a mapping are sealed leaf by leaf.
func sealSets(p *policy.Policy, to []seal.Recipient, id string, sets []cases.Set) ([]cases.Set, error) {
	out := make([]cases.Set, len(sets))
	for i, s := range sets {
		v, err := sealValue(p, to, id, s.Path, s.Value)
		if err != nil {
			return nil, err
		}
		out[i] = cases.Set{Path: s.Path, Value: v}
	}
	return out, nil
}

func sealValue(p *policy.Policy, to []seal.Recipient, id, path string, v any) (any, error) {
	if m, ok := v.(map[string]any); ok {
		out := make(map[string]any, len(m))
		for k, x := range m {
			sv, err := sealValue(p, to, id, path+"."+k, x)
			if err != nil {
				return nil, err
			}
			out[k] = sv
		}
		return out, nil
	}
	if !isPII(p, path) || !sealable(v) {
		return v, nil
	}
	s, err := seal.Seal(to, id, path, v)
	if err != nil {
		return nil, &InputError{Msg: err.Error()}
	}
	return s, nil
}

// plainFields returns the case's fields with sealed values opened where
// the desk's identities can (and left sealed where not).
func (d *Desk) plainFields(c *cases.Case) map[string]any {
	if len(d.Identities) == 0 || len(seal.Sealed(c.Fields)) == 0 {
		return c.Fields
	}
	out, _ := seal.Reveal(c.Fields, c.ID, d.Identities, "")
	// Reveal writes "" for what it cannot open; keep those sealed so they
	// never pass for an empty value.
	for _, path := range seal.Sealed(c.Fields) {
		if v, _ := lookup(out, path); v == "" {
			orig, _ := lookup(c.Fields, path)
			setPath(out, path, orig)
		}
	}
	return out
}

func setPath(m map[string]any, path string, v any) {
	segs := strings.Split(path, ".")
	for _, s := range segs[:len(segs)-1] {
		next, _ := m[s].(map[string]any)
		if next == nil {
			return
		}
		m = next
	}
	m[segs[len(segs)-1]] = v
}

// sealEdit seals the personal data an edit sets, drops sets that would
// only re-seal the value a field already holds, and, when the edit changes
// who is left out of the case, re-seals the case's other sealed values too
// (with the desk's identities) or says why it could not.
func (d *Desk) sealEdit(p *policy.Policy, cur *cases.Case, changes []cases.Change) ([]cases.Change, []string, error) {
	if d.Recipients == nil {
		return changes, nil, nil
	}
	plain := d.plainFields(cur)
	var sets []cases.Set
	var out []cases.Change
	for _, ch := range changes {
		s, ok := ch.(cases.Set)
		if !ok {
			out = append(out, ch)
			continue
		}
		if old, ok := lookup(plain, s.Path); ok && isPII(p, s.Path) && sameScalar(old, s.Value) {
			if raw, _ := lookup(cur.Fields, s.Path); seal.IsSealed(raw) {
				continue // already sealed with this value
			}
		}
		sets = append(sets, s)
	}
	before := exclusions(p, overlay(plain, nil))
	after := exclusions(p, overlay(plain, sets))
	to, err := d.Recipients.Without(after)
	if err != nil {
		return nil, nil, &InputError{Msg: cur.ID + ": " + err.Error()}
	}
	sealed, err := sealSets(p, to, cur.ID, sets)
	if err != nil {
		return nil, nil, err
	}
	for _, s := range sealed {
		out = append(out, s)
	}
	var warnings []string
	if !slices.Equal(d.Recipients.Excluded(before), d.Recipients.Excluded(after)) {
		setHere := map[string]bool{}
		for _, s := range sets {
			setHere[s.Path] = true
		}
		var stale []string
		for _, path := range seal.Sealed(cur.Fields) {
			if !setHere[path] {
				stale = append(stale, path)
			}
		}
		more, left := d.reseal(cur, to, stale)
		for _, s := range more {
			out = append(out, s)
		}
		if len(left) > 0 {
			warnings = append(warnings, fmt.Sprintf("%s: who may read its personal data changed (left out: %s), but %s stay sealed as before: run casebook rekey %s --identity FILE",
				cur.ID, orNone(d.Recipients.Excluded(after)), strings.Join(left, ", "), cur.ID))
		}
	}
	return out, warnings, nil
}

// reseal seals the values at paths again for to; it returns the sets and
// the paths it could not open.
func (d *Desk) reseal(cur *cases.Case, to []seal.Recipient, paths []string) ([]cases.Set, []string) {
	var sets []cases.Set
	var left []string
	for _, path := range paths {
		raw, _ := lookup(cur.Fields, path)
		s, _ := raw.(string)
		env, err := seal.Open(d.Identities, cur.ID, path, s)
		if err != nil {
			left = append(left, path)
			continue
		}
		v, err := seal.Seal(to, cur.ID, path, env.Value)
		if err != nil {
			left = append(left, path)
			continue
		}
		sets = append(sets, cases.Set{Path: path, Value: v})
	}
	return sets, left
}

// sameScalar compares two front-matter scalars as the file would hold them.
func sameScalar(a, b any) bool {
	if a == nil || b == nil {
		return false
	}
	return fmt.Sprint(a) == fmt.Sprint(b) && fmt.Sprintf("%T", a) == fmt.Sprintf("%T", b)
}

// RekeyCheck reports, without writing anything, why Rekey would refuse
// case id for its file's values (a text field written unquoted that YAML
// reads otherwise), so that rekeying many cases refuses them all before the
// first commit rather than stopping half way.
func (d *Desk) RekeyCheck(id string) error {
	file, _, cur, p, err := d.load(id)
	if err != nil {
		return err
	}
	return writtenAsText(file, cur, p)
}

// Rekey seals a case's personal data again for the repository's current
// recipients, minus those the case leaves out: after a key was added or
// removed from policies/recipients.txt, or after a recusal changed. It
// also seals personal data still in plain text. Plaintext never changes:
// every value is opened with the desk's identities, checked to belong to
// its case and field, and sealed again with the same value; values that
// already match the recipients are left alone unless force. The commit,
// "<ID>: rekey <fields>" with the Casebook-Rekey trailer, is allowed on a
// closed case: it is not an edit of the record.
func (d *Desk) Rekey(id string, force bool) (Done, error) {
	if d.Recipients == nil {
		return Done{}, &InputError{Msg: "the repository declares no recipients, so there is nothing to seal for", Fix: "list the age public keys in " + seal.File}
	}
	var done Done
	res, err := d.commit(func(v View) (repo.Change, string, error) {
		file, data, _, _, err := d.read(v, id)
		if err != nil {
			return repo.Change{}, "", err
		}
		cur, p, err := d.parsed(file, data)
		if err != nil {
			return repo.Change{}, "", err
		}
		done = Done{ID: id, File: file, From: cur.Status, To: cur.Status}
		if err := writtenAsText(file, cur, p); err != nil {
			return repo.Change{}, "", err
		}
		sealedPaths := seal.Sealed(cur.Fields)
		if len(sealedPaths) > 0 && len(d.Identities) == 0 {
			return repo.Change{}, "", &InputError{Msg: id + ": rekey opens the sealed values to seal them again, and needs an identity", Fix: "give --identity FILE or CASEBOOK_IDENTITY=FILE with a key the values are sealed for"}
		}
		plain := d.plainFields(cur)
		to, err := d.Recipients.Without(exclusions(p, overlay(plain, nil)))
		if err != nil {
			return repo.Change{}, "", &InputError{Msg: id + ": " + err.Error()}
		}
		var sets []cases.Set
		for _, path := range sealedPaths {
			raw, _ := lookup(cur.Fields, path)
			s, _ := raw.(string)
			env, err := seal.Open(d.Identities, id, path, s)
			if err != nil {
				return repo.Change{}, "", &InputError{Msg: fmt.Sprintf("%s: cannot rekey: %v", file, err)}
			}
			if env.SealedFor(to) && !force {
				continue
			}
			nv, err := seal.Seal(to, id, path, env.Value)
			if err != nil {
				return repo.Change{}, "", &InputError{Msg: err.Error()}
			}
			sets = append(sets, cases.Set{Path: path, Value: nv})
		}
		for _, path := range p.PIIPaths() {
			raw, ok := cur.Get(path)
			if !ok || !sealable(raw) {
				continue
			}
			nv, err := seal.Seal(to, id, path, raw)
			if err != nil {
				return repo.Change{}, "", &InputError{Msg: err.Error()}
			}
			sets = append(sets, cases.Set{Path: path, Value: nv})
		}
		if len(sets) == 0 {
			return repo.Change{}, "", errUnchanged
		}
		sort.Slice(sets, func(i, j int) bool { return sets[i].Path < sets[j].Path })
		changes := make([]cases.Change, len(sets))
		paths := make([]string, len(sets))
		for i, s := range sets {
			changes[i], paths[i] = s, s.Path
		}
		next, err := cases.Apply(data, changes)
		if err != nil {
			return repo.Change{}, "", editError(file, err)
		}
		if err := onlySealed(id, data, next, paths); err != nil {
			return repo.Change{}, "", err
		}
		msg := message(fmt.Sprintf("%s: rekey %s", id, strings.Join(paths, ", ")), "",
			"Casebook-Case", id, RekeyTrailer, fmt.Sprintf("%d values for %d recipients", len(sets), len(to)))
		return repo.Change{Path: file, Data: next}, msg, nil
	})
	return finished(done, res, err)
}

// writtenAsText refuses a rekey of a case holding a text field written
// without quotes that YAML reads as something else (`phone: 013800000000`
// is a number): sealing the value read would seal 13800000000 and lose the
// text as written, for good. The clerk quotes it first.
func writtenAsText(file string, c *cases.Case, p *policy.Policy) error {
	us := validate.NotAsWritten(c, p)
	if len(us) == 0 {
		return nil
	}
	var where, fixes []string
	for _, u := range us {
		where = append(where, fmt.Sprintf("%s:%d: %s: %s", file, u.Line, u.Path, u.Text))
		fixes = append(fixes, fmt.Sprintf("%s: %q", u.Path[strings.LastIndexByte(u.Path, '.')+1:], u.Text))
	}
	return &InputError{
		Msg: fmt.Sprintf("%s: cannot rekey: %s written without quotes, so sealing would keep what YAML reads, not the text; nothing was written", c.ID, strings.Join(where, "; ")),
		Fix: "quote it in the file (" + strings.Join(fixes, ", ") + "), commit, then rekey again",
	}
}

// onlySealed checks what a rekey is about to commit: the same body, and
// each changed path holding a well-formed sealed value. cases.Apply has
// already refused any change beyond those paths; the values sealed are the
// ones just opened (or the plain text), so the plaintext is the same.
func onlySealed(id string, before, after []byte, paths []string) error {
	a, err := cases.Parse("", before)
	if err != nil {
		return &InputError{Msg: err.Error()}
	}
	b, err := cases.Parse("", after)
	if err != nil {
		return &InputError{Msg: err.Error()}
	}
	ok := a.Body == b.Body
	for _, path := range paths {
		v, _ := b.Get(path)
		s, _ := v.(string)
		ok = ok && seal.IsSealed(s) && seal.Check(s) == nil
	}
	if !ok {
		return fmt.Errorf("%s: rekey would change the record; nothing was committed (this is a bug: please report it)", id)
	}
	return nil
}
