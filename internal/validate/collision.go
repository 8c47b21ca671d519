package validate

import (
	"fmt"
	"strings"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/msg"
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
		var regZh, regEn []string
		held := 0
		for _, r := range col.Registrations {
			title := "?"
			c, ok := office.VersionCase(o.Repo, nil, r.Created)
			if ok && c.Title != "" {
				title = c.Title
			}
			at := msg.At(r.Created.At, zoneOf(o, c))
			regZh = append(regZh, fmt.Sprintf("提交 %s（%s，%s）登记的「%s」", short(r.Created.Commit), r.Created.Actor, at.In(msg.Zh), title))
			regEn = append(regEn, fmt.Sprintf("commit %s (%s, %s) for 「%s」", short(r.Created.Commit), r.Created.Actor, at.In(msg.En), title))
			if r.Held {
				held++
			}
		}
		last := col.Registrations[len(col.Registrations)-1]
		f := Finding{Severity: severityOf("id.collision"), Code: "id.collision", Case: col.ID, Commit: last.Created.Commit, File: last.Tip.Path}
		args := msg.Args{"id": col.ID, "n": len(col.Registrations), "held": held,
			"regs": msg.Text{Zh: strings.Join(regZh, "，以及"), En: strings.Join(regEn, " and by ")}}
		if len(files) > 0 {
			f.File, f.Line = files[0].File, files[0].Line("id")
		}
		switch {
		case len(files) > 1 && held == len(col.Registrations):
			args["file"] = files[len(files)-1].File
			f.Say("all_kept", args)
		case len(files) > 0 && held < len(col.Registrations):
			f.Say("some_dropped", args)
		default:
			f.Say("unresolved", args)
		}
		fs = append(fs, f)
	}
	return fs
}
