package stats

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
)

var shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

func bankPolicy(t *testing.T) *policy.Policy {
	t.Helper()
	set, err := policy.LoadSet("")
	if err != nil {
		t.Fatal(err)
	}
	p, ok := set.Get("bank")
	if !ok {
		t.Fatal("no bank policy")
	}
	return p
}

// rec is a bank case received at received, in status, with clocks in
// the given states, closed at closed when not zero.
func rec(p *policy.Policy, status, received, category, channel string, closed string, clocks ...deadline.State) *office.Record {
	at, err := time.Parse(time.RFC3339, received)
	if err != nil {
		panic(err)
	}
	c := &cases.Case{Status: status, ReceivedAt: at, Fields: map[string]any{"category": category, "channel": channel}}
	if category == "" {
		delete(c.Fields, "category")
	}
	r := &office.Record{Case: c, Policy: p}
	for _, s := range clocks {
		r.Clocks = append(r.Clocks, deadline.Clock{Rule: "reply", State: s})
	}
	if closed != "" {
		end, err := time.Parse(time.RFC3339, closed)
		if err != nil {
			panic(err)
		}
		r.History = &history.Case{Transitions: []history.Transition{{To: "replied", At: end.Add(-time.Hour)}, {From: "replied", To: status, At: end}}}
	}
	return r
}

func TestOf(t *testing.T) {
	p := bankPolicy(t)
	now := time.Date(2026, 11, 30, 18, 0, 0, 0, shanghai)
	recs := []*office.Record{
		// September: one answered on time and closed in October, one late.
		rec(p, "closed", "2026-09-28T10:00:00+08:00", "attitude", "visit", "2026-10-09T10:00:00+08:00", deadline.Met),
		rec(p, "closed", "2026-09-30T23:30:00+08:00", "product", "phone", "2026-11-02T10:00:00+08:00", deadline.Missed),
		// received on 30 September at 16:30 UTC: 1 October in Beijing
		rec(p, "assigned", "2026-09-30T16:30:00Z", "fraud?", "online", "", deadline.Overdue),
		// November: running in time (not decided), and no category.
		rec(p, "received", "2026-11-20T09:00:00+08:00", "", "letter", "", deadline.Pending),
		// a met clock and a running one: not decided yet
		rec(p, "assigned", "2026-11-21T09:00:00+08:00", "attitude", "online", "", deadline.Met, deadline.AtRisk),
		// no policy: unreadable, in no count
		{Case: &cases.Case{Status: "received"}},
	}
	f := Of(recs, Options{Office: "城关农商银行监察室", Now: now, Unreadable: 2})
	if f.Format != Format || f.Version != 1 || f.Office != "城关农商银行监察室" || f.BuiltAt != "2026-11-30T18:00:00+08:00" {
		t.Errorf("head: %+v", f)
	}
	if f.Unreadable.N != 3 {
		t.Errorf("unreadable = %d, want 2 broken files + 1 case without a policy", f.Unreadable.N)
	}
	if f.Period == nil || *f.Period != (Period{From: "2026-09", To: "2026-11"}) {
		t.Errorf("period = %+v", f.Period)
	}
	tot := f.Totals
	if tot.Cases.N != 5 || tot.Open.N != 3 || tot.Finished.N != 2 || tot.Overdue.N != 1 {
		t.Errorf("totals = %+v", tot)
	}
	if o := tot.OnTime; o.Decided.N != 3 || o.OnTime.N != 1 || o.Late.N != 2 || o.Rate == nil || *o.Rate != 0.3333 ||
		o.Period == nil || *o.Period != (Period{From: "2026-09", To: "2026-10"}) {
		t.Errorf("on time = %+v (period %+v)", o, o.Period)
	}
	type month struct {
		month                              string
		received, closed, overdue, decided int
	}
	var got []month
	for _, m := range tot.Months {
		got = append(got, month{m.Month, m.Received.N, m.Closed.N, m.Overdue.N, m.OnTime.Decided.N})
	}
	want := []month{{"2026-09", 2, 0, 0, 2}, {"2026-10", 1, 1, 1, 1}, {"2026-11", 2, 1, 0, 0}}
	if len(got) != len(want) {
		t.Fatalf("months = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("month %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if len(f.Procedures) != 1 || f.Procedures[0].Policy != "bank" || f.Procedures[0].Name.Zh != "农商银行客户投诉(信访)处理办法" {
		t.Fatalf("procedures = %+v", f.Procedures)
	}
	pr := f.Procedures[0]
	counts := func(list []Count) map[string]int {
		m := map[string]int{}
		for _, c := range list {
			m[c.ID] = c.Cases.N
		}
		return m
	}
	if c := counts(pr.Categories); c["attitude"] != 2 || c["product"] != 1 || c[NoneID] != 1 || c[OtherID] != 1 || len(pr.Categories) != len(p.Categories)+2 {
		t.Errorf("categories = %+v", pr.Categories)
	}
	if c := counts(pr.Channels); c["online"] != 2 || c["visit"] != 1 || c["media"] != 0 || c[NoneID] != 0 {
		t.Errorf("channels = %+v", pr.Channels)
	}
	if c := counts(pr.States); c["closed"] != 2 || c["assigned"] != 2 || c["received"] != 1 || c["withdrawn"] != 0 {
		t.Errorf("states = %+v", pr.States)
	}
	// The stray category is counted, never shown.
	b, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("fraud")) {
		t.Error("stats.json shows a value the policy does not list")
	}
	back, err := Parse("stats.json", b)
	if err != nil {
		t.Fatalf("Parse of what Marshal wrote: %v", err)
	}
	b2, _ := back.Marshal()
	if !bytes.Equal(b, b2) {
		t.Errorf("Parse and Marshal do not round-trip:\n%s\n%s", b, b2)
	}
}

func TestOf_NoCases(t *testing.T) {
	f := Of(nil, Options{Now: time.Date(2026, 11, 30, 18, 0, 0, 0, shanghai)})
	b, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if f.Period != nil || len(f.Procedures) != 0 || f.Totals.OnTime.Rate != nil {
		t.Errorf("an office without cases: %s", b)
	}
	if !bytes.Contains(b, []byte(`"procedures": []`)) || !bytes.Contains(b, []byte(`"months": []`)) {
		t.Errorf("empty lists must read [] not null:\n%s", b)
	}
	if _, err := Parse("stats.json", b); err != nil {
		t.Error(err)
	}
}

// TestOf_MonthsWithoutCases: a month in the middle with nothing in it is
// listed with zeros, so offices line up month by month.
func TestOf_MonthsWithoutCases(t *testing.T) {
	p := bankPolicy(t)
	f := Of([]*office.Record{
		rec(p, "received", "2026-10-30T09:00:00+08:00", "attitude", "phone", "", deadline.Pending),
		rec(p, "received", "2027-01-05T09:00:00+08:00", "attitude", "phone", "", deadline.Pending),
	}, Options{Now: time.Date(2027, 1, 6, 0, 0, 0, 0, shanghai)})
	var months []string
	for _, m := range f.Totals.Months {
		months = append(months, m.Month)
	}
	if strings.Join(months, " ") != "2026-10 2026-11 2026-12 2027-01" {
		t.Errorf("months = %v", months)
	}
}

func TestParse_Problems(t *testing.T) {
	good, err := Of(nil, Options{Now: time.Date(2026, 11, 30, 18, 0, 0, 0, shanghai)}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	edit := func(old, new string) string {
		if !strings.Contains(string(good), old) {
			t.Fatalf("test bug: %q not in %s", old, good)
		}
		return strings.Replace(string(good), old, new, 1)
	}
	tests := []struct {
		name, data string
		kind       Kind
		line       int
		msg        string
	}{
		{"broken JSON", edit(`"version": 1,`, `"version": 1`), Broken, 4, "not valid JSON"},
		{"empty file", "", Broken, 1, "not valid JSON"},
		{"an array", "[1, 2]", WrongFormat, 1, "not a JSON object"},
		{"other format", edit(`"casebook-stats"`, `"geojson"`), WrongFormat, 0, `format is "geojson", not casebook's statistics`},
		{"no format", `{"version": 1}`, WrongFormat, 0, "no format"},
		{"format not text", `{"format": 1}`, WrongFormat, 1, "format is not text"},
		{"newer version", edit(`"version": 1`, `"version": 3`), UnknownVersion, 0, "version 3; this casebook reads versions 1 to 2"},
		{"no version", edit(`"version": 1,`, ``), UnknownVersion, 0, "unknown version 0"},
		{"version not a number", edit(`"version": 1`, `"version": "1"`), UnknownVersion, 0, "not a whole number"},
		{"count of the wrong type", edit(`"cases": 0`, `"cases": "0"`), Invalid, 10, "totals.cases must be int"},
		{"negative count", edit(`"open": 0`, `"open": -1`), Invalid, 0, "totals.open: a negative count"},
		{"parts that do not add up", edit(`"open": 0`, `"open": 1`), Invalid, 0, "do not add up"},
		{"null in an internal file", edit(`"open": 0`, `"open": null`), Invalid, 0, "totals.open: a count is null in a file that is not public"},
		{"other audience", edit(`"internal"`, `"press"`), Invalid, 0, `"press" is not internal or public`},
		{"rate above one", edit(`"rate": null`, `"rate": 1.5`), Invalid, 0, "rate is not between 0 and 1"},
		{"bad month", edit(`"period": null`, `"period": {"from": "2026-13", "to": "2026-12"}`), Invalid, 0, `"2026-13" is not YYYY-MM`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("a/stats.json", []byte(tt.data))
			re, ok := err.(*ReadError)
			if !ok {
				t.Fatalf("err = %v, want a *ReadError", err)
			}
			if re.Kind != tt.kind || re.Line != tt.line || !strings.Contains(re.Error(), tt.msg) || re.File != "a/stats.json" {
				t.Errorf("got %s %s (line %d), want %s at line %d with %q", re.Kind, re.Error(), re.Line, tt.kind, tt.line, tt.msg)
			}
			if re.In("zh") == re.In("en") {
				t.Errorf("no Chinese: %s", re.In("zh"))
			}
		})
	}
	// Keys a later casebook adds are ignored.
	if _, err := Parse("stats.json", []byte(edit(`"unreadable": 0,`, `"unreadable": 0, "sla": {"x": 1},`))); err != nil {
		t.Errorf("an added key: %v", err)
	}
	// A byte order mark is no reason to refuse the file.
	if _, err := Parse("stats.json", append([]byte("\xef\xbb\xbf"), good...)); err != nil {
		t.Errorf("with a BOM: %v", err)
	}
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	good, _ := Of(nil, Options{Office: "甲", Now: time.Date(2026, 11, 30, 18, 0, 0, 0, shanghai)}).Marshal()
	site := filepath.Join(dir, "site")
	if err := os.MkdirAll(site, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(site, FileName), good, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{site, filepath.Join(site, FileName)} {
		f, err := Open(path)
		if err != nil || f.Office != "甲" {
			t.Errorf("Open(%s) = %+v, %v", path, f, err)
		}
	}
	empty := filepath.Join(dir, "empty")
	if err := os.MkdirAll(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path string
		msg  string
	}{
		{filepath.Join(dir, "nowhere"), "no such file or folder"},
		{empty, "the folder holds no stats.json"},
	} {
		_, err := Open(tt.path)
		re, ok := err.(*ReadError)
		if !ok || re.Kind != Missing || !strings.Contains(re.Error(), tt.msg) {
			t.Errorf("Open(%s) = %v, want %s: %s", tt.path, err, Missing, tt.msg)
		}
	}
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, bytes.Repeat([]byte(" "), MaxFileSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(big); err == nil || err.(*ReadError).Kind != Unreadable {
		t.Errorf("a file over MaxFileSize: %v", err)
	}
}

// TestMarshal_Shape pins the key names docs/stats-json.md documents, so
// that a rename is a visible change of the format.
func TestMarshal_Shape(t *testing.T) {
	p := bankPolicy(t)
	f := Of([]*office.Record{rec(p, "closed", "2026-10-08T09:00:00+08:00", "attitude", "phone", "2026-10-09T09:00:00+08:00", deadline.Met)},
		Options{Office: "城关农商银行监察室", Now: time.Date(2026, 11, 30, 18, 0, 0, 0, shanghai)})
	b, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"format", "version", "office", "built_at", "period", "unreadable", "totals", "procedures"} {
		if _, ok := v[k]; !ok {
			t.Errorf("no %q", k)
		}
	}
	pr := v["procedures"].([]any)[0].(map[string]any)
	for _, k := range []string{"policy", "name", "cases", "open", "finished", "overdue", "on_time", "months", "states", "categories", "channels"} {
		if _, ok := pr[k]; !ok {
			t.Errorf("procedure has no %q", k)
		}
	}
	m := pr["months"].([]any)[0].(map[string]any)
	for _, k := range []string{"month", "received", "closed", "overdue", "on_time"} {
		if _, ok := m[k]; !ok {
			t.Errorf("month has no %q", k)
		}
	}
}

// TestDocExample: the examples of docs/stats-json.md, an internal file
// and a public one of the same office, are files this casebook reads.
func TestDocExample(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "stats-json.md"))
	if err != nil {
		t.Fatal(err)
	}
	var files []*File
	rest := string(doc)
	for {
		_, after, ok := strings.Cut(rest, "```json\n")
		if !ok {
			break
		}
		example, tail, ok := strings.Cut(after, "```")
		if !ok {
			t.Fatal("docs/stats-json.md has an unclosed ```json example")
		}
		f, err := Parse("docs/stats-json.md", []byte(example))
		if err != nil {
			t.Fatalf("example %d: %v", len(files)+1, err)
		}
		files = append(files, f)
		rest = tail
	}
	if len(files) != 2 {
		t.Fatalf("docs/stats-json.md has %d ```json examples, want the internal and the public one", len(files))
	}
	in, pub := files[0], files[1]
	if in.Office != "城关农商银行监察室" || len(in.Procedures) != 1 || in.Totals.Overdue.N == 0 || in.Audience != AudienceInternal || in.Version != 1 {
		t.Errorf("the first example is not the documented internal file: %+v", in.Totals)
	}
	if pub.Office != in.Office || pub.Audience != AudiencePublic || pub.Version != 2 || pub.SuppressedBelow != MinCell ||
		!pub.Totals.Open.Withheld || !pub.Totals.Finished.Withheld || pub.Totals.Cases != in.Totals.Cases {
		t.Errorf("the second example is not the documented public file: %+v", pub.Totals)
	}
}
