package export

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
)

// bom makes Excel read the file as UTF-8 instead of the local code page.
const bom = "\uFEFF"

// TimeLayout is how every CSV casebook writes shows a moment: the office's
// local time to the minute, 2026-05-31 21:07, which Excel, WPS and
// LibreOffice read as a date-time (RFC 3339, with its T and offset, they
// keep as text). The zone is the case's policy's (Record.Location).
const TimeLayout = "2006-01-02 15:04"

// csvColumns are the fixed columns, Chinese and English. The deadline
// rules' columns follow them, then the personal data.
var csvColumns = [][2]string{
	{"编号", "ID"},
	{"标题", "Title"},
	{"状态", "Status"},
	{"类别", "Category"},
	{"渠道", "Channel"},
	{"部门", "Department"},
	{"承办人", "Assignee"},
	{"受理时间", "Received at"},
	{"下一期限", "Next deadline"},
	{"到期时间", "Due"},
	{"期限状态", "Deadline state"},
	{"办法", "Procedure"},
	{"办结时间", "Closed at"},
	{"办理用时(工作日)", "Handling time (working days)"},
}

// CSV writes cases.csv: one row per case, sorted by id, UTF-8 with a BOM
// and CRLF line ends for Excel (WriteCSV). Times are local (TimeLayout).
// The next deadline is the running clock due first; the closing time is
// when the case reached its terminal state, and the handling time the
// working days from receipt to then (HandlingDays). Each deadline rule of
// the records' policies has a column, headed by its label, with the
// rule's verdict for the case (ruleVerdicts); a case whose policy has no
// such rule leaves it empty. Personal data (the policies' PII fields) is
// added as extra columns only with IncludePII, and stays empty for
// anonymous cases. Confidential fields are never written.
func CSV(w io.Writer, recs []*office.Record, o Options) error {
	rows := byID(recs)
	pii := piiColumns(rows, o)
	rules := ruleColumns(rows, o)
	header := make([]string, 0, len(csvColumns)+len(rules.heads)+len(pii))
	for _, c := range csvColumns {
		if o.en() {
			header = append(header, c[1])
		} else {
			header = append(header, c[0])
		}
	}
	header = append(header, rules.heads...)
	for _, c := range pii {
		header = append(header, c.name)
	}
	cw, err := NewCSVWriter(w, header)
	if err != nil {
		return fmt.Errorf("write cases.csv: %w", err)
	}
	for _, r := range rows {
		if err := cw.Write(csvRow(r, rules, pii, o)); err != nil {
			return fmt.Errorf("write cases.csv: %s: %w", r.Case.ID, err)
		}
	}
	if err := cw.Close(); err != nil {
		return fmt.Errorf("write cases.csv: %w", err)
	}
	return nil
}

// ruleSet is the deadline rules' columns: their headers, and the column
// of each policy's rule.
type ruleSet struct {
	heads []string
	col   map[*policy.Policy]map[string]int
}

// ruleColumns gives every deadline rule of the records' policies a
// column, policies by id and rules in the policy's order. Rules of
// different policies with the same label share a column (two procedures'
// 回复客户 are one question); two rules of one policy with the same label
// are told apart by their ids.
func ruleColumns(rows []*office.Record, o Options) ruleSet {
	var pols []*policy.Policy
	for _, r := range rows {
		if r.Policy != nil && !slices.Contains(pols, r.Policy) {
			pols = append(pols, r.Policy)
		}
	}
	slices.SortFunc(pols, func(a, b *policy.Policy) int { return cmp.Compare(a.ID, b.ID) })
	rs := ruleSet{col: map[*policy.Policy]map[string]int{}}
	for _, p := range pols {
		cols := map[string]int{}
		used := map[string]bool{}
		for _, d := range p.Deadlines {
			if _, ok := cols[d.ID]; ok {
				continue
			}
			head := label(p, "deadline", d.ID, o)
			if used[head] {
				head += " (" + d.ID + ")"
			}
			used[head] = true
			i := slices.Index(rs.heads, head)
			if i < 0 {
				i = len(rs.heads)
				rs.heads = append(rs.heads, head)
			}
			cols[d.ID] = i
		}
		rs.col[p] = cols
	}
	return rs
}

// verdictRank orders clock verdicts from the one to report first: a rule
// that ran more than once (reports, reopenings) shows its worst run.
var verdictRank = map[deadline.State]int{
	deadline.NotDone: 0, deadline.Missed: 1, deadline.Overdue: 2,
	deadline.AtRisk: 3, deadline.Pending: 4, deadline.Met: 5,
}

// ruleVerdicts are the cells of the rules' columns for one case: each
// rule's worst verdict over its clocks (Clock.Verdict), in the words the
// CLI and the site use; empty where no clock of the rule ran.
func ruleVerdicts(r *office.Record, rules ruleSet, o Options) []string {
	cells := make([]string, len(rules.heads))
	cols := rules.col[r.Policy]
	best := make([]int, len(rules.heads))
	for _, c := range r.Clocks {
		i, ok := cols[c.Rule]
		if !ok {
			continue
		}
		v := c.Verdict()
		rank, known := verdictRank[v]
		if !known {
			rank = -1
		}
		if cells[i] == "" || rank < best[i] {
			cells[i], best[i] = v.Label(o.Lang), rank
		}
	}
	return cells
}

// piiColumn is one personal-data field shown with IncludePII.
type piiColumn struct{ path, name string }

// piiColumns lists the personal-data paths of the records' policies,
// sorted, each labelled by the first policy that declares it.
func piiColumns(rows []*office.Record, o Options) []piiColumn {
	if !o.IncludePII {
		return nil
	}
	var out []piiColumn
	for _, r := range rows {
		if r.Policy == nil {
			continue
		}
		for _, p := range r.Policy.PIIPaths() {
			if !slices.ContainsFunc(out, func(c piiColumn) bool { return c.path == p }) {
				out = append(out, piiColumn{p, label(r.Policy, "field", p, o)})
			}
		}
	}
	slices.SortFunc(out, func(a, b piiColumn) int { return cmp.Compare(a.path, b.path) })
	return out
}

// csvRow is one case's cells.
func csvRow(r *office.Record, rules ruleSet, pii []piiColumn, o Options) []string {
	c, p := r.Case, r.Policy
	l := r.Location()
	secret := Confidential(r)
	get := func(path string) string {
		if secret(path) {
			return ""
		}
		v, _ := c.Get(path)
		return text(v)
	}
	local := func(t time.Time) string { return t.In(l).Format(TimeLayout) }
	received := c.ReceivedAtRaw
	if !c.ReceivedAt.IsZero() {
		received = local(c.ReceivedAt)
	}
	row := []string{
		c.ID, c.Title,
		label(p, "state", c.Status, o),
		label(p, "category", get("category"), o),
		label(p, "channel", get("channel"), o),
		get("department"), get("assignee"), received,
	}
	if cl := running(r); len(cl) > 0 {
		row = append(row, cl[0].Name(o.Lang), local(cl[0].DueAt), cl[0].Verdict().Label(o.Lang))
	} else {
		row = append(row, "", "", "")
	}
	procedure := ""
	if p != nil {
		procedure = label(p, "policy", p.ID, o)
	}
	closed, days := "", ""
	if at, ok := r.ClosedAt(); ok {
		closed = local(at)
		if o.Calendar != nil {
			if n, ok := HandlingDays(r, o.Calendar(p)); ok {
				days = strconv.Itoa(n)
			}
		}
	}
	row = append(row, procedure, closed, days)
	row = append(row, ruleVerdicts(r, rules, o)...)
	if len(pii) > 0 {
		hide := Withheld(r, o.IncludePII)
		for _, col := range pii {
			if hide(col.path) {
				row = append(row, "")
				continue
			}
			row = append(row, get(col.path))
		}
	}
	return row
}

// CSVWriter writes a CSV file the way every CSV of casebook is written:
// UTF-8 with a byte-order mark (Excel reads the file in the local code
// page without one), CRLF line ends, and every cell through Cell. Errors
// are kept: Write and Close return the first.
type CSVWriter struct {
	w   io.Writer
	cw  *csv.Writer
	err error
}

// NewCSVWriter writes the byte-order mark and the header row.
func NewCSVWriter(w io.Writer, header []string) (*CSVWriter, error) {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	x := &CSVWriter{w: w, cw: cw}
	if _, err := io.WriteString(w, bom); err != nil {
		x.err = err
		return x, err
	}
	return x, x.Write(header)
}

// Write writes one row, neutralising its cells in place.
func (x *CSVWriter) Write(cells []string) error {
	if x.err != nil {
		return x.err
	}
	if err := x.cw.Write(neutralise(cells)); err != nil {
		x.err = err
	}
	return x.err
}

// Close flushes the rows; it does not close the underlying writer.
func (x *CSVWriter) Close() error {
	if x.err != nil {
		return x.err
	}
	x.cw.Flush()
	x.err = x.cw.Error()
	return x.err
}

// neutralise prefixes cells a spreadsheet would evaluate (=, +, -, @, and
// tab or CR, which some strip before looking) with a quote, the OWASP
// advice against CSV formula injection. It changes cells in place.
func neutralise(cells []string) []string {
	for i, s := range cells {
		cells[i] = Cell(s)
	}
	return cells
}

// Cell neutralises one CSV cell that a spreadsheet would run as a formula
// (it begins with =, +, -, @, a tab or a carriage return) by a leading
// apostrophe. Every CSV casebook writes goes through it.
func Cell(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}
