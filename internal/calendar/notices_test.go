package calendar

import (
	"testing"
	"time"
)

// notices2025and2026 is the State Council's schedule of 2025 and 2026 (国务院
// 办公厅关于2025年、2026年部分节假日安排的通知) as a calendar file.
const notices2025and2026 = `years:
  2025:
    source: {notice: 国务院办公厅关于2025年部分节假日安排的通知, checked: false}
    holidays:
      - 2025-01-01: 元旦
      - 2025-01-28..2025-02-04: 春节
      - 2025-04-04..2025-04-06: 清明节
      - 2025-05-01..2025-05-05: 劳动节
      - 2025-05-31..2025-06-02: 端午节
      - 2025-10-01..2025-10-08: 国庆节、中秋节
    workdays:
      - 2025-01-26: 春节
      - 2025-02-08: 春节
      - 2025-04-27: 劳动节
      - 2025-09-28: 国庆节
      - 2025-10-11: 国庆节
  2026:
    source: {notice: 国务院办公厅关于2026年部分节假日安排的通知, checked: false}
    holidays:
      - 2026-01-01..2026-01-03: 元旦
      - 2026-02-15..2026-02-23: 春节
      - 2026-04-04..2026-04-06: 清明节
      - 2026-05-01..2026-05-05: 劳动节
      - 2026-06-19..2026-06-21: 端午节
      - 2026-09-25..2026-09-27: 中秋节
      - 2026-10-01..2026-10-07: 国庆节
    workdays:
      - 2026-01-04: 元旦
      - 2026-02-14: 春节
      - 2026-02-28: 春节
      - 2026-05-09: 劳动节
      - 2026-09-20: 国庆节
      - 2026-10-10: 国庆节
`

// TestDay_2025And2026DayByDay checks all 730 days of 2025 and 2026: lunar-go
// and a calendar file holding the two notices agree on every day, working
// or rest, and on which working days are make-up days. It guards both the
// built-in data and the file's rule that a listed year is exactly its
// listed days plus the weekday rule.
func TestDay_2025And2026DayByDay(t *testing.T) {
	national := New(cst)
	file := New(cst, WithFile(mustFile(t, notices2025and2026)))
	n := 0
	for d := (Date{2025, time.January, 1}); d.Year < 2027; d = d.AddDays(1) {
		a, b := national.Day(d), file.Day(d)
		if a.Working != b.Working || a.MakeUp != b.MakeUp || !a.HasData || !b.HasData || a.Source != FromLibrary || b.Source != FromFile {
			t.Errorf("%s: lunar-go %+v, the notices %+v", d, a, b)
		}
		n++
	}
	if n != 730 {
		t.Fatalf("checked %d days, want 730", n)
	}
	start := Date{2024, time.December, 31}.At(10, 0, 0, cst)
	for i := 1; i <= 730; i += 7 {
		end := start.AddDate(0, 0, i)
		if a, b := national.WorkingDaysBetween(start, end), file.WorkingDaysBetween(start, end); a != b {
			t.Errorf("working days to %s: lunar-go %d, the notices %d", end.Format(time.DateOnly), a, b)
		}
	}
}
