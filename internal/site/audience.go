package site

import (
	"fmt"
	"strconv"

	"github.com/casebook/casebook/internal/stats"
)

// Audience is who a build is for.
type Audience string

// The audiences of a build. Internal is the whole site, for a host with
// access control; Public carries statistics only: no case pages, lists,
// bodies, names, forms, feed, calendar or cases.csv, and every count under
// MinCell suppressed.
const (
	AudienceInternal Audience = "internal"
	AudiencePublic   Audience = "public"
)

// ParseAudience reads --audience; "" is internal.
func ParseAudience(s string) (Audience, error) {
	switch Audience(s) {
	case "", AudienceInternal:
		return AudienceInternal, nil
	case AudiencePublic:
		return AudiencePublic, nil
	}
	return "", fmt.Errorf("audience %q is not internal or public (fix: --audience internal or --audience public)", s)
}

// MinCell is the smallest count a public build shows; smaller ones read
// Suppressed. The rule is the stats package's, which stats.json follows
// too.
const MinCell = stats.MinCell

// Suppressed is what a public build shows for a count it withholds.
const Suppressed = stats.Suppressed

// suppress decides which counts of a table a public build withholds:
// stats.Suppress, the one implementation of the rule.
func suppress(vals []int, lines [][]int) []bool { return stats.Suppress(vals, lines) }

// shown is a count as a page shows it: the number, or Suppressed.
func shown(v int, hide bool) string {
	if hide {
		return Suppressed
	}
	return strconv.Itoa(v)
}

// publicMatrix withholds the small counts of a status × category table:
// each row sums to its total, each column to the category's count (which
// the reports show), and the totals to the policy's count. A state's
// total that stats.json withholds (withheld, by key) is withheld too.
func publicMatrix(m *Matrix, withheld map[string]bool) {
	cols := len(m.Cols)
	var vals []int
	var lines [][]int
	var totals []int
	var seed []bool
	colLines := make([][]int, cols)
	for _, r := range m.Rows {
		var line []int
		for c, v := range r.Counts {
			colLines[c] = append(colLines[c], len(vals))
			line = append(line, len(vals))
			vals = append(vals, v)
			seed = append(seed, false)
		}
		totals = append(totals, len(vals))
		line = append(line, len(vals))
		vals = append(vals, r.Total)
		seed = append(seed, withheld[stateKey(m.pid, r.state)])
		lines = append(lines, line)
	}
	lines = append(lines, colLines...)
	lines = append(lines, totals)
	hide := stats.SuppressFrom(vals, lines, seed)
	i := 0
	for ri := range m.Rows {
		r := &m.Rows[ri]
		r.Shown = make([]string, len(r.Counts))
		for c, v := range r.Counts {
			r.Shown[c] = shown(v, hide[i])
			i++
		}
		r.TotalShown = shown(r.Total, hide[i])
		i++
	}
	// Templates of an office's own may still show the numbers: a public
	// build gives them none.
	for ri := range m.Rows {
		m.Rows[ri].Counts, m.Rows[ri].Total = nil, 0
	}
}

// stateKey is the key of a state's cases in stats.json.
func stateKey(policy, state string) string {
	return "procedures." + policy + ".states." + state
}

// withheldKeys are the keys in stats.json of the counts the public
// dashboard withholds that stats.json has too: each state's cases.
func (d *Dashboard) withheldKeys() map[string]bool {
	out := map[string]bool{}
	for _, m := range d.Matrices {
		for _, r := range m.Rows {
			if r.TotalShown == Suppressed {
				out[stateKey(m.pid, r.state)] = true
			}
		}
	}
	return out
}

// showMatrix fills the shown counts of an internal build: every number.
func showMatrix(m *Matrix) {
	for ri := range m.Rows {
		r := &m.Rows[ri]
		r.Shown = make([]string, len(r.Counts))
		for c, v := range r.Counts {
			r.Shown[c] = strconv.Itoa(v)
		}
		r.TotalShown = strconv.Itoa(r.Total)
	}
}

// statColumns are the counts of a StatRow, in the order of report.html.
func statColumns(t StatRow) []int {
	return []int{t.Cases, t.Open, t.Finished, t.Met, t.Missed, t.Overdue}
}

// publicStats withholds the small counts of a report table: each column
// sums to the total row, and in each row cases = open + finished. The
// on-time rate of a row is shown only when met, missed and overdue all
// are, since with the others it would give a withheld one away.
func publicStats(t *StatTable) {
	rows := append(t.Rows, t.Total)
	const n = 6
	var vals []int
	for _, r := range rows {
		vals = append(vals, statColumns(r)...)
	}
	var lines [][]int
	for c := 0; c < n; c++ {
		var l []int
		for ri := range rows {
			l = append(l, ri*n+c)
		}
		lines = append(lines, l)
	}
	for ri := range rows {
		// Open and finished before cases: on a tie the part is withheld
		// rather than the whole.
		lines = append(lines, []int{ri*n + 1, ri*n + 2, ri*n + 0})
	}
	hide := suppress(vals, lines)
	for ri := range rows {
		r := &rows[ri]
		r.Shown = make([]string, 0, n+1)
		for c, v := range statColumns(*r) {
			r.Shown = append(r.Shown, shown(v, hide[ri*n+c]))
		}
		rate := r.Rate
		if hide[ri*n+3] || hide[ri*n+4] || hide[ri*n+5] {
			rate = "—"
		}
		r.Shown = append(r.Shown, rate)
	}
	t.Rows, t.Total = rows[:len(rows)-1], rows[len(rows)-1]
}

// showStats fills the shown counts of an internal build's report table.
func showStats(t *StatTable) {
	for _, r := range append([]*StatRow{&t.Total}, ptrs(t.Rows)...) {
		r.Shown = nil
		for _, v := range statColumns(*r) {
			r.Shown = append(r.Shown, strconv.Itoa(v))
		}
		r.Shown = append(r.Shown, r.Rate)
	}
}

func ptrs(rows []StatRow) []*StatRow {
	out := make([]*StatRow, len(rows))
	for i := range rows {
		out[i] = &rows[i]
	}
	return out
}

// publicRate is the on-time rate of a public build: shown only when both
// the clocks met and those not met are counts it would show (a rate of
// 100% would tell that none was missed).
func publicRate(met, timed int) string {
	if met < MinCell || timed-met < MinCell {
		return "—"
	}
	return strconv.FormatFloat(float64(met)*100/float64(timed), 'f', 1, 64) + "%"
}
