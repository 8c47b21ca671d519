package cli

import (
	"github.com/spf13/cobra"
)

type moveOptions struct {
	app  *App
	w    writeFlags
	id   string
	to   string
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
			o.id, o.to = args[0], args[1]
			return runMove(o)
		},
	}
	cmd.Flags().StringArrayVar(&o.sets, "set", nil, "set a field on the way, `k=v`")
	cmd.Flags().StringVar(&o.note, "note", "", "a note for the audit trail (the commit message body)")
	o.w.register(cmd)
	return cmd
}

func runMove(o *moveOptions) error {
	d, p, sets, err := o.w.deskFor(o.app, o.id, o.sets)
	if err != nil {
		return err
	}
	done, err := d.Move(o.id, o.to, sets, o.note)
	if err != nil {
		return writeErr(err)
	}
	sayMoved(o.app, p, done)
	return nil
}
