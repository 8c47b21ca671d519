package cases

import (
	"slices"
	"testing"
)

func TestCase_Related(t *testing.T) {
	tests := []struct {
		name    string
		related string // the related: line of the front-matter; "" for none
		want    []Relation
	}{
		{"no related key", "", nil},
		{"plain ids", "related: [BANK-2026-0001, BANK-2026-0002]", []Relation{{ID: "BANK-2026-0001"}, {ID: "BANK-2026-0002"}}},
		{"links with their relation, as link writes them", "related: [{id: BANK-2026-0001, as: repeat}, {id: BANK-2026-0003}]",
			[]Relation{{ID: "BANK-2026-0001", As: "repeat"}, {ID: "BANK-2026-0003"}}},
		{"items that name no case are left out", "related: [42, {as: repeat}, BANK-2026-0004]", []Relation{{ID: "BANK-2026-0004"}}},
		{"not a list", "related: BANK-2026-0001", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "---\nid: BANK-2026-0002\nstatus: received\n" + tt.related + "\n---\n"
			c, err := Parse("cases/2026/11/02/BANK-2026-0002.md", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Related(); !slices.Equal(got, tt.want) {
				t.Errorf("Related = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCase_AttachmentPaths(t *testing.T) {
	c := &Case{File: "cases/2026/11/02/BANK-2026-0002/index.md", Bundle: true, Attachments: []string{"录音记录.txt", "照片/柜台.md"}}
	want := []string{"cases/2026/11/02/BANK-2026-0002/录音记录.txt", "cases/2026/11/02/BANK-2026-0002/照片/柜台.md"}
	if got := c.AttachmentPaths(); !slices.Equal(got, want) {
		t.Errorf("AttachmentPaths = %v, want %v", got, want)
	}
	if got := (&Case{File: "cases/2026/11/02/BANK-2026-0001.md"}).AttachmentPaths(); len(got) != 0 {
		t.Errorf("a plain case file has attachments %v", got)
	}
}
