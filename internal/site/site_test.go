package site

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/office"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

var testNow = time.Date(2026, 11, 26, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

// smallCases is the golden repository: an open case with a related link,
// an anonymous case and a bundle with an attachment.
var smallCases = map[string]string{
	"cases/2026/11/23/BANK-2026-0001.md": `---
id: BANK-2026-0001
policy: bank
title: 担保代偿后被追偿引发纠纷
status: assigned
received_at: 2026-11-23T10:00:00+08:00
channel: visit
category: product
complainant: {name: 马某, phone: "13379158845"}
respondent: {unit: 东关支行}
assignee: 吴涛
department: 信贷管理部
related: [BANK-2026-0002, BANK-2026-0099]
---
## 投诉内容

| 项目 | 金额 |
|---|---|
| 扣划 | 30000 |

See [the rules](https://example.org/rules) and <mailto:office@example.org>.
`,
	"cases/2026/11/10/BANK-2026-0002.md": `---
id: BANK-2026-0002
policy: bank
title: 匿名反映柜员态度
status: received
received_at: 2026-11-10T09:00:00+08:00
channel: letter
category: attitude
complainant: {anonymous: true, name: 不应出现, phone: "13900000000"}
department: 运营管理部
---
## 投诉内容

柜员态度差。
`,
	"cases/2026/10/09/BANK-2026-0003/index.md": `---
id: BANK-2026-0003
policy: bank
title: 附件齐全的投诉
status: received
received_at: 2026-10-09T09:00:00+08:00
channel: phone
category: error
complainant: {name: 王某, phone: "13800000000"}
---
正文。
`,
	"cases/2026/10/09/BANK-2026-0003/录音.txt": "录音\n",
}

// newRepo makes a git repository holding the bank policy and files,
// committed at a fixed time by a fixed author so its hashes are stable.
func newRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	pol, err := os.ReadFile(filepath.Join("..", "..", "policies", "bank.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]string{"policies/bank.yaml": string(pol)}
	for k, v := range files {
		all[k] = v
	}
	for name, data := range all {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(),
			"GIT_AUTHOR_NAME=吴涛", "GIT_AUTHOR_EMAIL=wu@example.org",
			"GIT_COMMITTER_NAME=吴涛", "GIT_COMMITTER_EMAIL=wu@example.org",
			"GIT_AUTHOR_DATE=2026-11-23T11:00:00+08:00", "GIT_COMMITTER_DATE=2026-11-23T11:00:00+08:00",
			"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q", "-b", "main")
	git("add", "-A")
	git("commit", "-q", "-m", "登记案件")
	return dir
}

// build builds the repository at dir and returns every written file.
func build(t *testing.T, dir string, opts Options) map[string][]byte {
	t.Helper()
	o, err := office.Load(dir, office.Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	opts.Out = t.TempDir()
	opts.Now = testNow
	if _, err := Build(o, opts); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	err = filepath.WalkDir(opts.Out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(opts.Out, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestBuild_Deterministic(t *testing.T) {
	dir := filepath.Join("..", "..")
	if _, err := os.Stat(filepath.Join(dir, ".git")); err != nil {
		dir = newRepo(t, smallCases)
	}
	a, b := build(t, dir, Options{}), build(t, dir, Options{})
	if len(a) < 3 || len(a) != len(b) {
		t.Fatalf("builds wrote %d and %d files", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two builds", name)
		}
	}
}

func TestBuild_Golden(t *testing.T) {
	dir := newRepo(t, smallCases)
	for _, lang := range []string{"zh", "en"} {
		files := build(t, dir, Options{Lang: lang})
		names := []string{"index.html", "cases/index.html", "cases/BANK-2026-0001.html", "cases/BANK-2026-0003.html"}
		// The case list's data: the index and every chunk.
		for name := range files {
			if strings.HasPrefix(name, "cases/rows/") {
				names = append(names, name)
			}
		}
		slices.Sort(names[4:])
		for _, name := range names {
			golden := filepath.Join("testdata", "golden", lang, filepath.FromSlash(name))
			got, ok := files[name]
			if !ok {
				t.Fatalf("%s was not written", name)
			}
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s (%s) differs from %s; review and run go test -update", name, lang, golden)
			}
		}
	}
}

// TestBuild_GoldenExports compares the feed, the calendar, the
// spreadsheets and the report pages of a small office, published at an
// address, with their golden files.
func TestBuild_GoldenExports(t *testing.T) {
	files := build(t, newRepo(t, smallCases), Options{BaseURL: "https://cases.example.cn/bank/"})
	var names []string
	for name := range files {
		if name == "feed.xml" || name == "deadlines.ics" || strings.HasSuffix(name, ".csv") || strings.HasPrefix(name, "reports/") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	if len(names) < 4 {
		t.Fatalf("exports %v, want the feed, the calendar, cases.csv and report CSVs", names)
	}
	for _, name := range names {
		golden := filepath.Join("testdata", "golden", "exports", filepath.FromSlash(name))
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, files[name], 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if !bytes.Equal(files[name], want) {
			t.Errorf("%s differs from %s; review and run go test -update", name, golden)
		}
	}
}

func TestBuild_PageBasics(t *testing.T) {
	files := build(t, newRepo(t, smallCases), Options{})
	const csp = `<meta http-equiv="Content-Security-Policy" content="default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'">`
	absLink := regexp.MustCompile(`(?:href|src)="(?:/|[a-z]+://)`)
	for name, b := range files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		s := string(b)
		if !strings.Contains(s, csp) || !strings.Contains(s, `<html lang="zh-CN">`) {
			t.Errorf("%s lacks the CSP meta tag or the lang attribute", name)
		}
		if strings.Contains(s, "<script>") || strings.Contains(s, "<style") {
			t.Errorf("%s has an inline script or style", name)
		}
		// Only the body's own external links may be absolute.
		if m := absLink.FindAllString(s, -1); name != "cases/BANK-2026-0001.html" && len(m) > 0 {
			t.Errorf("%s has absolute links %v", name, m)
		}
	}
	page := string(files["cases/BANK-2026-0001.html"])
	for _, want := range []string{
		`<a href="BANK-2026-0002.html">BANK-2026-0002</a>`, // related, with a page
		`<td>BANK-2026-0099</td>`,                          // related, without one
		"<table>", "<td>30000</td>",                        // GFM table
		"信贷管理部", "已转办",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("case page lacks %q", want)
		}
	}
	if !strings.Contains(string(files["cases/BANK-2026-0003.html"]), "录音.txt") {
		t.Error("bundle page does not list its attachment")
	}
	if _, ok := files["assets/site.css"]; !ok {
		t.Error("assets/site.css not written")
	}
	if !strings.Contains(string(files["assets/site.css"]), `"PingFang SC"`) {
		t.Error("site.css lacks the Chinese font stack")
	}
}

func TestBuild_PII(t *testing.T) {
	dir := newRepo(t, smallCases)
	tests := []struct {
		name       string
		includePII bool
		page       string
		present    []string
		absent     []string
	}{
		{"hidden by default", false, "cases/BANK-2026-0001.html", nil, []string{"马某", "13379158845"}},
		{"shown with include-pii", true, "cases/BANK-2026-0001.html", []string{"马某", "13379158845"}, nil},
		{"anonymous hidden by default", false, "cases/BANK-2026-0002.html", nil, []string{"不应出现", "13900000000"}},
		{"anonymous hidden even with include-pii", true, "cases/BANK-2026-0002.html", nil, []string{"不应出现", "13900000000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := build(t, dir, Options{IncludePII: tt.includePII})
			var all strings.Builder
			for _, b := range files {
				all.Write(b)
			}
			page := string(files[tt.page])
			if page == "" {
				t.Fatalf("%s not written", tt.page)
			}
			for _, s := range tt.present {
				if !strings.Contains(page, s) {
					t.Errorf("%s lacks %q", tt.page, s)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(all.String(), s) {
					t.Errorf("site shows %q", s)
				}
			}
		})
	}
}

func TestBuild_XSS(t *testing.T) {
	evil := `---
id: BANK-2026-0666
policy: bank
title: <script>alert(1)</script>标题
status: received
received_at: 2026-11-20T09:00:00+08:00
channel: visit
category: product
department: <script>alert(2)</script>
assignee: '<img src=x onerror=alert(3)>'
related: ['"><script>alert(4)</script>']
---
<script>alert(5)</script>

<img src=x onerror=alert(6)>

<a href="javascript:alert(7)" onclick="alert(8)">raw</a>

[a](javascript:alert(9)) [b](JaVaScRiPt:alert(10)) [c](&#106;avascript:alert(11))
[d](java	script:alert(12)) [e]( javascript:alert(13)) [f](vbscript:alert(14))

<javascript:alert(15)> <JAVASCRIPT:alert(16)> <data:text/html,alert(17)>

![i](data:text/html,<script>alert(18)</script>) ![j](javascript:alert(19))

![k](data:image/png;base64,AAAA) [l](file:///etc/passwd) <file:///etc/passwd>

[ref]: javascript:alert(20)

[g][ref] [ok](https://example.org/ok) [rel](../x.html) <https://example.org/auto>
`
	files := build(t, newRepo(t, map[string]string{"cases/2026/11/20/BANK-2026-0666.md": evil}), Options{})
	// goldmark itself empties some dangerous URLs; the allowlist drops the
	// link altogether, so an empty href or src also means it was bypassed.
	badURL := regexp.MustCompile(`(?i)(?:href|src)\s*=\s*(?:""|''|["']?\s*(?:javascript|vbscript|data:|file:|&#))`)
	onAttr := regexp.MustCompile(`(?i)<[^>]*\son[a-z]+\s*=`)
	quoted := regexp.MustCompile(`"[^"]*"`)
	// The only scripts are the site's own: the case list's filter and its
	// data, whose JSON escapes every < so no title can close the script.
	ownScript := regexp.MustCompile(`<script src="(?:\.\./)*(?:assets/filter\.js|rows/index\.js)"></script>`)
	// readRows fails on a < in any of the scripts.
	if rows := readRows(t, files); len(rows) != 1 || rows[0]["id"] != "BANK-2026-0666" {
		t.Errorf("cases/rows/ must list the case: %v", rows)
	}
	for name, b := range files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		s := string(b)
		if n := strings.Count(strings.ToLower(s), "<script"); n != len(ownScript.FindAllString(s, -1)) {
			t.Errorf("%s: a <script> from content got through", name)
		}
		if m := badURL.FindAllString(s, -1); len(m) > 0 {
			t.Errorf("%s: dangerous URLs %q", name, m)
		}
		// Quoted attribute values are text (html/template escapes their
		// quotes): a name like "<img onerror=...>" in an option's value
		// is no handler. What is left outside quotes must hold none.
		if m := onAttr.FindAllString(quoted.ReplaceAllString(s, `""`), -1); len(m) > 0 {
			t.Errorf("%s: event handler attributes %q", name, m)
		}
	}
	page := string(files["cases/BANK-2026-0666.html"])
	for _, want := range []string{
		`href="https://example.org/ok"`, `href="../x.html"`, `href="https://example.org/auto"`,
		"&lt;script&gt;alert(1)&lt;/script&gt;标题",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("case page lacks %q", want)
		}
	}
}

func TestAllowedURL(t *testing.T) {
	tests := []struct {
		name string
		url  string
		ok   bool
	}{
		{"https", "https://example.org", true},
		{"mailto", "mailto:a@example.org", true},
		{"relative path", "../a.html", true},
		{"fragment", "#top", true},
		{"colon after slash", "a/b:c", true},
		{"javascript", "javascript:alert(1)", false},
		{"mixed case", "JaVaScRiPt:alert(1)", false},
		{"entity encoded", "&#106;avascript:alert(1)", false},
		{"tab inside scheme", "java\tscript:alert(1)", false},
		{"data", "data:text/html,x", false},
		{"data image", "data:image/png;base64,AAAA", false},
		{"file", "file:///etc/passwd", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := allowedURL(tt.url); got != tt.ok {
				t.Errorf("allowedURL(%q) = %v, want %v", tt.url, got, tt.ok)
			}
		})
	}
}

func TestBuild_TemplateOverride(t *testing.T) {
	dir := newRepo(t, smallCases)
	if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "templates", "index.html"), []byte(`{{template "top" .}}<p>own dashboard</p>{{template "bottom" .}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	files := build(t, dir, Options{})
	if !strings.Contains(string(files["index.html"]), "<p>own dashboard</p>") {
		t.Error("the office's templates/index.html did not override the embedded one")
	}
	if !strings.Contains(string(files["cases/index.html"]), "filter.js") {
		t.Error("a template the office does not override is missing")
	}
}

// TestBuild_LinksRelatedWrittenByLink: casebook link writes a link as
// {id: ..., as: ...}; the page links the case it names (cases.Related), as
// it does a plain id.
func TestBuild_LinksRelatedWrittenByLink(t *testing.T) {
	files := map[string]string{}
	for k, v := range smallCases {
		files[k] = v
	}
	files["cases/2026/11/23/BANK-2026-0001.md"] = strings.Replace(smallCases["cases/2026/11/23/BANK-2026-0001.md"],
		"related: [BANK-2026-0002, BANK-2026-0099]", "related: [{id: BANK-2026-0002, as: repeat}]", 1)
	page := string(build(t, newRepo(t, files), Options{})["cases/BANK-2026-0001.html"])
	if !strings.Contains(page, `<a href="BANK-2026-0002.html">BANK-2026-0002</a>`) {
		t.Errorf("the page does not link BANK-2026-0002:\n%s", page)
	}
}
