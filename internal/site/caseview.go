package site

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/export"
	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/validate"
)

// hiddenKeys are shown elsewhere on the case page than the field table.
var hiddenKeys = map[string]bool{"id": true, "title": true, "related": true, "extensions": true}

// caseView is the data of a case page, its Markdown not yet rendered: the
// page's fingerprint is taken first, and render runs only for a page that
// changed.
func caseView(r *office.Record, idx *caseIndex, opts Options) *CaseView {
	c, lang, l := r.Case, opts.Lang, loc(r)
	v := &CaseView{
		ID: c.ID, Title: c.Title, bodySrc: c.Body,
		Policy:      label(r.Policy, "policy", c.Policy, lang),
		Status:      label(r.Policy, "state", c.Status, lang),
		Attachments: slices.Clone(c.Attachments),
	}
	hide := piiFilter(r, opts.IncludePII)
	for _, k := range c.Keys {
		if hiddenKeys[k] {
			continue
		}
		v.Fields = append(v.Fields, fieldViews(r, k, c.Fields[k], hide, lang)...)
	}
	for _, cl := range r.Clocks {
		cv := ClockView{
			Label: cl.Name(lang), Due: cl.DueAt.In(l).Format(timeLayout),
			StateID: string(cl.State), State: cl.Verdict().Label(lang),
			Late: cl.DaysLeft < 0,
		}
		if cl.EndedAt == nil {
			cv.Days = daysText(lang, cl, opts.Now)
		}
		v.Clocks = append(v.Clocks, cv)
	}
	for _, s := range office.Trail(r) {
		t := s.Transition
		m := move(r, t.At, t.Actor, t.From, t.To, t.Note, t.Commit, lang)
		m.Correction = correctionView(r, s.Correction, lang)
		if s.Renumbered != nil {
			m.Renumbered = s.Renumbered.From + " → " + s.Renumbered.To
		}
		v.Timeline = append(v.Timeline, m)
	}
	v.Related = relatedViews(r, idx, lang)
	v.Extensions = extensionViews(r, lang)
	for _, e := range r.Escalations {
		v.Escalations = append(v.Escalations, label(r.Policy, "escalation", e.ID, lang))
	}
	v.Problems = problems(r, opts)
	return v
}

// caseIndex is what a case page knows of the other cases: their titles
// (which cases the site has pages of) and, per case, the cases whose
// related lists name it.
type caseIndex struct {
	titles map[string]string
	back   map[string][]cases.Relation // id → {the case naming it, as}
}

// indexCases builds the caseIndex of cs.
func indexCases(cs []*cases.Case) *caseIndex {
	idx := &caseIndex{titles: make(map[string]string, len(cs)), back: map[string][]cases.Relation{}}
	for _, c := range cs {
		idx.titles[c.ID] = c.Title
	}
	for _, c := range cs {
		for _, rel := range c.Related() {
			if rel.ID == c.ID || !idx.has(rel.ID) {
				continue
			}
			idx.back[rel.ID] = append(idx.back[rel.ID], cases.Relation{ID: c.ID, As: rel.As})
		}
	}
	return idx
}

// has reports whether the site has a page of case id.
func (x *caseIndex) has(id string) bool {
	if x == nil {
		return false
	}
	_, ok := x.titles[id]
	return ok
}

// relatedViews are the cases r's file relates it to, then the cases whose
// files relate them to r (unless r's own list already says the same), so
// a repeat complaint and its first complaint link each other.
func relatedViews(r *office.Record, idx *caseIndex, lang string) []RelatedView {
	var out []RelatedView
	view := func(rel cases.Relation, back bool) RelatedView {
		v := RelatedView{ID: rel.ID, As: relationLabel(r, rel.As, lang), Back: back}
		if idx.has(rel.ID) {
			v.Href, v.Title = fileName(rel.ID), idx.titles[rel.ID]
		}
		return v
	}
	own := r.Case.Related()
	for _, rel := range own {
		out = append(out, view(rel, false))
	}
	if idx == nil {
		return out
	}
	for _, rel := range idx.back[r.Case.ID] {
		if slices.ContainsFunc(own, func(o cases.Relation) bool { return o.ID == rel.ID && relAs(o.As) == relAs(rel.As) }) {
			continue
		}
		out = append(out, view(rel, true))
	}
	return out
}

// relAs is a relation's id: a bare case id in related means "related".
func relAs(as string) string { return cmp.Or(as, "related") }

// relationLabel is the label of a relation id by the core field
// related.as (重复投诉, 重复登记, 相关); an unknown id reads as written.
func relationLabel(r *office.Record, as string, lang string) string {
	as = relAs(as)
	if r.Policy == nil {
		return as
	}
	return r.Policy.ValueText("related.as", as, lang)
}

// extensionViews lists the case's extensions in the order of its file,
// each with the due time the clock had before it and after it; an entry
// no clock applied (a problem the page's findings name) reads 未生效.
func extensionViews(r *office.Record, lang string) []ExtensionView {
	list, _ := r.Case.Fields["extensions"].([]any)
	if len(list) == 0 {
		return nil
	}
	l := loc(r)
	applied := map[int]deadline.Extension{}
	clockOf := map[int]string{}
	for _, cl := range r.Clocks {
		for _, e := range cl.Extensions {
			if _, ok := applied[e.Index]; !ok {
				applied[e.Index], clockOf[e.Index] = e, cl.Name(lang)
			}
		}
	}
	str := func(m map[string]any, k string) string {
		if m == nil || m[k] == nil {
			return ""
		}
		if at, ok := timestamp(m[k]); ok {
			return at.In(l).Format(timeLayout)
		}
		if at, ok := m[k].(time.Time); ok {
			return at.In(l).Format(timeLayout)
		}
		return r.Policy.ValueText("extensions."+k, m[k], lang)
	}
	out := make([]ExtensionView, 0, len(list))
	for i, it := range list {
		m, _ := it.(map[string]any)
		v := ExtensionView{ApprovedBy: str(m, "approved_by"), ApprovedAt: str(m, "approved_at"), Reason: str(m, "reason")}
		if e, ok := applied[i]; ok {
			v.Applied, v.Clock = true, clockOf[i]
			v.Before, v.After = e.DueBefore.In(l).Format(timeLayout), e.DueAfter.In(l).Format(timeLayout)
		} else {
			v.Clock = str(m, "rule")
			if r.Policy != nil {
				for _, d := range r.Policy.Deadlines {
					if d.ID == v.Clock {
						v.Clock = pick(lang, [2]string{cmp.Or(d.Zh, d.En, d.ID), cmp.Or(d.En, d.Zh, d.ID)})
					}
				}
			}
			v.After = word(lang, "ext_not")
		}
		out = append(out, v)
	}
	return out
}

// render renders the body's Markdown into Body, and its forms' sections.
func (v *CaseView) render() error {
	body, err := renderMarkdown(v.bodySrc)
	if err != nil {
		return err
	}
	v.Body = body
	for _, f := range v.Sheets {
		if err := f.render(); err != nil {
			return err
		}
	}
	return nil
}

// severityWords name the severities of findings.
var severityWords = map[validate.Severity][2]string{
	validate.Error:   {"错误", "error"},
	validate.Warning: {"警告", "warning"},
	validate.Info:    {"提示", "info"},
}

// problems are what casebook validate says about the case itself, errors
// first: its file, fields, steps, deadlines and rules. What only the whole
// repository shows (duplicates, deleted or backdated commits) is left to
// validate.
func problems(r *office.Record, opts Options) []ProblemView {
	var fs []validate.Finding
	if r.PolicyErr != nil {
		fs = append(fs, validate.Finding{Severity: validate.Codes["field.invalid"], Code: "field.invalid", File: r.Case.File, Line: r.Case.Line("policy"), Field: "policy",
			Message: r.PolicyErr.Error()})
	}
	fs = append(fs, validate.CheckCase(r, validate.Options{Now: opts.Now})...)
	validate.Sort(fs)
	out := make([]ProblemView, 0, len(fs))
	for _, f := range fs {
		where := f.File
		if f.Line > 0 {
			where += ":" + strconv.Itoa(f.Line)
		}
		m, fix := f.Text(opts.Lang)
		out = append(out, ProblemView{
			SeverityID: string(f.Severity), Severity: pick(opts.Lang, severityWords[f.Severity]),
			Code: f.Code, CodeLabel: validate.CodeLabel(f.Code, opts.Lang), Where: where, Message: plainWords(m), Fix: plainWords(fix),
		})
	}
	return out
}

// plainWords drops the Markdown backticks that English words put around
// a key or a command: the page shows the words as text, where a backtick
// is noise to a clerk.
func plainWords(s string) string { return strings.ReplaceAll(s, "`", "") }

// brokenView is the page of a case file that could not be read.
func brokenView(b *msg.FileError, lang string) *CaseView {
	where := b.File
	if b.Line > 0 {
		where += ":" + strconv.Itoa(b.Line)
	}
	return &CaseView{
		ID: cases.StemID(b.File), Title: word(lang, "broken_title"), Status: word(lang, "broken"), Broken: true,
		Problems: []ProblemView{{SeverityID: string(validate.Error), Severity: pick(lang, severityWords[validate.Error]),
			Code: "parse.error", CodeLabel: validate.CodeLabel("parse.error", lang), Where: where, Message: b.Msg.In(lang), Fix: b.Fix.In(lang)}},
	}
}

// piiFilter returns whether a field path must be left out: personal data
// unless includePII, always for an anonymous complainant, and always when
// it has the wrong shape (export.Withheld, shared with cases.csv).
func piiFilter(r *office.Record, includePII bool) func(path string) bool {
	return export.Withheld(r, includePII)
}

// fieldViews flattens a field into one row per scalar or list, with its
// sub-fields under their own labels.
func fieldViews(r *office.Record, path string, val any, hide func(string) bool, lang string) []FieldView {
	if hide(path) {
		return nil
	}
	if m, ok := val.(map[string]any); ok {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var out []FieldView
		for _, k := range keys {
			out = append(out, fieldViews(r, path+"."+k, m[k], hide, lang)...)
		}
		return out
	}
	lbl := label(r.Policy, "field", path, lang)
	if parent, _, ok := cutLast(path); ok {
		lbl = label(r.Policy, "field", parent, lang) + " · " + lbl
	}
	var text string
	switch path {
	case "policy":
		text = label(r.Policy, "policy", asWritten(r, path, val), lang)
	case "status":
		text = label(r.Policy, "state", asWritten(r, path, val), lang)
	case "category", "channel":
		text = label(r.Policy, path, asWritten(r, path, val), lang)
	default:
		if list, ok := val.([]any); ok {
			parts := make([]string, len(list))
			for i, x := range list {
				parts[i] = valueLabel(r, path, x, lang)
			}
			text = strings.Join(parts, "、")
		} else if at, ok := timestamp(val); ok {
			// Times read like every other time of the site.
			text = at.In(loc(r)).Format(timeLayout)
		} else {
			text = valueLabel(r, path, val, lang)
		}
	}
	return []FieldView{{Path: path, Label: lbl, Value: text}}
}

// valueLabel is a value for people by policy.ValueText, the one
// value-to-text function of the CLI and the site.
func valueLabel(r *office.Record, path string, v any, lang string) string {
	return r.Policy.ValueText(path, v, lang)
}

// asWritten is a value as the case file writes it (policy.ValueText with
// policy.LangIDs): an id to look a label up by, or to compare.
func asWritten(r *office.Record, path string, v any) string {
	return r.Policy.ValueText(path, v, policy.LangIDs)
}

// cutLast splits "a.b.c" into "a.b" and "c".
func cutLast(path string) (parent, last string, ok bool) {
	i := strings.LastIndexByte(path, '.')
	if i < 0 {
		return "", path, false
	}
	return path[:i], path[i+1:], true
}

// timestamp reads an RFC 3339 date and time written in a field.
func timestamp(v any) (time.Time, bool) {
	str, ok := v.(string)
	if !ok {
		return time.Time{}, false
	}
	at, err := time.Parse(time.RFC3339, str)
	return at, err == nil
}
