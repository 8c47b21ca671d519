package deadline

import (
	"slices"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/calendar"
	"gopkg.in/yaml.v3"
)

func TestParseExtensions(t *testing.T) {
	tests := []struct {
		name     string
		yaml     string
		want     []string // rule/until/by/approver of each parsed extension
		problems []string // Field of each problem
	}{
		{
			name: "until as a YAML date",
			yaml: "extensions: [{rule: verify, until: 2026-12-31, approved_by: 张某, approved_at: 2026-10-01T10:00:00+08:00, reason: 情况复杂}]",
			want: []string{"verify until 2026-12-31 by 张某 at 2026-10-01T10:00:00+08:00 情况复杂"},
		},
		{
			name: "by a period",
			yaml: "extensions: [{rule: verify, by: \"30 calendar_days\", approved_by: 张某}]",
			want: []string{"verify by 30 calendar_days by 张某"},
		},
		{
			name: "until as a quoted string",
			yaml: "extensions: [{rule: verify, until: \"2026-12-31\", approved_by: 张某}]",
			want: []string{"verify until 2026-12-31 by 张某"},
		},
		{
			name:     "no approver",
			yaml:     "extensions: [{rule: verify, until: 2026-12-31}]",
			problems: []string{"extensions[0].approved_by"},
		},
		{
			name:     "both until and by",
			yaml:     "extensions: [{rule: verify, until: 2026-12-31, by: 3 months, approved_by: 张某}]",
			problems: []string{"extensions[0]"},
		},
		{
			name:     "neither until nor by",
			yaml:     "extensions: [{rule: verify, approved_by: 张某}]",
			problems: []string{"extensions[0]"},
		},
		{
			name:     "bad date, bad period, unknown key, missing rule",
			yaml:     "extensions: [{rule: verify, until: 2026-13-01, approved_by: 张某}, {rule: verify, by: 3 weeks, approved_by: 张某}, {until: 2026-12-31, approved_by: 张某, note: x}]",
			problems: []string{"extensions[0].until", "extensions[1].by", "extensions[2].note", "extensions[2].rule"},
		},
		{
			name: "good entries survive a bad one",
			yaml: "extensions: [{rule: verify, until: 2026-12-31}, {rule: verify, until: 2027-01-29, approved_by: 李某}]",
			want: []string{"verify until 2027-01-29 by 李某"}, problems: []string{"extensions[0].approved_by"},
		},
		{
			name:     "not a list",
			yaml:     "extensions: {rule: verify}",
			problems: []string{"extensions"},
		},
		{name: "absent", yaml: "title: x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fields map[string]any
			if err := yaml.Unmarshal([]byte(tt.yaml), &fields); err != nil {
				t.Fatal(err)
			}
			exts, problems := ParseExtensions(fields)
			var got []string
			for _, e := range exts {
				got = append(got, describe(e))
			}
			var gotProblems []string
			for _, p := range problems {
				gotProblems = append(gotProblems, p.Field)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("extensions = %q, want %q", got, tt.want)
			}
			if !slices.Equal(gotProblems, tt.problems) {
				t.Errorf("problems at %q, want %q: %v", gotProblems, tt.problems, problems)
			}
		})
	}
}

func describe(e Extension) string {
	s := e.Rule
	if e.Until != nil {
		s += " until " + e.Until.String()
	}
	if e.By != nil {
		s += " by " + e.By.String()
	}
	s += " by " + e.ApprovedBy
	if !e.ApprovedAt.IsZero() {
		s += " at " + e.ApprovedAt.Format(time.RFC3339)
	}
	if e.Reason != "" {
		s += " " + e.Reason
	}
	return s
}

// TestParseExtensions_Index keeps the position in the case's list, so that
// Compute's problems point at the right entry.
func TestParseExtensions_Index(t *testing.T) {
	exts, _ := ParseExtensions(map[string]any{"extensions": []any{
		map[string]any{"rule": "verify"},
		map[string]any{"rule": "verify", "until": "2026-12-31", "approved_by": "张某"},
	}})
	if len(exts) != 1 || exts[0].Index != 1 || *exts[0].Until != (calendar.Date{Year: 2026, Month: 12, Day: 31}) {
		t.Errorf("exts = %+v, want one at index 1 until 2026-12-31", exts)
	}
}
