package cli

import (
	"github.com/spf13/cobra"
)

// newPolicyCmd groups the policy subcommands, one file each:
// policy_list.go, policy_show.go, policy_check.go.
func newPolicyCmd(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "List, show and check policies",
		Example: `  casebook policy list
  casebook policy show bank
  casebook policy check policies/bank.yaml`,
	}
	cmd.AddCommand(newPolicyListCmd(app), newPolicyShowCmd(app), newPolicyCheckCmd(app))
	return cmd
}
