package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/msg"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/clerk"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/yamltext"
)

type newOptions struct {
	app        *App
	w          writeFlags
	policy     string
	title      string
	channel    string
	category   string
	receivedAt string
	sets       []string
	bodyFile   string
}

func newNewCmd(app *App) *cobra.Command {
	o := &newOptions{app: app}
	cmd := &cobra.Command{
		Use:   "new --title T --channel C [--category K] [--set k=v]...",
		Short: "Register a case: next id, a file by date received, one commit",
		Long: `new allocates the next id of the policy and year (<PREFIX>-<YYYY>-<NNNN>) under
the repository lock, writes cases/YYYY/MM/DD/<ID>.md in the policy's initial
state, checks it against the policy and commits it as "<ID>: new (<state>)".
It prints the new id. Missing required fields are asked for on a terminal;
elsewhere the command fails and lists them.`,
		Example: `  casebook new --title 柜台服务态度差 --channel visit --category attitude \
      --set complainant.name=王某 --set complainant.phone=13800000000
  casebook new --title 网银转账失败 --channel 电话 --category 服务态度
  casebook new --policy tendering --title 评标专家打招呼 --channel letter --body-file 举报信.md
  echo "## 投诉内容" | casebook new --title 网银转账失败 --channel online --body-file -`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runNew(o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.policy, "policy", "", "policy `ID` (default: the repository's only policy)")
	f.StringVar(&o.title, "title", "", "the case's title")
	f.StringVar(&o.channel, "channel", "", "how it came in (a channel of the policy: its id or label)")
	f.StringVar(&o.category, "category", "", "its category (a category of the policy: its id or label)")
	f.StringVar(&o.receivedAt, "received-at", "", "when it was received, `TIME` (default: now)")
	f.StringArrayVar(&o.sets, "set", nil, "set a field, `k=v` (nested: complainant.phone=...)")
	f.StringVar(&o.bodyFile, "body-file", "", "Markdown body from `FILE` (- for standard input)")
	o.w.register(cmd)
	return cmd
}

func runNew(o *newOptions) error {
	d, err := o.w.desk(o.app)
	if err != nil {
		return err
	}
	var p *policy.Policy
	if o.policy == "" {
		only, ok := d.Policies.Only()
		if !ok {
			return usageErr("this repository has several policies (fix: say which with --policy: %s)", strings.Join(d.Policies.IDs(), ", "))
		}
		p = only
	} else {
		if p, err = d.Policies.Lookup(o.policy); err != nil {
			return &ExitError{Code: ExitUsage, Err: err}
		}
	}
	nc := clerk.NewCase{Policy: p.ID, Title: o.title, Channel: o.channel, Category: o.category}
	if o.receivedAt != "" {
		t, ok := p.ParseTime(o.receivedAt)
		if !ok {
			why := yamltext.TimeCause(o.receivedAt)
			if why != "" {
				why = ": " + why
			}
			return usageErr("--received-at %q is not a time%s (fix: 2026-10-08T09:30:00+08:00, or 2026-10-08 09:30 in the policy's zone)", o.receivedAt, why)
		}
		nc.ReceivedAt = t
	}
	if nc.Sets, err = parseSets(p, o.sets); err != nil {
		return writeErr(err)
	}
	if o.bodyFile != "" {
		var data []byte
		if o.bodyFile == "-" {
			data, err = io.ReadAll(io.LimitReader(o.app.In, 1<<20))
		} else {
			data, err = os.ReadFile(o.bodyFile)
		}
		if err != nil {
			return usageErr("--body-file: %v", err)
		}
		nc.Body = string(data)
	}
	for attempt := 0; ; attempt++ {
		done, err := d.New(nc)
		var miss *clerk.MissingError
		if errors.As(err, &miss) && attempt == 0 && o.bodyFile != "-" && isTerminal(o.app.In) {
			more, aerr := askNew(o, &nc, p, miss.Paths)
			if aerr != nil {
				return aerr
			}
			nc.Sets = append(nc.Sets, more...)
			continue
		}
		if err != nil {
			return writeErr(err)
		}
		fmt.Fprintln(o.app.Out, done.ID)
		fmt.Fprintln(o.app.ErrOut, o.app.say(msg.T("casebook: 新案件 {id}，状态：{state}，文件：{file}（提交 {commit}）", "casebook: {id} registered as {state} in {file} (commit {commit})"),
			msg.Args{"id": done.ID, "state": p.Term(policy.KindState, done.To), "file": done.File, "commit": short7(done.Commit)}))
		return nil
	}
}

// askNew asks for the missing fields; title, channel and category are the
// command's own flags, the rest become --set values.
func askNew(o *newOptions, nc *clerk.NewCase, p *policy.Policy, paths []string) ([]cases.Set, error) {
	sets, err := ask(o.app, p, paths)
	if err != nil {
		return nil, err
	}
	var rest []cases.Set
	for _, s := range sets {
		switch s.Path {
		case "title":
			nc.Title = fmt.Sprint(s.Value)
		case "channel":
			nc.Channel = fmt.Sprint(s.Value)
		case "category":
			nc.Category = fmt.Sprint(s.Value)
		default:
			rest = append(rest, s)
		}
	}
	return rest, nil
}
