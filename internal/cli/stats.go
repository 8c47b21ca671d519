package cli

import (
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/export"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
)

type statsOptions struct {
	app    *App
	from   string
	to     string
	by     string
	policy string
	rule   string
	format string
	ids    bool
}

func newStatsCmd(app *App) *cobra.Command {
	o := &statsOptions{app: app}
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Count cases and on-time rates by a field or by month",
		Long: `stats groups the cases received in [--from, --to] by a field (category,
channel, department, status, assignee, any policy field such as cause or
complainant.anonymous) or by month, and reports per group: cases, open,
finished, clocks met, missed and overdue, and the on-time rate
met / (met + missed + overdue).`,
		Example: `  casebook stats --by category
  casebook stats --by month --from 2026-01-01 --to 2026-06-30 --format csv
  casebook stats --by department --rule reply --format json
  casebook stats --by 渠道 --ids`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runStats(o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.from, "from", "", "only cases received on or after `DATE`")
	f.StringVar(&o.to, "to", "", "only cases received on or before `DATE`")
	f.StringVar(&o.by, "by", "category", "group by `FIELD` (a field path or label) or month")
	f.StringVar(&o.policy, "policy", "", "only cases of policy `ID`")
	f.StringVar(&o.rule, "rule", "", "count only the clocks of deadline rule `ID` (or its label)")
	f.StringVar(&o.format, "format", "table", "output `FORMAT`: table, json or csv")
	f.BoolVar(&o.ids, "ids", false, "print the groups' ids (and the field path) instead of their labels")
	return cmd
}

func parseDay(flag, s string) (*calendar.Date, error) {
	if s == "" {
		return nil, nil
	}
	d, err := calendar.ParseDate(s)
	if err != nil {
		return nil, usageErr("--%s %q is not a date (fix: use YYYY-MM-DD)", flag, s)
	}
	return &d, nil
}

func runStats(o *statsOptions) error {
	if !validFormat(o.format, []string{"table", "json", "csv"}) {
		return usageErr("--format %q is not one of table, json, csv", o.format)
	}
	from, err := parseDay("from", o.from)
	if err != nil {
		return err
	}
	to, err := parseDay("to", o.to)
	if err != nil {
		return err
	}
	now, err := o.app.Now()
	if err != nil {
		return err
	}
	off, err := office.Load(o.app.Dir, office.Options{})
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	if err := needWholeHistory(off, "the on-time statistics of the cases registered before it would be wrong"); err != nil {
		return err
	}
	records := off.Records(now)
	if err := o.resolve(off, records); err != nil {
		return err
	}
	rows := office.Groups(records, office.Grouping{Policy: o.policy, From: from, To: to, By: o.by, Rule: o.rule})
	switch o.format {
	case "json":
		return writeJSON(o.app.Out, rows)
	case "csv":
		cw := csv.NewWriter(o.app.Out)
		cw.Write([]string{"group", "label", "cases", "open", "finished", "met", "missed", "overdue", "on_time_rate"})
		for _, r := range rows {
			cw.Write([]string{export.Cell(r.Group), export.Cell(r.Label), strconv.Itoa(r.Cases), strconv.Itoa(r.Open), strconv.Itoa(r.Finished),
				strconv.Itoa(r.Met), strconv.Itoa(r.Missed), strconv.Itoa(r.Overdue), rateText(r.OnTimeRate, false)})
		}
		cw.Flush()
		return cw.Error()
	}
	// The table names each group by its label, and the grouping by the
	// field's label; --ids gives the ids a file holds.
	tb := &table{right: map[int]bool{1: true, 2: true, 3: true, 4: true, 5: true, 6: true, 7: true}}
	by := office.Grouping{By: o.by}.FieldLabel(records)
	if o.ids {
		by = o.by
	}
	tb.add(by, "件数", "在办", "办结", "按时", "超时办结", "超期未办", "按时率")
	for _, r := range rows {
		name := r.Label
		if o.ids {
			name = r.Group
		}
		tb.add(name, strconv.Itoa(r.Cases), strconv.Itoa(r.Open), strconv.Itoa(r.Finished), strconv.Itoa(r.Met),
			strconv.Itoa(r.Missed), strconv.Itoa(r.Overdue), rateText(r.OnTimeRate, true))
	}
	return tb.write(o.app.Out)
}

func rateText(v *float64, pct bool) string {
	if v == nil {
		return ""
	}
	if pct {
		return strconv.FormatFloat(*v*100, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(*v, 'f', 4, 64)
}

// resolve reads --policy and --by by their ids or labels; one that names
// nothing exits 2 with the closest one, where a silent empty table would
// mislead.
func (o *statsOptions) resolve(off *office.Office, records []*office.Record) error {
	id, scope, err := off.Scope(o.policy, records)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	o.policy = id
	if o.rule != "" {
		if o.rule, err = off.Policies.ResolveOne(policy.KindDeadline, o.rule, scope); err != nil {
			return &ExitError{Code: ExitUsage, Err: fmt.Errorf("--rule: %w", err)}
		}
	}
	if o.by == "month" {
		return nil
	}
	if o.by, err = off.Policies.ResolveOne(policy.KindField, o.by, scope); err != nil {
		return &ExitError{Code: ExitUsage, Err: fmt.Errorf("--by: %w", err)}
	}
	return nil
}
