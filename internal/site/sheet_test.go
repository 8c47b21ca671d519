package site

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/templates"
)

// goPathSets are the offices the Go-written pages are compared on: the
// form cases, the browser tests' cases (corrections, extensions, related
// cases, a file that cannot be read) and the hostile corpus.
func goPathSets(t *testing.T) []struct {
	name  string
	files map[string]string
} {
	return []struct {
		name  string
		files map[string]string
	}{{"forms", moreFormCases(t)}, {"browser", browserCases}, {"xss", xssFiles(t)}}
}

// overrideBuiltins copies the embedded templates named into the office's
// templates/ folder, so that the build runs them as the office's own.
func overrideBuiltins(t *testing.T, dir string, names ...string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		src, err := templates.FS.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "templates", n), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// comparePages reports every case page that differs between two builds
// and returns how many there are and how many forms they hold.
func comparePages(t *testing.T, inGo, byTemplate map[string][]byte) (pages, sheets int) {
	t.Helper()
	for name, want := range byTemplate {
		if !strings.HasPrefix(name, "cases/") || !strings.HasSuffix(name, ".html") || strings.HasPrefix(name, "cases/list/") || name == "cases/index.html" {
			continue
		}
		pages++
		sheets += bytes.Count(want, []byte(`<article class="form-sheet"`))
		if got := inGo[name]; !bytes.Equal(got, want) {
			t.Errorf("%s differs:\n%s", name, firstDiff(got, want))
		}
	}
	if len(inGo) != len(byTemplate) {
		t.Errorf("%d files written in Go, %d by template", len(inGo), len(byTemplate))
	}
	return pages, sheets
}

// TestSheet_GoMatchesTemplate: a case page is the same bytes whether its
// forms are written by sheet.go or by the built-in sheet.html, run as an
// office's own template, in both languages, with and without personal
// data.
func TestSheet_GoMatchesTemplate(t *testing.T) {
	for _, set := range goPathSets(t) {
		for _, opts := range []Options{{}, {Lang: "en", IncludePII: true}} {
			t.Run(set.name+"-"+opts.Lang, func(t *testing.T) {
				dir := newRepo(t, set.files)
				inGo := build(t, dir, opts)
				overrideBuiltins(t, dir, "sheet.html")
				if _, sheets := comparePages(t, inGo, build(t, dir, opts)); sheets < 5 {
					t.Fatalf("%d forms in the case pages, want many", sheets)
				}
			})
		}
	}
}

// TestCasePage_GoMatchesTemplate: a case page is the same bytes whether
// casepage.go writes it or the built-in case.html, layout.html and
// sheet.html run as the office's own, and most pages take the Go path.
func TestCasePage_GoMatchesTemplate(t *testing.T) {
	for _, set := range goPathSets(t) {
		for _, opts := range []Options{{}, {Lang: "en", IncludePII: true}} {
			t.Run(set.name+"-"+opts.Lang, func(t *testing.T) {
				dir := newRepo(t, set.files)
				before := casePagesInGo.Load()
				inGo := build(t, dir, opts)
				viaGo := casePagesInGo.Load() - before
				overrideBuiltins(t, dir, "case.html", "layout.html", "sheet.html")
				before = casePagesInGo.Load()
				byTemplate := build(t, dir, opts)
				if n := casePagesInGo.Load() - before; n != 0 {
					t.Errorf("%d case pages written in Go with the office's own templates", n)
				}
				pages, _ := comparePages(t, inGo, byTemplate)
				if pages < 3 || viaGo < int64(pages)/2 {
					t.Errorf("%d of %d case pages written in Go, want most", viaGo, pages)
				}
			})
		}
	}
}

// firstDiff shows where two pages part: the lines around the first byte
// that differs.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, bytes.LastIndexByte(a[:i], '\n'))
	end := func(s []byte) []byte { return s[from:min(len(s), i+200)] }
	return "in Go:       " + string(end(a)) + "\nby template: " + string(end(b))
}

// TestBuild_WarnsOldCaseTemplate: an office whose own case.html prints no
// sheets (one written before forms were sheets) gets a warning naming
// the file, since its form links would lead nowhere; the built-in
// template, or an own one that prints them, gets none.
func TestBuild_WarnsOldCaseTemplate(t *testing.T) {
	src, err := templates.FS.ReadFile("case.html")
	if err != nil {
		t.Fatal(err)
	}
	old := strings.Replace(string(src), "{{range .Sheets}}{{sheet .}}{{end}}", "", 1)
	if old == string(src) {
		t.Fatal("case.html prints no sheets to leave out")
	}
	dir := newRepo(t, moreFormCases(t))
	warnings := func() []string {
		t.Helper()
		o, err := office.Load(dir, office.Options{NoCache: true})
		if err != nil {
			t.Fatal(err)
		}
		sum, err := Build(o, Options{Out: t.TempDir(), Now: testNow})
		if err != nil {
			t.Fatal(err)
		}
		return sum.Warnings
	}
	if w := warnings(); len(w) != 0 {
		t.Errorf("built-in templates: warnings %q", w)
	}
	overrideBuiltins(t, dir, "case.html")
	if w := warnings(); len(w) != 0 {
		t.Errorf("own case.html that prints sheets: warnings %q", w)
	}
	if err := os.WriteFile(filepath.Join(dir, "templates", "case.html"), []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	if w := warnings(); len(w) != 1 || !strings.Contains(w[0], "case.html") || !strings.Contains(w[0], ".Sheets") {
		t.Errorf("own case.html without sheets: warnings %q, want one naming the file", w)
	}
}

// goPagesMatch builds each set in zh and en with the built-in templates
// and again with the files override as the office's own, and compares the
// pages pick selects: the same bytes, every one of them written in Go the
// first time (counted by inGo) and none the second. It returns, per
// build, the pages compared and their rows.
func goPagesMatch(t *testing.T, sets []struct {
	name  string
	files map[string]string
}, inGoCount *atomic.Int64, override []string, pick func(name string) bool, check func(t *testing.T, viaGo int64, pages, rows int)) {
	for _, set := range sets {
		for _, opts := range []Options{{}, {Lang: "en", IncludePII: true}} {
			t.Run(set.name+"-"+opts.Lang, func(t *testing.T) {
				dir := newRepo(t, set.files)
				before := inGoCount.Load()
				inGo := build(t, dir, opts)
				viaGo := inGoCount.Load() - before
				overrideBuiltins(t, dir, override...)
				before = inGoCount.Load()
				byTemplate := build(t, dir, opts)
				if n := inGoCount.Load() - before; n != 0 {
					t.Errorf("%d pages written in Go with the office's own templates", n)
				}
				pages, rows := 0, 0
				for name, want := range byTemplate {
					if !pick(name) {
						continue
					}
					pages++
					rows += bytes.Count(want, []byte("<tr>"))
					if got := inGo[name]; !bytes.Equal(got, want) {
						t.Errorf("%s differs:\n%s", name, firstDiff(got, want))
					}
				}
				check(t, viaGo, pages, rows)
			})
		}
	}
}

// TestFormPage_GoMatchesTemplate: a register's page is the same bytes
// whether sheet.go writes it or the built-in form.html, layout.html and
// sheet.html run as the office's own, and the registers took the Go path.
func TestFormPage_GoMatchesTemplate(t *testing.T) {
	goPagesMatch(t, goPathSets(t), &formPagesInGo, []string{"form.html", "layout.html", "sheet.html"},
		func(name string) bool { return strings.HasPrefix(name, "forms/") && name != "forms/index.html" },
		func(t *testing.T, viaGo int64, registers, rows int) {
			if registers == 0 || viaGo != int64(registers) || rows < 5 {
				t.Errorf("%d of %d register pages (%d rows) written in Go, want all of several", viaGo, registers, rows)
			}
		})
}

// TestListPage_GoMatchesTemplate: every case list page is the same bytes
// whether listpage.go writes it or the built-in cases.html and
// layout.html run as the office's own, and they took the Go path.
func TestListPage_GoMatchesTemplate(t *testing.T) {
	// Enough cases for a pager, and a broken file for its row.
	paged := manyCases(450)
	paged["cases/2026/10/02/BANK-2026-9999.md"] = "---\nid: BANK-2026-9999\nstatus: [\n---\n"
	sets := append(goPathSets(t), struct {
		name  string
		files map[string]string
	}{"paged", paged})
	goPagesMatch(t, sets, &listPagesInGo, []string{"cases.html", "layout.html"},
		func(name string) bool { return name == "cases/index.html" || strings.HasPrefix(name, "cases/list/") },
		func(t *testing.T, viaGo int64, lists, _ int) {
			if lists < 3 || viaGo != int64(lists) {
				t.Errorf("%d of %d list pages written in Go, want all of several", viaGo, lists)
			}
		})
}
