package cli

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/site"
)

type buildOptions struct {
	app        *App
	out        string
	lang       string
	includePII bool
}

func newBuildCmd(app *App) *cobra.Command {
	o := &buildOptions{app: app}
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Render the dashboard and case pages into site/",
		Example: `  casebook build
  casebook build --out /tmp/site --lang en --now 2026-11-26`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runBuild(o) },
	}
	cmd.Flags().StringVar(&o.out, "out", "", "write the site to `DIR` (default: site/ of the repository)")
	cmd.Flags().StringVar(&o.lang, "lang", "zh", "labels in `LANG`: zh or en")
	cmd.Flags().BoolVar(&o.includePII, "include-pii", false, "show complainants' personal data (never for anonymous cases)")
	return cmd
}

func runBuild(o *buildOptions) error {
	if o.lang != "zh" && o.lang != "en" {
		return usageErr("--lang %q is not zh or en", o.lang)
	}
	now, err := o.app.Now()
	if err != nil {
		return err
	}
	off, err := office.Load(o.app.Dir, office.Options{})
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	out := o.out
	if out != "" {
		if out, err = filepath.Abs(out); err != nil {
			return &ExitError{Code: ExitUsage, Err: err}
		}
	}
	sum, err := site.Build(off, site.Options{Out: out, Now: now, Lang: o.lang, IncludePII: o.includePII})
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	index := sum.Index
	if rel, err := filepath.Rel(mustAbs(o.app.Dir), index); err == nil && filepath.IsLocal(rel) {
		index = rel
	}
	fmt.Fprintf(o.app.Out, "built %d pages for %d cases; open %s\n", sum.Pages, sum.Cases, index)
	return nil
}

func mustAbs(dir string) string {
	if a, err := filepath.Abs(dir); err == nil {
		return a
	}
	return dir
}
