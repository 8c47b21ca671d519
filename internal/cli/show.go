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
		notes = append(notes, fmt.Sprintf("%s 已重新编号为 %s (renumbered by commit %s, %s, %s)", rn.From, rn.To, short7(rn.Commit), rn.Actor, p.TimeText(rn.At)))
	}
	for _, rn := range others {
		notes = append(notes, fmt.Sprintf("另一处登记的 %s 已重新编号为 %s (a case registered as %s in another clone was renumbered %s by commit %s, %s, %s)",
			c.ID, rn.To, c.ID, rn.To, short7(rn.Commit), rn.Actor, p.TimeText(rn.At)))
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
func relatedIDs(r *office.Record) []string { return relatedText(r, policy.LangIDs) }

// relatedText are the related cases with their relation in lang
// ("BANK-2026-0001 (重复投诉)"; see policy.ValueText).
func relatedText(r *office.Record, lang string) []string {
	out := []string{}
	for _, rel := range r.Case.Related() {
		text := rel.ID
		if rel.As != "" {
			text += " (" + r.Policy.ValueText("related.as", rel.As, lang) + ")"
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
	lang := textLang(o.ids)
	writeNotes(w, notes)
	fmt.Fprintf(w, "%s  %s\n", c.ID, c.Title)
	fmt.Fprintf(w, "%s  %s  %s\n\n", c.File, p.ValueText(policy.FieldStatus, c.Status, lang), p.Name.Zh)
	writeFields(w, p, c.Keys, fields, "", lang)
	if len(r.Escalations) > 0 {
		fmt.Fprintln(w, "\n升级 escalations:")
		for _, e := range r.Escalations {
			name := firstNonEmpty(e.Zh, e.ID)
			if o.ids {
				name = e.ID
			}
			fmt.Fprintf(w, "  %s (%s)\n", name, e.Severity)
		}
	}
	if rel := relatedText(r, lang); len(rel) > 0 {
		fmt.Fprintf(w, "\n关联 related: %s\n", strings.Join(rel, ", "))
	}
	if att := r.Case.AttachmentPaths(); len(att) > 0 {
		fmt.Fprintln(w, "\n附件 attachments:")
		for _, a := range att {
			fmt.Fprintf(w, "  %s\n", a)
		}
	}
	fmt.Fprintln(w, "\n时限 deadlines:")
	if len(r.Clocks) == 0 {
		fmt.Fprintln(w, "  (none running)")
	}
	for _, cl := range r.Clocks {
		fmt.Fprintf(w, "  %s due %s%s  %s%s\n", padCells(clockName(cl, lang), 16), p.TimeText(cl.DueAt), noDataMark(cl.NoData), clockState(cl.Verdict(), lang), clockNote(p, cl, now))
	}
	fmt.Fprintln(w, "\n记录 history:")
	writeLog(w, off, r, lang)
	return nil
}

// noDataMark follows a due date counted over years without holiday data:
// " (无节假日数据 2028)".
func noDataMark(years []int) string {
	if len(years) == 0 {
		return ""
	}
	return " (" + calendar.NoDataNote(years, false) + ")"
}

func clockNote(p *policy.Policy, cl deadline.Clock, now time.Time) string {
	dist, late := cl.Distance(now)
	switch {
	case cl.EndedAt != nil && late:
		return "  (ended " + p.TimeText(*cl.EndedAt) + ", " + dist + " late)"
	case cl.EndedAt != nil:
		return "  (ended " + p.TimeText(*cl.EndedAt) + ")"
	case cl.PausedSince != nil:
		return "  (暂停 paused since " + p.TimeText(*cl.PausedSince) + ", " + dist + " left)"
	case late:
		return "  (" + dist + " late)"
	default:
		return "  (" + dist + " left)"
	}
}

// writeFields prints the fields under their labels, their values by
// policy.ValueText; in LangIDs under their paths.
func writeFields(w io.Writer, p *policy.Policy, keys []string, fields map[string]any, prefix, lang string) {
	if keys == nil {
		for k := range fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
	}
	for _, k := range keys {
		path := strings.TrimPrefix(prefix+"."+k, ".")
		name := p.Label("field", path, "zh")
		if lang == policy.LangIDs {
			name = path
		}
		indent := strings.Repeat("  ", strings.Count(path, "."))
		switch v := fields[k].(type) {
		case map[string]any:
			fmt.Fprintf(w, "  %s%s:\n", indent, name)
			writeFields(w, p, nil, v, path, lang)
		default:
			fmt.Fprintf(w, "  %s%s: %s\n", indent, name, p.ValueText(path, v, lang))
		}
	}
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
