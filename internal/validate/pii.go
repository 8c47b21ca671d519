package validate

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/casebook/casebook/internal/export"
	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/seal"
)

// RecipientsFile lists the age recipients personal data is encrypted for,
// one per line (see package seal for the format). A repository without it
// keeps personal data in plain text (protected only by who may clone the
// repository).
const RecipientsFile = seal.File

// ArmorPrefix starts every encrypted field value.
const ArmorPrefix = seal.Armor

// rekeyTrailer marks a commit that only sealed personal data again
// (clerk.RekeyTrailer; validate does not import clerk).
const rekeyTrailer = "Casebook-Rekey"

// Recipients reads the repository's declared recipients' public keys (nil
// when none). A malformed recipients file is an error with its line.
func Recipients(root string) ([]string, error) {
	rs, err := seal.LoadRecipients(root)
	if err != nil {
		return nil, err
	}
	return rs.Keys(), nil
}

// piiPlaintext reports personal data stored in plain text, and sealed
// values that are damaged (which protect nothing and open for no one);
// called only when the repository declares recipients.
func piiPlaintext(r *office.Record) []Finding {
	if r.Policy == nil {
		return nil
	}
	var fs []Finding
	// Personal data in the wrong shape (`complainant: "王五 13912340090"`,
	// a list) cannot be sealed as it is, and is plain text whatever it
	// holds.
	bad := export.Misshapen(r.Case, r.Policy)
	for _, path := range bad {
		v, _ := r.Case.Get(path)
		if seal.IsSealed(v) {
			continue
		}
		f := finding(r, "pii.plaintext", path, "", "")
		f.Say("misshapen", msg.Args{"field": fieldTerm(r.Policy, path), "shape": shapeName(v), "policy": r.Policy.ID,
			"declared": declaredShape(r.Policy, path), "example": shapeExample(r.Policy, path), "case": r.Case.ID})
		fs = append(fs, f)
	}
	for _, path := range r.Policy.PIIPaths() {
		if slices.ContainsFunc(bad, func(b string) bool { return path == b || strings.HasPrefix(path, b+".") }) {
			continue
		}
		v, ok := r.Case.Get(path)
		if !ok || v == nil {
			continue
		}
		if _, isMap := v.(map[string]any); isMap {
			continue // its personal sub-fields are listed on their own
		}
		if seal.IsSealed(v) {
			if err := seal.Check(v.(string)); err != nil {
				f := finding(r, "pii.plaintext", path, "", "")
				f.Say("damaged", msg.Args{"field": fieldTerm(r.Policy, path), "err": err, "case": r.Case.ID, "path": path, "file": RecipientsFile})
				fs = append(fs, f)
			}
			continue
		}
		if strings.TrimSpace(fmt.Sprint(v)) == "" {
			continue
		}
		f := finding(r, "pii.plaintext", path, "", "")
		f.Say("plain", msg.Args{"field": fieldTerm(r.Policy, path), "file": RecipientsFile, "case": r.Case.ID})
		fs = append(fs, f)
	}
	return fs
}

// shapeName names the shape of a front-matter value.
func shapeName(v any) msg.Text {
	switch v.(type) {
	case map[string]any:
		return msg.T("映射", "a mapping")
	case []any:
		return msg.T("列表", "a list")
	}
	return msg.T("单个值", "a single value")
}

// declaredShape says what the policy declares at path.
func declaredShape(p *policy.Policy, path string) msg.Text {
	if f, ok := p.Field(path); ok && len(f.Fields) > 0 {
		return msg.T("含子字段的映射", "a mapping of sub-fields")
	}
	return msg.T("单个值", "one value")
}

// shapeExample is how a field of path's shape is written.
func shapeExample(p *policy.Policy, path string) string {
	f, ok := p.Field(path)
	if !ok || len(f.Fields) == 0 {
		return path[strings.LastIndexByte(path, '.')+1:] + ": \"...\""
	}
	var keys []string
	for _, sf := range f.Fields {
		if sf.PII && len(keys) < 2 {
			keys = append(keys, sf.Name+": \"...\"")
		}
	}
	return path + ": {" + strings.Join(keys, ", ") + "}"
}

// rekeyOnly reports whether version i of a case's history only sealed its
// personal data again: the commit says so with the Casebook-Rekey
// trailer, the body is unchanged, and in the front-matter every value that
// differs is sealed afterwards and was sealed before, or was personal data
// in plain text (sealed for the first time). What a sealed value holds
// needs a key to check; casebook rekey checks it before committing.
func rekeyOnly(o *office.Office, p *policy.Policy, h *history.Case, i int) bool {
	if o == nil || o.Repo == nil || i == 0 {
		return false
	}
	v, prev := h.Versions[i], h.Versions[i-1]
	if len(v.Trailers.Get(rekeyTrailer)) == 0 || v.Snap.Body != prev.Snap.Body {
		return false
	}
	before, ok := office.VersionCase(o.Repo, p, prev)
	if !ok {
		return false
	}
	after, ok := office.VersionCase(o.Repo, p, v)
	if !ok || before.Body != after.Body {
		return false
	}
	return resealed(p, "", before.Fields, after.Fields)
}

// resealed compares two front-matter values, counting a sealed value as
// equal to any sealed value, and a plain personal-data value as equal to a
// sealed one.
func resealed(p *policy.Policy, path string, a, b any) bool {
	if seal.IsSealed(b) {
		if seal.IsSealed(a) {
			return true
		}
		f, ok := p.Field(path)
		return ok && f.PII
	}
	ma, okA := a.(map[string]any)
	mb, okB := b.(map[string]any)
	if okA != okB {
		return false
	}
	if !okA {
		return reflect.DeepEqual(a, b)
	}
	if len(ma) != len(mb) {
		return false
	}
	for k, x := range ma {
		y, ok := mb[k]
		if !ok {
			return false
		}
		sub := k
		if path != "" {
			sub = path + "." + k
		}
		if !resealed(p, sub, x, y) {
			return false
		}
	}
	return true
}

// dropRekeys removes the history.closed_edit findings of commits that
// only sealed personal data again (rekeyOnly): re-encrypting a field is
// not an edit of a closed record. With identities, the values sealed
// before and after must be the same, or the finding stays and says which
// field holds another value; without them, a rekey.unchecked warning takes
// its place, since what a sealed value holds needs a key to tell.
func dropRekeys(o *office.Office, r *office.Record, fs []Finding, ids []seal.Identity) []Finding {
	if r.History == nil || r.Policy == nil {
		return fs
	}
	out := fs[:0]
	var warn []Finding
	for _, f := range fs {
		if f.Code == "history.closed_edit" {
			i := slices.IndexFunc(r.History.Versions, func(v history.Version) bool { return v.Commit == f.Commit })
			if i > 0 && rekeyOnly(o, r.Policy, r.History, i) {
				if len(ids) == 0 {
					w := f
					w.Code, w.Severity = "rekey.unchecked", severityOf("rekey.unchecked")
					w.Say("no_identity", msg.Args{"commit": short(f.Commit)})
					warn = append(warn, w)
					continue
				}
				changed, unopened := rekeyedValues(o, r.Policy, r.History, i, ids)
				switch {
				case len(changed) > 0:
					f.Say("rekey_changed", msg.Args{"commit": short(f.Commit), "fields": fieldList(r.Policy, changed), "file": r.History.Versions[i].Path})
				case len(unopened) > 0:
					w := f
					w.Code, w.Severity = "rekey.unchecked", severityOf("rekey.unchecked")
					w.Say("unopened", msg.Args{"commit": short(f.Commit), "fields": fieldList(r.Policy, unopened)})
					warn = append(warn, w)
					continue
				default:
					continue
				}
			}
		}
		out = append(out, f)
	}
	return append(out, warn...)
}

// fieldList is field paths as one message argument (see fieldTerm).
func fieldList(p *policy.Policy, paths []string) msg.List {
	l := make(msg.List, len(paths))
	for i, path := range paths {
		l[i] = fieldTerm(p, path)
	}
	return l
}

// rekeyedValues opens the sealed values that version i of h changed and
// lists the fields whose values differ from version i-1's, and those the
// identities open on neither side.
func rekeyedValues(o *office.Office, p *policy.Policy, h *history.Case, i int, ids []seal.Identity) (changed, unopened []string) {
	before, ok1 := office.VersionCase(o.Repo, p, h.Versions[i-1])
	after, ok2 := office.VersionCase(o.Repo, p, h.Versions[i])
	if !ok1 || !ok2 {
		return nil, nil
	}
	id := h.ID
	var walk func(path string, a, b any)
	walk = func(path string, a, b any) {
		if seal.IsSealed(b) {
			sa, _ := a.(string)
			sb, _ := b.(string)
			if sa == sb {
				return
			}
			var va any = a
			if seal.IsSealed(a) {
				ea, err := seal.Open(ids, id, path, sa)
				if err != nil {
					unopened = append(unopened, path)
					return
				}
				va = ea.Value
			}
			eb, err := seal.Open(ids, id, path, sb)
			if err != nil {
				unopened = append(unopened, path)
				return
			}
			if fmt.Sprint(va) != fmt.Sprint(eb.Value) {
				changed = append(changed, path)
			}
			return
		}
		ma, okA := a.(map[string]any)
		mb, okB := b.(map[string]any)
		if !okA || !okB {
			return
		}
		keys := make([]string, 0, len(mb))
		for k := range mb {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			sub := k
			if path != "" {
				sub = path + "." + k
			}
			walk(sub, ma[k], mb[k])
		}
	}
	walk("", before.Fields, after.Fields)
	return changed, unopened
}
