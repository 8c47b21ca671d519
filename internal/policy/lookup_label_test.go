package policy

import "testing"

func TestLabel_EnumValue(t *testing.T) {
	set, err := LoadSet("")
	if err != nil {
		t.Fatal(err)
	}
	p, _ := set.Get("bank")
	tests := []struct{ kind, id, lang, want string }{
		{"value:satisfaction", "satisfied", "zh", "满意"},
		{"value:satisfaction", "satisfied", "en", "Satisfied"},
		{"value:satisfaction", "nonsense", "zh", "nonsense"},
		{"value:nosuchfield", "x", "zh", "x"},
		{"state", "assigned", "zh", "已转办"},
	}
	for _, tt := range tests {
		if got := p.Label(tt.kind, tt.id, tt.lang); got != tt.want {
			t.Errorf("Label(%q, %q, %q) = %q; want %q", tt.kind, tt.id, tt.lang, got, tt.want)
		}
	}
}
