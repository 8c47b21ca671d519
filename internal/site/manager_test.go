package site

import (
	"path/filepath"
	"testing"

	"github.com/casebook/casebook/internal/demo"
	"github.com/casebook/casebook/internal/office"
)

func TestAgeBucket(t *testing.T) {
	for _, tt := range []struct {
		days int
		col  int
		span string
	}{
		{0, 0, "0-3"}, {3, 0, "0-3"}, {4, 1, "4-10"}, {10, 1, "4-10"},
		{11, 2, "11-30"}, {30, 2, "11-30"}, {31, 3, "31-"}, {400, 3, "31-"},
	} {
		col, span := ageBucket(tt.days)
		if col != tt.col || span != tt.span {
			t.Errorf("ageBucket(%d) = %d, %q; want %d, %q", tt.days, col, span, tt.col, tt.span)
		}
	}
}

// TestManagerViews checks the manager's tables of a demo office against
// each other and against the records: every open case is in the handler
// table and, with its department, in the ageing table; the on-time rate
// counts cases closed in the period, each once.
func TestManagerViews(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a demo office")
	}
	dir := filepath.Join(t.TempDir(), "office")
	if _, err := demo.Build(dir, demo.Options{Cases: 200, Seed: 5, End: demoEnd}); err != nil {
		t.Fatal(err)
	}
	o, err := office.Load(dir, office.Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	recs := o.Records(demoNow)
	d := dashboard(o, recs, Options{Now: demoNow, Lang: "zh"}, nil)
	open, closedInPeriod, onTime, decided := 0, 0, 0, 0
	start := periodStart(demoNow)
	for _, r := range recs {
		if r.Open() {
			open++
		}
		if at, ok := closedAt(r); ok && !at.Before(start) && !at.After(demoNow) {
			closedInPeriod++
			ok, dec := caseOnTime(r)
			if dec {
				decided++
			}
			if ok {
				onTime++
			}
		}
	}
	hOpen, hClosed, aTotal := 0, 0, 0
	for _, h := range d.HandlerTable {
		hOpen += h.Open
		hClosed += h.Closed
	}
	for _, a := range d.Ageing {
		n := 0
		for _, c := range a.Counts {
			n += c
		}
		if n != a.Total {
			t.Errorf("ageing %s: columns sum to %d, total %d", a.Name, n, a.Total)
		}
		aTotal += a.Total
	}
	if open == 0 || closedInPeriod == 0 || decided == 0 {
		t.Fatalf("the demo has %d open and %d closed cases (%d with deadlines): the test proves nothing", open, closedInPeriod, decided)
	}
	if hOpen != open || aTotal != open {
		t.Errorf("open cases: %d; the handler table has %d, the ageing table %d", open, hOpen, aTotal)
	}
	if hClosed != closedInPeriod {
		t.Errorf("cases closed in the period: %d; the handler table has %d", closedInPeriod, hClosed)
	}
	var rate string
	for _, f := range d.Figures {
		if f.Key == "on_time" {
			rate = f.Value
		}
	}
	if want := rateText(onTime, decided); rate != want {
		t.Errorf("on-time figure %s, want %s (%d of %d cases)", rate, want, onTime, decided)
	}
	// Every case closed with a deadline missed is counted, 30 listed.
	late := 0
	for _, r := range recs {
		if _, ok := closedLate(r); ok {
			late++
		}
	}
	if d.ClosedLateAll != late || len(d.ClosedLate) != min(late, dashboardList) {
		t.Errorf("closed late: %d of %d listed, %d cases", len(d.ClosedLate), d.ClosedLateAll, late)
	}
	used := map[string]bool{}
	for _, r := range recs {
		if r.Policy != nil && !r.Case.ReceivedAt.Before(lastMonths(demoNow.In(loc(r)), 12)[0]) {
			used[r.Policy.ID] = true
		}
	}
	if len(d.Trends) != len(used) {
		t.Errorf("%d trend charts for %d policies with cases received in the 12 months", len(d.Trends), len(used))
	}
	for _, tr := range d.Trends {
		if len(tr.Months) != 12 || tr.Months[11].Label != demoNow.Format("2006-01") {
			t.Errorf("%s: months %d, last %q", tr.Policy, len(tr.Months), tr.Months[len(tr.Months)-1].Label)
		}
	}
}
