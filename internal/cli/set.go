package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/msg"
)

type setOptions struct {
	app    *App
	w      writeFlags
	id     string
	sets   []string
	unsets []string
}

func newSetCmd(app *App) *cobra.Command {
	o := &setOptions{app: app}
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
			o.id, o.sets = args[0], args[1:]
			return runSet(o)
		},
	}
	cmd.Flags().StringArrayVar(&o.unsets, "unset", nil, "remove a field, `FIELD` (nested: respondent.person)")
	o.w.register(cmd)
	return cmd
}

func runSet(o *setOptions) error {
	if len(o.sets) == 0 && len(o.unsets) == 0 {
		return usageErr("nothing to set (fix: give k=v pairs or --unset FIELD)")
	}
	d, _, sets, err := o.w.deskFor(o.app, o.id, o.sets)
	if err != nil {
		return err
	}
	done, err := d.Set(o.id, sets, o.unsets...)
	if err != nil {
		return writeErr(err)
	}
	if done.Unchanged {
		fmt.Fprintln(o.app.Out, o.app.say(msg.T("{id} 已是这些值，无需提交", "{id} already has these values; nothing to commit"), msg.Args{"id": done.ID}))
		return nil
	}
	warnDone(o.app, done)
	fmt.Fprintln(o.app.Out, o.app.say(msg.T("{id}：已修改（提交 {commit}）", "{id}: set (commit {commit})"), msg.Args{"id": done.ID, "commit": short7(done.Commit)}))
	return nil
}
