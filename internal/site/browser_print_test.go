package site

// What a phone and a printer get of the charts and tables, in a real
// Chromium: chart text no smaller than 11 CSS px at 390 px and inside its
// chart, number headers aligned with their numbers, registers printed on
// landscape A4 in few pages, a case's form on one portrait page with its
// signature lines, nothing on paper to click.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/casebook/casebook/internal/office"
)

// longDepartment is a department name too long for a chart's label
// column, so its bar's label must wrap onto a second line.
const longDepartment = "城关区农村商业银行股份有限公司普惠金融与个人金融事业部"

// newBrowserSite builds a repository of files in the language lang,
// serves the site and opens a tab on it; it returns the tab and the
// folder built.
func newBrowserSite(t *testing.T, files map[string]string, lang string) (*browserPage, string) {
	t.Helper()
	exe := chromiumPath(t)
	o, err := office.Load(newRepo(t, files), office.Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if _, err := Build(o, Options{Out: out, Now: testNow, Lang: lang}); err != nil {
		t.Fatal(err)
	}
	return startBrowser(t, exe, out), out
}

// sitePages are the pages under dir of the site at out, addressed from
// the site root, sorted.
func sitePages(t *testing.T, out, dir, pattern string) []string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(out, dir, pattern))
	if err != nil {
		t.Fatal(err)
	}
	var pages []string
	for _, m := range matches {
		rel, _ := filepath.Rel(out, m)
		pages = append(pages, filepath.ToSlash(rel))
	}
	slices.Sort(pages)
	return pages
}

// checkResult is what a checking script returns: how many things it looked at
// and what it found wrong with them.
type checkResult struct {
	Checked  int      `json:"checked"`
	Problems []string `json:"problems"`
}

// check evaluates a checking script on the page open in p.
func (p *browserPage) check(t *testing.T, js string) checkResult {
	t.Helper()
	c, err := chromedp.Run(p.ctx, chromedp.Evaluate[checkResult](js))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// chartTextJS measures every text of every SVG on the page: its font size
// as drawn (the computed size times the SVG's scale) and its box, which
// must lie inside the SVG's.
const chartTextJS = `(() => {
	const problems = [];
	let checked = 0;
	const r = b => [b.left, b.top, b.right, b.bottom].map(v => v.toFixed(1)).join(",");
	for (const svg of document.querySelectorAll("svg")) {
		const box = svg.getBoundingClientRect();
		const scale = svg.getScreenCTM().a;
		for (const text of svg.querySelectorAll("text")) {
			checked++;
			const what = JSON.stringify(text.textContent);
			const px = parseFloat(getComputedStyle(text).fontSize) * scale;
			if (px < 11) {
				problems.push(what + " is drawn " + px.toFixed(1) + " px high");
			}
			const b = text.getBoundingClientRect();
			if (b.left < box.left - 0.5 || b.right > box.right + 0.5 || b.top < box.top - 0.5 || b.bottom > box.bottom + 0.5) {
				problems.push(what + " at " + r(b) + " is cut off by its chart at " + r(box));
			}
		}
	}
	return {checked, problems};
})()`

// numberHeadsJS compares each number cell (td.n) with the header over its
// column: both must align the same way.
const numberHeadsJS = `(() => {
	const problems = new Set();
	let checked = 0;
	for (const table of document.querySelectorAll("table")) {
		const head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
		if (!head) {
			continue;
		}
		const over = [];
		for (const th of head.cells) {
			for (let k = 0; k < th.colSpan; k++) {
				over.push(th);
			}
		}
		for (const body of [...table.tBodies, ...(table.tFoot ? [table.tFoot] : [])]) {
			for (const tr of body.rows) {
				let col = 0;
				for (const cell of tr.cells) {
					const th = over[col];
					if (cell.matches("td.n") && th) {
						checked++;
						const want = getComputedStyle(cell).textAlign, got = getComputedStyle(th).textAlign;
						if (got !== want) {
							problems.add((table.id || table.className || "table") + ": header " + JSON.stringify(th.textContent) + " aligns " + got + " over numbers aligned " + want);
						}
					}
					col += cell.colSpan;
				}
			}
		}
	}
	return {checked, problems: [...problems]};
})()`

// chartCases are the browser tests' cases and one whose department is
// too long a label for its chart.
func chartCases() map[string]string {
	files := map[string]string{}
	for k, v := range browserCases {
		files[k] = v
	}
	files["cases/2026/11/12/BANK-2026-0306.md"] = `---
id: BANK-2026-0306
policy: bank
title: 贷款利率告知不清
status: assigned
received_at: 2026-11-12T09:00:00+08:00
channel: phone
category: product
assignee: 孙丽
department: ` + longDepartment + `
---
`
	return files
}

// TestBrowser_ChartText: on a phone every chart's text is at least 11 CSS
// px high and lies inside its chart, long labels included.
func TestBrowser_ChartText(t *testing.T) {
	// English labels are longer: they wrap at spaces.
	en, out := newBrowserSite(t, chartCases(), "en")
	if err := chromedp.Do(en.ctx, chromedp.EmulateViewport(390, 800)); err != nil {
		t.Fatal(err)
	}
	for _, page := range append([]string{"index.html"}, sitePages(t, out, "reports", "*.html")...) {
		en.open(t, page)
		for _, msg := range en.check(t, chartTextJS).Problems {
			t.Errorf("en %s at 390 px: %s", page, msg)
		}
	}

	p, out := newBrowserSite(t, chartCases(), "")
	if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(390, 800)); err != nil {
		t.Fatal(err)
	}
	pages := append([]string{"index.html"}, sitePages(t, out, "reports", "*.html")...)
	texts := 0
	for _, page := range pages {
		for _, msg := range p.open(t, page) {
			t.Errorf("%s: %s", page, msg)
		}
		c := p.check(t, chartTextJS)
		texts += c.Checked
		for _, msg := range c.Problems {
			t.Errorf("%s at 390 px: %s", page, msg)
		}
	}
	if texts < 50 {
		t.Errorf("only %d chart texts on %d pages; the charts are missing", texts, len(pages))
	}
	// The long department wraps: no one text holds the whole of it.
	report := "reports/bank-2026-11.html"
	p.open(t, report)
	lines, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll("#department svg text")].map(t => t.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(lines, "")
	if !strings.Contains(joined, longDepartment[:len(longDepartment)/2]) || slices.Contains(lines, longDepartment) {
		t.Errorf("%s: the department chart's texts are %q, want %q wrapped onto lines", report, lines, longDepartment)
	}

	// The check itself finds a chart drawn for a desktop: 12-unit text
	// in a 640-unit view box, and a label past its right edge.
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`(() => {
		const d = document.createElement("div");
		d.innerHTML = '<svg class="chart" width="640" height="40" viewBox="0 0 640 40"><text x="600" y="20" font-size="12">过长的类别名称</text></svg>';
		document.querySelector("main").appendChild(d);
		return true;
	})()`)); err != nil {
		t.Fatal(err)
	}
	c := p.check(t, chartTextJS)
	got := strings.Join(c.Problems, "\n")
	for _, want := range []string{"px high", "is cut off"} {
		if !strings.Contains(got, want) {
			t.Errorf("a desktop chart at 390 px: the check reports %q, want a problem with %q", c.Problems, want)
		}
	}
}

// TestBrowser_NumberHeaders: the header of a column of numbers aligns as
// its numbers do, on the dashboard and every report page.
func TestBrowser_NumberHeaders(t *testing.T) {
	p, out := newBrowserSite(t, chartCases(), "")
	pages := append([]string{"index.html"}, sitePages(t, out, "reports", "*.html")...)
	cells := 0
	for _, width := range []int64{1280, 390} {
		if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(width, 800)); err != nil {
			t.Fatal(err)
		}
		for _, page := range pages {
			p.open(t, page)
			c := p.check(t, numberHeadsJS)
			cells += c.Checked
			for _, msg := range c.Problems {
				t.Errorf("%s at %d px: %s", page, width, msg)
			}
		}
	}
	if cells < 100 {
		t.Errorf("only %d number cells under headers; the tables are missing", cells)
	}
	// The check finds a left-aligned header over numbers.
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`(() => {
		const d = document.createElement("div");
		d.innerHTML = '<table id="bad"><thead><tr><th>名称</th><th>件数</th></tr></thead><tbody><tr><td>甲</td><td class="n">3</td></tr></tbody></table>';
		document.querySelector("main").appendChild(d);
		return true;
	})()`)); err != nil {
		t.Fatal(err)
	}
	if c := p.check(t, numberHeadsJS); !slices.ContainsFunc(c.Problems, func(s string) bool { return strings.HasPrefix(s, "bad: header \"件数\"") }) {
		t.Errorf("a left-aligned header over numbers: the check reports %q", c.Problems)
	}
}

// registerCases are the form tests' cases and n more bank cases, spread
// over June to October, for a register of many rows.
func registerCases(t *testing.T, n int) map[string]string {
	t.Helper()
	files := moreFormCases(t)
	channels := []string{"phone", "visit", "letter", "online"}
	categories := []string{"work_error", "attitude", "product", "service_channel"}
	departments := []string{"运营管理部", "个人金融部", "风险管理部", "科技信息部"}
	titles := []string{"柜员办理业务出错", "理财产品收益不及预期", "网点排队时间过长", "转账金额录入错误"}
	for i := range n {
		id := fmt.Sprintf("BANK-2026-%04d", 1000+i)
		month, day := 6+i%5, 1+i%28
		files[fmt.Sprintf("cases/2026/%02d/%02d/%s.md", month, day, id)] = fmt.Sprintf(`---
id: %s
policy: bank
title: %s
status: assigned
received_at: 2026-%02d-%02dT09:%02d:00+08:00
channel: %s
category: %s
assignee: 吴涛
department: %s
leader_opinion: {by: 张行长, at: 2026-%02d-%02dT17:00:00+08:00, opinion: 请认真核实，及时处理}
---
`, id, titles[i%4], month, day, i%60, channels[i%4], categories[(i/4)%4], departments[(i/3)%4], month, day)
	}
	return files
}

// emulateMedia makes the page's CSS see the media type ("print"; "" for
// the screen again).
func emulateMedia(media string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return err
	})
}

var (
	pdfPageObject = regexp.MustCompile(`/Type\s*/Page[^s]`)
	pdfMediaBox   = regexp.MustCompile(`/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]`)
)

// printed is one page printed to PDF on A4 as its CSS asks (@page).
type printed struct {
	pages int
	// landscape and portrait count the pages of each orientation.
	landscape, portrait int
	pdf                 []byte
}

// print prints the page of the site to PDF.
func (p *browserPage) print(t *testing.T, page string) printed {
	t.Helper()
	for _, msg := range p.open(t, page) {
		t.Errorf("%s: %s", page, msg)
	}
	pdf, err := chromedp.Run(p.ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatalf("print %s: %v", page, err)
	}
	out := printed{pages: len(pdfPageObject.FindAll(pdf, -1)), pdf: pdf}
	for _, m := range pdfMediaBox.FindAllSubmatch(pdf, -1) {
		w, _ := strconv.ParseFloat(string(m[1]), 64)
		h, _ := strconv.ParseFloat(string(m[2]), 64)
		if w > h {
			out.landscape++
		} else {
			out.portrait++
		}
	}
	if out.pages == 0 || out.landscape+out.portrait != out.pages {
		t.Fatalf("%s: PDF with %d page objects and %d landscape, %d portrait media boxes", page, out.pages, out.landscape, out.portrait)
	}
	if keep := os.Getenv("CASEBOOK_SCREENSHOTS"); keep != "" {
		if err := os.WriteFile(filepath.Join(keep, strings.ReplaceAll(page, "/", "_")+".pdf"), pdf, 0o644); err != nil {
			t.Errorf("CASEBOOK_SCREENSHOTS: %v", err)
		}
	}
	return out
}

// onPaperJS lists what the page shows on paper that is for the screen:
// the navigation, CSV and download links, filters, pagers, "see all"
// links; and whatever sticks out of the page's width.
const onPaperJS = `(() => {
	const problems = [];
	const sel = "header.top nav, .csv, .exports, .filter, .views, .pager, #more, #download, p.more";
	const els = document.querySelectorAll(sel);
	for (const el of els) {
		if (el.getClientRects().length > 0) {
			problems.push(el.tagName.toLowerCase() + "." + el.className + " " + JSON.stringify(el.textContent.trim().slice(0, 40)) + " is printed");
		}
	}
	const width = document.documentElement.clientWidth;
	for (const el of document.querySelectorAll("main table, main svg, .signatures")) {
		const b = el.getBoundingClientRect();
		if (b.right > width + 0.5 || b.left < -0.5) {
			problems.push(el.tagName.toLowerCase() + "." + el.className + " spans " + b.left.toFixed(0) + "–" + b.right.toFixed(0) + " px of a " + width + " px page");
		}
	}
	return {checked: els.length, problems};
})()`

// TestBrowser_Print prints registers, reports and every kind of form:
// registers, reports and case lists on landscape A4, a register of many
// cases in few pages, each case's form on exactly one portrait page with
// its signature lines, and nothing on paper to click.
func TestBrowser_Print(t *testing.T) {
	const extra = 150
	p, out := newBrowserSite(t, registerCases(t, extra), "")

	t.Run("register", func(t *testing.T) {
		const page = "forms/bank-register.html"
		got := p.print(t, page)
		if got.portrait > 0 {
			t.Errorf("%s: %d of %d pages portrait, want landscape", page, got.portrait, got.pages)
		}
		// Portrait with every cell wrapping took a page for each 10 or
		// 11 rows; landscape fits 20 at least.
		if limit := (extra + 19) / 20; got.pages > limit {
			t.Errorf("%s: %d pages for %d cases, want at most %d", page, got.pages, extra, limit)
		}
	})
	for _, page := range []string{"index.html", "reports/bank-2026-H2.html", "reports/bank-stats-2026-H2.html", "cases/index.html"} {
		t.Run(page, func(t *testing.T) {
			if got := p.print(t, page); got.portrait > 0 {
				t.Errorf("%s: %d of %d pages portrait, want landscape", page, got.portrait, got.pages)
			}
		})
	}

	// One of each kind of per-case form, as forms/index.html links them:
	// a sheet of the case's page (../cases/ZB-2026-0201.html#form-transcript
	// is of kind zb-transcript).
	perCase := regexp.MustCompile(`href="\.\./(cases/([A-Z]+)-2026-\d+\.html#form-([A-Za-z0-9_-]+))"`)
	signatures := map[string][]string{
		"zb-transcript":        {"被询问人", "询问人", "记录人"},
		"zb-handling_approval": {"承办", "审核", "批准"},
		"zb-closing_approval":  {"承办", "审核", "批准"},
	}
	index, err := os.ReadFile(filepath.Join(out, "forms", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, sm := range perCase.FindAllStringSubmatch(string(index), -1) {
		page, kind := sm[1], strings.ToLower(sm[2])+"-"+sm[3]
		m := []string{page, kind}
		if seen[m[1]] {
			continue
		}
		seen[m[1]] = true
		t.Run(m[1], func(t *testing.T) {
			got := p.print(t, page)
			if got.pages != 1 || got.portrait != 1 {
				t.Errorf("%s prints on %d pages (%d portrait), want one portrait page", page, got.pages, got.portrait)
			}
			// The signature lines are on paper, with the form's labels.
			if err := chromedp.Do(p.ctx, emulateMedia("print")); err != nil {
				t.Fatal(err)
			}
			defer chromedp.Do(p.ctx, emulateMedia(""))
			text, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](
				`(() => { const s = [...document.querySelectorAll(".signatures")].find(s => s.getClientRects().length); return s ? s.innerText : ""; })()`))
			if err != nil {
				t.Fatal(err)
			}
			if text == "" {
				t.Fatalf("%s prints no signature lines", page)
			}
			for _, label := range signatures[m[1]] {
				if !strings.Contains(text, label+":") {
					t.Errorf("%s: signature lines %q lack %s", page, text, label)
				}
			}
		})
	}
	if len(seen) < 10 || !seen["zb-transcript"] || !seen["zb-closing_approval"] {
		t.Errorf("printed %d kinds of form, want every kind: %v", len(seen), seen)
	}

	// On paper (print media, at the width of a landscape A4 page less its
	// margins; a portrait one for a case's form) nothing is there to
	// click and nothing sticks out.
	paper := []struct {
		page  string
		width int64
	}{
		{"forms/bank-register.html", 1047},
		{"reports/bank-2026-H2.html", 1047},
		{"reports/bank-stats-2026-H2.html", 1047},
		{"cases/index.html", 1047},
		{"index.html", 1047},
		{"cases/ZB-2026-0201.html#form-transcript", 703},
		{"cases/BANK-2026-0203.html#form-result_report", 703},
	}
	for _, tt := range paper {
		t.Run("paper "+tt.page, func(t *testing.T) {
			if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(tt.width, 700), emulateMedia("print")); err != nil {
				t.Fatal(err)
			}
			defer chromedp.Do(p.ctx, emulateMedia(""))
			p.open(t, tt.page)
			c := p.check(t, onPaperJS)
			if c.Checked == 0 {
				t.Errorf("%s has no navigation to leave off", tt.page)
			}
			for _, msg := range c.Problems {
				t.Errorf("%s on paper: %s", tt.page, msg)
			}
		})
	}
	// And on the screen the same check finds the navigation.
	if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(1280, 800), emulateMedia("")); err != nil {
		t.Fatal(err)
	}
	p.open(t, "reports/bank-2026-H2.html")
	if c := p.check(t, onPaperJS); !slices.ContainsFunc(c.Problems, func(s string) bool { return strings.HasPrefix(s, "nav.") }) {
		t.Errorf("on the screen the check finds no navigation: %q", c.Problems)
	}
}
