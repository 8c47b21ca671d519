package site

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/office"
)

// commit is one commit of a test repository: its files, at a moment.
type commit struct {
	at    string
	files map[string]string
}

// historyRepo is a repository whose commits happen at different moments,
// so transitions fall in different weeks; the five default policies are
// in the first commit.
func historyRepo(t *testing.T, commits ...commit) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"bank", "food", "hotline", "tendering"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "policies", name+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		commits[0].files["policies/"+name+".yaml"] = string(b)
	}
	git := func(at string, args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(),
			"GIT_AUTHOR_NAME=吴涛", "GIT_AUTHOR_EMAIL=wu@example.org",
			"GIT_COMMITTER_NAME=吴涛", "GIT_COMMITTER_EMAIL=wu@example.org",
			"GIT_AUTHOR_DATE="+at, "GIT_COMMITTER_DATE="+at,
			"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("2026-01-01T00:00:00+08:00", "init", "-q", "-b", "main")
	for _, c := range commits {
		for name, data := range c.files {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		git(c.at, "add", "-A")
		git(c.at, "commit", "-q", "-m", "更新案件")
	}
	return dir
}

// caseFile is a case file with the given front-matter lines.
func caseFile(id, policy, status, at string, fields ...string) string {
	return "---\nid: " + id + "\npolicy: " + policy + "\ntitle: 测试" + id + "\nstatus: " + status + "\nreceived_at: " + at +
		"\n" + strings.Join(fields, "\n") + "\n---\n## 投诉内容\n\n内容。\n"
}

// seedCases: hotline cases received in ISO week 2026-W47 (one of them
// closed in W48), food cases over October and November (one not valid),
// bank cases with handling results, tendering cases over two half-years.
func seedCases(t *testing.T, volumes string) string {
	t.Helper()
	first := map[string]string{
		"cases/2026/11/16/HOT-2026-0101.md": caseFile("HOT-2026-0101", "hotline", "received", "2026-11-16T09:00:00+08:00",
			"channel: hotline", "category: product_quality", "major: true", "product: 卤猪蹄"),
		"cases/2026/11/20/HOT-2026-0102.md": caseFile("HOT-2026-0102", "hotline", "received", "2026-11-20T10:00:00+08:00",
			"channel: store", "category: attitude"),
		"cases/2026/10/05/FOOD-2026-0101.md": caseFile("FOOD-2026-0101", "food", "received", "2026-10-05T10:00:00+08:00", "channel: phone", "category: spoiled"),
		"cases/2026/11/03/FOOD-2026-0102.md": caseFile("FOOD-2026-0102", "food", "invalid", "2026-11-03T10:00:00+08:00", "channel: phone", "category: spoiled", "invalid_reason: 查无此事"),
		"cases/2026/11/10/FOOD-2026-0103.md": caseFile("FOOD-2026-0103", "food", "received", "2026-11-10T10:00:00+08:00", "channel: phone", "category: short_pack"),
		"cases/2026/11/12/FOOD-2026-0104.md": caseFile("FOOD-2026-0104", "food", "received", "2026-11-12T10:00:00+08:00", "channel: phone", "category: service"),
		"cases/2026/11/02/BANK-2026-0101.md": caseFile("BANK-2026-0101", "bank", "closed", "2026-11-02T09:00:00+08:00",
			"channel: phone", "category: attitude", "responsibility: bank", "satisfaction: satisfied"),
		"cases/2026/11/05/BANK-2026-0102.md": caseFile("BANK-2026-0102", "bank", "replied", "2026-11-05T09:00:00+08:00",
			"channel: phone", "category: attitude", "responsibility: customer", "satisfaction: basically_satisfied"),
		"cases/2026/11/06/BANK-2026-0103.md": caseFile("BANK-2026-0103", "bank", "received", "2026-11-06T09:00:00+08:00",
			"channel: letter", "category: product", "amount: 60000"),
		"cases/2026/10/09/BANK-2026-0104.md": caseFile("BANK-2026-0104", "bank", "withdrawn", "2026-10-09T09:00:00+08:00",
			"channel: phone", "category: violation"),
		"cases/2026/08/03/ZB-2026-0101.md": caseFile("ZB-2026-0101", "tendering", "not_accepted", "2026-08-03T09:00:00+08:00",
			"channel: letter", "category: bid_rigging"),
		"cases/2026/09/01/ZB-2026-0102.md": caseFile("ZB-2026-0102", "tendering", "closed", "2026-09-01T09:00:00+08:00",
			"channel: higher_office", "category: bid_rigging", "procedure: simple", "penalty: true"),
		"cases/2026/10/01/ZB-2026-0103.md": caseFile("ZB-2026-0103", "tendering", "accepted", "2026-10-01T09:00:00+08:00",
			"channel: visit", "category: evaluation"),
		"cases/2026/03/02/ZB-2026-0104.md": caseFile("ZB-2026-0104", "tendering", "withdrawn", "2026-03-02T09:00:00+08:00",
			"channel: email", "category: agency"),
	}
	if volumes != "" {
		first["policies/volume.csv"] = volumes
	}
	second := map[string]string{
		"cases/2026/11/20/HOT-2026-0102.md": caseFile("HOT-2026-0102", "hotline", "closed", "2026-11-20T10:00:00+08:00",
			"channel: store", "category: attitude", "remedy: apology", "satisfaction: satisfied", "followed_up_at: 2026-11-24T09:00:00+08:00"),
	}
	return historyRepo(t, commit{"2026-11-20T12:00:00+08:00", first}, commit{"2026-11-24T10:00:00+08:00", second})
}

const testVolumes = "policy,period,volume,unit\n" +
	"hotline,2026-11,20000,件\n" +
	"hotline,2026-10,5000,件\n" +
	"food,2026-11,12000,箱\n" +
	"food,2026-H2,30000,箱\n"

// rowOf returns the cells of the table row whose first cell is label, in
// the section with the given id.
func rowOf(t *testing.T, page, section, label string) []string {
	t.Helper()
	i := strings.Index(page, `<section id="`+section+`">`)
	if i < 0 {
		t.Fatalf("no section %s in\n%s", section, page)
	}
	sec := page[i:]
	sec = sec[:strings.Index(sec, "</section>")]
	re := regexp.MustCompile(`<tr><t[dh]>(?:<a href="[^"]*">)?` + regexp.QuoteMeta(label) + `(?:</a>)?</t[dh]>(.*?)</tr>`)
	m := re.FindStringSubmatch(sec)
	if m == nil {
		t.Fatalf("section %s has no row %s:\n%s", section, label, sec)
	}
	var cells []string
	for _, c := range regexp.MustCompile(`<td[^>]*>(?:<a href="[^"]*">)?([^<]*)`).FindAllStringSubmatch(m[1], -1) {
		cells = append(cells, c[1])
	}
	return cells
}

// readCSV parses a written CSV file, checking its byte-order mark.
func readCSV(t *testing.T, files map[string][]byte, name string) [][]string {
	t.Helper()
	b, ok := files[name]
	if !ok {
		t.Fatalf("%s was not written", name)
	}
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		t.Errorf("%s has no byte-order mark", name)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil {
		t.Fatalf("%s does not parse: %v", name, err)
	}
	return recs
}

func TestSeedReports_Index(t *testing.T) {
	files := build(t, seedCases(t, testVolumes), Options{})
	idx := string(files["reports/index.html"])
	for _, want := range []string{
		`<h3>客户投诉统计分析 · 第二十二条</h3>`,
		`<a href="bank-stats-2026-11.html">2026-11</a> (3)`,
		`<a href="bank-stats-2026-H2.html">2026-H2</a> (4)`,
		`<h3>市场投诉率 · 五.5</h3>`,
		`<a href="food-complaint-rate.html">市场投诉率</a> (3)`, // the invalid one is not counted
		`<a href="hotline-complaint-rate.html">市场投诉率</a> (2)`,
		`<h3>客户投诉周报 · 四.1</h3>`,
		`<a href="hotline-week-2026-W48.html">2026-W48</a> (1)</li><li><a href="hotline-week-2026-W47.html">2026-W47</a> (2)`,
		`<h3>举报投诉处理统计表 · 第二十五条、附件5</h3>`,
		`<a href="tendering-stats-2026-H2.html">2026-H2</a> (3)</li><li><a href="tendering-stats-2026-H1.html">2026-H1</a> (1)`,
	} {
		if !strings.Contains(idx, want) {
			t.Errorf("reports/index.html lacks %s", want)
		}
	}
	// Each seed report sits in its policy's section.
	bank := idx[strings.Index(idx, "<h2>农商银行"):]
	bank = bank[:strings.Index(bank, "</section>")]
	if !strings.Contains(bank, "bank-stats-2026-11.html") || strings.Contains(bank, "hotline-week") {
		t.Errorf("the bank's section holds the wrong seed reports:\n%s", bank)
	}
	for _, absent := range []string{"bank-complaint-rate", "tendering-week", "food-week", "hotline-stats"} {
		if strings.Contains(idx, absent) {
			t.Errorf("reports/index.html links %s, which its procedure does not prescribe", absent)
		}
	}
}

func TestSeedReports_Bank(t *testing.T) {
	files := build(t, seedCases(t, ""), Options{})
	page := string(files["reports/bank-stats-2026-11.html"])
	for _, tc := range []struct {
		name, section, label string
		want                 []string
	}{
		// cases, closed, withdrawn, open (then replied in time, late)
		{"two attitude complaints, one closed", "content", "服务态度", []string{"2", "1", "0", "1"}},
		{"unused category listed with zeros", "content", "金融犯罪", []string{"0", "0", "0", "0", "0", "0"}},
		{"total", "content", "合计", []string{"3", "1", "0", "2"}},
		// cases, the bank's, the customer's, nobody's, not given
		{"responsibility of the attitude complaints", "responsibility", "服务态度", []string{"2", "1", "1", "0", "0"}},
		{"responsibility not given yet", "responsibility", "服务产品", []string{"1", "0", "0", "0", "1"}},
		// cases, satisfied, mostly, dissatisfied, unreachable, not given
		{"satisfaction", "satisfaction", "服务态度", []string{"2", "1", "1", "0", "0", "0"}},
		// cases, open, closed
		{"major complaint over 50,000 yuan", "special", "重大投诉", []string{"1", "1", "0"}},
		{"no media complaint", "special", "新闻媒体投诉", []string{"0", "0", "0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := rowOf(t, page, tc.section, tc.label)
			if len(got) < len(tc.want) || strings.Join(got[:len(tc.want)], ",") != strings.Join(tc.want, ",") {
				t.Errorf("row %s of %s = %q, want %q", tc.label, tc.section, got, tc.want)
			}
		})
	}
	half := string(files["reports/bank-stats-2026-H2.html"])
	if got := rowOf(t, half, "content", "违规操作"); got[0] != "1" || got[2] != "1" {
		t.Errorf("H2 违规操作 = %q, want 1 case, 1 withdrawn", got)
	}
	for _, want := range []string{
		`<title id="chart-bank-stats-2026-11-content-title">`,
		`服务态度 2 件；`,
		`<a href="bank-stats-2026-11-content.csv" download>`,
		`<a href="index.html">统计报表</a> · 依据: 第二十二条 · 统计期间: 2026-11`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("bank-stats-2026-11.html lacks %s", want)
		}
	}
	recs := readCSV(t, files, "reports/bank-stats-2026-11-responsibility.csv")
	// The page's header and labels, the policy's id of each row last
	// (代码), empty for the total.
	if strings.Join(recs[0], ",") != "投诉内容,件数,我行责任,客户不理解规定或操作不当,无责任,未填,代码" {
		t.Errorf("responsibility CSV header = %q", recs[0])
	}
	var attitude, total []string
	for _, r := range recs {
		switch r[0] {
		case "服务态度":
			attitude = r
		case "合计":
			total = r
		}
	}
	if strings.Join(attitude, ",") != "服务态度,2,1,1,0,0,attitude" || strings.Join(total, ",") != "合计,3,1,1,0,1," {
		t.Errorf("responsibility CSV rows: attitude %q, total %q", attitude, total)
	}
}

func TestSeedReports_Rate(t *testing.T) {
	files := build(t, seedCases(t, testVolumes), Options{})
	food := string(files["reports/food-complaint-rate.html"])
	for _, tc := range []struct {
		name, section, label string
		want                 []string
	}{
		// complaints, A, B, C, service, volume, unit, rate
		{"two valid complaints over 12,000 boxes", "months", "2026-11", []string{"2", "0", "1", "0", "1", "12000", "箱", "1.67"}},
		{"month without a volume row", "months", "2026-10", []string{"1", "1", "0", "0", "0", "", "", "未提供本期销量"}},
		{"half-year", "halves", "2026-H2", []string{"3", "1", "1", "0", "1", "30000", "箱", "1.00"}},
		{"year without a volume row", "years", "2026", []string{"3", "1", "1", "0", "1", "", "", "未提供本期销量"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := rowOf(t, food, tc.section, tc.label); strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("food %s %s = %q, want %q", tc.section, tc.label, got, tc.want)
			}
		})
	}
	hot := string(files["reports/hotline-complaint-rate.html"])
	// complaints, service, quality, volume, unit, rate
	if got := rowOf(t, hot, "months", "2026-10"); strings.Join(got, "|") != "0|0|0|5000|件|0.00" {
		t.Errorf("hotline 2026-10 (a volume, no complaint) = %q", got)
	}
	if got := rowOf(t, hot, "months", "2026-11"); strings.Join(got, "|") != "2|1|1|20000|件|1.00" {
		t.Errorf("hotline 2026-11 = %q", got)
	}
	for _, want := range []string{
		"市场投诉率 = 本期投诉件数 ÷ 本期销量 × 10,000",
		"无效客诉(4.1.1)不计入投诉件数。",
		`<th class="n">投诉率(每万单位)</th>`,
		`<title id="chart-food-complaint-rate-months-title">`,
		`2026-10 未提供本期销量；2026-11 每万箱 1.67。</desc>`,
		`<a href="food-complaint-rate-months.csv" download>`,
	} {
		if !strings.Contains(food, want) {
			t.Errorf("food-complaint-rate.html lacks %s", want)
		}
	}
	if strings.Contains(hot, "无效客诉") {
		t.Error("the hotline, which has no invalid state, says invalid complaints are left out")
	}
	recs := readCSV(t, files, "reports/food-complaint-rate-months.csv")
	if len(recs) != 4 || strings.Join(recs[2], ",") != "2026-11,2,0,1,0,1,12000,箱,1.67" || strings.Join(recs[3], ",") != "合计,3,1,1,0,1,,," {
		t.Errorf("food months CSV = %q", recs)
	}
	// Without a volume file every period says so, and nothing fails.
	none := string(build(t, seedCases(t, ""), Options{})["reports/hotline-complaint-rate.html"])
	if got := rowOf(t, none, "months", "2026-11"); got[len(got)-1] != "未提供本期销量" {
		t.Errorf("no volume file: 2026-11 = %q", got)
	}
	if strings.Contains(none, "2026-10") {
		t.Error("without volumes or complaints, 2026-10 has no row")
	}
}

func TestSeedReports_VolumeErrors(t *testing.T) {
	dir := seedCases(t, "policy,period,volume,unit\nfood,2026-11,12000,箱\nfood,2026-11,13000,箱\n")
	o, err := office.Load(dir, office.Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Build(o, Options{Out: t.TempDir(), Now: testNow})
	if err == nil || !strings.Contains(err.Error(), "policies/volume.csv:3: food 2026-11 is given twice (first on line 2)") {
		t.Fatalf("Build = %v, want the duplicate row at policies/volume.csv:3", err)
	}
}

func TestSeedReports_Weekly(t *testing.T) {
	files := build(t, seedCases(t, ""), Options{})
	w47 := string(files["reports/hotline-week-2026-W47.html"])
	for _, tc := range []struct {
		name, section, label string
		want                 []string
	}{
		// owner, received, closed, open at week end, overdue at week end
		{"major complaint never routed is overdue", "category", "产品质量", []string{"质量类(质检部)", "1", "0", "1", "1"}},
		{"service complaint received on Friday", "category", "服务态度", []string{"服务类(销管部)", "1", "0", "1", "0"}},
		{"unused category", "category", "服务质量", []string{"服务类(销管部)", "0", "0", "0", "0"}},
		{"total", "category", "合计", []string{"", "2", "0", "2", "1"}},
		{"by channel", "channel", "400电话", []string{"1", "0"}},
		{"major list", "major", "HOT-2026-0101", []string{"测试HOT-2026-0101", "产品质量", "", "", "已登记"}},
		{"overdue list names the clock", "overdue", "HOT-2026-0101", []string{"测试HOT-2026-0101", "登记并反馈业务员或质检部", "2026-11-16 09:30", "", "已登记"}},
		{"received list", "received", "HOT-2026-0102", []string{"2026-11-20 10:00", "到店", "服务态度", "", "测试HOT-2026-0102", "", "已结案"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := rowOf(t, w47, tc.section, tc.label); strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("W47 %s %s = %q, want %q", tc.section, tc.label, got, tc.want)
			}
		})
	}
	if !strings.Contains(w47, "统计周：2026-11-16 至 2026-11-22(ISO 2026-W47)") {
		t.Error("W47 does not state its days")
	}
	if !strings.Contains(w47, "报送：总经理、质检部") {
		t.Error("W47 does not name its recipients")
	}
	if strings.Contains(w47[strings.Index(w47, `<section id="closed">`):], "HOT-2026-0102</a>") &&
		!strings.Contains(w47[strings.Index(w47, `<section id="closed">`):], "<p>无</p>") {
		t.Error("W47 lists HOT-2026-0102 as closed; it closed in W48")
	}
	w48 := string(files["reports/hotline-week-2026-W48.html"])
	if got := rowOf(t, w48, "category", "合计"); strings.Join(got, "|") != "|0|1|1|1" {
		t.Errorf("W48 total = %q, want none received, one closed, one open and overdue", got)
	}
	if got := rowOf(t, w48, "closed", "HOT-2026-0102"); strings.Join(got, "|") != "测试HOT-2026-0102|服务态度|道歉、解释|满意|2026-11-24 10:00" {
		t.Errorf("W48 closed list = %q", got)
	}
	// Still open, the major complaint is reported again in W48.
	rowOf(t, w48, "major", "HOT-2026-0101")
	recs := readCSV(t, files, "reports/hotline-week-2026-W48-closed.csv")
	if len(recs) != 2 || recs[1][0] != "HOT-2026-0102" {
		t.Errorf("W48 closed CSV = %q", recs)
	}
}

func TestSeedReports_Tendering(t *testing.T) {
	files := build(t, seedCases(t, ""), Options{})
	page := string(files["reports/tendering-stats-2026-H2.html"])
	want := map[string][]string{
		// received, handed down, accepted, not accepted, transferred,
		// withdrawn, open, closed, simple, general, penalty, [late], replied
		"串通投标、弄虚作假": {"2", "1", "1", "1", "0", "0", "0", "1", "1", "0", "1"},
		"评标不公正":     {"1", "0", "1", "0", "0", "0", "1", "0", "0", "0", "0"},
		"招标代理违法违规":  {"0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"},
		"合计":        {"3", "1", "2", "1", "0", "0", "1", "1", "1", "0", "1"},
	}
	for label, w := range want {
		got := rowOf(t, page, "handling", label)
		if len(got) != 13 {
			t.Fatalf("row %s has %d figures, want 13", label, len(got))
		}
		if strings.Join(got[:11], ",") != strings.Join(w, ",") || got[12] != "0" {
			t.Errorf("row %s = %q, want %q then late, then 0 replied", label, got, w)
		}
	}
	h1 := string(files["reports/tendering-stats-2026-H1.html"])
	if got := rowOf(t, h1, "handling", "招标代理违法违规"); got[0] != "1" || got[5] != "1" {
		t.Errorf("H1 agency row = %q, want 1 received and withdrawn", got)
	}
	recs := readCSV(t, files, "reports/tendering-stats-2026-H2-handling.csv")
	if strings.Join(recs[0], ",") != "类别,收到,其中上级交办,受理,不予受理,转送,撤回中止,在办,已结案,简易程序,一般程序,行政处罚,超过核查期限,已回复举报人,代码" {
		t.Errorf("tendering CSV header = %q", recs[0])
	}
	if recs[len(recs)-1][0] != "合计" {
		t.Errorf("tendering CSV ends with %q, want the total", recs[len(recs)-1])
	}
}

func TestSeedReports_English(t *testing.T) {
	files := build(t, seedCases(t, testVolumes), Options{Lang: "en"})
	for name, wants := range map[string][]string{
		"reports/index.html":                           {"<h3>Complaint statistics · Art. 22</h3>", "<h3>Weekly complaint summary · 4.1</h3>", "<h3>Market complaint rate · 5.5</h3>"},
		"reports/bank-stats-2026-11.html":              {"<th>Content</th>", "<tr><td>Service attitude</td>", `<th class="n">The bank&#39;s</th>`},
		"reports/food-complaint-rate.html":             {"<td>no volume given for this period</td>", `<th class="n">Rate (per 10,000 units)</th>`, "2026-11 1.67 per 10,000 箱"},
		"reports/hotline-week-2026-W47.html":           {"Week 2026-W47: 2026-11-16 to 2026-11-22", `<th class="n">Overdue at week end</th>`, "<td>Record and route</td>"},
		"reports/tendering-stats-2026-H2.html":         {`<th class="n">Not accepted</th>`, "<tr><td>Unfair bid evaluation</td>"},
		"reports/tendering-stats-2026-H2-handling.csv": {"\uFEFFCategory,Received,Of which handed down", ",Code\r\n", "\r\nTotal,"},
	} {
		got := string(files[name])
		for _, w := range wants {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %s", name, w)
			}
		}
		if strings.Contains(got, "未提供") || strings.Contains(got, "合计") {
			t.Errorf("%s has Chinese chrome in English", name)
		}
	}
}

func TestSeedReports_Deterministic(t *testing.T) {
	dir := seedCases(t, testVolumes)
	a, b := build(t, dir, Options{}), build(t, dir, Options{})
	n := 0
	for name, data := range a {
		if strings.Contains(name, "-stats-") || strings.Contains(name, "-week-") || strings.Contains(name, "-complaint-rate") {
			n++
			if !bytes.Equal(data, b[name]) {
				t.Errorf("%s differs between two builds", name)
			}
		}
	}
	if n < 10 {
		t.Fatalf("only %d seed report files written", n)
	}
}

func TestSeedReports_RateTotal(t *testing.T) {
	files := build(t, seedCases(t, testVolumes), Options{})
	hot := string(files["reports/hotline-complaint-rate.html"])
	// 2 complaints over 25,000 units, both months having a volume.
	if got := rowOf(t, hot, "months", "合计"); strings.Join(got, "|") != "2|1|1|25000|件|0.80" {
		t.Errorf("hotline months total = %q", got)
	}
	food := string(files["reports/food-complaint-rate.html"])
	// October has no volume: no rate over both months.
	if got := rowOf(t, food, "months", "合计"); strings.Join(got, "|") != "3|1|1|0|1|||—" {
		t.Errorf("food months total = %q", got)
	}
}

// TestSeedReports_DeclaredInPolicy: reports are the policy's data. An
// office copies the bank policy, renames the state withdrawn to revoked
// everywhere in the file and adds a report of its own; the statistics
// count the revoked case under 撤诉, and the new report has its pages.
func TestSeedReports_DeclaredInPolicy(t *testing.T) {
	pol, err := os.ReadFile(filepath.Join("..", "..", "policies", "bank.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(strings.ReplaceAll(string(pol), "withdrawn", "revoked"), "\nfields:\n", `
fields:
  - name: review
    type: object
    fields:
      - name: level
        type: enum
        values: [{id: high, zh: 高}, {id: low, zh: 低}]
`, 1) + `  - id: big
    zh: 大额投诉月报
    en: Large complaints
    basis: 自定
    periods: [months]
    when: amount > 50000 || status == "revoked"
    tables:
      - id: by-channel
        zh: 按渠道
        rows: channel
        columns:
          - {zh: 件数}
          - {zh: 在办, count: open}
      - id: by-dept
        zh: 按部门
        rows: department
        top: 1
        columns: [{zh: 件数}]
      - id: by-level
        zh: 按复核级别
        rows: review.level
        columns: [{zh: 件数}, {values: review.level}]
      - id: open
        zh: 在办明细
        cases: [open]
        items: ["#id", "#summary", {path: channel, zh: 渠道}]
`
	files := map[string]string{"policies/bank.yaml": src}
	for name, body := range map[string]string{
		"cases/2026/11/06/BANK-2026-0103.md": caseFile("BANK-2026-0103", "bank", "received", "2026-11-06T09:00:00+08:00",
			"channel: letter", "category: product", "amount: 60000", "department: 信贷部", "review: {level: high}"),
		"cases/2026/11/10/BANK-2026-0106.md": caseFile("BANK-2026-0106", "bank", "received", "2026-11-10T09:00:00+08:00",
			"channel: visit", "category: product", "amount: 70000", "department: 零售部"),
		"cases/2026/11/09/BANK-2026-0105.md": caseFile("BANK-2026-0105", "bank", "received", "2026-11-09T09:00:00+08:00",
			"channel: phone", "category: product", "amount: 100"),
		"cases/2026/10/09/BANK-2026-0104.md": caseFile("BANK-2026-0104", "bank", "revoked", "2026-10-09T09:00:00+08:00",
			"channel: phone", "category: violation"),
	} {
		files[name] = body
	}
	// historyRepo writes the built-in policies into the first commit; the
	// office's copy replaces the bank's in the same commit as its cases.
	got := build(t, historyRepo(t, commit{"2026-11-01T12:00:00+08:00", map[string]string{}},
		commit{"2026-11-20T12:00:00+08:00", files}), Options{})
	half := string(got["reports/bank-stats-2026-H2.html"])
	// cases, closed, withdrawn (now revoked), open
	if row := rowOf(t, half, "content", "违规操作"); strings.Join(row[:4], ",") != "1,0,1,0" {
		t.Errorf("H2 违规操作 = %q, want the revoked case counted as 撤诉", row)
	}
	nov := string(got["reports/bank-big-2026-11.html"])
	if nov == "" {
		t.Fatalf("the office's own report has no page for 2026-11; pages: %v", keysWith(got, "reports/bank-big"))
	}
	if row := rowOf(t, nov, "by-channel", "信件"); strings.Join(row, ",") != "1,1" {
		t.Errorf("by-channel 信函 = %q, want 1 case, 1 open (the 60,000 yuan one only)", row)
	}
	if row := rowOf(t, nov, "by-channel", "电话"); strings.Join(row, ",") != "0,0" {
		t.Errorf("by-channel 电话 = %q, want 0,0: the 100 yuan case is not counted", row)
	}
	// Grouped by a text field, the first value only (top: 1; a tie goes
	// by the value), the rest in 其他.
	if row := rowOf(t, nov, "by-dept", "信贷部"); strings.Join(row, ",") != "1" {
		t.Errorf("by-dept 信贷部 = %q, want 1", row)
	}
	if row := rowOf(t, nov, "by-dept", "其他"); strings.Join(row, ",") != "1" {
		t.Errorf("by-dept 其他 = %q, want 1 (零售部)", row)
	}
	if strings.Contains(nov, "<td>零售部</td>") {
		t.Error("by-dept lists 零售部 beyond top: 1")
	}
	// Grouped by a nested enum, rows and columns alike.
	if row := rowOf(t, nov, "by-level", "高"); strings.Join(row, ",") != "1,1,0,0" {
		t.Errorf("by-level 高 = %q, want 1 case, counted under 高", row)
	}
	if row := rowOf(t, nov, "by-level", "（未填）"); strings.Join(row, ",") != "1,0,0,1" {
		t.Errorf("by-level unset = %q, want the 零售部 case", row)
	}
	if !strings.Contains(nov, "BANK-2026-0103") || strings.Contains(nov, "BANK-2026-0105") {
		t.Errorf("the open list holds the wrong cases:\n%s", nov)
	}
	if _, ok := got["reports/bank-big-2026-10.html"]; !ok {
		t.Error("the revoked case's month has no page")
	}
	idx := string(got["reports/index.html"])
	if !strings.Contains(idx, `<h3>大额投诉月报 · 自定</h3>`) {
		t.Errorf("reports/index.html does not list the office's report")
	}
}

func keysWith(files map[string][]byte, prefix string) []string {
	var out []string
	for k := range files {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// TestSeedReports_NameClash: an office names a policy bank-stats, whose
// monthly report would be reports/bank-stats-2026-11.html, the bank's
// 第二十二条 page of that month. The build fails naming both, rather
// than one page silently replacing the other.
func TestSeedReports_NameClash(t *testing.T) {
	pol, err := os.ReadFile(filepath.Join("..", "..", "policies", "internet.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(strings.Replace(string(pol), "\nid: internet\n", "\nid: bank-stats\n", 1), "\nprefix: NET\n", "\nprefix: BS\n", 1)
	dir := historyRepo(t, commit{"2026-11-01T12:00:00+08:00", map[string]string{}}, commit{"2026-11-20T12:00:00+08:00", map[string]string{
		"policies/bank-stats.yaml":           src,
		"cases/2026/11/06/BANK-2026-0103.md": caseFile("BANK-2026-0103", "bank", "received", "2026-11-06T09:00:00+08:00", "channel: letter", "category: product"),
		"cases/2026/11/07/BS-2026-0001.md":   caseFile("BS-2026-0001", "bank-stats", "received", "2026-11-07T09:00:00+08:00"),
	}})
	o, err := office.Load(dir, office.Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Build(o, Options{Out: t.TempDir(), Now: testNow})
	if err == nil || !strings.Contains(err.Error(), "would both be reports/bank-stats-2026-11.html") {
		t.Errorf("build = %v, want it to name the clash", err)
	}
}
