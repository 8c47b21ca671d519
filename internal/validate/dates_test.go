package validate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/policies"
)

func TestLateWindows_Findings(t *testing.T) {
	t0 := time.Date(2026, 11, 10, 12, 0, 0, 0, time.FixedZone("", 8*3600))
	own := func(commit string, lag time.Duration) history.LateEntry {
		return history.LateEntry{Commit: commit, At: t0.Add(-lag), EnteredAt: t0}
	}
	merge := func(commit string, brought ...history.CommitDate) history.LateEntry {
		return history.LateEntry{Commit: commit, At: brought[0].At, EnteredAt: t0, Merge: true, Brought: brought}
	}
	authored := func(commit string, lag time.Duration) history.CommitDate {
		return history.CommitDate{Commit: commit, At: t0.Add(-lag)}
	}
	tests := []struct {
		name    string
		windows map[string]time.Duration // the commits' windows; absent: the default
		entries []history.LateEntry
		want    []string // the findings' messages, in part
	}{
		{"lag over the commit's window", map[string]time.Duration{"aaaa": 2 * time.Hour},
			[]history.LateEntry{own("aaaa", 3*time.Hour)},
			[]string{"commit aaaa claims the moment 2026-11-10T09:00:00+08:00 (author date) but was committed 2026-11-10T12:00:00+08:00 (committer date), more than 2 hours later"}},
		{"lag under the commit's window", map[string]time.Duration{"aaaa": 4 * time.Hour},
			[]history.LateEntry{own("aaaa", 3*time.Hour)}, nil},
		{"a commit that touches no case: the default window", nil,
			[]history.LateEntry{own("aaaa", 71*time.Hour), own("bbbb", 73*time.Hour)},
			[]string{"commit bbbb claims the moment 2026-11-07T11:00:00+08:00 (author date) but was committed 2026-11-10T12:00:00+08:00 (committer date), more than 72 hours later"}},
		{"one minute", map[string]time.Duration{"aaaa": time.Minute},
			[]history.LateEntry{own("aaaa", 2*time.Minute)}, []string{"more than 1 minute later"}},
		{"90 minutes", map[string]time.Duration{"aaaa": 90 * time.Minute},
			[]history.LateEntry{own("aaaa", 2*time.Hour)}, []string{"more than 90 minutes later"}},
		{"merge: each brought commit by its own window", map[string]time.Duration{"b1": 4 * time.Hour},
			[]history.LateEntry{merge("mmmm", authored("b1", 5*time.Hour), authored("b2", 5*time.Hour))},
			[]string{"merge commit mmmm (2026-11-10T12:00:00+08:00) brought into this history 1 commits authored more than 4 hours before it: b1 (2026-11-10T07:00:00+08:00)"}},
		{"merge: a commit late on its own is not listed again", map[string]time.Duration{"b1": time.Hour},
			[]history.LateEntry{own("b1", 2*time.Hour), merge("mmmm", authored("b1", 2*time.Hour))},
			[]string{"commit b1 claims the moment"}},
		{"a commit brought in by two merges is listed by the first", map[string]time.Duration{"b1": time.Hour},
			[]history.LateEntry{merge("m1", authored("b1", 2*time.Hour)), merge("m2", authored("b1", 2*time.Hour))},
			[]string{"merge commit m1 "}},
		{"a merge that brought in nothing late enough", nil,
			[]history.LateEntry{merge("mmmm", authored("b1", 5*time.Hour))}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := lateWindows{def: policy.DefaultLateEntry, of: map[string]time.Duration{}}
			for c, w := range tt.windows {
				l.of[c] = w
			}
			fs := l.findings(tt.entries)
			if len(fs) != len(tt.want) {
				t.Fatalf("got %d findings, want %d: %+v", len(fs), len(tt.want), fs)
			}
			for i, f := range fs {
				if f.Code != "history.late_entry" || f.Severity != Warning || !strings.Contains(f.Message, tt.want[i]) {
					t.Errorf("finding %d = %s %s %q, want a history.late_entry warning with %q", i, f.Severity, f.Code, f.Message, tt.want[i])
				}
			}
		})
	}
}

// TestLateWindows_LongestOfTheCasesPolicies: a commit that touches cases
// of several policies takes the longest of their windows.
func TestLateWindows_LongestOfTheCasesPolicies(t *testing.T) {
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "policies"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, window := range map[string]string{"bank": "5 hours", "food": "1 hours"} {
		data, err := policies.FS.ReadFile(name + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		data = append(data, "\nlate_entry: "+window+"\n"...)
		if err := os.WriteFile(filepath.Join(root, "policies", name+".yaml"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	set, err := policy.LoadSet(root)
	if err != nil {
		t.Fatal(err)
	}
	if got := set.ShortestLateEntry(); got != time.Hour {
		t.Errorf("ShortestLateEntry = %v, want 1h", got)
	}
	o := &office.Office{Policies: set}
	bank, food := &cases.Case{ID: "BANK-2026-0001", Policy: "bank"}, &cases.Case{ID: "FOOD-2026-0001", Policy: "food"}
	l := lateWindows{def: policy.DefaultLateEntry, of: map[string]time.Duration{"both": 0, "food": 0, "gone": 0}}
	l.touch(o, "both", food)
	l.touch(o, "both", bank)
	l.touch(o, "food", food)
	l.touch(o, "gone", nil) // a deleted case: no policy known
	for commit, want := range map[string]time.Duration{"both": 5 * time.Hour, "food": time.Hour, "gone": policy.DefaultLateEntry, "none": policy.DefaultLateEntry} {
		if got := l.window(commit); got != want {
			t.Errorf("window(%s) = %v, want %v", commit, got, want)
		}
	}
}
