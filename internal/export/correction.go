package export

import (
	"strings"

	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/office"
)

// correctionEntry is the title and text of a feed entry for a recorded
// correction: what it did, who approved it, why, and each clock it
// changed, before → after.
func correctionEntry(r *office.Record, x *office.Correction, o Options) (title, content string) {
	c, p := r.Case, r.Policy
	word, approved, reason, idle := "更正", "批准人", "原因", "不计时"
	if o.en() {
		word, approved, reason, idle = "correction", "approved by", "reason", "not running"
	}
	title = c.ID + " " + word + ": " + strings.Join(x.Changed, ", ")
	if x.Undo() {
		title = c.ID + " " + word + ": " + label(p, "state", x.From, o) + " → " + label(p, "state", x.To, o)
	}
	var b strings.Builder
	b.WriteString(x.What + "\n" + approved + ": " + x.ApprovedBy + "\n" + reason + ": " + x.Reason + "\n")
	verdict := func(cl *deadline.Clock) string {
		if cl == nil {
			return idle
		}
		return cl.Verdict().Label(o.Lang) + " (" + cl.DueAt.Format("2006-01-02 15:04") + ")"
	}
	for _, ch := range x.Clocks {
		name := ch.Zh
		if (o.en() && ch.En != "") || name == "" {
			name = ch.En
		}
		if name == "" {
			name = ch.Rule
		}
		b.WriteString(name + ": " + verdict(ch.Before) + " → " + verdict(ch.After) + "\n")
	}
	b.WriteString("\n" + c.Title)
	return title, b.String()
}
