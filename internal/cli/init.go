package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/gitdir"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/repo"
	"github.com/casebook/casebook/internal/scaffold"
	"github.com/casebook/casebook/policies"
)

type initOptions struct {
	app    *App
	w      writeFlags
	policy string
	office string
}

func newInitCmd(app *App) *cobra.Command {
	o := &initOptions{app: app}
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
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			return runInit(o, dir)
		},
	}
	cmd.Flags().StringVar(&o.policy, "policy", "", "the procedure: bank, bankins, food, hotline, internet, market, tendering or xinfang")
	_ = cmd.MarkFlagRequired("policy")
	cmd.Flags().StringVar(&o.office, "office", "", "the office's `NAME` (城关农商银行监察室), written into the policy as office:; forms and pages print it for 某某")
	o.w.register(cmd)
	return cmd
}

func runInit(o *initOptions, dir string) error {
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
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	r, err := gitdir.Open(dir, false)
	created := false
	if errors.Is(err, git.ErrRepositoryNotExists) {
		r, err = git.PlainInitWithOptions(dir, &git.PlainInitOptions{
			InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName("main")},
		})
		created = true
	}
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: fmt.Errorf("%s: %w", dir, err)}
	}
	wt, err := r.Worktree()
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: fmt.Errorf("%s is a bare repository (fix: init a directory with a work tree)", dir)}
	}
	root := wt.Filesystem.Root()
	actor, err := repo.ResolveIdentity(r, o.w.actor)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	files, err := scaffold.Files(scaffold.Office{PolicyID: p.ID, PolicyName: p.Name.Zh, Prefix: p.Prefix, PolicyYAML: data,
		OfficeName: p.Office, Example: scaffold.ExampleOf(p)})
	if err != nil {
		return err
	}
	var changes []repo.Change
	var written []string
	for _, f := range files {
		full := filepath.Join(root, filepath.FromSlash(f.Path))
		old, err := os.ReadFile(full)
		switch {
		case err == nil && f.Path == ".gitignore":
			// Adopt an existing .gitignore: add only the lines it lacks.
			add := missingLines(old, scaffold.GitignoreLines)
			if add == "" {
				continue
			}
			if len(old) > 0 && !bytes.HasSuffix(old, []byte("\n")) {
				old = append(old, '\n')
			}
			changes = append(changes, repo.Change{Path: f.Path, Data: append(old, add...)})
		case err == nil && o.office != "" && f.Path == "policies/"+p.ID+".yaml" && !bytes.Equal(old, f.Data):
			fmt.Fprintf(o.app.ErrOut, "%s is the office's own and is kept as it is: write `office: %s` into it by hand\n", f.Path, o.office)
			continue
		case err == nil:
			continue // never overwrite the office's own files
		case errors.Is(err, os.ErrNotExist):
			changes = append(changes, repo.Change{Path: f.Path, Data: f.Data})
		default:
			return &ExitError{Code: ExitUsage, Err: err}
		}
		written = append(written, f.Path)
	}
	if len(changes) == 0 {
		fmt.Fprintf(o.app.Out, "%s is already a casebook office (policy %s); nothing changed\n", root, p.ID)
		return nil
	}
	var w writeFlags = o.w
	req := repo.CommitRequest{Changes: changes, Author: actor,
		Message: fmt.Sprintf("casebook init --policy %s\n\n%s\n\nCasebook-Init: %s\n", p.ID, strings.Join(written, "\n"), p.ID)}
	if o.app.NowArg != "" {
		now, err := o.app.Now()
		if err != nil {
			return err
		}
		req.Now = func() time.Time { return now }
	}
	if w.sign {
		key, err := loadSigningKey(w.signKey)
		if err != nil {
			return &ExitError{Code: ExitUsage, Err: err}
		}
		req.Sign = key
	}
	res, err := repo.Commit(r, root, req)
	if err != nil {
		return writeErr(err)
	}
	verb := "adopted"
	if created {
		verb = "created"
	}
	fmt.Fprintf(o.app.Out, "%s office repository %s (policy %s, commit %s)\n", verb, root, p.ID, short7(res.Commit.String()))
	for _, f := range written {
		fmt.Fprintf(o.app.Out, "  %s\n", f)
	}
	fmt.Fprintf(o.app.Out, "next:\n  cd %s\n  casebook new --title \"...\" --channel %s\n  casebook validate\n", root, firstChannel(p))
	return nil
}

func missingLines(have []byte, want []string) string {
	lines := map[string]bool{}
	for _, l := range strings.Split(string(have), "\n") {
		lines[strings.TrimSpace(l)] = true
	}
	var b strings.Builder
	for _, l := range want {
		if !lines[l] {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

func firstChannel(p *policy.Policy) string {
	if len(p.Channels) > 0 {
		return p.Channels[0].ID
	}
	return "phone"
}
