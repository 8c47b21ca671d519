package site

import (
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/office"
)

// CorrectionView is a recorded correction on a case page's timeline: what
// it did, who approved it, why, and each clock it changed, before → after.
type CorrectionView struct {
	What, ApprovedBy, Reason string
	Clocks                   []ClockChangeView
}

// ClockChangeView is one clock's verdict before and after a correction.
type ClockChangeView struct{ Label, Before, After string }

var correctionWords = map[string][2]string{
	"correction":  {"更正", "Correction"},
	"approved_by": {"批准人", "Approved by"},
	"reason":      {"原因", "Reason"},
	"not_running": {"不计时", "not running"},
}

func init() {
	addWords("correction", correctionWords)
}

func correctionView(r *office.Record, x *office.Correction, lang string) *CorrectionView {
	if x == nil {
		return nil
	}
	v := &CorrectionView{What: x.What, ApprovedBy: x.ApprovedBy, Reason: x.Reason}
	verdict := func(c *deadline.Clock) string {
		if c == nil {
			return word(lang, "not_running")
		}
		return c.Verdict().Label(lang) + " (" + c.DueAt.In(loc(r)).Format(timeLayout) + ")"
	}
	for _, c := range x.Clocks {
		label := c.Zh
		if lang == "en" && c.En != "" {
			label = c.En
		}
		if label == "" {
			label = c.Rule
		}
		v.Clocks = append(v.Clocks, ClockChangeView{Label: label, Before: verdict(c.Before), After: verdict(c.After)})
	}
	return v
}
