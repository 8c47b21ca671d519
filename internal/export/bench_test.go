package export_test

import (
	"io"
	"path/filepath"
	"testing"

	"github.com/casebook/casebook/internal/demo"
	"github.com/casebook/casebook/internal/export"
	"github.com/casebook/casebook/internal/office"
)

// BenchmarkExports writes the feed, the calendar and the case table of a
// demo office of every built-in procedure, 2,000 cases, with a base URL:
// what every internal build adds to its pages.
func BenchmarkExports(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "office")
	if _, err := demo.Build(dir, demo.Options{Cases: 2000, Seed: 7}); err != nil {
		b.Fatal(err)
	}
	o, err := office.Load(dir, office.Options{})
	if err != nil {
		b.Fatal(err)
	}
	at := demo.DefaultEnd
	recs := o.Records(at)
	opts := export.Options{Now: at, BaseURL: "https://office.example.gitlab.io/cases/", Office: "城关农商银行监察室", Repository: o.History.Root,
		Calendar: o.Calendar}
	for _, x := range []struct {
		name  string
		write func(io.Writer, []*office.Record, export.Options) error
	}{{"feed", export.Atom}, {"calendar", export.ICS}, {"cases.csv", export.CSV}} {
		b.Run(x.name, func(b *testing.B) {
			for b.Loop() {
				if err := x.write(io.Discard, recs, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
