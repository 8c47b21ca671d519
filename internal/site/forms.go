package site

import (
	"fmt"
	"html/template"
	"slices"
	"strings"

	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/export"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
)

// formWords are the forms pages' own chrome; init adds them to words.
var formWords = map[string][2]string{
	"forms":       {"表单", "Forms"},
	"registers":   {"登记簿(表)", "Registers"},
	"per_case":    {"按案件填写", "Per case"},
	"basis":       {"依据", "Basis"},
	"summary":     {"投诉内容摘要", "Summary"},
	"result":      {"办理结果/状态", "Result / status"},
	"closed_at":   {"办结时间", "Closed at"},
	"reply_due":   {"回复期限", "Reply due"},
	"days_late":   {"超期工作日", "Working days late"},
	"handover_at": {"传递时间", "Handed over at"},
	"class_of":    {"客诉等级", "Complaint class"},
	"anonymous":   {"匿名", "Anonymous"},
	"signer":      {"经办人", "Handled by"},
	"head":        {"负责人", "Head"},
	"date":        {"日期", "Date"},
	"office":      {"单位", "Office"},
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
}

// Form is the data of one printed form page.
type Form struct {
	Title, Basis, Policy string
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

// formKind builds the forms one policy form id stands for.
type formKind struct {
	// applies tells whether a per-case form is printed for r; nil for a
	// register.
	applies func(r *office.Record) bool
	// build fills a per-case form for one record, or a register for all.
	build func(f *Form, recs []*office.Record, opts Options)
}

// formKinds are the forms the site knows how to fill, by "policy/form".
// Forms of a policy that are not listed here are left out of the site.
var formKinds = map[string]formKind{
	"bank/register":               {build: bankRegister(nil)},
	"bank/leader_referrals":       {build: bankRegister(isForwarded)},
	"bank/transfer":               {applies: isForwardable, build: oneCase(bankTransfer)},
	"bank/supervision":            {applies: isReplyLate, build: oneCase(bankSupervision)},
	"bank/result_report":          {applies: inState("replied", "closed"), build: oneCase(bankResult)},
	"food/record":                 {applies: always, build: oneCase(foodRecord)},
	"hotline/register":            {build: register(hotlineCols)},
	"hotline/record":              {applies: inState("implemented", "confirmed", "closed"), build: caseFields(hotlineRecord, stateSections("agreed", "closed"))},
	"internet/register":           {build: register(internetCols)},
	"internet/record":             {applies: always, build: caseFields(internetRecord, stateSections("closed", "rejected"))},
	"tendering/transcript":        {applies: isOral, build: caseFields(tenderTranscript, stateSections("accepted"))},
	"tendering/registration":      {applies: always, build: caseFields(tenderRegistration, stateSections("accepted"))},
	"tendering/handling_approval": {applies: isGeneral, build: caseFields(tenderHandling, escalationSections("general_procedure"))},
	"tendering/closing_approval":  {applies: inState("closed", "archived"), build: caseFields(tenderClosing, stateSections("closed"))},
	"tendering/statistics":        {build: register(tenderCols)},
	"xinfang/register":            {build: register(xinfangCols)},
	"xinfang/acceptance_notice":   {applies: reached("accepted"), build: withDue(xinfangAcceptance, stateSections(), "conclude")},
	"xinfang/rejection_notice":    {applies: inState("not_accepted"), build: caseFields(xinfangRejection, stateSections())},
	"xinfang/opinion":             {applies: reached("opinion_issued"), build: caseFields(xinfangOpinion, stateSections("opinion_issued"))},
	"market/register":             {build: register(marketCols)},
	"market/acceptance_notice":    {applies: reached("accepted"), build: withDue(marketAcceptance, stateSections(), "mediation")},
	"market/rejection_notice":     {applies: inState("not_accepted"), build: caseFields(marketRejection, stateSections())},
	"market/termination_notice":   {applies: reached("terminated"), build: caseFields(marketTermination, stateSections())},
	"market/report_notice":        {applies: reached("filed", "not_filed"), build: caseFields(marketReport, stateSections())},
	"bankins/register":            {build: register(bankinsCols)},
	"bankins/decision_notice":     {applies: reached("decided"), build: caseFields(bankinsDecision, stateSections("decided"))},
}

func always(*office.Record) bool { return true }

// isOral tells the tendering cases received by telephone or visit, the
// ones a 笔录 is taken of (第十条).
func isOral(r *office.Record) bool {
	ch := fieldString(r, "channel")
	return ch == "phone" || ch == "visit"
}

// isGeneral tells the tendering cases in the general procedure, the ones
// a 处理审批表 goes up for (第十五条(二)).
func isGeneral(r *office.Record) bool { return fieldString(r, "procedure") == "general" }

// formJob is one per-case form to print for one record.
type formJob struct {
	kind                    formKind
	form                    string // the policy's form id
	rel                     string // path under the site
	name, basis, policyName string
	office                  string
}

// formsFor lists the per-case forms r gets, rendered with its case page.
func formsFor(r *office.Record, opts Options) []formJob {
	p := r.Policy
	if p == nil {
		return nil
	}
	var jobs []formJob
	for _, pf := range p.Forms {
		kind, ok := formKinds[p.ID+"/"+pf.ID]
		if !ok || kind.applies == nil || !kind.applies(r) {
			continue
		}
		name := formName(p, pf, opts.Lang)
		href := fileName(p.ID + "-" + pf.ID + "-" + r.Case.ID)
		jobs = append(jobs, formJob{kind: kind, form: pf.ID, rel: "forms/" + href, name: name, basis: pf.Basis,
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
	for i, r := range recs {
		if r.Policy == nil {
			continue
		}
		if !seen[r.Policy.ID] {
			seen[r.Policy.ID] = true
			pols = append(pols, r.Policy)
		}
		for _, j := range jobs[i] {
			k := r.Policy.ID + "/" + j.form
			printed[k] = append(printed[k], Link{ID: r.Case.ID, Href: strings.TrimPrefix(j.rel, "forms/")})
		}
	}
	slices.SortFunc(pols, func(a, b *policy.Policy) int { return strings.Compare(a.ID, b.ID) })
	idx := &FormIndex{}
	for _, p := range pols {
		fp := FormPolicy{Name: p.Label("policy", p.ID, lang), id: p.ID, office: p.Office}
		for _, pf := range p.Forms {
			kind, ok := formKinds[p.ID+"/"+pf.ID]
			if !ok {
				continue
			}
			e := FormEntry{Name: formName(p, pf, lang), Basis: pf.Basis, kind: kind}
			if kind.applies == nil {
				e.Register = true
				e.Href = fileName(p.ID + "-" + pf.ID)
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

// render prints the form for r; now is the page's as-of time, empty for a
// case that no longer changes with the clock, and k the record's key.
func (j formJob) render(w *writer, r *office.Record, opts Options, now string, k key) error {
	f := &Form{Title: j.name, Basis: j.basis, Policy: j.policyName, Office: j.office}
	f.Case = Link{ID: r.Case.ID, Href: "../" + caseHref(r.Case.ID)}
	j.kind.build(f, []*office.Record{r}, opts)
	p := formPage{Page: Page{Lang: opts.Lang, Title: r.Case.ID + " " + j.name, Root: "../", Now: now}, Form: f}
	return w.renderPage(j.rel, "form.html", p, f.render, k)
}

// writeForms writes forms/index.html and one page per register; the
// per-case forms are written with the case pages.
func writeForms(w *writer, recs []*office.Record, idx *FormIndex, opts Options) error {
	lang := opts.Lang
	now := opts.Now.Format(timeLayout + " -07:00")
	page := func(title string) Page { return Page{Lang: lang, Title: title, Root: "../", Now: now} }
	byPolicy := map[string][]*office.Record{}
	for _, r := range recs {
		if r.Policy != nil {
			byPolicy[r.Policy.ID] = append(byPolicy[r.Policy.ID], r)
		}
	}
	for _, fp := range idx.Policies {
		for _, e := range fp.Forms {
			if !e.Register {
				continue
			}
			f := &Form{Title: e.Name, Basis: e.Basis, Policy: fp.Name, Office: fp.office}
			e.kind.build(f, byPolicy[fp.id], opts)
			if err := f.render(); err != nil {
				return fmt.Errorf("render forms/%s: %w", e.Href, err)
			}
			w.page("forms/"+e.Href, "form.html", formPage{Page: page(e.Name), Form: f})
		}
	}
	w.page("forms/index.html", "forms.html", formPage{Page: page(word(lang, "forms")), Forms: idx})
	return w.err
}

// render renders the Markdown of the form's sections.
func (f *Form) render() error {
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

// oneCase adapts a per-case filler to formKind.build.
func oneCase(fill func(f *Form, r *office.Record, opts Options)) func(*Form, []*office.Record, Options) {
	return func(f *Form, recs []*office.Record, opts Options) {
		for _, r := range recs {
			fill(f, r, opts)
		}
	}
}

func inState(states ...string) func(*office.Record) bool {
	return func(r *office.Record) bool { return slices.Contains(states, r.Case.Status) }
}

// isForwarded tells the cases a city or county authority sent on (附件2).
func isForwarded(r *office.Record) bool {
	ch := fieldString(r, "channel")
	return ch == "regulator" || ch == "government"
}

// isForwardable tells the cases a 转办单 goes out for: those still to be
// forwarded, and those that were forwarded; an answer on the spot needs
// none (第九条).
func isForwardable(r *office.Record) bool {
	if r.Case.Status == "received" || r.Case.Status == "assigned" || fieldString(r, "assignee") != "" {
		return true
	}
	for _, t := range r.Transitions() {
		if t.To == "assigned" {
			return true
		}
	}
	return false
}

// replyClock is the case's 第十条 reply clock.
func replyClock(r *office.Record) (deadline.Clock, bool) {
	for _, c := range r.Clocks {
		if c.Rule == "reply" {
			return c, true
		}
	}
	return deadline.Clock{}, false
}

// isReplyLate tells the cases a 督办单 goes out for (第十条).
func isReplyLate(r *office.Record) bool {
	c, ok := replyClock(r)
	return ok && (c.State == deadline.Overdue || c.State == deadline.Missed)
}

// field is a front-matter value under its policy label, "" when unset.
func field(r *office.Record, path, lang string) FormField {
	lbl := label(r.Policy, "field", path, lang)
	if parent, _, ok := cutLast(path); ok {
		lbl = label(r.Policy, "field", parent, lang) + " · " + lbl
	}
	return FormField{Label: lbl, Value: fieldValue(r, path, lang)}
}

// fieldValue formats the value at path ("respondent.unit"), labelled when
// the policy names its values.
func fieldValue(r *office.Record, path, lang string) string {
	var v any = map[string]any(r.Case.Fields)
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[k]
	}
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
func complainantName(r *office.Record, opts Options) string {
	if export.Anonymous(r) {
		return word(opts.Lang, "anonymous")
	}
	if piiFilter(r, opts.IncludePII)("complainant.name") {
		return ""
	}
	return fieldValue(r, "complainant.name", opts.Lang)
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

// bankRegister is the 登记簿 (附件1) of the cases keep selects, or of all.
func bankRegister(keep func(*office.Record) bool) func(*Form, []*office.Record, Options) {
	return func(f *Form, recs []*office.Record, opts Options) {
		lang := opts.Lang
		var p *policy.Policy
		if len(recs) > 0 {
			p = recs[0].Policy
		}
		f.Heads = []string{
			word(lang, "id"), label(p, "field", "received_at", lang), label(p, "field", "complainant", lang),
			label(p, "field", "channel", lang), label(p, "field", "category", lang), word(lang, "summary"),
			label(p, "field", "leader_opinion", lang), label(p, "field", "department", lang),
			word(lang, "result"), word(lang, "closed_at"),
		}
		for _, r := range recs {
			if keep != nil && !keep(r) {
				continue
			}
			row := []FormCell{{Text: r.Case.ID, Href: "../" + caseHref(r.Case.ID)}}
			for _, s := range []string{
				receivedText(r), complainantName(r, opts), fieldValue(r, "channel", lang), fieldValue(r, "category", lang), r.Case.Title,
				listValue(r, "leader_opinion", opts), listValue(r, "department", opts),
				label(r.Policy, "state", r.Case.Status, lang), closedText(r),
			} {
				row = append(row, FormCell{Text: s})
			}
			f.Rows = append(f.Rows, row)
		}
	}
}

// bankHeads are the heads shared by the 转办单 and the 督办单 (第九条).
func bankHeads(f *Form, r *office.Record, opts Options) {
	lang := opts.Lang
	f.Fields = append(f.Fields,
		FormField{Label: word(lang, "id"), Value: r.Case.ID},
		FormField{Label: label(r.Policy, "field", "received_at", lang), Value: receivedText(r)},
		field(r, "channel", lang), field(r, "category", lang),
		FormField{Label: word(lang, "summary"), Value: r.Case.Title},
		field(r, "respondent.unit", lang), field(r, "respondent.person", lang),
		field(r, "department", lang), field(r, "assignee", lang),
		FormField{Label: label(r.Policy, "field", "leader_opinion", lang), Value: approval(r, "leader_opinion")},
	)
}

func bankTransfer(f *Form, r *office.Record, opts Options) {
	bankHeads(f, r, opts)
	due := ""
	if c, ok := replyClock(r); ok {
		due = c.DueAt.In(loc(r)).Format(timeLayout)
	}
	f.Fields = append(f.Fields, FormField{Label: word(opts.Lang, "reply_due"), Value: due})
}

func bankSupervision(f *Form, r *office.Record, opts Options) {
	bankHeads(f, r, opts)
	c, _ := replyClock(r)
	f.Fields = append(f.Fields,
		FormField{Label: word(opts.Lang, "reply_due"), Value: c.DueAt.In(loc(r)).Format(timeLayout)},
		FormField{Label: word(opts.Lang, "days_late"), Value: fmt.Sprint(max(-c.DaysLeft, 0))},
	)
}

// bankResult is the 处理结果报告单 (第十一条、附件3).
func bankResult(f *Form, r *office.Record, opts Options) {
	lang := opts.Lang
	f.Fields = append(f.Fields,
		FormField{Label: word(lang, "id"), Value: r.Case.ID},
		FormField{Label: label(r.Policy, "field", "received_at", lang), Value: receivedText(r)},
		FormField{Label: word(lang, "summary"), Value: r.Case.Title},
		field(r, "respondent.unit", lang),
	)
	sectionsOf(f, r, r.Policy.Requirement("replied").Sections)
	f.Fields = append(f.Fields,
		field(r, "satisfaction", lang), field(r, "handled_at", lang),
		field(r, "handler", lang), field(r, "handler_phone", lang),
	)
}

// foodRecord is the 客户抱怨、投诉记录单 (4.3、7.2、7.3).
func foodRecord(f *Form, r *office.Record, opts Options) {
	lang := opts.Lang
	cls := ""
	if r.Policy != nil {
		for _, c := range r.Policy.Categories {
			if c.ID == fieldString(r, "category") {
				cls = r.Policy.Label("class", c.Class, lang)
			}
		}
	}
	handover := ""
	for _, t := range r.Transitions() {
		if t.To == "handed_over" {
			handover = t.At.In(loc(r)).Format(timeLayout)
		}
	}
	f.Fields = append(f.Fields,
		FormField{Label: word(lang, "id"), Value: r.Case.ID},
		FormField{Label: label(r.Policy, "field", "received_at", lang), Value: receivedText(r)},
		field(r, "channel", lang), field(r, "product", lang), field(r, "batch_number", lang), field(r, "boxes", lang),
		field(r, "category", lang), FormField{Label: word(lang, "class_of"), Value: cls},
		field(r, "cause", lang), field(r, "department", lang),
		FormField{Label: word(lang, "handover_at"), Value: handover},
		field(r, "compensation_ratio", lang), field(r, "satisfaction", lang),
	)
	sectionsOf(f, r, r.Policy.Requirement("closed").Sections)
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

// Pseudo-paths of caseFields and register columns that are not
// front-matter fields.
const (
	colID       = "#id"
	colSummary  = "#summary"
	colStatus   = "#status"
	colClosedAt = "#closed_at"
)

// hotlineRecord is the 客户投诉处理记录表 (3.2、4.3).
var hotlineRecord = []string{
	colID, "received_at", "complainant.name", "complainant.phone", "channel", "category", "product", colSummary,
	"assignee", "department", "remedy", "exchange_ratio", "compensation", "qc_confirmation", "gm_decision",
	"written_agreement", "agreement_archived_at", "satisfaction", "feedback_at", "followed_up_at",
}

// hotlineCols are the columns of the 顾客投诉记录及处理结果明细表 (1.1、四.1).
var hotlineCols = []string{
	colID, "received_at", "complainant.name", "channel", "category", "product", colSummary,
	"assignee", "department", "remedy", "satisfaction", colStatus, colClosedAt,
}

// internetRecord is the 客户投诉处理记录 (二.7).
var internetRecord = []string{
	colID, "received_at", "complainant.name", "complainant.phone", "channel", "category", colSummary,
	"customer_type", "sales_rep", "expected_resolution", "intent", "cause", "responsible_party",
	"assignee", "department", "customer_accepted", "refund", colStatus, colClosedAt,
}

// internetCols are the columns of the 客户投诉登记表 (二.7).
var internetCols = []string{
	colID, "received_at", "complainant.name", "channel", "category", colSummary,
	"intent", "cause", "assignee", colStatus, colClosedAt,
}

// tenderTranscript is the 笔录 of a report by telephone or visit (第十条、
// 附件1). The reporter's name, work unit and address are personal data
// (第二十一条): they print only with IncludePII, never for an anonymous case.
var tenderTranscript = []string{
	colID, "received_at", "channel", "receivers", "recorded_by",
	"complainant.name", "complainant.work_unit", "complainant.address", "complainant.phone",
	"respondent.unit", "respondent.address", "respondent.person", "respondent.position", "project", "category", colSummary,
	"readback_signed", "recorded", "recording_consent",
}

// tenderRegistration is the 登记表 (第十二条、附件2).
var tenderRegistration = []string{
	colID, "received_at", "channel", "handed_down_by",
	"complainant.name", "complainant.work_unit", "complainant.address", "complainant.phone",
	"respondent.unit", "respondent.address", "respondent.person", "respondent.position", "project", "category", colSummary,
	"assignee", "acceptance_ground", "rejection_reason", "decision_approval", "transferred_to", colStatus,
}

// tenderHandling is the 处理审批表 of the general procedure (第十五条(二)3-4、
// 附件3); its sections are those of the investigation report.
var tenderHandling = []string{
	colID, "received_at", "respondent.unit", "respondent.person", "project", "category", colSummary,
	"assignee", "acceptance_ground", "procedure", "award_affected", "supervision_notice.number",
	"penalty", "joint_review_required", "joint_review", "handling_approval",
}

// tenderClosing is the 结案审批表 (第十五条(一)2、(二)5、附件4).
var tenderClosing = []string{
	colID, "received_at", "respondent.unit", "respondent.person", "project", "category", colSummary,
	"assignee", "acceptance_ground", "procedure", "rectify_by", "penalty", "penalty_approval", "penalty_decision",
	"closing_approval", "leader_closing_approval", "replied_to_reporter_at", "reported_back_at", colClosedAt, "file_number",
}

// tenderCols are the columns of the 处理统计表 (第二十五条、附件5): every
// case with its outcome; the half-yearly counts come from casebook stats.
var tenderCols = []string{
	colID, "received_at", "channel", "category", "respondent.unit", "project",
	"assignee", "acceptance_ground", "procedure", "penalty_decision", colStatus, colClosedAt,
}

// caseFields builds a per-case form of the given fields, followed by the
// body sections sections names.
func caseFields(paths []string, sections func(*policy.Policy) []string) func(*Form, []*office.Record, Options) {
	return oneCase(func(f *Form, r *office.Record, opts Options) {
		for _, path := range paths {
			f.Fields = append(f.Fields, FormField{Label: colHead(r.Policy, path, opts.Lang), Value: colValue(r, path, opts)})
		}
		if r.Policy != nil {
			sectionsOf(f, r, sections(r.Policy))
		}
	})
}

// stateSections are the sections the states require, in order, each once.
func stateSections(states ...string) func(*policy.Policy) []string {
	return func(p *policy.Policy) []string {
		var out []string
		for _, st := range states {
			for _, t := range p.Requirement(st).Sections {
				if !slices.Contains(out, t) {
					out = append(out, t)
				}
			}
		}
		return out
	}
}

// escalationSections are the sections the escalation requires.
func escalationSections(id string) func(*policy.Policy) []string {
	return func(p *policy.Policy) []string {
		for _, e := range p.Escalations {
			if e.ID == id {
				return e.Sections
			}
		}
		return nil
	}
}

// register builds a register of every case with the given columns.
func register(cols []string) func(*Form, []*office.Record, Options) {
	return func(f *Form, recs []*office.Record, opts Options) {
		var p *policy.Policy
		if len(recs) > 0 {
			p = recs[0].Policy
		}
		for _, c := range cols {
			f.Heads = append(f.Heads, colHead(p, c, opts.Lang))
		}
		for _, r := range recs {
			row := []FormCell{{Text: r.Case.ID, Href: "../" + caseHref(r.Case.ID)}}
			for _, c := range cols[1:] {
				row = append(row, FormCell{Text: listValue(r, c, opts)})
			}
			f.Rows = append(f.Rows, row)
		}
	}
}

// colHead is the label of a field or pseudo-path.
func colHead(p *policy.Policy, path, lang string) string {
	switch path {
	case colID:
		return word(lang, "id")
	case colSummary:
		return word(lang, "summary")
	case colStatus:
		return word(lang, "result")
	case colClosedAt:
		return word(lang, "closed_at")
	}
	lbl := label(p, "field", path, lang)
	if parent, _, ok := cutLast(path); ok {
		lbl = label(p, "field", parent, lang) + " · " + lbl
	}
	return lbl
}

// listValue is colValue as a register or another list of many cases
// shows it: blank for what the policy keeps confidential, which only the
// case's own page and its own forms show (export.Confidential).
func listValue(r *office.Record, path string, opts Options) string {
	if export.Confidential(r)(path) {
		return ""
	}
	return colValue(r, path, opts)
}

// colValue is the value of a field or pseudo-path; personal data is blank
// unless IncludePII, and always for an anonymous case.
func colValue(r *office.Record, path string, opts Options) string {
	switch path {
	case colID:
		return r.Case.ID
	case colSummary:
		return r.Case.Title
	case colStatus:
		return label(r.Policy, "state", r.Case.Status, opts.Lang)
	case colClosedAt:
		return closedText(r)
	case "received_at":
		return receivedText(r)
	case "complainant.name":
		return complainantName(r, opts)
	}
	if piiFilter(r, opts.IncludePII)(path) {
		return ""
	}
	if r.Policy != nil {
		if fd, ok := r.Policy.Field(path); ok && fd.Type == policy.TypeApproval {
			return approval(r, path)
		}
	}
	return fieldValue(r, path, opts.Lang)
}
