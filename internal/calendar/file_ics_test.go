package calendar

import (
	"strings"
	"testing"
)

// feed2028 is a holiday feed as the public Chinese holiday calendars
// publish it: CRLF lines, a folded summary, DTEND exclusive.
const feed2028 = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" +
	"BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20271231\r\nDTEND;VALUE=DATE:20280104\r\nSUMMARY:元旦 休\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:2\r\nDTSTART;VALUE=DATE:20280125\r\nDTEND;VALUE=DATE:20280202\r\nSUMMARY:春\r\n 节（休）\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:3\r\nDTSTART;VALUE=DATE:20280122\r\nDURATION:P1D\r\nSUMMARY:春节 班\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:4\r\nDTSTART;VALUE=DATE:20281008\r\nSUMMARY:补班\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:5\r\nDTSTART;VALUE=DATE:20281001\r\nDTEND;VALUE=DATE:20281008\r\nSUMMARY:国庆节 放假\r\nSTATUS:CONFIRMED\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:6\r\nDTSTART;VALUE=DATE:20280501\r\nSUMMARY:取消的\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n" +
	"END:VCALENDAR\r\n"

func TestImportICS(t *testing.T) {
	years, errs := ImportICS([]byte(feed2028))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(years) != 1 || years[2028] == nil {
		t.Fatalf("years = %v, want 2028 only (元旦's 2027-12-31 belongs to 2028's notice)", years)
	}
	got := fmtSpans(years[2028].Holidays) + " | " + fmtSpans(years[2028].Workdays)
	want := "2027-12-31..2028-01-03 元旦, 2028-01-25..2028-02-01 春节, 2028-10-01..2028-10-07 国庆节 | 2028-01-22 春节, 2028-10-08 "
	if got != want {
		t.Errorf("spans =\n  %s\nwant\n  %s", got, want)
	}
}

func fmtSpans(ss []DayRange) string {
	var out []string
	for _, s := range ss {
		out = append(out, spanText(s)+" "+s.Name)
	}
	return strings.Join(out, ", ")
}

func TestImportICS_BadInput(t *testing.T) {
	ev := func(lines ...string) string {
		return "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n" + strings.Join(lines, "\r\n") + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	}
	tests := []struct {
		name string
		src  string
		line int
		msg  string
	}{
		{"unknown summary", ev("DTSTART;VALUE=DATE:20280101", "SUMMARY:元旦快乐"), 4, `summary "元旦快乐" says neither 休 (rest) nor 班 (work)`},
		{"a timed event", ev("DTSTART:20280101T090000Z", "SUMMARY:元旦 休"), 3, "is a time, not a day"},
		{"a repeating event", ev("DTSTART;VALUE=DATE:20280101", "RRULE:FREQ=YEARLY", "SUMMARY:元旦 休"), 2, "repeats"},
		{"DTEND not after DTSTART", ev("DTSTART;VALUE=DATE:20280102", "DTEND;VALUE=DATE:20280102", "SUMMARY:元旦 休"), 4, "is not a date after DTSTART"},
		{"no DTSTART", ev("SUMMARY:元旦 休"), 2, "has no DTSTART"},
		{"a day in two events", ev("DTSTART;VALUE=DATE:20280101", "DTEND;VALUE=DATE:20280103", "SUMMARY:元旦 休", "END:VEVENT", "BEGIN:VEVENT", "DTSTART;VALUE=DATE:20280102", "SUMMARY:补班"), 7,
			"2028-01-02 is in the event at line 2 and in the one at line 7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := ImportICS([]byte(tt.src))
			if len(errs) == 0 {
				t.Fatalf("ImportICS succeeded, want %q", tt.msg)
			}
			if e := errs[0]; e.Line != tt.line || !e.Msg.Has(tt.msg) || e.Fix.IsZero() {
				t.Errorf("problem = %d %q (fix %q), want line %d containing %q", e.Line, e.Msg, e.Fix, tt.line, tt.msg)
			}
		})
	}
}

func TestMergeYears(t *testing.T) {
	imported, errs := ImportICS([]byte(feed2028))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	y2028 := &Year{Year: 2028, Source: YearSource{Feed: "feed.ics"}, Block: *imported[2028]}
	existing := "# 本单位日历\nyears:\n  2026:\n    source: {notice: 国办发明电〔2025〕7号, date: 2025-11-04, checked: true, checked_by: 张三}\n    holidays:\n      - 2026-10-01..2026-10-07: 国庆节\noffice:\n  holidays:\n    - 2028-01-04: 年终决算 # 每年\n"

	out, merges, err := MergeFileYears([]byte(existing), []*Year{y2028}, false)
	if err != nil {
		t.Fatal(err)
	}
	want := `# 本单位日历
years:
  2026:
    source: {notice: 国办发明电〔2025〕7号, date: 2025-11-04, checked: true, checked_by: 张三}
    holidays:
      - 2026-10-01..2026-10-07: 国庆节
  2028:
    source: {feed: feed.ics, checked: false}
    holidays:
      - 2027-12-31..2028-01-03: 元旦
      - 2028-01-25..2028-02-01: 春节
      - 2028-10-01..2028-10-07: 国庆节
    workdays:
      - 2028-01-22: 春节
      - 2028-10-08: ""
office:
  holidays:
    - 2028-01-04: 年终决算 # 每年
`
	if string(out) != want {
		t.Errorf("merged file:\n%s\nwant:\n%s", out, want)
	}
	if len(merges) != 1 || merges[0] != (Merge{2028, "added"}) {
		t.Errorf("merges = %v", merges)
	}

	// The same days again leave the file as it is, source and all.
	checked := strings.Replace(string(out), "{feed: feed.ics, checked: false}", "{notice: 国办发明电〔2027〕99号, checked: true, checked_by: 李四}", 1)
	again, merges, err := MergeFileYears([]byte(checked), []*Year{y2028}, false)
	if err != nil || string(again) != checked || merges[0].Action != "unchanged" {
		t.Errorf("merging the same year again: %v, %v, changed=%v", merges, err, string(again) != checked)
	}

	// A year that differs is refused without replace, and replaced with it.
	y2026 := &Year{Year: 2026, Source: YearSource{Feed: "feed.ics"}, Block: Block{Holidays: []DayRange{{From: Date{2026, 10, 1}, To: Date{2026, 10, 8}, Name: "国庆节"}}}}
	if _, _, err := MergeFileYears(out, []*Year{y2026}, false); err == nil || !strings.Contains(err.Error(), "already lists 2026, and differs on 2026-10-08") {
		t.Errorf("merging a different 2026 without replace: err = %v", err)
	}
	replaced, merges, err := MergeFileYears(out, []*Year{y2026}, true)
	if err != nil || merges[0].Action != "replaced" {
		t.Fatalf("replace: %v, %v", merges, err)
	}
	f := mustFile(t, string(replaced))
	if s := f.Years[2026].Holidays[0]; s.To != (Date{2026, 10, 8}) || f.Years[2028] == nil || len(f.Office.Holidays) != 1 {
		t.Errorf("after replace: 2026 %+v, 2028 kept %v, office %v", s, f.Years[2028] != nil, f.Office)
	}

	// A new file.
	fresh, _, err := MergeFileYears(nil, []*Year{y2028}, false)
	if err != nil || !strings.HasPrefix(string(fresh), "years:\n  2028:\n") {
		t.Errorf("new file: %v\n%s", err, fresh)
	}
}
