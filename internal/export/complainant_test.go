package export

import (
	"testing"

	"filippo.io/age"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/seal"
)

func TestComplainantName(t *testing.T) {
	p := bankPolicy(t)
	mine, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	other, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	rs, err := seal.ParseRecipients(seal.File, []byte(mine.Recipient().String()+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	all, err := rs.Without(nil)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := seal.Seal(all, "BANK-2026-0001", "complainant.name", "王某")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		complainant any
		ids         []seal.Identity
		want        string
		wantErr     bool
	}{
		{"an anonymous case hides the name", map[string]any{"anonymous": true, "name": "王某"}, nil, "匿名", false},
		{"a plain name", map[string]any{"name": "王某"}, nil, "王某", false},
		{"no name recorded", map[string]any{"phone": "13800000000"}, nil, "", false},
		{"a sealed name opened with the identity", map[string]any{"name": sealed}, []seal.Identity{mine}, "王某", false},
		{"a sealed name another identity cannot open", map[string]any{"name": sealed}, []seal.Identity{other}, "已隐藏", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &office.Record{Policy: p, Case: &cases.Case{ID: "BANK-2026-0001", Fields: map[string]any{"complainant": tt.complainant}}}
			got, errs := ComplainantName(r, tt.ids)
			if got != tt.want || (len(errs) > 0) != tt.wantErr {
				t.Errorf("ComplainantName = %q, %v; want %q, errors %v", got, errs, tt.want, tt.wantErr)
			}
		})
	}
}
