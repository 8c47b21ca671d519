package site

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/casebook/casebook/internal/demo"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/stats"
)

// aggOffices are the demo offices the aggregate tests build: different
// procedures, seeds and names.
var aggOffices = []struct {
	name, office string
	policies     []string
	cases        int
	seed         uint64
}{
	{"城关", "城关农商银行监察室", []string{"bank", "food"}, 100, 1},
	{"西关", "西关客服中心", []string{"hotline", "internet", "bank"}, 80, 2},
	{"东关", "", []string{"tendering"}, 30, 3},
}

// aggNow is after the demos' history ends, so the cases still open then
// have run late.
var aggNow = demo.DefaultEnd.Add(10 * 24 * time.Hour)

// buildAggOffices builds each demo office's site and returns the sites'
// folders, in aggOffices' order, and then a broken stats.json.
func buildAggOffices(t *testing.T) []string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds three demo offices; skipped with -short")
	}
	root := t.TempDir()
	var sites []string
	for i, x := range aggOffices {
		dir := filepath.Join(root, "office"+strconv.Itoa(i))
		if _, err := demo.Build(dir, demo.Options{Cases: x.cases, Seed: x.seed, Policies: x.policies, Office: x.office}); err != nil {
			t.Fatal(err)
		}
		o, err := office.Load(dir, office.Options{NoCache: true})
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "site")
		if _, err := Build(o, Options{Out: out, Now: aggNow}); err != nil {
			t.Fatal(err)
		}
		sites = append(sites, out)
	}
	broken := filepath.Join(root, "broken", "stats.json")
	if err := os.MkdirAll(filepath.Dir(broken), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(broken, []byte(`{"format": "casebook-stats", "version": 1,`), 0o644); err != nil {
		t.Fatal(err)
	}
	return append(sites, broken)
}

// aggregateOf reads the sites' stats.json, the last one broken, and
// aggregates them into a new folder.
func aggregateOf(t *testing.T, sites []string, lang string) (string, []*stats.File) {
	t.Helper()
	var in []OfficeStats
	var files []*stats.File
	for i, s := range sites[:len(sites)-1] {
		f, err := stats.Open(s)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		in = append(in, OfficeStats{Name: aggOffices[i].name, Path: s, Stats: f})
	}
	broken := sites[len(sites)-1]
	_, err := stats.Open(broken)
	in = append(in, OfficeStats{Name: "南关", Path: broken, Err: err})
	out := t.TempDir()
	sum, err := Aggregate(in, AggregateOptions{Out: out, Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Read != 3 || sum.Missing != 1 {
		t.Errorf("read %d, missing %d; want 3 and 1", sum.Read, sum.Missing)
	}
	return out, files
}

// TestAggregate_SumsOfOffices builds three demo offices, aggregates their
// stats.json with a broken fourth, and reads the numbers back from the
// pages: each office's row is its file, every total the sum of the files.
func TestAggregate_SumsOfOffices(t *testing.T) {
	sites := buildAggOffices(t)
	out, files := aggregateOf(t, sites, "zh")
	index := parseHTML(t, filepath.Join(out, "index.html"))

	// The offices side by side, and their total.
	var want stats.Summary
	body, foot := tableRows(t, index, "offices")
	if len(body) != 4 {
		t.Fatalf("offices table has %d rows, want 4: %q", len(body), body)
	}
	for i, f := range files {
		want.Add(f.Totals)
		row := body[i]
		if !strings.HasPrefix(row[0], aggOffices[i].name) {
			t.Errorf("row %d is %q, want office %s", i, row[0], aggOffices[i].name)
		}
		if got, wantCells := row[3:], summaryCells(f.Totals); !equal(got, wantCells) {
			t.Errorf("%s: row %q, want %q from its stats.json", aggOffices[i].name, got, wantCells)
		}
		if own := aggOffices[i].office; own != "" && !strings.Contains(row[0], own) {
			t.Errorf("%s: the name its file gives, %s, is not shown", aggOffices[i].name, own)
		}
	}
	if want.Overdue.N == 0 || want.OnTime.Late.N == 0 || want.Open.N == 0 {
		t.Fatalf("the demo offices have no open, overdue or late cases (%+v); the sums prove little", want)
	}
	if got := foot[0][3:]; !equal(got, summaryCells(want)) {
		t.Errorf("total row %q, want the sums %q", got, summaryCells(want))
	}
	missing := body[3]
	if missing[0] != "南关" || !strings.Contains(missing[1], "未能读取") || !strings.Contains(missing[1], "不是有效的 JSON") {
		t.Errorf("the broken office's row is %q, want it missing with its reason", missing)
	}
	if s := textOf(index); !strings.Contains(s, "未能读取的单位") {
		t.Error("the dashboard does not list the offices that could not be read")
	}

	// Per procedure, over the offices that have it.
	procs := map[string]*stats.Summary{}
	names := map[string]string{}
	for _, f := range files {
		for _, p := range f.Procedures {
			if procs[p.Policy] == nil {
				procs[p.Policy] = &stats.Summary{}
			}
			procs[p.Policy].Add(p.Summary)
			names[p.Name.Zh] = p.Policy
		}
	}
	body, _ = tableRows(t, index, "procedures")
	if len(body) != len(procs) {
		t.Errorf("procedures table has %d rows, want %d", len(body), len(procs))
	}
	for _, row := range body {
		id, ok := names[row[0]]
		if !ok {
			t.Errorf("procedure row %q names no procedure of the files", row[0])
			continue
		}
		if got := row[2:]; !equal(got, summaryCells(*procs[id])) {
			t.Errorf("procedure %s: %q, want %q", id, got, summaryCells(*procs[id]))
		}
	}

	// Month by month, summed.
	var months []stats.Month
	for _, f := range files {
		months = stats.SumMonths(months, f.Totals.Months)
	}
	body, _ = tableRows(t, index, "months")
	if len(body) != len(months) || len(months) < 6 {
		t.Fatalf("months table has %d rows, want %d (at least 6)", len(body), len(months))
	}
	for i, m := range months {
		wantCells := []string{m.Month, exact(t, m.Received), exact(t, m.Closed), exact(t, m.Overdue),
			exact(t, m.OnTime.OnTime), exact(t, m.OnTime.Decided), rate(m.OnTime)}
		if !equal(body[i], wantCells) {
			t.Errorf("month %s: %q, want %q", m.Month, body[i], wantCells)
		}
	}

	// The offices compared month by month: one column per office read.
	mp := parseHTML(t, filepath.Join(out, "months.html"))
	body, _ = tableRows(t, mp, "m-received")
	for i, m := range months {
		row := body[i]
		if len(row) != 2+len(files) || row[0] != m.Month || row[len(row)-1] != exact(t, m.Received) {
			t.Errorf("received in %s: %q, want %d in total", m.Month, row, m.Received.N)
			continue
		}
		for j, f := range files {
			n := ""
			if fm, ok := stats.MonthOf(f.Totals.Months, m.Month); ok {
				n = exact(t, fm.Received)
			}
			if row[1+j] != n {
				t.Errorf("received in %s at %s: %q, want %q", m.Month, aggOffices[j].name, row[1+j], n)
			}
		}
	}

	// Each office read has its page; the broken one has none.
	for i, f := range files {
		op := parseHTML(t, filepath.Join(out, "offices", strconv.Itoa(i+1)+".html"))
		body, foot := tableRows(t, op, "totals")
		if len(body) != len(f.Procedures) || !equal(foot[0][1:], summaryCells(f.Totals)) {
			t.Errorf("offices/%d.html totals %q %q, want %d procedures and %q", i+1, body, foot, len(f.Procedures), summaryCells(f.Totals))
		}
	}
	if _, err := os.Stat(filepath.Join(out, "offices", "4.html")); err == nil {
		t.Error("the office that could not be read has a page")
	}
}

// TestAggregate_Deterministic: the same files give the same bytes, and
// every page works from file:// (relative links, its own CSS).
func TestAggregate_Deterministic(t *testing.T) {
	sites := buildAggOffices(t)
	a, _ := aggregateOf(t, sites, "en")
	b, _ := aggregateOf(t, sites, "en")
	pages := 0
	err := filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two aggregates of the same files", rel)
		}
		if strings.HasSuffix(rel, ".html") {
			pages++
			s := string(x)
			for _, bad := range []string{`href="/`, `src="/`, "http://", "https://"} {
				if strings.Contains(s, bad) {
					t.Errorf("%s links %s: not self-contained", rel, bad)
				}
			}
			if !strings.Contains(s, `<html lang="en">`) || !strings.Contains(s, "assets/site.css") {
				t.Errorf("%s: not English, or without the site's style sheet", rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages != 6 {
		t.Errorf("%d pages, want index, months, procedures and 3 office pages", pages)
	}
	idx, _ := os.ReadFile(filepath.Join(a, "index.html"))
	if !strings.Contains(string(idx), "Could not be read") || !strings.Contains(string(idx), "not valid JSON") {
		t.Error("the English dashboard does not say why the broken office is missing")
	}
}

// summaryCells are a summary of internal files as the tables show it:
// cases, open, finished, overdue, on time, decided, rate.
func summaryCells(s stats.Summary) []string {
	n := func(x stats.Num) string {
		if x.Withheld {
			return "withheld?"
		}
		return strconv.Itoa(x.N)
	}
	return []string{n(s.Cases), n(s.Open), n(s.Finished), n(s.Overdue), n(s.OnTime.OnTime), n(s.OnTime.Decided), rate(s.OnTime)}
}

// exact is a count of an internal file as the tables show it.
func exact(t *testing.T, n stats.Num) string {
	t.Helper()
	if n.Withheld {
		t.Errorf("a count of an internal file is withheld")
	}
	return strconv.Itoa(n.N)
}

func equal(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00")
}

func parseHTML(t *testing.T, path string) *html.Node {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// tableRows are the cell texts of the rows of the table with id, in its
// body and in its foot.
func tableRows(t *testing.T, doc *html.Node, id string) (body, foot [][]string) {
	t.Helper()
	table := find(doc, func(n *html.Node) bool { return n.Data == "table" && attr(n, "id") == id })
	if table == nil {
		t.Fatalf("no table#%s", id)
	}
	for part := table.FirstChild; part != nil; part = part.NextSibling {
		if part.Type != html.ElementNode || (part.Data != "tbody" && part.Data != "tfoot") {
			continue
		}
		for tr := part.FirstChild; tr != nil; tr = tr.NextSibling {
			if tr.Type != html.ElementNode || tr.Data != "tr" {
				continue
			}
			var cells []string
			for c := tr.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && (c.Data == "td" || c.Data == "th") {
					cells = append(cells, strings.TrimSpace(textOf(c)))
				}
			}
			if part.Data == "tbody" {
				body = append(body, cells)
			} else {
				foot = append(foot, cells)
			}
		}
	}
	return body, foot
}

func find(n *html.Node, ok func(*html.Node) bool) *html.Node {
	if n.Type == html.ElementNode && ok(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, ok); f != nil {
			return f
		}
	}
	return nil
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(textOf(c))
	}
	return b.String()
}

// TestStatsJSON_NoPersonalData: no text of any case file (names, phone
// numbers, units, titles, free text) and no case id is in the stats.json
// of the demo offices, public or not.
func TestStatsJSON_NoPersonalData(t *testing.T) {
	sites := buildAggOffices(t)
	for i, s := range sites[:len(sites)-1] {
		data, err := os.ReadFile(filepath.Join(s, stats.FileName))
		if err != nil {
			t.Fatal(err)
		}
		o, err := office.Load(filepath.Dir(s), office.Options{NoCache: true})
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		var walk func(v any)
		walk = func(v any) {
			switch x := v.(type) {
			case string:
				// Ids, times and numbers are ASCII; what a clerk or a
				// complainant wrote is not, or is a number of digits.
				if strings.ContainsFunc(x, func(r rune) bool { return r > 127 }) || (len(x) >= 7 && strings.Trim(x, "0123456789-") == "") {
					texts = append(texts, x)
				}
			case []any:
				for _, y := range x {
					walk(y)
				}
			case map[string]any:
				for _, y := range x {
					walk(y)
				}
			}
		}
		for _, c := range o.Cases {
			texts = append(texts, c.ID)
			walk(c.Fields)
		}
		if len(texts) < 100 {
			t.Fatalf("%s: only %d texts in the case files; the check proves little", aggOffices[i].name, len(texts))
		}
		// The policies' own words (labels, the office's name) are
		// statistics' words; a case may well quote one.
		var vocab []byte
		for _, id := range o.Policies.IDs() {
			p, _ := o.Policies.Get(id)
			vocab = append(vocab, p.Office...)
			if b, err := os.ReadFile(filepath.Join(filepath.Dir(s), "policies", id+".yaml")); err == nil {
				vocab = append(vocab, b...)
			}
		}
		for _, x := range texts {
			if bytes.Contains(data, []byte(x)) && !bytes.Contains(vocab, []byte(x)) {
				t.Errorf("%s: stats.json holds %q from a case file", aggOffices[i].name, x)
			}
		}
	}
}

// TestAggregate_PublicOffice aggregates an internal office with a public
// one: the public office's withheld counts read <3 on its row and page,
// the totals that include one read ≥N with N the known parts' sum, a
// rate from a withheld count reads —, and the pages say what that means.
func TestAggregate_PublicOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two demo offices; skipped with -short")
	}
	root := t.TempDir()
	var in []OfficeStats
	var files []*stats.File
	for i, x := range []struct {
		name     string
		cases    int
		audience Audience
	}{{"城关", 40, AudienceInternal}, {"西关", 12, AudiencePublic}} {
		dir := filepath.Join(root, "office"+strconv.Itoa(i))
		if _, err := demo.Build(dir, demo.Options{Cases: x.cases, Seed: uint64(7 + i), Policies: []string{"bank"}}); err != nil {
			t.Fatal(err)
		}
		o, err := office.Load(dir, office.Options{NoCache: true})
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "site")
		if _, err := Build(o, Options{Out: out, Now: aggNow, Audience: x.audience}); err != nil {
			t.Fatal(err)
		}
		f, err := stats.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		in = append(in, OfficeStats{Name: x.name, Path: out, Stats: f})
	}
	if files[0].Audience != stats.AudienceInternal || files[1].Audience != stats.AudiencePublic {
		t.Fatalf("audiences %q and %q", files[0].Audience, files[1].Audience)
	}
	out := t.TempDir()
	if _, err := Aggregate(in, AggregateOptions{Out: out}); err != nil {
		t.Fatal(err)
	}
	index := parseHTML(t, filepath.Join(out, "index.html"))
	body, foot := tableRows(t, index, "offices")
	a, b := files[0].Totals, files[1].Totals
	cell := func(n stats.Num) string {
		if n.Withheld {
			return "<3"
		}
		return strconv.Itoa(n.N)
	}
	sum := func(x, y stats.Num) string {
		if y.Withheld {
			return "≥" + strconv.Itoa(x.N)
		}
		return strconv.Itoa(x.N + y.N)
	}
	pairs := [][2]stats.Num{{a.Cases, b.Cases}, {a.Open, b.Open}, {a.Finished, b.Finished}, {a.Overdue, b.Overdue},
		{a.OnTime.OnTime, b.OnTime.OnTime}, {a.OnTime.Decided, b.OnTime.Decided}}
	withheld := 0
	for i, p := range pairs {
		if got := body[1][3+i]; got != cell(p[1]) {
			t.Errorf("public office, column %d: %q, want %q", i, got, cell(p[1]))
		}
		if got := foot[0][3+i]; got != sum(p[0], p[1]) {
			t.Errorf("total, column %d: %q, want %q", i, got, sum(p[0], p[1]))
		}
		if p[1].Withheld {
			withheld++
		}
	}
	if withheld == 0 {
		t.Fatalf("the public office withholds none of its totals (%+v); the test proves little", b)
	}
	if b.OnTime.Rate == nil && (body[1][9] != "—" || foot[0][9] != "—") {
		t.Errorf("rates from a withheld count: %q and %q, want —", body[1][9], foot[0][9])
	}
	for _, page := range []string{"index.html", "months.html", "procedures.html", "offices/2.html"} {
		doc := parseHTML(t, filepath.Join(out, page))
		if n := find(doc, func(n *html.Node) bool { return attr(n, "id") == "withheld-note" }); n == nil || !strings.Contains(textOf(n), "≥N") {
			t.Errorf("%s does not say what <3 and ≥N mean", page)
		}
	}
	if n := find(parseHTML(t, filepath.Join(out, "offices", "1.html")), func(n *html.Node) bool { return attr(n, "id") == "withheld-note" }); n != nil {
		t.Error("the internal office's page has the note of a public one")
	}
	en := t.TempDir()
	if _, err := Aggregate(in, AggregateOptions{Out: en, Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(en, "index.html")); !strings.Contains(string(b), "reads ≥N, N being the sum of the known parts") {
		t.Error("the English dashboard does not explain ≥N")
	}
}
