package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/policy"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/clerk"
)

type extendOptions struct {
	app        *App
	w          writeFlags
	id         string
	until      string
	by         string
	approvedBy string
	reason     string
	rule       string
}

func newExtendCmd(app *App) *cobra.Command {
	o := &extendOptions{app: app}
	cmd := &cobra.Command{
		Use:   "extend ID (--until DATE | --by PERIOD) --approved-by NAME --reason TEXT",
		Short: "Record an approved deadline extension, within the policy's maximum",
		Example: `  casebook extend ZB-2026-0006 --until 2026-12-10 --approved-by 王局长 --reason 需调取交易中心录像
  casebook extend ZB-2026-0006 --by "30 calendar_days" --approved-by 王局长 --reason 情况复杂`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.id = args[0]
			return runExtend(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.until, "until", "", "the new due `DATE`")
	f.StringVar(&o.by, "by", "", "extra time, `PERIOD` (\"30 calendar_days\", \"10 working_days\", \"1 months\")")
	f.StringVar(&o.approvedBy, "approved-by", "", "who approved it")
	f.StringVar(&o.reason, "reason", "", "why")
	f.StringVar(&o.rule, "rule", "", "the deadline `ID` (default: the policy's only extensible one)")
	o.w.register(cmd)
	return cmd
}

func runExtend(o *extendOptions) error {
	d, err := o.w.desk(o.app)
	if err != nil {
		return err
	}
	x := clerk.Extension{Rule: o.rule, ApprovedBy: o.approvedBy, Reason: o.reason}
	if o.until != "" {
		dt, err := calendar.ParseDate(o.until)
		if err != nil {
			return usageErr("--until %q is not a date (fix: YYYY-MM-DD)", o.until)
		}
		x.Until = &dt
	}
	if o.by != "" {
		pd, err := calendar.ParsePeriod(o.by)
		if err != nil {
			return usageErr("--by %q: %v", o.by, err)
		}
		x.By = &pd
	}
	if x.Rule == "" {
		p, err := policyOfCase(d, o.id)
		if err != nil {
			return writeErr(err)
		}
		if x.Rule, err = clerk.ExtensionRule(p, ""); err != nil {
			return writeErr(err)
		}
	}
	done, err := d.Extend(o.id, x)
	if err != nil {
		return writeErr(err)
	}
	warnDone(o.app, done)
	fmt.Fprintln(o.app.Out, o.app.say(msg.T("{id}：{rule} 已延期（提交 {commit}）", "{id}: {rule} extended (commit {commit})"),
		msg.Args{"id": done.ID, "rule": termOf(d, done.ID, policy.KindDeadline, x.Rule), "commit": short7(done.Commit)}))
	return nil
}
