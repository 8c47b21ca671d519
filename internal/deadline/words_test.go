package deadline

import (
	"testing"
	"time"
)

func TestStateLabel(t *testing.T) {
	tests := []struct {
		name string
		s    State
		lang string
		want string
	}{
		{"a running clock in Chinese", Pending, "zh", "进行中"},
		{"a clock in its warning window in Chinese", AtRisk, "zh", "即将到期"},
		{"an overdue clock in Chinese", Overdue, "zh", "已超期"},
		{"a clock met in English", Met, "en", "met"},
		{"a duty left undone in Chinese", NotDone, "zh", "未办理"},
		{"an unknown state as its id", State("frozen"), "zh", "frozen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.Label(tt.lang); got != tt.want {
				t.Errorf("%s.Label(%q) = %q; want %q", tt.s, tt.lang, got, tt.want)
			}
		})
	}
}

func TestNext(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 23, 59, 0, 0, time.UTC) }
	ended := day(1)
	tests := []struct {
		name   string
		clocks []Clock
		want   string
		ok     bool
	}{
		{"no clocks: no next deadline", nil, "", false},
		{"every clock ended: no next deadline", []Clock{{Rule: "reply", DueAt: day(5), EndedAt: &ended}}, "", false},
		{"the earliest running clock, not the earliest of all", []Clock{
			{Rule: "ack", DueAt: day(2), EndedAt: &ended}, {Rule: "reply", DueAt: day(9)}, {Rule: "verify", DueAt: day(7)}}, "verify", true},
		{"the same due time: the rule id decides", []Clock{{Rule: "reply", DueAt: day(5)}, {Rule: "ack", DueAt: day(5)}}, "ack", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Next(tt.clocks)
			if ok != tt.ok || got.Rule != tt.want {
				t.Errorf("Next = %q, %v; want %q, %v", got.Rule, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestClockName(t *testing.T) {
	tests := []struct {
		name  string
		clock Clock
		lang  string
		want  string
	}{
		{"a first run by its Chinese label", Clock{Rule: "reply", Zh: "回复客户", En: "Reply"}, "zh", "回复客户"},
		{"a first run by its English label", Clock{Rule: "reply", Zh: "回复客户", En: "Reply"}, "en", "Reply"},
		{"a reopening after the Chinese label", Clock{Rule: "reply", Zh: "回复客户", En: "Reply", Cycle: 1}, "zh", "回复客户 (重新办理1)"},
		{"a later report after the English label", Clock{Rule: "report", Zh: "报告", En: "Report", Report: 2}, "en", "Report (report 2)"},
		{"no English label: the Chinese one", Clock{Rule: "reply", Zh: "回复客户"}, "en", "回复客户"},
		{"no Chinese label: the English one", Clock{Rule: "reply", En: "Reply"}, "zh", "Reply"},
		{"no labels: the rule id", Clock{Rule: "reply"}, "zh", "reply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.clock.Name(tt.lang); got != tt.want {
				t.Errorf("Name(%q) = %q; want %q", tt.lang, got, tt.want)
			}
		})
	}
}
