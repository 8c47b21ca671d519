package site

import (
	"path/filepath"
	"testing"

	"github.com/casebook/casebook/internal/demo"
	"github.com/casebook/casebook/internal/office"
)

// BenchmarkDashboard measures index.html's data (key figures, matrices,
// lists and the manager's views) and the case list's data (cases/rows/) for a
// 2,000-case demo office.
func BenchmarkDashboard(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "office")
	if _, err := demo.Build(dir, demo.Options{Cases: 2000, Seed: 7, End: demoEnd}); err != nil {
		b.Fatal(err)
	}
	o, err := office.Load(dir, office.Options{NoCache: true})
	if err != nil {
		b.Fatal(err)
	}
	recs := o.Records(demoNow)
	opts := Options{Now: demoNow, Lang: "zh"}
	b.Run("dashboard", func(b *testing.B) {
		for b.Loop() {
			dashboard(o, recs, opts, nil)
		}
	})
	b.Run("rows", func(b *testing.B) {
		var n int
		for b.Loop() {
			n = 0
			for _, f := range rowsFiles(caseRows(o, recs, opts)) {
				n += len(f.data)
			}
		}
		b.ReportMetric(float64(n), "bytes")
	})
}
