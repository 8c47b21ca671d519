package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

type policyListOptions struct {
	app *App
}

func newPolicyListCmd(app *App) *cobra.Command {
	o := &policyListOptions{app: app}
	return &cobra.Command{
		Use:     "list",
		Short:   "List the policies in force: embedded defaults and the repository's own",
		Example: "  casebook policy list",
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, args []string) error { return runPolicyList(o) },
	}
}

func runPolicyList(o *policyListOptions) error {
	set, err := policySetAround(o.app.Dir)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	tw := tabwriter.NewWriter(o.app.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\t名称\t前缀\t状态数\t时限\t来源")
	for _, id := range set.IDs() {
		p, _ := set.Get(id)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", p.ID, p.Name.Zh, p.Prefix, len(p.States), strings.Join(p.DeadlineIDs(), ","), set.Source(id))
	}
	return tw.Flush()
}
