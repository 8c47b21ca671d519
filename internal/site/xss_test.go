package site

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// xssPayloads is the corpus of hostile text: raw HTML, javascript: and
// data: URLs in links, images and autolinks, entity-encoded, mixed-case and
// split schemes, attribute and element breakouts, and paths out of the
// site. TestBuild_XSSCorpus places each one in a case's body, title and
// fields, a policy's labels, related ids and attachment names;
// FuzzRenderMarkdown starts from them.
var xssPayloads = []string{
	// raw HTML, which safe mode must omit
	`<script>alert(1)</script>`,
	`<SCRIPT SRC=//evil.example/x.js></SCRIPT>`,
	`<img src=x onerror=alert(1)>`,
	`<svg onload=alert(1)>`,
	`<svg><script>alert(1)</script></svg>`,
	`<iframe src="javascript:alert(1)"></iframe>`,
	`<object data="javascript:alert(1)"></object>`,
	`<embed src="javascript:alert(1)">`,
	`<base href="javascript:alert(1)//">`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
	`<a href="javascript:alert(1)">x</a>`,
	`<a href=javascript:alert(1)>unquoted</a>`,
	`<body onload=alert(1)>`,
	`<details open ontoggle=alert(1)>`,
	`<form action="javascript:alert(1)"><button>x</button></form>`,
	`<button formaction="javascript:alert(1)">x</button>`,
	`<math><a xlink:href="javascript:alert(1)">x</a></math>`,
	`<input autofocus onfocus=alert(1)>`,
	`<video><source onerror=alert(1)>`,
	`<style>@import 'javascript:alert(1)';</style>`,
	`<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
	`<template><script>alert(1)</script></template>`,
	`<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>`,
	"<img src=\"x\"\nonerror=alert(1)>",
	"<a href=\"java\nscript:alert(1)\">x</a>",
	// breaking out of attributes, elements and templates
	`"><script>alert(1)</script>`,
	`'><img src=x onerror=alert(1)>`,
	`</textarea><script>alert(1)</script>`,
	`</title><script>alert(1)</script>`,
	`<!--<script>alert(1)//-->`,
	`<scr<script>ipt>alert(1)</scr</script>ipt>`,
	`<<script>alert(1)//<</script>`,
	`\u003cscript\u003ealert(1)\u003c/script\u003e`,
	`&lt;script&gt;alert(1)&lt;/script&gt;`,
	`{{template "layout"}}{{.}}`,
	`]]></content><script>alert(1)</script>`,
	"x\r\nBEGIN:VEVENT\r\nURL:javascript:alert(1)",
	`=HYPERLINK("javascript:alert(1)","x")`,
	// Markdown links
	`[x](javascript:alert(1))`,
	`[x](JaVaScRiPt:alert(1))`,
	`[x](&#106;avascript:alert(1))`,
	`[x](&#x6A;avascript:alert(1))`,
	`[x](&#X6a;&#X61;vascript:alert(1))`,
	`[x](java&#09;script:alert(1))`,
	"[x](java\tscript:alert(1))",
	`[x]( javascript:alert(1))`,
	`[x](<javascript:alert(1)>)`,
	`[x](javascript&colon;alert(1))`,
	`[x](javascript://%0aalert(1))`,
	`[x](&#0;javascript:alert(1))`,
	"[x](\x01javascript:alert(1))",
	`[x](vbscript:msgbox(1))`,
	`[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	`[x](DATA:text/html,<script>alert(1)</script>)`,
	`[x](file:///etc/passwd)`,
	`[x](javascript:alert(1) "title")`,
	"[x][r]\n\n[r]: javascript:alert(1)",
	"[x][R]\n\n[r]: <data:text/html,alert(1)>",
	`[x](https://ok.example/ "\" onmouseover=\"alert(1)")`,
	`[<script>alert(1)</script>](https://ok.example/)`,
	// images
	`![x](javascript:alert(1))`,
	`![x](data:image/svg+xml,<svg onload=alert(1)>)`,
	`![x](data:image/png;base64,AAAA)`,
	`![x"onerror="alert(1)](https://ok.example/a.png)`,
	`![x](https://ok.example/a.png"onerror="alert(1))`,
	`![x](https://ok.example/a.png "t\" onerror=\"alert(1)")`,
	// autolinks, including what Linkify picks up
	`<javascript:alert(1)>`,
	`<JAVASCRIPT:alert(1)>`,
	`<data:text/html,alert(1)>`,
	`<vbscript:msgbox(1)>`,
	`javascript:alert(1)`,
	`www.example.org/"><script>alert(1)</script>`,
	`https://example.org/<script>alert(1)</script>`,
	`<https://example.org/" onmouseover="alert(1)>`,
	`x@example.org"><script>alert(1)</script>`,
	// paths out of the site
	`[x](../../.git/config)`,
	`[x](./../../../etc/passwd)`,
	`[x](/etc/passwd)`,
	`[x](//evil.example/x)`,
	`[x](..\..\.git\config)`,
	`[x](%2e%2e/%2e%2e/.git/config)`,
	`[x](../cases/.GIT./config)`,
	`![x](../../../../.git/HEAD)`,
}

// ownScript matches the site's own scripts: the case list's filter and
// its data.
var ownScript = regexp.MustCompile(`^(?:\.\./)*(?:assets/filter\.js|rows/index\.js)$`)

// urlAttrs are the attributes whose value a browser follows or loads.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "xlink:href": true,
	"poster": true, "data": true, "background": true, "ping": true, "cite": true,
	"longdesc": true, "manifest": true, "codebase": true, "lowsrc": true, "srcset": true,
}

// bannedElements load or run something, or change where links go.
var bannedElements = map[string]bool{
	"iframe": true, "frame": true, "frameset": true, "object": true, "embed": true,
	"applet": true, "base": true, "portal": true, "style": true,
}

// badURL says why a browser would run u or leave the site through it, or
// returns "". It decodes nothing: the tokenizer has decoded entities. Like
// a browser it drops spaces and control characters, and reads a backslash
// as a slash. depth is the number of folders between the page and the
// site's root.
func badURL(u string, depth int) string {
	u = strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		if r == '\\' {
			return '/'
		}
		return r
	}, u)
	if i := strings.IndexAny(u, ":/?#"); i >= 0 && u[i] == ':' {
		switch strings.ToLower(u[:i]) {
		case "http", "https", "mailto":
			return ""
		}
		return "scheme " + u[:i]
	}
	p, _, _ := strings.Cut(u, "#")
	p, _, _ = strings.Cut(p, "?")
	p = strings.NewReplacer("%2e", ".", "%2E", ".", "%2f", "/", "%2F", "/", "%5c", "/", "%5C", "/").Replace(p)
	if strings.HasPrefix(p, "/") {
		return "absolute path"
	}
	for seg := range strings.SplitSeq(p, "/") {
		switch {
		case seg == "..":
			depth--
		case strings.EqualFold(strings.TrimRight(seg, ". "), ".git"):
			return "path into .git"
		case seg != "." && seg != "":
			depth++
		}
		if depth < 0 {
			return "path out of the site"
		}
	}
	return ""
}

// executable lists every executable construct in doc: a script other than
// the site's own (own nil: any script), an on* attribute, a banned element,
// a meta refresh, or a URL badURL rejects. depth is the page's folder
// depth below the site's root (1 for a Markdown fragment, which is shown
// on case and form pages).
func executable(doc string, own *regexp.Regexp, depth ...int) []string {
	d := 1
	if len(depth) > 0 {
		d = depth[0]
	}
	var bad []string
	z := html.NewTokenizer(strings.NewReader(doc))
	inScript := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				bad = append(bad, "tokenizer: "+z.Err().Error())
			}
			return bad
		case html.TextToken:
			if inScript && strings.TrimSpace(string(z.Text())) != "" {
				bad = append(bad, "inline script text")
			}
			continue
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "script" {
				inScript = false
			}
			continue
		case html.StartTagToken, html.SelfClosingTagToken:
		default:
			continue
		}
		tok := z.Token()
		name := tok.Data
		attr := func(k string) (string, bool) {
			for _, a := range tok.Attr {
				if strings.EqualFold(a.Key, k) {
					return a.Val, true
				}
			}
			return "", false
		}
		switch {
		case name == "script":
			src, ok := attr("src")
			if own == nil || !ok || !own.MatchString(src) {
				bad = append(bad, fmt.Sprintf("<script src=%q>", src))
			}
			inScript = tt == html.StartTagToken
		case bannedElements[name]:
			bad = append(bad, "<"+name+">")
		case name == "meta":
			if v, ok := attr("http-equiv"); ok && !strings.EqualFold(v, "Content-Security-Policy") {
				bad = append(bad, fmt.Sprintf("<meta http-equiv=%q>", v))
			}
		}
		for _, a := range tok.Attr {
			key := strings.ToLower(a.Key)
			if a.Namespace != "" {
				key = a.Namespace + ":" + key
			}
			switch {
			case strings.HasPrefix(key, "on"):
				bad = append(bad, fmt.Sprintf("<%s %s=%q>", name, key, a.Val))
			case key == "srcset":
				for c := range strings.SplitSeq(a.Val, ",") {
					if f := strings.Fields(c); len(f) > 0 {
						if why := badURL(f[0], d); why != "" {
							bad = append(bad, fmt.Sprintf("<%s srcset=%q>: %s", name, a.Val, why))
						}
					}
				}
			case urlAttrs[key]:
				if why := badURL(a.Val, d); why != "" {
					bad = append(bad, fmt.Sprintf("<%s %s=%q>: %s", name, key, a.Val, why))
				}
			case key == "style" && strings.Contains(strings.ToLower(a.Val), "url("):
				bad = append(bad, fmt.Sprintf("<%s style=%q>", name, a.Val))
			}
		}
	}
}

// checkRows checks the case list's data, cases/rows/: each script a
// comment line and assignments of JSON without a single < (readRows),
// and every link badURL accepts.
func checkRows(t *testing.T, files map[string][]byte) []string {
	var bad []string
	for _, r := range readRows(t, files) {
		// filter.js links "../cases/" pages: base + href from a page one
		// folder below the root.
		if h, _ := r["href"].(string); badURL(h, 1) != "" {
			bad = append(bad, fmt.Sprintf("cases/rows/: href %q: %s", h, badURL(h, 1)))
		}
	}
	return bad
}

// checkFeed checks feed.xml: well-formed, links accepted by badURL, and
// any HTML content free of executable constructs.
func checkFeed(b []byte) []string {
	var bad []string
	dec := xml.NewDecoder(bytes.NewReader(b))
	htmlText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return bad
		}
		if err != nil {
			return append(bad, "feed.xml: "+err.Error())
		}
		switch t := tok.(type) {
		case xml.StartElement:
			htmlText = false
			for _, a := range t.Attr {
				switch {
				case a.Name.Local == "href" || a.Name.Local == "src":
					if why := badURL(a.Value, 0); why != "" {
						bad = append(bad, fmt.Sprintf("feed.xml <%s href=%q>: %s", t.Name.Local, a.Value, why))
					}
				case a.Name.Local == "type" && (a.Value == "html" || a.Value == "xhtml"):
					htmlText = true
				}
			}
		case xml.CharData:
			if htmlText {
				bad = append(bad, executable(string(t), nil, 0)...)
			}
		}
	}
}

// icsNames are the properties deadlines.ics may hold; a line with any
// other name was injected through a value.
var icsNames = map[string]bool{
	"BEGIN": true, "END": true, "VERSION": true, "PRODID": true, "CALSCALE": true,
	"X-WR-CALNAME": true, "X-WR-TIMEZONE": true, "UID": true, "DTSTAMP": true, "DTSTART": true,
	"DTEND": true, "SUMMARY": true, "DESCRIPTION": true, "URL": true, "ACTION": true, "TRIGGER": true,
}

// checkICS checks deadlines.ics: CRLF lines only, every unfolded line a
// known property, BEGIN and END balanced.
func checkICS(b []byte) []string {
	s := string(b)
	if strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\n") || strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\r") {
		return []string{"deadlines.ics has a bare CR or LF"}
	}
	s = strings.ReplaceAll(s, "\r\n ", "") // unfold
	var bad []string
	var open []string
	for _, l := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		name, val, _ := strings.Cut(l, ":")
		name, _, _ = strings.Cut(name, ";")
		switch {
		case !icsNames[name]:
			bad = append(bad, fmt.Sprintf("deadlines.ics: unexpected line %q", l))
		case name == "BEGIN":
			open = append(open, val)
		case name == "END":
			if len(open) == 0 || open[len(open)-1] != val {
				bad = append(bad, "deadlines.ics: unbalanced END:"+val)
			} else {
				open = open[:len(open)-1]
			}
		}
	}
	if len(open) > 0 {
		bad = append(bad, fmt.Sprintf("deadlines.ics: unclosed %v", open))
	}
	return bad
}

// checkCSV checks cases.csv: well-formed, and no cell a spreadsheet would
// read as a formula.
func checkCSV(b []byte) []string {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF"))))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return []string{"cases.csv: " + err.Error()}
	}
	var bad []string
	for _, rec := range recs {
		for _, cell := range rec {
			if cell != "" && strings.IndexByte("=+-@\t\r", cell[0]) >= 0 {
				bad = append(bad, fmt.Sprintf("cases.csv: formula cell %q", cell))
			}
		}
	}
	return bad
}

// checkSite runs the checker for each output file's type over a built site.
func checkSite(t *testing.T, files map[string][]byte) []string {
	t.Helper()
	var bad []string
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	seen := map[string]bool{}
	for _, name := range names {
		b := files[name]
		var found []string
		ext := filepath.Ext(name)
		seen[ext] = true
		switch ext {
		case ".html":
			found = executable(string(b), ownScript, strings.Count(name, "/"))
		case ".js":
			switch {
			case name == rowsIndex:
				found = checkRows(t, files)
			case strings.HasPrefix(name, "cases/rows/"):
				// checked with the index, which must list it
			case name == "assets/filter.js":
				want, err := os.ReadFile(filepath.Join("..", "..", "templates", "filter.js"))
				if err != nil || !bytes.Equal(b, want) {
					found = []string{"assets/filter.js is not the site's own script"}
				}
			default:
				found = []string{"a script the site does not write"}
			}
		case ".xml":
			found = checkFeed(b)
		case ".ics":
			found = checkICS(b)
		case ".csv":
			found = checkCSV(b)
		}
		for _, f := range found {
			bad = append(bad, name+": "+f)
		}
	}
	for _, ext := range []string{".html", ".js", ".xml", ".ics", ".csv"} {
		if !seen[ext] {
			t.Errorf("the site has no %s file to check", ext)
		}
	}
	return bad
}

// yq quotes s as a YAML double-quoted scalar (JSON strings are YAML).
func yq(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// fileSafe turns a payload into a file name git and every OS accept.
func fileSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r < ' ', r == 0x7f:
			return -1
		case strings.ContainsRune(`/\:*?"|`, r):
			return '_'
		}
		return r
	}, s)
	s = strings.Trim(s, ". ")
	if len(s) > 100 {
		s = s[:100]
	}
	return s
}

// xssFiles is a bank office whose policy labels and cases carry the
// corpus: every field, the body, a section's title, a table, a list and
// a bundle's attachment names.
func xssFiles(t *testing.T) map[string]string {
	t.Helper()
	pol, err := os.ReadFile(filepath.Join("..", "..", "policies", "bank.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// Hostile labels: the policy's name, a state, a category, a channel, a
	// class and a field, in both languages.
	policy := string(pol)
	for i, label := range []string{
		"zh: 农商银行客户投诉(信访)处理办法", "en: Rural commercial bank customer complaint (petition) procedure",
		"zh: 已转办", "en: Assigned", "zh: 服务产品", "en: Service product", "zh: 上门", "en: In person",
		"zh: 复杂投诉", "zh: 涉及金额(元)", "en: Amount involved (yuan)",
	} {
		if !strings.Contains(policy, label) {
			t.Fatalf("policies/bank.yaml has no %q to replace", label)
		}
		key, _, _ := strings.Cut(label, ": ")
		policy = strings.Replace(policy, label, key+": "+yq(xssPayloads[i*7%len(xssPayloads)]+" 标签"), 1)
	}
	files := map[string]string{"policies/bank.yaml": policy}
	for i, p := range xssPayloads {
		id := fmt.Sprintf("BANK-2026-%04d", 700+i)
		q := yq(p)
		doc := fmt.Sprintf(`---
id: %s
policy: bank
title: %s
status: assigned
received_at: 2026-11-20T09:00:00+08:00
channel: visit
category: product
department: %s
assignee: %s
handler: %s
amount: 60000
tags: [%s]
complainant: {name: %s, phone: "13800000000"}
respondent: {unit: %s}
related: [%s, BANK-2026-0700]
leader_opinion: {by: %s, at: 2026-11-20T10:00:00+08:00, opinion: %s}
---
## 投诉内容

%s

## %s

| %s | [%s](https://ok.example/) |
|---|---|
| 1 | 2 |

- %s
`, id, q, q, q, q, q, q, q, q, q, q, p, strings.ReplaceAll(p, "\n", " "), strings.ReplaceAll(p, "\n", " "),
			strings.ReplaceAll(p, "\n", " "), strings.ReplaceAll(p, "\n", " "))
		name := fmt.Sprintf("cases/2026/11/20/%s.md", id)
		if i%3 == 0 {
			// A bundle, with the payload as an attachment's name.
			name = fmt.Sprintf("cases/2026/11/20/%s/index.md", id)
			files[fmt.Sprintf("cases/2026/11/20/%s/%s.txt", id, fileSafe(p))] = "附件\n"
		}
		files[name] = doc
	}
	return files
}

// TestBuild_XSSCorpus builds a site whose every text comes from the
// corpus (bodies, titles, fields, related ids, attachment names and the
// policy's labels) and checks every file it writes.
func TestBuild_XSSCorpus(t *testing.T) {
	if len(xssPayloads) < 60 {
		t.Fatalf("the corpus has %d payloads, want at least 60", len(xssPayloads))
	}
	files := xssFiles(t)
	site := build(t, newRepo(t, files), Options{})
	bad := checkSite(t, site)
	t.Logf("%d payloads in %d places each, %d files checked, %d executable constructs", len(xssPayloads), 14, len(site), len(bad))
	for _, b := range bad {
		t.Error(b)
	}
	// The corpus reached the pages: the checker looked at hostile text,
	// not at pages the build left out.
	page := string(site["cases/BANK-2026-0700.html"])
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "标签"} {
		if !strings.Contains(page, want) {
			t.Errorf("cases/BANK-2026-0700.html lacks %q", want)
		}
	}
}

// TestCheckHTML makes sure the checker itself catches what it looks for:
// a checker that passes everything would make the corpus test useless.
func TestExecutable(t *testing.T) {
	tests := []struct {
		name, doc string
		bad       bool
	}{
		{"plain text and a safe link", `<p>x <a href="https://example.org">y</a> <a href="../cases/A.html">z</a></p>`, false},
		{"the site's own script", `<script src="../assets/filter.js"></script>`, false},
		{"inline script", `<script>alert(1)</script>`, true},
		{"foreign script", `<script src="https://evil.example/x.js"></script>`, true},
		{"own script with inline text", `<script src="rows.js">alert(1)</script>`, true},
		{"event handler", `<img src="a.png" onerror="alert(1)">`, true},
		{"entity-encoded scheme", `<a href="&#106;avascript:alert(1)">x</a>`, true},
		{"scheme split by a tab", "<a href=\"java\tscript:alert(1)\">x</a>", true},
		{"data image", `<img src="data:image/png;base64,AAAA">`, true},
		{"form action", `<form action="javascript:alert(1)"></form>`, true},
		{"formaction", `<button formaction="javascript:x">b</button>`, true},
		{"iframe", `<iframe></iframe>`, true},
		{"object", `<object></object>`, true},
		{"embed", `<embed>`, true},
		{"base", `<base href="https://example.org/">`, true},
		{"meta refresh", `<meta http-equiv="refresh" content="0;url=https://example.org">`, true},
		{"path into .git", `<a href="../.git/config">x</a>`, true},
		{"path out of the site", `<a href="../../x">x</a>`, true},
		{"absolute path", `<a href="/etc/passwd">x</a>`, true},
		{"backslash path", `<a href="\\evil.example\x">x</a>`, true},
		{"svg xlink", `<svg><a xlink:href="javascript:alert(1)">x</a></svg>`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := executable(tt.doc, ownScript); (len(got) > 0) != tt.bad {
				t.Errorf("executable(%q) = %q, want bad=%v", tt.doc, got, tt.bad)
			}
		})
	}
}

// TestAllowedURL_Traversal: a relative link in a case body stays inside
// the site; the pages it is shown on sit one folder below the root.
func TestAllowedURL_Traversal(t *testing.T) {
	tests := []struct {
		name string
		url  string
		ok   bool
	}{
		{"another case", "BANK-2026-0002.html", true},
		{"a page one level up", "../reports/index.html", true},
		{"down and up again", "a/b/../../../index.html", true},
		{"fragment and query", "../x.html?a=b#c", true},
		{"into .git", "../.git/config", false},
		{"out of the site", "../../.git/config", false},
		{"far out", "./../../../etc/passwd", false},
		{"absolute path", "/etc/passwd", false},
		{"protocol-relative", "//evil.example/x", false},
		{"backslashes", `..\..\.git\config`, false},
		{"backslash before a colon", `x\:y`, false},
		{"percent-encoded dots", "%2e%2e/%2e%2e/x", false},
		{"percent-encoded slash", "..%2f..%2fx", false},
		{"bad percent-encoding", "%zz", false},
		{"encoded NUL", "a%00b", false},
		{".git with a trailing dot", "../cases/.GIT./config", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := allowedURL(tt.url); got != tt.ok {
				t.Errorf("allowedURL(%q) = %v, want %v", tt.url, got, tt.ok)
			}
		})
	}
}
