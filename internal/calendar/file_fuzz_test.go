package calendar

import (
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/msg"
)

// FuzzParseFile guards the calendar file's reader: it never panics, a file
// it accepts keeps every listed day inside its block's bounds, and merging
// a file's own years into it changes nothing.
func FuzzParseFile(f *testing.F) {
	for _, seed := range []string{file2028, notices2025and2026, "", "years:\n", "years:\n  2028: &a {}\n", "office:\n  holidays: [2028-01-01..2028-01-03]\n",
		"years:\n  2028:\n    source: {notice: x, checked: false}\n    holidays:\n      - 2028-01-03..2028-01-01: 元旦\n"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		file, errs := ParseFile([]byte(src))
		if len(errs) > 0 {
			for _, e := range errs {
				if e.Msg.Zh == "" || e.Msg.En == "" || (e.Fix.Zh == "") != (e.Fix.En == "") || strings.Contains(e.In(msg.Zh)+e.In(msg.En), "%!") || e.Line < 0 || e.Col < 0 {
					t.Fatalf("problem without a message or with a bad place: %+v", e)
				}
			}
			return
		}
		var years []*Year
		for _, y := range file.YearList() {
			blk := file.Years[y]
			blk.Block.each(func(d Date, _ Override) {
				if !inYear(d, y) {
					t.Fatalf("%s accepted in %d's block", d, y)
				}
			})
			years = append(years, blk)
		}
		if _, merges, err := MergeFileYears([]byte(src), years, false); err != nil {
			t.Fatalf("merging the file's own years: %v", err)
		} else {
			for _, m := range merges {
				if m.Action != "unchanged" {
					t.Fatalf("merging the file's own years: %v", merges)
				}
			}
		}
	})
}

// FuzzImportICS guards the feed reader: it never panics, and what it
// accepts makes a calendar file that loads.
func FuzzImportICS(f *testing.F) {
	f.Add(feed2028)
	f.Add("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20280101\r\nSUMMARY:补班\r\nEND:VEVENT\r\n")
	f.Add("END:VEVENT\r\nBEGIN:VEVENT\r\n")
	f.Fuzz(func(t *testing.T, src string) {
		blocks, errs := ImportICS([]byte(src))
		if len(errs) > 0 {
			return
		}
		var years []*Year
		for y, b := range blocks {
			if len(b.Holidays) == 0 || y < 1900 || y > 9999 {
				return // a file year needs holidays; the command says so
			}
			years = append(years, &Year{Year: y, Source: YearSource{Feed: "f.ics"}, Block: *b})
		}
		if _, _, err := MergeFileYears(nil, years, false); err != nil {
			t.Fatalf("an accepted feed makes a file that does not load: %v", err)
		}
	})
}
