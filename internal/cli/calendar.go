package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
)

type calendarOptions struct {
	app    *App
	from   string
	to     string
	policy string
	format string
}

func newCalendarCmd(app *App) *cobra.Command {
	o := &calendarOptions{app: app}
	cmd := &cobra.Command{
		Use:   "calendar --from DATE --to DATE",
		Short: "Print each day as working or rest, with the holiday's name",
		Long: `calendar prints the working-day calendar casebook counts deadlines with: the
State Council's statutory holidays and make-up working days (调休), plus the
policy's own overrides, so a clerk can check it against the official notice.`,
		Example: `  casebook calendar --from 2026-09-28 --to 2026-10-12
  casebook calendar --from 2026-02-10 --to 2026-03-01 --policy tendering`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runCalendar(o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.from, "from", "", "first `DATE` (YYYY-MM-DD)")
	f.StringVar(&o.to, "to", "", "last `DATE` (YYYY-MM-DD)")
	f.StringVar(&o.policy, "policy", "", "apply the overrides of policy `ID` (default: the repository's only policy, else none)")
	f.StringVar(&o.format, "format", "text", "output `FORMAT`: text or json")
	_ = cmd.MarkFlagRequired("from")
	_ = cmd.MarkFlagRequired("to")
	return cmd
}

type calendarDay struct {
	Date    string `json:"date"`
	Weekday string `json:"weekday"`
	Working bool   `json:"working"`
	Holiday string `json:"holiday,omitempty"`
	MakeUp  bool   `json:"makeup"`
	Source  string `json:"source"`
}

var weekdaysZh = []string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

func runCalendar(o *calendarOptions) error {
	if !validFormat(o.format, []string{"text", "json"}) {
		return usageErr("--format %q is not one of text, json", o.format)
	}
	from, err := parseDay("from", o.from)
	if err != nil {
		return err
	}
	to, err := parseDay("to", o.to)
	if err != nil {
		return err
	}
	if to.Before(*from) {
		return usageErr("--to %s is before --from %s", o.to, o.from)
	}
	if from.AddDays(3660).Before(*to) {
		return usageErr("the range is longer than ten years (fix: ask for a shorter range)")
	}
	cal, err := o.calendar()
	if err != nil {
		return err
	}
	var days []calendarDay
	for _, d := range cal.Days(*from, *to) {
		cd := calendarDay{Date: d.Date.String(), Weekday: weekdaysZh[d.Date.Weekday()], Working: d.Working, Holiday: d.Holiday, MakeUp: d.MakeUp, Source: "国务院办公厅"}
		switch {
		case d.Override:
			cd.Source = "policy"
		case !d.HasData:
			cd.Source = "no data"
		case d.Holiday == "" && !d.MakeUp:
			cd.Source = "weekday rule"
		}
		days = append(days, cd)
	}
	if o.format == "json" {
		return writeJSON(o.app.Out, days)
	}
	tw := tabwriter.NewWriter(o.app.Out, 0, 4, 2, ' ', 0)
	noData := false
	for _, d := range days {
		kind := "休息 rest"
		if d.Working {
			kind = "工作 working"
		}
		note := d.Holiday
		if d.MakeUp {
			note = "调休上班 " + note
		}
		if d.Source == "no data" {
			note = "(无节假日数据 no holiday data)"
			noData = true
		}
		if d.Source == "policy" {
			note += " (policy)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", d.Date, d.Weekday, kind, note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if noData {
		fmt.Fprintln(o.app.ErrOut, "casebook: warning: some days fall in a year without holiday data; they are counted by weekday only (calendar.no_data)")
	}
	return nil
}

func (o *calendarOptions) calendar() (*calendar.Calendar, error) {
	var p *policy.Policy
	set, err := policySetAround(o.app.Dir)
	if err != nil && o.policy != "" {
		return nil, &ExitError{Code: ExitUsage, Err: err}
	}
	if set != nil {
		if o.policy != "" {
			var ok bool
			p, ok = set.Get(o.policy)
			if !ok {
				return nil, usageErr("unknown policy %q (known: %v)", o.policy, set.IDs())
			}
		} else if only, ok := set.Only(); ok {
			p = only
		}
	}
	if p != nil {
		c, _ := deadline.CalendarFor(p)
		return c, nil
	}
	loc, _ := policy.DefaultLocation()
	return calendar.New(loc), nil
}

// policySetAround loads the policies of the repository around dir, or the
// embedded defaults outside a repository.
func policySetAround(dir string) (*policy.Set, error) {
	root, _, err := office.FindRoot(dir)
	if err != nil {
		root = ""
	}
	return policy.LoadSet(root)
}
