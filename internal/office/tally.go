package office

import "github.com/casebook/casebook/internal/deadline"

// Tally counts cases the way every statistic of casebook does (stats,
// the reports): a case is open or finished, and each of its clocks met,
// missed or overdue (a running clock counts in none).
type Tally struct {
	Cases    int `json:"cases"`
	Open     int `json:"open"`
	Finished int `json:"finished"`
	Met      int `json:"met"`
	Missed   int `json:"missed"`
	Overdue  int `json:"overdue"`
}

// Add counts r; rule, when not empty, limits the clocks to that rule.
func (t *Tally) Add(r *Record, rule string) {
	t.Cases++
	if r.Open() {
		t.Open++
	} else {
		t.Finished++
	}
	for _, cl := range r.Clocks {
		if rule != "" && cl.Rule != rule {
			continue
		}
		switch cl.State {
		case deadline.Met:
			t.Met++
		case deadline.Missed:
			t.Missed++
		case deadline.Overdue:
			t.Overdue++
		}
	}
}

// Timed is the number of clocks the on-time rate is taken over:
// met + missed + overdue.
func (t Tally) Timed() int { return t.Met + t.Missed + t.Overdue }
