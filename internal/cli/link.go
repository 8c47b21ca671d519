package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/msg"
)

type linkOptions struct {
	app   *App
	w     writeFlags
	id    string
	other string
	as    string
}

func newLinkCmd(app *App) *cobra.Command {
	o := &linkOptions{app: app}
	cmd := &cobra.Command{
		Use:   "link ID OTHER --as repeat|duplicate|related",
		Short: "Record that a case repeats, duplicates or relates to another",
		Example: `  casebook link BANK-2026-0006 BANK-2026-0005 --as repeat
  casebook link ZB-2026-0010 ZB-2026-0004 --as duplicate`,
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: completeIDs(app, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.id, o.other = args[0], args[1]
			return runLink(o)
		},
	}
	cmd.Flags().StringVar(&o.as, "as", "related", "the relation: repeat, duplicate or related")
	o.w.register(cmd)
	return cmd
}

func runLink(o *linkOptions) error {
	d, err := o.w.desk(o.app)
	if err != nil {
		return err
	}
	done, err := d.Link(o.id, o.other, o.as)
	if err != nil {
		return writeErr(err)
	}
	warnDone(o.app, done)
	fmt.Fprintln(o.app.Out, o.app.say(msg.T("{id}：已关联 {other}，关系：{as}（提交 {commit}）", "{id}: linked to {other} as {as} (commit {commit})"),
		msg.Args{"id": done.ID, "other": o.other, "as": termOf(d, done.ID, "value:related.as", o.as), "commit": short7(done.Commit)}))
	return nil
}
