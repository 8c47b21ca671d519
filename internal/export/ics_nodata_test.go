package export

import (
	"bytes"
	"strings"
	"testing"
)

// TestICS_NoData guards the mark of a due date counted over a year without
// holiday data: in the summary and the alarms, and a note in DESCRIPTION,
// in both languages; other events carry none.
func TestICS_NoData(t *testing.T) {
	recs := loadOffice(t)
	for _, r := range recs {
		if r.Case.ID == "BANK-2026-0002" {
			r.Clocks[0].NoData = []int{2028}
		}
	}
	tests := []struct {
		name string
		o    Options
		want []string
	}{
		{"Chinese", Options{Now: now}, []string{
			`SUMMARY:BANK-2026-0002 回复客户: =HYPERLINK("http://evil.example"\,"x") (无节假日数据 2028)` + "\r\n",
			`\n注意：无节假日数据 2028，到期日只按周末推算，请对照放假通知核对` + "\r\n",
		}},
		{"English", Options{Now: now, Lang: "en"}, []string{
			`(no holiday data for 2028)` + "\r\n",
			`\nNote: no holiday data for 2028\; the due date counts weekends only\, check it against the holiday notice` + "\r\n",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := ICS(&buf, recs, tt.o); err != nil {
				t.Fatal(err)
			}
			flat := unfold(buf.String())
			for _, w := range tt.want {
				if !strings.Contains(flat, w) {
					t.Errorf("calendar lacks %q:\n%s", w, flat)
				}
			}
			if n := strings.Count(flat, "2028"); n != 4 {
				t.Errorf("2028 appears %d times, want 4 (summary, two alarms, description of one event)", n)
			}
		})
	}
}
