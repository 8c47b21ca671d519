package policy

import (
	"fmt"
	"time"

	"github.com/expr-lang/expr/vm"
	"gopkg.in/yaml.v3"

	"github.com/casebook/casebook/internal/calendar"
)

// Policy is one office's procedure: its vocabulary (states, categories,
// channels, fields), what each state requires, its clocks, escalations and
// recusal rules. It is loaded from policies/<ID>.yaml (or the embedded
// default) and is immutable once Load has type-checked it.
type Policy struct {
	ID     string `yaml:"id"`
	Name   Label  `yaml:"name"`
	Prefix string `yaml:"prefix"`
	// Office is the name of the office that runs the procedure
	// (城关农商银行监察室); forms and pages print it where the procedure's
	// text says 某某. Empty keeps the procedure's own words.
	Office string `yaml:"office"`
	// OfficePlaceholder is the words of the procedure's text that stand
	// for the office and that Office replaces; empty means 某某.
	OfficePlaceholder string `yaml:"office_placeholder"`
	// Timezone is an IANA name; empty means Asia/Shanghai.
	Timezone string `yaml:"timezone"`
	// BusinessHours, when set, makes day periods end at the closing time
	// and hour/minute periods count only open hours on working days. It is
	// the hours of every deadline that names no Hours of its own.
	BusinessHours *BusinessHours `yaml:"business_hours"`
	// Hours are named sets of business hours that deadlines choose with
	// their own hours: key (a 400 line staffed in the daytime).
	Hours map[string]BusinessHours `yaml:"hours"`
	// Calendar adds holidays or working days on top of the State Council's.
	Calendar CalendarOverrides `yaml:"calendar"`
	// AllowUnknownFields turns field.unknown off for this policy.
	AllowUnknownFields bool `yaml:"allow_unknown_fields"`
	// LateEntry is how long after the moment a commit claims (its author
	// date) it may enter the record (its committer date) before it is
	// history.late_entry: "72 hours", "3 days", "90 minutes". Empty means
	// DefaultLateEntry.
	LateEntry string `yaml:"late_entry"`

	States       []State                `yaml:"states"`
	Transitions  []Transition           `yaml:"transitions"`
	Requirements map[string]Requirement `yaml:"requirements"`
	Classes      []Choice               `yaml:"classes"`
	Categories   []Choice               `yaml:"categories"`
	Channels     []Choice               `yaml:"channels"`
	Fields       []Field                `yaml:"fields"`
	Deadlines    []DeadlineRule         `yaml:"deadlines"`
	Escalations  []Escalation           `yaml:"escalations"`
	Recusal      []Recusal              `yaml:"recusal"`
	Rules        []Rule                 `yaml:"rules"`
	Forms        []Form                 `yaml:"forms"`
	// Reports are the statistics the procedure prescribes; nil (no
	// reports: key) takes the built-in policy's of the same id.
	Reports []StatReport `yaml:"reports"`
	// Corrections says who may approve a correction (更正); nil lets
	// anyone named approve one.
	Corrections *Corrections   `yaml:"corrections"`
	Extra       map[string]any `yaml:"extra"`

	// Set by Load.
	File     string         `yaml:"-"` // path the policy came from ("embedded:bank.yaml" for defaults)
	Location *time.Location `yaml:"-"`
	// LateEntryWindow is LateEntry as a duration.
	LateEntryWindow time.Duration `yaml:"-"`
	// OfficeCalendar is the office's calendar file (policies/calendar.yaml),
	// set by LoadSet; nil without one. The policy's Calendar overrides win
	// over it.
	OfficeCalendar *calendar.File `yaml:"-"`

	// rt holds the conditions compiled by Load (see expr.go).
	rt *compiled
}

// Label is a bilingual display name. Zh is required; En falls back to the id.
type Label struct {
	Zh string `yaml:"zh"`
	En string `yaml:"en"`
}

// BusinessHours are opening hours on working days: either Open and Close
// ("HH:MM", one period a day), or Periods ("08:30-12:00", "14:00-17:30":
// a lunch break between). Weekdays gives some weekdays periods of their
// own (sat: ["09:00-12:00"] for make-up Saturdays); keys mon ... sun.
// RestDays opens a desk on the ordinary rest days (not holidays) of some
// weekdays (sat: ["09:00-12:00"], a Saturday morning desk): hour and minute
// clocks count it, day clocks do not.
type BusinessHours struct {
	Open     string              `yaml:"open"`
	Close    string              `yaml:"close"`
	Periods  []string            `yaml:"periods"`
	Weekdays map[string][]string `yaml:"weekdays"`
	RestDays map[string][]string `yaml:"rest_days"`
}

// HoursNone is the value of a deadline's hours: key that runs it on the wall
// clock, its days ending at 24:00, whatever the policy's business_hours.
const HoursNone = "none"

// CalendarOverrides are dates the office treats differently from the
// national calendar (a local holiday, an extra working Saturday).
type CalendarOverrides struct {
	Holidays []CalendarDay `yaml:"holidays"`
	Workdays []CalendarDay `yaml:"workdays"`
}

// CalendarDay is one overridden date, "YYYY-MM-DD".
type CalendarDay struct {
	Date string `yaml:"date"`
	Name string `yaml:"name"`
}

// State is one step of the procedure.
type State struct {
	ID       string `yaml:"id"`
	Zh       string `yaml:"zh"`
	En       string `yaml:"en"`
	Initial  bool   `yaml:"initial"`
	Terminal bool   `yaml:"terminal"`
}

// Transition allows moving a case from any of From to To. From may hold
// "*" (any state) or "open" (any non-terminal state). Reopen marks a move
// out of a terminal state that legitimately reopens a closed case.
type Transition struct {
	From   []string `yaml:"from"`
	To     string   `yaml:"to"`
	Reopen bool     `yaml:"reopen"`
	// When, if set, must hold for the case for the move to be legal.
	When string `yaml:"when"`
	Zh   string `yaml:"zh"`
	En   string `yaml:"en"`
}

// Requirement is what a case must carry on entering (and while in) a state.
type Requirement struct {
	Fields    []string `yaml:"fields"`
	Sections  []string `yaml:"sections"`
	Approvals []string `yaml:"approvals"`
}

// Choice is one member of a closed vocabulary (category, channel, class,
// enum value).
type Choice struct {
	ID    string `yaml:"id"`
	Zh    string `yaml:"zh"`
	En    string `yaml:"en"`
	Class string `yaml:"class"`
}

// FieldType names the value types a field may have.
type FieldType string

// Field types.
const (
	TypeString   FieldType = "string"
	TypeText     FieldType = "text"
	TypeNumber   FieldType = "number"
	TypeInt      FieldType = "int"
	TypeMoney    FieldType = "money"
	TypeDate     FieldType = "date"
	TypeDateTime FieldType = "datetime"
	TypeEnum     FieldType = "enum"
	TypeBool     FieldType = "bool"
	TypeList     FieldType = "list"
	TypeObject   FieldType = "object"
	TypePerson   FieldType = "person"
	TypeApproval FieldType = "approval"
)

// Field declares one front-matter key of the policy. Object, person and
// approval fields have sub-fields; list fields have an item type.
type Field struct {
	Name string    `yaml:"name"`
	Type FieldType `yaml:"type"`
	Zh   string    `yaml:"zh"`
	En   string    `yaml:"en"`
	// RequiredIn lists the states in which the field must be present.
	RequiredIn []string `yaml:"required_in"`
	// RequiredWhen, if set, limits RequiredIn to cases where it holds.
	RequiredWhen string `yaml:"required_when"`
	// PII marks personal data of the complainant or reporter.
	PII bool `yaml:"pii"`
	// Confidential marks what the procedure keeps secret beyond personal
	// data (the party reported, the evidence: tendering 第二十一条, bank
	// 第六条): never in a public build, and in an internal one only on
	// the case's own page and its own printable forms, not in lists,
	// registers, CSV, feed or calendar. A confidential object's sub-fields
	// are all confidential.
	Confidential bool      `yaml:"confidential"`
	Values       []Choice  `yaml:"values"` // enum
	Items        FieldType `yaml:"items"`  // list item type (default string)
	Fields       []Field   `yaml:"fields"` // object / person sub-fields
	Min          *float64  `yaml:"min"`
	Max          *float64  `yaml:"max"`
	Help         string    `yaml:"help"`
}

// DeadlineRule is one clock. Rules that share an ID are alternatives: the
// first whose When holds for the case applies.
type DeadlineRule struct {
	ID    string `yaml:"id"`
	Zh    string `yaml:"zh"`
	En    string `yaml:"en"`
	Start Start  `yaml:"start"`
	// Stop lists states; the clock stops the first time the case enters one.
	Stop []string `yaml:"stop"`
	// StopField, if set, stops the clock at the datetime in that field
	// (e.g. the reply to a named reporter after closing).
	StopField string `yaml:"stop_field"`
	// Duration is "<N> <unit>", unit one of working_days, calendar_days,
	// months, hours, minutes.
	Duration string `yaml:"duration"`
	When     string `yaml:"when"`
	// WarnAfter: at_risk once this much of the period has elapsed.
	WarnAfter string `yaml:"warn_after"`
	// WarnBefore: at_risk when this much or less remains.
	WarnBefore string `yaml:"warn_before"`
	// PauseIn lists states during which the clock does not run.
	PauseIn []string `yaml:"pause_in"`
	// Hours names the business hours the clock counts in: a key of the
	// policy's Hours, or HoursNone; empty means the policy's BusinessHours.
	Hours     string     `yaml:"hours"`
	Extension *Extension `yaml:"extension"`
	Basis     string     `yaml:"basis"` // the article of the procedure, for people

	// Lapse lists states in which the duty lapses (a withdrawal, a
	// complaint answered on the spot that needs no forwarding): entering one
	// ends the clock, and in time it is moot and left out. Any other
	// terminal state that ends a clock before its duty was done leaves it
	// missed and not done.
	Lapse []string `yaml:"lapse"`
	// Report, when set, makes the clock a reporting duty that the time
	// recorded in Report.Field fulfils, not a completion deadline.
	Report *Report `yaml:"report"`
	// OnReopen says what a reopening does to the clock: "keep" (the
	// default: the clock of the first handling stands) or "restart" (it runs
	// again from the reopening, the earlier verdict kept as cycle 0).
	OnReopen string `yaml:"on_reopen"`
}

// Values of DeadlineRule.OnReopen.
const (
	OnReopenKeep    = "keep"
	OnReopenRestart = "restart"
)

// Report is a reporting duty ("3个工作日内未处理完成的，要把处理进度情况反馈"):
// the first report is due Duration after the start, each further report
// Every after the one before; reaching a stop or terminal state before a
// report comes due makes that report moot.
type Report struct {
	// Field is a datetime field, or a list of datetimes, that records
	// the reports.
	Field string `yaml:"field"`
	// Every, if set, is the period after each report within which the
	// next is due; empty means one report.
	Every string `yaml:"every"`
}

// Start says when a clock starts: at received_at (Received), on entering
// State, or at the time in datetime Field. Exactly one is set.
type Start struct {
	Received bool   `yaml:"received"`
	State    string `yaml:"state"`
	Field    string `yaml:"field"`
}

// Extension says a rule's deadline may be extended by an approved entry in
// the case's extensions list.
type Extension struct {
	// Max caps the whole extended period, measured from the start: an
	// extension may move the due time to at most Max after the start, so
	// several extensions together never exceed it (tendering 第十八条 "不得超过
	// 3个月" caps the whole handling, not each extension).
	Max string `yaml:"max"`
	// Approver names the role whose approval is required (for people).
	Approver string `yaml:"approver"`
}

// Escalation marks a case more serious when When holds, and requires more.
type Escalation struct {
	ID       string   `yaml:"id"`
	Zh       string   `yaml:"zh"`
	En       string   `yaml:"en"`
	When     string   `yaml:"when"`
	Severity string   `yaml:"severity"` // e.g. major, batch, special
	Fields   []string `yaml:"fields"`
	Sections []string `yaml:"sections"`
	// In lists the states in which Fields and Sections are required;
	// empty means every state after the initial one.
	In    []string `yaml:"in"`
	Basis string   `yaml:"basis"`
}

// Recusal forbids the person in Handler (a field path such as "assignee")
// from being the person in Respondent (such as "respondent.person").
type Recusal struct {
	Handler    string `yaml:"handler"`
	Respondent string `yaml:"respondent"`
	Basis      string `yaml:"basis"`
}

// Rule is a general check: in the states In (all if empty), when When holds
// (always if empty), Require must hold; otherwise Message is reported.
type Rule struct {
	ID      string   `yaml:"id"`
	When    string   `yaml:"when"`
	Require string   `yaml:"require"`
	In      []string `yaml:"in"`
	Message string   `yaml:"message"`
	Fix     string   `yaml:"fix"`
	Basis   string   `yaml:"basis"`
}

// Form is a printable form of the procedure, rendered by the site: what it
// prints and for which cases is data here, not code (forms.go).
type Form struct {
	ID    string `yaml:"id"`
	Zh    string `yaml:"zh"`
	En    string `yaml:"en"`
	Kind  string `yaml:"kind"` // per_case or register
	Basis string `yaml:"basis"`
	// When selects the cases: those a per-case form is printed for, the
	// rows of a register. Empty: every case.
	When string `yaml:"when"`
	// Fields are the label cells of a per-case form, Columns a register's
	// columns, in order.
	Fields  []FormItem `yaml:"fields"`
	Columns []FormItem `yaml:"columns"`
	// Sections are the case's body sections a per-case form prints.
	Sections []FormSection `yaml:"sections"`
	// Signatures are the labels of the signature lines; empty: 经办人 and
	// 负责人. A date line always follows them.
	Signatures []Caption `yaml:"signatures"`
}

// FormItem is one field of a form: a field path (complainant.name) or one
// of the FormPseudo paths (#id, #due:reply), with the label printed for it;
// empty Zh and En take the field's own label. Written as the path alone,
// or as {path: ..., zh: ..., en: ...}.
type FormItem struct {
	Path string `yaml:"path"`
	Zh   string `yaml:"zh"`
	En   string `yaml:"en"`
}

// UnmarshalYAML reads a plain path or a mapping.
func (it *FormItem) UnmarshalYAML(n *yaml.Node) error {
	type plain FormItem
	return textOrMapping(n, &it.Path, (*plain)(it))
}

// textOrMapping decodes n into mapping, or a plain text into *text.
// mapping is the value's type without its UnmarshalYAML method.
func textOrMapping(n *yaml.Node, text *string, mapping any) error {
	if n.Kind == yaml.ScalarNode {
		*text = n.Value
		return nil
	}
	return n.Decode(mapping)
}

// scalarKey makes the strict pass accept a plain path for a FormItem.
func (FormItem) scalarKey() string { return "path" }

// FormSection is a body section a form prints: a section title, or every
// section a state's requirement or an escalation names, written as
// {state: replied} or {escalation: general_procedure}.
type FormSection struct {
	Title      string `yaml:"title"`
	State      string `yaml:"state"`
	Escalation string `yaml:"escalation"`
}

// UnmarshalYAML reads a plain title or a mapping.
func (s *FormSection) UnmarshalYAML(n *yaml.Node) error {
	type plain FormSection
	return textOrMapping(n, &s.Title, (*plain)(s))
}

func (FormSection) scalarKey() string { return "title" }

// Caption is a label in Chinese and English, written as the Chinese alone
// or as {zh: ..., en: ...}.
type Caption struct {
	Zh string `yaml:"zh"`
	En string `yaml:"en"`
}

// UnmarshalYAML reads a plain text or a mapping.
func (c *Caption) UnmarshalYAML(n *yaml.Node) error {
	type plain Caption
	return textOrMapping(n, &c.Zh, (*plain)(c))
}

func (Caption) scalarKey() string { return "zh" }

// The pseudo paths a form item may use besides field paths. Those ending
// in ":" take a deadline id (#due:reply) or, for FormEnteredAt, a state id.
const (
	FormID           = "#id"             // the case id
	FormSummary      = "#summary"        // the case's title
	FormStatus       = "#status"         // the state, by label
	FormClosedAt     = "#closed_at"      // when the case reached a final state
	FormClass        = "#class"          // the class of the case's category, by label
	FormDue          = "#due:"           // the clock's due time, extensions applied
	FormDaysLate     = "#days_late:"     // working days the clock is late by
	FormExtendedFrom = "#extended_from:" // the due time before the first extension
	FormExtension    = "#extension:"     // the extensions' reasons and approvers
	FormEnteredAt    = "#entered_at:"    // when the case last entered the state
)

// StatReport is a statistics report the procedure prescribes (the bank's
// 第二十二条 statistics, a market complaint rate, a weekly summary),
// rendered by the site: its periods, tables, rows and counted columns are
// data here, not code.
type StatReport struct {
	ID    string  `yaml:"id"`
	Zh    string  `yaml:"zh"`
	En    string  `yaml:"en"`
	Basis Caption `yaml:"basis"`
	// Kind is counts (tables of counted cases, the default) or rate
	// (complaints per 10,000 units sold, from volume.csv).
	Kind string `yaml:"kind"`
	// Periods are the pages: one per month, half-year, year or ISO week
	// (months, halves, years, weeks), in this order.
	Periods []string `yaml:"periods"`
	// Cases are the cases a period's page counts: received (in the
	// period, the default) or received_by_end (before the period ends;
	// pages then exist for every period a case was received or changed in).
	Cases string `yaml:"cases"`
	// When selects the cases counted at all (a rate's valid complaints).
	When  string    `yaml:"when"`
	Notes []Caption `yaml:"notes"`
	// Chart titles a rate report's monthly chart.
	Chart  Caption       `yaml:"chart"`
	Tables []ReportTable `yaml:"tables"`
}

// ReportTable is one table of a counts report: rows of grouped cases
// (Rows) with counted Columns, or, with Items, a list of cases.
type ReportTable struct {
	ID string `yaml:"id"`
	Zh string `yaml:"zh"`
	En string `yaml:"en"`
	// Rows groups the cases: category, channel, escalation or an enum
	// field's path, every value a row; or a text field's path (the unit
	// complained about), a row per value written, most cases first, the
	// first Top of them when Top is set and the rest in one row; then the
	// cases with none.
	Rows string `yaml:"rows"`
	Top  int    `yaml:"top"`
	// Head is the row label column's head; Class, when set, adds a column
	// of the category's class under that head.
	Head  Caption `yaml:"head"`
	Class Caption `yaml:"class"`
	// Chart, when set, titles a bar chart of the first counted column.
	Chart   Caption        `yaml:"chart"`
	Columns []ReportColumn `yaml:"columns"`
	// The cases the table holds: those that any of the Cases measures
	// and When hold for (every case of the page when empty); a list
	// prints them one row each with Items.
	Cases []string   `yaml:"cases"`
	When  string     `yaml:"when"`
	Items []FormItem `yaml:"items"`
}

// ReportColumn is one counted column: the cases of the row that Count
// and When both hold for; or, with Values, one column per value of an
// enum field and one for the cases that leave it unset.
type ReportColumn struct {
	Zh     string `yaml:"zh"`
	En     string `yaml:"en"`
	Count  string `yaml:"count"`
	When   string `yaml:"when"`
	Values string `yaml:"values"`
}

// The measures a report column's count or a list's cases name. Empty
// counts every case of the row.
const (
	CountOpen         = "open"           // not in a final state now
	CountFinal        = "final"          // in a final state now
	CountReceived     = "received"       // received in the period
	CountClosed       = "closed"         // reached a final state in the period
	CountTouched      = "touched"        // received or changed in the period
	CountOpenAtEnd    = "open_at_end"    // not in a final state at the period's end
	CountOverdueAtEnd = "overdue_at_end" // open and past a due time at the period's end
)

// CountMeasures are the measures in the order the loader lists them.
var CountMeasures = []string{CountOpen, CountFinal, CountReceived, CountClosed, CountTouched, CountOpenAtEnd, CountOverdueAtEnd}

// The items a report list may print besides a form's.
const (
	ReportOverdueDeadline = "#overdue_deadline" // the first clock past due at the period's end, by name
	ReportOverdueDue      = "#overdue_due"      // its due time
	ReportClosedInPeriod  = "#closed_in_period" // when the case reached a final state in the period
)

// Program is a compiled, type-checked condition.
type Program = vm.Program

// DefaultTimezone is the zone of a policy that names none.
const DefaultTimezone = "Asia/Shanghai"

// DefaultLateEntry is the late-entry window of a policy that sets none.
const DefaultLateEntry = 72 * time.Hour

// DefaultLocation loads DefaultTimezone, falling back to a fixed +08:00
// zone on systems without tzdata.
func DefaultLocation() (*time.Location, error) {
	loc, err := time.LoadLocation(DefaultTimezone)
	if err != nil {
		return time.FixedZone("CST", 8*3600), err
	}
	return loc, nil
}

// OpeningHours is bh as the calendar counts it. Load has checked the
// policy's hours, so an error here means bh did not come from a loaded
// policy.
func (bh BusinessHours) OpeningHours() (*calendar.OpeningHours, error) {
	read := func(list []string) ([]calendar.Span, error) {
		spans := make([]calendar.Span, 0, len(list))
		for _, s := range list {
			sp, err := calendar.ParseSpan(s)
			if err != nil {
				return nil, err
			}
			spans = append(spans, sp)
		}
		return spans, nil
	}
	periods := bh.Periods
	if len(periods) == 0 {
		periods = []string{bh.Open + "-" + bh.Close}
	}
	def, err := read(periods)
	if err != nil {
		return nil, err
	}
	byDay := func(key string, m map[string][]string) (map[time.Weekday][]calendar.Span, error) {
		out := map[time.Weekday][]calendar.Span{}
		for name, list := range m {
			wd, ok := calendar.ParseWeekday(name)
			if !ok {
				return nil, fmt.Errorf("%s: unknown weekday %q; use %s", key, name, calendar.WeekdayNames())
			}
			if out[wd], err = read(list); err != nil {
				return nil, fmt.Errorf("%s.%s: %w", key, name, err)
			}
		}
		return out, nil
	}
	weekdays, err := byDay("weekdays", bh.Weekdays)
	if err != nil {
		return nil, err
	}
	h, err := calendar.NewOpeningHours(def, weekdays)
	if err != nil || len(bh.RestDays) == 0 {
		return h, err
	}
	rest, err := byDay("rest_days", bh.RestDays)
	if err != nil {
		return nil, err
	}
	return h.WithRestDays(rest)
}
