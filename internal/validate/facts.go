package validate

import (
	"fmt"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/office"
)

// factChanged reports each change of a recorded clock fact that no
// correction made, with the verdict the clocks give with the recorded
// value (which they keep) and with the new one.
func factChanged(o *office.Office, r *office.Record, now time.Time) []Finding {
	var fs []Finding
	var alt []deadline.Clock
	altDone := false
	for _, fc := range r.Facts {
		if fc.Corrected {
			continue
		}
		if !altDone {
			alt = office.Judge(r.Policy, o.Calendar(r.Policy), r.Case, r.History, now).Clocks
			altDone = true
		}
		label := fc.Field
		if f, ok := r.Policy.Field(fc.Field); ok && f.Zh != "" {
			label = fmt.Sprintf("%s (%s)", fc.Field, f.Zh)
		}
		what := fmt.Sprintf("commit %s (%s) changed %s", short(fc.Commit), fc.Actor, label)
		fix := fmt.Sprintf("a fact that starts or decides a clock is fixed once recorded: set it back to %s, or record the change as a correction: casebook correct %s --set %s=%s --reason ... --approved-by ...; or acknowledge the commit in %s", factText(fc.Old), r.Case.ID, fc.Field, factText(fc.New), AckFile)
		if fc.Commit == "" {
			what = fmt.Sprintf("an uncommitted change changes %s", label)
			fix = fmt.Sprintf("a fact that starts or decides a clock is fixed once recorded: set it back to %s, or record the change as a correction: casebook correct %s --set %s=%s --reason ... --approved-by ...", factText(fc.Old), r.Case.ID, fc.Field, factText(fc.New))
		}
		msg := fmt.Sprintf("%s from %s to %s without a correction; %s; the clocks keep %s", what, factText(fc.Old), factText(fc.New), verdicts(r.Clocks, alt, factText(fc.Old), factText(fc.New)), factText(fc.Old))
		f := finding(r, "history.fact_changed", fc.Field, msg, fix)
		f.Commit = fc.Commit
		fs = append(fs, f)
	}
	return fs
}

// verdicts names the clocks whose due time or state the two values set
// apart, "rule due X (state) with A, due Y (state) with B". A clock is
// matched with the run of the same rule, cycle and report.
func verdicts(held, alt []deadline.Clock, a, b string) string {
	var parts []string
	same := func(x, y deadline.Clock) bool {
		return x.Rule == y.Rule && x.Cycle == y.Cycle && x.Report == y.Report
	}
	for _, h := range held {
		var other *deadline.Clock
		for i := range alt {
			if same(alt[i], h) {
				other = &alt[i]
				break
			}
		}
		switch {
		case other == nil:
			parts = append(parts, fmt.Sprintf("%s due %s (%s) with %s, no such clock with %s", h.Rule, h.DueAt.Format(time.RFC3339), h.State, a, b))
		case !other.DueAt.Equal(h.DueAt) || other.State != h.State:
			parts = append(parts, fmt.Sprintf("%s due %s (%s) with %s, due %s (%s) with %s", h.Rule, h.DueAt.Format(time.RFC3339), h.State, a, other.DueAt.Format(time.RFC3339), other.State, b))
		}
	}
	for _, x := range alt {
		found := false
		for _, h := range held {
			found = found || same(h, x)
		}
		if !found {
			parts = append(parts, fmt.Sprintf("%s due %s (%s) with %s, no such clock with %s", x.Rule, x.DueAt.Format(time.RFC3339), x.State, b, a))
		}
	}
	if len(parts) == 0 {
		return "the clocks give the same verdict with either value"
	}
	return strings.Join(parts, "; ")
}

func factText(v any) string { return office.FactText(v) }
