package site

import (
	"cmp"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/export"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
)

// formWords are the forms pages' own chrome; init adds them to words.
var formWords = map[string][2]string{
	"forms":         {"表单", "Forms"},
	"due_of":        {"期限", " due"},
	"days_late_of":  {"超期工作日", " working days late"},
	"due_before_of": {"原期限", " due before the extension"},
	"extension_of":  {"延期理由", " extension"},
	"entered_at_of": {"时间", " at"},
	"registers":     {"登记簿(表)", "Registers"},
	"per_case":      {"按案件填写", "Per case"},
	"basis":         {"依据", "Basis"},
	"summary":       {"投诉内容摘要", "Summary"},
	"result":        {"办理结果/状态", "Result / status"},
	"closed_at":     {"办结时间", "Closed at"},
	"class_of":      {"类别等级", "Category class"},
	"anonymous":     {"匿名", "Anonymous"},
	"signer":        {"经办人", "Handled by"},
	"head":          {"负责人", "Head"},
	"date":          {"日期", "Date"},
	"office":        {"单位", "Office"},
}

func init() {
	addWords("form", formWords)
}

// FormIndex is the data of forms/index.html.
type FormIndex struct {
	Policies []FormPolicy
}

// FormPolicy lists the printable forms of one policy.
type FormPolicy struct {
	Name  string
	Forms []FormEntry
	id    string
	// office is the name of the office the policy names.
	office string
}

// FormEntry is one form of the index: a register links to its page, a
// per-case form to one page per case it applies to.
type FormEntry struct {
	Name, Basis, Href string
	Register          bool
	Cases             []Link
	kind              formKind
	rows              []*office.Record // a register's rows
}

// Form is the data of one printed form: a register's page, or a sheet in
// a case's page.
type Form struct {
	Title, Basis, Policy string
	// Anchor is a per-case form's id in its case's page (form-<form id>);
	// empty for a register.
	Anchor string
	// Office is the name of the office the policy names; empty without.
	Office string
	// Case is the case a per-case form is about; empty for a register.
	Case Link
	// Fields are the label cells of a per-case form; an empty Value prints
	// as a line to fill in by hand.
	Fields   []FormField
	Sections []FormSection
	// Heads and Rows are a register's table.
	Heads []string
	Rows  [][]FormCell
	// Short tells, per register column, that every value is short (an
	// id, a time, a name): printed on one line, it leaves the width to
	// the columns of sentences.
	Short []bool
	// Signatures are the labels of the signature lines, the policy's or
	// 经办人 and 负责人; a date line follows them.
	Signatures []string
}

// FormField is one label cell and its value.
type FormField struct{ Label, Value string }

// FormSection is a body section of a case, rendered by renderMarkdown;
// HTML is empty when the case has not written it yet.
type FormSection struct {
	Title string
	HTML  template.HTML
	src   string // the section's Markdown, rendered into HTML by Form.render
}

// FormCell is one cell of a register; Href links the case page.
type FormCell struct{ Text, Href string }

// formPage is what form.html and forms.html receive.
type formPage struct {
	Page
	Form  *Form
	Forms *FormIndex
}

// formKind is one form of a policy as the site prints it.
type formKind struct {
	p  *policy.Policy
	pf policy.Form
}

func (k formKind) register() bool { return k.pf.Kind == "register" }

// applies tells whether the form's when holds for r: r is printed a
// per-case form, or is a row of a register. A condition that fails to run
// (the loader has type-checked it) prints nothing rather than everything.
func (k formKind) applies(r *office.Record) bool {
	if k.pf.When == "" {
		return true
	}
	env := r.Env
	if env == nil {
		env = k.p.Env(r.Case.Fields)
	}
	ok, err := k.p.Eval(k.pf.When, env)
	return err == nil && ok
}

// build fills a per-case form for one record, or a register for all the
// records it is given.
func (k formKind) build(f *Form, recs []*office.Record, opts Options) {
	lang := opts.Lang
	f.Signatures = signatures(k.pf, lang)
	if k.register() {
		for _, it := range k.pf.Columns {
			f.Heads = append(f.Heads, itemHead(k.p, it, lang))
		}
		for _, r := range recs {
			row := make([]FormCell, 0, len(k.pf.Columns))
			vs := valuesOf(r, opts)
			for _, it := range k.pf.Columns {
				c := FormCell{Text: vs.list(it.Path)}
				if it.Path == policy.FormID {
					c.Href = "../" + caseHref(r.Case.ID)
				}
				row = append(row, c)
			}
			f.Rows = append(f.Rows, row)
		}
		return
	}
	for _, r := range recs {
		vs := valuesOf(r, opts)
		for _, it := range k.pf.Fields {
			f.Fields = append(f.Fields, FormField{Label: itemHead(k.p, it, lang), Value: vs.col(it.Path)})
		}
		sectionsOf(f, r, formSections(k.p, k.pf))
	}
}

// signatures are the form's signature labels, 经办人 and 负责人 when the
// policy names none.
func signatures(pf policy.Form, lang string) []string {
	if len(pf.Signatures) == 0 {
		return []string{word(lang, "signer"), word(lang, "head")}
	}
	out := make([]string, len(pf.Signatures))
	for i, s := range pf.Signatures {
		out[i] = cmp.Or(pick(lang, [2]string{s.Zh, s.En}), s.Zh, s.En)
	}
	return out
}

// formSections are the titles of the sections a form prints, in order,
// each once: a title as written, a state's or an escalation's sections
// as the policy requires them.
func formSections(p *policy.Policy, pf policy.Form) []string {
	var out []string
	add := func(titles ...string) {
		for _, t := range titles {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	for _, s := range pf.Sections {
		switch {
		case s.State != "":
			add(p.Requirement(s.State).Sections...)
		case s.Escalation != "":
			for _, e := range p.Escalations {
				if e.ID == s.Escalation {
					add(e.Sections...)
				}
			}
		default:
			add(s.Title)
		}
	}
	return out
}

// formJob is one per-case form to print for one record, or one register
// with a when that the record is a row of (anchor empty).
type formJob struct {
	kind                    formKind
	form                    string // the policy's form id
	anchor                  string // the sheet's id in the case's page
	name, basis, policyName string
	office                  string
}

// formsFor lists the per-case forms r gets, sheets of its case page,
// and the registers with a when that r is a row of: the condition needs
// r's environment, which is gone when the registers are written.
func formsFor(r *office.Record, opts Options) []formJob {
	p := r.Policy
	if p == nil {
		return nil
	}
	var jobs []formJob
	for _, pf := range p.Forms {
		kind := formKind{p: p, pf: pf}
		if (kind.register() && pf.When == "") || !kind.applies(r) {
			continue
		}
		if kind.register() {
			jobs = append(jobs, formJob{kind: kind, form: pf.ID})
			continue
		}
		name := formName(p, pf, opts.Lang)
		jobs = append(jobs, formJob{kind: kind, form: pf.ID, anchor: sheetAnchor(pf.ID), name: name, basis: pf.Basis,
			policyName: p.Label("policy", p.ID, opts.Lang), office: p.Office})
	}
	return jobs
}

// formName is the form's name in lang, the office's name in place of the
// procedure's words for it (某某农商银行客户投诉(信访)登记簿).
func formName(p *policy.Policy, pf policy.Form, lang string) string {
	if name := pick(lang, [2]string{pf.Zh, pf.En}); name != "" {
		return p.OfficeText(name)
	}
	return pf.ID
}

// formIndex lists the forms of every policy that has cases, for
// forms/index.html: registers, and per-case forms with the cases they
// were printed for (jobs[i] are recs[i]'s, from formsFor).
func formIndex(recs []*office.Record, jobs [][]formJob, opts Options) *FormIndex {
	lang := opts.Lang
	var pols []*policy.Policy
	seen := map[string]bool{}
	printed := map[string][]Link{} // "policy/form" → cases, in record order
	rows := map[string][]*office.Record{}
	for i, r := range recs {
		if r.Policy == nil {
			continue
		}
		if !seen[r.Policy.ID] {
			seen[r.Policy.ID] = true
			pols = append(pols, r.Policy)
		}
		for _, pf := range r.Policy.Forms {
			if pf.Kind == "register" && pf.When == "" {
				k := r.Policy.ID + "/" + pf.ID
				rows[k] = append(rows[k], r)
			}
		}
		for _, j := range jobs[i] {
			k := r.Policy.ID + "/" + j.form
			if j.anchor == "" {
				rows[k] = append(rows[k], r)
				continue
			}
			printed[k] = append(printed[k], Link{ID: r.Case.ID, Href: "../" + caseHref(r.Case.ID) + "#" + j.anchor})
		}
	}
	slices.SortFunc(pols, func(a, b *policy.Policy) int { return strings.Compare(a.ID, b.ID) })
	idx := &FormIndex{}
	for _, p := range pols {
		fp := FormPolicy{Name: p.Label("policy", p.ID, lang), id: p.ID, office: p.Office}
		for _, pf := range p.Forms {
			kind := formKind{p: p, pf: pf}
			e := FormEntry{Name: formName(p, pf, lang), Basis: pf.Basis, kind: kind}
			if kind.register() {
				e.Register = true
				e.Href = fileName(p.ID + "-" + pf.ID)
				e.rows = rows[p.ID+"/"+pf.ID]
			} else {
				e.Cases = printed[p.ID+"/"+pf.ID]
			}
			fp.Forms = append(fp.Forms, e)
		}
		if len(fp.Forms) > 0 {
			idx.Policies = append(idx.Policies, fp)
		}
	}
	return idx
}

// sheet is the form for r, a sheet of its case's page.
func (j formJob) sheet(r *office.Record, opts Options) *Form {
	f := &Form{Title: j.name, Basis: j.basis, Policy: j.policyName, Office: j.office, Anchor: j.anchor}
	f.Case = Link{ID: r.Case.ID, Href: fileName(r.Case.ID)}
	j.kind.build(f, []*office.Record{r}, opts)
	return f
}

// sheetAnchor is the id of a per-case form's sheet in its case's page.
// Form ids are policy keys (letters, digits, _), so it is a valid id.
func sheetAnchor(form string) string { return "form-" + form }

// writeForms writes forms/index.html and one page per register; the
// per-case forms are sheets of the case pages.
func writeForms(w *writer, idx *FormIndex, opts Options) error {
	lang := opts.Lang
	now := opts.Now.Format(timeLayout + " -07:00")
	page := func(title string) Page { return Page{Lang: lang, Title: title, Root: "../", Now: now} }
	for _, fp := range idx.Policies {
		for _, e := range fp.Forms {
			if !e.Register {
				continue
			}
			f := &Form{Title: e.Name, Basis: e.Basis, Policy: fp.Name, Office: fp.office}
			e.kind.build(f, e.rows, opts)
			if err := f.render(); err != nil {
				return fmt.Errorf("render forms/%s: %w", e.Href, err)
			}
			reg := page(e.Name)
			reg.Wide = true
			w.page("forms/"+e.Href, "form.html", formPage{Page: reg, Form: f})
		}
	}
	w.page("forms/index.html", "forms.html", formPage{Page: page(word(lang, "forms")), Forms: idx.view()})
	return w.err
}

// view is idx as forms/index.html shows it: without each entry's form
// kind and register rows, which the page does not print and which the
// page's fingerprint would otherwise walk (every record of every
// register, and the policies: at 20,000 cases most of a build's time).
func (idx *FormIndex) view() *FormIndex {
	out := &FormIndex{Policies: slices.Clone(idx.Policies)}
	for i := range out.Policies {
		fp := &out.Policies[i]
		fp.Forms = slices.Clone(fp.Forms)
		for j := range fp.Forms {
			fp.Forms[j].kind, fp.Forms[j].rows = formKind{}, nil
		}
	}
	return out
}

// render renders the Markdown of the form's sections.
// shortCellEm is the widest value (textEm) of a column Form.Short prints
// on one line: a time, an id, a department.
const shortCellEm = 10

func (f *Form) render() error {
	f.Short = make([]bool, len(f.Heads))
	for i := range f.Heads {
		f.Short[i] = !slices.ContainsFunc(f.Rows, func(row []FormCell) bool { return i < len(row) && textEm(row[i].Text) > shortCellEm })
	}
	for i := range f.Sections {
		s := &f.Sections[i]
		if s.src == "" {
			continue
		}
		h, err := renderMarkdown(s.src)
		if err != nil {
			return err
		}
		s.HTML = h
	}
	return nil
}

// field is a front-matter value under its policy label, "" when unset.
func field(r *office.Record, path, lang string) FormField {
	lbl := label(r.Policy, "field", path, lang)
	if parent, _, ok := cutLast(path); ok {
		lbl = label(r.Policy, "field", parent, lang) + " · " + lbl
	}
	return FormField{Label: lbl, Value: fieldValue(r, path, lang)}
}

// valueAt is the front-matter value at a dotted path ("respondent.unit"),
// nil when absent.
func valueAt(r *office.Record, path string) any {
	var v any = map[string]any(r.Case.Fields)
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// fieldValue formats the value at path ("respondent.unit"), labelled when
// the policy names its values.
func fieldValue(r *office.Record, path, lang string) string {
	v := valueAt(r, path)
	switch v.(type) {
	case nil:
		return ""
	case map[string]any:
		return valueLabel(r, path, v, lang)
	}
	switch path {
	case "category", "channel":
		return label(r.Policy, path, asWritten(r, path, v), lang)
	}
	// Timestamps print like every other time of the site.
	if at, ok := timestamp(v); ok {
		return at.In(loc(r)).Format(timeLayout)
	}
	return valueLabel(r, path, v, lang)
}

// approval is an approval field as "opinion（by）".
func approval(r *office.Record, path string) string {
	m, _ := r.Case.Fields[path].(map[string]any)
	op, by := asWritten(r, path+".opinion", m["opinion"]), asWritten(r, path+".by", m["by"])
	switch {
	case op == "":
		return by
	case by == "":
		return op
	}
	return op + "（" + by + "）"
}

// complainantName is the complainant's name when personal data may be
// shown, the word "anonymous" for an anonymous case, and "" otherwise.
func complainantName(r *office.Record, hide func(path string) bool, lang string) string {
	if export.Anonymous(r) {
		return word(lang, "anonymous")
	}
	if hide("complainant.name") {
		return ""
	}
	return fieldValue(r, "complainant.name", lang)
}

func receivedText(r *office.Record) string {
	if r.Case.ReceivedAt.IsZero() {
		return r.Case.ReceivedAtRaw
	}
	return r.Case.ReceivedAt.In(loc(r)).Format(timeLayout)
}

func closedText(r *office.Record) string {
	if at, ok := closedAt(r); ok {
		return at.In(loc(r)).Format(timeLayout)
	}
	return ""
}

// sectionsOf adds the named body sections, rendered by renderMarkdown, the
// one audited way case text reaches a page.
func sectionsOf(f *Form, r *office.Record, titles []string) {
	for _, t := range titles {
		s := FormSection{Title: t}
		if sec, ok := r.Case.Section(t); ok && !sec.Empty {
			s.src = sec.Text
		}
		f.Sections = append(f.Sections, s)
	}
}

// itemHead is the label a form prints for one of its items: the policy's
// own for the item, else the field's or the pseudo path's.
func itemHead(p *policy.Policy, it policy.FormItem, lang string) string {
	if lbl := pick(lang, [2]string{it.Zh, it.En}); lbl != "" {
		return lbl
	}
	return colHead(p, it.Path, lang)
}

// colHead is the label of a field or pseudo path.
func colHead(p *policy.Policy, path, lang string) string {
	switch path {
	case policy.FormID:
		return word(lang, "id")
	case policy.FormSummary:
		return word(lang, "summary")
	case policy.FormStatus:
		return word(lang, "result")
	case policy.FormClosedAt:
		return word(lang, "closed_at")
	case policy.FormClass:
		return word(lang, "class_of")
	case policy.ReportOverdueDeadline:
		return word(lang, "s_clock")
	case policy.ReportOverdueDue:
		return word(lang, "s_due")
	case policy.ReportClosedInPeriod:
		return word(lang, "closed_at")
	}
	if rule, ok := strings.CutPrefix(path, policy.FormDue); ok {
		lbl := ruleLabel(p, rule, lang)
		if suffix := word(lang, "due_of"); !strings.HasSuffix(lbl, suffix) {
			lbl += suffix
		}
		return lbl
	}
	if rule, ok := strings.CutPrefix(path, policy.FormDaysLate); ok {
		return ruleLabel(p, rule, lang) + word(lang, "days_late_of")
	}
	if rule, ok := strings.CutPrefix(path, policy.FormExtendedFrom); ok {
		return ruleLabel(p, rule, lang) + word(lang, "due_before_of")
	}
	if rule, ok := strings.CutPrefix(path, policy.FormExtension); ok {
		return ruleLabel(p, rule, lang) + word(lang, "extension_of")
	}
	if st, ok := strings.CutPrefix(path, policy.FormEnteredAt); ok {
		return label(p, "state", st, lang) + word(lang, "entered_at_of")
	}
	lbl := label(p, "field", path, lang)
	if parent, _, ok := cutLast(path); ok {
		lbl = label(p, "field", parent, lang) + " · " + lbl
	}
	return lbl
}

// ruleLabel is the name of a deadline rule in lang.
func ruleLabel(p *policy.Policy, rule, lang string) string {
	if p != nil {
		for _, d := range p.Deadlines {
			if d.ID == rule {
				return cmp.Or(pick(lang, [2]string{d.Zh, d.En}), rule)
			}
		}
	}
	return rule
}

// listValue is colValue as a register or another list of many cases
// shows it: blank for what the policy keeps confidential, which only the
// case's own page and its own forms show (export.Confidential).
func listValue(r *office.Record, path string, opts Options) string {
	return valuesOf(r, opts).list(path)
}

// colValue is the value of a field or pseudo-path; personal data is blank
// unless IncludePII, and always for an anonymous case.
func colValue(r *office.Record, path string, opts Options) string {
	return valuesOf(r, opts).col(path)
}

// values gives one record's values by path as forms and lists print
// them, with what it withholds worked out once for all its paths, not
// once a cell (the check walks every field of the case).
type values struct {
	r    *office.Record
	opts Options
	hide func(path string) bool // personal data withheld
	conf func(path string) bool // confidential; set by list
}

func valuesOf(r *office.Record, opts Options) *values {
	return &values{r: r, opts: opts, hide: piiFilter(r, opts.IncludePII)}
}

// list is the value listValue gives.
func (v *values) list(path string) string {
	if v.conf == nil {
		v.conf = export.Confidential(v.r)
	}
	if v.conf(path) {
		return ""
	}
	return v.col(path)
}

// col is the value colValue gives.
func (v *values) col(path string) string {
	r, opts := v.r, v.opts
	if strings.HasPrefix(path, "#") {
		return pseudoValue(r, path, opts.Lang)
	}
	switch path {
	case "received_at":
		return receivedText(r)
	case "complainant.name":
		return complainantName(r, v.hide, opts.Lang)
	}
	if v.hide(path) {
		return ""
	}
	if r.Policy != nil {
		if fd, ok := r.Policy.Field(path); ok && fd.Type == policy.TypeApproval {
			return approval(r, path)
		}
	}
	return fieldValue(r, path, opts.Lang)
}

// pseudoValue is the value of one of policy's Form pseudo paths for r.
func pseudoValue(r *office.Record, path, lang string) string {
	switch path {
	case policy.FormID:
		return r.Case.ID
	case policy.FormSummary:
		return r.Case.Title
	case policy.FormStatus:
		return label(r.Policy, "state", r.Case.Status, lang)
	case policy.FormClosedAt:
		return closedText(r)
	case policy.FormClass:
		if r.Policy != nil {
			if c, ok := r.Policy.Category(fieldString(r, "category")); ok && c.Class != "" {
				return r.Policy.Label("class", c.Class, lang)
			}
		}
		return ""
	}
	at := func(t time.Time) string { return t.In(loc(r)).Format(timeLayout) }
	if st, ok := strings.CutPrefix(path, policy.FormEnteredAt); ok {
		out := ""
		for _, t := range r.Transitions() {
			if t.To == st {
				out = at(t.At)
			}
		}
		return out
	}
	prefix, rule, _ := strings.Cut(path, ":")
	var c *deadline.Clock
	for i := range r.Clocks {
		// The rule's first clock: the handling the form is about, not a
		// clock restarted by a reopening.
		if r.Clocks[i].Rule == rule {
			c = &r.Clocks[i]
			break
		}
	}
	if c == nil {
		return "" // the clock has not started
	}
	switch prefix + ":" {
	case policy.FormDue:
		return at(c.DueAt)
	case policy.FormDaysLate:
		if c.State == deadline.Overdue || c.State == deadline.Missed {
			return strconv.Itoa(max(-c.DaysLeft, 0))
		}
		return ""
	case policy.FormExtendedFrom:
		if len(c.Extensions) > 0 {
			return at(c.Extensions[0].DueBefore)
		}
	case policy.FormExtension:
		var parts []string
		for _, e := range c.Extensions {
			s := e.Reason
			if e.ApprovedBy != "" {
				s = cmp.Or(s, "—") + "（" + e.ApprovedBy + "）"
			}
			if s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "；")
	}
	return ""
}
