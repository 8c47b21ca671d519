package calendar

import (
	"fmt"
	"strings"
	"testing"
)

// The tests of this file are the calendar file and the holiday feed as an
// office writes them: saved by Windows tools, typed by hand in a Chinese
// input method, exported from the public holiday calendars.

// TestParseFile_AsOfficesWriteIt guards the problems of hand-written files:
// each is reported at its line and column, with a fix that says what to
// write instead.
func TestParseFile_AsOfficesWriteIt(t *testing.T) {
	const head = "years:\n  2028:\n    source: {notice: 国办发明电〔2027〕99号, checked: false}\n    holidays:\n"
	tests := []struct {
		name      string
		src       string
		line, col int
		msg, fix  string
	}{
		{"saved as GBK by a Windows editor", head + "      - 2028-01-01: \xd4\xaa\xb5\xa9\n", 5, 21, // 0xD4 0xAA happens to be valid UTF-8: the run starts at 21
			"not UTF-8", "save the file as UTF-8"},
		{"GBK in a comment on the first line", "# \xb1\xbe\xb5\xa5\xce\xbb\n" + head + "      - 2028-01-01: 元旦\n", 1, 3,
			"not UTF-8", "save the file as UTF-8"},
		{"a full-width colon after the date", head + "      - 2028-01-01： 元旦\n", 5, 9,
			"full-width colon", "2028-01-01: 元旦"},
		{"a month and day without leading zeros", head + "      - 2028-2-5: 春节\n", 5, 9,
			`"2028-2-5" is not a date`, "write 2028-02-05"},
		{"a date with slashes", head + "      - 2028/02/05: 春节\n", 5, 9,
			`"2028/02/05" is not a date`, "write 2028-02-05"},
		{"a range with slashes at its end", head + "      - 2028-02-05..2028/2/7: 春节\n", 5, 9,
			`"2028/2/7" is not a date`, "write 2028-02-07"},
		{"a range written with a tilde", head + "      - 2028-01-25~2028-02-01: 春节\n", 5, 9,
			`"2028-01-25~2028-02-01" is not a date`, "write a range with two dots: `- 2028-01-25..2028-02-01: 名称`"},
		{"a range written with 至", head + "      - 2028年1月25日 至 2028年2月1日: 春节\n", 5, 9,
			"is not a date", "write a range with two dots: `- 2028-01-25..2028-02-01: 名称`"},
		{"a date and a name without the colon", head + "      - 2028-01-01 元旦\n", 5, 9,
			`"2028-01-01 元旦" is not a date`, "put a colon and a space after the date: `- 2028-01-01: 元旦`"},
		{"saved as UTF-16 by Notepad", "\xff\xfey\x00e\x00a\x00r\x00s\x00:\x00\n\x00", 1, 1,
			"saved as UTF-16", "save the file as UTF-8"},
		{"a range longer than any holiday (200 days)", head + "      - 2028-01-01..2028-07-18: 元旦\n", 5, 9,
			"longer than 62 days", "split it"},
		{"the same range twice", head + "      - 2028-01-01..2028-01-03: 元旦\n      - 2028-01-01..2028-01-03: 元旦\n", 6, 9,
			"overlaps holiday 2028-01-01..2028-01-03 at line 5", "list each day once"},
		{"billion laughs", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n", 1, 4,
			"anchors and aliases are not allowed", "write the value out in full"},
		{"a year written +2028 beside 2028", head + "      - 2028-01-01: 元旦\n  +2028:\n    source: {notice: y, checked: false}\n    holidays: [2028-05-01]\n", 6, 3,
			`years: "+2028" is not a year`, "write the year as four digits"},
		{"a year written 02028", "years:\n  02028:\n    source: {notice: y, checked: false}\n    holidays: [2028-05-01]\n", 2, 3,
			`years: "02028" is not a year`, "write the year as four digits"},
		{"a second document", head + "      - 2028-01-01: 元旦\n---\nyears: {}\n", 6, 1,
			"found a second one", "remove the `---` line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, errs := ParseFile([]byte(tt.src))
			if f != nil || len(errs) == 0 {
				t.Fatalf("ParseFile succeeded, want %q", tt.msg)
			}
			e := errs[0]
			if e.Line != tt.line || e.Col != tt.col || !e.Msg.Has(tt.msg) || !e.Fix.Has(tt.fix) {
				t.Errorf("first problem = %d:%d %q (fix %q), want %d:%d containing %q (fix containing %q)", e.Line, e.Col, e.Msg, e.Fix, tt.line, tt.col, tt.msg, tt.fix)
			}
		})
	}
}

// TestParseFile_WindowsAndQuotedYears guards files that are fine: CRLF line
// endings, a BOM, a year key quoted as a string, a range across New Year in
// the next year's block, a leading `---`.
func TestParseFile_WindowsAndQuotedYears(t *testing.T) {
	const body = "years:\n  \"2028\":\n    source: {notice: 国办发明电〔2027〕99号, checked: false}\n    holidays:\n      - 2027-12-31..2028-01-02: 元旦\n"
	tests := []struct{ name, src string }{
		{"LF", body},
		{"CRLF line endings", strings.ReplaceAll(body, "\n", "\r\n")},
		{"a BOM and CRLF", "\uFEFF" + strings.ReplaceAll(body, "\n", "\r\n")},
		{"a leading document marker", "---\n" + body},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, errs := ParseFile([]byte(tt.src))
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			if ys := f.YearList(); len(ys) != 1 || ys[0] != 2028 {
				t.Fatalf("years = %v, want [2028]", ys)
			}
			c := New(nil, WithFile(f))
			if d := c.Day(Date{2027, 12, 31}); d.Working || d.Source != FromFile || d.Holiday != "元旦" {
				t.Errorf("2027-12-31 = %+v, want the file's 元旦 rest day", d)
			}
			if y, ok := f.YearOf(Date{2027, 12, 31}); !ok || y.Year != 2028 {
				t.Errorf("YearOf(2027-12-31) = %v, want 2028's block", y)
			}
		})
	}
}

// TestImportICS_PublicFeedSummaries guards the summaries of the public
// Chinese holiday feeds: "春节假期" is a rest day, and "春节调休" — which
// those feeds use for the make-up working day — is refused rather than
// read as 休 (rest).
func TestImportICS_PublicFeedSummaries(t *testing.T) {
	ev := func(summary string) string {
		return "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20280122\r\nSUMMARY:" + summary + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	}
	tests := []struct {
		summary string
		work    bool
		name    string
		err     string
	}{
		{summary: "春节假期", name: "春节"},
		{summary: "春节 假期", name: "春节"},
		{summary: "春节 休", name: "春节"},
		{summary: "春节调休上班", work: true, name: "春节"},
		{summary: "春节 补班", work: true, name: "春节"},
		{summary: "春节调休", err: `summary "春节调休" says 调休`},
		{summary: "调休", err: `summary "调休" says 调休`},
		{summary: "春节", err: `summary "春节" says neither 休 (rest) nor 班 (work)`},
	}
	for _, tt := range tests {
		t.Run(tt.summary, func(t *testing.T) {
			years, errs := ImportICS([]byte(ev(tt.summary)))
			if tt.err != "" {
				if len(errs) == 0 || !errs[0].Msg.Has(tt.err) || errs[0].Line != 4 || errs[0].Fix.IsZero() {
					t.Fatalf("ImportICS = %v, %v; want the problem %q at line 4 with a fix", years, errs, tt.err)
				}
				return
			}
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			b := years[2028]
			list := b.Holidays
			if tt.work {
				list = b.Workdays
			}
			if got := fmtSpans(list); got != "2028-01-22 "+tt.name {
				t.Errorf("spans = %q (holidays %q, workdays %q), want 2028-01-22 %s as work=%v", got, fmtSpans(b.Holidays), fmtSpans(b.Workdays), tt.name, tt.work)
			}
		})
	}
}

// TestBlock_Partial guards what --import takes for a whole year: the
// State Council's notice always gives 国庆节 in October, so a feed's year
// without an October rest day (the next year's 元旦 that a feed of two
// years carries) is partial.
func TestBlock_Partial(t *testing.T) {
	tests := []struct {
		name    string
		b       Block
		partial bool
	}{
		{"only the next year's 元旦", Block{Holidays: []DayRange{{From: Date{2029, 1, 1}, To: Date{2029, 1, 1}}}}, true},
		{"元旦 and 春节 but no 国庆节", Block{Holidays: []DayRange{{From: Date{2029, 1, 1}, To: Date{2029, 1, 1}}, {From: Date{2029, 2, 12}, To: Date{2029, 2, 19}}}}, true},
		{"a whole year with 国庆节", Block{Holidays: []DayRange{{From: Date{2029, 1, 1}, To: Date{2029, 1, 1}}, {From: Date{2029, 9, 30}, To: Date{2029, 10, 7}}}}, false},
		{"国庆节 starting in September", Block{Holidays: []DayRange{{From: Date{2029, 9, 29}, To: Date{2029, 10, 6}}}}, false},
		{"only October make-up days", Block{Workdays: []DayRange{{From: Date{2029, 10, 13}, To: Date{2029, 10, 13}}}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.b.Partial(2029); got != tt.partial {
				t.Errorf("Partial(2029) = %v, want %v", got, tt.partial)
			}
		})
	}
}

// TestFile_LibraryDiffers guards what `casebook calendar` says when the
// file lists a year lunar-go also has: 2026 with 国庆节 1–5 October only
// (lunar-go: 1–7 October, make-up Sunday 09-20 and Saturday 10-10).
func TestFile_LibraryDiffers(t *testing.T) {
	f, errs := ParseFile([]byte("years:\n  2026:\n    source: {notice: 国办发明电〔2025〕7号, checked: false}\n    holidays:\n" +
		"      - 2026-01-01..2026-01-03: 元旦\n      - 2026-02-15..2026-02-23: 春节\n      - 2026-04-04..2026-04-06: 清明节\n" +
		"      - 2026-05-01..2026-05-05: 劳动节\n      - 2026-06-19..2026-06-21: 端午节\n      - 2026-09-25..2026-09-27: 中秋节\n" +
		"      - 2026-10-01..2026-10-05: 国庆节\n    workdays:\n      - 2026-01-04: 元旦\n      - 2026-02-14: 春节\n      - 2026-02-28: 春节\n      - 2026-05-09: 劳动节\n"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	known, days := f.LibraryDiffers(2026)
	var got []string
	for _, d := range days {
		got = append(got, d.String())
	}
	if want := "2026-09-20 2026-10-06 2026-10-07 2026-10-10"; !known || strings.Join(got, " ") != want {
		t.Errorf("LibraryDiffers(2026) = %v, %q; want true, %q", known, strings.Join(got, " "), want)
	}
	if known, days := f.LibraryDiffers(2028); known || days != nil {
		t.Errorf("LibraryDiffers(2028) = %v, %v; want false: the file does not list 2028", known, days)
	}
}

// TestMergeFileYears_UnchangedKeepsEveryByte guards an import that adds
// nothing to a hand-written file: the file is returned as it was, not
// re-encoded (quotes, flow lists, spacing).
func TestMergeFileYears_UnchangedKeepsEveryByte(t *testing.T) {
	src := "years:\n  \"2028\":\n    source:   {notice: 国办发明电〔2027〕99号, checked: true, checked_by: 张三}\n    holidays:\n      - {2028-01-01..2028-01-03: 元旦}\n"
	f, errs := ParseFile([]byte(src))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	y := &Year{Year: 2028, Source: YearSource{Feed: "feed.ics"}, Block: f.Years[2028].Block}
	out, merges, err := MergeFileYears([]byte(src), []*Year{y}, false)
	if err != nil || string(out) != src || merges[0].Action != "unchanged" {
		t.Errorf("MergeFileYears = %q, %v, %v; want the file byte for byte, unchanged", out, merges, err)
	}
}

// TestMergeFileYears_AsOfficesKeepIt guards --import over files as offices
// keep them: CRLF line endings and a BOM stay (a Windows clerk's commit
// shows the new year, not every line changed), comments stay, importing
// the same feed twice is byte-stable, and a broken file is refused.
func TestMergeFileYears_AsOfficesKeepIt(t *testing.T) {
	feed, errs := ImportICS([]byte(feed2028))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	y := &Year{Year: 2028, Source: YearSource{Feed: "feed.ics"}, Block: *feed[2028]}
	const office = "# 本单位日历\noffice:\n  holidays:\n    - 2028-12-29: 年终决算 # 每年\n"
	tests := []struct {
		name     string
		src      string
		crlf     bool
		bom      bool
		problems string
	}{
		{name: "LF", src: office},
		{name: "CRLF from a Windows editor", src: strings.ReplaceAll(office, "\n", "\r\n"), crlf: true},
		{name: "CRLF and a BOM", src: "\uFEFF" + strings.ReplaceAll(office, "\n", "\r\n"), crlf: true, bom: true},
		{name: "a broken file", src: "years:\n  2028:\n    source: {notice: x, checked: false}\n    holidays:\n      - 2028-01-03..2028-01-01: 元旦\n",
			problems: "5:9: years.2028.holidays[0]: the range 2028-01-03..2028-01-01 ends before it starts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := MergeFileYears([]byte(tt.src), []*Year{y}, false)
			if tt.problems != "" {
				if err == nil || !strings.Contains(err.Error(), tt.problems) {
					t.Fatalf("MergeFileYears = %v, want the problem %q", err, tt.problems)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			s := string(out)
			if lf := strings.Count(s, "\n"); tt.crlf && strings.Count(s, "\r\n") != lf || !tt.crlf && strings.Contains(s, "\r") {
				t.Errorf("line endings: %q, want CRLF=%v on every line", s, tt.crlf)
			}
			if strings.HasPrefix(s, "\uFEFF") != tt.bom {
				t.Errorf("BOM kept = %v, want %v", !tt.bom, tt.bom)
			}
			for _, keep := range []string{"# 本单位日历", "年终决算 # 每年", "2028-01-25..2028-02-01: 春节"} {
				if !strings.Contains(s, keep) {
					t.Errorf("merged file lost %q:\n%s", keep, s)
				}
			}
			again, merges, err := MergeFileYears(out, []*Year{y}, false)
			if err != nil || string(again) != s || len(merges) != 1 || merges[0].Action != "unchanged" {
				t.Errorf("second import = %v, %v, byte-identical %v; want unchanged and byte-stable", merges, err, string(again) == s)
			}
		})
	}
}

// TestImportICS_NestedComponents guards a feed whose events carry alarms
// (VALARM, with their own SUMMARY, DESCRIPTION and DURATION): the alarm's
// properties are not the event's; and an event without END:VEVENT is a
// problem, not a day silently dropped.
func TestImportICS_NestedComponents(t *testing.T) {
	const alarm = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20281001\r\nSUMMARY:国庆节 休\r\nDURATION:P7D\r\n" +
		"BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15H\r\nDURATION:PT15M\r\nREPEAT:2\r\nSUMMARY:提醒\r\nDESCRIPTION:明天放假\r\nEND:VALARM\r\n" +
		"END:VEVENT\r\n"
	years, errs := ImportICS([]byte(alarm + "END:VCALENDAR\r\n"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if got := fmtSpans(years[2028].Holidays); got != "2028-10-01..2028-10-07 国庆节" {
		t.Errorf("holidays = %q, want 2028-10-01..2028-10-07 国庆节", got)
	}
	_, errs = ImportICS([]byte(alarm + "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20281008\r\nSUMMARY:国庆节 补班\r\nEND:VCALENDAR\r\n"))
	if len(errs) != 1 || errs[0].Line != 15 || !errs[0].Msg.Has("the event at line 15 has no END:VEVENT") || errs[0].Fix.IsZero() {
		t.Errorf("problems = %v, want the event at line 15 without END:VEVENT", errs)
	}
}

// TestMergeFileYears_EmptyFlowYears guards `years: {}` (an empty flow
// mapping, as a clerk starts the file): the imported years are written in
// block style, one entry a line, not on one line.
func TestMergeFileYears_EmptyFlowYears(t *testing.T) {
	feed, errs := ImportICS([]byte(feed2028))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	out, _, err := MergeFileYears([]byte("years: {}\n"), []*Year{{Year: 2028, Source: YearSource{Feed: "feed.ics"}, Block: *feed[2028]}}, false)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "\n      - 2028-01-25..2028-02-01: 春节\n") {
		t.Errorf("merged =\n%s\nwant the year in block style", out)
	}
}

// TestImportFeed_SkipUnmarked guards a feed that mixes festivals and
// solar terms with the notice's days, as Apple's 中国大陆节假日 does: by
// default each unmarked event is a problem; with skipUnmarked it is left
// out and listed, its day is not "in two events" with the 休 event of the
// same day, and 调休 is still refused.
func TestImportFeed_SkipUnmarked(t *testing.T) {
	ev := func(start, summary string) string {
		return "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:" + start + "\r\nSUMMARY:" + summary + "\r\nEND:VEVENT\r\n"
	}
	feed := "BEGIN:VCALENDAR\r\n" + ev("20280125", "春节 (休)") + ev("20280126", "春节") + ev("20280214", "情人节") + ev("20280204", "立春") + "END:VCALENDAR\r\n"
	if _, errs := ImportICS([]byte(feed)); len(errs) != 3 || !errs[0].Fix.Has("--skip-unmarked") {
		t.Fatalf("ImportICS problems = %v, want the 3 unmarked events, the fix naming --skip-unmarked", errs)
	}
	years, skipped, errs := ImportFeed([]byte(feed), true)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if got := fmtSpans(years[2028].Holidays); got != "2028-01-25 春节" {
		t.Errorf("holidays = %q, want 2028-01-25 春节 only", got)
	}
	var got []string
	for _, s := range skipped {
		got = append(got, fmt.Sprintf("%d %s", s.Line, s.Summary))
	}
	if want := "6 春节, 10 情人节, 14 立春"; strings.Join(got, ", ") != want {
		t.Errorf("skipped = %q, want %q", strings.Join(got, ", "), want)
	}
	_, _, errs = ImportFeed([]byte("BEGIN:VCALENDAR\r\n"+ev("20280122", "春节调休")+"END:VCALENDAR\r\n"), true)
	if len(errs) != 1 || !errs[0].Msg.Has("says 调休") {
		t.Errorf("problems = %v, want 调休 refused with skipUnmarked too", errs)
	}
}
