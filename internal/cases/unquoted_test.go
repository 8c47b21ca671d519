package cases

import (
	"reflect"
	"testing"
)

func TestParse_Unquoted(t *testing.T) {
	src := "---\n" +
		"id: A-1\n" + // 2
		"title: 010\n" + // 3
		"complainant:\n" + // 4
		"  phone: 013800000000\n" + // 5
		"  name: \"013800000000\"\n" + // 6
		"  anonymous: yes\n" + // 7
		"tags: [0x10, '0x10', 1e3, .nan]\n" + // 8
		"a: null\n" + // 9
		"b: ~\n" + // 10
		"c:\n" + // 11
		"d: True\n" + // 12
		"e: !!str 010\n" + // 13
		"f: |\n  010\n" + // 14
		"g: 2026-09-30\n" + // 16
		"h: 12:30\n" + // 17
		// Canonical numbers and booleans read back as written.
		"j: 13800000000\n" + // 18
		"k: false\n" + // 19
		"l: 1.5\n" + // 20
		"i: 1.50\n" + // 21
		"---\n"
	c, err := Parse("x.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []Unquoted{
		{Path: "title", Text: "010", Kind: UnquotedNumber, Line: 3},
		{Path: "complainant.phone", Text: "013800000000", Kind: UnquotedNumber, Line: 5},
		{Path: "complainant.anonymous", Text: "yes", Kind: UnquotedBool11, Line: 7},
		{Path: "tags.0", Text: "0x10", Kind: UnquotedNumber, Line: 8},
		{Path: "tags.2", Text: "1e3", Kind: UnquotedNumber, Line: 8},
		{Path: "tags.3", Text: ".nan", Kind: UnquotedNumber, Line: 8},
		{Path: "a", Text: "null", Kind: UnquotedNull, Line: 9},
		{Path: "d", Text: "True", Kind: UnquotedBool, Line: 12},
		{Path: "i", Text: "1.50", Kind: UnquotedNumber, Line: 21},
	}
	if !reflect.DeepEqual(c.Unquoted, want) {
		t.Errorf("Unquoted =\n%#v\nwant\n%#v", c.Unquoted, want)
	}
	clean, err := Parse("y.md", []byte("---\nid: A-1\nphone: \"010\"\n---\n"))
	if err != nil {
		t.Fatal(err)
	}
	if clean.Unquoted != nil {
		t.Errorf("a case with only text values lists %v", clean.Unquoted)
	}
}

// A core text field written as a number is a FieldError whose fix quotes
// the text as written, not the number YAML read.
func TestParse_CoreFieldUnquotedFix(t *testing.T) {
	c, err := Parse("x.md", []byte("---\nid: A-1\ntitle: 010\n---\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.FieldErrors) != 1 || c.FieldErrors[0].Fix.En != `quote it: title: "010"` || c.FieldErrors[0].Line != 3 {
		t.Errorf("FieldErrors = %+v", c.FieldErrors)
	}
}
