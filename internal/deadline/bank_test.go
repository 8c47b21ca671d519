package deadline

import (
	"io/fs"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/policies"
)

// TestCompute_BankPolicy runs the embedded bank policy end to end: its
// conditions through policy.Eval, its calendar through CalendarFor.
func TestCompute_BankPolicy(t *testing.T) {
	data, err := fs.ReadFile(policies.FS, "bank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := policy.Load("bank.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := CalendarFor(p)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		fields   map[string]any
		wantDue  map[string]string
		wantWarn bool
	}{
		{"general online complaint", map[string]any{"category": "attitude", "channel": "online"},
			map[string]string{"reply": "2026-10-10T23:59:59+08:00", "forward": "2026-10-09T23:59:59+08:00"}, false},
		{"complex visit", map[string]any{"category": "violation", "channel": "visit"},
			map[string]string{"reply": "2026-10-20T23:59:59+08:00"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			received := time.Date(2026, 9, 30, 10, 0, 0, 0, cal.Location())
			clocks, problems := computeLater(t, Input{
				Policy: p, Calendar: cal, Env: p.Env(tt.fields), ReceivedAt: received, Status: "received",
				Fields: tt.fields, Events: []Event{{At: received, To: "received"}}, Now: received.Add(time.Hour),
			})
			if len(problems) > 0 {
				t.Fatalf("problems: %v", problems)
			}
			got := map[string]string{}
			for _, c := range clocks {
				got[c.Rule] = c.DueAt.Format(time.RFC3339)
				if c.Rule == "reply" && (c.WarnAt != nil) != tt.wantWarn {
					t.Errorf("reply WarnAt = %v, want set: %v", c.WarnAt, tt.wantWarn)
				}
			}
			if len(got) != len(tt.wantDue) {
				t.Errorf("clocks %v, want %v", got, tt.wantDue)
			}
			for rule, due := range tt.wantDue {
				if got[rule] != due {
					t.Errorf("%s due %s, want %s", rule, got[rule], due)
				}
			}
		})
	}
}
