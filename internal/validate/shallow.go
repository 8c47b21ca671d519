package validate

import (
	"fmt"
	"strings"

	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/office"
)

// In a shallow clone (git clone --depth, a CI checkout) the commits before the boundary
// are missing, and the boundary commit reads as registering every case file it holds, at
// its date: judged as they stand, those cases would get false findings (a reply made on
// time long ago seen as made at the boundary, a state never visited). So validate refuses
// a shallow clone unless --since is given. With --since it judges the cases registered
// after the boundary, whose whole history is here, as a full clone would, and names the
// others in one history.shallow warning instead of judging them.

// unjudgedCases returns the ids of the cases whose history a shallow clone lacks (nil in
// a whole clone), or, without --since, the error that refuses the shallow clone.
func unjudgedCases(o *office.Office, opts Options) (map[string]bool, error) {
	if o.History == nil || len(o.History.Shallow) == 0 {
		return nil, nil
	}
	if opts.Since == "" {
		return nil, o.History.NeedWhole("every case file there would look registered by that commit, and validate would report false findings",
			"give --since REV to judge only the cases registered after that commit")
	}
	out := map[string]bool{}
	for _, id := range o.History.TruncatedCases() {
		out[id] = true
	}
	return out, nil
}

// excuseAcks keeps acknowledgements that may be about what a shallow clone does not
// judge (an unjudged case, or any case) from being reported as ack.unused.
func excuseAcks(acks []*Ack, unjudged map[string]bool) {
	if unjudged == nil {
		return
	}
	for _, a := range acks {
		if a.Case == "" || unjudged[a.Case] {
			a.used = true
		}
	}
}

// dropUnjudged removes the findings about unjudged cases and names those cases in one
// history.shallow warning.
func dropUnjudged(o *office.Office, fs []Finding, unjudged map[string]bool) []Finding {
	if len(unjudged) == 0 {
		return fs
	}
	kept := fs[:0]
	for _, f := range fs {
		if f.Case == "" || !unjudged[f.Case] {
			kept = append(kept, f)
		}
	}
	ids := o.History.TruncatedCases()
	const named = 10
	shown := ids[:min(named, len(ids))]
	list := msg.Text{Zh: strings.Join(shown, "、"), En: strings.Join(shown, ", ")}
	if len(ids) > named {
		list.Zh += fmt.Sprintf(" 等（另有 %d 个）", len(ids)-named)
		list.En += fmt.Sprintf(" and %d more", len(ids)-named)
	}
	f := Finding{Severity: severityOf("history.shallow"), Code: "history.shallow", Commit: o.History.Shallow[0]}
	f.Say("unjudged", msg.Args{"commit": o.History.Shallow[0][:7], "count": len(ids), "cases": list})
	return append(kept, f)
}
