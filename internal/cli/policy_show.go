package cli

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/policies"
)

type policyShowOptions struct {
	app  *App
	name string
	raw  bool
}

func newPolicyShowCmd(app *App) *cobra.Command {
	o := &policyShowOptions{app: app}
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a policy: states, fields, categories, channels, clocks",
		Long: `show prints a policy for the clerk: its states, transitions, categories and
channels with their labels; every field with its label, type, allowed values
and the states that require it; and every clock with its period, start,
stop, pauses, lapses, reports, extension and basis. The policy is named by
its id or its Chinese or English name.`,
		Example: `  casebook policy show bank
  casebook policy show 信访工作条例
  casebook policy show tendering --yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.name = args[0]
			return runPolicyShow(o)
		},
	}
	cmd.Flags().BoolVar(&o.raw, "yaml", false, "print the policy file itself")
	return cmd
}

func runPolicyShow(o *policyShowOptions) error {
	set, err := policySetAround(o.app.Dir)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	p, err := set.Lookup(o.name)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	if o.raw {
		data, err := policySource(o.app.Dir, set, p.ID)
		if err != nil {
			return err
		}
		_, err = o.app.Out.Write(data)
		return err
	}
	writePolicy(o.app.Out, p, set.Source(p.ID))
	return nil
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

func writePolicy(w io.Writer, p *policy.Policy, source string) {
	fmt.Fprintf(w, "%s  %s / %s  (prefix %s, %s, from %s)\n", p.ID, p.Name.Zh, p.Name.En, p.Prefix, p.Location, source)
	if p.Office != "" {
		fmt.Fprintf(w, "单位 office: %s\n", p.Office)
	} else {
		fmt.Fprintf(w, "单位 office: (未填 not set; 表单和页面写“%s” forms and pages print it)\n", cmp.Or(p.OfficePlaceholder, policy.DefaultOfficePlaceholder))
	}
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
		name := p.Label(policy.KindState, t.To, "zh")
		if t.Zh != "" {
			name = t.Zh + ", " + name
		}
		fmt.Fprintf(w, "  %s -> %s (%s)%s\n", strings.Join(t.From, "|"), t.To, name, extra)
	}
	fmt.Fprintln(w, "\n类别 categories:")
	for _, c := range p.Categories {
		fmt.Fprintf(w, "  %-16s %s (%s)\n", c.ID, c.Zh, c.Class)
	}
	fmt.Fprintln(w, "\n渠道 channels:")
	for _, c := range p.Channels {
		fmt.Fprintf(w, "  %-16s %s\n", c.ID, c.Zh)
	}
	fmt.Fprintln(w, "\n字段 fields:")
	writePolicyFields(w, p, "", p.Fields)
	fmt.Fprintln(w, "\n时限 deadlines:")
	for _, d := range p.Deadlines {
		writeDeadlineRule(w, p, d)
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

// writePolicyFields lists fields, sub-fields indented under their parent:
// path, label, type; then the allowed values and the states that require
// the field (see policy.Policy.FieldRequirements).
func writePolicyFields(w io.Writer, p *policy.Policy, prefix string, fields []policy.Field) {
	indent := strings.Repeat("  ", strings.Count(prefix, "."))
	for _, f := range fields {
		path := prefix + f.Name
		typ := string(f.Type)
		if f.Type == policy.TypeList {
			typ += " of " + string(cmp.Or(f.Items, policy.TypeString))
		}
		pii := ""
		if f.PII {
			pii = "  个人信息 personal data"
		}
		if f.Confidential {
			pii += "  保密 confidential"
		}
		fmt.Fprintf(w, "  %s%-22s %s / %s  %s%s\n", indent, path, f.Zh, f.En, typ, pii)
		if len(f.Values) > 0 {
			fmt.Fprintf(w, "  %s    取值 values: %s\n", indent, policy.ChoiceList(f.Values))
		}
		for _, req := range p.FieldRequirements(path) {
			line := "必填 required in: " + stateNames(p, req.States)
			if req.Escalation != "" {
				line = "升级 " + p.Label("escalation", req.Escalation, "zh") + " (" + req.Escalation + ") 时必填 required in: " + stateNames(p, req.States)
				if len(req.States) == 0 {
					line = "升级 " + p.Label("escalation", req.Escalation, "zh") + " (" + req.Escalation + ") 时必填 required after the initial state"
				}
			}
			if req.When != "" {
				line += " when " + req.When
			}
			fmt.Fprintf(w, "  %s    %s\n", indent, line)
		}
		writePolicyFields(w, p, path+".", f.Fields)
	}
}

// stateNames are states by label and id: "已回复 (replied), 已办结 (closed)".
func stateNames(p *policy.Policy, ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = p.Label(policy.KindState, id, "zh") + " (" + id + ")"
	}
	return strings.Join(out, ", ")
}

// writeDeadlineRule prints a clock: its period in Chinese and as written,
// when it starts and stops, and its pauses, lapses, report, extension and
// basis where it has them.
func writeDeadlineRule(w io.Writer, p *policy.Policy, d policy.DeadlineRule) {
	period := d.Duration
	if pd, err := calendar.ParsePeriod(d.Duration); err == nil {
		period = pd.Zh() + " (" + d.Duration + ")"
	}
	start := "受理时 received_at"
	switch {
	case d.Start.State != "":
		start = "进入 " + stateNames(p, []string{d.Start.State})
	case d.Start.Field != "":
		start = p.Label(policy.KindField, d.Start.Field, "zh") + " (" + d.Start.Field + ")"
	}
	fmt.Fprintf(w, "  %-10s %s: %s\n", d.ID, d.Zh, period)
	line := func(name, value string) {
		if value != "" {
			fmt.Fprintf(w, "      %s: %s\n", name, value)
		}
	}
	line("起算 start", start)
	stop := stateNames(p, d.Stop)
	if d.StopField != "" {
		stop = strings.TrimPrefix(stop+", "+p.Label(policy.KindField, d.StopField, "zh")+" ("+d.StopField+")", ", ")
	}
	line("截止 stop", stop)
	line("适用 when", d.When)
	line("暂停 pause in", stateNames(p, d.PauseIn))
	line("失效 lapse in", stateNames(p, d.Lapse))
	if d.Report != nil {
		report := p.Label(policy.KindField, d.Report.Field, "zh") + " (" + d.Report.Field + ")"
		if d.Report.Every != "" {
			report += ", every " + periodZh(d.Report.Every)
		}
		line("报告 report", report)
	}
	if d.Extension != nil {
		ext := "至多 max " + periodZh(d.Extension.Max)
		if d.Extension.Max == "" {
			ext = "不限 no maximum"
		}
		if d.Extension.Approver != "" {
			ext += ", 批准 approver " + d.Extension.Approver
		}
		line("延期 extension", ext)
	}
	line("工作时间 hours", d.Hours)
	line("依据 basis", d.Basis)
}

// periodZh is a policy's period in Chinese: "3个月"; as written when it
// is not one.
func periodZh(s string) string {
	if pd, err := calendar.ParsePeriod(s); err == nil {
		return pd.Zh()
	}
	return s
}
