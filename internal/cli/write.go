package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/clerk"
	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/repo"
	"github.com/casebook/casebook/internal/seal"
)

// writeFlags are shared by every command that commits.
type writeFlags struct {
	actor    string
	signKey  string
	sign     bool
	identity identityFlag
}

func (w *writeFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&w.actor, "actor", "", "commit as `\"NAME <EMAIL>\"` (default: CASEBOOK_ACTOR, then git config user.name and user.email)")
	f.BoolVar(&w.sign, "sign", false, "sign the commit with the OpenPGP key in --sign-key or CASEBOOK_SIGNING_KEY")
	f.StringVar(&w.signKey, "sign-key", "", "armored OpenPGP private key `FILE` for --sign")
	w.identity.register(cmd)
}

// desk opens the repository for writing as the resolved actor.
func (w *writeFlags) desk(app *App) (*clerk.Desk, error) {
	root, r, err := office.FindRoot(app.Dir)
	if err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: err}
	}
	set, err := policy.LoadSet(root)
	if err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: err}
	}
	actor, err := repo.ResolveIdentity(r, w.actor)
	if err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: err}
	}
	d := &clerk.Desk{Root: root, Repo: r, Policies: set, Actor: actor}
	// Personal data is sealed whenever the repository declares recipients;
	// an identity is only needed to seal existing values again.
	if d.Recipients, err = seal.LoadRecipients(root); err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: err}
	}
	if d.Identities, err = w.identity.load(); err != nil {
		return nil, err
	}
	if app.NowArg != "" {
		now, err := app.Now()
		if err != nil {
			return nil, err
		}
		d.Now = func() time.Time { return now }
	}
	if w.sign {
		key, err := loadSigningKey(w.signKey)
		if err != nil {
			return nil, &ExitError{Code: ExitUsage, Err: err}
		}
		d.Sign = key
	}
	return d, nil
}

// deskFor opens the repository for writing to case id, with the case's
// policy and the --set values raw read against it.
func (w *writeFlags) deskFor(app *App, id string, raw []string) (*clerk.Desk, *policy.Policy, []cases.Set, error) {
	d, err := w.desk(app)
	if err != nil {
		return nil, nil, nil, err
	}
	p, err := policyOfCase(d, id)
	if err != nil {
		return nil, nil, nil, writeErr(err)
	}
	sets, err := parseSets(p, raw)
	if err != nil {
		return nil, nil, nil, writeErr(err)
	}
	return d, p, sets, nil
}

func loadSigningKey(file string) (*openpgp.Entity, error) {
	if file == "" {
		file = os.Getenv("CASEBOOK_SIGNING_KEY")
	}
	if file == "" {
		return nil, errors.New("--sign needs a key (fix: --sign-key FILE or CASEBOOK_SIGNING_KEY=FILE, an armored OpenPGP private key without passphrase)")
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	defer f.Close()
	list, err := openpgp.ReadArmoredKeyRing(f)
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w (fix: export it with gpg --export-secret-keys --armor)", file, err)
	}
	for _, e := range list {
		if e.PrivateKey != nil && !e.PrivateKey.Encrypted {
			return e, nil
		}
	}
	return nil, fmt.Errorf("signing key %s holds no unencrypted private key (fix: remove the passphrase from a key kept for casebook)", file)
}

// writeErr maps the clerk's errors to exit codes: what the policy forbids
// exits 1, bad input 2.
func writeErr(err error) error {
	var fe *clerk.ForbiddenError
	if errors.As(err, &fe) {
		return &ExitError{Code: ExitFindings, Err: err}
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return err
	}
	return &ExitError{Code: ExitUsage, Err: err}
}

// parseSets reads --set k=v flags against the case's policy.
func parseSets(p *policy.Policy, raw []string) ([]cases.Set, error) {
	var out []cases.Set
	for _, s := range raw {
		path, val, err := clerk.ParseAssignment(s)
		if err != nil {
			return nil, err
		}
		v, err := clerk.ParseValue(p, path, val)
		if err != nil {
			return nil, err
		}
		out = append(out, cases.Set{Path: path, Value: v})
	}
	return out, nil
}

// policyOfCase reads the policy of an existing case, for typing --set values.
func policyOfCase(d *clerk.Desk, id string) (*policy.Policy, error) {
	file, err := clerk.Locate(d.Root, id)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(d.Root + "/" + file)
	if err != nil {
		return nil, err
	}
	c, err := cases.Parse(file, data)
	if err != nil {
		return nil, &clerk.InputError{Msg: err.Error()}
	}
	if c.Policy != "" {
		p, ok := d.Policies.Get(c.Policy)
		if !ok {
			return nil, &clerk.InputError{Msg: fmt.Sprintf("%s: unknown policy %q", file, c.Policy)}
		}
		return p, nil
	}
	p, ok := d.Policies.Only()
	if !ok {
		return nil, &clerk.InputError{Msg: file + " names no policy and the repository has several"}
	}
	return p, nil
}

// isTerminal reports whether r is an interactive terminal (not merely a
// character device: /dev/null is one too).
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// ask prompts on ErrOut for each missing field and reads answers from In.
func ask(app *App, p *policy.Policy, paths []string) ([]cases.Set, error) {
	in := bufio.NewReader(app.In)
	var out []cases.Set
	for _, path := range paths {
		// An enum field's choices are listed with their labels; the
		// answer is a number, an id or a label.
		choices := p.Choices("value:" + path)
		for i, c := range choices {
			fmt.Fprintf(app.ErrOut, "  %d) %s %s\n", i+1, c.ID, p.Label("value:"+path, c.ID, "zh"))
		}
		for {
			fmt.Fprintf(app.ErrOut, "%s (%s): ", p.Label("field", path, "zh"), path)
			line, err := in.ReadString('\n')
			line = strings.TrimSpace(line)
			if err != nil && line == "" {
				return nil, &ExitError{Code: ExitUsage, Err: fmt.Errorf("no answer for %s", path)}
			}
			if line == "" {
				continue
			}
			if n, err := strconv.Atoi(line); err == nil && n >= 1 && n <= len(choices) {
				line = choices[n-1].ID
			}
			v, verr := clerk.ParseValue(p, path, line)
			if verr != nil {
				fmt.Fprintf(app.ErrOut, "  %v\n", verr)
				continue
			}
			out = append(out, cases.Set{Path: path, Value: v})
			break
		}
	}
	return out, nil
}

// sayMoved prints what a move did, after its warnings: "<ID>：已登记 →
// 已转办（提交 abc1234）", in English "<ID>: received -> assigned (commit
// abc1234)".
func sayMoved(app *App, p *policy.Policy, done clerk.Done) {
	warnDone(app, done)
	fmt.Fprintln(app.Out, app.say(msg.T("{id}：{from} → {to}（提交 {commit}）", "{id}: {from} -> {to} (commit {commit})"),
		msg.Args{"id": done.ID, "from": p.Term(policy.KindState, done.From), "to": p.Term(policy.KindState, done.To), "commit": short7(done.Commit)}))
}

// warnDone prints what an operation wants the clerk to know.
func warnDone(app *App, done clerk.Done) {
	for _, w := range done.Warnings {
		fmt.Fprintf(app.ErrOut, "casebook: warning: %s\n", w)
	}
}

// isTerminalWriter reports whether w is a terminal, where progress bars
// may be drawn; a pipe, a file or CI's log gets none.
func isTerminalWriter(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// termOf is a term of the policy of case id (see policy.Policy.Term) for
// a write command's success line: its Chinese label in Chinese words, the
// id in English ones, and the id alone when the case's policy cannot be
// read.
func termOf(d *clerk.Desk, id, kind, term string) msg.Label {
	p, err := policyOfCase(d, id)
	if err != nil {
		return msg.Label{ID: term}
	}
	return p.Term(kind, term)
}
