package site

import (
	"bytes"
	"encoding/csv"
	"github.com/casebook/casebook/internal/export"
	"github.com/casebook/casebook/internal/office"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// reportCases span two policies and two months of bank cases; one is
// received late on 31 October UTC, which is November in Shanghai.
func reportCases(t *testing.T) map[string]string {
	t.Helper()
	food, err := os.ReadFile(filepath.Join("..", "..", "policies", "food.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	bank := func(id, status, at, channel, category, dept string) string {
		return "---\nid: " + id + "\npolicy: bank\ntitle: 报表测试\nstatus: " + status + "\nreceived_at: " + at +
			"\nchannel: " + channel + "\ncategory: " + category + "\ndepartment: " + dept + "\n---\n## 投诉内容\n\n内容。\n"
	}
	return map[string]string{
		"policies/food.yaml":                 string(food),
		"cases/2026/10/09/BANK-2026-0101.md": bank("BANK-2026-0101", "received", "2026-10-09T09:00:00+08:00", "phone", "attitude", "运营管理部"),
		"cases/2026/11/01/BANK-2026-0102.md": bank("BANK-2026-0102", "received", "2026-10-31T20:00:00Z", "phone", "attitude", "=HYPERLINK(1)"),
		"cases/2026/11/02/BANK-2026-0103.md": bank("BANK-2026-0103", "received", "2026-11-02T09:00:00+08:00", "letter", "product", "运营管理部"),
		"cases/2026/11/05/BANK-2026-0104.md": bank("BANK-2026-0104", "received", "2026-11-05T09:00:00+08:00", "phone", "attitude", "运营管理部"),
		"cases/2026/06/30/FOOD-2026-0001.md": "---\nid: FOOD-2026-0001\npolicy: food\ntitle: 豆腐发红\nstatus: received\nreceived_at: 2026-06-30T10:00:00+08:00\nchannel: phone\ncategory: spoiled\ncause: manufacturing\n---\n## 投诉内容\n\n发红。\n",
	}
}

func TestReports_Index(t *testing.T) {
	files := build(t, newRepo(t, reportCases(t)), Options{})
	idx := string(files["reports/index.html"])
	if idx == "" {
		t.Fatal("reports/index.html was not written")
	}
	for _, want := range []string{
		`<a href="bank-2026-11.html">2026-11</a> (3)</li><li><a href="bank-2026-10.html">2026-10</a> (1)`,
		`<a href="bank-2026-H2.html">2026-H2</a> (4)`,
		`<a href="food-2026-06.html">2026-06</a> (1)`,
		`<a href="food-2026-H1.html">2026-H1</a> (1)`,
		`<a href="../cases/index.html">`,
	} {
		if !strings.Contains(idx, want) {
			t.Errorf("reports/index.html lacks %s", want)
		}
	}
	for _, absent := range []string{"bank-2026-09", "bank-2026-H1", "food-2026-H2", "food-2026-07"} {
		if strings.Contains(idx, absent) {
			t.Errorf("reports/index.html lists %s, which has no cases", absent)
		}
	}
	for _, name := range []string{"reports/bank-2026-11.html", "reports/bank-2026-H2.html", "reports/food-2026-H1.html"} {
		if _, ok := files[name]; !ok {
			t.Errorf("%s was not written", name)
		}
	}
}

func TestReports_MonthNumbers(t *testing.T) {
	files := build(t, newRepo(t, reportCases(t)), Options{})
	page := string(files["reports/bank-2026-11.html"])
	cell := `<td class="n">(\d+)</td>`
	row := regexp.MustCompile(`<tr><td>服务态度</td>` + strings.Repeat(cell, 6) + `<td class="n">([^<]*)</td></tr>`)
	m := row.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no 服务态度 row in the category table:\n%s", page)
	}
	if m[1] != "2" || m[2] != "2" || m[3] != "0" {
		t.Errorf("服务态度: cases/open/finished = %s/%s/%s, want 2/2/0", m[1], m[2], m[3])
	}
	if want := rateOf(&StatRow{Tally: office.Tally{Met: atoi(m[4]), Missed: atoi(m[5]), Overdue: atoi(m[6])}}); m[7] != want {
		t.Errorf("服务态度 rate %q, want %q", m[7], want)
	}
	for _, want := range []string{
		`<tr><td>服务产品</td><td class="n">1</td>`,          // category label, other category
		`<tr><th>合计</th><td class="n">3</td>`,            // total
		`<tr><td>电话</td><td class="n">2</td>`,            // channel
		`<tr><td>运营管理部</td><td class="n">2</td>`,         // department
		`<tr><td>一般投诉</td><td class="n">2</td>`,          // class of 服务态度
		`<a href="bank-2026-11-category.csv" download>`,  // CSV link
		`<title id="chart-bank-2026-11-category-title">`, // chart title
		`服务态度 2 件；服务产品 1 件；合计 3 件。</desc>`,               // chart description
		`aria-labelledby="chart-bank-2026-11-category-title chart-bank-2026-11-category-desc"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("bank-2026-11.html lacks %s", want)
		}
	}
	if strings.Contains(page, "按原因") {
		t.Error("bank has no cause field, yet its report has a cause table")
	}
	if strings.Contains(page, "<script") || strings.Contains(page, "<style") || strings.Contains(page, " style=") {
		t.Error("report page has an inline script or style")
	}
	food := string(files["reports/food-2026-H1.html"])
	if !strings.Contains(food, "<tr><td>制造品质不良</td><td class=\"n\">1</td>") {
		t.Error("food report lacks the cause table row 制造品质不良")
	}
	en := string(build(t, newRepo(t, reportCases(t)), Options{Lang: "en"})["reports/bank-2026-11.html"])
	if !strings.Contains(en, "<tr><td>Service attitude</td><td class=\"n\">2</td>") {
		t.Error("English report lacks the Service attitude row")
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func TestReports_CSV(t *testing.T) {
	files := build(t, newRepo(t, reportCases(t)), Options{})
	general := regexp.MustCompile(`^reports/[a-z]+-\d{4}-(?:\d{2}|H[12])-[a-z_]+\.csv$`)
	names := 0
	for name, b := range files {
		if !strings.HasPrefix(name, "reports/") || !strings.HasSuffix(name, ".csv") {
			continue
		}
		names++
		if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
			t.Errorf("%s has no byte-order mark", name)
		}
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF")))).ReadAll()
		if err != nil {
			t.Errorf("%s does not parse: %v", name, err)
			continue
		}
		// The general reports' tables end in a total row, labelled as on
		// the page; lists such as the hotline's weekly one do not. Lines
		// end in CRLF, as in cases.csv.
		if general.MatchString(name) && (len(recs) < 3 || recs[len(recs)-1][0] != "合计") {
			t.Errorf("%s: want a header, rows and a total row, got %q", name, recs)
		}
		if !bytes.HasSuffix(b, []byte("\r\n")) || bytes.Count(b, []byte("\n")) != bytes.Count(b, []byte("\r\n")) {
			t.Errorf("%s: lines do not end in CRLF", name)
		}
		if recs[0][0] == "id" || recs[len(recs)-1][0] == "total" {
			t.Errorf("%s: an id column stands where the label is: %q", name, recs)
		}
	}
	if names == 0 {
		t.Fatal("no CSV files under reports/")
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(files["reports/bank-2026-11-department.csv"], []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range recs {
		if r[0] == "'=HYPERLINK(1)" {
			found = true
		}
	}
	if !found {
		t.Errorf("formula department not neutralised: %q", recs)
	}
}

func TestReports_Deterministic(t *testing.T) {
	dir := newRepo(t, reportCases(t))
	a, b := build(t, dir, Options{}), build(t, dir, Options{})
	n := 0
	for name, data := range a {
		if strings.HasPrefix(name, "reports/") {
			n++
			if !bytes.Equal(data, b[name]) {
				t.Errorf("%s differs between two builds", name)
			}
		}
	}
	if n == 0 {
		t.Fatal("no reports written")
	}
}

func TestRateOf(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		met, missed, overdue int
		want                 string
	}{
		{"no clocks", 0, 0, 0, "—"},
		{"all met", 3, 0, 0, "100.0%"},
		{"two of three", 2, 1, 0, "66.7%"},
		{"one of six rounds up", 1, 0, 5, "16.7%"},
		{"one of eight", 1, 7, 0, "12.5%"},
		{"none met", 0, 1, 1, "0.0%"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := rateOf(&StatRow{Tally: office.Tally{Met: tc.met, Missed: tc.missed, Overdue: tc.overdue}}); got != tc.want {
				t.Errorf("rateOf = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCSVCell(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"formula", "=1+1", "'=1+1"},
		{"plus", "+86", "'+86"},
		{"minus", "-1", "'-1"},
		{"at", "@SUM", "'@SUM"},
		{"plain", "运营管理部", "运营管理部"},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := export.Cell(tc.in); got != tc.want {
				t.Errorf("export.Cell(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestReports_BlankTablesLeftOut: a table, and its chart, whose counts are
// all 0 or of the cases that leave the field unset (未填) alone is left out
// of the page, heading and CSV file too.
func TestReports_BlankTablesLeftOut(t *testing.T) {
	files := build(t, newRepo(t, map[string]string{
		// October: one case, with neither category nor department.
		"cases/2026/10/09/BANK-2026-0101.md": caseFile("BANK-2026-0101", "bank", "received", "2026-10-09T09:00:00+08:00", "channel: phone"),
		// November: a category, no department, no responsibility found.
		"cases/2026/11/02/BANK-2026-0102.md": caseFile("BANK-2026-0102", "bank", "received", "2026-11-02T09:00:00+08:00", "channel: letter", "category: attitude"),
	}), Options{})
	tests := []struct {
		name, page string
		kept, gone []string // section ids
	}{
		{"no category and no department", "reports/bank-2026-10.html", []string{"channel"}, []string{"category", "department", "class"}},
		{"a category but no department", "reports/bank-2026-11.html", []string{"category", "channel", "class"}, []string{"department"}},
		{"no category: nothing by content", "reports/bank-stats-2026-10.html", nil, []string{"content", "responsibility", "satisfaction", "special"}},
		{"responsibility and satisfaction all 未填, no special complaint", "reports/bank-stats-2026-11.html", []string{"content"}, []string{"responsibility", "satisfaction", "special"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := string(files[tt.page])
			if page == "" {
				t.Fatalf("no %s", tt.page)
			}
			base := strings.TrimSuffix(tt.page, ".html")
			for _, id := range tt.kept {
				if !strings.Contains(page, `<section id="`+id+`">`) {
					t.Errorf("%s lacks the %s table", tt.page, id)
				}
				if files[base+"-"+id+".csv"] == nil {
					t.Errorf("%s-%s.csv is not written", base, id)
				}
			}
			for _, id := range tt.gone {
				if strings.Contains(page, `<section id="`+id+`">`) || strings.Contains(page, `id="`+id+`-heading"`) {
					t.Errorf("%s shows the %s table, which has nothing to say", tt.page, id)
				}
				if files[base+"-"+id+".csv"] != nil {
					t.Errorf("%s-%s.csv is written for a table left out", base, id)
				}
			}
			if len(tt.kept) == 0 && !strings.Contains(page, "<p>无</p>") {
				t.Errorf("%s has no table and does not say so", tt.page)
			}
		})
	}
	// A chart of the unset group alone is left out, and so is one of
	// zeros; the table of a category keeps its chart.
	if page := string(files["reports/bank-2026-11.html"]); strings.Count(page, "<svg") != 3 {
		t.Errorf("reports/bank-2026-11.html has %d charts, want 3 (category, channel, class)", strings.Count(page, "<svg"))
	}
}

func TestWrapText(t *testing.T) {
	tests := []struct {
		name string
		s    string
		w    int // chart units; a CJK character is 13
		want []string
	}{
		{"fits", "服务态度", 52, []string{"服务态度"}},
		{"CJK broken between characters", "城关区农村商业银行股份有限公司", 65, []string{"城关区农村", "商业银行股", "份有限公司"}},
		{"English broken at spaces", "Internal management", 100, []string{"Internal", "management"}},
		{"a word longer than a line is cut", "Supercalifragilistic", 60, []string{"Superca", "lifragili", "stic"}},
		{"mixed: the digits stay together", "第12345号文件", 60, []string{"第12345", "号文件"}},
		{"empty", "", 40, []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wrapText(tt.s, tt.w)
			if !slices.Equal(got, tt.want) {
				t.Errorf("wrapText(%q, %d) = %q, want %q", tt.s, tt.w, got, tt.want)
			}
			for _, l := range got {
				if emUnits(l) > tt.w {
					t.Errorf("line %q is %d units, wider than %d", l, emUnits(l), tt.w)
				}
			}
		})
	}
}
