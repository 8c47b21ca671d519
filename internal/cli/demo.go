package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/demo"
)

type demoOptions struct {
	app        *App
	dir        string
	cases      int
	seed       uint64
	policy     string
	recipients string
	office     string
}

func newDemoCmd(app *App) *cobra.Command {
	o := &demoOptions{app: app, dir: "casebook-demo"}
	cmd := &cobra.Command{
		Use:   "demo [DIR] [--cases N] [--seed S] [--policy ID|all]",
		Short: "Build a demonstration office with months of realistic history",
		Long: `demo creates a new git repository in DIR (default casebook-demo; it must be new
or empty) and fills it with N cases of the chosen procedures, registered and
moved by the offices' clerks through the same checks as new and move, over
the six months before ` + demo.DefaultEnd.Format("2006-01-02 15:04") + ` (Asia/Shanghai), or
before --now. Some cases are late, some withdrawn, extended, complained about
again; the newest are still open. The same seed gives the same commits.`,
		Example: `  casebook demo
  casebook demo office --cases 10000 --seed 7
  casebook demo bank-only --policy bank --cases 50 --now 2026-10-31
  casebook demo chengguan --policy bank --cases 40 --office 城关农商银行监察室`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.dir = args[0]
			}
			return runDemo(o)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.cases, "cases", 200, "how many cases")
	f.Uint64Var(&o.seed, "seed", 1, "random seed: the same seed gives the same repository")
	f.StringVar(&o.policy, "policy", "all", "policy `ID`s, comma-separated, or all")
	f.StringVar(&o.office, "office", "", "name the office `NAME` in its policies (office:)")
	f.StringVar(&o.recipients, "recipients", "", "commit recipients `FILE` as policies/recipients.txt and seal every case's personal data for it")
	return cmd
}

func runDemo(o *demoOptions) error {
	dir := o.dir
	if o.cases < 1 {
		return usageErr("--cases %d (fix: give at least 1)", o.cases)
	}
	if !filepath.IsAbs(dir) && o.app.Dir != "." {
		dir = filepath.Join(o.app.Dir, dir)
	}
	opts := demo.Options{Cases: o.cases, Seed: o.seed, Office: o.office}
	if o.recipients != "" {
		data, err := os.ReadFile(o.recipients)
		if err != nil {
			return usageErr("--recipients: %v", err)
		}
		opts.Recipients = data
	}
	for _, id := range strings.Split(o.policy, ",") {
		if id = strings.TrimSpace(id); id != "" {
			opts.Policies = append(opts.Policies, id)
		}
	}
	for _, id := range opts.Policies {
		if id != "all" && !slices.Contains(demo.AllPolicies, id) {
			return usageErr("--policy %q (fix: use all or some of %s)", id, strings.Join(demo.AllPolicies, ", "))
		}
	}
	if o.app.NowArg != "" {
		now, err := o.app.Now()
		if err != nil {
			return err
		}
		opts.End = now
	}
	start := time.Now()
	sum, err := demo.Build(dir, opts)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	took := time.Since(start)
	abs, _ := filepath.Abs(dir)
	end := sum.End.Format(time.RFC3339)
	w := o.app.Out
	fmt.Fprintf(w, "created demo office %s: %d cases, %d commits, %s to %s, in %.1fs\n", abs, total(sum.Cases), sum.Commits,
		sum.Start.Format("2006-01-02"), sum.End.Format("2006-01-02"), took.Seconds())
	for _, id := range sum.Policies {
		fmt.Fprintf(w, "  %-10s %6d cases\n", id, sum.Cases[id])
	}
	fmt.Fprintf(w, "next:\n  cd %s\n  casebook validate --now %s\n  casebook list --overdue --now %s\n  casebook show %s --now %s\n  casebook stats --by month --now %s\n",
		dir, end, end, sum.Sample, end, end)
	return nil
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
