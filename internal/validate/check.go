package validate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/seal"
	"github.com/casebook/casebook/internal/yamltext"
)

// Options select what Run checks.
type Options struct {
	Now time.Time
	// Since, when set, must be an ancestor of HEAD (history.rewritten).
	Since string
	// RequireSigned reports transition commits without a signature.
	RequireSigned bool
	// Verify, when set with RequireSigned, checks each signature of a
	// transition commit against the office's trusted keys and returns why
	// it does not verify ("" when it does).
	Verify func(commit string) string
	// Strict turns warnings into errors.
	Strict bool
	// Identities open sealed personal data, so that a rekey commit on a
	// closed case can be checked to have sealed the same values again;
	// without them such a commit is a rekey.unchecked warning.
	Identities []seal.Identity
}

// skew is the clock skew history.backdated tolerates.
const skew = history.ClockSkew

// Run checks every case of the office and returns the report.
func Run(o *office.Office, opts Options) (*Report, error) {
	rep := &Report{Now: opts.Now, CaseFiles: map[string]string{}}
	unjudged, err := unjudgedCases(o, opts)
	if err != nil {
		return nil, err
	}
	var fs []Finding
	for _, b := range o.Broken {
		f := Finding{Severity: severityOf("parse.error"), Code: "parse.error", Case: cases.StemID(b.File), File: b.File, Line: b.Line}
		f.SetText(b.Msg, b.Fix)
		fs = append(fs, f)
		rep.CaseFiles[cases.StemID(b.File)] = b.File
	}
	// Records are judged and dropped one by one: a record's environment
	// and clocks are large, and 100,000 of them need not be alive at once.
	rep.Cases = len(o.Cases) + len(o.Broken)
	recipients, err := Recipients(o.Root)
	if err != nil {
		return nil, err
	}
	byID := map[string][]*cases.Case{}
	per := make([][]Finding, len(o.Cases))
	// The received_at the clocks hold where the file's was changed without
	// a correction: commit dates are judged against the recorded fact.
	held := make([]time.Time, len(o.Cases))
	office.Parallel(len(o.Cases), func(i int) {
		r := o.Record(o.Cases[i], opts.Now)
		held[i] = heldReceived(r)
		per[i] = checkRecord(o, r, opts)
		per[i] = append(per[i], bodyTooComplex(r.Case)...)
		if len(recipients) > 0 {
			per[i] = append(per[i], piiPlaintext(r)...)
		}
		o.Release(r)
	})
	for i, c := range o.Cases {
		rep.CaseFiles[c.ID] = c.File
		if c.ID != "" {
			byID[c.ID] = append(byID[c.ID], c)
		}
		fs = append(fs, per[i]...)
	}
	fs = append(fs, duplicates(byID)...)
	if o.History != nil {
		fs = append(fs, deleted(o)...)
		fs = append(fs, collisions(o)...)
		fs = append(fs, readded(o)...)
		fs = append(fs, brokenVersions(o)...)
		fs = append(fs, backdated(o, opts.Now, held)...)
	}
	if opts.Since != "" {
		ok, err := history.IsAncestor(o.Repo, opts.Since)
		switch {
		case errors.Is(err, history.ErrNotInRepository):
			// A whole clone lacks it: no branch or tag leads to it any more.
			fs = append(fs, Finding{Severity: severityOf("history.rewritten"), Code: "history.rewritten", Commit: opts.Since,
				Message: fmt.Sprintf("commit %s is not in this repository: no branch or tag leads to it any more, so history was rewritten (force-push) since then", opts.Since),
				Fix:     "push the lost commits back from a clone that still has them (or the git host's reflog), or acknowledge the rewrite in " + AckFile})
		case errors.Is(err, history.ErrShallow):
			return nil, fmt.Errorf("--since %s: %w", opts.Since, err)
		case err != nil:
			return nil, fmt.Errorf("--since %s: %w (fix: give a commit, branch or tag that exists in this repository)", opts.Since, err)
		case !ok:
			fs = append(fs, Finding{Severity: severityOf("history.rewritten"), Code: "history.rewritten", Commit: opts.Since,
				Message: fmt.Sprintf("%s is not an ancestor of HEAD: history was rewritten (rebase, amend or force-push) since then", opts.Since),
				Fix:     "restore the rewritten commits from a clone or the git host's reflog, or acknowledge the rewrite in " + AckFile})
		}
	}
	acks, err := loadAcks(o.Root)
	if err != nil {
		return nil, err
	}
	if err := scopeAcks(o.Repo, o.CacheDir, acks); err != nil {
		return nil, err
	}
	excuseAcks(acks, unjudged)
	fs = dropUnjudged(o, applyAcks(fs, acks), unjudged)
	if opts.Strict {
		for i := range fs {
			if fs[i].Severity == Warning {
				fs[i].Severity = Error
			}
		}
	}
	Sort(fs)
	rep.Findings = fs
	rep.Count()
	return rep, nil
}

func loadAcks(root string) ([]*Ack, error) {
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(AckFile)))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return ParseAcks(data)
}

func finding(r *office.Record, code, path, msg, fix string) Finding {
	sev := severityOf(code)
	line := 0
	if path != "" {
		line = r.Case.Line(dotted(path))
	} else {
		line = r.Case.Line("id")
	}
	return Finding{Severity: sev, Code: code, Case: r.Case.ID, File: r.Case.File, Line: line, Field: path, Message: msg, Fix: fix}
}

func checkRecord(o *office.Office, r *office.Record, opts Options) []Finding {
	c := r.Case
	prefix, policyID := "", ""
	if r.Policy != nil {
		prefix, policyID = r.Policy.Prefix, r.Policy.ID
	}
	fs := checkIDField(r, prefix, policyID)
	if r.PolicyErr != nil {
		fs = append(fs, fieldErrors(c)...)
		fs = append(fs, checkCoreFields(c, nil, opts.Now)...)
		if blank(c, policy.FieldPolicy) {
			fs = append(fs, Finding{Severity: severityOf("field.required"), Code: "field.required", Case: c.ID, File: c.File, Line: requiredLine(c, policy.FieldPolicy), Field: policy.FieldPolicy,
				Message: fmt.Sprintf("policy (办法) is required: the repository has several policies (%s)", strings.Join(o.Policies.IDs(), ", ")),
				Fix:     "write `policy:` with one of: " + strings.Join(o.Policies.IDs(), ", ")})
		} else if _, isString := c.Fields[policy.FieldPolicy].(string); isString {
			fs = append(fs, finding(r, "field.invalid", "policy", r.PolicyErr.Error(), "set `policy:` to one of: "+strings.Join(o.Policies.IDs(), ", ")))
		}
		return fs
	}
	fs = append(fs, CheckCase(r, opts)...)
	fs = append(fs, checkWritten(r, r.Policy)...)
	fs = append(fs, dropRekeys(o, r, checkHistory(r, r.Policy, opts), opts.Identities)...)
	fs = append(fs, unauthored(r)...)
	fs = append(fs, factChanged(o, r, opts.Now)...)
	fs = append(fs, recordedTimesCommitted(o, r, opts.Now)...)
	return fs
}

// wellFormedID reports whether id is letters, digits and single hyphens,
// starting with a letter (BANK-2026-0007): the shape the clerk allocates,
// and one that cannot name a path ("../x", "a/b", "a\b", ".git").
func wellFormedID(id string) bool {
	if id == "" || !(id[0] >= 'A' && id[0] <= 'Z' || id[0] >= 'a' && id[0] <= 'z') || strings.HasSuffix(id, "-") || strings.Contains(id, "--") {
		return false
	}
	for _, r := range id {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

func checkFields(r *office.Record, p *policy.Policy) []Finding {
	var fs []Finding
	c := r.Case
	for _, k := range c.Keys {
		f, ok := p.Field(k)
		if !ok {
			if !p.AllowUnknownFields {
				fs = append(fs, finding(r, "field.unknown", k, because(fmt.Sprintf("policy %s declares no field %q", p.ID, k), termCause(p, policy.KindField, k)),
					"fix the spelling, remove the key, or declare the field under `fields:` in policies/"+p.ID+".yaml"))
			}
			continue
		}
		if slices.ContainsFunc(c.FieldErrors, func(fe msg.FileError) bool { return fe.Path == k }) {
			continue // the parser reported it (received_at that is no time)
		}
		fs = append(fs, checkValue(r, p, k, f, c.Fields[k])...)
		if k == policy.FieldRelated {
			fs = append(fs, relatedPaths(r, c.Fields[k])...)
		}
	}
	return fs
}

// relatedPaths reports links written as a file path instead of a case id,
// which nothing else would notice: a link is not checked against the cases.
func relatedPaths(r *office.Record, v any) []Finding {
	items, _ := v.([]any)
	var fs []Finding
	for i, it := range items {
		id, _ := it.(string)
		if m, ok := it.(map[string]any); ok {
			id, _ = m["id"].(string)
		}
		if why := yamltext.PathCause(id); why != "" {
			path := fmt.Sprintf("related.%d", i)
			fs = append(fs, finding(r, "field.invalid", path, fmt.Sprintf("%s: %q: %s", path, id, why), "write the case id, e.g. "+cases.StemID(id)))
		}
	}
	return fs
}

// termCause names what a value that is not one of its term's ids is: the
// label of one (a case file holds the id), or a typo of one.
func termCause(p *policy.Policy, kind, s string) string {
	if s == "" {
		return ""
	}
	id, err := p.Resolve(kind, s)
	if err == nil {
		if id == s {
			return ""
		}
		return fmt.Sprintf("%q 是 %s 的名称，文件里要写编号 / %q is the label of %s; a case file holds the id: write %s", s, id, s, id, id)
	}
	var re *policy.ResolveError
	if errors.As(err, &re) && re.Suggestion != nil {
		return fmt.Sprintf("是不是 %s？ / did you mean %s?", re.Suggestion.ID, re.Suggestion.ID)
	}
	return ""
}

// because appends the cause of a bad value to its message, when known.
func because(msg, cause string) string {
	if cause == "" {
		return msg
	}
	return msg + ": " + cause
}

func checkValue(r *office.Record, p *policy.Policy, path string, f *policy.Field, v any) []Finding {
	if v == nil {
		return nil
	}
	bad := func(msg, fix string) []Finding {
		return []Finding{finding(r, "field.invalid", path, fmt.Sprintf("%s: %s", path, msg), fix)}
	}
	switch f.Type {
	case policy.TypeString, policy.TypeText:
		if _, ok := v.(string); !ok {
			if _, isMap := v.(map[string]any); isMap {
				return bad("must be text, not a mapping", "write the value on one line, quoted if it contains a colon")
			}
			if _, isList := v.([]any); isList {
				return bad("must be text, not a list", "write one value")
			}
		}
	case policy.TypeNumber, policy.TypeMoney, policy.TypeInt:
		var x float64
		switch n := v.(type) {
		case int:
			x = float64(n)
		case float64:
			x = n
		default:
			return bad(because(fmt.Sprintf("%v is not a number", v), yamltext.NumberCause(fmt.Sprint(v))), "write a plain number such as 50000 or 1234.50, without units or thousands separators")
		}
		if f.Type == policy.TypeInt && x != float64(int64(x)) {
			return bad(fmt.Sprintf("%v is not a whole number", v), "write a whole number")
		}
		if f.Min != nil && x < *f.Min {
			return bad(fmt.Sprintf("%v is below the minimum %v", v, *f.Min), "correct the value")
		}
		if f.Max != nil && x > *f.Max {
			return bad(fmt.Sprintf("%v is above the maximum %v", v, *f.Max), "correct the value")
		}
	case policy.TypeBool:
		if _, ok := v.(bool); !ok {
			return bad(because(fmt.Sprintf("%v is not true or false", v), yamltext.BoolCause(fmt.Sprint(v))), "write true or false")
		}
	case policy.TypeDate:
		s, _ := v.(string)
		if _, err := time.Parse("2006-01-02", s); err != nil {
			return bad(because(fmt.Sprintf("%v is not a date", v), yamltext.TimeCause(fmt.Sprint(v))), "write the date as YYYY-MM-DD, e.g. 2026-09-30")
		}
	case policy.TypeDateTime:
		s, _ := v.(string)
		if !validDateTime(s) {
			return bad(because(fmt.Sprintf("%v is not a date and time", v), yamltext.TimeCause(fmt.Sprint(v))), "write RFC 3339 with offset, e.g. 2026-09-30T10:00:00+08:00")
		}
	case policy.TypeEnum:
		s, ok := v.(string)
		if !ok || !enumHas(f, s) {
			return bad(because(fmt.Sprintf("%v is not one of %s", v, strings.Join(p.EnumValues(path), ", ")), termCause(p, "value:"+path, s)), "use one of the listed values")
		}
	case policy.TypeList:
		items, ok := v.([]any)
		if !ok {
			return bad(because("must be a list", yamltext.ListCause(fmt.Sprint(v))), "write a YAML list, e.g. [a, b]")
		}
		var fs []Finding
		for i, it := range items {
			sub := fmt.Sprintf("%s.%d", path, i)
			if len(f.Fields) > 0 {
				if m, ok := it.(map[string]any); ok {
					fs = append(fs, checkObject(r, p, sub, path, f, m)...)
				}
			}
		}
		return fs
	case policy.TypeObject, policy.TypePerson, policy.TypeApproval:
		m, ok := v.(map[string]any)
		if !ok {
			return bad("must be a mapping of sub-fields", "write it as `{key: value, ...}` or an indented block")
		}
		return checkObject(r, p, path, path, f, m)
	}
	return nil
}

func checkObject(r *office.Record, p *policy.Policy, path, declPath string, f *policy.Field, m map[string]any) []Finding {
	var fs []Finding
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		sf, ok := p.Field(declPath + "." + k)
		if !ok {
			if !p.AllowUnknownFields {
				fs = append(fs, finding(r, "field.unknown", path+"."+k, fmt.Sprintf("policy %s declares no field %q", p.ID, declPath+"."+k),
					"fix the spelling, or declare the sub-field in policies/"+p.ID+".yaml"))
			}
			continue
		}
		fs = append(fs, checkValue(r, p, path+"."+k, sf, m[k])...)
	}
	return fs
}

func validDateTime(s string) bool {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04"} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

// enumHas tells whether s is one of an enum field's values without
// building the list (it runs for every enum value of every case).
func enumHas(f *policy.Field, s string) bool {
	for _, v := range f.Values {
		if v.ID == s {
			return true
		}
	}
	return false
}

// visited lists the states the case has been in, per history, plus its
// current one: what a state requires must still hold later.
func visited(r *office.Record) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, t := range r.Transitions() {
		add(t.To)
	}
	add(r.Case.Status)
	return out
}

func present(c *cases.Case, path string) bool {
	v, ok := c.Get(path)
	if !ok || v == nil {
		return false
	}
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x) != ""
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

func checkRequirements(r *office.Record, p *policy.Policy) []Finding {
	var fs []Finding
	c := r.Case
	states := visited(r)
	_, known := p.State(c.Status)
	if !known {
		// A missing or unknown status is reported on its own; what the
		// states of the case's history require is still checked.
		states = slices.DeleteFunc(states, func(s string) bool { _, ok := p.State(s); return !ok })
	}
	if known && (p.IsTerminal(c.Status) || reopened(r)) {
		// A withdrawn or reopened case need not satisfy states it left
		// behind; only its current state's requirements apply.
		states = []string{c.Status}
	}
	missingField := map[string]bool{}
	needField := func(path, why string) {
		if missingField[path] || present(c, path) {
			return
		}
		missingField[path] = true
		label := p.Label("field", path, "zh")
		f := finding(r, "field.required", parentPath(c, path),
			fmt.Sprintf("%s (%s) is required %s", path, label, why),
			fmt.Sprintf("add `%s:` to the front-matter", path))
		f.Field = path // the line is the parent's, the finding is about the missing field
		fs = append(fs, f)
	}
	needSection := func(title, why string) {
		if s, ok := c.Section(title); ok && !s.Empty {
			return
		}
		fs = append(fs, Finding{Severity: severityOf("field.required"), Code: "field.required", Case: c.ID, File: c.File, Line: bodyLine(c),
			Message: fmt.Sprintf("body section 「%s」 is required %s", title, why),
			Fix:     fmt.Sprintf("add a heading `## %s` with its text to the body", title)})
	}
	for _, st := range states {
		req := p.Requirement(st)
		why := fmt.Sprintf("in state %s (%s)", st, p.Label("state", st, "zh"))
		for _, f := range req.Fields {
			needField(f, why)
		}
		for _, a := range req.Approvals {
			needField(a, why)
			if present(c, a) {
				if f, ok := p.Field(a); ok && f.Type == policy.TypeApproval && !present(c, a+".by") {
					needField(a+".by", why+" (an approval names who approved)")
				}
			}
		}
		for _, s := range req.Sections {
			needSection(s, why)
		}
	}
	for _, f := range p.Fields {
		fs = append(fs, requiredIn(r, p, f, f.Name, states, needField)...)
	}
	for _, e := range r.Escalations {
		if len(e.In) > 0 && !contains(e.In, c.Status) {
			continue
		}
		if len(e.In) == 0 && c.Status == p.InitialState() {
			continue
		}
		why := fmt.Sprintf("for a %s case (%s)", e.Severity, firstNonEmpty(e.Zh, e.ID))
		if e.Basis != "" {
			why += ", " + e.Basis
		}
		for _, f := range e.Fields {
			needField(f, why)
		}
		for _, s := range e.Sections {
			needSection(s, why)
		}
	}
	return fs
}

func requiredIn(r *office.Record, p *policy.Policy, f policy.Field, path string, states []string, need func(string, string)) []Finding {
	if len(f.RequiredIn) > 0 {
		for _, st := range states {
			if !contains(f.RequiredIn, st) {
				continue
			}
			if f.RequiredWhen != "" {
				ok, err := p.Eval(f.RequiredWhen, r.Env)
				if err != nil || !ok {
					continue
				}
			}
			need(path, fmt.Sprintf("in state %s (%s)", st, p.Label("state", st, "zh")))
			break
		}
	}
	if len(f.Fields) > 0 && present(r.Case, path) && f.Type != policy.TypeList {
		for _, sf := range f.Fields {
			requiredIn(r, p, sf, path+"."+sf.Name, states, need)
		}
	}
	return nil
}

func reopened(r *office.Record) bool {
	for _, t := range r.Transitions() {
		if tr, ok := r.Policy.TransitionAllowed(t.From, t.To); ok && tr.Reopen {
			return true
		}
	}
	return false
}

func parentPath(c *cases.Case, path string) string {
	for p := path; p != ""; {
		if _, ok := c.Get(p); ok {
			return p
		}
		i := strings.LastIndex(p, ".")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return "status"
}

func bodyLine(c *cases.Case) int {
	if c.BodyLine > 0 {
		return c.BodyLine
	}
	return c.Line("status")
}

func checkTransitions(r *office.Record, p *policy.Policy) []Finding {
	var fs []Finding
	c := r.Case
	ts := r.Transitions()
	rev := review(r, p)
	known := "" // the last state history read, across versions without one
	for i, t := range ts {
		before := known
		if t.To != "" {
			known = t.To
		}
		if t.Shallow || rev.Covers(t.Commit) {
			continue // a shallow clone's boundary, or a recorded correction
		}
		if t.To == "" {
			continue // a version without a status: field.required reports the file
		}
		if t.From == "" && i > 0 && before != "" && !t.Readded {
			// After a version that is not a case file (or has no status):
			// judged as a move from the last state that was read, so a
			// broken commit cannot launder an illegal one.
			if before != t.To {
				if _, ok := p.TransitionAllowed(before, t.To); !ok {
					f := finding(r, "transition.illegal", "status", fmt.Sprintf("commit %s moved the case %s -> %s (across a version without a readable status), which policy %s does not allow", short(t.Commit), before, t.To, p.ID),
						illegalFix(c.ID, t))
					f.Commit = t.Commit
					fs = append(fs, f)
				}
			}
			continue
		}
		if t.From == "" {
			if i == 0 && t.To != p.InitialState() && !createdAllowed(p, t.To) {
				f := finding(r, "transition.illegal", "status", fmt.Sprintf("created in state %s; new cases start in %s or a state reachable from it in one step", t.To, p.InitialState()),
					"record the case as "+p.InitialState()+" first and move it in a later commit, or acknowledge this commit")
				f.Commit = t.Commit
				fs = append(fs, f)
			}
			continue
		}
		if _, ok := p.State(t.To); !ok {
			continue // the current file reports the unknown state
		}
		if t.Readded && t.From == t.To {
			continue // history.readded reports it
		}
		if t.Readded {
			if _, ok := p.TransitionAllowed(t.From, t.To); !ok {
				f := finding(r, "transition.illegal", "status", fmt.Sprintf("commit %s added the case again in state %s after it was deleted in state %s; policy %s does not allow %s -> %s", short(t.Commit), t.To, t.From, p.ID, t.From, t.To),
					fmt.Sprintf("set status back to %s and commit; a record deleted and added again keeps its state", t.From))
				f.Commit = t.Commit
				fs = append(fs, f)
			}
			continue
		}
		if _, ok := p.TransitionAllowed(t.From, t.To); !ok && t.Merge {
			f := finding(r, "transition.illegal", "status", fmt.Sprintf("merge commit %s takes the case from %s, as one of the merged branches had it, to %s, which policy %s does not allow: the merge discarded that branch's change", short(t.Commit), t.From, t.To, p.ID),
				fmt.Sprintf("a merge is judged like a commit against each parent: take that branch's version back (git checkout <branch> -- %s, then commit), or undo its change with casebook correct %s --undo --reason ... --approved-by ..., or acknowledge the merge in %s", c.File, c.ID, AckFile))
			f.Commit = t.Commit
			fs = append(fs, f)
		} else if !ok {
			f := finding(r, "transition.illegal", "status", fmt.Sprintf("commit %s moved the case %s -> %s, which policy %s does not allow", short(t.Commit), t.From, t.To, p.ID)+uncovered(rev, t.Commit),
				illegalFix(c.ID, t))
			f.Commit = t.Commit
			fs = append(fs, f)
		}
	}
	// An uncommitted status change in the work tree is checked too, so a
	// clerk learns before committing.
	if len(ts) > 0 {
		last := ts[len(ts)-1].To
		if last != c.Status {
			if _, ok := p.State(c.Status); ok {
				if _, ok := p.TransitionAllowed(last, c.Status); !ok {
					fs = append(fs, finding(r, "transition.illegal", "status", fmt.Sprintf("uncommitted change moves the case %s -> %s, which policy %s does not allow", last, c.Status, p.ID),
						"set status back to "+last+" or to a state reachable from it: "+strings.Join(p.Reachable(last), ", ")))
				}
			}
		}
	}
	return fs
}

// createdAllowed: a case may be created directly in a state one legal move
// away from the initial one (answered on the spot: received → replied).
func createdAllowed(p *policy.Policy, to string) bool {
	_, ok := p.TransitionAllowed(p.InitialState(), to)
	return ok
}

func short(h string) string {
	if len(h) > 10 {
		return h[:10]
	}
	return h
}

func checkClocks(r *office.Record, now time.Time) []Finding {
	var fs []Finding
	c := r.Case
	for _, pr := range r.ClockProblems {
		path := pr.Field
		if path == "" {
			path = "extensions"
		}
		f := finding(r, "field.invalid", path, "", "")
		f.SetText(pr.Msg, pr.Fix)
		fs = append(fs, f)
	}
	for _, cl := range r.Clocks {
		label := firstNonEmpty(cl.Zh, cl.Rule)
		due := cl.DueAt.Format(time.RFC3339)
		dist, _ := cl.Distance(now)
		var f Finding
		what := clockWhat(cl)
		switch {
		case cl.State == deadline.Overdue && cl.Report > 0:
			f = finding(r, "deadline.overdue", "status", fmt.Sprintf("%s (%s)%s: the report was due %s and is not recorded (%s late)", cl.Rule, label, what, due, dist),
				overdueFix(cl))
		case cl.State == deadline.Overdue:
			f = finding(r, "deadline.overdue", "status", fmt.Sprintf("%s (%s)%s was due %s and the case is still %s (%s late)", cl.Rule, label, what, due, firstNonEmpty(c.Status, "without a status"), dist),
				overdueFix(cl))
		case cl.State == deadline.Missed && cl.NotDone:
			f = finding(r, "deadline.missed", "status", fmt.Sprintf("%s (%s)%s was due %s and was not done: the case ended %s without it", cl.Rule, label, what, due, cl.EndedAt.Format(time.RFC3339)),
				"a fact of the past; it counts as missed (未办理, not done) in the on-time statistics")
		case cl.State == deadline.Missed:
			f = finding(r, "deadline.missed", "status", fmt.Sprintf("%s (%s)%s was due %s but ended %s", cl.Rule, label, what, due, cl.EndedAt.Format(time.RFC3339)),
				"a fact of the past; it counts in the on-time statistics")
		case cl.State == deadline.AtRisk:
			f = finding(r, "deadline.at_risk", "status", fmt.Sprintf("%s (%s) is due %s (%s left)", cl.Rule, label, due, dist),
				"finish the step before the due date")
		default:
			f.Code = ""
		}
		if f.Code != "" {
			f.Rule = cl.Rule
			fs = append(fs, f)
		}
		for _, y := range cl.NoData {
			nf := finding(r, "calendar.no_data", "received_at", fmt.Sprintf("%s: the holiday calendar has no data for %d; due date counted with weekends only", cl.Rule, y),
				fmt.Sprintf("add %d from the State Council's notice to policies/calendar.yaml (`casebook calendar --import FEED.ics --year %d --write`, then check it), or upgrade casebook (github.com/6tail/lunar-go)", y, y))
			nf.Rule = cl.Rule
			fs = append(fs, nf)
		}
	}
	return fs
}

// clockWhat names which run of a clock a finding is about: the report of
// a reporting duty, the handling after a reopening.
func clockWhat(cl deadline.Clock) string {
	if _, en := cl.Run(); en != "" {
		return " [" + en + "]"
	}
	return ""
}

// overdueFix says how to clear an overdue clock, and never suggests what
// the policy forbids: an extension only where the rule allows one, the
// report field for a reporting duty.
func overdueFix(cl deadline.Clock) string {
	switch {
	case cl.Report > 0:
		return fmt.Sprintf("record the report: set %s to the time it was made (casebook set <ID> %s=<time>)%s", cl.ReportField, cl.ReportField, basis(cl.Basis))
	case cl.Extensible:
		return fmt.Sprintf("finish the step now, or record an approved extension under `extensions:`%s", basis(cl.Basis))
	case cl.Extended:
		return fmt.Sprintf("finish the step now; the extensions reached the policy's limit, no further one can be approved%s", basis(cl.Basis))
	}
	return fmt.Sprintf("finish the step now; the policy allows no extension of this deadline%s", basis(cl.Basis))
}

func basis(b string) string {
	if b == "" {
		return ""
	}
	return " (" + b + ")"
}

func checkRules(r *office.Record, p *policy.Policy) []Finding {
	var fs []Finding
	c := r.Case
	for _, ru := range p.Rules {
		if len(ru.In) > 0 && !contains(ru.In, c.Status) {
			continue
		}
		if ru.When != "" {
			ok, err := p.Eval(ru.When, r.Env)
			if err != nil || !ok {
				continue
			}
		}
		ok, err := p.Eval(ru.Require, r.Env)
		if err == nil && ok {
			continue
		}
		msg := ru.Message
		if msg == "" {
			msg = fmt.Sprintf("rule %s: %s does not hold", ru.ID, ru.Require)
		}
		if ru.Basis != "" {
			msg += " (" + ru.Basis + ")"
		}
		if err != nil {
			msg += ": " + err.Error()
		}
		f := finding(r, "rule.failed", "status", msg, firstNonEmpty(ru.Fix, "make `"+ru.Require+"` hold"))
		f.Rule = ru.ID
		fs = append(fs, f)
	}
	return fs
}

func checkRecusal(r *office.Record, p *policy.Policy) []Finding {
	var fs []Finding
	c := r.Case
	for _, rc := range p.Recusal {
		h, _ := c.Get(rc.Handler)
		x, _ := c.Get(rc.Respondent)
		hs, _ := h.(string)
		xs, _ := x.(string)
		if strings.TrimSpace(hs) == "" || strings.TrimSpace(hs) != strings.TrimSpace(xs) {
			continue
		}
		fs = append(fs, finding(r, "recusal.conflict", rc.Handler, fmt.Sprintf("%s %s is also the respondent (%s)%s", rc.Handler, hs, rc.Respondent, basis(rc.Basis)),
			"assign the case to someone who is not the person complained about"))
	}
	return fs
}

func checkHistory(r *office.Record, p *policy.Policy, opts Options) []Finding {
	var fs []Finding
	h := r.History
	if h == nil {
		return nil
	}
	prevStatus := ""
	rev := review(r, p)
	fs = append(fs, corrections(r, rev)...)
	for i, v := range h.Versions {
		if i > 0 && !v.Deleted && p.IsTerminal(prevStatus) && v.Snap.Status == prevStatus && !rev.Covers(v.Commit) {
			changed := v.Changed
			if v.Snap.Body != h.Versions[i-1].Snap.Body {
				changed = append(append([]string(nil), changed...), "body")
			}
			if _, ok := v.RenumberedFrom(v.Snap.ID); ok {
				// Renumbering is not an edit: the new id is the record's
				// name, not part of what it says.
				changed = slices.DeleteFunc(slices.Clone(changed), func(k string) bool { return k == policy.FieldID })
			}
			if edits := closedEdits(changed); len(edits) > 0 {
				f := finding(r, "history.closed_edit", edits[0], fmt.Sprintf("commit %s changed %s of a %s case without reopening it", short(v.Commit), strings.Join(edits, ", "), prevStatus)+uncovered(rev, v.Commit),
					"a closed record is final: reopen it with a legal move first, or acknowledge the commit in "+AckFile)
				f.Commit = v.Commit
				fs = append(fs, f)
			}
		}
		if !v.Deleted {
			prevStatus = v.Snap.Status
		}
	}
	if opts.RequireSigned {
		for _, t := range h.Transitions {
			why := ""
			switch {
			case !t.Signed:
				why = "is not signed"
			case opts.Verify != nil:
				if bad := opts.Verify(t.Commit); bad != "" {
					why = "has a signature that does not verify: " + bad
				}
			}
			if why == "" {
				continue
			}
			f := finding(r, "commit.unsigned", "status", fmt.Sprintf("transition commit %s (%s -> %s by %s) %s", short(t.Commit), displayFrom(t.From), t.To, t.Actor, why),
				"sign transition commits with a trusted key (casebook --sign, or git commit -S); acknowledge old ones in "+AckFile)
			f.Commit = t.Commit
			fs = append(fs, f)
		}
	}
	return fs
}

func displayFrom(s string) string {
	if s == "" {
		return "new"
	}
	return s
}

// closedEdits returns the changed keys that count as edits of a closed
// record: all but `related`, since adding a link is not an edit. The
// message names only these, so that a link made in the same commit does
// not read as part of the offence.
func closedEdits(keys []string) []string {
	var out []string
	for _, k := range keys {
		if k != "related" {
			out = append(out, k)
		}
	}
	return out
}

func duplicates(byID map[string][]*cases.Case) []Finding {
	var fs []Finding
	for id, cs := range byID {
		if len(cs) < 2 {
			continue
		}
		var files []string
		for _, c := range cs {
			files = append(files, c.File)
		}
		for _, c := range cs {
			fs = append(fs, Finding{Severity: severityOf("id.duplicate"), Code: "id.duplicate", Case: id, File: c.File, Line: c.Line("id"),
				Message: fmt.Sprintf("id %s is used by %d files: %s", id, len(cs), strings.Join(files, ", ")),
				Fix:     fmt.Sprintf("two clones allocated the same id: give one case the next free id, its trail kept: casebook renumber %s --file %s", id, c.File)})
		}
	}
	return fs
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

// dotted turns "extensions[0].until" into the "extensions.0.until" form
// case line lookups take.
func dotted(path string) string {
	if !strings.Contains(path, "[") {
		return path
	}
	return indexReplacer.Replace(path)
}

var indexReplacer = strings.NewReplacer("[", ".", "]", "")
