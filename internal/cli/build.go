package cli

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/export"
	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/site"
)

type buildOptions struct {
	app        *App
	out        string
	lang       string
	includePII bool
	audience   string
	baseURL    string
	noCache    bool
	identity   identityFlag
}

func newBuildCmd(app *App) *cobra.Command {
	o := &buildOptions{app: app}
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Render the dashboard and case pages into site/",
		Example: `  casebook build
  casebook build --out /tmp/site --lang en --now 2026-11-26
  casebook build --audience public --out public
  casebook build --audience public --base-url https://office.example.gitlab.io/cases/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runBuild(o) },
	}
	cmd.Flags().StringVar(&o.out, "out", "", "write the site to `DIR` (default: site/ of the repository)")
	cmd.Flags().BoolVar(&o.noCache, "no-cache", false, "ignore the caches under .git/casebook (the site is the same, only slower)")
	cmd.Flags().BoolVar(&o.includePII, "include-pii", false, "show complainants' personal data (never for anonymous cases); sealed values need --identity, else they read 已隐藏/withheld")
	cmd.Flags().StringVar(&o.audience, "audience", "internal", "`internal` (every page, for a host with access control) or public (statistics only: no cases, no names, counts under 3 withheld)")
	cmd.Flags().StringVar(&o.baseURL, "base-url", "", "the `URL` the site is published at: feed.xml and deadlines.ics link absolutely under it (empty: relative links)")
	o.identity.register(cmd)
	return cmd
}

func runBuild(o *buildOptions) error {
	o.lang = siteLang(o.app)
	audience, err := site.ParseAudience(o.audience)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	if audience == site.AudiencePublic && o.includePII {
		return &ExitError{Code: ExitUsage, Err: errors.New("--include-pii cannot go with --audience public: a public build never shows personal data (fix: drop one of them)")}
	}
	baseURL, err := export.ParseBaseURL(o.baseURL)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	now, err := o.app.Now()
	if err != nil {
		return err
	}
	raiseMemoryLimit(buildMemoryLimit)
	if office.Large(o.app.Dir) {
		raiseMemoryLimit(largeBuildMemoryLimit)
	}
	off, err := office.Load(o.app.Dir, office.Options{NoCache: o.noCache})
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	if len(off.Cases) >= largeOffice {
		raiseMemoryLimit(largeBuildMemoryLimit)
	}
	if err := needWholeHistory(off, "the site would show wrong deadline verdicts and statistics for the cases registered before it"); err != nil {
		return err
	}
	relaxGC(len(off.Cases))
	ids, err := o.identity.load()
	if err != nil {
		return err
	}
	// Sealed values never reach the pages as ciphertext: opened with the
	// identity when the site may show personal data, withheld otherwise.
	if !o.includePII {
		ids = nil
	}
	warnSealed(o.app.ErrOut, site.RevealPII(off, ids, o.lang))
	out := o.out
	if out != "" {
		if out, err = filepath.Abs(out); err != nil {
			return &ExitError{Code: ExitUsage, Err: err}
		}
	}
	opts := site.Options{Out: out, Now: now, Lang: o.lang, IncludePII: o.includePII, Audience: audience, BaseURL: baseURL}
	var bar *progressBar
	if o.app.IsTerminal {
		bar = &progressBar{w: o.app.ErrOut, label: "building site"}
		opts.Progress = bar.set
	}
	sum, err := site.Build(off, opts)
	bar.done()
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	index := sum.Index
	if rel, err := filepath.Rel(mustAbs(o.app.Dir), index); err == nil && filepath.IsLocal(rel) {
		index = rel
	}
	broken := ""
	if sum.Broken > 0 {
		broken = fmt.Sprintf(", %d unreadable case files (see casebook validate)", sum.Broken)
	}
	public := ""
	if audience == site.AudiencePublic {
		public = "public "
	}
	for _, w := range sum.Warnings {
		fmt.Fprintf(o.app.ErrOut, "casebook: warning: %s\n", w)
	}
	fmt.Fprintf(o.app.Out, "built %d %spages for %d cases%s (%d files written, %d removed); open %s\n",
		sum.Pages, public, sum.Cases, broken, sum.Written, sum.Removed, index)
	return nil
}

// progressBar draws "label [#####     ] 52% 10400/20000" on one terminal
// line, redrawn at most once per percent, and clears it when done.
type progressBar struct {
	w       io.Writer
	label   string
	percent int
	drawn   bool
}

func (b *progressBar) set(done, total int) {
	if total <= 0 {
		return
	}
	pc := done * 100 / total
	if b.drawn && pc == b.percent {
		return
	}
	b.percent, b.drawn = pc, true
	const width = 30
	fill := pc * width / 100
	fmt.Fprintf(b.w, "\r%s [%s%s] %3d%% %d/%d", b.label, strings.Repeat("#", fill), strings.Repeat(" ", width-fill), pc, done, total)
}

// done clears the bar's line; a nil bar does nothing.
func (b *progressBar) done() {
	if b == nil || !b.drawn {
		return
	}
	fmt.Fprint(b.w, "\r\033[K")
}

func mustAbs(dir string) string {
	if a, err := filepath.Abs(dir); err == nil {
		return a
	}
	return dir
}

// siteLang is the language of a site: --lang when given, else Chinese. The
// reader's environment does not choose it: the site is published for the
// office, whoever builds it.
func siteLang(app *App) string {
	if app.LangArg == "" {
		return msg.Zh
	}
	return app.Lang
}
