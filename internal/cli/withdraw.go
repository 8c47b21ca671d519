package cli

import (
	"github.com/spf13/cobra"
)

type withdrawOptions struct {
	app       *App
	w         writeFlags
	id        string
	reason    string
	voluntary string
	sets      []string
}

func newWithdrawCmd(app *App) *cobra.Command {
	o := &withdrawOptions{app: app}
	cmd := &cobra.Command{
		Use:   "withdraw ID --reason TEXT --voluntary yes|no",
		Short: "Record a withdrawal, with its reason and whether it was voluntary",
		Long: `withdraw moves the case to its policy's withdrawn state and records what the
procedures ask: the reason, whether the complainant withdrew of their own will
and who checked it (bank 第十八条; when it was not voluntary the policy
requires the action taken, give it with --set accountability=...), and it is
refused where a verified violation must still be dealt with (tendering 第二十三条).`,
		Example: `  casebook withdraw BANK-2026-0008 --reason 客户表示问题已解决 --voluntary yes
  casebook withdraw BANK-2026-0009 --reason 客户称受到压力 --voluntary no --set accountability=已对相关人员立案调查`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.id = args[0]
			return runWithdraw(o)
		},
	}
	cmd.Flags().StringVar(&o.reason, "reason", "", "why the complainant withdraws")
	cmd.Flags().StringVar(&o.voluntary, "voluntary", "", "yes if the complainant withdrew of their own will, no if under pressure")
	cmd.Flags().StringArrayVar(&o.sets, "set", nil, "set a field on the way, `k=v`")
	_ = cmd.MarkFlagRequired("voluntary")
	o.w.register(cmd)
	return cmd
}

func runWithdraw(o *withdrawOptions) error {
	var vol bool
	switch o.voluntary {
	case "yes", "y", "true", "是":
		vol = true
	case "no", "n", "false", "否":
	default:
		return usageErr("--voluntary must be yes or no")
	}
	d, p, extra, err := o.w.deskFor(o.app, o.id, o.sets)
	if err != nil {
		return err
	}
	done, err := d.Withdraw(o.id, o.reason, vol, extra)
	if err != nil {
		return writeErr(err)
	}
	sayMoved(o.app, p, done)
	return nil
}
