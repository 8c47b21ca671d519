package policy

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLoadSet_CalendarFile guards policies/calendar.yaml: it is not a
// policy, every policy of the set carries it, and its problems come back
// like a policy's, with the file, line and column.
func TestLoadSet_CalendarFile(t *testing.T) {
	write := func(t *testing.T, src string) string {
		t.Helper()
		root := t.TempDir()
		if err := os.MkdirAll(filepath.Join(root, "policies"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "policies", CalendarFile), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return root
	}
	t.Run("loaded beside the policies", func(t *testing.T) {
		root := write(t, "years:\n  2028:\n    source: {notice: 国办发明电〔2027〕99号, checked: false}\n    holidays:\n      - 2028-01-01..2028-01-03: 元旦\n")
		s, err := LoadSet(root)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := s.Get("calendar"); ok {
			t.Error("calendar.yaml was loaded as a policy")
		}
		if f := s.Calendar(); f == nil || f.Years[2028] == nil {
			t.Fatalf("Calendar() = %v, want the file with 2028", f)
		}
		for _, id := range s.IDs() {
			p, _ := s.Get(id)
			if p.OfficeCalendar != s.Calendar() {
				t.Errorf("policy %s does not carry the office calendar", id)
			}
		}
	})
	t.Run("a reversed range is a positioned problem", func(t *testing.T) {
		root := write(t, "years:\n  2028:\n    source: {notice: x, checked: false}\n    holidays:\n      - 2028-01-03..2028-01-01: 元旦\n")
		_, err := LoadSet(root)
		errs := ErrorList(err)
		if len(errs) != 1 || errs[0].File != "policies/calendar.yaml" || errs[0].Line != 5 || errs[0].Col != 9 || errs[0].Fix.IsZero() {
			t.Fatalf("LoadSet errors = %v, want one at policies/calendar.yaml:5:9", errs)
		}
		if got := Check(root, "policies/calendar.yaml"); len(got) != 1 || got[0].Line != 5 {
			t.Errorf("Check(calendar.yaml) = %v, want the same problem", got)
		}
	})
	t.Run("no file, no calendar", func(t *testing.T) {
		s, err := LoadSet(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		p, _ := s.Get("bank")
		if s.Calendar() != nil || p.OfficeCalendar != nil {
			t.Error("an office without calendar.yaml has one")
		}
	})
}
