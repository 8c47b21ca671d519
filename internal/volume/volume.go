package volume

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/casebook/casebook/internal/msg"
)

// File is the volume file's path under the repository root.
const File = "policies/volume.csv"

// Columns are the volume file's header, in the order the file is written;
// a file may list them in any order.
var Columns = []string{"policy", "period", "volume", "unit"}

// Scale is how many units of volume a rate is given per: complaints per
// 10,000 units (每万). The procedures name no scale; per 10,000 keeps
// a few complaints over tens of thousands of boxes a readable number.
const Scale = 10000

// Row is one policy's volume in one period.
type Row struct {
	Policy string
	// Period is a month "2026-11", a half-year "2026-H2" or a year "2026".
	Period string
	// Volume is what was sold or served, in Unit; always at least 1.
	Volume int64
	// Unit names what Volume counts: 箱, 件, 单, 通 ...
	Unit string
	// Line is the row's line in the file, for messages.
	Line int
}

// Table is a loaded volume file. The zero Table (and a nil one) holds no
// rows: a repository without the file has no volumes.
type Table struct {
	rows []Row // sorted by policy, then period
}

// Get returns the volume of policy in period.
func (t *Table) Get(policy, period string) (Row, bool) {
	if t == nil {
		return Row{}, false
	}
	i, ok := slices.BinarySearchFunc(t.rows, Row{Policy: policy, Period: period}, compareRows)
	if !ok {
		return Row{}, false
	}
	return t.rows[i], true
}

// Rows returns the rows of policy ("" for every policy), sorted by policy
// and period.
func (t *Table) Rows(policy string) []Row {
	if t == nil {
		return nil
	}
	var out []Row
	for _, r := range t.rows {
		if policy == "" || r.Policy == policy {
			out = append(out, r)
		}
	}
	return out
}

func compareRows(a, b Row) int {
	if c := strings.Compare(a.Policy, b.Policy); c != 0 {
		return c
	}
	return strings.Compare(a.Period, b.Period)
}

// MaxVolume is the largest volume a row may give: 10^12 units in one
// period, so that complaints × 10,000 × 200 and sums of volumes stay far
// inside int64.
const MaxVolume = 1_000_000_000_000

// Load reads File under root. A missing file is no error: the table is
// empty and every rate reads "no volume given".
func Load(root string) (*Table, error) {
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(File)))
	if errors.Is(err, fs.ErrNotExist) {
		return &Table{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", File, err)
	}
	return Parse(File, data)
}

// Parse reads a volume file's contents; file names it in errors. Every
// problem is reported, as msg.FileErrors by line, so one run shows what to
// fix.
func Parse(file string, data []byte) (*Table, error) {
	// Spreadsheet programs save UTF-8 CSV with a byte-order mark.
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	var errs msg.FileErrors
	fail := func(line int, fix, format msg.Text, args ...any) {
		errs = append(errs, &msg.FileError{File: file, Line: line, Msg: format.Sprintf(args...), Fix: fix})
	}
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return &Table{}, nil
	}
	if err != nil {
		return nil, csvError(file, err)
	}
	line, _ := cr.FieldPos(0)
	col := map[string]int{}
	want := strings.Join(Columns, ",")
	headerFix := msg.T("表头是 %s", "the header is %s").Sprintf(want)
	for i, h := range head {
		h = strings.TrimSpace(h)
		switch {
		case !slices.Contains(Columns, h):
			fail(line, headerFix, msg.T("不认识的列 %q", "unknown column %q"), h)
		case col[h] != 0:
			fail(line, msg.T("每列只写一次：%s", "name each column once: %s").Sprintf(want), msg.T("列 %q 出现了两次", "column %q appears twice"), h)
		default:
			col[h] = i + 1 // 0 means absent
		}
	}
	for _, c := range Columns {
		if col[c] == 0 {
			fail(line, headerFix, msg.T("缺少列 %q", "column %q is missing"), c)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	seen := map[[2]string]int{}
	t := &Table{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, append(errs, csvError(file, err))
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(head) {
			fail(line, msg.T("每列写一个值：%s", "write one value per column: %s").Sprintf(strings.Join(head, ",")), msg.T("%d 个值对应 %d 列", "%d values for %d columns"), len(rec), len(head))
			continue
		}
		get := func(c string) string { return strings.TrimSpace(rec[col[c]-1]) }
		r := Row{Policy: get("policy"), Period: get("period"), Unit: get("unit"), Line: line}
		ok := true
		if r.Policy == "" {
			fail(line, msg.T("写上政策 id，如 hotline", "name the policy id, e.g. hotline"), msg.T("policy 是空的", "policy is empty"))
			ok = false
		}
		if !validPeriod(r.Period) {
			fail(line, msg.T("写成月份 2026-11、半年 2026-H2 或年份 2026", "write a month 2026-11, a half-year 2026-H2 or a year 2026"), msg.T("期间 %q 不是月份、半年或年份", "period %q is not a month, half-year or year"), r.Period)
			ok = false
		}
		v, err := strconv.ParseInt(get("volume"), 10, 64)
		if err != nil || v < 1 {
			fail(line, msg.T("把销售量或服务量写成整数，如 12000（不写 1.2万 或 12,000）", "write what was sold or served as a whole number, e.g. 12000 (not 1.2万 or 12,000)"), msg.T("业务量 %q 不是正整数", "volume %q is not a positive whole number"), get("volume"))
			ok = false
		}
		if err == nil && v > MaxVolume {
			// Far beyond any office's sales, and the rate's arithmetic
			// (and a sum over periods) must not overflow.
			fail(line, msg.T("检查这个数：业务量最多写到一万亿", "check the figure: a volume is at most a million million"), msg.T("业务量 %q 太大", "volume %q is too large"), get("volume"))
			ok = false
		}
		r.Volume = v
		if r.Unit == "" {
			fail(line, msg.T("写明业务量的单位，如 箱 或 单", "name what volume counts, e.g. 箱 or 单"), msg.T("unit 是空的", "unit is empty"))
			ok = false
		}
		if !ok {
			continue
		}
		k := [2]string{r.Policy, r.Period}
		if first, dup := seen[k]; dup {
			fail(line, msg.T("每个政策每个期间只留一行：删除这一行或第 %d 行", "keep one row per policy and period: delete this row or the one on line %d").Sprintf(first),
				msg.T("%s %s 写了两次（第一次在第 %d 行）", "%s %s is given twice (first on line %d)"), r.Policy, r.Period, first)
			continue
		}
		seen[k] = line
		t.rows = append(t.rows, r)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	slices.SortFunc(t.rows, compareRows)
	return t, nil
}

// csvError turns the csv package's error (a stray quote) into a problem.
func csvError(file string, err error) *msg.FileError {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &msg.FileError{File: file, Line: pe.Line, Msg: msg.T("CSV 写法有误：%v", "%v").Sprintf(pe.Err),
			Fix: msg.T(`含逗号或引号的值要加引号，如 "a,b"，值里的引号写两次`, `quote a value holding a comma or a quote as "a,b", doubling inner quotes`)}
	}
	return &msg.FileError{File: file, Line: 1, Msg: msg.T("读不了：%v", "%v").Sprintf(err)}
}

// validPeriod accepts "2026", "2026-H1", "2026-H2" and "2026-01" to "2026-12".
func validPeriod(p string) bool {
	if len(p) < 4 {
		return false
	}
	for _, c := range p[:4] {
		if c < '0' || c > '9' {
			return false
		}
	}
	switch rest := p[4:]; {
	case rest == "":
		return true
	case rest == "-H1" || rest == "-H2":
		return true
	case len(rest) == 3 && rest[0] == '-':
		m, err := strconv.Atoi(rest[1:])
		return err == nil && rest[1] >= '0' && rest[1] <= '1' && m >= 1 && m <= 12
	}
	return false
}

// Rate is n complaints per Scale units of volume, in hundredths, rounded
// half up with integers so no float noise reaches a page: 3 complaints
// over 12,000 boxes are 2.50 per 10,000, returned as 250.
func Rate(n int, volume int64) int64 {
	if volume < 1 {
		return 0
	}
	return (int64(n)*Scale*100*2 + volume) / (2 * volume)
}

// FormatRate writes a Rate as a decimal with two places: 250 is "2.50".
func FormatRate(hundredths int64) string {
	return strconv.FormatInt(hundredths/100, 10) + "." + fmt.Sprintf("%02d", hundredths%100)
}
