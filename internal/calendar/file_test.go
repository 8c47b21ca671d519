package calendar

import (
	"os"
	"strings"
	"testing"
	"time"
)

// file2028 is a calendar file for 2028, a year lunar-go v1.4.7 has no data
// for. The days are made up for the tests, not a published notice.
const file2028 = `years:
  2028:
    source: {notice: 国办发明电〔2027〕99号, date: 2027-11-05, checked: true, checked_by: 张三}
    holidays:
      - 2028-01-01..2028-01-03: 元旦
      - 2028-01-25..2028-02-01: 春节
      - 2028-10-01..2028-10-07: 国庆节
    workdays:
      - 2028-01-22: 春节
      - 2028-10-08: 国庆节
  2026:
    source: {feed: holidays.ics, checked: false}
    holidays:
      - 2026-10-01..2026-10-05: 国庆节
office:
  holidays:
    - 2028-01-04: 年终决算
    - 2026-10-09: 行庆日
  workdays:
    - 2028-01-03: 盘点
`

func mustFile(t *testing.T, src string) *File {
	t.Helper()
	f, errs := ParseFile([]byte(src))
	if len(errs) > 0 {
		t.Fatalf("ParseFile: %v", errs)
	}
	return f
}

func TestParseFile(t *testing.T) {
	f := mustFile(t, file2028)
	if got := f.YearList(); len(got) != 2 || got[0] != 2026 || got[1] != 2028 {
		t.Fatalf("YearList = %v, want [2026 2028]", got)
	}
	y := f.Years[2028]
	want := YearSource{Notice: "国办发明电〔2027〕99号", Date: Date{2027, time.November, 5}, Checked: true, CheckedBy: "张三"}
	if y.Source != want {
		t.Errorf("source = %+v, want %+v", y.Source, want)
	}
	if len(y.Holidays) != 3 || y.Holidays[1].From != (Date{2028, time.January, 25}) || y.Holidays[1].To != (Date{2028, time.February, 1}) || y.Holidays[1].Name != "春节" || y.Holidays[1].Line != 6 {
		t.Errorf("holidays = %+v", y.Holidays)
	}
	if s := f.Years[2026].Source.String(); s != "导入自 holidays.ics，未核对" {
		t.Errorf("2026 source = %q", s)
	}
	if s := y.Source.String(); s != "国办发明电〔2027〕99号，张三已核对" {
		t.Errorf("2028 source = %q", s)
	}
	for _, empty := range []string{"", "# nothing yet\n", "\uFEFFyears: {}\n"} {
		if f, errs := ParseFile([]byte(empty)); len(errs) > 0 || len(f.YearList()) != 0 {
			t.Errorf("ParseFile(%q) = %v, %v; want an empty file", empty, f, errs)
		}
	}
}

// TestParseFile_BadInput guards every problem the loader reports, at its
// line and column.
func TestParseFile_BadInput(t *testing.T) {
	const src2028 = "years:\n  2028:\n    source: {notice: 国办发明电〔2027〕99号, checked: false}\n    holidays:\n"
	tests := []struct {
		name      string
		src       string
		line, col int
		msg       string
	}{
		{"unparsable date", src2028 + "      - 2028-02-30: 春节\n", 5, 9, `"2028-02-30" is not a date`},
		{"unparsable end of a range", src2028 + "      - 2028-01-01..2028-1-3: 元旦\n", 5, 9, `"2028-1-3" is not a date`},
		{"range reversed", src2028 + "      - 2028-01-03..2028-01-01: 元旦\n", 5, 9, "the range 2028-01-03..2028-01-01 ends before it starts"},
		{"range implausibly long", src2028 + "      - 2028-01-01..2028-12-31: 元旦\n", 5, 9, "longer than 62 days"},
		{"holiday ranges overlap", src2028 + "      - 2028-01-01..2028-01-03: 元旦\n      - 2028-01-03..2028-01-05: 春节\n", 6, 9,
			"holiday 2028-01-03..2028-01-05 overlaps holiday 2028-01-01..2028-01-03 at line 5 (both hold 2028-01-03)"},
		{"holiday range overlaps a workday", src2028 + "      - 2028-01-01..2028-01-03: 元旦\n    workdays:\n      - 2028-01-02: 元旦\n", 7, 9,
			"workday 2028-01-02 overlaps holiday 2028-01-01..2028-01-03 at line 5"},
		{"year listed twice", src2028 + "      - 2028-01-01: 元旦\n  2028:\n    source: {notice: x, checked: false}\n    holidays: [2028-05-01]\n", 6, 3,
			`"2028" is listed twice in years (first at line 2)`},
		{"day outside its year's block", src2028 + "      - 2029-05-01: 劳动节\n", 5, 9, "2029-05-01 is outside 2028"},
		{"unknown key in a year", src2028 + "      - 2028-01-01: 元旦\n    holiday: []\n", 6, 5, `unknown key "holiday" in years.2028`},
		{"unknown top-level key", "year:\n  2028: {}\n", 1, 1, `unknown key "year" in the calendar file`},
		{"unknown source key", "years:\n  2028:\n    source: {notise: x, checked: false}\n    holidays: [2028-01-01]\n", 3, 14, `unknown key "notise"`},
		{"tab in the indentation", "years:\n\t2028: {}\n", 2, 1, "a tab indents this line"},
		{"byte-order mark inside", "office:\n  holidays:\n\uFEFF    - 2028-01-01: 元旦\n", 3, 1, "byte-order mark (U+FEFF) inside the file"},
		{"saved as GBK", "office:\n  holidays:\n    - 2028-12-29: \xc4\xea\xd6\xd5\n", 3, 19, "看来是 GBK"},
		{"full-width colon after a key", "years:\n  2028:\n    source：{notice: x, checked: false}\n    holidays: [2028-01-01]\n", 3, 11, "全角冒号"},
		{"conflict markers", "office:\n<<<<<<< HEAD\n  holidays: [2028-01-04]\n=======\n  holidays: [2028-01-05]\n>>>>>>> other\n", 2, 1, "merge conflict"},
		{"not a year", "years:\n  next:\n    source: {notice: x, checked: false}\n", 2, 3, `years: "next" is not a year`},
		{"no source", "years:\n  2028:\n    holidays: [2028-01-01]\n", 2, 3, "year 2028 names no source"},
		{"no holidays", "years:\n  2028:\n    source: {notice: x, checked: false}\n", 2, 3, "year 2028 lists no holidays"},
		{"checked without a checker", "years:\n  2028:\n    source: {notice: x, checked: true}\n    holidays: [2028-01-01]\n", 3, 34, "checked but names no checker"},
		{"checked unsaid", "years:\n  2028:\n    source: {notice: x}\n    holidays: [2028-01-01]\n", 3, 13, "does not say whether it was checked"},
		{"office days overlap", "office:\n  holidays: [2028-01-04]\n  workdays: [2028-01-04]\n", 3, 14, "office workday 2028-01-04 overlaps office holiday 2028-01-04 at line 2"},
		{"alias", "years:\n  2028: &y\n    source: {notice: x, checked: false}\n", 2, 9, "anchors and aliases are not allowed"},
		// yaml.v3 places an unclosed flow list where the document starts.
		{"bad YAML", "years:\n  2028: [2028-01-01\n", 1, 1, "did not find expected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, errs := ParseFile([]byte(tt.src))
			if f != nil || len(errs) == 0 {
				t.Fatalf("ParseFile succeeded, want %q", tt.msg)
			}
			for _, e := range errs {
				if e.Msg.Has(tt.msg) {
					if e.Line != tt.line || e.Col != tt.col || e.Fix.IsZero() {
						t.Errorf("problem at %d:%d (fix %q), want %d:%d with a fix", e.Line, e.Col, e.Fix, tt.line, tt.col)
					}
					return
				}
			}
			t.Errorf("problems %v, want one containing %q", errs, tt.msg)
		})
	}
}

// TestFile_Precedence guards the order in which sources decide a day: the
// policy's override, the office's days, the file's year, lunar-go.
func TestFile_Precedence(t *testing.T) {
	c := New(cst, WithFile(mustFile(t, file2028)), WithOverrides([]Override{
		{Date: Date{2028, time.January, 4}, Working: true, Name: "政策加班"},
		{Date: Date{2027, time.October, 1}, Working: true, Name: "值班"},
	}))
	tests := []struct {
		name    string
		date    string
		working bool
		makeUp  bool
		holiday string
		source  Source
	}{
		{"a holiday of the file's year", "2028-01-26", false, false, "春节", FromFile},
		{"a make-up Saturday of the file's year", "2028-01-22", true, true, "春节", FromFile},
		{"a Sunday the file lists as a working day", "2028-10-08", true, true, "国庆节", FromFile},
		{"an unlisted weekday of the file's year", "2028-02-02", true, false, "", FromFile},
		{"an unlisted Saturday of the file's year", "2028-02-05", false, false, "", FromFile},
		{"the file's year replaces lunar-go's: 2026-10-06 is a working day", "2026-10-06", true, false, "", FromFile},
		{"lunar-go's make-up Saturday is not in the file's 2026", "2026-10-10", false, false, "", FromFile},
		{"an office working day inside the file's 元旦 wins", "2028-01-03", true, true, "盘点", FromOffice},
		{"an office holiday on an ordinary working day", "2026-10-09", false, false, "行庆日", FromOffice},
		{"the policy's override wins over an office day", "2028-01-04", true, true, "政策加班", FromPolicy},
		{"the policy's override wins over lunar-go", "2027-10-01", true, true, "值班", FromPolicy},
		{"a year only lunar-go has", "2027-02-08", false, false, "春节", FromLibrary},
		{"a year nobody has", "2029-10-01", true, false, "", FromWeekdays},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Day(date(t, tt.date))
			if got.Working != tt.working || got.MakeUp != tt.makeUp || got.Holiday != tt.holiday || got.Source != tt.source || got.HasData != (tt.source != FromWeekdays) {
				t.Errorf("Day(%s) = %+v, want working=%v makeUp=%v holiday=%q source=%d", tt.date, got, tt.working, tt.makeUp, tt.holiday, tt.source)
			}
			if c.working(got.Date) != got.Working {
				t.Errorf("working(%s) = %v, Day says %v", tt.date, !got.Working, got.Working)
			}
		})
	}
	for y, want := range map[int]bool{2026: true, 2027: true, 2028: true, 2029: false} {
		if got := c.HasData(y); got != want {
			t.Errorf("HasData(%d) = %v, want %v", y, got, want)
		}
	}
}

// TestFile_DueDates counts periods over a year only the file knows.
func TestFile_DueDates(t *testing.T) {
	c := New(cst, WithFile(mustFile(t, file2028)))
	tests := []struct {
		name  string
		start string
		p     Period
		want  string
	}{
		{"3 working days across the file's Spring Festival", "2028-01-24T10:00:00+08:00", Period{3, WorkingDays}, "2028-02-04T23:59:59+08:00"},
		{"3 working days over the file's make-up Saturday", "2028-01-20T10:00:00+08:00", Period{3, WorkingDays}, "2028-01-24T23:59:59+08:00"},
		{"15 calendar days ending inside the file's Spring Festival move past it", "2028-01-12T10:00:00+08:00", Period{15, CalendarDays}, "2028-02-02T23:59:59+08:00"},
		{"7 working days from lunar-go's 2027 into the file's 2028, over the office's days", "2027-12-29T10:00:00+08:00", Period{7, WorkingDays}, "2028-01-10T23:59:59+08:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, err := time.Parse(time.RFC3339, tt.start)
			if err != nil {
				t.Fatal(err)
			}
			due, noData := c.End(start, tt.p)
			if got := due.Format(time.RFC3339); got != tt.want || len(noData) != 0 {
				t.Errorf("End = %s, no data %v; want %s and none", got, noData, tt.want)
			}
			if n := c.WorkingDaysBetween(start, due); tt.p.Unit == WorkingDays && n != tt.p.N {
				t.Errorf("WorkingDaysBetween(start, due) = %d, want %d", n, tt.p.N)
			}
		})
	}
}

// TestFile_WorkingDaysBetweenMatchesDayByDay guards the arithmetic count
// over the file's years and office days against asking day by day.
func TestFile_WorkingDaysBetweenMatchesDayByDay(t *testing.T) {
	c := New(cst, WithFile(mustFile(t, file2028)), WithOverrides([]Override{{Date: Date{2028, time.January, 4}, Working: true}}))
	start := Date{2026, time.September, 1}
	for i := 0; i < 900; i += 5 {
		for _, span := range []int{0, 1, 6, 30, 200} {
			a, b := start.AddDays(i).At(10, 0, 0, cst), start.AddDays(i+span).At(9, 0, 0, cst)
			want := 0
			for d := DateOf(a, cst).AddDays(1); !d.After(DateOf(b, cst)); d = d.AddDays(1) {
				if c.working(d) {
					want++
				}
			}
			if got := c.WorkingDaysBetween(a, b); got != want {
				t.Fatalf("WorkingDaysBetween(%v, %v) = %d, want %d", a, b, got, want)
			}
		}
	}
}

// TestLibrary_MatchesGoMod keeps the fallback version in step with go.mod.
func TestLibrary_MatchesGoMod(t *testing.T) {
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mod), "\t"+libraryPath+" "+libraryModVersion+"\n") {
		t.Errorf("go.mod does not require %s %s; update libraryModVersion", libraryPath, libraryModVersion)
	}
	if got := Library(); !strings.HasPrefix(got, "lunar-go v") {
		t.Errorf("Library() = %q, want lunar-go and a version", got)
	}
}

// TestDay_KindAndOrigin guards what calendar prints for where a day comes
// from, one row per source.
func TestDay_KindAndOrigin(t *testing.T) {
	c := New(cst, WithFile(mustFile(t, file2028)), WithOverrides([]Override{{Date: Date{2028, time.January, 4}, Working: true, Name: "政策加班"}}))
	const file = "policies/calendar.yaml"
	y2028, _ := c.File().YearOf(date(t, "2028-01-26"))
	tests := []struct {
		name, date, kind, origin string
	}{
		{"a holiday of the file's year", "2028-01-26", "国务院办公厅", file + " " + y2028.Source.String()},
		{"an unlisted weekday of the file's year", "2028-02-02", "weekday rule", file + " " + y2028.Source.String()},
		{"an office day", "2026-10-09", "office", file + " 本单位 office"},
		{"the policy's override", "2028-01-04", "policy", "policy bank"},
		{"a year only lunar-go has", "2027-02-08", "国务院办公厅", Library()},
		{"a year nobody has", "2029-10-01", "no data", "无数据 no data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := c.Day(date(t, tt.date))
			if got := d.Kind(); got != tt.kind {
				t.Errorf("Kind = %q, want %q", got, tt.kind)
			}
			if got := c.Origin(d, file, "bank"); got != tt.origin {
				t.Errorf("Origin = %q, want %q", got, tt.origin)
			}
		})
	}
}
