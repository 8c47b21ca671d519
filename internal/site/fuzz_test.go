package site

import (
	"strings"
	"testing"
)

// FuzzRenderMarkdown checks that no case body, however hostile, renders
// into anything a browser would execute: no script, no event handler, no
// frame, object or base element, no URL with a scheme other than http,
// https or mailto, and no relative link out of the site (see executable).
// Seeds are in testdata/fuzz/FuzzRenderMarkdown; the XSS corpus adds its
// payloads too, so every go test runs them.
func FuzzRenderMarkdown(f *testing.F) {
	for _, p := range xssPayloads {
		f.Add(p)
	}
	f.Add("## 投诉内容\n\n| a | b |\n|:-|-:|\n| [x](https://example.org) | ![i](a.png) |\n\n- [x] done\n\nwww.example.org <mailto:a@example.org>\n")
	f.Fuzz(func(t *testing.T, body string) {
		h, err := renderMarkdown(body)
		if err != nil {
			t.Fatalf("renderMarkdown: %v", err)
		}
		if bad := executable(string(h), nil); len(bad) > 0 {
			t.Fatalf("executable output for %q:\n%s\n%s", body, strings.Join(bad, "\n"), h)
		}
	})
}
