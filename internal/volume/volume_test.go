package volume

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/msg"
)

func TestParse_Rows(t *testing.T) {
	data := "\uFEFFpolicy,period,volume,unit\r\n" +
		"# 质检部每月报来的销量\r\n" +
		"hotline,2026-11,12000,箱\r\n" +
		"\r\n" +
		"food,2026-H2, 480000 ,箱\r\n" +
		"food,2026,900000,箱\r\n"
	tab, err := Parse(File, []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, policy, period string
		want                 int64
		line                 int
		ok                   bool
	}{
		{"month after a BOM and a comment", "hotline", "2026-11", 12000, 3, true},
		{"half-year with spaces around the number", "food", "2026-H2", 480000, 5, true},
		{"year", "food", "2026", 900000, 6, true},
		{"period with no row", "hotline", "2026-10", 0, 0, false},
		{"policy with no row", "bank", "2026-11", 0, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, ok := tab.Get(tc.policy, tc.period)
			if ok != tc.ok || r.Volume != tc.want || r.Line != tc.line {
				t.Errorf("Get(%s, %s) = %d line %d, %v; want %d line %d, %v", tc.policy, tc.period, r.Volume, r.Line, ok, tc.want, tc.line, tc.ok)
			}
			if ok && r.Unit != "箱" {
				t.Errorf("unit %q, want 箱", r.Unit)
			}
		})
	}
	if got := tab.Rows("food"); len(got) != 2 || got[0].Period != "2026" || got[1].Period != "2026-H2" {
		t.Errorf("Rows(food) = %+v, want 2026 then 2026-H2", got)
	}
	if got := tab.Rows(""); len(got) != 3 {
		t.Errorf("Rows(\"\") has %d rows, want 3", len(got))
	}
}

func TestParse_ColumnsInAnyOrder(t *testing.T) {
	tab, err := Parse(File, []byte("unit,volume,period,policy\n单,3500,2026-11,hotline\n"))
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := tab.Get("hotline", "2026-11"); !ok || r.Volume != 3500 || r.Unit != "单" {
		t.Errorf("Get = %+v, %v", r, ok)
	}
}

func TestParse_Errors(t *testing.T) {
	head := "policy,period,volume,unit\n"
	for _, tc := range []struct {
		name, data string
		want       []string // each an error line, file:line: message
	}{
		{"unknown column", "policy,period,volume,unit,note\n", []string{`policies/volume.csv:1: unknown column "note" (fix: the header is policy,period,volume,unit)`}},
		{"missing column", "policy,period,volume\n", []string{`policies/volume.csv:1: column "unit" is missing`}},
		{"column twice", "policy,period,volume,unit,unit\n", []string{`policies/volume.csv:1: column "unit" appears twice`}},
		{"duplicate row", head + "food,2026-11,10,箱\nhotline,2026-11,5,单\nfood,2026-11,12,箱\n",
			[]string{`policies/volume.csv:4: food 2026-11 is given twice (first on line 2) (fix: keep one row per policy and period: delete this row or the one on line 2)`}},
		{"bad month", head + "food,2026-13,10,箱\n", []string{`policies/volume.csv:2: period "2026-13" is not a month, half-year or year`}},
		{"quarter", head + "food,2026-Q4,10,箱\n", []string{`policies/volume.csv:2: period "2026-Q4"`}},
		{"decimal volume", head + "food,2026-11,1.5,万箱\n", []string{`policies/volume.csv:2: volume "1.5" is not a positive whole number`}},
		{"thousands separator", head + "food,2026-11,\"12,000\",箱\n", []string{`policies/volume.csv:2: volume "12,000"`}},
		{"zero volume", head + "food,2026-11,0,箱\n", []string{`policies/volume.csv:2: volume "0"`}},
		{"empty unit and policy", head + ",2026-11,5,\n", []string{`policies/volume.csv:2: policy is empty`, `policies/volume.csv:2: unit is empty`}},
		{"short row", head + "food,2026-11,5\n", []string{`policies/volume.csv:2: 3 values for 4 columns`}},
		{"stray quote", head + "food,2026-11,5,\"箱\n", []string{`policies/volume.csv:2:`}},
		{"errors on two lines", head + "food,2026-11,x,箱\nhotline,26-11,5,单\n", []string{`policies/volume.csv:2: volume "x"`, `policies/volume.csv:3: period "26-11"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(File, []byte(tc.data))
			if err == nil {
				t.Fatal("no error")
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tc.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(lines), len(tc.want), err)
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(lines[i], w) {
					t.Errorf("error %d = %q, want it to start with %q", i, lines[i], w)
				}
				if !strings.Contains(lines[i], "(fix: ") {
					t.Errorf("error %d = %q says no fix", i, lines[i])
				}
			}
		})
	}
}

func TestLoad(t *testing.T) {
	t.Run("missing file is an empty table", func(t *testing.T) {
		tab, err := Load(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := tab.Get("food", "2026-11"); ok {
			t.Error("an empty table has a row")
		}
	})
	t.Run("bad file names its path and line", func(t *testing.T) {
		root := t.TempDir()
		if err := os.MkdirAll(filepath.Join(root, "policies"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "policies", "volume.csv"), []byte("policy,period,volume,unit\nfood,2026-11,-3,箱\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(root)
		var errs msg.FileErrors
		if !errors.As(err, &errs) || len(errs) != 1 || errs[0].File != "policies/volume.csv" || errs[0].Line != 2 {
			t.Fatalf("Load = %v, want one error at policies/volume.csv:2", err)
		}
	})
	t.Run("the repository's own file loads", func(t *testing.T) {
		if _, err := Load(filepath.Join("..", "..")); err != nil {
			t.Fatal(err)
		}
	})
}

func TestNilTable(t *testing.T) {
	var tab *Table
	if _, ok := tab.Get("food", "2026"); ok || tab.Rows("") != nil {
		t.Error("a nil table has rows")
	}
}

func TestRate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		n      int
		volume int64
		want   string
	}{
		{"three over twelve thousand", 3, 12000, "2.50"},
		{"no complaints", 0, 5000, "0.00"},
		{"rounds half up", 1, 80000, "0.13"},         // 0.125
		{"rounds down below half", 1, 90000, "0.11"}, // 0.1111
		{"tiny rate rounds to zero", 1, 3000000, "0.00"},
		{"exactly half a hundredth", 1, 2000000, "0.01"}, // 0.005
		{"more complaints than volume", 7, 3, "23333.33"},
		{"one in one", 1, 1, "10000.00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := FormatRate(Rate(tc.n, tc.volume)); got != tc.want {
				t.Errorf("Rate(%d, %d) = %s, want %s", tc.n, tc.volume, got, tc.want)
			}
		})
	}
}
