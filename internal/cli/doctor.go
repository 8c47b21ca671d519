package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/doctor"
)

type doctorOptions struct {
	app    *App
	repair bool
	format string
}

func newDoctorCmd(app *App) *cobra.Command {
	o := &doctorOptions{app: app}
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check the repository's health: git objects, casebook's caches and lock",
		Long: `doctor checks git objects through go-git (loose objects inflate and hash to
their names, packs match their checksums, refs and commits lead to objects that
exist, HEAD's tree is complete), the caches under .git/casebook (each checks out
and the history cache agrees with git) and the repository lock (a stale lock of a
killed run). It changes nothing unless --repair is given; --repair then does only
what is safe: it takes over a stale lock as the next write command would
(finishing or undoing the interrupted commit's index), deletes damaged or
inconsistent cache files (derived data, rebuilt by the next command) and
temporary files of killed runs. It never touches objects or refs: damaged ones
are reported with what to run.

Exit status: 0 when nothing is left to do, 1 when problems remain (run
--repair, or follow the fix for damaged objects), 2 on a usage error.`,
		Example: `  casebook doctor
  casebook doctor --repair
  casebook doctor --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runDoctor(o) },
	}
	cmd.Flags().BoolVar(&o.repair, "repair", false, "repair what is safe: a stale lock, damaged caches, leftover temporary files")
	cmd.Flags().StringVar(&o.format, "format", "text", "output `FORMAT`: text or json")
	return cmd
}

func runDoctor(o *doctorOptions) error {
	if !validFormat(o.format, []string{"text", "json"}) {
		return usageErr("--format %q is not one of text, json", o.format)
	}
	// Locks record the wall clock; --now, when given, stands in for it.
	now, err := o.app.Now()
	if err != nil {
		return err
	}
	rep, err := doctor.Run(o.app.Dir, doctor.Options{Repair: o.repair, Now: now})
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	if o.format == "json" {
		err = writeJSON(o.app.Out, rep)
	} else {
		err = writeDoctor(o.app.Out, rep)
	}
	if err != nil {
		return err
	}
	if !rep.Healthy() {
		return &ExitError{Code: ExitFindings}
	}
	return nil
}

func writeDoctor(w io.Writer, rep *doctor.Report) error {
	for _, f := range rep.Findings {
		loc := f.Path
		if loc == "" {
			loc = "."
		}
		sev := string(f.Severity)
		if f.Repaired != "" {
			sev = "repaired"
		}
		fmt.Fprintf(w, "%s: %s %s: %s\n", loc, sev, f.Code, f.Message)
		switch {
		case f.Repaired != "":
			fmt.Fprintf(w, "\tdone: %s\n", f.Repaired)
		case f.Fix != "":
			fmt.Fprintf(w, "\tfix: %s\n", f.Fix)
		}
	}
	state := "healthy"
	if !rep.Healthy() {
		state = fmt.Sprintf("%d problems left", rep.Problems)
	}
	_, err := fmt.Fprintf(w, "%d objects, %d commits checked; %d repaired; %s\n", rep.Objects, rep.Commits, rep.Repaired, state)
	return err
}
