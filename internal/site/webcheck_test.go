package site

// Checks the built site against two outside judges: the Nu HTML Checker
// (vnu.jar) must find no errors in any page, and axe-core, run in
// headless Chromium, must find no serious or critical accessibility
// violation. Both tools come from npm (tools/web, installed by .ci/run
// with npm ci); the tests skip without them unless
// CASEBOOK_REQUIRE_WEBCHECKS=1 says the install succeeded, and then fail.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/stats"
	"github.com/casebook/casebook/templates"
)

// The tools, as the environment variable that overrides each and its
// path under tools/web/node_modules.
var (
	vnuJar = [2]string{"CASEBOOK_VNU_JAR", "vnu-jar/build/dist/vnu.jar"}
	axeJS  = [2]string{"CASEBOOK_AXE_JS", "axe-core/axe.min.js"}
)

// findWebTool returns the path of a tool: the file its environment
// variable names, or else its file under tools/web/node_modules.
func findWebTool(tool [2]string) (string, error) {
	p := os.Getenv(tool[0])
	if p == "" {
		p = filepath.Join("..", "..", "tools", "web", "node_modules", filepath.FromSlash(tool[1]))
	}
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("%w (run npm ci in tools/web or set %s)", err, tool[0])
	}
	return p, nil
}

// webTool returns the path of a tool. A missing tool skips the test, or
// fails it when CASEBOOK_REQUIRE_WEBCHECKS=1.
func webTool(t *testing.T, tool [2]string) string {
	t.Helper()
	p, err := findWebTool(tool)
	if err != nil {
		missing(t, err.Error())
	}
	return p
}

// missing skips the test for lack of a tool, unless CI promised the
// tools are there.
func missing(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CASEBOOK_REQUIRE_WEBCHECKS") == "1" || os.Getenv("CI") == "true" {
		t.Fatalf("CI=true or CASEBOOK_REQUIRE_WEBCHECKS=1, but %s (.ci/run installs it)", why)
	}
	t.Skip(why)
}

// richCases exercises every template and every kind of generated markup:
// the form cases of all five policies, a Markdown table with links, a
// bundle with an attachment, related cases with and without a page, and
// an escalated case with problems.
func richCases(t *testing.T) map[string]string {
	t.Helper()
	files := moreFormCases(t)
	for k, v := range smallCases {
		files[k] = v
	}
	files["cases/2026/11/12/BANK-2026-0005.md"] = `---
id: BANK-2026-0005
policy: bank
title: 媒体报道的大额纠纷
status: assigned
received_at: 2026-11-12T09:00:00+08:00
channel: media
category: product
amount: 60000
dispute: true
tags: [sensitive]
assignee: 吴涛
department: 信贷管理部
related: [BANK-2026-0001]
---
## 投诉内容

1. 报道见 [晚报](https://example.org/news)。
2. 金额 **60000** 元。

> 客户要求公开道歉。

| 日期 | 事项 |
|:---|---:|
| 11-12 | 见报 |

- [x] 已通知领导
- [ ] 已报告监管
`
	return files
}

// webSites are the sites the checks look at, as folders of one
// directory: the browser tests' repository and the rich one, each built
// in both languages, and the aggregate of the two with a missing office,
// in both languages.
var webSites = []string{"zh", "en", "rich-zh", "rich-en", "agg-zh", "agg-en"}

// buildWebSites builds webSites into one directory and returns it.
func buildWebSites(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, s := range []struct {
		dir   string
		cases map[string]string
		lang  string
	}{
		{webSites[0], browserCases, "zh"},
		{webSites[1], browserCases, "en"},
		{webSites[2], richCases(t), "zh"},
		{webSites[3], richCases(t), "en"},
	} {
		o, err := office.Load(newRepo(t, s.cases), office.Options{NoCache: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Build(o, Options{Out: filepath.Join(root, s.dir), Lang: s.lang, Now: testNow}); err != nil {
			t.Fatalf("build %s: %v", s.dir, err)
		}
	}
	for _, lang := range []string{"zh", "en"} {
		buildWebAggregate(t, root, "agg-"+lang, lang)
	}
	return root
}

// buildWebAggregate aggregates the zh and rich-zh sites under root, and
// an office without a site, into root/dir.
func buildWebAggregate(t *testing.T, root, dir, lang string) {
	t.Helper()
	var in []OfficeStats
	for _, x := range []struct{ name, site string }{{"城关监察室", "zh"}, {"西关客服中心 (a long name that wraps)", "rich-zh"}, {"东关", "missing"}} {
		path := filepath.Join(root, x.site)
		f, err := stats.Open(path)
		in = append(in, OfficeStats{Name: x.name, Path: x.site, Stats: f, Err: err})
	}
	if _, err := Aggregate(in, AggregateOptions{Out: filepath.Join(root, dir), Lang: lang, Now: testNow}); err != nil {
		t.Fatalf("aggregate %s: %v", dir, err)
	}
}

// vnuMessage is one message of vnu's JSON output.
type vnuMessage struct {
	Type     string `json:"type"`
	SubType  string `json:"subType"`
	URL      string `json:"url"`
	LastLine int    `json:"lastLine"`
	Message  string `json:"message"`
	Extract  string `json:"extract"`
}

// vnuCanary is a page with one known error, checked together with the
// site so that a checker that reports nothing fails the test.
const vnuCanary = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>canary</title></head>
<body><p><img src="x.png"></p></body></html>
`

// TestWebcheck builds the sites once and has them judged by vnu and by
// axe at the same time: the JVM and Chromium run side by side.
func TestWebcheck(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a JVM and Chromium; skipped with -short")
	}
	_, errVNU := findWebTool(vnuJar)
	_, errAxe := findWebTool(axeJS)
	if errVNU != nil && errAxe != nil {
		missing(t, errVNU.Error()+"; "+errAxe.Error())
	}
	root := buildWebSites(t)
	t.Run("html", func(t *testing.T) {
		t.Parallel()
		checkHTML(t, root)
	})
	t.Run("accessibility", func(t *testing.T) {
		t.Parallel()
		checkAccessibility(t, root)
	})
}

// checkHTML runs vnu over every page of the sites under root.
func checkHTML(t *testing.T, root string) {
	jar := webTool(t, vnuJar)
	java, err := exec.LookPath("java")
	if err != nil {
		missing(t, "no java on PATH to run "+jar)
	}
	const canary = "vnu-canary.html"
	if err := os.WriteFile(filepath.Join(root, canary), []byte(vnuCanary), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-jar", jar, "--errors-only", "--format", "json", "--stdout", "--exit-zero-always", "--skip-non-html",
		filepath.Join(root, canary)}
	var pages int
	for _, site := range webSites {
		args = append(args, filepath.Join(root, site))
		err = filepath.WalkDir(filepath.Join(root, site), func(p string, d os.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(p, ".html") {
				pages++
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// One JVM checks every page: vnu walks the directories itself.
	cmd := exec.Command(java, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", jar, err, stderr.Bytes())
	}
	var res struct{ Messages []vnuMessage }
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("vnu output is not JSON: %v\n%s%s", err, out, stderr.Bytes())
	}
	var canaryHit bool
	for _, m := range res.Messages {
		file := m.URL
		if u, err := url.Parse(m.URL); err == nil && u.Scheme == "file" {
			file = u.Path
		}
		if rel, err := filepath.Rel(root, file); err == nil {
			file = filepath.ToSlash(rel)
		}
		if file == canary {
			canaryHit = true
			continue
		}
		t.Errorf("%s:%d: %s %s: %s\n\t%s", file, m.LastLine, m.Type, m.SubType, m.Message, strings.TrimSpace(m.Extract))
	}
	if !canaryHit {
		t.Errorf("vnu reported no error in %s; is it checking anything? output:\n%s", canary, out)
	}
	t.Logf("vnu checked %d pages", pages)
}

// axeViolation is one failed axe rule on one page, reduced to what a
// failure message needs.
type axeViolation struct {
	ID, Impact, Help string
	Tags, Nodes      []string
}

// wcag tells whether the rule is one of WCAG 2.2 A or AA (2.0 and 2.1
// included): such a violation fails the check whatever its impact.
func (v axeViolation) wcag() bool {
	for _, t := range v.Tags {
		switch t {
		case "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa":
			return true
		}
	}
	return false
}

// axeRun runs axe on the open page and returns its violations. It is an
// expression: the script is injected once per page, as a page script
// would be; the site's CSP does not apply to DevTools evaluation.
// target-size (WCAG 2.2 2.5.8) is turned on explicitly: the issue asks
// for it, and axe has shipped it off by default.
const axeRun = `axe.run(document, {resultTypes: ["violations"], rules: {"target-size": {enabled: true}}}).then(r => r.violations.map(v => ({
	ID: v.id, Impact: v.impact || "", Help: v.help, Tags: v.tags,
	Nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + "  " + n.html.slice(0, 160)),
})))`

// axeCanary has a critical violation (an image without a text
// alternative) and links too small to tap (target-size), so an axe that
// finds nothing, or runs without the WCAG 2.2 rule, fails the test.
const axeCanary = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>canary</title>
<style>.tiny a { display: inline-block; width: 8px; height: 8px; overflow: hidden; }</style></head>
<body><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p class="tiny"><a href="#a">a</a><a href="#b">b</a><a href="#c">c</a></p></main></body></html>
`

// checkAccessibility runs axe on a page of each template, in desktop and
// phone widths, and checks that no page scrolls sideways on a phone.
func checkAccessibility(t *testing.T, root string) {
	axe := webTool(t, axeJS)
	exe := chromiumPath(t)
	script, err := os.ReadFile(axe)
	if err != nil {
		t.Fatal(err)
	}
	const canary = "axe-canary.html"
	if err := os.WriteFile(filepath.Join(root, canary), []byte(axeCanary), 0o644); err != nil {
		t.Fatal(err)
	}
	p := startBrowser(t, exe, root)
	check := func(t *testing.T, page string) []axeViolation {
		t.Helper()
		for _, msg := range p.open(t, page) {
			t.Errorf("%s: %s", page, msg)
		}
		if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](string(script)+"\n;true")); err != nil {
			t.Fatalf("inject %s into %s: %v", axe, page, err)
		}
		vs, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("axe.run on %s: %v", page, err)
		}
		return vs
	}

	t.Run("canary", func(t *testing.T) {
		var ids []string
		for _, v := range check(t, canary) {
			ids = append(ids, v.ID+"/"+v.Impact)
		}
		for _, want := range []string{"image-alt/critical", "target-size/"} {
			if !strings.Contains(strings.Join(ids, " "), want) {
				t.Errorf("axe found %v on the canary page, want %s", ids, want)
			}
		}
	})

	pages := []struct{ name, page string }{
		{"dashboard", "index.html"},
		{"case list", "cases/index.html"},
		{"case with table and links", "cases/BANK-2026-0001.html"},
		{"escalated case", "cases/BANK-2026-0005.html"},
		{"bundle", "cases/BANK-2026-0003.html"},
		{"reports index", "reports/index.html"},
		{"report", "reports/bank-2026-11.html"},
		{"seed report", "reports/bank-stats-2026-11.html"},
		{"weekly report", "reports/hotline-week-2026-W48.html"},
		{"rate report", "reports/food-complaint-rate.html"},
		{"overdue list", "cases/list/overdue-1.html"},
		{"forms index", "forms/index.html"},
		{"register form", "forms/bank-register.html"},
		{"case form", "cases/BANK-2026-0203.html#form-result_report"},
	}
	// Contrast does not change with the width, but what scrolls does: a
	// box that scrolls must be reachable by keyboard. English labels are
	// the longest, so English is looked at on the phone.
	views := []struct {
		site  string
		width int64
	}{
		{"rich-zh", 1280},
		{"rich-zh", 390},
		{"rich-en", 1280},
		{"rich-en", 390},
		{"agg-zh", 1280},
		{"agg-en", 390},
	}
	aggPages := []struct{ name, page string }{
		{"aggregate", "index.html"},
		{"aggregate by month", "months.html"},
		{"aggregate by procedure", "procedures.html"},
		{"aggregate office", "offices/2.html"},
	}
	for _, v := range views {
		if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(v.width, 800)); err != nil {
			t.Fatal(err)
		}
		pages := pages
		if strings.HasPrefix(v.site, "agg-") {
			pages = aggPages
		}
		for _, tt := range pages {
			t.Run(fmt.Sprintf("%s@%d/%s", v.site, v.width, tt.name), func(t *testing.T) {
				page := v.site + "/" + tt.page
				vs := check(t, page)
				sort.Slice(vs, func(i, j int) bool { return vs[i].ID < vs[j].ID })
				for _, v := range vs {
					msg := fmt.Sprintf("%s: %s (%s): %s\n\t%s", page, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
					if v.wcag() || v.Impact == "serious" || v.Impact == "critical" {
						t.Error(msg)
					} else {
						t.Log(msg)
					}
				}
				// Wide tables scroll in their own box; the page itself
				// never scrolls sideways.
				overflow, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](
					"document.documentElement.scrollWidth - document.documentElement.clientWidth"))
				if err != nil {
					t.Fatal(err)
				}
				if overflow > 0 {
					t.Errorf("%s at %d px is %d px too wide", page, v.width, overflow)
				}
				// CASEBOOK_SCREENSHOTS=DIR keeps a screenshot of every
				// page kind at both widths, to be looked at.
				if keep := os.Getenv("CASEBOOK_SCREENSHOTS"); keep != "" {
					shot, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
					if err != nil {
						t.Fatal(err)
					}
					name := fmt.Sprintf("%s-%d-%s.png", v.site, v.width, strings.ReplaceAll(tt.name, " ", "_"))
					if err := os.WriteFile(filepath.Join(keep, name), shot, 0o644); err != nil {
						t.Errorf("CASEBOOK_SCREENSHOTS: %v", err)
					}
				}
			})
		}
	}

	// The matrix of a policy with many categories must stay legible on a
	// phone: no column squeezed to a character per line.
	t.Run("matrix columns at 390 px", func(t *testing.T) {
		if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(390, 800)); err != nil {
			t.Fatal(err)
		}
		p.open(t, "rich-zh/index.html")
		const narrowest = `Math.min(...Array.from(document.querySelectorAll(".matrix th, .matrix td"), c => c.getBoundingClientRect().width))`
		w, err := chromedp.Run(p.ctx, chromedp.Evaluate[float64](narrowest))
		if err != nil {
			t.Fatal(err)
		}
		if w < 48 {
			t.Errorf("narrowest matrix cell is %.0f px wide at 390 px, want at least 48 (about three characters)", w)
		}
	})
}

// TestRenderMarkdown_NoInlineMarkup: GFM must not write what the pages'
// CSP blocks (inline styles) or what HTML or axe reject (the align
// attribute, unlabelled checkboxes).
func TestRenderMarkdown_NoInlineMarkup(t *testing.T) {
	tests := []struct {
		name, md      string
		want, notWant []string
	}{
		{"aligned table cells get classes",
			"| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n",
			[]string{`<th class="align-left">a</th>`, `<td class="align-center">2</td>`, `<td class="align-right">3</td>`, `<td>4</td>`},
			[]string{"style=", "align="}},
		{"task list items become characters",
			"- [x] 已通知\n- [ ] 未报告\n",
			[]string{"<li>☑ 已通知</li>", "<li>☐ 未报告</li>"},
			[]string{"<input"}},
		{"the other GFM extensions stay",
			"~~旧~~ www.example.org\n",
			[]string{"<del>旧</del>", `<a href="http://www.example.org">www.example.org</a>`},
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := renderMarkdown(tt.md)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(h), w) {
					t.Errorf("rendered %q, want %q in it", h, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(string(h), w) {
					t.Errorf("rendered %q, want no %q in it", h, w)
				}
			}
		})
	}
}

// TestSiteCSS_SystemFonts: the site loads no web fonts and names the
// Chinese system fonts of macOS, Windows and Linux, so Chinese text never
// falls back to a font without CJK glyphs.
func TestSiteCSS_SystemFonts(t *testing.T) {
	css, err := fs.ReadFile(templates.FS, "site.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"@font-face", "@import", "url("} {
		if bytes.Contains(css, []byte(bad)) {
			t.Errorf("site.css has %s; the site uses system fonts only", bad)
		}
	}
	for _, font := range []string{`"PingFang SC"`, `"Microsoft YaHei"`, `"Noto Sans CJK SC"`, "sans-serif"} {
		if !bytes.Contains(css, []byte(font)) {
			t.Errorf("site.css font stack does not name %s", font)
		}
	}
}
