package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
)

type policyCheckOptions struct {
	app   *App
	files []string
}

func newPolicyCheckCmd(app *App) *cobra.Command {
	o := &policyCheckOptions{app: app}
	return &cobra.Command{
		Use:   "check [FILE]...",
		Short: "Check policy files and report every problem with file:line",
		Long: `check loads policy files strictly and type-checks every condition. Without
arguments it checks the policies in force in the repository (the embedded
defaults outside one). It exits 2 when there is a problem.`,
		Example: `  casebook policy check
  casebook policy check policies/bank.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.files = args
			return runPolicyCheck(o)
		},
	}
}

func runPolicyCheck(o *policyCheckOptions) error {
	root := ""
	if r, _, err := office.FindRoot(o.app.Dir); err == nil {
		root = r
	}
	var errs msg.FileErrors
	if len(o.files) == 0 {
		if _, err := policy.LoadSet(root); err != nil {
			var perr *msg.FileError
			if !errors.As(err, &errs) && !errors.As(err, &perr) {
				return &ExitError{Code: ExitUsage, Err: err}
			}
			errs = policy.ErrorList(err)
		}
	} else {
		errs = policy.Check(root, o.files...)
	}
	for _, e := range errs {
		fmt.Fprintln(o.app.Out, e.In(o.app.Lang))
	}
	if len(errs) > 0 {
		return &ExitError{Code: ExitUsage, Err: errors.New(msg.T("%d 处问题", "%d problems").Sprintf(len(errs)).In(o.app.Lang))}
	}
	fmt.Fprintln(o.app.Out, msg.T("政策无误", "policies ok").In(o.app.Lang))
	return nil
}
