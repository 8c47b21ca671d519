package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/msg"

	"github.com/casebook/casebook/internal/clerk"
)

type renumberOptions struct {
	app *App
	w   writeFlags
	x   clerk.Renumbering
}

func newRenumberCmd(app *App) *cobra.Command {
	o := &renumberOptions{app: app}
	cmd := &cobra.Command{
		Use:   "renumber OLD [NEW] [--file FILE] [--note TEXT]",
		Short: "Give a case another id, keeping its trail",
		Long: `renumber gives a case another id in one commit "<NEW>: renumbered from <OLD>"
with the note and the trailers Casebook-Case and Casebook-Renumbered: its
file (or bundle folder) is renamed in the same folder and its id: changed,
every other byte kept. NEW defaults to the next free id, as new allocates
it; an id any case ever had in history is never given again. The case keeps
its whole trail and its clocks under the new id (log, show and the site show
the versions written under OLD), and a closed case may be renumbered:
renumbering is no edit of the record.

When two clones registered the same id (id.collision), renumber one of the
two records: with two files of OLD in the tree, say which with --file; when
a merge kept the file of one registration only, renumber OLD brings the
other back under NEW from its last version in history.

It refuses (exit 2, nothing changed) an unknown OLD, a NEW that is taken,
of another policy's prefix or year, and a case file with uncommitted
changes.`,
		Example: `  casebook renumber BANK-2026-0003
  casebook renumber BANK-2026-0003 BANK-2026-0011 --note "两个终端同时登记了同一编号"
  casebook renumber BANK-2026-0003 --file cases/2026/10/08/BANK-2026-0003/index.md`,
		Args:              cobra.RangeArgs(1, 2),
		ValidArgsFunction: completeIDs(app, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.x.Old = args[0]
			if len(args) > 1 {
				o.x.New = args[1]
			}
			return runRenumber(o)
		},
	}
	cmd.Flags().StringVar(&o.x.File, "file", "", "the `FILE` to renumber, when several files carry OLD")
	cmd.Flags().StringVar(&o.x.Note, "note", "", "a note for the audit trail (the commit message body)")
	o.w.register(cmd)
	return cmd
}

func runRenumber(o *renumberOptions) error {
	d, err := o.w.desk(o.app)
	if err != nil {
		return err
	}
	done, err := d.Renumber(o.x)
	if err != nil {
		return writeErr(err)
	}
	fmt.Fprintln(o.app.Out, o.app.say(msg.T("{old} → {new}：{file}（提交 {commit}）", "{old} -> {new}: {file} (commit {commit})"),
		msg.Args{"old": o.x.Old, "new": done.ID, "file": done.File, "commit": short7(done.Commit)}))
	return nil
}
