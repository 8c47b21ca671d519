package deadline

import "testing"

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
