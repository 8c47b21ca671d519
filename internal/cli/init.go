package cli

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/release"
	"github.com/casebook/casebook/internal/scaffold"
	"github.com/casebook/casebook/policies"
)

type initOptions struct {
	app    *App
	w      writeFlags
	dir    string
	policy string
	office string
}

func newInitCmd(app *App) *cobra.Command {
	o := &initOptions{app: app, dir: "."}
	cmd := &cobra.Command{
		Use:   "init [DIR] --policy ID",
		Short: "Set up an office repository: folders, policy, README, CI, first commit",
		Long: `init creates a git repository in DIR (or adopts the one there) and writes
cases/, policies/<ID>.yaml (a copy the office may edit), templates/, site/ in
.gitignore, a short Chinese README for the clerks, and CI files for GitHub
Actions and GitLab that validate every push and publish the dashboard. It
never overwrites a file: running it again changes nothing and says so.`,
		Example: `  casebook init 投诉台账 --policy bank --office 城关农商银行监察室
  casebook init . --policy tendering --actor "杨帆 <yangfan@example.cn>"`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.dir = args[0]
			}
			return runInit(o)
		},
	}
	cmd.Flags().StringVar(&o.policy, "policy", "", "the procedure: bank, bankins, food, hotline, internet, market, tendering or xinfang")
	_ = cmd.MarkFlagRequired("policy")
	cmd.Flags().StringVar(&o.office, "office", "", "the office's `NAME` (城关农商银行监察室), written into the policy as office:; forms and pages print it for 某某")
	o.w.register(cmd)
	return cmd
}

func runInit(o *initOptions) error {
	dir := o.dir
	data, err := policies.FS.ReadFile(o.policy + ".yaml")
	if err != nil {
		set, _ := policy.LoadSet("")
		return usageErr("unknown policy %q (fix: use one of %s)", o.policy, strings.Join(set.IDs(), ", "))
	}
	if data, err = scaffold.WithOffice(data, o.office); err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	p, err := policy.Load("policies/"+o.policy+".yaml", data)
	if err != nil {
		return usageErr("--office %q: %v", o.office, err)
	}
	if dir != "." && !filepath.IsAbs(dir) && o.app.Dir != "." {
		dir = filepath.Join(o.app.Dir, dir)
	}
	req := scaffold.InitRequest{Dir: dir, Policy: p, PolicyYAML: data, Actor: o.w.actor, Office: o.office}
	if o.app.NowArg != "" {
		now, err := o.app.Now()
		if err != nil {
			return err
		}
		req.Now = func() time.Time { return now }
	}
	if o.w.sign {
		req.Sign = func() (*openpgp.Entity, error) { return loadSigningKey(o.w.signKey) }
	}
	res, err := scaffold.Init(req)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	if res.KeptPolicy != "" {
		fmt.Fprintf(o.app.ErrOut, "casebook: %s\n", o.app.say(msg.T("{file} 是本办公室自己的办法文件，保持原样：请手工在其中写入 office: {office}",
			"{file} is the office's own and is kept as it is: write `office: {office}` into it by hand"), msg.Args{"file": res.KeptPolicy, "office": o.office}))
	}
	if res.Commit == "" {
		fmt.Fprintln(o.app.Out, o.app.say(msg.T("{root} 已是 casebook 办公库（办法 {policy}），未作改动", "{root} is already a casebook office (policy {policy}); nothing changed"),
			msg.Args{"root": res.Root, "policy": p.ID}))
		return nil
	}
	done := msg.T("已接管办公库 {root}（办法 {policy}，提交 {commit}）", "adopted office repository {root} (policy {policy}, commit {commit})")
	if res.Created {
		done = msg.T("已创建办公库 {root}（办法 {policy}，提交 {commit}）", "created office repository {root} (policy {policy}, commit {commit})")
	}
	fmt.Fprintln(o.app.Out, o.app.say(done, msg.Args{"root": res.Root, "policy": p.ID, "commit": short7(res.Commit)}))
	for _, f := range res.Written {
		fmt.Fprintf(o.app.Out, "  %s\n", f)
	}
	fmt.Fprintln(o.app.Out, o.app.say(msg.T("下一步：\n  cd {root}\n  casebook new --title \"...\" --channel {channel}\n  casebook validate", "next:\n  cd {root}\n  casebook new --title \"...\" --channel {channel}\n  casebook validate"),
		msg.Args{"root": res.Root, "channel": firstChannel(p)}))
	if version := release.Module(); release.IsDev(version) && (slices.Contains(res.Written, scaffold.GitHubWorkflowPath) || slices.Contains(res.Written, scaffold.GitLabCIPath)) {
		fmt.Fprintf(o.app.ErrOut, "casebook: %s\n", msg.T(
			fmt.Sprintf("这是 casebook 的开发版（%s），CI 文件里写的就是这个版本，但 go install 装不到它：请把 %s 和 %s 里的 CASEBOOK_VERSION 改成已发布的版本（如 v1.0.0）", version, scaffold.GitHubWorkflowPath, scaffold.GitLabCIPath),
			fmt.Sprintf("this casebook is a development build (%s): the CI files pin it, but go install cannot fetch it (fix: set CASEBOOK_VERSION in %s and %s to a released version, e.g. v1.0.0)", version, scaffold.GitHubWorkflowPath, scaffold.GitLabCIPath),
		).In(o.app.Lang))
	}
	return nil
}

func firstChannel(p *policy.Policy) string {
	if len(p.Channels) > 0 {
		return p.Channels[0].ID
	}
	return "phone"
}
