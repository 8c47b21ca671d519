package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/seal"
)

type showOptions struct {
	app      *App
	id       string
	format   string
	ids      bool
	identity identityFlag
}

func newShowCmd(app *App) *cobra.Command {
	o := &showOptions{app: app}
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a case: fields, deadlines and history",
		Example: `  casebook show BANK-2026-0007
  casebook show BANK-2026-0007 --ids
  casebook show BANK-2026-0007 --format json --now 2026-10-12`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeIDs(app, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.id = args[0]
			return runShow(o)
		},
	}
	cmd.Flags().StringVar(&o.format, "format", "text", "output `FORMAT`: text or json")
	cmd.Flags().BoolVar(&o.ids, "ids", false, "print field paths and the ids of states, values and clocks instead of their labels")
	o.identity.register(cmd)
	return cmd
}

// loadRecord loads the office and judges one case. An id that a
// renumbering gave up leads to the case that has it now; the notes say so,
// and name the renumberings of other registrations of the id.
func loadRecord(app *App, id string) (*office.Office, *office.Record, []string, error) {
	now, err := app.Now()
	if err != nil {
		return nil, nil, nil, err
	}
	off, err := office.Load(app.Dir, office.Options{})
	if err != nil {
		return nil, nil, nil, &ExitError{Code: ExitUsage, Err: err}
	}
	c, moved, others, err := off.Follow(id)
	if err != nil {
		return nil, nil, nil, &ExitError{Code: ExitUsage, Err: err}
	}
	r := off.Record(c, now)
	if r.PolicyErr != nil {
		return nil, nil, nil, &ExitError{Code: ExitUsage, Err: fmt.Errorf("%s: %w", c.File, r.PolicyErr)}
	}
	// The notes are written once the case's policy, and so its time zone,
	// is known.
	p := r.Policy
	var notes []string
	for _, rn := range moved {
		notes = append(notes, app.say(msg.T("{from} 已重新编号为 {to}（提交 {commit}，{actor}，{at}）", "{from} 已重新编号为 {to} (renumbered by commit {commit}, {actor}, {at})"),
			msg.Args{"from": rn.From, "to": rn.To, "commit": short7(rn.Commit), "actor": rn.Actor, "at": p.TimeText(rn.At)}))
	}
	for _, rn := range others {
		notes = append(notes, app.say(msg.T("另一处登记的 {id} 已重新编号为 {to}（提交 {commit}，{actor}，{at}）",
			"另一处登记的 {id} 已重新编号为 {to} (a case registered as {id} in another clone was renumbered {to} by commit {commit}, {actor}, {at})"),
			msg.Args{"id": c.ID, "to": rn.To, "commit": short7(rn.Commit), "actor": rn.Actor, "at": p.TimeText(rn.At)}))
	}
	warnTruncated(app, off, r.History != nil && r.History.Truncated(),
		fmt.Sprintf("the trail of %s, registered before it, starts at that commit, and its deadlines may be judged wrong", c.ID))
	return off, r, notes, nil
}

// writeNotes prints loadRecord's notes: before the text, or to the error
// stream beside JSON.
func writeNotes(w io.Writer, notes []string) {
	for _, n := range notes {
		fmt.Fprintln(w, n)
	}
}

type jsonRenumbering struct {
	From    string `json:"from"`
	To      string `json:"to"`
	Commit  string `json:"commit"`
	At      string `json:"at"`
	Actor   string `json:"actor"`
	Renamed bool   `json:"renamed"`
}

// renumberingsJSON lists the renumberings that gave the case its id, and
// those of other registrations of its id.
func renumberingsJSON(off *office.Office, id string) []jsonRenumbering {
	out := []jsonRenumbering{}
	for _, rn := range off.Renumberings(id) {
		out = append(out, jsonRenumbering{From: rn.From, To: rn.To, Commit: rn.Commit, At: rn.At.Format(time.RFC3339), Actor: rn.Actor, Renamed: rn.Renamed})
	}
	return out
}

type jsonClock struct {
	Rule     string  `json:"rule"`
	Label    string  `json:"label"`
	StartAt  string  `json:"start_at"`
	DueAt    string  `json:"due_at"`
	State    string  `json:"state"`
	EndedAt  *string `json:"ended_at"`
	DaysLeft int     `json:"working_days_left"`
	Extended bool    `json:"extended"`
	// PausedSince is when the pause the case is in began; the clock is
	// then pending and due_at is where it ends if it resumes now.
	PausedSince *string `json:"paused_since,omitempty"`
	// NoDataYears are the years the due date was counted over without
	// holiday data (weekends only); absent when there were none.
	NoDataYears []int `json:"no_data_years,omitempty"`
	// NotDone, Report and Cycle: see deadline.Clock.
	NotDone bool `json:"not_done,omitempty"`
	Report  int  `json:"report,omitempty"`
	Cycle   int  `json:"cycle,omitempty"`
}

type jsonEvent struct {
	At       string              `json:"at"`
	Actor    string              `json:"actor"`
	Email    string              `json:"email,omitempty"`
	From     string              `json:"from"`
	To       string              `json:"to"`
	Commit   string              `json:"commit"`
	Note     string              `json:"note"`
	Changed  []string            `json:"changed"`
	Trailers map[string][]string `json:"trailers,omitempty"`
	// Correction is set when the step is a recorded correction.
	Correction *jsonCorrection `json:"correction,omitempty"`
	// Renumbered is set when the step gave the case another id.
	Renumbered *jsonRenumber `json:"renumbered,omitempty"`
}

type jsonRenumber struct {
	From string `json:"from"`
	To   string `json:"to"`
}

type jsonCase struct {
	ID          string         `json:"id"`
	File        string         `json:"file"`
	Policy      string         `json:"policy"`
	Title       string         `json:"title"`
	Status      string         `json:"status"`
	StatusLabel string         `json:"status_label"`
	ReceivedAt  string         `json:"received_at"`
	Fields      map[string]any `json:"fields"`
	Deadlines   []jsonClock    `json:"deadlines"`
	Escalations []string       `json:"escalations"`
	Related     []string       `json:"related"`
	Attachments []string       `json:"attachments"`
	History     []jsonEvent    `json:"history"`
	// Renumbered lists the renumberings that gave the case its id, or gave
	// another registration of its id a new one.
	Renumbered []jsonRenumbering `json:"renumbered"`
}

func clocksJSON(r *office.Record) []jsonClock {
	out := []jsonClock{}
	for _, c := range r.Clocks {
		jc := jsonClock{Rule: c.Rule, Label: firstNonEmpty(c.Zh, c.Rule), StartAt: c.Start.Format(time.RFC3339), DueAt: c.DueAt.Format(time.RFC3339),
			State: string(c.State), DaysLeft: c.DaysLeft, Extended: c.Extended, NoDataYears: c.NoData, NotDone: c.NotDone, Report: c.Report, Cycle: c.Cycle}
		if c.EndedAt != nil {
			s := c.EndedAt.Format(time.RFC3339)
			jc.EndedAt = &s
		}
		if c.PausedSince != nil {
			s := c.PausedSince.Format(time.RFC3339)
			jc.PausedSince = &s
		}
		out = append(out, jc)
	}
	return out
}

func eventsJSON(off *office.Office, r *office.Record) []jsonEvent {
	out := []jsonEvent{}
	for _, s := range off.Trail(r) {
		t := s.Transition
		ch := t.Changed
		if ch == nil {
			ch = []string{}
		}
		var rn *jsonRenumber
		if s.Renumbered != nil {
			rn = &jsonRenumber{From: s.Renumbered.From, To: s.Renumbered.To}
		}
		out = append(out, jsonEvent{At: t.At.Format(time.RFC3339), Actor: t.Actor, Email: t.Email, From: t.From, To: t.To,
			Commit: t.Commit, Note: t.Note, Changed: ch, Trailers: t.Trailers.Map(), Correction: correctionJSON(s.Correction), Renumbered: rn})
	}
	return out
}

// relatedIDs are the case's related cases, "BANK-2026-0001 (repeat)", as
// JSON keeps them.
func relatedIDs(r *office.Record) []string {
	return relatedText(r, view{Terms: policy.LangIDs, Lang: msg.En})
}

// relatedText are the related cases with their relation in v
// ("BANK-2026-0001（重复投诉）"; see policy.ValueText).
func relatedText(r *office.Record, v view) []string {
	out := []string{}
	for _, rel := range r.Case.Related() {
		text := rel.ID
		if rel.As != "" {
			text = v.say(msg.T("{id}（{as}）", "{id} ({as})"), msg.Args{"id": rel.ID, "as": r.Policy.ValueText("related.as", rel.As, v.Terms)})
		}
		out = append(out, text)
	}
	return out
}

func runShow(o *showOptions) error {
	if !validFormat(o.format, []string{"text", "json"}) {
		return usageErr("--format %q is not one of text, json", o.format)
	}
	ids, err := o.identity.load()
	if err != nil {
		return err
	}
	off, r, notes, err := loadRecord(o.app, o.id)
	if err != nil {
		return err
	}
	now, _ := o.app.Now()
	c, p := r.Case, r.Policy
	// Sealed personal data is opened with the identity, or shown as
	// withheld; show never fails for it.
	fields, errs := seal.Reveal(c.Fields, c.ID, ids, seal.Withheld("zh"))
	warnSealed(o.app.ErrOut, errs)
	if o.format == "json" {
		jc := jsonCase{ID: c.ID, File: c.File, Policy: p.ID, Title: c.Title, Status: c.Status, StatusLabel: p.Label("state", c.Status, "zh"),
			ReceivedAt: c.ReceivedAt.Format(time.RFC3339), Fields: fields, Deadlines: clocksJSON(r), Escalations: []string{},
			Related: relatedIDs(r), Attachments: r.Case.AttachmentPaths(), History: eventsJSON(off, r), Renumbered: renumberingsJSON(off, c.ID)}
		for _, e := range r.Escalations {
			jc.Escalations = append(jc.Escalations, e.ID)
		}
		writeNotes(o.app.ErrOut, notes)
		return writeJSON(o.app.Out, jc)
	}
	w := o.app.Out
	v := viewOf(o.app, o.ids)
	writeNotes(w, notes)
	fmt.Fprintf(w, "%s  %s\n", c.ID, c.Title)
	fmt.Fprintf(w, "%s  %s  %s\n\n", c.File, p.ValueText(policy.FieldStatus, c.Status, v.Terms), p.Name.Zh)
	writeFields(w, p, c.Keys, fields, "", v)
	if len(r.Escalations) > 0 {
		fmt.Fprintln(w, v.say(msg.T("\n升级：", "\n升级 escalations:"), nil))
		for _, e := range r.Escalations {
			name := firstNonEmpty(e.Zh, e.ID)
			if v.ids() {
				name = e.ID
			}
			fmt.Fprintln(w, v.say(msg.T("  {name}（{severity}）", "  {name} ({severity})"), msg.Args{"name": name, "severity": e.Severity}))
		}
	}
	if rel := relatedText(r, v); len(rel) > 0 {
		fmt.Fprintln(w, v.say(msg.T("\n关联：{related}", "\n关联 related: {related}"), msg.Args{"related": listOf(rel)}))
	}
	if att := r.Case.AttachmentPaths(); len(att) > 0 {
		fmt.Fprintln(w, v.say(msg.T("\n附件：", "\n附件 attachments:"), nil))
		for _, a := range att {
			fmt.Fprintf(w, "  %s\n", a)
		}
	}
	fmt.Fprintln(w, v.say(msg.T("\n时限：", "\n时限 deadlines:"), nil))
	if len(r.Clocks) == 0 {
		fmt.Fprintln(w, v.say(msg.T("  （无进行中的时限）", "  (none running)"), nil))
	}
	for _, cl := range r.Clocks {
		fmt.Fprintln(w, v.say(msg.T("  {name} 截止 {due}{nodata}  {state}{note}", "  {name} due {due}{nodata}  {state}{note}"), msg.Args{
			"name": padCells(clockName(cl, v.Terms), 16), "due": p.TimeText(cl.DueAt), "nodata": noDataMark(cl.NoData, v),
			"state": clockState(cl.Verdict(), v.Terms), "note": clockNote(p, cl, now, v)}))
	}
	fmt.Fprintln(w, v.say(msg.T("\n记录：", "\n记录 history:"), nil))
	writeLog(w, off, r, v)
	return nil
}

// noDataMark follows a due date counted over years without holiday data:
// "（无节假日数据 2028）", " (无节假日数据 2028)" in English.
func noDataMark(years []int, v view) string {
	if len(years) == 0 {
		return ""
	}
	return v.say(msg.T("（{note}）", " ({note})"), msg.Args{"note": calendar.NoDataNote(years, false)})
}

// clockNote says where a clock stands: ended when, or how long is left
// or how late it is (deadline.Clock.Distance).
func clockNote(p *policy.Policy, cl deadline.Clock, now time.Time, v view) string {
	dist, late := cl.Distance(now, v.Lang)
	args := msg.Args{"dist": dist}
	switch {
	case cl.EndedAt != nil && late:
		args["ended"] = p.TimeText(*cl.EndedAt)
		return v.say(msg.T("  （{ended} 结束，超期 {dist}）", "  (ended {ended}, {dist} late)"), args)
	case cl.EndedAt != nil:
		args["ended"] = p.TimeText(*cl.EndedAt)
		return v.say(msg.T("  （{ended} 结束）", "  (ended {ended})"), args)
	case cl.PausedSince != nil:
		args["since"] = p.TimeText(*cl.PausedSince)
		return v.say(msg.T("  （{since} 起暂停，还剩 {dist}）", "  (暂停 paused since {since}, {dist} left)"), args)
	case late:
		return v.say(msg.T("  （已超期 {dist}）", "  ({dist} late)"), args)
	default:
		return v.say(msg.T("  （还剩 {dist}）", "  ({dist} left)"), args)
	}
}

// writeFields prints the fields under their labels, their values by
// policy.ValueText (未填 in Chinese for a field without a value); with
// --ids under their paths.
func writeFields(w io.Writer, p *policy.Policy, keys []string, fields map[string]any, prefix string, v view) {
	if keys == nil {
		for k := range fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
	}
	for _, k := range keys {
		path := strings.TrimPrefix(prefix+"."+k, ".")
		name := p.Label("field", path, "zh")
		if v.ids() {
			name = path
		}
		indent := strings.Repeat("  ", strings.Count(path, "."))
		switch x := fields[k].(type) {
		case map[string]any:
			fmt.Fprintln(w, v.say(msg.T("  {indent}{name}：", "  {indent}{name}:"), msg.Args{"indent": indent, "name": name}))
			writeFields(w, p, nil, x, path, v)
		default:
			text := p.ValueText(path, x, v.Terms)
			if text == "" && v.Lang != msg.En {
				text = "未填" // English has always left it blank
			}
			fmt.Fprintln(w, v.say(msg.T("  {indent}{name}：{value}", "  {indent}{name}: {value}"), msg.Args{"indent": indent, "name": name, "value": text}))
		}
	}
}

// listOf is texts as a message argument, joined 、 in Chinese and , in
// English.
func listOf(texts []string) msg.List {
	out := make(msg.List, len(texts))
	for i, t := range texts {
		out[i] = t
	}
	return out
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}
