package yamltext

import (
	"strings"
	"testing"
)

func TestValueCauses(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cause func(string) string
		in    string
		want  string // "" when no cause is known
	}{
		{"5万 is fifty thousand", NumberCause, "5万", "write 50000"},
		{"1.2万元 is twelve thousand", NumberCause, "1.2万元", "write 12000"},
		{"300元 carries a unit", NumberCause, "300元", "no unit"},
		{"50,000 has a thousands separator", NumberCause, "50,000", "thousands separator"},
		{"full-width digits", NumberCause, "５００", "full-width digits"},
		{"五万 has no known cause", NumberCause, "五万", "万 is a unit: write the number alone"},
		{"a plain word has no cause", NumberCause, "many", ""},
		{"是 for true", BoolCause, "是", "true and false"},
		{"否 for false", BoolCause, "否", "true and false"},
		{"maybe is no yes or no", BoolCause, "maybe", ""},
		{"slashes", TimeCause, "2026/11/24", "slashes: write 2026-11-24"},
		{"slashes and one-digit month", TimeCause, "2026/1/5 09:00", "write 2026-01-05 09:00"},
		{"dots", TimeCause, "2026.11.24", "dots: write 2026-11-24"},
		{"Chinese date", TimeCause, "2026年11月24日", "in Chinese"},
		{"full-width colon in the time", TimeCause, "2026-11-24 09：00", "full-width colon"},
		{"month 13", TimeCause, "2026-13-01", "there is no month 13"},
		{"31 November", TimeCause, "2026-11-31T09:00:00+08:00", "November 2026 has no day 31"},
		{"29 February of a common year", TimeCause, "2026-02-29", "February 2026 has no day 29"},
		{"29 February of a leap year is a day", TimeCause, "2028-02-29x", ""},
		{"one-digit day", TimeCause, "2026-11-3", "take two digits: 2026-11-03"},
		{"a good time has no cause", TimeCause, "2026-11-24T09:00:00+08:00", ""},
		{"comma list", ListCause, "BANK-2026-0001, BANK-2026-0002", "one text with commas"},
		{"enumeration comma list", ListCause, "甲、乙", "one text with commas"},
		{"one item", ListCause, "BANK-2026-0001", ""},
		{"Windows path", PathCause, `cases\2026\11\02\BANK-2026-0001.md`, "Windows file path"},
		{"slash path", PathCause, "cases/2026/11/02/BANK-2026-0001.md", "a file path"},
		{"an id", PathCause, "BANK-2026-0001", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.cause(tc.in)
			if tc.want == "" {
				if got != "" {
					t.Errorf("cause of %q = %q, want none", tc.in, got)
				}
				return
			}
			if !strings.Contains(got, tc.want) {
				t.Errorf("cause of %q = %q, want it to hold %q", tc.in, got, tc.want)
			}
		})
	}
}
