package deadline

import "cmp"

// stateWords are the clock states for people, Chinese and English: the
// policy has no labels for them, since they are casebook's, not the
// procedure's. The CLI and the site both print them from here.
var stateWords = map[State][2]string{
	Pending: {"进行中", "running"},
	AtRisk:  {"即将到期", "at risk"},
	Met:     {"按时", "met"},
	Missed:  {"超时办结", "missed"},
	Overdue: {"已超期", "overdue"},
	NotDone: {"未办理", "not done"},
}

// Label is the state's word in lang ("zh" or "en"); an unknown state is
// its id.
func (s State) Label(lang string) string {
	w, ok := stateWords[s]
	if !ok {
		return string(s)
	}
	if lang == "en" {
		return w[1]
	}
	return w[0]
}

// Next is the running clock due first, the case's "next deadline": of the
// clocks not ended, the earliest due, the rule id breaking a tie. The CLI,
// the site and the exports all name it from here; false when every clock
// has ended.
func Next(cs []Clock) (Clock, bool) {
	var best Clock
	found := false
	for _, c := range cs {
		if c.EndedAt != nil {
			continue
		}
		if !found || c.DueAt.Before(best.DueAt) || (c.DueAt.Equal(best.DueAt) && c.Rule < best.Rule) {
			best, found = c, true
		}
	}
	return best, found
}

// Name is the clock's label in lang ("zh" or "en"), with its run after
// the first (see RunLabel): the rule's label in that language, else its
// label in the other, else its id. The CLI, the site and the exports all
// name a clock with it.
func (c Clock) Name(lang string) string {
	if lang == "en" {
		return c.RunLabel(cmp.Or(c.En, c.Zh, c.Rule), true)
	}
	return c.RunLabel(cmp.Or(c.Zh, c.En, c.Rule), false)
}
