package validate

import (
	"fmt"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/office"
)

// collisions reports each id that two clones registered independently and
// whose registrations met in one history (id.collision), whatever the merge
// kept: both files, one of them, or a conflict. It is fixed by giving one
// registration another id with casebook renumber, which keeps its trail, so
// it is not acknowledgeable.
func collisions(o *office.Office) []Finding {
	var fs []Finding
	for _, col := range o.History.Collisions {
		var files []*cases.Case
		for _, c := range o.Cases {
			if c.ID == col.ID {
				files = append(files, c)
			}
		}
		var regs []string
		held := 0
		for _, r := range col.Registrations {
			title := "?"
			if c, ok := office.VersionCase(o.Repo, nil, r.Created); ok && c.Title != "" {
				title = c.Title
			}
			regs = append(regs, fmt.Sprintf("commit %s (%s, %s) for 「%s」", short(r.Created.Commit), r.Created.Actor, r.Created.At.Format(time.RFC3339), title))
			if r.Held {
				held++
			}
		}
		last := col.Registrations[len(col.Registrations)-1]
		f := Finding{Severity: severityOf("id.collision"), Code: "id.collision", Case: col.ID, Commit: last.Created.Commit, File: last.Tip.Path,
			Message: fmt.Sprintf("id %s was registered %d times on independent lines of history (clones allocated it, and their work was merged): by %s",
				col.ID, len(col.Registrations), strings.Join(regs, " and by "))}
		if len(files) > 0 {
			f.File, f.Line = files[0].File, files[0].Line("id")
		}
		switch {
		case len(files) > 1 && held == len(col.Registrations):
			f.Fix = fmt.Sprintf("give one of them a new id, its trail kept: casebook renumber %s --file %s", col.ID, files[len(files)-1].File)
		case len(files) > 0 && held < len(col.Registrations):
			f.Message += fmt.Sprintf("; the tree keeps %d of them", held)
			f.Fix = fmt.Sprintf("bring back the registration the merge dropped under a new id, its trail kept: casebook renumber %s", col.ID)
		default:
			f.Fix = fmt.Sprintf("resolve the merge so that each record has a file of its own, then give one of them a new id: casebook renumber %s", col.ID)
		}
		f.Message += fmt.Sprintf("; until one has another id, the trail of %s mixes them", col.ID)
		fs = append(fs, f)
	}
	return fs
}
