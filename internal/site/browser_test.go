package site

// Checks the built site in a real headless Chromium: pages load without
// console errors or failed requests, the case-list filter works, the
// dashboard renders at desktop and phone widths, and a form prints to PDF.
// The tests skip when no Chromium is installed or with -short.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/stats"
)

// browserTimeout bounds one test's whole browser session, so a hung
// Chromium fails the test instead of stalling CI. The accessibility check
// runs axe on some sixty pages in one session, which takes most of a
// minute on two busy cores; the bound is for hangs, not for speed.
const browserTimeout = 5 * time.Minute

// chromiumPath returns the browser to drive, or skips the test.
func chromiumPath(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests start Chromium; skipped with -short")
	}
	if p := os.Getenv("CASEBOOK_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("CASEBOOK_CHROMIUM=%s: %v", p, err)
		}
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		// CI installs it (.ci/run): there its absence is a failure.
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but no Chromium at /usr/bin/chromium: .ci/run installs the chromium package")
		}
		t.Skip("no Chromium at /usr/bin/chromium (install the chromium package or set CASEBOOK_CHROMIUM)")
	}
	return "/usr/bin/chromium"
}

// browserPage is one Chromium tab looking at a freshly built site.
type browserPage struct {
	ctx  context.Context // the tab; every action runs against it
	base string          // URL of the site root, ending in "/"

	mu       sync.Mutex
	problems []string // console errors, exceptions and failed requests
}

// browserCases is the browser tests' own repository, so fixtures other
// tests grow do not change the row counts asserted here: two assigned
// cases, a replied one with its report sections, two received ones.
var browserCases = map[string]string{
	"cases/2026/11/10/BANK-2026-0301.md": `---
id: BANK-2026-0301
policy: bank
title: 柜员办理业务出错
status: assigned
received_at: 2026-11-10T09:00:00+08:00
channel: phone
category: work_error
assignee: 吴涛
department: 运营管理部
leader_opinion: {by: 张行长, at: 2026-11-10T10:00:00+08:00, opinion: 三日内回复客户}
---
## 投诉内容

出错。
`,
	"cases/2026/11/25/BANK-2026-0302.md": `---
id: BANK-2026-0302
policy: bank
title: 理财产品说明不清
status: assigned
received_at: 2026-11-25T09:00:00+08:00
channel: visit
category: product
assignee: 赵敏
department: 个人金融部
---
`,
	"cases/2026/11/02/BANK-2026-0303.md": `---
id: BANK-2026-0303
policy: bank
title: 服务态度差
status: replied
received_at: 2026-11-02T09:00:00+08:00
channel: visit
category: attitude
satisfaction: satisfied
handled_at: 2026-11-04T15:00:00+08:00
handler: 钱经理
handler_phone: "0931-1234567"
---
## 调查核实情况

经查属实。

## 处理意见

对柜员**批评教育**。

## 整改措施

加强培训。
`,
	"cases/2026/11/20/BANK-2026-0304.md": `---
id: BANK-2026-0304
policy: bank
title: 上级转来的匿名信
status: received
received_at: 2026-11-20T09:00:00+08:00
channel: regulator
category: anonymous
complainant: {anonymous: true}
---
`,
	"cases/2026/11/24/BANK-2026-0305.md": `---
id: BANK-2026-0305
policy: bank
title: 信用卡年费争议
status: received
received_at: 2026-11-24T10:00:00+08:00
channel: phone
category: product
---
`,
}

// newBrowserPage builds the browserCases repository, serves the site on
// 127.0.0.1 and opens a tab that records every error the page reports.
func newBrowserPage(t *testing.T) *browserPage {
	t.Helper()
	p, _ := newBrowserPageFor(t, AudienceInternal)
	return p
}

// newBrowserPageFor is newBrowserPage for a build of the audience; it
// also returns the folder built.
func newBrowserPageFor(t *testing.T, audience Audience) (*browserPage, string) {
	t.Helper()
	exe := chromiumPath(t)

	o, err := office.Load(newRepo(t, browserCases), office.Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	// A long base URL: the addresses the dashboard shows to paste into a
	// calendar app must wrap on a phone, not widen the page.
	base := "https://chengguan-rural-commercial-bank-supervision-office.example.gitlab.io/complaints/dashboard/"
	if _, err := Build(o, Options{Out: out, Now: testNow, Audience: audience, BaseURL: base}); err != nil {
		t.Fatal(err)
	}
	return startBrowser(t, exe, out), out
}

// startBrowser serves the directory out on 127.0.0.1 and opens a tab of
// the Chromium at exe that records every error the page reports.
func startBrowser(t testing.TB, exe, out string) *browserPage {
	t.Helper()
	return startBrowserFor(t, exe, out, browserTimeout)
}

// startBrowserFor is startBrowser with the session bounded by timeout
// (a benchmark's runs take longer than a test).
func startBrowserFor(t testing.TB, exe, out string, timeout time.Duration) *browserPage {
	t.Helper()
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	t.Cleanup(srv.Close)

	// The user-data dir is made before the cleanups below are registered,
	// so it is removed only after the browser has exited.
	profile := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox, // CI runs as root, where the sandbox refuses to start
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.NoFirstRun,
		chromedp.UserDataDir(profile),
	)
	parent, cancelTimeout := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancelTimeout)
	alloc, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(alloc)
	t.Cleanup(cancelTab)

	p := &browserPage{ctx: ctx, base: srv.URL + "/"}
	if err := chromedp.Listen(ctx, p.record); err != nil {
		t.Fatalf("start chromium %s: %v", exe, err)
	}
	return p
}

// record runs on chromedp's read loop, so it only appends under the lock.
func (p *browserPage) record(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range ev.Args {
				args = append(args, strings.TrimSpace(string(a.Value)+" "+a.Description))
			}
			msg = fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " "))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg = fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber+1, d.Text)
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError && !isFavicon(ev.Entry.URL) {
			msg = fmt.Sprintf("log %s: %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		}
	case *network.EventLoadingFailed:
		msg = fmt.Sprintf("request %s failed: %s %s", ev.RequestID, ev.ErrorText, ev.BlockedReason)
	case *network.EventResponseReceived:
		if ev.Response.Status >= 400 && !isFavicon(ev.Response.URL) {
			msg = fmt.Sprintf("HTTP %d for %s", ev.Response.Status, ev.Response.URL)
		}
	}
	if msg != "" {
		p.mu.Lock()
		p.problems = append(p.problems, msg)
		p.mu.Unlock()
	}
}

// isFavicon tells the browser's own request for /favicon.ico, which no
// page asks for; the site has no icon, so it is a 404 that is not a page
// error.
func isFavicon(url string) bool {
	return strings.HasSuffix(url, "/favicon.ico")
}

// open loads a page of the site, addressed from the site root, and
// returns the problems it reported while loading.
func (p *browserPage) open(t *testing.T, page string) []string {
	t.Helper()
	return p.openURL(t, p.base+page)
}

// openURL is open for any address (a file:// one).
func (p *browserPage) openURL(t *testing.T, page string) []string {
	t.Helper()
	p.mu.Lock()
	p.problems = nil
	p.mu.Unlock()
	// A form is a sheet of its case's page: going from one sheet to
	// another of the same page would not load it again.
	if strings.Contains(page, "#") {
		if err := chromedp.Do(p.ctx, chromedp.Navigate("about:blank")); err != nil {
			t.Fatalf("load about:blank: %v", err)
		}
	}
	if err := chromedp.Do(p.ctx, chromedp.Navigate(page)); err != nil {
		t.Fatalf("load %s: %v", page, err)
	}
	// A round trip after the load event: events sent before its reply have
	// been recorded when it returns.
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[string]("document.readyState")); err != nil {
		t.Fatalf("%s: %v", page, err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.problems...)
}

func TestBrowser_PagesLoadCleanly(t *testing.T) {
	p := newBrowserPage(t)
	tests := []struct {
		name, page, heading string
	}{
		{"dashboard", "index.html", "h1"},
		{"case list", "cases/index.html", "#cases tbody tr"},
		{"case page", "cases/BANK-2026-0301.html", "h1"},
		{"replied case page", "cases/BANK-2026-0303.html", "h1"},
		{"forms index", "forms/index.html", "a"},
		{"result report form", "cases/BANK-2026-0303.html#form-result_report", ".form-sheet:target table"},
		{"reports index", "reports/index.html", "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, msg := range p.open(t, tt.page) {
				t.Errorf("%s: %s", tt.page, msg)
			}
			n, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](
				fmt.Sprintf("document.querySelectorAll(%q).length", tt.heading)))
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				t.Errorf("%s shows no %s", tt.page, tt.heading)
			}
			// The stylesheet must have applied: the CSP or a bad path
			// would leave the page with no rules.
			rules, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](
				"Array.from(document.styleSheets).reduce((n, s) => n + s.cssRules.length, 0)"))
			if err != nil {
				t.Fatal(err)
			}
			if rules == 0 {
				t.Errorf("%s: site.css did not load", tt.page)
			}
		})
	}
}

// TestBrowser_CatchesErrors proves the checks above can fail: each row
// makes the page misbehave in one way that the recorder must report.
func TestBrowser_CatchesErrors(t *testing.T) {
	p := newBrowserPage(t)
	tests := []struct {
		name, page, script, want string
	}{
		{"missing page", "cases/NOPE.html", "", "HTTP 404"},
		{"console.error", "index.html", `console.error("boom")`, "console.error"},
		{"uncaught exception", "index.html", `setTimeout(() => { throw new Error("boom") }); new Promise(r => setTimeout(r, 50))`, "exception"},
		{"CSP blocks a foreign image", "index.html",
			`document.body.appendChild(Object.assign(document.createElement("img"), {src: "http://example.invalid/x.png"})); new Promise(r => setTimeout(r, 50))`,
			"Content Security Policy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := p.open(t, tt.page)
			if tt.script != "" {
				if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[any](tt.script, chromedp.EvalAwaitPromise)); err != nil {
					t.Fatal(err)
				}
				p.mu.Lock()
				got = append([]string(nil), p.problems...)
				p.mu.Unlock()
			}
			if !strings.Contains(strings.Join(got, "\n"), tt.want) {
				t.Errorf("recorded %q, want a message with %q", got, tt.want)
			}
		})
	}
}

func TestBrowser_CaseFilter(t *testing.T) {
	p := newBrowserPage(t)
	for _, msg := range p.open(t, "cases/index.html") {
		t.Errorf("cases/index.html: %s", msg)
	}
	// The script un-hides the filter form; without it the form stays hidden.
	if err := chromedp.Do(p.ctx, chromedp.WaitVisible(chromedp.ID("filter-text"))); err != nil {
		t.Fatalf("filter input never became visible: %v", err)
	}
	// Rows the user can see: hidden by the script and laid out by the browser.
	const visible = `Array.from(document.querySelectorAll("#cases tbody tr")).filter(r => r.getClientRects().length > 0).length`
	all, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](visible))
	if err != nil {
		t.Fatal(err)
	}
	if all != 5 {
		t.Fatalf("case list shows %d rows before filtering, want 5", all)
	}
	tests := []struct {
		name, text, status string
		// sel sets the other selects (filter-category, -channel,
		// -department, -sort) by id suffix; late ticks "overdue".
		sel  map[string]string
		late bool
		want int
		// first is the id of the first row shown, when given.
		first string
	}{
		{name: "id fragment", text: "0303", want: 1},
		{name: "common id prefix", text: "bank-2026-030", want: 5, first: "BANK-2026-0302"},
		{name: "upper and lower case match", text: "bank-2026-0302", want: 1},
		{name: "title text", text: "年费", want: 1},
		{name: "no match", text: "zzz", want: 0},
		{name: "status alone", status: "bank/received", want: 2},
		{name: "status and text", text: "bank", status: "bank/assigned", want: 2},
		{name: "status and id", text: "0304", status: "bank/received", want: 1},
		{name: "status excludes the id", text: "0303", status: "bank/assigned", want: 0},
		{name: "category", sel: map[string]string{"category": "bank/product"}, want: 2},
		{name: "channel", sel: map[string]string{"channel": "bank/visit"}, want: 2},
		{name: "department", sel: map[string]string{"department": "运营管理部"}, want: 1, first: "BANK-2026-0301"},
		{name: "category and channel", sel: map[string]string{"category": "bank/product", "channel": "bank/phone"}, want: 1},
		{name: "overdue", late: true, want: 1, first: "BANK-2026-0301"},
		{name: "sorted by id", sel: map[string]string{"sort": "id"}, want: 5, first: "BANK-2026-0301"},
		{name: "cleared", want: 5, first: "BANK-2026-0302"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Type the text with real key events (the script listens to
			// "input"), then set the selects the way a change would.
			// (chromedp.SetValue reports a failure when it sets "".)
			if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](
				`document.getElementById("filter-text").value = ""`)); err != nil {
				t.Fatal(err)
			}
			if tt.text != "" {
				if err := chromedp.Do(p.ctx, chromedp.SendKeys(chromedp.ID("filter-text"), tt.text)); err != nil {
					t.Fatal(err)
				}
			}
			values := map[string]string{"status": tt.status, "category": "", "channel": "", "department": "", "sort": "received"}
			for k, v := range tt.sel {
				values[k] = v
			}
			sets, _ := json.Marshal(values)
			missing, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](fmt.Sprintf(`(() => {
				const want = %s;
				for (const k in want) {
					const s = document.getElementById("filter-" + k);
					s.value = want[k];
					if (s.value !== want[k]) { return k + "=" + want[k]; }
				}
				const late = document.getElementById("filter-overdue");
				late.checked = %t;
				for (const k in want) {
					document.getElementById("filter-" + k).dispatchEvent(new Event("change", {bubbles: true}));
				}
				late.dispatchEvent(new Event("change", {bubbles: true}));
				return "";
			})()`, sets, tt.late)))
			if err != nil {
				t.Fatal(err)
			}
			if missing != "" {
				t.Fatalf("the filter has no option %s", missing)
			}
			got, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](visible))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("%s: %d visible rows, want %d", tt.name, got, tt.want)
			}
			if tt.first != "" {
				first, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](
					`(document.querySelector("#cases tbody tr td a") || {textContent: ""}).textContent`))
				if err != nil {
					t.Fatal(err)
				}
				if first != tt.first {
					t.Errorf("%s: first row %q, want %q", tt.name, first, tt.first)
				}
			}
		})
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, msg := range p.problems {
		t.Errorf("while filtering: %s", msg)
	}
}

func TestBrowser_DashboardScreenshots(t *testing.T) {
	p := newBrowserPage(t)
	keep := os.Getenv("CASEBOOK_SCREENSHOTS")
	tests := []struct {
		name  string
		width int64
	}{
		{"desktop", 1280},
		{"phone", 390},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(tt.width, 800)); err != nil {
				t.Fatal(err)
			}
			for _, msg := range p.open(t, "index.html") {
				t.Errorf("index.html at %d px: %s", tt.width, msg)
			}
			shot, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := png.DecodeConfig(bytes.NewReader(shot))
			if err != nil {
				t.Fatalf("screenshot is not a PNG: %v", err)
			}
			if int64(cfg.Width) != tt.width {
				t.Errorf("screenshot is %d px wide, want %d", cfg.Width, tt.width)
			}
			if len(shot) <= 10<<10 {
				t.Errorf("screenshot has only %d bytes; the page looks empty", len(shot))
			}
			// Nothing may stick out sideways, which on a phone means
			// horizontal scrolling of the whole page.
			overflow, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](
				"document.documentElement.scrollWidth - document.documentElement.clientWidth"))
			if err != nil {
				t.Fatal(err)
			}
			if overflow > 0 {
				t.Errorf("at %d px the page is %d px too wide", tt.width, overflow)
			}
			name := fmt.Sprintf("dashboard-%d.png", tt.width)
			if err := os.WriteFile(filepath.Join(t.TempDir(), name), shot, 0o644); err != nil {
				t.Fatal(err)
			}
			if keep != "" {
				if err := os.WriteFile(filepath.Join(keep, name), shot, 0o644); err != nil {
					t.Errorf("CASEBOOK_SCREENSHOTS: %v", err)
				}
			}
		})
	}
}

// TestBrowser_PublicPages loads every page of a public build at desktop
// and phone widths: no console error, no failed request, nothing wider
// than the screen.
func TestBrowser_PublicPages(t *testing.T) {
	p, out := newBrowserPageFor(t, AudiencePublic)
	pages, err := filepath.Glob(filepath.Join(out, "reports", "*.html"))
	if err != nil {
		t.Fatal(err)
	}
	pages = append([]string{filepath.Join(out, "index.html")}, pages...)
	if len(pages) < 3 {
		t.Fatalf("the public build has only %d pages", len(pages))
	}
	for _, width := range []int64{1280, 390} {
		if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(width, 800)); err != nil {
			t.Fatal(err)
		}
		for _, path := range pages {
			rel, _ := filepath.Rel(out, path)
			rel = filepath.ToSlash(rel)
			for _, msg := range p.open(t, rel) {
				t.Errorf("%s at %d px: %s", rel, width, msg)
			}
			overflow, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](
				"document.documentElement.scrollWidth - document.documentElement.clientWidth"))
			if err != nil {
				t.Fatal(err)
			}
			if overflow > 0 {
				t.Errorf("%s at %d px is %d px too wide", rel, width, overflow)
			}
			robots, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](
				`(document.querySelector('meta[name="robots"]') || {}).content || ""`))
			if err != nil {
				t.Fatal(err)
			}
			if robots != "noindex,nofollow" {
				t.Errorf("%s: robots meta %q", rel, robots)
			}
		}
	}
}

func TestBrowser_PrintForm(t *testing.T) {
	p := newBrowserPage(t)
	const form = "cases/BANK-2026-0303.html#form-result_report"
	for _, msg := range p.open(t, form) {
		t.Errorf("%s: %s", form, msg)
	}
	pdf, err := chromedp.Run(p.ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("%s printed to something that is not a PDF: %q", form, pdf[:min(len(pdf), 16)])
	}
	if len(pdf) <= 5<<10 {
		t.Errorf("PDF of %s has only %d bytes", form, len(pdf))
	}
	if keep := os.Getenv("CASEBOOK_SCREENSHOTS"); keep != "" {
		if err := os.WriteFile(filepath.Join(keep, "result_report.pdf"), pdf, 0o644); err != nil {
			t.Errorf("CASEBOOK_SCREENSHOTS: %v", err)
		}
	}
}

// TestBrowser_FormSheets: a case's forms are sheets of its page, hidden
// on the case page and shown alone, on the screen and on paper, when the
// link to one is followed.
func TestBrowser_FormSheets(t *testing.T) {
	p := newBrowserPage(t)
	const page = "cases/BANK-2026-0303.html"
	// shown lists main's visible children: their tag, and id if any.
	const shown = `[...document.querySelectorAll("main > *")].filter(e => e.getClientRects().length).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : ""))`
	visible := func() []string {
		t.Helper()
		got, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](shown))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	for _, msg := range p.open(t, page) {
		t.Errorf("%s: %s", page, msg)
	}
	got := visible()
	if len(got) < 3 || got[0] != "h1" || slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, "article") }) {
		t.Errorf("%s shows %q, want the case and no form", page, got)
	}
	// Follow the page's own link to the result report.
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`(() => { const a = document.querySelector('a[href="#form-result_report"]'); a.click(); return true; })()`)); err != nil {
		t.Fatal(err)
	}
	if got := visible(); !slices.Equal(got, []string{"article#form-result_report"}) {
		t.Errorf("after its link, %s shows %q, want the result report alone", page, got)
	}
	// On paper too, and on one page.
	if err := chromedp.Do(p.ctx, emulateMedia("print")); err != nil {
		t.Fatal(err)
	}
	if got := visible(); !slices.Equal(got, []string{"article#form-result_report"}) {
		t.Errorf("on paper %s#form-result_report shows %q, want the result report alone", page, got)
	}
	if err := chromedp.Do(p.ctx, emulateMedia("")); err != nil {
		t.Fatal(err)
	}
	// Opened from the forms index, the address carries the sheet: each of
	// the page's forms shows alone at its address.
	links, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('main > section a[href^="#form-"]')].map(a => a.getAttribute("href"))`))
	if err != nil {
		t.Fatal(err)
	}
	if len(links) < 2 {
		t.Fatalf("%s links %q, want two forms at least", page, links)
	}
	for _, l := range links {
		for _, msg := range p.open(t, page+l) {
			t.Errorf("%s%s: %s", page, l, msg)
		}
		if got := visible(); !slices.Equal(got, []string{"article" + l}) {
			t.Errorf("%s%s shows %q, want that form alone", page, l, got)
		}
	}
}

// TestBrowser_AggregatePages loads every page of an aggregate over the
// browser tests' site and an office without one, on a phone: no errors,
// the style sheet applied, nothing sticking out sideways, the headers of
// numbers aligned with them.
func TestBrowser_AggregatePages(t *testing.T) {
	exe := chromiumPath(t)
	o, err := office.Load(newRepo(t, browserCases), office.Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	site := t.TempDir()
	if _, err := Build(o, Options{Out: site, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	f, err := stats.Open(site)
	if err != nil {
		t.Fatal(err)
	}
	_, missing := stats.Open(filepath.Join(site, "nowhere"))
	out := t.TempDir()
	in := []OfficeStats{{Name: "城关", Path: site, Stats: f}, {Name: "东关", Path: "nowhere", Err: missing}}
	if _, err := Aggregate(in, AggregateOptions{Out: out, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	p := startBrowser(t, exe, out)
	if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(390, 800)); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"index.html", "months.html", "procedures.html", "offices/1.html"} {
		t.Run(page, func(t *testing.T) {
			for _, msg := range p.open(t, page) {
				t.Errorf("%s: %s", page, msg)
			}
			checks := []struct{ what, js string }{
				{"style rules", "Array.from(document.styleSheets).reduce((n, s) => n + s.cssRules.length, 0)"},
				{"tables", "document.querySelectorAll('main table').length"},
			}
			for _, c := range checks {
				n, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](c.js))
				if err != nil {
					t.Fatal(err)
				}
				if n == 0 {
					t.Errorf("%s has no %s", page, c.what)
				}
			}
			overflow, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](
				"document.documentElement.scrollWidth - document.documentElement.clientWidth"))
			if err != nil {
				t.Fatal(err)
			}
			if overflow > 0 {
				t.Errorf("%s at 390 px is %d px too wide", page, overflow)
			}
			c := p.check(t, numberHeadsJS)
			if c.Checked == 0 {
				t.Errorf("%s has no number under a header", page)
			}
			for _, msg := range c.Problems {
				t.Errorf("%s: %s", page, msg)
			}
		})
	}
}
