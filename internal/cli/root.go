package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/yamltext"
)

// Exit codes (DESIGN.md): 0 success, 1 findings of severity error or a move
// the policy forbids, 2 usage, configuration or input errors.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitUsage    = 2
)

// ExitError carries the exit code a failure maps to. A nil Err with Code 1
// means the output already said everything (validate found errors).
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// usageErr marks bad flags or arguments.
func usageErr(format string, args ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, args...)}
}

// App is what every command shares: streams and global flags.
type App struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	Dir    string
	NowArg string
	// LangArg is --lang as given; Lang is the language chosen from it and
	// the environment.
	LangArg string
	Lang    string
	// Getenv reads the environment (os.Getenv; a test's map).
	Getenv func(string) string
	// IsTerminal reports whether ErrOut is a terminal (progress output).
	IsTerminal bool
}

// Now returns --now, or the wall clock when it was not given.
func (a *App) Now() (time.Time, error) {
	if a.NowArg == "" {
		return time.Now(), nil
	}
	return ParseNow(a.NowArg)
}

// ParseNow reads --now: RFC 3339, a local date-time, or a date (its
// start), local times in Asia/Shanghai.
func ParseNow(s string) (time.Time, error) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	if why := yamltext.TimeCause(s); why != "" {
		return time.Time{}, usageErr("--now %q is not a time: %s (fix: use RFC 3339 such as 2026-10-12T09:00:00+08:00, or a date such as 2026-10-12)", s, why)
	}
	return time.Time{}, usageErr("--now %q is not a time (fix: use RFC 3339 such as 2026-10-12T09:00:00+08:00, or a date such as 2026-10-12)", s)
}

// NewRootCmd builds the command tree with the given streams.
func NewRootCmd(app *App) *cobra.Command {
	root := &cobra.Command{
		Use:   "casebook",
		Short: "Run a complaint office (投诉/信访/举报) from a git repository",
		Long: `casebook keeps every case as a Markdown file with YAML front-matter in a git
repository. git history is the audit trail; a policy file encodes the office's
procedure (states, deadlines in working days, escalation, confidentiality).`,
		Example: `  casebook validate --now 2026-11-26T18:00:00+08:00
  casebook list --overdue
  casebook show BANK-2026-0007
  casebook calendar --from 2026-09-28 --to 2026-10-12`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(app.In)
	root.SetOut(app.Out)
	root.SetErr(app.ErrOut)
	root.PersistentFlags().StringVarP(&app.Dir, "dir", "C", ".", "run in the repository around `DIR`")
	root.PersistentFlags().StringVar(&app.NowArg, "now", "", "judge time as of `TIME` (RFC 3339 or YYYY-MM-DD; default: the clock)")
	root.PersistentFlags().StringVar(&app.LangArg, "lang", "", "messages in `LANG`: zh (default) or en; default: en when LC_ALL, LC_MESSAGES or LANG begins with en (build and serve: the site's language, zh unless given)")
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		getenv := app.Getenv
		if getenv == nil {
			getenv = os.Getenv
		}
		lang, err := msg.Choose(app.LangArg, getenv)
		if err != nil {
			return &ExitError{Code: ExitUsage, Err: err}
		}
		app.Lang = lang
		return nil
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &ExitError{Code: ExitUsage, Err: fmt.Errorf("%w (see `%s --help`)", err, c.CommandPath())}
	})
	root.AddCommand(
		newVersionCmd(app),
		newValidateCmd(app),
		newShowCmd(app),
		newLogCmd(app),
		newListCmd(app),
		newStatsCmd(app),
		newCalendarCmd(app),
		newPolicyCmd(app),
		newInitCmd(app),
		newNewCmd(app),
		newMoveCmd(app),
		newSetCmd(app),
		newExtendCmd(app),
		newLinkCmd(app),
		newWithdrawCmd(app),
		newCorrectCmd(app),
		newRenumberCmd(app),
		newDemoCmd(app),
		newBuildCmd(app),
		newAggregateCmd(app),
		newServeCmd(app),
		newRekeyCmd(app),
		newDoctorCmd(app),
		newSyncCmd(app),
	)
	return root
}

// Run executes casebook with args and streams, returning the exit code.
func Run(args []string, in io.Reader, out, errOut io.Writer) int {
	app := &App{In: in, Out: out, ErrOut: errOut, IsTerminal: isTerminalWriter(errOut)}
	root := NewRootCmd(app)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		if ee.Err != nil {
			fmt.Fprintf(errOut, "casebook: %s\n", strings.TrimSpace(errorText(ee.Err, app.Lang)))
		}
		return ee.Code
	}
	fmt.Fprintf(errOut, "casebook: %s\n", strings.TrimSpace(errorText(err, app.Lang)))
	if isUsage(err) {
		return ExitUsage
	}
	return ExitUsage
}

// errorText is err in lang: an error that can say itself in either
// language (a file error) does, also when it is wrapped (msg.ErrorIn);
// others read as they are.
func errorText(err error, lang string) string {
	if lang == "" {
		lang = msg.Zh
	}
	return msg.ErrorIn(err, lang)
}

// isUsage recognises cobra's own argument errors.
func isUsage(err error) bool {
	s := err.Error()
	return strings.HasPrefix(s, "unknown command") || strings.Contains(s, "arg(s)") || strings.HasPrefix(s, "unknown flag")
}

// memoryLimit is the soft limit on the Go heap casebook runs under unless
// GOMEMLIMIT says otherwise (GOMEMLIMIT=off lifts it). An office keeps its
// cases and history alive while reading git and judging cases makes much
// short-lived garbage; left to GOGC alone, the heap of a twenty-thousand-
// case office grows to twice its live size, 650 MB on a first run. The
// limit collects earlier instead, at some cost in time on that first run;
// an office whose live data outgrow it still works, collecting more often
// (the runtime caps the collector's share of CPU).
const memoryLimit = 384 << 20

// buildMemoryLimit is the soft limit for build and serve, which hold an
// office's records while they render tens of thousands of pages: their
// live heap at 20,000 cases is close to memoryLimit, where the collector
// would run almost without pause. Issue #4 bounds a build at 1 GiB.
const buildMemoryLimit = 900 << 20

// largeBuildMemoryLimit is the soft limit for a build of 50,000 cases or
// more. Their live heap (every record, its fields and history, held for
// the summary pages) is about 1 GB at 100,000 cases: under
// buildMemoryLimit the collector ran without pause, and a build took
// 134 s and 1.1 GB, against 40 s and 2.1 GB under this one (Hugo takes
// 4.8 GB for the same files). bench/README.md has the figures.
const largeBuildMemoryLimit = 2 << 30

// relaxGC lets the heap of a build of fewer than 50,000 cases grow to
// four times its live size before collecting (GOGC=300), unless GOGC is
// set: a build makes tens of thousands of short-lived page buffers, and
// at 20,000 cases this saves a fifth of its CPU (bench/README.md), while
// buildMemoryLimit still bounds the heap. A larger office keeps the
// default, which keeps 100,000 cases under 1 GiB.
func relaxGC(cases int) {
	if _, ok := os.LookupEnv("GOGC"); ok || cases >= largeOffice {
		return
	}
	debug.SetGCPercent(300)
}

// largeOffice is the number of cases from which an office's live data
// need more than memoryLimit.
const largeOffice = 50000

// raiseMemoryLimit lifts the soft limit to at least n bytes, unless
// GOMEMLIMIT chose one.
func raiseMemoryLimit(n int64) {
	if _, ok := os.LookupEnv("GOMEMLIMIT"); ok {
		return
	}
	if debug.SetMemoryLimit(-1) < n {
		debug.SetMemoryLimit(n)
	}
}

// Main runs casebook on the process's arguments and streams.
func Main() int {
	if _, ok := os.LookupEnv("GOMEMLIMIT"); !ok {
		debug.SetMemoryLimit(memoryLimit)
	}
	return Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
}
