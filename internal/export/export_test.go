package export

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/casebook/casebook/internal/office"
)

// longTitle is long enough that its SUMMARY folds inside Chinese text, and
// carries every character TEXT must escape plus the XML specials.
const longTitle = `存单<&>挂失,手续;办理\时间过长，客户反映的问题涉及多个网点与多个部门需要逐一核实处理`

var caseFiles = map[string]string{
	"cases/2026/11/02/BANK-2026-0001.md": `---
id: BANK-2026-0001
policy: bank
status: received
title: '` + longTitle + `'
received_at: 2026-11-02T08:30:00+08:00
channel: phone
category: product
department: 营业部
assignee: 冯丽
complainant: {name: 王某, phone: "13800000000"}
---
`,
	"cases/2026/11/02/BANK-2026-0002.md": `---
id: BANK-2026-0002
policy: bank
status: received
title: '=HYPERLINK("http://evil.example","x")'
received_at: 2026-11-02T09:00:00+08:00
channel: visit
category: attitude
department: "+1"
assignee: "-1"
complainant: {name: 李某, phone: "13900000000"}
---
`,
	"cases/2026/11/02/BANK-2026-0003.md": `---
id: BANK-2026-0003
policy: bank
status: received
title: 匿名来信
received_at: 2026-11-02T10:00:00+08:00
channel: letter
category: attitude
department: "@x"
complainant: {anonymous: true, name: 隐名者, phone: "13700000000"}
---
`,
}

// note is the second commit's body: a transition note with XML specials.
const note = "请营业部<处理> & 回复"

var now = time.Date(2026, 11, 3, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))

// loadOffice builds a two-commit office in a temporary repository: all
// three cases received, then BANK-2026-0001 assigned with a note.
func loadOffice(t *testing.T) []*office.Record {
	t.Helper()
	f := "cases/2026/11/02/BANK-2026-0001.md"
	o := officeFrom(t, []repoStep{
		{date: "2026-11-02T10:15:00+08:00", files: caseFiles, msg: "new cases"},
		{date: "2026-11-02T11:00:00+08:00", files: map[string]string{f: strings.Replace(caseFiles[f], "status: received", "status: assigned", 1)},
			msg: "BANK-2026-0001: received -> assigned\n\n" + note},
	})
	if len(o.Cases) != 3 {
		t.Fatalf("loaded %d cases", len(o.Cases))
	}
	return o.Records(now)
}

func TestAtom(t *testing.T) {
	recs := loadOffice(t)
	var buf bytes.Buffer
	if err := Atom(&buf, recs, Options{Now: now, Title: "测试"}); err != nil {
		t.Fatal(err)
	}
	var feed struct {
		ID      string `xml:"id"`
		Updated string `xml:"updated"`
		Entries []struct {
			ID      string `xml:"id"`
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
			Author  string `xml:"author>name"`
			Email   string `xml:"author>email"`
			Link    struct {
				Rel  string `xml:"rel,attr"`
				Href string `xml:"href,attr"`
			} `xml:"link"`
			Content string `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &feed); err != nil {
		t.Fatalf("feed does not parse: %v\n%s", err, buf.String())
	}
	if feed.ID != "urn:casebook:feed:测试" || feed.Updated != "2026-11-02T11:00:00+08:00" {
		t.Errorf("feed id %q updated %q", feed.ID, feed.Updated)
	}
	// 3 creations and 1 assignment; the assignment is newest.
	if len(feed.Entries) != 4 {
		t.Fatalf("%d entries, want 4:\n%s", len(feed.Entries), buf.String())
	}
	e := feed.Entries[0]
	if e.Title != "BANK-2026-0001 已登记 → 已转办" || e.Author != "赵敏" || e.Email != "" ||
		e.Link.Rel != "alternate" || e.Link.Href != "cases/BANK-2026-0001.html" ||
		!strings.HasPrefix(e.ID, "urn:casebook:") || !strings.HasSuffix(e.ID, ":BANK-2026-0001") {
		t.Errorf("newest entry: %+v", e)
	}
	if !strings.Contains(e.Content, note) || !strings.Contains(e.Content, longTitle) {
		t.Errorf("content %q lacks the note or the title", e.Content)
	}
	if strings.Contains(buf.String(), "<&>") || !strings.Contains(buf.String(), "&lt;&amp;&gt;") {
		t.Error("title not escaped")
	}
	for i, want := range []string{"BANK-2026-0001 新建 → 已登记", "BANK-2026-0002 新建 → 已登记", "BANK-2026-0003 新建 → 已登记"} {
		if got := feed.Entries[i+1].Title; got != want {
			t.Errorf("entry %d: %q, want %q", i+1, got, want)
		}
	}
	var en bytes.Buffer
	if err := Atom(&en, recs, Options{Now: now, Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(en.String(), "BANK-2026-0001 Received → Assigned") {
		t.Error("English labels missing")
	}
	var again bytes.Buffer
	_ = Atom(&again, recs, Options{Now: now, Title: "测试"})
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("two runs differ")
	}
}

func TestAtom_EmptyUsesNow(t *testing.T) {
	var buf bytes.Buffer
	if err := Atom(&buf, nil, Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "<updated>2026-11-03T12:00:00+08:00</updated>") {
		t.Errorf("feed updated is not Now:\n%s", buf.String())
	}
}

// unfold undoes RFC 5545 folding.
func unfold(s string) string { return strings.ReplaceAll(s, "\r\n ", "") }

func TestICS(t *testing.T) {
	recs := loadOffice(t)
	var buf bytes.Buffer
	if err := ICS(&buf, recs, Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") || !strings.HasSuffix(out, "\r\n") {
		t.Error("a line does not end in CRLF")
	}
	folded := false
	for _, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("fold split a character: %q", l)
		}
		if strings.HasPrefix(l, " ") {
			folded = true
		}
	}
	if !folded {
		t.Error("nothing was folded; the test title is too short")
	}
	flat := unfold(out)
	wantSummary := `SUMMARY:BANK-2026-0001 回复客户: 存单<&>挂失\,手续\;办理\\时间过长，客户反映的问题涉及多个网点与多个部门需要逐一核实处理` + "\r\n"
	if !strings.Contains(flat, wantSummary) {
		t.Errorf("unfolded calendar lacks %q:\n%s", wantSummary, flat)
	}
	for _, want := range []string{
		"PRODID:-//casebook//casebook//ZH\r\n",
		"UID:BANK-2026-0001-reply@casebook\r\n",
		"DTSTAMP:20261103T040000Z\r\n",
		`DESCRIPTION:期限状态：进行中\n案件状态：已转办\n页面：cases/BANK-2026-0001.html` + "\r\n",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("calendar lacks %q", want)
		}
	}
	events := strings.Count(flat, "BEGIN:VEVENT\r\n")
	if events != 3 {
		t.Errorf("%d events, want 3 (one running clock per open case)", events)
	}
	// Every clock is counted in working days: an all-day event on its due
	// day, reminders at 09:00 Beijing time (01:00 UTC) on the working day
	// before and on the due day. BANK-2026-0001 is due on Monday
	// 2026-11-16: its first reminder is on Friday.
	want0001 := "UID:BANK-2026-0001-reply@casebook\r\nDTSTAMP:20261103T040000Z\r\n" +
		"DTSTART;VALUE=DATE:20261116\r\nDTEND;VALUE=DATE:20261117\r\n"
	if !strings.Contains(flat, want0001) {
		t.Errorf("calendar lacks %q", want0001)
	}
	for _, trig := range []string{"20261113T010000Z", "20261116T010000Z"} {
		if !strings.Contains(flat, "TRIGGER;VALUE=DATE-TIME:"+trig+"\r\n") {
			t.Errorf("no reminder at %s", trig)
		}
	}
	if n := strings.Count(flat, "TRIGGER;VALUE=DATE-TIME:"); n != 2*events {
		t.Errorf("%d alarms for %d events, want two each", n, events)
	}
	if n := strings.Count(flat, "ACTION:DISPLAY\r\n"); n != 2*events {
		t.Errorf("%d DISPLAY actions", n)
	}
	if n := strings.Count(flat, "DTEND;VALUE=DATE:"); n != events {
		t.Errorf("%d events with an end date, want %d", n, events)
	}
	// RFC 5546 needs an ORGANIZER for METHOD:PUBLISH; a feed has none.
	if strings.Contains(flat, "\r\nMETHOD") {
		t.Error("calendar has a METHOD")
	}
	if !strings.Contains(flat, "\r\nX-WR-TIMEZONE:Asia/Shanghai\r\n") {
		t.Error("calendar lacks X-WR-TIMEZONE:Asia/Shanghai")
	}
	// Ordered by due time, then UID.
	var starts []string
	for _, l := range strings.Split(flat, "\r\n") {
		if s, ok := strings.CutPrefix(l, "DTSTART;VALUE=DATE:"); ok {
			starts = append(starts, s)
		}
	}
	if len(starts) != events {
		t.Errorf("%d all-day starts for %d events", len(starts), events)
	}
	for i := 1; i < len(starts); i++ {
		if starts[i] < starts[i-1] {
			t.Errorf("events out of order: %v", starts)
		}
	}
}

func TestEscapeTextAndFold(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"specials", `a,b;c\d`, `a\,b\;c\\d`},
		{"newlines", "a\r\nb\nc", `a\nb\nc`},
		{"controls dropped", "a\x00b\x7f", "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := escapeText(tt.in); got != tt.want {
				t.Errorf("escapeText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	for _, s := range []string{
		strings.Repeat("a", 75), strings.Repeat("a", 76), strings.Repeat("中", 60),
		"X:" + strings.Repeat("é中a", 40), strings.Repeat("😀", 50),
	} {
		var buf bytes.Buffer
		w := bufioWriter(&buf)
		writeFolded(w, s)
		w.Flush()
		for _, l := range strings.Split(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n") {
			if len(l) > 75 || !utf8.ValidString(l) {
				t.Errorf("bad folded line %q", l)
			}
		}
		if got := unfold(buf.String()); got != s+"\r\n" {
			t.Errorf("unfold(fold(%q)) = %q", s, got)
		}
	}
}

func TestCSV(t *testing.T) {
	recs := loadOffice(t)
	tests := []struct {
		name       string
		opts       Options
		header     string
		wantPII    []string
		absentText []string
	}{
		{"without personal data", Options{Now: now}, "编号", nil, []string{"王某", "13800000000", "隐名者", "13700000000"}},
		{"with personal data", Options{Now: now, IncludePII: true, Lang: "en"}, "ID", []string{"王某", "13800000000"}, []string{"隐名者", "13700000000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := CSV(&buf, recs, tt.opts); err != nil {
				t.Fatal(err)
			}
			raw := buf.Bytes()
			if !bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}) {
				t.Fatal("no BOM")
			}
			rows, err := csv.NewReader(bytes.NewReader(raw[3:])).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 4 || rows[0][0] != tt.header {
				t.Fatalf("rows: %q", rows)
			}
			byID := map[string][]string{}
			for _, r := range rows[1:] {
				byID[r[0]] = r
			}
			r2 := byID["BANK-2026-0002"]
			if r2[1] != `'=HYPERLINK("http://evil.example","x")` || r2[5] != "'+1" || r2[6] != "'-1" {
				t.Errorf("not neutralised: %q", r2)
			}
			if got := byID["BANK-2026-0003"][5]; got != "'@x" {
				t.Errorf("department %q not neutralised", got)
			}
			for _, s := range tt.absentText {
				if bytes.Contains(raw, []byte(s)) {
					t.Errorf("%q must not appear", s)
				}
			}
			for _, s := range tt.wantPII {
				if !bytes.Contains(raw, []byte(s)) {
					t.Errorf("%q missing", s)
				}
			}
		})
	}
	var buf bytes.Buffer
	_ = CSV(&buf, recs, Options{Now: now})
	rows, _ := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	want := []string{"BANK-2026-0001", longTitle, "已转办", "服务产品", "电话", "营业部", "冯丽", "2026-11-02 08:30", "回复客户"}
	for i, w := range want {
		if rows[1][i] != w {
			t.Errorf("column %d (%s): %q, want %q", i, rows[0][i], rows[1][i], w)
		}
	}
	if rows[1][9] == "" || rows[1][10] != "进行中" {
		t.Errorf("next deadline: %q", rows[1][8:])
	}
}

func TestNeutralise(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"formula", "=1+1", "'=1+1"},
		{"plus", "+1", "'+1"},
		{"minus", "-1", "'-1"},
		{"at", "@x", "'@x"},
		{"tab", "\tx", "'\tx"},
		{"carriage return", "\rx", "'\rx"},
		{"plain", "a=b", "a=b"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := neutralise([]string{tt.in})[0]; got != tt.want {
				t.Errorf("neutralise(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func bufioWriter(b *bytes.Buffer) *bufio.Writer { return bufio.NewWriter(b) }

func TestLatestCutoff(t *testing.T) {
	for _, tt := range []struct {
		name  string
		times []int64
		n     int
		want  int64
	}{
		{"none", nil, 3, 0},
		{"fewer than n", []int64{5, 1, 3}, 5, 1},
		{"exactly n", []int64{5, 1, 3}, 3, 1},
		{"more than n", []int64{5, 1, 3, 9, 7}, 2, 7},
		{"ties at the cutoff", []int64{4, 4, 4, 1}, 2, 4},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := LatestCutoff(tt.times, tt.n); got != tt.want {
				t.Errorf("LatestCutoff(%v, %d) = %d, want %d", tt.times, tt.n, got, tt.want)
			}
		})
	}
}
