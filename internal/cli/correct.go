package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/policy"

	"github.com/casebook/casebook/internal/clerk"
)

type correctOptions struct {
	app        *App
	w          writeFlags
	id         string
	undo       bool
	sets       []string
	unsets     []string
	reason     string
	approvedBy string
}

func newCorrectCmd(app *App) *cobra.Command {
	o := &correctOptions{app: app}
	cmd := &cobra.Command{
		Use:   "correct ID (--undo | --set k=v... | --unset k...) --reason TEXT --approved-by NAME",
		Short: "Record a correction (更正): undo the last transition or fix fields",
		Long: `correct takes back a clerk's mistake without rewriting history: one commit
"<ID>: correct <what>" with the reason as its body and the trailers
Casebook-Case, Casebook-Correction and Casebook-Approved-By.

--undo returns the status to the state before the case's last transition,
also out of a terminal state (withdrawn or closed by mistake); a clock that
transition stopped runs again from its original start. --set fixes fields,
received_at and the category included (the clocks are judged with the
corrected value); --unset removes a field. When the policy lists
corrections.approvers, --approved-by must be one of them (exit 1).
validate reports the commit as correction.recorded (info).`,
		Example: `  casebook correct BANK-2026-0001 --undo --reason 误将客户来电记为撤诉 --approved-by 孙主任
  casebook correct BANK-2026-0002 --set category=violation --reason 实为违规操作，应按复杂投诉办理 --approved-by 孙主任
  casebook correct BANK-2026-0003 --set received_at=2026-09-29T16:00:00+08:00 --reason 登记时间录错 --approved-by 孙主任`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeIDs(app, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.id = args[0]
			return runCorrect(o)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.undo, "undo", false, "take back the case's last transition")
	f.StringArrayVar(&o.sets, "set", nil, "fix a field, `k=v`")
	f.StringArrayVar(&o.unsets, "unset", nil, "remove a field, `k`")
	f.StringVar(&o.reason, "reason", "", "what was wrong (the commit message body)")
	f.StringVar(&o.approvedBy, "approved-by", "", "who approved the correction")
	o.w.register(cmd)
	return cmd
}

func runCorrect(o *correctOptions) error {
	d, err := o.w.desk(o.app)
	if err != nil {
		return err
	}
	x := clerk.Correction{Undo: o.undo, Unsets: o.unsets, Reason: o.reason, ApprovedBy: o.approvedBy}
	if len(o.sets) > 0 {
		p, err := policyOfCase(d, o.id)
		if err != nil {
			return writeErr(err)
		}
		if x.Sets, err = parseSets(p, o.sets); err != nil {
			return writeErr(err)
		}
	}
	done, err := d.Correct(o.id, x)
	if err != nil {
		return writeErr(err)
	}
	if done.Unchanged {
		fmt.Fprintln(o.app.Out, o.app.say(msg.T("{id} 已是这些值，无需更正", "{id} already has these values; nothing to correct"), msg.Args{"id": done.ID}))
		return nil
	}
	warnDone(o.app, done)
	args := msg.Args{"id": done.ID, "by": o.approvedBy, "commit": short7(done.Commit)}
	if o.undo {
		args["what"] = msg.T("{from} → {to}", "{from} -> {to}").With(msg.Args{"from": termOf(d, done.ID, policy.KindState, done.From), "to": termOf(d, done.ID, policy.KindState, done.To)})
	} else {
		var fields msg.List
		for _, s := range x.Sets {
			fields = append(fields, termOf(d, done.ID, policy.KindField, s.Path))
		}
		for _, u := range o.unsets {
			fields = append(fields, termOf(d, done.ID, policy.KindField, u))
		}
		args["what"] = fields
	}
	fmt.Fprintln(o.app.Out, o.app.say(msg.T("{id}：已更正 {what}，批准：{by}（提交 {commit}）", "{id}: 更正 correct {what}，批准 approved by {by} (commit {commit})"), args))
	return nil
}
