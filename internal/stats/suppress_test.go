package stats

import (
	"slices"
	"testing"
)

func TestSuppress(t *testing.T) {
	for _, tc := range []struct {
		name  string
		vals  []int
		lines [][]int
		want  []bool
	}{
		{"nothing small, nothing withheld", []int{5, 7, 12}, [][]int{{0, 1, 2}}, []bool{false, false, false}},
		{"zero, one and two are withheld", []int{0, 1, 2, 3}, nil, []bool{true, true, true, false}},
		{"one small cell beside a total: the smallest other cell goes too",
			[]int{1, 5, 9, 15}, [][]int{{0, 1, 2, 3}}, []bool{true, true, false, false}},
		{"two small cells in a line are enough", []int{1, 2, 9, 12}, [][]int{{0, 1, 2, 3}}, []bool{true, true, false, false}},
		{"a second withheld cell makes its column need one more",
			// rows {a b | ra} {c d | rb}; columns a+c, b+d known.
			// a=1 (primary); row 0 then withholds b=4; column b+d then
			// withholds d=6; row 1 then withholds c=7.
			[]int{1, 4, 5, 7, 6, 13}, [][]int{{0, 1, 2}, {3, 4, 5}, {0, 3}, {1, 4}},
			[]bool{true, true, false, true, true, false}},
		{"on a tie the first of the line goes", []int{0, 5, 5}, [][]int{{0, 1, 2}}, []bool{true, true, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Suppress(tc.vals, tc.lines)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("Suppress(%v) = %v, want %v", tc.vals, got, tc.want)
			}
			for _, l := range tc.lines {
				n := 0
				for _, i := range l {
					if got[i] {
						n++
					}
				}
				if n == 1 {
					t.Errorf("line %v has one withheld count, which subtraction recovers", l)
				}
			}
		})
	}
}

// TestSuppressFrom: a count another page withholds is withheld here too,
// and then counts as the line's second.
func TestSuppressFrom(t *testing.T) {
	got := SuppressFrom([]int{1, 5, 9, 15}, [][]int{{0, 1, 2, 3}}, []bool{false, false, true})
	if want := []bool{true, false, true, false}; !slices.Equal(got, want) {
		t.Errorf("SuppressFrom = %v, want %v", got, want)
	}
}
