package stats

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
)

// publicRecs are ten bank cases of October 2026: six and three closed on
// time (attitude by phone, work errors in person), one open and overdue
// (a product complaint by phone).
func publicRecs(p *policy.Policy) []*office.Record {
	var recs []*office.Record
	for range 6 {
		recs = append(recs, rec(p, "closed", "2026-10-12T10:00:00+08:00", "attitude", "phone", "2026-10-20T10:00:00+08:00", deadline.Met))
	}
	for range 3 {
		recs = append(recs, rec(p, "closed", "2026-10-13T10:00:00+08:00", "work_error", "visit", "2026-10-21T10:00:00+08:00", deadline.Met))
	}
	return append(recs, rec(p, "assigned", "2026-10-14T10:00:00+08:00", "product", "phone", "", deadline.Overdue))
}

// TestOf_Public: a public file withholds every count under 3 and, line by
// line, one more where a single withheld count could be recovered by
// subtraction; a rate from a withheld count is null.
func TestOf_Public(t *testing.T) {
	p := bankPolicy(t)
	now := time.Date(2026, 11, 30, 18, 0, 0, 0, shanghai)
	f := Of(publicRecs(p), Options{Office: "城关", Now: now, Public: true})
	if f.Version != 2 || f.Audience != "public" || f.SuppressedBelow != 3 {
		t.Errorf("head: version %d, audience %q, suppressed_below %d", f.Version, f.Audience, f.SuppressedBelow)
	}
	want := map[string]string{
		"unreadable":                              "null", // 0
		"totals.cases":                            "10",
		"totals.open":                             "null", // 1
		"totals.finished":                         "null", // 9: open + finished = cases
		"totals.overdue":                          "null", // 1
		"totals.on_time.decided":                  "10",
		"totals.on_time.on_time":                  "null", // 9: on time + late = decided
		"totals.on_time.late":                     "null", // 1
		"totals.months.2026-10.received":          "10",
		"totals.months.2026-10.closed":            "null", // 9: the months' closed sum to finished
		"totals.months.2026-10.overdue":           "null",
		"totals.months.2026-10.on_time.decided":   "10",
		"totals.months.2026-10.on_time.on_time":   "null",
		"procedures.bank.cases":                   "10",
		"procedures.bank.finished":                "null",
		"procedures.bank.states.assigned":         "null", // 1
		"procedures.bank.states.closed":           "9",    // with withdrawn (0) and finished withheld
		"procedures.bank.states.withdrawn":        "null", // 0
		"procedures.bank.categories.attitude":     "6",
		"procedures.bank.categories.work_error":   "3",
		"procedures.bank.categories.product":      "null",
		"procedures.bank.categories.anonymous":    "null",
		"procedures.bank.channels.phone":          "7",
		"procedures.bank.channels.visit":          "3",
		"procedures.bank.channels.online":         "null",
		"procedures.bank.months.2026-10.received": "10",
	}
	got := map[string]string{}
	tab := f.table(nil)
	for i, n := range tab.cells {
		b, _ := n.MarshalJSON()
		got[tab.keys[i]] = string(b)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %s, want %s", k, got[k], w)
		}
	}
	checkPublic(t, f)
	if f.Totals.OnTime.Rate != nil || f.Totals.Months[0].OnTime.Rate != nil || f.Procedures[0].OnTime.Rate != nil {
		t.Error("a rate from a withheld count is shown")
	}

	b, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"audience": "public",`, `"suppressed_below": 3,`, `"open": null,`, `"rate": null`} {
		if !bytes.Contains(b, []byte(s)) {
			t.Errorf("the public file has no %s:\n%s", s, b)
		}
	}
	back, err := Parse("stats.json", b)
	if err != nil {
		t.Fatalf("Parse of a public file: %v", err)
	}
	if b2, _ := back.Marshal(); !bytes.Equal(b, b2) {
		t.Errorf("a public file does not round-trip:\n%s\n%s", b, b2)
	}
	if !back.Totals.Open.Withheld || back.Totals.Cases != (Num{N: 10}) {
		t.Errorf("read back: open %+v, cases %+v", back.Totals.Open, back.Totals.Cases)
	}

	// The internal file of the same cases: exact, version 1, no null.
	in := Of(publicRecs(p), Options{Office: "城关", Now: now})
	ib, _ := in.Marshal()
	if in.Version != 1 || in.Audience != "internal" || bytes.Contains(ib, []byte("null,")) || bytes.Contains(ib, []byte("suppressed_below")) {
		t.Errorf("internal file:\n%s", ib)
	}
	if in.Totals.Open.N != 1 || in.Totals.Finished.N != 9 {
		t.Errorf("internal totals: %+v", in.Totals)
	}
}

// TestOf_PublicAcrossProcedures: the totals are the procedures' sums, so
// a withheld count of one procedure withholds another's beside it.
func TestOf_PublicAcrossProcedures(t *testing.T) {
	bank := bankPolicy(t)
	set, err := policy.LoadSet("")
	if err != nil {
		t.Fatal(err)
	}
	hotline, _ := set.Get("hotline")
	recs := publicRecs(bank)
	for range 5 {
		recs = append(recs, rec(hotline, "routed", "2026-10-15T10:00:00+08:00", "", "", "", deadline.Pending))
	}
	for range 4 {
		recs = append(recs, rec(hotline, "closed", "2026-10-15T10:00:00+08:00", "", "", "2026-10-25T10:00:00+08:00", deadline.Met))
	}
	f := Of(recs, Options{Now: time.Date(2026, 11, 30, 18, 0, 0, 0, shanghai), Public: true})
	// bank open 1, hotline open 5, totals open 6: the 5 goes too.
	keys := f.WithheldKeys()
	for _, k := range []string{"procedures.bank.open", "procedures.hotline.open"} {
		if !keys[k] {
			t.Errorf("%s is shown", k)
		}
	}
	if keys["totals.open"] || f.Totals.Open.N != 6 {
		t.Errorf("totals.open = %+v, want 6 shown", f.Totals.Open)
	}
	checkPublic(t, f)
	// A page of the build that withholds a count makes the file withhold
	// it too, and one more beside it.
	g := Of(recs, Options{Now: time.Date(2026, 11, 30, 18, 0, 0, 0, shanghai), Public: true,
		Withhold: map[string]bool{"totals.months.2026-10.received": true}})
	// The only month's received is the total of cases.
	if k := g.WithheldKeys(); !k["totals.months.2026-10.received"] || !k["totals.cases"] || keys["totals.cases"] {
		t.Errorf("a seeded count: received %v, cases %v", k["totals.months.2026-10.received"], k["totals.cases"])
	}
	checkPublic(t, g)
}

// checkPublic fails when a public file shows a count under MinCell, or
// when a line of it has exactly one withheld count.
func checkPublic(t *testing.T, f *File) {
	t.Helper()
	tab := f.table(nil)
	for i, n := range tab.cells {
		if !n.Withheld && n.N < MinCell {
			t.Errorf("%s shows %d", tab.keys[i], n.N)
		}
	}
	for _, l := range tab.lines {
		var hidden []string
		for _, i := range l {
			if tab.cells[i].Withheld {
				hidden = append(hidden, tab.keys[i])
			}
		}
		if len(hidden) == 1 {
			t.Errorf("the line with %s withholds only it: subtraction gives it away", hidden[0])
		}
	}
	b, _ := f.Marshal()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	counts := strings.Replace(string(b), `"version": 2,`, "", 1)
	for _, s := range []string{": 0,", ": 1,", ": 2,", ": 0\n", ": 1\n", ": 2\n"} {
		if strings.Contains(counts, s) {
			t.Errorf("the public file holds %q", strings.TrimSpace(s))
		}
	}
}
