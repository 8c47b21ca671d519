package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/policies"
)

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

func newPolicyListCmd(app *App) *cobra.Command {
	return &cobra.Command{
		Use:     "list",
		Short:   "List the policies in force: embedded defaults and the repository's own",
		Example: "  casebook policy list",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			set, err := policySetAround(app.Dir)
			if err != nil {
				return &ExitError{Code: ExitUsage, Err: err}
			}
			tw := tabwriter.NewWriter(app.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\t名称\t前缀\t状态数\t时限\t来源")
			for _, id := range set.IDs() {
				p, _ := set.Get(id)
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", p.ID, p.Name.Zh, p.Prefix, len(p.States), strings.Join(p.DeadlineIDs(), ","), set.Source(id))
			}
			return tw.Flush()
		},
	}
}

func newPolicyShowCmd(app *App) *cobra.Command {
	var raw bool
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a policy: states, transitions, categories, channels, clocks",
		Example: `  casebook policy show bank
  casebook policy show tendering --yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			set, err := policySetAround(app.Dir)
			if err != nil {
				return &ExitError{Code: ExitUsage, Err: err}
			}
			p, ok := set.Get(args[0])
			if !ok {
				return usageErr("unknown policy %q (known: %s)", args[0], strings.Join(set.IDs(), ", "))
			}
			if raw {
				data, err := policySource(app.Dir, set, p.ID)
				if err != nil {
					return err
				}
				_, err = app.Out.Write(data)
				return err
			}
			writePolicy(app, p, set.Source(p.ID))
			return nil
		},
	}
	cmd.Flags().BoolVar(&raw, "yaml", false, "print the policy file itself")
	return cmd
}

func policySource(dir string, set *policy.Set, id string) ([]byte, error) {
	src := set.Source(id)
	if strings.HasPrefix(src, "embedded") || src == "" {
		return policies.FS.ReadFile(id + ".yaml")
	}
	root, _, err := office.FindRoot(dir)
	if err == nil && !filepath.IsAbs(src) {
		src = filepath.Join(root, src)
	}
	return os.ReadFile(src)
}

func writePolicy(app *App, p *policy.Policy, source string) {
	w := app.Out
	fmt.Fprintf(w, "%s  %s / %s  (prefix %s, %s, from %s)\n", p.ID, p.Name.Zh, p.Name.En, p.Prefix, p.Location, source)
	fmt.Fprintln(w, "\n状态 states:")
	for _, s := range p.States {
		var marks []string
		if s.Initial {
			marks = append(marks, "initial")
		}
		if s.Terminal {
			marks = append(marks, "terminal")
		}
		fmt.Fprintf(w, "  %-14s %s / %s %s\n", s.ID, s.Zh, s.En, strings.Join(marks, ","))
	}
	fmt.Fprintln(w, "\n流转 transitions:")
	for _, t := range p.Transitions {
		extra := ""
		if t.Reopen {
			extra = " (reopen)"
		}
		if t.When != "" {
			extra += " when " + t.When
		}
		fmt.Fprintf(w, "  %s -> %s%s\n", strings.Join(t.From, "|"), t.To, extra)
	}
	fmt.Fprintln(w, "\n类别 categories:")
	for _, c := range p.Categories {
		fmt.Fprintf(w, "  %-16s %s (%s)\n", c.ID, c.Zh, c.Class)
	}
	fmt.Fprintln(w, "\n渠道 channels:")
	for _, c := range p.Channels {
		fmt.Fprintf(w, "  %-16s %s\n", c.ID, c.Zh)
	}
	fmt.Fprintln(w, "\n时限 deadlines:")
	for _, d := range p.Deadlines {
		start := "received_at"
		switch {
		case d.Start.State != "":
			start = "entering " + d.Start.State
		case d.Start.Field != "":
			start = d.Start.Field
		}
		stop := strings.Join(d.Stop, "|")
		if d.StopField != "" {
			stop = strings.TrimPrefix(stop+"|"+d.StopField, "|")
		}
		cond := ""
		if d.When != "" {
			cond = " when " + d.When
		}
		fmt.Fprintf(w, "  %-10s %s: %s from %s until %s%s %s\n", d.ID, d.Zh, d.Duration, start, stop, cond, d.Basis)
	}
	if len(p.Escalations) > 0 {
		fmt.Fprintln(w, "\n升级 escalations:")
		for _, e := range p.Escalations {
			fmt.Fprintf(w, "  %-10s %s (%s) when %s\n", e.ID, e.Zh, e.Severity, e.When)
		}
	}
	if len(p.Rules) > 0 {
		fmt.Fprintln(w, "\n规则 rules:")
		for _, r := range p.Rules {
			fmt.Fprintf(w, "  %-22s %s %s\n", r.ID, r.Message, r.Basis)
		}
	}
}

func newPolicyCheckCmd(app *App) *cobra.Command {
	return &cobra.Command{
		Use:   "check [FILE]...",
		Short: "Check policy files and report every problem with file:line",
		Long: `check loads policy files strictly and type-checks every condition. Without
arguments it checks the policies in force in the repository (the embedded
defaults outside one). It exits 2 when there is a problem.`,
		Example: `  casebook policy check
  casebook policy check policies/bank.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			root := ""
			if r, _, err := office.FindRoot(app.Dir); err == nil {
				root = r
			}
			var errs policy.Errors
			if len(args) == 0 {
				if _, err := policy.LoadSet(root); err != nil {
					var perr *policy.Error
					if !errors.As(err, &errs) && !errors.As(err, &perr) {
						return &ExitError{Code: ExitUsage, Err: err}
					}
					errs = policy.ErrorList(err)
				}
			} else {
				errs = policy.Check(root, args...)
			}
			for _, e := range errs {
				fmt.Fprintln(app.Out, e.Error())
			}
			if len(errs) > 0 {
				return &ExitError{Code: ExitUsage, Err: fmt.Errorf("%d problems", len(errs))}
			}
			fmt.Fprintln(app.Out, "policies ok")
			return nil
		},
	}
}
