package site

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casebook/casebook/templates"
)

// TestSheet_GoMatchesTemplate: a case page is the same bytes whether its
// forms are written by sheet.go or by the built-in sheet.html, run as an
// office's own template: on the form cases, the browser tests' cases and
// the hostile corpus, in both languages, with and without personal data.
func TestSheet_GoMatchesTemplate(t *testing.T) {
	src, err := templates.FS.ReadFile("sheet.html")
	if err != nil {
		t.Fatal(err)
	}
	sets := []struct {
		name  string
		files map[string]string
	}{{"forms", moreFormCases(t)}, {"browser", browserCases}, {"xss", xssFiles(t)}}
	for _, set := range sets {
		for _, opts := range []Options{{}, {Lang: "en", IncludePII: true}} {
			t.Run(set.name+"-"+opts.Lang, func(t *testing.T) {
				dir := newRepo(t, set.files)
				inGo := build(t, dir, opts)
				if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "templates", "sheet.html"), src, 0o644); err != nil {
					t.Fatal(err)
				}
				byTemplate := build(t, dir, opts)
				sheets := 0
				for name, want := range byTemplate {
					if !strings.HasPrefix(name, "cases/") {
						continue
					}
					sheets += bytes.Count(want, []byte(`<article class="form-sheet"`))
					if got := inGo[name]; !bytes.Equal(got, want) {
						t.Errorf("%s differs:\n%s", name, firstDiff(got, want))
					}
				}
				if sheets < 5 {
					t.Fatalf("%d forms in the case pages, want many", sheets)
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
	return "sheet.go:      " + string(end(a)) + "\nsheet.html:    " + string(end(b))
}
