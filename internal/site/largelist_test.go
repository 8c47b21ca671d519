package site

// The case list of a large office: the script's data is split in chunks
// (rows.go), and a page loads only those its filters need. These tests
// build a demo office of some thousands of cases and watch, in Chromium,
// what the list downloads.

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// firstVisitDataPerCase is what a first visit to the case list may
// download beyond the page, its style sheet and its script, per case of
// the office: 8 bytes is 800 kB at 100,000 cases, so that with the page
// (200 rows) a first visit stays under 1 MB (issue #14 §9).
const firstVisitDataPerCase = 8

// largeCases is the size of the office the tests build: big enough for
// many months of closed cases and for the open cases to be a small part.
const largeCases = 3000

// newLargeSite builds a demo office of n cases at demoNow and returns the
// site's folder and its files.
func newLargeSite(t *testing.T, n int) (string, map[string][]byte) {
	t.Helper()
	out := buildDemoSite(t, n, 21)
	files := map[string][]byte{}
	err := filepath.WalkDir(filepath.Join(out, "cases", "rows"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(out, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, files
}

// pageLoads is what the page has downloaded since it was loaded: the bytes
// of every response's body and the files of cases/rows/ it asked for.
type pageLoads struct {
	Bytes int
	Rows  []string
}

func (p *browserPage) loads(t *testing.T) pageLoads {
	t.Helper()
	got, err := chromedp.Run(p.ctx, chromedp.Evaluate[pageLoads](`(() => {
		const all = performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource"));
		return {
			Bytes: all.reduce((n, e) => n + e.encodedBodySize, 0),
			Rows: all.map(e => new URL(e.name).pathname).filter(p => p.startsWith("/cases/rows/")).map(p => p.slice(1)).sort(),
		};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// setFilters sets the list's controls by id suffix, as a change by the
// user would, and waits for the complete answer; it returns data-total.
func (p *browserPage) setFilters(t *testing.T, values map[string]string) string {
	t.Helper()
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var js strings.Builder
	js.WriteString(`document.getElementById("count").removeAttribute("data-total");`)
	for _, k := range keys {
		fmt.Fprintf(&js, `{const s = document.getElementById(%q); s.value = %q; s.dispatchEvent(new Event(s.type === "search" ? "input" : "change", {bubbles: true}));}`, "filter-"+k, values[k])
	}
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[any](js.String())); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(p.ctx, chromedp.WaitReady("#count[data-total]")); err != nil {
		t.Fatalf("%v: the list never answered: %v", values, err)
	}
	return p.attr(t, "#count", "data-total")
}

// TestBrowser_LargeListLoadsChunks checks what the case list of a
// 3,000-case office downloads: on a first visit the page and the index of
// the data only, within a budget per case; the open chunk alone for open
// cases; the month's chunk alone for a month's closed cases; every chunk
// for a search of all cases, with every case found.
func TestBrowser_LargeListLoadsChunks(t *testing.T) {
	exe := chromiumPath(t)
	out, files := newLargeSite(t, largeCases)
	rows := readRows(t, files)
	if len(rows) != largeCases {
		t.Fatalf("cases/rows/ holds %d cases, want %d", len(rows), largeCases)
	}
	open, october := 0, 0
	var chunks []string
	for name := range files {
		chunks = append(chunks, name)
	}
	slices.Sort(chunks)
	for _, r := range rows {
		if r["open"] == true {
			open++
		}
		if x, _ := r["x"].(string); strings.HasPrefix(x, "2026-10") {
			october++
		}
	}
	if open == 0 || october == 0 || len(chunks) < 6 {
		t.Fatalf("the demo has %d open cases, %d closed in October, %d files of data: the test would prove nothing", open, october, len(chunks))
	}
	var fixed int
	for _, f := range []string{"cases/index.html", "assets/site.css", "assets/filter.js"} {
		st, err := os.Stat(filepath.Join(out, filepath.FromSlash(f)))
		if err != nil {
			t.Fatal(err)
		}
		fixed += int(st.Size())
	}

	p := startBrowser(t, exe, out)
	for _, msg := range p.open(t, "cases/index.html") {
		t.Errorf("cases/index.html: %s", msg)
	}
	first := p.loads(t)
	if !slices.Equal(first.Rows, []string{rowsIndex}) {
		t.Errorf("a first visit loads %q of the data, want the index alone", first.Rows)
	}
	if budget := fixed + firstVisitDataPerCase*largeCases; first.Bytes > budget || first.Bytes < fixed {
		t.Errorf("a first visit downloads %d bytes; the page and its assets are %d, the budget %d", first.Bytes, fixed, budget)
	}
	t.Logf("first visit: %d bytes, of which the page and its assets %d", first.Bytes, fixed)

	if got := p.setFilters(t, map[string]string{"stage": "open"}); got != fmt.Sprint(open) {
		t.Errorf("open cases: the list finds %s, the data holds %d", got, open)
	}
	if got := p.loads(t).Rows; !slices.Equal(got, []string{rowsIndex, "cases/rows/open.js"}) {
		t.Errorf("filtering to open cases loads %q, want the open chunk alone", got)
	}
	// Every case has a dash in its id.
	if got := p.setFilters(t, map[string]string{"stage": "", "text": "-"}); got != fmt.Sprint(largeCases) {
		t.Errorf("a search of all cases finds %s, want %d", got, largeCases)
	}
	if got := p.loads(t).Rows; !slices.Equal(got, chunks) {
		t.Errorf("a search of all cases loads %d files of %d: %q", len(got), len(chunks), got)
	}
	p.reportProblems(t, "while filtering")

	// A fresh load of a month's closed cases.
	for _, page := range []string{"index.html", "cases/index.html#cfrom=2026-10-01&cto=2026-10-31"} {
		for _, msg := range p.open(t, page) {
			t.Errorf("%s: %s", page, msg)
		}
	}
	if err := chromedp.Do(p.ctx, chromedp.WaitReady("#count[data-total]")); err != nil {
		t.Fatal(err)
	}
	if got := p.attr(t, "#count", "data-total"); got != fmt.Sprint(october) {
		t.Errorf("cases closed in October: the list finds %s, the data holds %d", got, october)
	}
	if got := p.loads(t).Rows; !slices.Equal(got, []string{"cases/rows/2026-10.js", rowsIndex}) {
		t.Errorf("filtering to October's closed cases loads %q, want October's chunk alone", got)
	}

	// The site claims to work from file://: the chunks load there too.
	for _, msg := range p.openURL(t, "file://"+filepath.ToSlash(out)+"/cases/index.html#stage=open") {
		t.Errorf("from file://: %s", msg)
	}
	if err := chromedp.Do(p.ctx, chromedp.WaitReady("#count[data-total]")); err != nil {
		t.Fatalf("from file://, the list never answered: %v", err)
	}
	if got := p.attr(t, "#count", "data-total"); got != fmt.Sprint(open) {
		t.Errorf("from file://, open cases: the list finds %s, the data holds %d", got, open)
	}
	p.reportProblems(t, "from file://")
}
