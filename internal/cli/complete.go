package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/office"
)

// completeIDs offers the case ids of the repository for the first n
// arguments of a command: file names only, no parsing, so it is quick.
func completeIDs(app *App, n int) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if len(args) >= n {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		root, _, err := office.FindRoot(app.Dir)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		entries, _, err := cases.Discover(root)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []string
		for _, e := range entries {
			if id := cases.StemID(e.Path); strings.HasPrefix(id, toComplete) {
				out = append(out, id)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
