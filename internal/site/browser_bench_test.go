package site

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/casebook/casebook/internal/office"
)

// benchNow is bench/build.sh's --now, so the benchmark's site is the one
// that script builds.
var benchNow = time.Date(2027, 1, 2, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// benchSite writes the case list (its pages, its data and the assets)
// of a bench/genrepo office of n cases and returns the folder. The
// repository is generated once and kept under bench/out (bank100k for
// 100,000 cases, as bench/build.sh names it); the list is written afresh
// into a temporary folder each run, so it is never of an older build.
// Only the list: the rest of a site of 100,000 cases takes long to build
// and is not what the benchmark looks at.
func benchSite(b *testing.B, n int) string {
	b.Helper()
	name := "bank-" + strconv.Itoa(n)
	if n == 100000 {
		name = "bank100k"
	}
	repo := filepath.Join("..", "..", "bench", "out", name)
	if _, err := os.Stat(filepath.Join(repo, ".git")); err != nil {
		b.Logf("generating %d cases into %s ...", n, repo)
		cmd := exec.Command("go", "run", "./bench/genrepo", "-out", filepath.Join("bench", "out", name), "-cases", strconv.Itoa(n), "-seed", "1")
		cmd.Dir = filepath.Join("..", "..")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("genrepo: %v\n%s", err, out)
		}
	}
	o, err := office.Load(repo, office.Options{})
	if err != nil {
		b.Fatal(err)
	}
	out := b.TempDir()
	opts := Options{Out: out, Now: benchNow, Lang: "zh"}
	tpl, seed, tplFiles, err := loadTemplates(filepath.Join(o.Root, "templates"), opts.Lang, o.Policies.OfficeName())
	if err != nil {
		b.Fatal(err)
	}
	w := &writer{out: out, tpl: tpl, seed: seed, tplFiles: tplFiles,
		files: &files{out: out, old: manifest{}, cur: manifest{}}, pages: new(atomic.Int64)}
	writeCaseLists(w, o, o.Records(opts.Now), o.Broken, opts)
	for _, a := range assets {
		w.asset("", a)
	}
	if w.err != nil {
		b.Fatal(w.err)
	}
	return out
}

// BenchmarkBrowser_Filter measures the case list of a large office in
// Chromium (CASEBOOK_BENCH_CASES cases, 100,000 by default): the bytes of
// a first visit, and the time from changing a filter (one control's
// event) to its rows being laid out, taken in the page (ms/filter). "cold" rows load the chunks
// the filter needs on a fresh page; the others change a filter of a
// page that has every chunk already.
func BenchmarkBrowser_Filter(b *testing.B) {
	n := 100000
	if s := os.Getenv("CASEBOOK_BENCH_CASES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatalf("CASEBOOK_BENCH_CASES=%s: %v", s, err)
		}
	}
	site := benchSite(b, n)
	p := startBrowserFor(b, chromiumPath(b), site, 30*time.Minute)
	eval := func(js string) float64 {
		b.Helper()
		v, err := chromedp.Run(p.ctx, chromedp.Evaluate[float64](js, chromedp.EvalAwaitPromise))
		if err != nil {
			b.Fatal(err)
		}
		return v
	}
	navigate := func(page string) {
		b.Helper()
		if err := chromedp.Do(p.ctx, chromedp.Navigate(p.base+page)); err != nil {
			b.Fatal(err)
		}
	}
	// change sets the controls (id suffix → value) as a user would and
	// gives the milliseconds until the answer is complete and laid out.
	change := func(values map[string]string) float64 {
		b.Helper()
		js := `(async () => {
			const count = document.getElementById("count");
			count.removeAttribute("data-total");
			const t0 = performance.now();
			const want = ` + jsObject(values) + `;
			// One event, as one change by a user makes: the script reads
			// every control on each.
			let s;
			for (const k in want) {
				s = document.getElementById("filter-" + k);
				s.value = want[k];
			}
			s.dispatchEvent(new Event(s.type === "search" ? "input" : "change", {bubbles: true}));
			while (!count.hasAttribute("data-total")) { await new Promise(r => setTimeout(r, 0)); }
			document.getElementById("cases").getBoundingClientRect();
			return performance.now() - t0;
		})()`
		return eval(js)
	}
	report := func(b *testing.B, total float64) {
		b.ReportMetric(total/float64(b.N), "ms/filter")
	}

	// The first visit and the cold rows download everything they read.
	if _, err := chromedp.Call(p.ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		b.Fatal(err)
	}
	b.Run("first-visit", func(b *testing.B) {
		var bytes float64
		for b.Loop() {
			navigate("index.html")
			navigate("cases/index.html")
			bytes = eval(`performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource")).reduce((n, e) => n + e.encodedBodySize, 0)`)
		}
		b.ReportMetric(bytes, "bytes")
	})
	for _, c := range []struct {
		name   string
		values map[string]string
	}{
		{"cold/open", map[string]string{"stage": "open"}},
		{"cold/closed-month", map[string]string{"cfrom": "2026-10-01", "cto": "2026-10-31"}},
		{"cold/all", map[string]string{"text": "-"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var total float64
			for b.Loop() {
				navigate("index.html")
				navigate("cases/index.html")
				total += change(c.values)
			}
			report(b, total)
		})
	}
	// Every chunk loaded, then each change answered from memory.
	navigate("index.html")
	navigate("cases/index.html")
	change(map[string]string{"text": "-"})
	for _, c := range []struct {
		name string
		a, z map[string]string // the filter changes back and forth
	}{
		{"text", map[string]string{"text": "2026"}, map[string]string{"text": "2025"}},
		{"stage", map[string]string{"text": "", "stage": "open"}, map[string]string{"text": "", "stage": "closed"}},
		{"sort-late", map[string]string{"text": "", "stage": "", "sort": "late"}, map[string]string{"text": "", "stage": "", "sort": "received"}},
		{"all", map[string]string{"text": "", "stage": "", "sort": "id"}, map[string]string{"text": "", "stage": "", "sort": "received"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var total float64
			i := 0
			for b.Loop() {
				v := c.a
				if i%2 == 1 {
					v = c.z
				}
				i++
				total += change(v)
			}
			report(b, total)
		})
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, msg := range p.problems {
		b.Errorf("while filtering: %s", msg)
	}
}

// jsObject is a map as a JavaScript object literal.
func jsObject(m map[string]string) string {
	s := "{"
	for k, v := range m {
		s += fmt.Sprintf("%q: %q,", k, v)
	}
	return s + "}"
}
