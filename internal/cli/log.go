package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
)

type logOptions struct {
	app    *App
	id     string
	format string
	ids    bool
}

func newLogCmd(app *App) *cobra.Command {
	o := &logOptions{app: app}
	cmd := &cobra.Command{
		Use:   "log ID",
		Short: "Print the audit trail of one case, from git",
		Example: `  casebook log BANK-2026-0007
  casebook log BANK-2026-0007 --ids
  casebook log BANK-2026-0007 --format json`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeIDs(app, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.id = args[0]
			return runLog(o)
		},
	}
	cmd.Flags().StringVar(&o.format, "format", "text", "output `FORMAT`: text or json")
	cmd.Flags().BoolVar(&o.ids, "ids", false, "print the ids of states and fields instead of their labels")
	return cmd
}

func runLog(o *logOptions) error {
	if !validFormat(o.format, []string{"text", "json"}) {
		return usageErr("--format %q is not one of text, json", o.format)
	}
	off, r, notes, err := loadRecord(o.app, o.id)
	if err != nil {
		return err
	}
	if o.format == "json" {
		writeNotes(o.app.ErrOut, notes)
		return writeJSON(o.app.Out, eventsJSON(off, r))
	}
	writeNotes(o.app.Out, notes)
	writeLog(o.app.Out, off, r, viewOf(o.app, o.ids))
	return nil
}

// writeLog prints the trail: each step's time in the policy's time zone,
// its actor, the move by the states' labels (ids with --ids) and commit.
func writeLog(w io.Writer, off *office.Office, r *office.Record, v view) {
	steps := off.Trail(r)
	if len(steps) == 0 {
		fmt.Fprintln(w, v.say(msg.T("  （尚未提交）", "  (not committed yet)"), nil))
		return
	}
	p := r.Policy
	state := func(id string) string { return p.ValueText(policy.FieldStatus, id, v.Terms) }
	for _, s := range steps {
		t := s.Transition
		move := "新建 → " + state(t.To)
		if v.ids() {
			move = "new → " + t.To
		}
		if t.From != "" {
			move = state(t.From) + " → " + state(t.To)
		}
		if s.Correction != nil && !s.Correction.Undo() {
			changed := make([]string, len(t.Changed))
			for i, f := range t.Changed {
				changed[i] = f
				if !v.ids() {
					changed[i] = p.Label("field", f, v.Terms)
				}
			}
			move = v.say(msg.T("更正 {changed}", "更正 {changed}"), msg.Args{"changed": listOf(changed)})
		}
		if s.Renumbered != nil {
			move = "重新编号 " + s.Renumbered.From + " → " + s.Renumbered.To
		}
		fmt.Fprintf(w, "  %s  %s %s %s\n", p.TimeText(t.At), padCells(t.Actor, 8), padCells(move, 26), short7(t.Commit))
		if s.Correction != nil {
			writeCorrection(w, p, s.Correction, v)
			continue
		}
		if t.Note != "" {
			fmt.Fprintf(w, "      %s\n", strings.ReplaceAll(t.Note, "\n", "\n      "))
		}
	}
}

func short7(h string) string {
	if len(h) > 7 {
		return h[:7]
	}
	return h
}
