package deadline

import (
	"testing"
	"time"

	"github.com/casebook/casebook/internal/calendar"
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

func TestClock_Distance(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	due := time.Date(2026, 11, 24, 23, 59, 59, 0, cst)
	days := calendar.Period{N: 3, Unit: calendar.WorkingDays}
	hours := calendar.Period{N: 4, Unit: calendar.Hours}
	ended := time.Date(2026, 11, 24, 21, 0, 0, 0, cst)
	tests := []struct {
		name     string
		c        Clock
		now      time.Time
		lang     string
		want     string
		wantLate bool
	}{
		{"three working days left, in Chinese", Clock{Period: days, DueAt: due, DaysLeft: 3}, due.Add(-72 * time.Hour), "zh", "3 个工作日", false},
		{"three working days left, in English", Clock{Period: days, DueAt: due, DaysLeft: 3}, due.Add(-72 * time.Hour), "en", "3 working days", false},
		{"one working day late, in Chinese", Clock{Period: days, DueAt: due, DaysLeft: -1}, due.Add(24 * time.Hour), "zh", "1 个工作日", true},
		{"one working day, in English", Clock{Period: days, DueAt: due, DaysLeft: 1}, due.Add(-time.Hour), "en", "1 working day", false},
		{"an hour clock: hours and minutes in Chinese", Clock{Period: hours, DueAt: due}, due.Add(-125 * time.Minute), "zh", "2 小时 5 分钟", false},
		{"an hour clock: whole hours in English", Clock{Period: hours, DueAt: due}, due.Add(-2 * time.Hour), "en", "2 h", false},
		{"an hour clock: minutes late in Chinese", Clock{Period: hours, DueAt: due}, due.Add(10 * time.Minute), "zh", "10 分钟", true},
		{"an ended clock counts to its end", Clock{Period: hours, DueAt: due, EndedAt: &ended}, due.Add(48 * time.Hour), "en", "3 h", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, late := tt.c.Distance(tt.now, tt.lang)
			if got != tt.want || late != tt.wantLate {
				t.Errorf("Distance = %q, %v; want %q, %v", got, late, tt.want, tt.wantLate)
			}
		})
	}
}
