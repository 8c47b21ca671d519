package validate

import "testing"

func TestWellFormedID(t *testing.T) {
	tests := []struct {
		name, id string
		ok       bool
	}{
		{"allocated id", "BANK-2026-0007", true},
		{"lower case", "net-2026-0001", true},
		{"empty", "", false},
		{"parent folder", "../../x", false},
		{"slash", "BANK/2026", false},
		{"backslash", `BANK\2026`, false},
		{"absolute path", "/etc/passwd", false},
		{".git", ".git", false},
		{"NUL", "BANK\x00", false},
		{"leading digit", "2026-0001", false},
		{"trailing hyphen", "BANK-", false},
		{"double hyphen", "BANK--1", false},
		{"markup", "<b>", false},
		{"Chinese", "投诉-2026-0001", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := wellFormedID(tt.id); got != tt.ok {
				t.Errorf("wellFormedID(%q) = %v, want %v", tt.id, got, tt.ok)
			}
		})
	}
}
