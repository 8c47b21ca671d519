package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
)

type jsonCorrection struct {
	What       string            `json:"what"`
	Reason     string            `json:"reason"`
	ApprovedBy string            `json:"approved_by"`
	Undo       bool              `json:"undo"`
	Clocks     []jsonClockChange `json:"clocks"`
}

// jsonClockChange is a clock before and after a correction; null when it
// was not running.
type jsonClockChange struct {
	Rule   string          `json:"rule"`
	Label  string          `json:"label"`
	Before *jsonClockState `json:"before"`
	After  *jsonClockState `json:"after"`
}

type jsonClockState struct {
	State string `json:"state"`
	DueAt string `json:"due_at"`
}

func correctionJSON(x *office.Correction) *jsonCorrection {
	if x == nil {
		return nil
	}
	out := &jsonCorrection{What: x.What, Reason: x.Reason, ApprovedBy: x.ApprovedBy, Undo: x.Undo(), Clocks: []jsonClockChange{}}
	state := func(c *deadline.Clock) *jsonClockState {
		if c == nil {
			return nil
		}
		return &jsonClockState{State: string(c.State), DueAt: c.DueAt.Format(time.RFC3339)}
	}
	for _, c := range x.Clocks {
		out.Clocks = append(out.Clocks, jsonClockChange{Rule: c.Rule, Label: firstNonEmpty(c.Zh, c.Rule), Before: state(c.Before), After: state(c.After)})
	}
	return out
}

// writeCorrection prints under a step of the trail who approved the
// correction, why, and the clocks it changed ("回复客户: 按时 → 已超期").
func writeCorrection(w io.Writer, p *policy.Policy, x *office.Correction, lang string) {
	fmt.Fprintf(w, "      更正 correction: %s，批准 approved by %s\n", x.What, x.ApprovedBy)
	fmt.Fprintf(w, "      原因 reason: %s\n", strings.ReplaceAll(x.Reason, "\n", "\n      "))
	for _, c := range x.Clocks {
		name := firstNonEmpty(c.Zh, c.Rule)
		if lang == policy.LangIDs {
			name = c.Rule
		}
		fmt.Fprintf(w, "      时限 %s: %s → %s\n", name, clockVerdict(p, c.Before, lang), clockVerdict(p, c.After, lang))
	}
}

func clockVerdict(p *policy.Policy, c *deadline.Clock, lang string) string {
	if c == nil {
		return "不计 not running"
	}
	return clockState(c.Verdict(), lang) + " (due " + p.TimeText(c.DueAt) + ")"
}
