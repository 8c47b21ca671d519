package validate

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/seal"
	"github.com/casebook/casebook/internal/volume"
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
	// The complaint rate's volumes are read by build; a mistake in them
	// is a finding here, so CI names it before the build stops on it.
	if _, err := volume.Load(o.Root); err != nil {
		var es msg.FileErrors
		if !errors.As(err, &es) {
			return nil, err
		}
		for _, e := range es {
			f := Finding{Severity: severityOf("volume.invalid"), Code: "volume.invalid", File: e.File, Line: e.Line}
			f.SetText(e.Msg, e.Fix)
			fs = append(fs, f)
		}
	}
	recipients, err := Recipients(o.Root)
	if err != nil {
		return nil, err
	}
	byID := map[string][]*cases.Case{}
	per := make([][]Finding, len(o.Cases))
	// The received_at the clocks hold where the file's was changed without
	// a correction: commit dates are judged against the recorded fact.
	held := make([]time.Time, len(o.Cases))
	// A case is judged once for as long as its findings hold: later runs
	// take them from the judged cache (judged.go).
	// Of the cases it holds only the core was read (CoreOnly); those it
	// no longer holds are read whole.
	jc := openJudged(o, opts)
	whole := make([]*cases.Case, len(o.Cases))
	errs := make([]error, len(o.Cases))
	office.Parallel(len(o.Cases), func(i int) {
		c := o.Cases[i]
		var key [sha256.Size]byte
		keyed := false
		if jc != nil {
			key, keyed = caseKey(c, o.CaseHistory(c))
		}
		if keyed {
			if fs, ok := jc.lookup(i, c.File, key, opts.Now); ok {
				per[i] = fs
				return
			}
		}
		if c.CoreOnly() {
			w, err := o.Whole(c)
			if err != nil {
				errs[i] = err
				return
			}
			whole[i], c = w, w
			if jc != nil {
				key, keyed = caseKey(c, o.CaseHistory(c))
			}
		}
		r := o.Record(c, opts.Now)
		held[i] = heldReceived(r)
		per[i] = checkRecord(o, r, opts)
		per[i] = append(per[i], bodyTooComplex(r.Case)...)
		if len(recipients) > 0 {
			per[i] = append(per[i], piiPlaintext(r)...)
		}
		if keyed && held[i].IsZero() {
			if ok, until := holdsFrom(r, opts.Now); ok {
				jc.keep(i, key, c.Blob, opts.Now, until, per[i])
			}
		}
		o.Release(r)
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for i, w := range whole {
		if w != nil {
			o.Cases[i] = w
		}
	}
	if jc != nil {
		jc.save(o.Cases)
	}
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
			fs = append(fs, rewritten(opts.Since, "gone"))
		case errors.Is(err, history.ErrShallow):
			return nil, fmt.Errorf("--since %s: %w", opts.Since, err)
		case err != nil:
			return nil, fmt.Errorf("--since %s: %w (fix: give a commit, branch or tag that exists in this repository)", opts.Since, err)
		case !ok:
			fs = append(fs, rewritten(opts.Since, "not_ancestor"))
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

// rewritten reports that the history --since names was rewritten.
func rewritten(since, variant string) Finding {
	f := Finding{Severity: severityOf("history.rewritten"), Code: "history.rewritten", Commit: since}
	f.Say(variant, msg.Args{"commit": since})
	return f
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

// findingSays is finding with its words from the variant of the code's
// Says in Table.
func findingSays(r *office.Record, code, path, variant string, args msg.Args) Finding {
	f := finding(r, code, path, "", "")
	f.Say(variant, args)
	return f
}

func checkRecord(o *office.Office, r *office.Record, opts Options) []Finding {
	c := r.Case
	prefix, policyID := "", ""
	if r.Policy != nil {
		prefix, policyID = r.Policy.Prefix, r.Policy.ID
	}
	fs := checkIDField(r, prefix, policyID)
	if r.PolicyErr != nil {
		ids := msg.List{}
		for _, id := range o.Policies.IDs() {
			ids = append(ids, id)
		}
		fs = append(fs, fieldErrors(c)...)
		fs = append(fs, checkCoreFields(c, nil, opts.Now)...)
		if blank(c, policy.FieldPolicy) {
			f := Finding{Severity: severityOf("field.required"), Code: "field.required", Case: c.ID, File: c.File, Line: requiredLine(c, policy.FieldPolicy), Field: policy.FieldPolicy}
			f.Say("policy", msg.Args{"policies": ids})
			fs = append(fs, f)
		} else if _, isString := c.Fields[policy.FieldPolicy].(string); isString {
			// the words of office.PolicyOf's error, in both languages
			fs = append(fs, findingSays(r, "field.invalid", "policy", "policy_unknown", msg.Args{"policy": strconv.Quote(c.Policy),
				"known": msg.Text{Zh: ids.In(msg.Zh), En: fmt.Sprint(o.Policies.IDs())}, "policies": ids}))
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
				fs = append(fs, findingSays(r, "field.unknown", k, "undeclared", msg.Args{"policy": p.Term("policy", p.ID), "key": strconv.Quote(k),
					"cause": because(termCause(p, policy.KindField, k)), "policy_file": "policies/" + p.ID + ".yaml"}))
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
			where := msg.Text{Zh: fmt.Sprintf("「%s」第 %d 项", r.Policy.Term(policy.KindField, policy.FieldRelated).In(msg.Zh), i+1), En: path}
			fs = append(fs, findingSays(r, "field.invalid", path, "related_path", msg.Args{"path": where, "value": strconv.Quote(id), "why": halves(why), "id": cases.StemID(id)}))
		}
	}
	return fs
}

// termCause names what a value that is not one of its term's ids is: the
// label of one (a case file holds the id), or a typo of one. Its English
// words keep the Chinese half before them, as they always read.
func termCause(p *policy.Policy, kind, s string) msg.Text {
	if s == "" {
		return msg.Text{}
	}
	id, err := p.Resolve(kind, s)
	if err == nil {
		if id == s {
			return msg.Text{}
		}
		return msg.Text{Zh: fmt.Sprintf("%s是 %s 的名称，文件里要写编号 %s", quoteZh(s), id, id),
			En: fmt.Sprintf("%q is the label of %s; a case file holds the id: write %s", s, id, id)}
	}
	var re *policy.ResolveError
	if errors.As(err, &re) && re.Suggestion != nil {
		return msg.Text{Zh: fmt.Sprintf("是不是 %s？", re.Suggestion.ID),
			En: fmt.Sprintf("did you mean %s?", re.Suggestion.ID)}
	}
	return msg.Text{}
}

// quoteZh sets a value apart in Chinese words: 「电话」, or quoted like Go
// when it holds what would not show (a line break, a tab).
func quoteZh(s string) string {
	if q := strconv.Quote(s); q != `"`+s+`"` {
		return q
	}
	return "「" + s + "」"
}

// because is the cause of a bad value as the end of its message (": ..."),
// empty when none is known.
func because(cause msg.Text) msg.Text {
	if cause.IsZero() {
		return cause
	}
	return msg.Text{Zh: "：" + cause.Zh, En: ": " + cause.En}
}

// halves reads a cause written "中文 / English" (yamltext's): Chinese words
// take the Chinese half, English ones the whole, as they always read.
func halves(s string) msg.Text {
	if zh, _, ok := strings.Cut(s, " / "); ok {
		return msg.Text{Zh: zh, En: s}
	}
	return msg.Same(s)
}

// writtenAs is a policy term as a clerk writes it into a case file: the
// id, with its label beside it in Chinese words.
func writtenAs(l msg.Label) msg.Text {
	if l.Zh == "" || l.Zh == l.ID {
		return msg.Same(l.ID)
	}
	return msg.Text{Zh: l.ID + "（" + l.Zh + "）", En: l.ID}
}

func checkValue(r *office.Record, p *policy.Policy, path string, f *policy.Field, v any) []Finding {
	if v == nil {
		return nil
	}
	value := fmt.Sprint(v)
	bad := func(variant string, args msg.Args) []Finding {
		args["field"], args["value"] = p.Term(policy.KindField, path), value
		return []Finding{findingSays(r, "field.invalid", path, variant, args)}
	}
	switch f.Type {
	case policy.TypeString, policy.TypeText:
		if _, ok := v.(string); !ok {
			if _, isMap := v.(map[string]any); isMap {
				return bad("text_not_mapping", msg.Args{})
			}
			if _, isList := v.([]any); isList {
				return bad("text_not_list", msg.Args{})
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
			return bad("not_number", msg.Args{"cause": because(halves(yamltext.NumberCause(value)))})
		}
		if f.Type == policy.TypeInt && x != float64(int64(x)) {
			return bad("not_whole", msg.Args{})
		}
		if f.Min != nil && x < *f.Min {
			return bad("below_min", msg.Args{"min": fmt.Sprint(*f.Min)})
		}
		if f.Max != nil && x > *f.Max {
			return bad("above_max", msg.Args{"max": fmt.Sprint(*f.Max)})
		}
	case policy.TypeBool:
		if _, ok := v.(bool); !ok {
			return bad("not_bool", msg.Args{"cause": because(halves(yamltext.BoolCause(value)))})
		}
	case policy.TypeDate:
		s, _ := v.(string)
		if _, err := time.Parse("2006-01-02", s); err != nil {
			return bad("not_date", msg.Args{"cause": because(halves(yamltext.TimeCause(value)))})
		}
	case policy.TypeDateTime:
		s, _ := v.(string)
		if !validDateTime(s) {
			return bad("not_datetime", msg.Args{"cause": because(halves(yamltext.TimeCause(value)))})
		}
	case policy.TypeEnum:
		s, ok := v.(string)
		if !ok || !enumHas(f, s) {
			var values msg.List
			for _, id := range p.EnumValues(path) {
				values = append(values, writtenAs(p.Term("value:"+path, id)))
			}
			return bad("not_enum", msg.Args{"values": values, "cause": because(termCause(p, "value:"+path, s))})
		}
	case policy.TypeList:
		items, ok := v.([]any)
		if !ok {
			return bad("not_list", msg.Args{"cause": because(halves(yamltext.ListCause(value)))})
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
			return bad("not_mapping", msg.Args{})
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
				fs = append(fs, findingSays(r, "field.unknown", path+"."+k, "undeclared_sub", msg.Args{"policy": p.Term("policy", p.ID), "key": strconv.Quote(declPath + "." + k),
					"policy_file": "policies/" + p.ID + ".yaml"}))
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
	needField := func(path string, why msg.Text) {
		if missingField[path] || present(c, path) {
			return
		}
		missingField[path] = true
		label := p.Label("field", path, "zh")
		f := findingSays(r, "field.required", parentPath(c, path), "field", msg.Args{
			"field": msg.Text{Zh: label, En: fmt.Sprintf("%s (%s)", path, label)}, "why": why, "path": path})
		f.Field = path // the line is the parent's, the finding is about the missing field
		fs = append(fs, f)
	}
	needSection := func(title string, why msg.Text) {
		if s, ok := c.Section(title); ok && !s.Empty {
			return
		}
		f := Finding{Severity: severityOf("field.required"), Code: "field.required", Case: c.ID, File: c.File, Line: bodyLine(c)}
		f.Say("section", msg.Args{"title": title, "why": why})
		fs = append(fs, f)
	}
	for _, st := range states {
		req := p.Requirement(st)
		why := inState(p, st)
		for _, f := range req.Fields {
			needField(f, why)
		}
		for _, a := range req.Approvals {
			needField(a, why)
			if present(c, a) {
				if f, ok := p.Field(a); ok && f.Type == policy.TypeApproval && !present(c, a+".by") {
					needField(a+".by", msg.Text{Zh: why.Zh + "（审批要写明审批人）", En: why.En + " (an approval names who approved)"})
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
		why := msg.Text{Zh: fmt.Sprintf("对「%s」案件", firstNonEmpty(e.Zh, e.ID)), En: fmt.Sprintf("for a %s case (%s)", e.Severity, firstNonEmpty(e.Zh, e.ID))}
		if e.Basis != "" {
			why.Zh += "（" + e.Basis + "）"
			why.En += ", " + e.Basis
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

// inState is why a state's requirement applies: "in state replied (已回复)".
func inState(p *policy.Policy, st string) msg.Text {
	zh := p.Label("state", st, "zh")
	return msg.Text{Zh: "在「" + zh + "」状态下", En: fmt.Sprintf("in state %s (%s)", st, zh)}
}

func requiredIn(r *office.Record, p *policy.Policy, f policy.Field, path string, states []string, need func(string, msg.Text)) []Finding {
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
			need(path, inState(p, st))
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
					f := findingSays(r, "transition.illegal", "status", illegalVariant("across_unreadable", t), moveArgs(p, c.ID, t.Commit, before, t.To))
					f.Commit = t.Commit
					fs = append(fs, f)
				}
			}
			continue
		}
		if t.From == "" {
			if i == 0 && t.To != p.InitialState() && !createdAllowed(p, t.To) {
				f := findingSays(r, "transition.illegal", "status", "created", msg.Args{"to": p.Term(policy.KindState, t.To), "initial": p.Term(policy.KindState, p.InitialState())})
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
				f := findingSays(r, "transition.illegal", "status", "readded", moveArgs(p, c.ID, t.Commit, t.From, t.To))
				f.Commit = t.Commit
				fs = append(fs, f)
			}
			continue
		}
		if _, ok := p.TransitionAllowed(t.From, t.To); !ok && t.Merge {
			args := moveArgs(p, c.ID, t.Commit, t.From, t.To)
			args["file"] = c.File
			f := findingSays(r, "transition.illegal", "status", "merge", args)
			f.Commit = t.Commit
			fs = append(fs, f)
		} else if !ok {
			args := moveArgs(p, c.ID, t.Commit, t.From, t.To)
			args["uncovered"] = uncovered(rev, t.Commit)
			f := findingSays(r, "transition.illegal", "status", illegalVariant("moved", t), args)
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
					args := moveArgs(p, c.ID, "", last, c.Status)
					var reachable msg.List
					for _, st := range p.Reachable(last) {
						reachable = append(reachable, writtenAs(p.Term(policy.KindState, st)))
					}
					args["reachable"] = reachable
					fs = append(fs, findingSays(r, "transition.illegal", "status", "uncommitted", args))
				}
			}
		}
	}
	return fs
}

// moveArgs are the arguments of a finding about a move from one state to
// another: the commit, the states by label, the policy, and the state to
// write back.
func moveArgs(p *policy.Policy, id, commit, from, to string) msg.Args {
	return msg.Args{"case": id, "commit": short(commit), "from": p.Term(policy.KindState, from), "to": p.Term(policy.KindState, to),
		"policy": p.Term("policy", p.ID), "back": writtenAs(p.Term(policy.KindState, from))}
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
	p := r.Policy
	for _, cl := range r.Clocks {
		label := firstNonEmpty(cl.Zh, cl.Rule)
		distEn, _ := cl.Distance(now, msg.En)
		distZh, _ := cl.Distance(now, msg.Zh)
		dist := msg.Text{Zh: distZh, En: distEn}
		args := msg.Args{"rule": msg.Text{Zh: label, En: fmt.Sprintf("%s (%s)", cl.Rule, label)}, "run": clockWhat(cl),
			"due": p.At(cl.DueAt), "late": dist, "left": dist, "basis": basis(cl.Basis)}
		if cl.EndedAt != nil {
			args["ended"] = p.At(*cl.EndedAt)
		}
		var f Finding
		switch {
		case cl.State == deadline.Overdue && cl.Report > 0:
			args["field"], args["key"] = p.Term(policy.KindField, cl.ReportField), cl.ReportField
			f = findingSays(r, "deadline.overdue", "status", "report", args)
		case cl.State == deadline.Overdue:
			args["status"] = msg.Text{Zh: "没有状态", En: "without a status"}
			if c.Status != "" {
				args["status"] = msg.Text{Zh: "处于「" + p.Label(policy.KindState, c.Status, msg.Zh) + "」状态", En: c.Status}
			}
			f = findingSays(r, "deadline.overdue", "status", overdueVariant(cl), args)
		case cl.State == deadline.Missed && cl.NotDone:
			f = findingSays(r, "deadline.missed", "status", "not_done", args)
		case cl.State == deadline.Missed:
			f = findingSays(r, "deadline.missed", "status", "late", args)
		case cl.State == deadline.AtRisk:
			f = findingSays(r, "deadline.at_risk", "status", "soon", args)
		}
		if f.Code != "" {
			f.Rule = cl.Rule
			fs = append(fs, f)
		}
		for _, y := range cl.NoData {
			nf := findingSays(r, "calendar.no_data", "received_at", "year", msg.Args{"clock": msg.Label{ID: cl.Rule, Zh: label}, "year": y})
			nf.Rule = cl.Rule
			fs = append(fs, nf)
		}
	}
	return fs
}

// clockWhat names which run of a clock a finding is about: the report of
// a reporting duty, the handling after a reopening.
func clockWhat(cl deadline.Clock) msg.Text {
	if zh, en := cl.Run(); en != "" {
		return msg.Text{Zh: "（" + zh + "）", En: " [" + en + "]"}
	}
	return msg.Text{}
}

// overdueVariant picks how to clear an overdue clock, and never suggests
// what the policy forbids: an extension only where the rule allows one.
func overdueVariant(cl deadline.Clock) string {
	switch {
	case cl.Extensible:
		return "open_extensible"
	case cl.Extended:
		return "open_extended"
	}
	return "open"
}

// basis is the legal basis of a rule after what it says, empty when none.
func basis(b string) msg.Text {
	if b == "" {
		return msg.Text{}
	}
	return msg.Text{Zh: "（" + b + "）", En: " (" + b + ")"}
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
		// The policy author's message and fix read as written, in both
		// languages.
		args := msg.Args{"message": ru.Message, "rule": ru.ID, "require": ru.Require, "basis": basis(ru.Basis), "err": ""}
		if err != nil {
			args["err"] = msg.Text{Zh: "：" + err.Error(), En: ": " + err.Error()}
		}
		variant := "author"
		if ru.Message == "" {
			variant = "require"
		}
		f := findingSays(r, "rule.failed", "status", variant, args)
		if ru.Fix != "" {
			f.Fix, f.FixZh = ru.Fix, ru.Fix
		}
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
		fs = append(fs, findingSays(r, "recusal.conflict", rc.Handler, "handler", msg.Args{"handler": p.Term(policy.KindField, rc.Handler), "name": hs,
			"respondent": p.Term(policy.KindField, rc.Respondent), "basis": basis(rc.Basis)}))
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
				f := findingSays(r, "history.closed_edit", edits[0], "edited", msg.Args{"commit": short(v.Commit), "fields": fieldTerms(p, edits),
					"state": p.Term(policy.KindState, prevStatus), "uncovered": uncovered(rev, v.Commit)})
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
			variant, reason := "", ""
			switch {
			case !t.Signed:
				variant = "unsigned"
			case opts.Verify != nil:
				if reason = opts.Verify(t.Commit); reason != "" {
					variant = "unverified"
				}
			}
			if variant == "" {
				continue
			}
			f := findingSays(r, "commit.unsigned", "status", variant, msg.Args{"commit": short(t.Commit), "from": fromTerm(p, t.From),
				"to": p.Term(policy.KindState, t.To), "actor": t.Actor, "reason": reason})
			f.Commit = t.Commit
			fs = append(fs, f)
		}
	}
	return fs
}

// fieldTerms are the keys of a case file as message arguments, the body
// among them.
func fieldTerms(p *policy.Policy, keys []string) msg.List {
	out := make(msg.List, len(keys))
	for i, k := range keys {
		out[i] = p.Term(policy.KindField, k)
		if k == "body" {
			out[i] = msg.Text{Zh: "正文", En: k}
		}
	}
	return out
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
		var files msg.List
		for _, c := range cs {
			files = append(files, c.File)
		}
		for _, c := range cs {
			f := Finding{Severity: severityOf("id.duplicate"), Code: "id.duplicate", Case: id, File: c.File, Line: c.Line("id")}
			f.Say("shared", msg.Args{"id": id, "count": len(cs), "files": files, "file": c.File})
			fs = append(fs, f)
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
