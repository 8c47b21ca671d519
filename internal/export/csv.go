package export

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/casebook/casebook/internal/office"
)

// bom makes Excel read the file as UTF-8 instead of the local code page.
const bom = "\uFEFF"

// csvColumns are the fixed columns, Chinese and English.
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
}

// CSV writes cases.csv: one row per case, sorted by id, UTF-8 with a BOM
// and CRLF line ends for Excel. The next deadline is the running clock due
// first. Personal data (the policies' PII fields) is added as extra
// columns only with IncludePII, and stays empty for anonymous cases.
// Cells a spreadsheet would read as a formula are neutralised.
func CSV(w io.Writer, recs []*office.Record, o Options) error {
	rows := byID(recs)
	pii := piiColumns(rows, o)
	if _, err := io.WriteString(w, bom); err != nil {
		return fmt.Errorf("write cases.csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	header := make([]string, 0, len(csvColumns)+len(pii))
	for _, c := range csvColumns {
		if o.en() {
			header = append(header, c[1])
		} else {
			header = append(header, c[0])
		}
	}
	for _, c := range pii {
		header = append(header, c.name)
	}
	if err := cw.Write(neutralise(header)); err != nil {
		return fmt.Errorf("write cases.csv: %w", err)
	}
	for _, r := range rows {
		if err := cw.Write(neutralise(csvRow(r, pii, o))); err != nil {
			return fmt.Errorf("write cases.csv: %s: %w", r.Case.ID, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write cases.csv: %w", err)
	}
	return nil
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
func csvRow(r *office.Record, pii []piiColumn, o Options) []string {
	c, p := r.Case, r.Policy
	secret := Confidential(r)
	get := func(path string) string {
		if secret(path) {
			return ""
		}
		v, _ := c.Get(path)
		return text(v)
	}
	received := c.ReceivedAtRaw
	if !c.ReceivedAt.IsZero() {
		received = rfc3339(c.ReceivedAt)
	}
	row := []string{
		c.ID, c.Title,
		label(p, "state", c.Status, o),
		label(p, "category", get("category"), o),
		label(p, "channel", get("channel"), o),
		get("department"), get("assignee"), received,
	}
	if cl := running(r); len(cl) > 0 {
		row = append(row, cl[0].Name(o.Lang), rfc3339(cl[0].DueAt), cl[0].Verdict().Label(o.Lang))
	} else {
		row = append(row, "", "", "")
	}
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
