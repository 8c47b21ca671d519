package site

// The dashboard's numbers link to the case list filtered to exactly the
// cases they count, and the list keeps its filters in the address: these
// tests follow every such link of a demo office in Chromium, and check
// the filters a manager shares, the CSV the list downloads and the cards
// a phone shows.

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/casebook/casebook/internal/demo"
	"github.com/casebook/casebook/internal/office"
)

// demoNow is six days after the demo's history ends (demoEnd): some of
// its open cases are overdue by then, some due within two working days,
// and the month has cases received and closed.
var (
	demoEnd = time.Date(2026, 11, 20, 18, 0, 0, 0, time.FixedZone("CST", 8*3600))
	demoNow = testNow
)

// newDemoBrowser builds a 300-case demo office of every policy at demoNow
// and opens it in Chromium.
func newDemoBrowser(t *testing.T) (*browserPage, string) {
	t.Helper()
	exe := chromiumPath(t)
	out := buildDemoSite(t, 300, 13)
	return startBrowser(t, exe, out), out
}

// buildDemoSite builds a demo office of n cases from seed at demoNow and
// returns the site's folder.
func buildDemoSite(t *testing.T, n int, seed uint64) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "office")
	if _, err := demo.Build(dir, demo.Options{Cases: n, Seed: seed, End: demoEnd}); err != nil {
		t.Fatal(err)
	}
	o, err := office.Load(dir, office.Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if _, err := Build(o, Options{Out: out, Now: demoNow}); err != nil {
		t.Fatal(err)
	}
	return out
}

// listAnswer is the hash-filtered case list's answer: how many cases match
// and how many rows are on screen.
type listAnswer struct {
	Total, Rows int
}

// showHash sets the case list's address filter and waits for the script
// to answer it (it clears data-total first, so a stale answer is never
// read).
func (p *browserPage) showHash(t *testing.T, hash string) listAnswer {
	t.Helper()
	_, err := chromedp.Run(p.ctx, chromedp.Evaluate[any](fmt.Sprintf(`(() => {
		document.getElementById("count").removeAttribute("data-total");
		location.hash = %q;
	})()`, hash)))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(p.ctx, chromedp.WaitReady("#count[data-total]")); err != nil {
		t.Fatalf("%s: the list never answered: %v", hash, err)
	}
	js := `({Total: +document.getElementById("count").getAttribute("data-total"),
		Rows: Array.from(document.querySelectorAll("#cases tbody tr")).filter(r => r.getClientRects().length > 0).length})`
	got, err := chromedp.Run(p.ctx, chromedp.Evaluate[listAnswer](js))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// reportProblems fails t with every error the pages reported so far.
func (p *browserPage) reportProblems(t *testing.T, while string) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, msg := range p.problems {
		t.Errorf("%s: %s", while, msg)
	}
}

// eval runs a script that gives a string, in the current page.
func (p *browserPage) eval(t *testing.T, js string) string {
	t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// attr is an attribute of the first element sel finds ("" when unset).
func (p *browserPage) attr(t *testing.T, sel, name string) string {
	t.Helper()
	return p.eval(t, fmt.Sprintf(`(document.querySelector(%q) || {getAttribute: () => ""}).getAttribute(%q) || ""`, sel, name))
}

// TestBrowser_DrillDown follows every counting link of the demo
// dashboard (key figures, status × category cells and row totals,
// departments' and handlers' open and overdue counts) to the case list,
// and checks that the list finds exactly as many cases as the link says.
func TestBrowser_DrillDown(t *testing.T) {
	p, _ := newDemoBrowser(t)
	for _, msg := range p.open(t, "index.html") {
		t.Errorf("index.html: %s", msg)
	}
	type link struct {
		Href, Count, Where string
	}
	links, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]link](`Array.from(document.querySelectorAll("a[data-count]")).map(a => {
		const table = a.closest("table"), row = a.closest("tr");
		const where = a.closest(".figures") ? "figure" :
			(table && table.querySelector("caption") ? table.querySelector("caption").textContent : a.closest("section").querySelector("h2").textContent);
		return {Href: a.getAttribute("href"), Count: a.getAttribute("data-count"),
			Where: where + " / " + (row ? row.firstElementChild.textContent : a.textContent)};
	})`))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, l := range links {
		switch {
		case strings.Contains(l.Where, "figure"):
			kinds["figure"]++
		case strings.Contains(l.Href, "&age="):
			kinds["ageing"]++
		case strings.Contains(l.Href, "cfrom=") && strings.Contains(l.Href, "a="):
			kinds["handler closed"]++
		case strings.Contains(l.Href, "missed=1"):
			kinds["closed late"]++
		case strings.Contains(l.Href, "esc=1"):
			kinds["escalated"]++
		case strings.Contains(l.Href, "c="):
			kinds["cell"]++
		case strings.Contains(l.Href, "&d="):
			kinds["department"]++
		case strings.Contains(l.Href, "&a="):
			kinds["handler"]++
		default:
			kinds["row total"]++
		}
	}
	// The demo has open, overdue and due-soon cases, cases received and
	// closed this month, every policy's matrix, many departments and
	// handlers, cases of every age, closed late and escalated.
	for _, k := range []string{"figure", "cell", "row total", "department", "handler", "ageing", "handler closed", "closed late", "escalated"} {
		if kinds[k] < 1 || (kinds[k] < 2 && k != "closed late" && k != "escalated") {
			t.Errorf("the dashboard has %d %s links, want several: %v", kinds[k], k, kinds)
		}
	}
	for _, l := range links {
		if strings.Contains(l.Where, "figure") && l.Count == "0" {
			t.Errorf("at %s the demo has no case for the figure %s: the test would prove nothing", demoNow, l.Where)
		}
	}
	if kinds["figure"] != 5 {
		t.Errorf("%d key figures link to their cases, want 5 (open, overdue, due soon, received, closed)", kinds["figure"])
	}
	for _, msg := range p.open(t, "cases/index.html") {
		t.Errorf("cases/index.html: %s", msg)
	}
	for _, l := range links {
		page, hash, ok := strings.Cut(l.Href, "#")
		if !ok || page != "cases/index.html" || hash == "" {
			t.Errorf("%s links to %q, not to the filtered case list", l.Where, l.Href)
			continue
		}
		want, err := strconv.Atoi(l.Count)
		if err != nil || want < 0 {
			t.Errorf("%s: link count %q", l.Where, l.Count)
			continue
		}
		got := p.showHash(t, "#"+hash)
		if got.Total != want {
			t.Errorf("%s says %d, the list it links to finds %d (#%s)", l.Where, want, got.Total, hash)
		}
		if got.Rows != min(want, 200) {
			t.Errorf("%s: %d rows on screen for %d cases", l.Where, got.Rows, want)
		}
	}
	// A fresh load of a filtered address (a shared link, a reload)
	// filters before anyone touches the form.
	if len(links) > 0 {
		l := links[len(links)-1]
		for _, msg := range p.open(t, l.Href) {
			t.Errorf("%s: %s", l.Href, msg)
		}
		if err := chromedp.Do(p.ctx, chromedp.WaitReady("#count[data-total]")); err != nil {
			t.Fatalf("%s: the list did not filter on load: %v", l.Href, err)
		}
		total := p.attr(t, "#count", "data-total")
		if total != l.Count {
			t.Errorf("loading %s finds %s cases, the link says %s", l.Href, total, l.Count)
		}
	}
	p.reportProblems(t, "while following the links")
}

// TestBrowser_CaseListAddress checks the list's own filters: each change
// is written to the address, a reload keeps it, states of two procedures
// with the same id stay apart, "Clear filters" empties it, and the CSV
// button saves exactly the matching rows.
func TestBrowser_CaseListAddress(t *testing.T) {
	p, out := newDemoBrowser(t)
	for _, msg := range p.open(t, "cases/index.html") {
		t.Errorf("cases/index.html: %s", msg)
	}
	if err := chromedp.Do(p.ctx, chromedp.WaitVisible(chromedp.ID("filter-policy"))); err != nil {
		t.Fatalf("an office of several procedures has no 办法 filter: %v", err)
	}
	// The bank and the tendering office both have a state "withdrawn"
	// under their own labels: two options, one per procedure.
	groups, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#filter-status optgroup")).map(g => g.label)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) < 2 {
		t.Errorf("status choices are grouped in %d procedures, want one group each: %q", len(groups), groups)
	}
	dup, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](`(() => {
		const seen = {}, dup = [];
		for (const o of document.querySelectorAll("#filter-status option")) {
			if (seen[o.value]) { dup.push(o.value); }
			seen[o.value] = true;
		}
		return dup;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if len(dup) > 0 {
		t.Errorf("status options share values %q: two procedures' states merged", dup)
	}

	// Choose a procedure and the overdue box as a user does.
	first, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.querySelector("#filter-policy option[value]:not([value=''])").value`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[any](fmt.Sprintf(`(() => {
		const s = document.getElementById("filter-policy");
		s.value = %q; s.dispatchEvent(new Event("change", {bubbles: true}));
		const b = document.getElementById("filter-stage");
		b.value = "open"; b.dispatchEvent(new Event("change", {bubbles: true}));
	})()`, first))); err != nil {
		t.Fatal(err)
	}
	hash, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`location.hash`))
	if err != nil {
		t.Fatal(err)
	}
	if hash != "#p="+first+"&stage=open" {
		t.Errorf("after choosing procedure %s and open cases the address says %q", first, hash)
	}
	// The count has its data-total once the chunks the filter needs are
	// loaded (filter.js loads them as script elements, after the change).
	if err := chromedp.Do(p.ctx, chromedp.WaitReady("#count[data-total]")); err != nil {
		t.Fatal(err)
	}
	before := p.attr(t, "#count", "data-total")
	// A reload keeps the filters and the result.
	if err := chromedp.Do(p.ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(p.ctx, chromedp.WaitReady("#count[data-total]")); err != nil {
		t.Fatal(err)
	}
	after := p.attr(t, "#count", "data-total")
	policy := p.eval(t, `document.getElementById("filter-policy").value`)
	stage := p.eval(t, `document.getElementById("filter-stage").value`)
	if after != before || policy != first || stage != "open" {
		t.Errorf("after a reload: %s cases, procedure %q, stage %q; before: %s cases, %q, open", after, policy, stage, before, first)
	}
	n, _ := strconv.Atoi(after)
	if n == 0 {
		t.Fatalf("procedure %s has no open cases in the demo; choose another filter", first)
	}

	// The CSV button saves the matching rows: all of them, with the
	// table's header, a BOM and CRLF lines.
	dl := t.TempDir()
	if _, err := chromedp.CallBrowser(p.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dl}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(p.ctx, chromedp.Click("#download")); err != nil {
		t.Fatal(err)
	}
	var saved []byte
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if b, err := os.ReadFile(filepath.Join(dl, "案件筛选结果.csv")); err == nil && len(b) > 0 {
			saved = b
			break
		}
	}
	if saved == nil {
		entries, _ := os.ReadDir(dl)
		t.Fatalf("no CSV was saved; the download folder holds %v", entries)
	}
	if !strings.HasPrefix(string(saved), "\ufeff") || !strings.Contains(string(saved), "\r\n") {
		t.Errorf("the CSV lacks its BOM or CRLF lines: %q", saved[:min(len(saved), 80)])
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(saved), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatalf("the saved CSV does not parse: %v", err)
	}
	if len(recs) != n+1 {
		t.Errorf("the CSV has %d rows for %d matching cases", len(recs)-1, n)
	}
	if len(recs) > 0 && (recs[0][0] != "编号" || recs[0][2] != "办法") {
		t.Errorf("the CSV header is %q", recs[0])
	}
	idRE := regexp.MustCompile(`^[A-Z]+-\d{4}-\d+$`)
	for _, r := range recs[1:] {
		if !idRE.MatchString(r[0]) {
			t.Errorf("CSV row %q does not start with a case id", r)
			break
		}
		if _, err := os.Stat(filepath.Join(out, "cases", r[0]+".html")); err != nil {
			t.Errorf("CSV row %s names no case of the site", r[0])
		}
	}

	// "Clear filters" empties the address and shows every case.
	if err := chromedp.Do(p.ctx, chromedp.Click("#filter-reset")); err != nil {
		t.Fatal(err)
	}
	// Every case is wanted now: the answer comes once every chunk is in.
	if err := chromedp.Do(p.ctx, chromedp.WaitReady("#count[data-total]")); err != nil {
		t.Fatal(err)
	}
	all := p.attr(t, "#count", "data-total")
	hash, _ = chromedp.Run(p.ctx, chromedp.Evaluate[string](`location.hash`))
	if hash != "" || all != "300" {
		t.Errorf("after clearing: address %q, %s cases; want no filter and 300", hash, all)
	}
	p.reportProblems(t, "while filtering")
}

// TestBrowser_CaseCards checks the case list on a phone: one card per
// case, each value under its column's name, and nothing wider than the
// screen.
func TestBrowser_CaseCards(t *testing.T) {
	p, _ := newDemoBrowser(t)
	if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(390, 800)); err != nil {
		t.Fatal(err)
	}
	for _, msg := range p.open(t, "cases/index.html#stage=open") {
		t.Errorf("cases/index.html: %s", msg)
	}
	if err := chromedp.Do(p.ctx, chromedp.WaitReady("#count[data-total]")); err != nil {
		t.Fatal(err)
	}
	type look struct {
		Overflow int
		Display  string
		Label    string
		Header   bool
	}
	got, err := chromedp.Run(p.ctx, chromedp.Evaluate[look](`(() => {
		const td = document.querySelector("#cases tbody tr td:nth-child(2)");
		const th = document.querySelector("#cases thead");
		return {
			Overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
			Display: getComputedStyle(document.querySelector("#cases tbody tr")).display,
			Label: getComputedStyle(td, "::before").content,
			Header: th.getBoundingClientRect().height > 1,
		};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if got.Overflow > 0 {
		t.Errorf("the case list at 390 px is %d px too wide", got.Overflow)
	}
	if got.Display != "block" || got.Label != `"标题"` || got.Header {
		t.Errorf("at 390 px rows are %q with labels %s and a visible header %t; want cards labelled \"标题\"", got.Display, got.Label, got.Header)
	}
}
