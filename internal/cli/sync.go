package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/clerk"
	"github.com/casebook/casebook/internal/remote"
)

type syncOptions struct {
	app    *App
	w      writeFlags
	remote string
	branch string
}

func newSyncCmd(app *App) *cobra.Command {
	o := &syncOptions{app: app}
	cmd := &cobra.Command{
		Use:   "sync [--remote NAME] [--branch B]",
		Short: "Exchange work with the office's shared remote: fetch, replay local commits, push",
		Long: `sync fetches the remote branch, replays the commits of this clone that the
remote lacks on top of it, file by file, and pushes the result; the local branch
and the work tree then follow. A case registered here under an id the remote
has meanwhile given to another case is renumbered to the next free id on the
way (file renamed, id changed, trailer "Casebook-Renumbered: OLD -> NEW"), and
sync says so. When a commit of this clone and one of the remote changed the
same case, sync stops before pushing and changes nothing: merge with git,
then sync again. Without network, with refused credentials or a refused push
it exits 2 and keeps every local commit.

The remote is the branch's upstream, else "origin"; the branch is the
upstream branch, else the one checked out. Replayed commits keep their author
and author date (the moment of each transition) and get the clerk running
sync as committer, dated --now or the clock.`,
		Example: `  casebook sync
  casebook sync --remote origin --branch main`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runSync(o) },
	}
	cmd.Flags().StringVar(&o.remote, "remote", "", "the remote `NAME` (default: the branch's upstream, else origin)")
	cmd.Flags().StringVar(&o.branch, "branch", "", "the remote branch `B` (default: the branch's upstream, else the current one)")
	o.w.register(cmd)
	return cmd
}

func runSync(o *syncOptions) error {
	d, err := o.w.desk(o.app)
	if err != nil {
		return err
	}
	rep, err := d.Sync(context.Background(), clerk.SyncOptions{Remote: o.remote, Branch: o.branch})
	if err != nil {
		var re *remote.Error
		if errors.As(err, &re) {
			return &ExitError{Code: ExitUsage, Err: err}
		}
		return writeErr(err)
	}
	switch {
	case rep.Fetched > 0:
		fmt.Fprintf(o.app.ErrOut, "casebook: fetched %d new commits from %s\n", rep.Fetched, rep.Target)
	case rep.Fetched == 0:
		fmt.Fprintf(o.app.ErrOut, "casebook: nothing new on %s\n", rep.Target)
	}
	if rep.Resumed > 0 {
		fmt.Fprintf(o.app.ErrOut, "casebook: %d commits of this clone were already on the remote, pushed by a sync that was interrupted; the branch follows them\n", rep.Resumed)
	}
	if rep.Replayed > 0 {
		fmt.Fprintf(o.app.ErrOut, "casebook: replayed %d commits of this clone on top of the remote's\n", rep.Replayed)
	}
	for _, r := range rep.Renumbered {
		title := ""
		if r.Title != "" {
			title = " 「" + r.Title + "」"
		}
		fmt.Fprintf(o.app.Out, "renumbered %s -> %s%s: the remote had already given %s to another case; tell the complainant the new number\n",
			r.Old, r.New, title, r.Old)
	}
	if rep.Unsigned > 0 {
		fmt.Fprintf(o.app.ErrOut, "casebook: %d replayed commits were signed and are not any more; run casebook sync --sign to sign replayed commits\n", rep.Unsigned)
	}
	if rep.Pushed > 0 {
		fmt.Fprintf(o.app.ErrOut, "casebook: pushed %d commits; both are at %s\n", rep.Pushed, short7(rep.Head))
	} else {
		fmt.Fprintf(o.app.ErrOut, "casebook: up to date at %s\n", short7(rep.Head))
	}
	return nil
}
