package stats

// MinCell is the smallest count a public build shows, on its pages and in
// its stats.json; smaller ones are withheld.
const MinCell = 3

// Suppressed is what a page, a CSV file or an aggregate shows for a count
// a public build withholds.
const Suppressed = "<3"

// Suppress decides which counts of a table a public build withholds.
// vals are the table's counts (cells and totals alike), lines the sets of
// indexes into vals whose sum a reader knows: a row with its total, a
// column with its total, or cells whose sum another page shows. Every
// count under MinCell is withheld (primary suppression); then, while a
// line has exactly one withheld count, which subtraction would recover,
// the smallest shown count of that line is withheld too (secondary
// suppression). Ties go to the first, so the result is deterministic.
func Suppress(vals []int, lines [][]int) []bool {
	return SuppressFrom(vals, lines, nil)
}

// SuppressFrom is Suppress with the counts that seed (when not nil) marks
// withheld from the start, for counts that another page of the same
// build withholds: what one publication withholds, the other must not
// show.
func SuppressFrom(vals []int, lines [][]int, seed []bool) []bool {
	hide := make([]bool, len(vals))
	for i, v := range vals {
		hide[i] = v < MinCell || (i < len(seed) && seed[i])
	}
	for changed := true; changed; {
		changed = false
		for _, l := range lines {
			n, best := 0, -1
			for _, i := range l {
				if hide[i] {
					n++
				} else if best < 0 || vals[i] < vals[best] {
					best = i
				}
			}
			if n == 1 && best >= 0 {
				hide[best] = true
				changed = true
			}
		}
	}
	return hide
}
