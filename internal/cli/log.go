package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/office"
)

type logOptions struct {
	app    *App
	id     string
	format string
}

func newLogCmd(app *App) *cobra.Command {
	o := &logOptions{app: app}
	cmd := &cobra.Command{
		Use:   "log ID",
		Short: "Print the audit trail of one case, from git",
		Example: `  casebook log BANK-2026-0007
  casebook log BANK-2026-0007 --format json`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeIDs(app, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.id = args[0]
			return runLog(o)
		},
	}
	cmd.Flags().StringVar(&o.format, "format", "text", "output `FORMAT`: text or json")
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
	writeLog(o.app.Out, off, r)
	return nil
}

func writeLog(w io.Writer, off *office.Office, r *office.Record) {
	steps := off.Trail(r)
	if len(steps) == 0 {
		fmt.Fprintln(w, "  (not committed yet)")
		return
	}
	p := r.Policy
	for _, s := range steps {
		t := s.Transition
		move := "new → " + t.To
		if t.From != "" {
			move = t.From + " → " + t.To
		}
		if s.Correction != nil && !s.Correction.Undo() {
			move = "更正 " + strings.Join(t.Changed, ", ")
		}
		if s.Renumbered != nil {
			move = "重新编号 " + s.Renumbered.From + " → " + s.Renumbered.To
		}
		fmt.Fprintf(w, "  %s  %-8s %-26s %s  %s\n", t.At.Format("2006-01-02 15:04"), t.Actor, move, short7(t.Commit), p.Label("state", t.To, "zh"))
		if s.Correction != nil {
			writeCorrection(w, s.Correction)
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
