package policy

import (
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/msg"
)

// FuzzLoad checks that no input makes Load panic, and that every problem
// it reports carries the file name and a sane position.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(basePolicy))
	f.Add([]byte(strings.Replace(basePolicy, "when: amount > 50000", "when: amount > ", 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Load("fuzz.yaml", data)
		if err == nil {
			if p == nil || p.Location == nil || p.rt == nil {
				t.Fatal("Load returned an incomplete policy without an error")
			}
			p.Env(map[string]any{"amount": "x", "complainant": "y"})
			return
		}
		// YAML also breaks lines at a lone \r.
		lines := strings.Count(string(data), "\n") + strings.Count(string(data), "\r") + 1
		for _, e := range ErrorList(err) {
			if e.File != "fuzz.yaml" || e.Line < 0 || e.Line > lines || e.Msg.Zh == "" || e.Msg.En == "" ||
				(e.Fix.Zh == "") != (e.Fix.En == "") || strings.Contains(e.In(msg.Zh)+e.In(msg.En), "%!") {
				t.Fatalf("bad problem %#v for %d lines", e, lines)
			}
		}
	})
}
