package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/site"
	"github.com/casebook/casebook/internal/stats"
)

type aggregateOptions struct {
	app     *App
	offices []string
	list    string
	out     string
}

func newAggregateCmd(app *App) *cobra.Command {
	o := &aggregateOptions{app: app}
	cmd := &cobra.Command{
		Use:   "aggregate --office NAME=PATH... [--offices FILE] [--out DIR]",
		Short: "Build one dashboard over several offices' stats.json",
		Long: `aggregate reads the stats.json that casebook build writes into every site, one
per office, and builds one static dashboard comparing the offices: side by
side, per procedure, and month by month (received, closed, on-time rate,
overdue). PATH is a built site (a folder holding stats.json) or the file
itself; --offices FILE lists NAME=PATH lines (# comments and blank lines
are skipped; a relative PATH is read from FILE's folder).

An office whose stats.json is missing, broken, of another format or of an
unknown version is shown as missing with the reason, and a warning goes to
stderr; the others are counted, and aggregate exits 0. It exits 2 when no
office could be read, or for bad arguments.`,
		Example: `  casebook aggregate --office 城关=offices/chengguan/site --office 西关=offices/xiguan/stats.json
  casebook aggregate --offices offices.txt --out public --lang en`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runAggregate(o) },
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.offices, "office", nil, "an office as `NAME=PATH` (a built site or its stats.json); repeat for each")
	f.StringVar(&o.list, "offices", "", "read NAME=PATH lines from `FILE`")
	f.StringVar(&o.out, "out", "", "write the dashboard to `DIR` (default: aggregate/)")
	return cmd
}

// officeArg is one office named on the command line or in --offices.
type officeArg struct {
	name, path string
	// where is "--office" or "FILE:LINE", for problems.
	where string
}

func runAggregate(o *aggregateOptions) error {
	lang := o.app.Lang
	args, err := o.officeArgs()
	if err != nil {
		return err
	}
	var now time.Time
	if o.app.NowArg != "" {
		if now, err = o.app.Now(); err != nil {
			return err
		}
	}
	var offices []site.OfficeStats
	var read int
	for _, a := range args {
		f, err := stats.Open(a.path)
		offices = append(offices, site.OfficeStats{Name: a.name, Path: a.path, Stats: f, Err: err})
		if err != nil {
			fmt.Fprintln(o.app.ErrOut, msg.T("casebook: 警告：单位 {name} 未能读取，按缺失列出：{why}",
				"casebook: warning: office {name} could not be read and is shown as missing: {why}").With(msg.Args{"name": a.name, "why": errorText(err, lang)}).In(lang))
			continue
		}
		read++
	}
	if read == 0 {
		return &ExitError{Code: ExitUsage, Err: fmt.Errorf("%s", msg.T(
			"没有一个单位的 stats.json 能读取，未生成汇总（修正：先用 casebook build 构建各单位的站点，或检查路径）",
			"no office's stats.json could be read; nothing was written (fix: build the offices' sites with casebook build, or check the paths)").In(lang))}
	}
	out := o.out
	if out == "" {
		out = filepath.Join(o.app.Dir, "aggregate")
	}
	if out, err = filepath.Abs(out); err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	sum, err := site.Aggregate(offices, site.AggregateOptions{Out: out, Lang: siteLang(o.app), Now: now})
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	index := sum.Index
	if rel, err := filepath.Rel(mustAbs(o.app.Dir), index); err == nil && filepath.IsLocal(rel) {
		index = rel
	}
	fmt.Fprintln(o.app.Out, msg.T("已汇总 {read} 个单位（{missing} 个未能读取），共 {pages} 个页面（写入 {written} 个文件，删除 {removed} 个）；打开 {index}",
		"aggregated {read} offices ({missing} could not be read) into {pages} pages ({written} files written, {removed} removed); open {index}").With(
		msg.Args{"read": sum.Read, "missing": sum.Missing, "pages": sum.Pages, "written": sum.Written, "removed": sum.Removed, "index": index}).In(lang))
	return nil
}

// officeArgs reads --office and --offices, in that order: each office
// once, by a name that is not empty.
func (o *aggregateOptions) officeArgs() ([]officeArg, error) {
	lang := o.app.Lang
	var args []officeArg
	for _, s := range o.offices {
		a, ok := splitOffice(s)
		if !ok {
			return nil, usageErr("%s", msg.T("--office {arg} 不是 名称=路径（修正：--office 城关=offices/chengguan/site）",
				"--office {arg} is not NAME=PATH (fix: --office 城关=offices/chengguan/site)").With(msg.Args{"arg": fmt.Sprintf("%q", s)}).In(lang))
		}
		a.path = o.resolve(a.path)
		a.where = "--office"
		args = append(args, a)
	}
	if o.list != "" {
		listed, err := readOfficeList(o.resolve(o.list))
		if err != nil {
			return nil, &ExitError{Code: ExitUsage, Err: err}
		}
		args = append(args, listed...)
	}
	if len(args) == 0 {
		return nil, usageErr("%s", msg.T("没有给出单位（修正：--office 名称=路径，或 --offices 文件）",
			"no offices given (fix: --office NAME=PATH, or --offices FILE)").In(lang))
	}
	seen := map[string]string{}
	for _, a := range args {
		if first, dup := seen[a.name]; dup {
			return nil, usageErr("%s", msg.T("单位 {name} 给了两次（{first} 和 {again}）（修正：每个单位一个名称）",
				"office {name} is given twice ({first} and {again}) (fix: give each office its own name)").With(
				msg.Args{"name": fmt.Sprintf("%q", a.name), "first": first, "again": a.where}).In(lang))
		}
		seen[a.name] = a.where
	}
	return args, nil
}

// resolve reads a relative path from -C DIR.
func (o *aggregateOptions) resolve(path string) string {
	if filepath.IsAbs(path) || o.app.Dir == "." {
		return path
	}
	return filepath.Join(o.app.Dir, path)
}

// splitOffice reads NAME=PATH, both sides trimmed and not empty.
func splitOffice(s string) (officeArg, bool) {
	name, path, ok := strings.Cut(s, "=")
	name, path = strings.TrimSpace(name), strings.TrimSpace(path)
	if !ok || name == "" || path == "" {
		return officeArg{}, false
	}
	return officeArg{name: name, path: path}, true
}

// maxOfficeList bounds the --offices file: a regulator's list of offices
// is a few kilobytes.
const maxOfficeList = 1 << 20

// readOfficeList reads the NAME=PATH lines of file; a relative PATH is
// taken from the file's folder.
func readOfficeList(file string) ([]officeArg, error) {
	fi, err := os.Stat(file)
	if err != nil {
		return nil, &msg.FileError{File: file, Msg: msg.T("无法读取单位清单："+err.Error(), "cannot read the list of offices: "+err.Error())}
	}
	if fi.Size() > maxOfficeList {
		return nil, &msg.FileError{File: file, Msg: msg.T("单位清单超过 1 MiB", "the list of offices is larger than 1 MiB")}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, &msg.FileError{File: file, Msg: msg.T("无法读取单位清单："+err.Error(), "cannot read the list of offices: "+err.Error())}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	dir := filepath.Dir(file)
	var out []officeArg
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), maxOfficeList)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		a, ok := splitOffice(line)
		if !ok {
			return nil, &msg.FileError{File: file, Line: n, Msg: msg.T(fmt.Sprintf("%q 不是 名称=路径", line), fmt.Sprintf("%q is not NAME=PATH", line)),
				Fix: msg.T("每行写一个单位：城关=offices/chengguan/site", "write one office a line: 城关=offices/chengguan/site")}
		}
		if !filepath.IsAbs(a.path) {
			a.path = filepath.Join(dir, filepath.FromSlash(a.path))
		}
		a.where = fmt.Sprintf("%s:%d", file, n)
		out = append(out, a)
	}
	if err := sc.Err(); err != nil {
		return nil, &msg.FileError{File: file, Msg: msg.T("无法读取单位清单："+err.Error(), "cannot read the list of offices: "+err.Error())}
	}
	return out, nil
}
