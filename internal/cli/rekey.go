package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/msg"

	"github.com/casebook/casebook/internal/office"
)

type rekeyOptions struct {
	app   *App
	w     writeFlags
	ids   []string
	all   bool
	force bool
}

func newRekeyCmd(app *App) *cobra.Command {
	o := &rekeyOptions{app: app}
	cmd := &cobra.Command{
		Use:   "rekey [ID...] [--all] [--identity FILE]",
		Short: "Seal personal data again for the recipients in policies/recipients.txt",
		Long: `rekey opens each sealed personal-data value of the cases with --identity (or
CASEBOOK_IDENTITY), checks that it belongs to its case and field, and seals
the same value again for the recipients now listed in policies/recipients.txt,
minus those the case leaves out (its respondent, its recused list). Personal
data still in plain text is sealed too. Values already sealed for exactly
those recipients are left alone unless --force. Each case is one commit,
"<ID>: rekey <fields>" with the trailers Casebook-Case and Casebook-Rekey;
the plaintext never changes, so validate does not count it as an edit of a
closed case.`,
		Example: `  casebook rekey --all --identity ~/.config/casebook/key.txt
  casebook rekey BANK-2026-0007 TENDER-2026-0003
  CASEBOOK_IDENTITY=key.txt casebook rekey --all --force`,
		ValidArgsFunction: completeIDs(app, 1<<20),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ids = args
			return runRekey(o)
		},
	}
	cmd.Flags().BoolVar(&o.all, "all", false, "every case of the repository")
	cmd.Flags().BoolVar(&o.force, "force", false, "seal again even values already sealed for the current recipients")
	o.w.register(cmd)
	return cmd
}

func runRekey(o *rekeyOptions) error {
	ids := o.ids
	if o.all == (len(ids) > 0) {
		return usageErr("give case ids or --all (fix: casebook rekey BANK-2026-0007, or casebook rekey --all)")
	}
	d, err := o.w.desk(o.app)
	if err != nil {
		return err
	}
	if d.Recipients == nil {
		return usageErr("the repository declares no recipients (fix: list age public keys in policies/recipients.txt, one per line)")
	}
	if o.all {
		off, err := office.Load(o.app.Dir, office.Options{NoHistory: true})
		if err != nil {
			return &ExitError{Code: ExitUsage, Err: err}
		}
		for _, c := range off.Cases {
			if c.ID != "" {
				ids = append(ids, c.ID)
			}
		}
	}
	// Every case is checked first: a refusal leaves all of them as they were.
	var refused []string
	for _, id := range ids {
		if err := d.RekeyCheck(id); err != nil {
			refused = append(refused, err.Error())
		}
	}
	if len(refused) > 0 {
		return &ExitError{Code: ExitUsage, Err: fmt.Errorf("nothing rekeyed: %s", strings.Join(refused, "\n"))}
	}
	changed := 0
	for _, id := range ids {
		done, err := d.Rekey(id, o.force)
		if err != nil {
			return writeErr(err)
		}
		if done.Unchanged {
			continue
		}
		changed++
		fmt.Fprintln(o.app.Out, o.app.say(msg.T("{id}：已重新加密（提交 {commit}）", "{id}: rekeyed (commit {commit})"), msg.Args{"id": done.ID, "commit": short7(done.Commit)}))
	}
	fmt.Fprintln(o.app.Out, o.app.say(msg.T("共 {total} 件，已重新加密 {n} 件", "{n} of {total} cases rekeyed"), msg.Args{"n": changed, "total": len(ids)}))
	return nil
}
