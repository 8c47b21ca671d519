package export

import (
	"fmt"
	"strings"
	"sync"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/seal"
)

// Personal data fails closed: what is published (the site's pages, its
// forms, cases.csv) asks Withheld of every field path, and Withheld says
// yes whenever it cannot be sure a value is not personal data.

// publicCore are the core fields shown for a case whose policy is unknown:
// without the policy nothing says which of its other keys are personal.
var publicCore = map[string]bool{
	policy.FieldID: true, policy.FieldPolicy: true, policy.FieldTitle: true, policy.FieldStatus: true,
	policy.FieldReceivedAt: true, policy.FieldChannel: true, policy.FieldCategory: true,
	policy.FieldAssignee: true, policy.FieldDepartment: true, policy.FieldRelated: true,
}

// Withheld returns whether a field path of the record must be left out of
// what is published. Personal data (the policy's pii fields and what is
// under them) is withheld unless includePII, and always for an anonymous
// complainant (see Anonymous). Personal data in the wrong shape is
// withheld even with includePII: a parent of pii fields that is not a
// mapping (`complainant: "王五 13912340090"`, a list), or a pii field that
// holds a mapping or a list where the policy declares a value. A case
// whose policy is unknown shows only the core fields that are not
// personal.
func Withheld(r *office.Record, includePII bool) func(path string) bool {
	if r.Policy == nil {
		return func(path string) bool {
			top, _, _ := strings.Cut(path, ".")
			return !publicCore[top]
		}
	}
	pii := piiPaths(r.Policy)
	bad := Misshapen(r.Case, r.Policy)
	show := includePII && !Anonymous(r)
	return func(path string) bool {
		if under(path, bad) {
			return true
		}
		return !show && under(path, pii)
	}
}

// Confidential returns whether a field path of the record is one its
// policy keeps confidential (or under one), so that it is shown on the
// case's own page and its own forms only: never in lists, registers,
// cases.csv, the feed or the calendar. A case whose policy is unknown keeps the core
// fields that are not personal, as Withheld does.
func Confidential(r *office.Record) func(path string) bool {
	if r.Policy == nil {
		return func(path string) bool {
			top, _, _ := strings.Cut(path, ".")
			return !publicCore[top]
		}
	}
	paths := confidentialPaths(r.Policy)
	return func(path string) bool { return under(path, paths) }
}

// confidentialCache holds each policy's confidential paths.
var confidentialCache sync.Map // *policy.Policy → []string

func confidentialPaths(p *policy.Policy) []string {
	if v, ok := confidentialCache.Load(p); ok {
		return v.([]string)
	}
	paths := p.ConfidentialPaths()
	confidentialCache.Store(p, paths)
	return paths
}

// under reports whether path is one of roots or below one.
func under(path string, roots []string) bool {
	for _, p := range roots {
		if path == p || strings.HasPrefix(path, p+".") {
			return true
		}
	}
	return false
}

// Misshapen lists the paths of c that hold personal data in a shape the
// policy does not declare: a parent of pii fields that is not a mapping,
// or a pii field without sub-fields that holds a mapping or a list.
// validate reports them as pii.plaintext where recipients are declared
// (a sealed value is a string, so such a value cannot be sealed as it is).
func Misshapen(c *cases.Case, p *policy.Policy) []string {
	var out []string
	for _, path := range piiPaths(p) {
		segs := strings.Split(path, ".")
		for i := 1; i <= len(segs); i++ {
			at := strings.Join(segs[:i], ".")
			v, ok := c.Get(at)
			if !ok || v == nil {
				break
			}
			_, isMap := v.(map[string]any)
			_, isList := v.([]any)
			if i < len(segs) && !isMap || i == len(segs) && (isMap || isList) && !hasSubFields(p, at) {
				if !under(at, out) {
					out = append(out, at)
				}
				break
			}
		}
	}
	return out
}

func hasSubFields(p *policy.Policy, path string) bool {
	f, ok := p.Field(path)
	return ok && len(f.Fields) > 0
}

// Anonymous reports whether the complainant asked not to be named. Only
// `anonymous: false` (or no value) names them: "yes", 1, 是 or any other
// value that is not a boolean counts as anonymous, as does a complainant
// that is not a mapping.
func Anonymous(r *office.Record) bool {
	m, isMap := r.Case.Fields[policy.FieldComplainant].(map[string]any)
	if !isMap {
		return r.Case.Fields[policy.FieldComplainant] != nil
	}
	v, ok := m["anonymous"]
	if !ok || v == nil {
		return false
	}
	b, isBool := v.(bool)
	return !isBool || b
}

// piiCache holds each policy's personal-data paths, asked for once per
// policy rather than once per case.
var piiCache sync.Map // *policy.Policy → []string

func piiPaths(p *policy.Policy) []string {
	if p == nil {
		return nil
	}
	if v, ok := piiCache.Load(p); ok {
		return v.([]string)
	}
	paths := p.PIIPaths()
	piiCache.Store(p, paths)
	return paths
}

// ComplainantName is the complainant's name as a list shows it: 匿名 for
// an anonymous case (Anonymous), "" when none is recorded, opened with ids
// when it is sealed, and 已隐藏 with the reason when they cannot open it.
func ComplainantName(r *office.Record, ids []seal.Identity) (string, []error) {
	if Anonymous(r) {
		return "匿名", nil
	}
	v, ok := r.Case.Get("complainant.name")
	if !ok || v == nil {
		return "", nil
	}
	if !seal.IsSealed(v) {
		return fmt.Sprint(v), nil
	}
	env, err := seal.Open(ids, r.Case.ID, "complainant.name", v.(string))
	if err != nil {
		return seal.Withheld("zh"), []error{err}
	}
	return fmt.Sprint(env.Value), nil
}
