package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
)

type calendarOptions struct {
	app    *App
	from   string
	to     string
	policy string
	format string
	// --import and what goes with it.
	importFile string
	year       int
	write      bool
	replace    bool
	// skipUnmarked leaves out a feed's festivals and solar terms.
	skipUnmarked bool
	notice       string
	noticeDate   string
}

func newCalendarCmd(app *App) *cobra.Command {
	o := &calendarOptions{app: app}
	cmd := &cobra.Command{
		Use:   "calendar (--from DATE --to DATE | --import FILE.ics)",
		Short: "Print each day as working or rest, with the holiday's name and where it comes from",
		Long: `calendar prints the working-day calendar casebook counts deadlines with, so a
clerk can check it against the official notice. Each day says where it comes
from, highest precedence first: the policy's own calendar: overrides, the
office's days in policies/calendar.yaml, a year that file lists (with its
notice), or the State Council's statutory holidays and make-up working days
(调休) as lunar-go records them (with its version). On stderr it says which
version of policies/calendar.yaml it counts with (its last commit, or that
the copy on disk is not committed), each year the file lists that lunar-go
also has (the file wins; the days they differ on are named) and each year
nobody checked against its notice.

--import reads an office's holiday feed (an .ics file of all-day events named
"春节 休", "春节 班", "补班") and prints policies/calendar.yaml with the feed's
years added; --write writes it. Other years, their sources and the office's
days are kept; a year the file already lists with other days is refused
unless --replace. A year of the feed without 国庆节 is only part of its
notice and is left out unless --year names it. A feed that also holds
festivals and solar terms (Apple's 中国大陆节假日) needs --skip-unmarked,
which leaves out, and lists, every event that says neither 休 nor 班.
Review the result against the notice, set checked: true and checked_by:,
and commit it.`,
		Example: `  casebook calendar --from 2026-09-28 --to 2026-10-12
  casebook calendar --from 2026-02-10 --to 2026-03-01 --policy tendering
  casebook calendar --import holidays.ics --year 2028 --notice 国办发明电〔2027〕10号 --write`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runCalendar(o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.from, "from", "", "first `DATE` (YYYY-MM-DD)")
	f.StringVar(&o.to, "to", "", "last `DATE` (YYYY-MM-DD)")
	f.StringVar(&o.policy, "policy", "", "apply the overrides of policy `ID` (default: the repository's only policy, else none)")
	f.StringVar(&o.format, "format", "text", "output `FORMAT`: text or json")
	f.StringVar(&o.importFile, "import", "", "read the years of a holiday feed `FILE.ics` into policies/calendar.yaml")
	f.IntVar(&o.year, "year", 0, "with --import: only this `YEAR`")
	f.BoolVar(&o.write, "write", false, "with --import: write policies/calendar.yaml instead of printing it")
	f.BoolVar(&o.replace, "replace", false, "with --import: replace a year the file lists with other days")
	f.BoolVar(&o.skipUnmarked, "skip-unmarked", false, "with --import: leave out events that say neither 休 nor 班 (a feed's festivals and solar terms), listing them")
	f.StringVar(&o.notice, "notice", "", "with --import: the `NUMBER` of the State Council notice the feed follows (国办发明电〔2027〕10号)")
	f.StringVar(&o.noticeDate, "notice-date", "", "with --import: the notice's `DATE` (YYYY-MM-DD)")
	return cmd
}

type calendarDay struct {
	Date    string `json:"date"`
	Weekday string `json:"weekday"`
	Working bool   `json:"working"`
	Holiday string `json:"holiday,omitempty"`
	MakeUp  bool   `json:"makeup"`
	// Source is the kind of day: 国务院办公厅 (a day of a notice), weekday
	// rule, office, policy or no data.
	Source string `json:"source"`
	// Origin is where the day comes from: the library and its version,
	// policies/calendar.yaml and the year's notice, or the policy.
	Origin string `json:"origin"`
}

var weekdaysZh = []string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// runCalendar prints the days asked for, or with --import reads a feed.
func runCalendar(o *calendarOptions) error {
	if o.importFile != "" {
		return runCalendarImport(o)
	}
	if !validFormat(o.format, []string{"text", "json"}) {
		return usageErr("--format %q is not one of text, json", o.format)
	}
	for _, f := range []struct{ name, v string }{{"from", o.from}, {"to", o.to}} {
		if f.v == "" {
			return usageErr("required flag(s) %q not set (fix: give --from DATE --to DATE, or --import FILE.ics)", f.name)
		}
	}
	if o.year != 0 || o.write || o.replace || o.skipUnmarked || o.notice != "" || o.noticeDate != "" {
		return usageErr("--year, --write, --replace, --skip-unmarked, --notice and --notice-date go with --import FILE.ics")
	}
	from, err := parseDay("from", o.from)
	if err != nil {
		return err
	}
	to, err := parseDay("to", o.to)
	if err != nil {
		return err
	}
	if to.Before(*from) {
		return usageErr("--to %s is before --from %s", o.to, o.from)
	}
	if from.AddDays(3660).Before(*to) {
		return usageErr("the range is longer than ten years (fix: ask for a shorter range)")
	}
	cal, p, err := o.calendar()
	if err != nil {
		return err
	}
	policyID := ""
	if p != nil {
		policyID = p.ID
	}
	var days []calendarDay
	for _, d := range cal.Days(*from, *to) {
		cd := calendarDay{Date: d.Date.String(), Weekday: weekdaysZh[d.Date.Weekday()], Working: d.Working, Holiday: d.Holiday, MakeUp: d.MakeUp,
			Source: d.Kind(), Origin: cal.Origin(d, "policies/"+policy.CalendarFile, policyID)}
		days = append(days, cd)
	}
	if o.format == "json" {
		return writeJSON(o.app.Out, days)
	}
	tw := tabwriter.NewWriter(o.app.Out, 0, 4, 2, ' ', 0)
	noData := false
	for _, d := range days {
		kind := "休息 rest"
		if d.Working {
			kind = "工作 working"
		}
		note := d.Holiday
		if d.MakeUp {
			note = "调休上班 " + note
		}
		if d.Source == "no data" {
			note = "(无节假日数据 no holiday data)"
			noData = true
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.Date, d.Weekday, kind, d.Origin, note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if noData {
		fmt.Fprintln(o.app.ErrOut, "casebook: warning: some days fall in a year without holiday data; they are counted by weekday only (calendar.no_data)")
	}
	o.fileNotes(cal.File(), from.Year, to.Year)
	return nil
}

// fileNotes says, on the error stream, what the days printed cannot: the
// version of policies/calendar.yaml they come from (its last commit, or
// that the copy on disk is not committed), each year from first to last
// that the file lists although lunar-go has it too (the file wins) and
// each year nobody checked against its notice.
func (o *calendarOptions) fileNotes(f *calendar.File, first, last int) {
	if f == nil {
		return
	}
	const file = "policies/" + policy.CalendarFile
	if root, repo, err := office.FindRoot(o.app.Dir); err == nil {
		data, rerr := os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
		v, verr := history.VersionOf(repo, file, data)
		switch {
		case rerr != nil || verr != nil:
			fmt.Fprintf(o.app.ErrOut, "casebook: %s: version unknown: %v\n", file, errors.Join(rerr, verr))
		case v.Commit == "":
			fmt.Fprintf(o.app.ErrOut, "casebook: %s: not committed yet; its days count, but the audit trail does not show them (commit the file)\n", file)
		case !v.Committed:
			fmt.Fprintf(o.app.ErrOut, "casebook: %s: changed on disk since %s; its days count, but the audit trail does not show the change (commit the file)\n", file, v)
		default:
			fmt.Fprintf(o.app.ErrOut, "casebook: %s: %s\n", file, v)
		}
	}
	for y := first; y <= last; y++ {
		yr, ok := f.Years[y]
		if !ok {
			continue
		}
		if known, days := f.LibraryDiffers(y); known {
			differ := "they agree on every day"
			if len(days) > 0 {
				var list []string
				for _, d := range days[:min(len(days), 10)] {
					list = append(list, d.String())
				}
				if len(days) > 10 {
					list = append(list, "…")
				}
				differ = fmt.Sprintf("%s differs on %d days: %s", calendar.Library(), len(days), strings.Join(list, ", "))
			}
			fmt.Fprintf(o.app.ErrOut, "casebook: %s lists %d, which %s also has: the file's days are counted (%s)\n", file, y, calendar.Library(), differ)
		}
		if !yr.Source.Checked {
			what := yr.Source.Notice
			if what == "" {
				what = "feed " + yr.Source.Feed
			}
			fmt.Fprintf(o.app.ErrOut, "casebook: %s: %d is not checked against its notice (%s, checked: false); compare every day, then set checked: true and checked_by:\n", file, y, what)
		}
	}
}

// calendar is the calendar to print, and the policy whose overrides it
// applies (nil for none).
func (o *calendarOptions) calendar() (*calendar.Calendar, *policy.Policy, error) {
	var p *policy.Policy
	set, err := policySetAround(o.app.Dir)
	if err != nil {
		return nil, nil, &ExitError{Code: ExitUsage, Err: err}
	}
	if o.policy != "" {
		var ok bool
		p, ok = set.Get(o.policy)
		if !ok {
			return nil, nil, usageErr("unknown policy %q (known: %v)", o.policy, set.IDs())
		}
	} else if only, ok := set.Only(); ok {
		p = only
	}
	if p != nil {
		c, _ := deadline.CalendarFor(p)
		return c, p, nil
	}
	loc, _ := policy.DefaultLocation()
	return calendar.New(loc, calendar.WithFile(set.Calendar())), nil, nil
}

// runCalendarImport reads a holiday feed into policies/calendar.yaml.
func runCalendarImport(o *calendarOptions) error {
	if o.from != "" || o.to != "" || o.policy != "" || o.format != "text" {
		return usageErr("--import writes policies/calendar.yaml; --from, --to, --policy and --format do not go with it")
	}
	data, err := readFeed(o.importFile)
	if err != nil {
		return usageErr("read the feed: %v (fix: give the path of an .ics file)", err)
	}
	feed, skipped, ferrs := calendar.ImportFeed(data, o.skipUnmarked)
	if len(ferrs) > 0 {
		for _, e := range ferrs {
			e.File = o.importFile
			fmt.Fprintln(o.app.ErrOut, e.In(o.app.Lang))
		}
		return &ExitError{Code: ExitUsage, Err: errors.New(msg.T("%[2]s 里有 %[1]d 处问题；什么也没写", "%d problems in %s; nothing written").Sprintf(len(ferrs), o.importFile).In(o.app.Lang))}
	}
	for _, sk := range skipped {
		fmt.Fprintf(o.app.ErrOut, "%s:%d: left out: %q says neither 休 nor 班\n", o.importFile, sk.Line, sk.Summary)
	}
	src := calendar.YearSource{Notice: o.notice, Feed: filepath.Base(o.importFile)}
	if o.noticeDate != "" {
		d, err := parseDay("notice-date", o.noticeDate)
		if err != nil {
			return err
		}
		src.Date = *d
	}
	var years []*calendar.Year
	for y, b := range feed {
		if o.year == 0 || y == o.year {
			years = append(years, &calendar.Year{Year: y, Source: src, Block: *b})
		}
	}
	slices.SortFunc(years, func(a, b *calendar.Year) int { return a.Year - b.Year })
	// A year the file lists has data, so a year of which the feed holds a
	// few days only (the next year's 元旦, before its notice is out) would
	// hide calendar.no_data for the whole year: it is left out unless
	// --year names it.
	read := len(years)
	years = slices.DeleteFunc(years, func(y *calendar.Year) bool {
		if !y.Block.Partial(y.Year) {
			return false
		}
		if o.year != 0 {
			fmt.Fprintf(o.app.ErrOut, "casebook: warning: %s has no 国庆节 in %d, so it holds only part of the year's notice; imported as --year asks, but every day it does not list counts by weekday without calendar.no_data\n", o.importFile, y.Year)
			return false
		}
		fmt.Fprintf(o.app.ErrOut, "casebook: %s: %d left out: the feed has no 国庆节 in it, so it holds only part of the year's notice (fix: import it once the notice is out, or give --year %d to take the part)\n", o.importFile, y.Year, y.Year)
		return true
	})
	if len(years) == 0 {
		if read > 0 {
			return usageErr("nothing to import: %s holds only part of each year's notice", o.importFile)
		}
		if o.year != 0 {
			return usageErr("%s has no days in %d", o.importFile, o.year)
		}
		return usageErr("%s has no holiday events", o.importFile)
	}
	root, _, err := office.FindRoot(o.app.Dir)
	if err != nil && o.write {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	var path string
	var old []byte
	if err == nil {
		path = filepath.Join(root, "policies", policy.CalendarFile)
		// Neither read through a link (it could point anywhere) nor
		// replace it: policies/ is read only from inside the repository.
		if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
			return usageErr("policies/%s is not a regular file (a symbolic link or a folder); nothing written (fix: replace it with the file itself)", policy.CalendarFile)
		}
		if old, err = os.ReadFile(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return &ExitError{Code: ExitUsage, Err: err}
		}
	}
	if _, ferrs := calendar.ParseFile(old); old != nil && len(ferrs) > 0 {
		for _, e := range ferrs {
			e.File = "policies/" + policy.CalendarFile
			fmt.Fprintln(o.app.ErrOut, e.In(o.app.Lang))
		}
		return &ExitError{Code: ExitUsage, Err: errors.New(msg.T("policies/%[2]s 里有 %[1]d 处问题；请先改正，什么也没写", "%d problems in policies/%s; fix them first, nothing written").Sprintf(len(ferrs), policy.CalendarFile).In(o.app.Lang))}
	}
	out, merges, err := calendar.MergeFileYears(old, years, o.replace)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	if !o.write {
		_, err := o.app.Out.Write(out)
		return err
	}
	if err := writeFileAtomic(path, out); err != nil {
		return err
	}
	for _, m := range merges {
		fmt.Fprintf(o.app.ErrOut, "policies/%s: %d %s\n", policy.CalendarFile, m.Year, m.Action)
	}
	fmt.Fprintln(o.app.ErrOut, "casebook: check every day against the notice, set checked: true and checked_by:, then commit the file")
	return nil
}

// maxFeedBytes bounds a holiday feed: the public ones, festivals and
// several years included, are a few hundred kilobytes.
const maxFeedBytes = 8 << 20

// readFeed reads a holiday feed, refusing what is not a regular file
// (/dev/zero, a FIFO that would wait for a writer) and what is larger than
// maxFeedBytes, before reading it.
func readFeed(name string) ([]byte, error) {
	fi, err := os.Stat(name)
	switch {
	case err != nil:
		return nil, err
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("%s is not a regular file", name)
	case fi.Size() > maxFeedBytes:
		return nil, fmt.Errorf("%s is %d bytes, more than a holiday feed's %d", name, fi.Size(), maxFeedBytes)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFeedBytes+1))
	if err == nil && len(data) > maxFeedBytes {
		err = fmt.Errorf("%s grew past %d bytes while it was read", name, maxFeedBytes)
	}
	return data, err
}

// writeFileAtomic replaces path with data, or leaves it as it was.
func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".calendar-*.yaml")
	if err != nil {
		return err
	}
	// CreateTemp makes the file 0600; the calendar file is read by every
	// clerk, so it keeps the mode the file had, or gets 0644.
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	_, werr := tmp.Write(data)
	merr := tmp.Chmod(mode)
	cerr := tmp.Close()
	if err := errors.Join(werr, merr, cerr); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// policySetAround loads the policies of the repository around dir, or the
// embedded defaults outside a repository.
func policySetAround(dir string) (*policy.Set, error) {
	root, _, err := office.FindRoot(dir)
	if err != nil {
		root = ""
	}
	return policy.LoadSet(root)
}
