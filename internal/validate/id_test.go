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

func TestIDShape(t *testing.T) {
	tests := []struct {
		name, id, prefix, want string
	}{
		{"allocated id", "BANK-2026-0007", "BANK", ""},
		{"more digits", "BANK-2026-10000", "BANK", ""},
		{"unknown policy, any upper-case prefix", "FOOD-2026-0001", "", ""},
		{"Cyrillic A in the prefix", "BАNK-2026-0007", "BANK", `id "BАNK-2026-0007" has U+0410 CYRILLIC CAPITAL LETTER A at position 2; use the Latin letter A`},
		{"Greek omicron for O", "ΟK-2026-0001", "OK", `id "ΟK-2026-0001" has U+039F GREEK CAPITAL LETTER OMICRON at position 1; use the Latin letter O`},
		{"full-width digit", "BANK-２026-0007", "BANK", `id "BANK-２026-0007" has U+FF12 FULLWIDTH DIGIT TWO at position 6; use the ASCII digit 2 (switch the input method to half width)`},
		{"full-width letter", "ＢANK-2026-0007", "BANK", `id "ＢANK-2026-0007" has U+FF22 FULLWIDTH LATIN CAPITAL LETTER B at position 1; use the ASCII letter B (switch the input method to half width)`},
		{"U+2010 hyphen", "BANK‐2026-0007", "BANK", `id "BANK‐2026-0007" has U+2010 HYPHEN at position 5; use the ASCII hyphen-minus`},
		{"en dash", "BANK–2026-0007", "BANK", `id "BANK–2026-0007" has U+2013 EN DASH at position 5; use the ASCII hyphen-minus`},
		{"zero-width space", "BANK-2026-\u200b0007", "BANK", `id "BANK-2026-\u200b0007" has U+200B ZERO WIDTH SPACE at position 11; it is invisible: delete it`},
		{"Arabic-Indic digit", "BANK-2026-٠007", "BANK", `id "BANK-2026-٠007" has U+0660 '٠', a digit that is not ASCII at position 11; use the ASCII digits 0-9`},
		{"Chinese", "投诉-2026-0001", "BANK", `id "投诉-2026-0001" has U+6295 '投' at position 1; ids are ASCII letters, digits and hyphens`},
		{"path", "../../x", "BANK", `id "../../x" is not a case id: ids are letters, digits and hyphens`},
		{"wrong prefix", "FOOD-2026-0001", "BANK", `id "FOOD-2026-0001" does not start with BANK-, the prefix of its policy`},
		{"lower-case prefix", "bank-2026-0001", "BANK", `id "bank-2026-0001" does not start with BANK-, the prefix of its policy`},
		{"lower-case prefix, policy unknown", "bank-2026-0001", "", `id "bank-2026-0001" does not start with an upper-case prefix such as BANK-`},
		{"two-digit year", "BANK-26-0001", "BANK", `id "BANK-26-0001" is not BANK-YYYY-NNNN: a four-digit year and a number after the prefix`},
		{"no number", "BANK-2026", "BANK", `id "BANK-2026" is not BANK-YYYY-NNNN: a four-digit year and a number after the prefix`},
		{"letters in the number", "BANK-2026-00A7", "BANK", `id "BANK-2026-00A7" is not BANK-YYYY-NNNN: a four-digit year and a number after the prefix`},
		{"a fourth part", "BANK-2026-0001-2", "BANK", `id "BANK-2026-0001-2" is not BANK-YYYY-NNNN: a four-digit year and a number after the prefix`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := idShape(tt.id, tt.prefix).En; got != tt.want {
				t.Errorf("idShape(%q, %q) =\n  %s\nwant\n  %s", tt.id, tt.prefix, got, tt.want)
			}
		})
	}
}

func TestASCIISkeleton(t *testing.T) {
	for in, want := range map[string]string{
		"BАNK‐２０２６-\u200b0007": "BANK-2026-0007",
		"投诉-2026-0001":         "投诉-2026-0001",
	} {
		if got := asciiSkeleton(in); got != want {
			t.Errorf("asciiSkeleton(%q) = %q, want %q", in, got, want)
		}
	}
}
