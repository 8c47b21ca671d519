package cli

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/validate"
)

type validateOptions struct {
	app           *App
	format        string
	strict        bool
	since         string
	requireSigned bool
	keyring       string
	noCache       bool
	maxFindings   int
	identity      identityFlag
}

func newValidateCmd(app *App) *cobra.Command {
	o := &validateOptions{app: app}
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check every case against its policy and the git history",
		Long: `validate reads every case file under cases/ and the whole git history once,
and reports findings with stable codes (see the README). It exits 1 when a
finding has severity error, 2 on a usage or configuration error, 0 otherwise.`,
		Example: `  casebook validate
  casebook validate --now 2026-11-26T18:00:00+08:00 --format json
  casebook validate --format github --strict --since origin/main
  casebook validate --max-findings 0`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runValidate(o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "text", "output `FORMAT`: text, json, github or junit")
	f.BoolVar(&o.strict, "strict", false, "treat warnings as errors")
	f.StringVar(&o.since, "since", "", "report history.rewritten unless `REV` is an ancestor of HEAD; in a shallow clone, judge the cases registered after its boundary")
	f.BoolVar(&o.requireSigned, "require-signed", false, "report transition commits without a signature")
	f.StringVar(&o.keyring, "keyring", "", "with --require-signed: signatures must verify against the armored OpenPGP public keys in `FILE`")
	f.BoolVar(&o.noCache, "no-cache", false, "ignore the history cache under .git/casebook")
	f.IntVar(&o.maxFindings, "max-findings", 1000, "print at most `N` findings in text and github formats (0: all)")
	o.identity.register(cmd)
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(validate.Formats, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runValidate(o *validateOptions) error {
	if !validFormat(o.format, validate.Formats) {
		return usageErr("--format %q is not one of text, json, github, junit", o.format)
	}
	if o.maxFindings < 0 {
		return usageErr("--max-findings %d: give a count, or 0 to print every finding", o.maxFindings)
	}
	now, err := o.app.Now()
	if err != nil {
		return err
	}
	lopts := office.Options{NoCache: o.noCache}
	if !o.requireSigned && o.identity.path() == "" {
		// Cases whose findings validate.bin holds need not be decoded.
		lopts.CoreOnly = validate.CoreOnly(validate.Options{Now: now})
	}
	if office.Large(o.app.Dir) {
		// Its live heap outgrows memoryLimit: under it the collector
		// would run without pause (at 100,000 cases, three times the CPU).
		raiseMemoryLimit(buildMemoryLimit)
	}
	off, err := office.Load(o.app.Dir, lopts)
	if err == nil && len(off.Cases) >= largeOffice {
		raiseMemoryLimit(buildMemoryLimit)
	}
	if err != nil {
		var perrs msg.FileErrors
		var perr *msg.FileError
		if errors.As(err, &perrs) || errors.As(err, &perr) {
			return reportPolicyErrors(o.app, o.format, now, policy.ErrorList(err))
		}
		return &ExitError{Code: ExitUsage, Err: err}
	}
	ids, err := o.identity.load()
	if err != nil {
		return err
	}
	vopts := validate.Options{Now: now, Since: o.since, RequireSigned: o.requireSigned, Strict: o.strict, Identities: ids}
	if o.keyring != "" {
		if !o.requireSigned {
			return usageErr("--keyring needs --require-signed")
		}
		keys, err := os.ReadFile(o.keyring)
		if err != nil {
			return usageErr("--keyring: %v", err)
		}
		if vopts.Verify, err = history.SignatureVerifier(off.Repo, keys); err != nil {
			return usageErr("--keyring %s: %v (fix: export the trusted keys with gpg --export --armor)", o.keyring, err)
		}
	}
	rep, err := validate.Run(off, vopts)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	rep.Lang = o.app.Lang
	if err := checkWords(rep.Findings); err != nil {
		return err
	}
	if err := rep.Write(o.app.Out, o.format, o.maxFindings); err != nil {
		return err
	}
	if rep.Errors > 0 {
		return &ExitError{Code: ExitFindings}
	}
	return nil
}

// reportPolicyErrors prints policy problems as policy.invalid findings in
// the requested format and exits 2: nothing can be judged against a
// broken policy.
func reportPolicyErrors(app *App, format string, now time.Time, perrs msg.FileErrors) error {
	rep := &validate.Report{Now: now, CaseFiles: map[string]string{}, Lang: app.Lang}
	for _, e := range perrs {
		f := validate.Finding{Severity: validate.Codes["policy.invalid"], Code: "policy.invalid", File: e.File, Line: e.Line}
		f.SetText(e.Msg, e.Fix)
		rep.Findings = append(rep.Findings, f)
	}
	rep.Count()
	if err := rep.Write(app.Out, format, 0); err != nil {
		return err
	}
	return &ExitError{Code: ExitUsage, Err: errors.New(msg.T("政策文件有 %d 处问题；请先改正", "%d problems in policy files; fix them first").Sprintf(len(perrs)).In(app.Lang))}
}

func validFormat(f string, allowed []string) bool {
	for _, a := range allowed {
		if f == a {
			return true
		}
	}
	return false
}

// checkWords is a test aid: with CASEBOOK_CHECK_WORDS set (the
// testscripts set it), a finding whose words are not whole in both
// languages (validate.WordsProblem) fails the command, so that every
// finding any script provokes is checked to read in Chinese.
func checkWords(fs []validate.Finding) error {
	if os.Getenv("CASEBOOK_CHECK_WORDS") == "" {
		return nil
	}
	for _, f := range fs {
		if p := validate.WordsProblem(f); p != "" {
			return &ExitError{Code: 3, Err: fmt.Errorf("CASEBOOK_CHECK_WORDS: %s at %s:%d: %s: %s / %s", f.Code, f.File, f.Line, p, f.Message, f.MessageZh)}
		}
	}
	return nil
}
