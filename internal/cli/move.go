package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/clerk"
)

type moveOptions struct {
	app  *App
	w    writeFlags
	sets []string
	note string
}

func newMoveCmd(app *App) *cobra.Command {
	o := &moveOptions{app: app}
	cmd := &cobra.Command{
		Use:   "move ID STATE [--set k=v]... [--note TEXT]",
		Short: "Move a case along its procedure, committed as one transition",
		Long: `move checks that the policy allows the transition and that the case has what
the target state requires (fields, body sections, approvals), edits the
front-matter in place (key order, comments and quoting kept, the body byte
for byte) and commits "<ID>: <from> -> <to>" with the note and the trailers
Casebook-Case and Casebook-Transition. Edits already made in the case file
(a section just written) go into the same commit. An illegal or incomplete
move exits 1 and changes nothing.`,
		Example: `  casebook move BANK-2026-0007 assigned --set assignee=赵某 --set department=监察室 \
      --set leader_opinion.by=孙行长 --set leader_opinion.opinion=请三日内答复
  casebook move BANK-2026-0007 replied --note "已电话答复客户"
  casebook move BANK-2026-0007 已回复`,
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: completeIDs(app, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := o.w.desk(app)
			if err != nil {
				return err
			}
			p, err := policyOfCase(d, args[0])
			if err != nil {
				return writeErr(err)
			}
			sets, err := parseSets(p, o.sets)
			if err != nil {
				return writeErr(err)
			}
			done, err := d.Move(args[0], args[1], sets, o.note)
			if err != nil {
				return writeErr(err)
			}
			warnDone(app, done)
			fmt.Fprintf(app.Out, "%s: %s -> %s (commit %s)\n", done.ID, done.From, done.To, short7(done.Commit))
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&o.sets, "set", nil, "set a field on the way, `k=v`")
	cmd.Flags().StringVar(&o.note, "note", "", "a note for the audit trail (the commit message body)")
	o.w.register(cmd)
	return cmd
}

func newSetCmd(app *App) *cobra.Command {
	var w writeFlags
	var unsets []string
	cmd := &cobra.Command{
		Use:   "set ID [k=v]... [--unset FIELD]...",
		Short: "Change or remove fields of a case without a transition, committed",
		Long: `set gives fields new values and, with --unset, removes fields from the
front-matter (nested ones too). An enum value may be given by its label. A
field the case's state requires, or one every case keeps (id, policy, title,
status, received_at, channel, related, extensions), is not removed; a
recorded fact that decides a deadline is removed only by casebook correct.
The commit is "<ID>: set a, b; unset c".`,
		Example: `  casebook set BANK-2026-0007 amount=60000 tags=sensitive
  casebook set BANK-2026-0007 complainant.phone=13900000000
  casebook set HOT-2026-0003 satisfaction=满意
  casebook set BANK-2026-0007 --unset respondent.person`,
		Args:              cobra.MinimumNArgs(1),
		ValidArgsFunction: completeIDs(app, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 && len(unsets) == 0 {
				return usageErr("nothing to set (fix: give k=v pairs or --unset FIELD)")
			}
			d, err := w.desk(app)
			if err != nil {
				return err
			}
			p, err := policyOfCase(d, args[0])
			if err != nil {
				return writeErr(err)
			}
			sets, err := parseSets(p, args[1:])
			if err != nil {
				return writeErr(err)
			}
			done, err := d.Set(args[0], sets, unsets...)
			if err != nil {
				return writeErr(err)
			}
			if done.Unchanged {
				fmt.Fprintf(app.Out, "%s already has these values; nothing to commit\n", done.ID)
				return nil
			}
			warnDone(app, done)
			fmt.Fprintf(app.Out, "%s: set (commit %s)\n", done.ID, short7(done.Commit))
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&unsets, "unset", nil, "remove a field, `FIELD` (nested: respondent.person)")
	w.register(cmd)
	return cmd
}

func newExtendCmd(app *App) *cobra.Command {
	var w writeFlags
	var until, by, approvedBy, reason, rule string
	cmd := &cobra.Command{
		Use:   "extend ID (--until DATE | --by PERIOD) --approved-by NAME --reason TEXT",
		Short: "Record an approved deadline extension, within the policy's maximum",
		Example: `  casebook extend ZB-2026-0006 --until 2026-12-10 --approved-by 王局长 --reason 需调取交易中心录像
  casebook extend ZB-2026-0006 --by "30 calendar_days" --approved-by 王局长 --reason 情况复杂`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := w.desk(app)
			if err != nil {
				return err
			}
			x := clerk.Extension{Rule: rule, ApprovedBy: approvedBy, Reason: reason}
			if until != "" {
				dt, err := calendar.ParseDate(until)
				if err != nil {
					return usageErr("--until %q is not a date (fix: YYYY-MM-DD)", until)
				}
				x.Until = &dt
			}
			if by != "" {
				pd, err := calendar.ParsePeriod(by)
				if err != nil {
					return usageErr("--by %q: %v", by, err)
				}
				x.By = &pd
			}
			if x.Rule == "" {
				p, err := policyOfCase(d, args[0])
				if err != nil {
					return writeErr(err)
				}
				var ids []string
				for _, r := range p.Deadlines {
					if r.Extension != nil && !contains(ids, r.ID) {
						ids = append(ids, r.ID)
					}
				}
				if len(ids) != 1 {
					return usageErr("say which deadline with --rule (extensible: %v)", ids)
				}
				x.Rule = ids[0]
			}
			done, err := d.Extend(args[0], x)
			if err != nil {
				return writeErr(err)
			}
			warnDone(app, done)
			fmt.Fprintf(app.Out, "%s: %s extended (commit %s)\n", done.ID, x.Rule, short7(done.Commit))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&until, "until", "", "the new due `DATE`")
	f.StringVar(&by, "by", "", "extra time, `PERIOD` (\"30 calendar_days\", \"10 working_days\", \"1 months\")")
	f.StringVar(&approvedBy, "approved-by", "", "who approved it")
	f.StringVar(&reason, "reason", "", "why")
	f.StringVar(&rule, "rule", "", "the deadline `ID` (default: the policy's only extensible one)")
	w.register(cmd)
	return cmd
}

func newLinkCmd(app *App) *cobra.Command {
	var w writeFlags
	var as string
	cmd := &cobra.Command{
		Use:   "link ID OTHER --as repeat|duplicate|related",
		Short: "Record that a case repeats, duplicates or relates to another",
		Example: `  casebook link BANK-2026-0006 BANK-2026-0005 --as repeat
  casebook link ZB-2026-0010 ZB-2026-0004 --as duplicate`,
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: completeIDs(app, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := w.desk(app)
			if err != nil {
				return err
			}
			done, err := d.Link(args[0], args[1], as)
			if err != nil {
				return writeErr(err)
			}
			warnDone(app, done)
			fmt.Fprintf(app.Out, "%s: linked to %s as %s (commit %s)\n", done.ID, args[1], as, short7(done.Commit))
			return nil
		},
	}
	cmd.Flags().StringVar(&as, "as", "related", "the relation: repeat, duplicate or related")
	w.register(cmd)
	return cmd
}

func newWithdrawCmd(app *App) *cobra.Command {
	var w writeFlags
	var reason, voluntary string
	var sets []string
	cmd := &cobra.Command{
		Use:   "withdraw ID --reason TEXT --voluntary yes|no",
		Short: "Record a withdrawal, with its reason and whether it was voluntary",
		Long: `withdraw moves the case to its policy's withdrawn state and records what the
procedures ask: the reason, whether the complainant withdrew of their own will
and who checked it (bank 第十八条; when it was not voluntary the policy
requires the action taken, give it with --set accountability=...), and it is
refused where a verified violation must still be dealt with (tendering 第二十三条).`,
		Example: `  casebook withdraw BANK-2026-0008 --reason 客户表示问题已解决 --voluntary yes
  casebook withdraw BANK-2026-0009 --reason 客户称受到压力 --voluntary no --set accountability=已对相关人员立案调查`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var vol bool
			switch voluntary {
			case "yes", "y", "true", "是":
				vol = true
			case "no", "n", "false", "否":
			default:
				return usageErr("--voluntary must be yes or no")
			}
			d, err := w.desk(app)
			if err != nil {
				return err
			}
			p, err := policyOfCase(d, args[0])
			if err != nil {
				return writeErr(err)
			}
			extra, err := parseSets(p, sets)
			if err != nil {
				return writeErr(err)
			}
			done, err := d.Withdraw(args[0], reason, vol, extra)
			if err != nil {
				return writeErr(err)
			}
			warnDone(app, done)
			fmt.Fprintf(app.Out, "%s: %s -> %s (commit %s)\n", done.ID, done.From, done.To, short7(done.Commit))
			return nil
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why the complainant withdraws")
	cmd.Flags().StringVar(&voluntary, "voluntary", "", "yes if the complainant withdrew of their own will, no if under pressure")
	cmd.Flags().StringArrayVar(&sets, "set", nil, "set a field on the way, `k=v`")
	_ = cmd.MarkFlagRequired("voluntary")
	w.register(cmd)
	return cmd
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
