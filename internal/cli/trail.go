package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/msg"
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
// correction, why, and the clocks it changed ("回复客户：按时 → 已超期").
func writeCorrection(w io.Writer, p *policy.Policy, x *office.Correction, v view) {
	fmt.Fprintln(w, v.say(msg.T("      更正：{what}，批准：{by}", "      更正 correction: {what}，批准 approved by {by}"), msg.Args{"what": x.What, "by": x.ApprovedBy}))
	fmt.Fprintln(w, v.say(msg.T("      原因：{reason}", "      原因 reason: {reason}"), msg.Args{"reason": strings.ReplaceAll(x.Reason, "\n", "\n      ")}))
	for _, c := range x.Clocks {
		name := firstNonEmpty(c.Zh, c.Rule)
		if v.ids() {
			name = c.Rule
		}
		fmt.Fprintln(w, v.say(msg.T("      时限 {name}：{before} → {after}", "      时限 {name}: {before} → {after}"),
			msg.Args{"name": name, "before": clockVerdict(p, c.Before, v), "after": clockVerdict(p, c.After, v)}))
	}
}

// clockVerdict is a clock's state and due time before or after a
// correction; 不计时 when it was not running.
func clockVerdict(p *policy.Policy, c *deadline.Clock, v view) string {
	if c == nil {
		return v.say(msg.T("不计时", "不计 not running"), nil)
	}
	return v.say(msg.T("{state}（截止 {due}）", "{state} (due {due})"), msg.Args{"state": clockState(c.Verdict(), v.Terms), "due": p.TimeText(c.DueAt)})
}
