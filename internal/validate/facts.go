package validate

import (
	"fmt"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
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
		label := msg.Same(fc.Field)
		if f, ok := r.Policy.Field(fc.Field); ok && f.Zh != "" {
			label = msg.Text{Zh: f.Zh, En: fmt.Sprintf("%s (%s)", fc.Field, f.Zh)}
		}
		old, changed := factArg(r.Policy, fc.Old), factArg(r.Policy, fc.New)
		variant := "committed"
		if fc.Commit == "" {
			variant = "uncommitted"
		}
		f := findingSays(r, "history.fact_changed", fc.Field, variant, msg.Args{"commit": short(fc.Commit), "actor": fc.Actor, "field": label,
			"old": old, "new": changed, "verdicts": verdicts(r.Policy, r.Clocks, alt, old, changed),
			"old_value": factText(fc.Old), "new_value": factText(fc.New), "case": r.Case.ID, "key": fc.Field})
		f.Commit = fc.Commit
		fs = append(fs, f)
	}
	return fs
}

// verdicts names the clocks whose due time or state the two values set
// apart, "rule due X (state) with A, due Y (state) with B". A clock is
// matched with the run of the same rule, cycle and report.
func verdicts(p *policy.Policy, held, alt []deadline.Clock, a, b msg.Text) msg.Text {
	var zh, en []string
	same := func(x, y deadline.Clock) bool {
		return x.Rule == y.Rule && x.Cycle == y.Cycle && x.Report == y.Report
	}
	// due is a clock's verdict with one value: "due X (state) with A".
	due := func(c deadline.Clock, with msg.Text) (string, string) {
		return fmt.Sprintf("用 %s 时 %s 到期（%s）", with.Zh, p.At(c.DueAt).In(msg.Zh), c.State.Label(msg.Zh)),
			fmt.Sprintf("due %s (%s) with %s", c.DueAt.Format(time.RFC3339), c.State, with.En)
	}
	none := func(c deadline.Clock, with, without msg.Text) {
		z, e := due(c, with)
		zh = append(zh, fmt.Sprintf("「%s」%s，用 %s 时没有这个时钟", c.Name(msg.Zh), z, without.Zh))
		en = append(en, fmt.Sprintf("%s %s, no such clock with %s", c.Rule, e, without.En))
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
			none(h, a, b)
		case !other.DueAt.Equal(h.DueAt) || other.State != h.State:
			z1, e1 := due(h, a)
			z2, e2 := due(*other, b)
			zh = append(zh, fmt.Sprintf("「%s」%s，%s", h.Name(msg.Zh), z1, z2))
			en = append(en, fmt.Sprintf("%s %s, %s", h.Rule, e1, e2))
		}
	}
	for _, x := range alt {
		found := false
		for _, h := range held {
			found = found || same(h, x)
		}
		if !found {
			none(x, b, a)
		}
	}
	if len(en) == 0 {
		return msg.Text{Zh: "两个值下时钟的结论相同", En: "the clocks give the same verdict with either value"}
	}
	return msg.Text{Zh: strings.Join(zh, "；"), En: strings.Join(en, "; ")}
}

func factText(v any) string { return office.FactText(v) }

// factArg is a fact's value in a message: a time as a clerk reads it in
// the policy's zone in Chinese words, as --set takes it in English ones.
func factArg(p *policy.Policy, v any) msg.Text {
	switch x := v.(type) {
	case nil:
		return msg.Text{Zh: "（无）", En: factText(v)}
	case time.Time:
		return msg.Text{Zh: p.At(x).In(msg.Zh), En: factText(v)}
	case string:
		if t, err := time.Parse(time.RFC3339, x); err == nil {
			return msg.Text{Zh: p.At(t).In(msg.Zh), En: x}
		}
	case []any:
		zh := make([]string, len(x))
		for i, item := range x {
			zh[i] = factArg(p, item).Zh
		}
		return msg.Text{Zh: strings.Join(zh, "、"), En: factText(v)}
	}
	return msg.Same(factText(v))
}
