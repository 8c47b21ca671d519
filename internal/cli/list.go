package cli

import (
	"encoding/csv"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/export"
	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
)

type listOptions struct {
	app        *App
	status     []string
	category   []string
	channel    []string
	department []string
	policy     string
	overdue    bool
	dueWithin  string
	format     string
	ids        bool
	identity   identityFlag
}

func newListCmd(app *App) *cobra.Command {
	o := &listOptions{app: app}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List cases, filtered, as a table, JSON or CSV",
		Example: `  casebook list --overdue
  casebook list --status received,assigned --department 监察室
  casebook list --status 已受理 --channel 电话
  casebook list --ids --format table
  casebook list --due-within "2 working_days" --format csv > due.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runList(o) },
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.status, "status", nil, "only cases in `STATES` (ids or labels, comma-separated)")
	f.StringSliceVar(&o.category, "category", nil, "only `CATEGORIES` (ids or labels)")
	f.StringSliceVar(&o.channel, "channel", nil, "only `CHANNELS` (ids or labels)")
	f.StringSliceVar(&o.department, "department", nil, "only `DEPARTMENTS`")
	f.StringVar(&o.policy, "policy", "", "only cases of policy `ID` (or its name)")
	f.BoolVar(&o.overdue, "overdue", false, "only cases with an overdue clock")
	f.StringVar(&o.dueWithin, "due-within", "", "only open cases with a clock due within `PERIOD` (\"2 working_days\", \"3 calendar_days\", \"4 hours\"; a bare number means working days)")
	f.StringVar(&o.format, "format", "table", "output `FORMAT`: table, json or csv")
	f.BoolVar(&o.ids, "ids", false, "print the ids of states, categories, channels and clocks instead of their labels")
	o.identity.register(cmd)
	return cmd
}

type listRow struct {
	ID         string `json:"id"`
	Policy     string `json:"policy"`
	Title      string `json:"title"`
	Status     string `json:"status"`
	Category   string `json:"category"`
	Channel    string `json:"channel"`
	Department string `json:"department"`
	Assignee   string `json:"assignee"`
	ReceivedAt string `json:"received_at"`
	NextRule   string `json:"next_rule"`
	NextDue    string `json:"next_due"`
	DueState   string `json:"due_state"`
	// NoDataYears are the years NextDue was counted over without holiday
	// data; absent when there were none.
	NoDataYears []int  `json:"no_data_years,omitempty"`
	File        string `json:"file"`
	// Complainant is the complainant's name, only with an identity: opened
	// when sealed, 已隐藏 when it cannot be, 匿名 for an anonymous case.
	Complainant *string `json:"complainant,omitempty"`
}

func runList(o *listOptions) error {
	if !validFormat(o.format, []string{"table", "json", "csv"}) {
		return usageErr("--format %q is not one of table, json, csv", o.format)
	}
	f := office.Filters{Policy: o.policy, Status: o.status, Category: o.category, Channel: o.channel, Departments: o.department, Overdue: o.overdue}
	if o.dueWithin != "" {
		p, err := calendar.ParsePeriodOrDays(o.dueWithin)
		if err != nil {
			return usageErr("--due-within %q: %v", o.dueWithin, err)
		}
		f.Within = &p
	}
	now, err := o.app.Now()
	if err != nil {
		return err
	}
	ids, err := o.identity.load()
	if err != nil {
		return err
	}
	withPII := o.identity.given()
	off, err := office.Load(o.app.Dir, office.Options{})
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	warnTruncated(o.app, off, len(off.History.TruncatedCases()) > 0, "the deadlines of the cases registered before it may be judged wrong")
	records := off.Records(now)
	sel, err := off.Selection(f, records)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	rows := []listRow{}
	v := viewOf(o.app, o.ids)
	var text [][]string
	for _, r := range off.Select(records, sel, now) {
		row := rowOf(r)
		if withPII {
			name, errs := export.ComplainantName(r, ids)
			warnSealed(o.app.ErrOut, errs)
			row.Complainant = &name
		}
		rows = append(rows, row)
		text = append(text, listCells(r, row, v))
	}
	switch o.format {
	case "json":
		return writeJSON(o.app.Out, rows)
	case "csv":
		return writeListCSV(o.app.Out, rows, withPII)
	}
	tb := &table{}
	head := []string{"ID", "状态", "类别", "渠道", "部门", "承办人", "受理时间", "下一时限", "标题"}
	if withPII {
		head = append(head, "投诉人")
	}
	tb.add(head...)
	for i, r := range rows {
		cells := text[i]
		if withPII {
			cells = append(cells, *r.Complainant)
		}
		tb.add(cells...)
	}
	if err := tb.write(o.app.Out); err != nil {
		return err
	}
	_, err = fmt.Fprintln(o.app.Out, v.say(msg.T("共 {n} 件", "{n} cases"), msg.Args{"n": len(rows)}))
	return err
}

// listCells are a row of list's table in v (see policy.ValueText):
// terms by their labels, times in the policy's time zone.
func listCells(r *office.Record, row listRow, v view) []string {
	p := r.Policy
	term := func(path, id string) string { return p.ValueText(path, id, v.Terms) }
	due := ""
	if cl, ok := deadline.Next(r.Clocks); ok {
		due = clockName(cl, v.Terms) + " " + p.TimeText(cl.DueAt) + noDataMark(cl.NoData, v) + " " + clockState(cl.State, v.Terms)
	}
	return []string{row.ID, term(policy.FieldStatus, row.Status), term(policy.FieldCategory, row.Category), term(policy.FieldChannel, row.Channel),
		row.Department, row.Assignee, p.TimeText(r.Case.ReceivedAt), due, row.Title}
}

// clockName is a clock's name in lang (see deadline.Clock.Name); its
// rule id with its run in LangIDs ("verify (reopening 1)").
func clockName(c deadline.Clock, lang string) string {
	if lang == policy.LangIDs {
		return c.RunLabel(c.Rule, true)
	}
	return c.Name(lang)
}

// clockState is a clock state's word (see deadline.State.Label); its id
// in LangIDs.
func clockState(s deadline.State, lang string) string {
	if lang == policy.LangIDs {
		return string(s)
	}
	return s.Label(lang)
}

func rowOf(r *office.Record) listRow {
	c := r.Case
	str := func(k string) string { s, _ := c.Fields[k].(string); return s }
	row := listRow{ID: c.ID, Policy: r.Policy.ID, Title: c.Title, Status: c.Status, Category: str("category"), Channel: str("channel"),
		Department: str("department"), Assignee: str("assignee"), ReceivedAt: c.ReceivedAt.Format(time.RFC3339), File: c.File}
	if cl, ok := deadline.Next(r.Clocks); ok {
		row.NextRule, row.NextDue, row.DueState, row.NoDataYears = cl.Rule, cl.DueAt.Format(time.RFC3339), string(cl.State), cl.NoData
	}
	return row
}

func writeListCSV(w io.Writer, rows []listRow, withPII bool) error {
	cw := csv.NewWriter(w)
	head := []string{"id", "policy", "title", "status", "category", "channel", "department", "assignee", "received_at", "next_rule", "next_due", "due_state", "file"}
	if withPII {
		head = append(head, "complainant")
	}
	cw.Write(head)
	for _, r := range rows {
		rec := []string{r.ID, r.Policy, r.Title, r.Status, r.Category, r.Channel, r.Department, r.Assignee, r.ReceivedAt, r.NextRule, r.NextDue, r.DueState, r.File}
		if withPII {
			rec = append(rec, *r.Complainant)
		}
		for i := range rec {
			rec[i] = export.Cell(rec[i])
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}
