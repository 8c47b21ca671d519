package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/clerk"
	"github.com/casebook/casebook/internal/msg"
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
	say := func(w io.Writer, t msg.Text, args msg.Args) { fmt.Fprintln(w, o.app.say(t, args)) }
	switch {
	case rep.Fetched > 0:
		say(o.app.ErrOut, msg.T("casebook: 从 {target} 取回 {n} 个新提交", "casebook: fetched {n} new commits from {target}"), msg.Args{"n": rep.Fetched, "target": rep.Target})
	case rep.Fetched == 0:
		say(o.app.ErrOut, msg.T("casebook: {target} 没有新提交", "casebook: nothing new on {target}"), msg.Args{"target": rep.Target})
	}
	if rep.Resumed > 0 {
		say(o.app.ErrOut, msg.T("casebook: 本机的 {n} 个提交已在远端（由一次中断的同步推送），本地分支随之更新",
			"casebook: {n} commits of this clone were already on the remote, pushed by a sync that was interrupted; the branch follows them"), msg.Args{"n": rep.Resumed})
	}
	if rep.Replayed > 0 {
		say(o.app.ErrOut, msg.T("casebook: 已把本机的 {n} 个提交接在远端提交之后", "casebook: replayed {n} commits of this clone on top of the remote's"), msg.Args{"n": rep.Replayed})
	}
	for _, r := range rep.Renumbered {
		title := ""
		if r.Title != "" {
			title = " 「" + r.Title + "」"
		}
		say(o.app.Out, msg.T("已重新编号 {old} → {new}{title}：远端已把 {old} 给了另一件案件，请把新编号告知投诉人",
			"renumbered {old} -> {new}{title}: the remote had already given {old} to another case; tell the complainant the new number"),
			msg.Args{"old": r.Old, "new": r.New, "title": title})
	}
	if rep.Unsigned > 0 {
		say(o.app.ErrOut, msg.T("casebook: 接上的 {n} 个提交原有签名，现在没有了；运行 casebook sync --sign 为接上的提交签名",
			"casebook: {n} replayed commits were signed and are not any more; run casebook sync --sign to sign replayed commits"), msg.Args{"n": rep.Unsigned})
	}
	if rep.Pushed > 0 {
		say(o.app.ErrOut, msg.T("casebook: 已推送 {n} 个提交；两边都在 {head}", "casebook: pushed {n} commits; both are at {head}"), msg.Args{"n": rep.Pushed, "head": short7(rep.Head)})
	} else {
		say(o.app.ErrOut, msg.T("casebook: 已是最新，在 {head}", "casebook: up to date at {head}"), msg.Args{"head": short7(rep.Head)})
	}
	return nil
}
