package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/release"
)

type versionOptions struct {
	app *App
}

func newVersionCmd(app *App) *cobra.Command {
	o := &versionOptions{app: app}
	return &cobra.Command{
		Use:     "version",
		Short:   "Print casebook's version",
		Example: "  casebook version",
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, args []string) error { return runVersion(o) },
	}
}

func runVersion(o *versionOptions) error {
	_, err := fmt.Fprintf(o.app.Out, "casebook %s\n", release.Module())
	return err
}
