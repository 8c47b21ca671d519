package site

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/casebook/casebook/internal/demo"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/stats"
)

func TestParseAudience(t *testing.T) {
	for in, want := range map[string]Audience{"": AudienceInternal, "internal": AudienceInternal, "public": AudiencePublic} {
		if got, err := ParseAudience(in); err != nil || got != want {
			t.Errorf("ParseAudience(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseAudience("Public"); err == nil {
		t.Error("ParseAudience(Public) is no error")
	}
}

// TestBuild_PublicDemo builds the public site of a demo office of 300
// cases of every procedure and scans every file it wrote for what a
// public build must never carry: the names of complainants, respondents,
// handlers and clerks, any other text of a case's fields, any line of a
// case's body, any case id. It checks that every count shown is 3 or
// more or withheld, that no table line has a single withheld count, and
// that every page says noindex.
func TestBuild_PublicDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a demo office")
	}
	dir := filepath.Join(t.TempDir(), "office")
	if _, err := demo.Build(dir, demo.Options{Cases: 300, Seed: 13}); err != nil {
		t.Fatal(err)
	}
	o, err := office.Load(dir, office.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The words of the procedures (categories, channels, states, values)
	// are what statistics are made of: a title that reads like a category
	// is not looked for.
	var vocab strings.Builder
	for _, id := range o.Policies.IDs() {
		p, _ := o.Policies.Get(id)
		for _, cs := range [][]policy.Choice{p.Categories, p.Channels, p.Classes} {
			for _, c := range cs {
				vocab.WriteString(c.Zh + "|" + c.En + "|")
			}
		}
		for _, st := range p.States {
			vocab.WriteString(st.Zh + "|" + st.En + "|")
		}
	}
	secrets := map[string]string{} // text → where it comes from
	add := func(s, from string, minRunes int) {
		s = strings.TrimSpace(s)
		if strings.Contains(vocab.String(), s) {
			return
		}
		if len([]rune(s)) >= minRunes && strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			secrets[s] = from
		}
	}
	ids := map[string]bool{}
	for _, c := range o.Cases {
		ids[c.ID] = true
		r := o.Record(c, testNow)
		for _, tr := range r.Transitions() {
			add(tr.Actor, c.ID+" actor", 2)
		}
		add(c.Title, c.ID+" title", 4)
		var walk func(path string, v any)
		walk = func(path string, v any) {
			switch v := v.(type) {
			case map[string]any:
				for k, x := range v {
					walk(path+"."+k, x)
				}
			case []any:
				for _, x := range v {
					walk(path, x)
				}
			case string:
				top, _, _ := strings.Cut(strings.TrimPrefix(path, "."), ".")
				if f, ok := r.Policy.Field(strings.TrimPrefix(path, ".")); ok && f.Type == policy.TypeEnum {
					return // its label is a word of the statistics
				}
				switch top {
				case policy.FieldComplainant, policy.FieldRespondent, policy.FieldAssignee, "handler":
					add(v, c.ID+" "+path, 2)
				default:
					add(v, c.ID+" "+path, 4)
				}
			}
		}
		for k, v := range c.Fields {
			walk("."+k, v)
		}
		for _, line := range strings.Split(c.Body, "\n") {
			line = strings.TrimSpace(line)
			if strings.HasPrefix(line, "#") {
				continue // a section heading, a word of the procedure
			}
			add(line, c.ID+" body", 6)
		}
	}
	if len(secrets) < 300 {
		t.Fatalf("only %d texts to look for: the scan would prove little", len(secrets))
	}

	out := filepath.Join(t.TempDir(), "public")
	o, err = office.Load(dir, office.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Build(o, Options{Out: out, Now: testNow, Audience: AudiencePublic}); err != nil {
		t.Fatal(err)
	}
	idPattern := regexp.MustCompile(`\b[A-Z]+-\d{4}-\d{4,}\b`)
	cell := regexp.MustCompile(`<td class="n">([^<]*)</td>`)
	figure := regexp.MustCompile(`<div class="figure fig-(open|overdue|due_soon|received|closed)"><span class="value">([^<]*)</span>`)
	var htmlPages, csvFiles int
	err = filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, path)
		rel = filepath.ToSlash(rel)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		allowed := rel == "index.html" || rel == "robots.txt" || rel == "stats.json" || strings.HasPrefix(rel, "assets/") ||
			strings.HasPrefix(rel, "reports/") || strings.HasPrefix(rel, ".")
		if !allowed {
			t.Errorf("%s: a public build has no such file", rel)
		}
		s := string(b)
		for text, from := range secrets {
			if strings.Contains(s, text) {
				t.Errorf("%s carries %q (%s)", rel, text, from)
			}
		}
		for _, id := range idPattern.FindAllString(s, -1) {
			if ids[id] {
				t.Errorf("%s names case %s", rel, id)
			}
		}
		switch {
		case strings.HasSuffix(rel, ".html"):
			htmlPages++
			if !strings.Contains(s, `<meta name="robots" content="noindex,nofollow">`) {
				t.Errorf("%s: no noindex", rel)
			}
			for _, m := range cell.FindAllStringSubmatch(s, -1) {
				checkShown(t, rel, m[1])
			}
			for _, m := range figure.FindAllStringSubmatch(s, -1) {
				checkShown(t, rel+" figure "+m[1], m[2])
			}
			if strings.Contains(s, `href="cases/`) || strings.Contains(s, `href="../cases/`) || strings.Contains(s, "forms/") {
				t.Errorf("%s links a case or a form", rel)
			}
		case strings.HasSuffix(rel, ".csv"):
			csvFiles++
			checkPublicCSV(t, rel, b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if htmlPages < 5 || csvFiles < 10 {
		t.Errorf("%d pages and %d CSV files: the public build is too small to have been scanned", htmlPages, csvFiles)
	}
	robots, err := os.ReadFile(filepath.Join(out, "robots.txt"))
	if err != nil || string(robots) != "User-agent: *\nDisallow: /\n" {
		t.Errorf("robots.txt = %q, %v", robots, err)
	}
	checkPublicIndex(t, filepath.Join(out, "index.html"))
	checkPublicStats(t, out)
}

// checkPublicStats checks the stats.json of a public build: it says it is
// public, shows no count of 1 or 2, and withholds every count that the
// public dashboard withholds (each state's cases, the open and overdue
// figures), and the dashboard every one of those that it withholds.
func checkPublicStats(t *testing.T, out string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, stats.FileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"version": 2,`, `"audience": "public",`, `"suppressed_below": 3,`, `: null`} {
		if !bytes.Contains(data, []byte(s)) {
			t.Errorf("the public stats.json has no %s", s)
		}
	}
	f, err := stats.Parse("stats.json", data)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, y := range x {
				walk(path+"."+k, y)
			}
		case []any:
			for i, y := range x {
				walk(path+"["+strconv.Itoa(i)+"]", y)
			}
		case float64:
			if strings.HasSuffix(path, ".rate") || path == ".version" || path == ".suppressed_below" {
				return
			}
			if x < MinCell {
				t.Errorf("stats.json%s = %v in a public build", path, x)
			}
		}
	}
	walk("", v)

	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	for _, fig := range []struct {
		key string
		n   stats.Num
	}{{"open", f.Totals.Open}, {"overdue", f.Totals.Overdue}} {
		m := regexp.MustCompile(`<div class="figure fig-` + fig.key + `"><span class="value">([^<]*)</span>`).FindStringSubmatch(s)
		if m == nil {
			t.Fatalf("no figure %s", fig.key)
		}
		if (m[1] == "&lt;3") != fig.n.Withheld {
			t.Errorf("figure %s reads %s, stats.json has %+v", fig.key, m[1], fig.n)
		}
	}
	procs := map[string]stats.Procedure{}
	for _, p := range f.Procedures {
		procs[p.Name.Zh] = p
	}
	table := regexp.MustCompile(`(?s)<caption id="matrix-\d+">([^<]*)</caption>.*?</table>`)
	row := regexp.MustCompile(`<tr><th>([^<]*)</th>(?:<td class="n">[^<]*</td>)*<td class="n">([^<]*)</td></tr>`)
	rows, withheld := 0, 0
	for _, tm := range table.FindAllStringSubmatch(s, -1) {
		p, ok := procs[html.UnescapeString(tm[1])]
		if !ok {
			t.Errorf("matrix %s is no procedure of stats.json", tm[1])
			continue
		}
		for _, rm := range row.FindAllStringSubmatch(tm[0], -1) {
			i := slices.IndexFunc(p.States, func(c stats.Count) bool { return c.Zh == html.UnescapeString(rm[1]) })
			if i < 0 {
				t.Errorf("%s: state %s is not in stats.json", p.Policy, rm[1])
				continue
			}
			rows++
			c := p.States[i].Cases
			if (rm[2] == "&lt;3") != c.Withheld {
				t.Errorf("%s: state %s reads %s on the dashboard, %+v in stats.json", p.Policy, p.States[i].ID, rm[2], c)
			}
			if c.Withheld {
				withheld++
			}
		}
	}
	if rows < 10 || withheld == 0 {
		t.Errorf("%d state rows, %d withheld: the comparison proves little", rows, withheld)
	}
}

// checkShown fails unless v is a count a public build may show: 3 or
// more, withheld, a rate, or no value.
func checkShown(t *testing.T, where, v string) {
	t.Helper()
	if v == "&lt;3" || v == Suppressed || v == "—" || strings.HasSuffix(v, "%") || v == "" {
		return
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < MinCell {
		t.Errorf("%s shows the count %q", where, v)
	}
}

// checkPublicCSV checks a report CSV of a public build: every count 3 or
// more or withheld, and no column and no cases = open + finished triple
// with a single withheld count.
func checkPublicCSV(t *testing.T, rel string, b []byte) {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Errorf("%s: %v", rel, err)
		return
	}
	if len(rows) < 2 || len(rows[0]) != 9 {
		t.Errorf("%s: %d rows, header %v", rel, len(rows), rows[0])
		return
	}
	body := rows[1:]
	for c := 2; c <= 7; c++ {
		n := 0
		for _, r := range body {
			checkShown(t, rel+" "+r[0]+" "+rows[0][c], r[c])
			if r[c] == Suppressed {
				n++
			}
		}
		if n == 1 {
			t.Errorf("%s: column %s has one withheld count, which the total gives away", rel, rows[0][c])
		}
	}
	for _, r := range body {
		n := 0
		for _, v := range r[2:5] {
			if v == Suppressed {
				n++
			}
		}
		if n == 1 {
			t.Errorf("%s: row %s has one withheld count of cases, open, finished", rel, r[0])
		}
	}
}

// checkPublicIndex checks the public dashboard's structure: figures and
// one status × category table per procedure, a note saying what the
// edition is, a menu of the dashboard and the reports only, and no list.
func checkPublicIndex(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	nav := regexp.MustCompile(`(?s)<nav>(.*?)</nav>`).FindStringSubmatch(s)
	if nav == nil || strings.Count(nav[1], "<a ") != 2 || !strings.Contains(nav[1], `href="reports/index.html"`) {
		t.Errorf("public menu: %v", nav)
	}
	if n := strings.Count(s, `<table class="matrix">`); n != len(demo.AllPolicies) {
		t.Errorf("%d status × category tables, want %d", n, len(demo.AllPolicies))
	}
	if n := strings.Count(s, `<div class="figure `); n != 7 {
		t.Errorf("%d figures, want 7", n)
	}
	for _, absent := range []string{word("zh", "overdue") + "</h2>", word("zh", "by_handler"), word("zh", "latest"), word("zh", "escalated")} {
		if strings.Contains(s, absent) {
			t.Errorf("the public dashboard has %q", absent)
		}
	}
	if !strings.Contains(s, html.EscapeString(word("zh", "public_note"))) {
		t.Error("the public dashboard does not say it is the public edition")
	}
	// Each status row of a matrix withholds none or at least two counts.
	row := regexp.MustCompile(`<tr><th>[^<]*</th>((?:<td class="n">[^<]*</td>)+)</tr>`)
	for _, m := range row.FindAllStringSubmatch(s, -1) {
		if n := strings.Count(m[1], "&lt;3"); n == 1 {
			t.Errorf("a status row withholds one count: %s", m[0])
		}
	}
}
