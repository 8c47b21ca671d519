package policy

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/casebook/casebook/policies"
)

func TestLoad_Office(t *testing.T) {
	p := mustLoad(t, edit(t, "prefix: TST\n", "prefix: TST\noffice: 城关农商银行监察室\n"))
	if p.Office != "城关农商银行监察室" {
		t.Errorf("Office = %q", p.Office)
	}
	if p := mustLoad(t, basePolicy); p.Office != "" {
		t.Errorf("a policy without office: Office = %q", p.Office)
	}
}

func TestLoad_OfficeProblems(t *testing.T) {
	tests := []struct{ name, line, msg string }{
		{"line break", "office: \"城关\\n监察室\"\n", `office "城关\n监察室" holds a line break`},
		{"spaces around", "office: \" 城关监察室\"\n", "starts or ends with spaces"},
		{"too long", "office: " + strings.Repeat("监", 101) + "\n", "longer than 100 characters"},
		{"placeholder with a tab", "office_placeholder: \"某某\\t\"\n", `office_placeholder "某某\t"`},
		{"not text", "office: [城关]\n", "office must be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantProblem(t, edit(t, "prefix: TST\n", "prefix: TST\n"+tt.line), tt.msg, "office")
		})
	}
}

func TestOfficeText(t *testing.T) {
	tests := []struct {
		name, office, mark, in, want string
	}{
		{"no office keeps the procedure's words", "", "", "某某农商银行客户投诉(信访)登记簿", "某某农商银行客户投诉(信访)登记簿"},
		{"default placeholder", "城关监察室", "", "某某客户投诉登记簿", "城关监察室客户投诉登记簿"},
		{"the policy's placeholder", "城关农商银行监察室", "某某农商银行", "某某农商银行客户投诉(信访)登记簿", "城关农商银行监察室客户投诉(信访)登记簿"},
		{"every occurrence", "甲", "某某", "某某与某某", "甲与甲"},
		{"text without the placeholder", "甲", "", "客户投诉登记表", "客户投诉登记表"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Policy{Office: tt.office, OfficePlaceholder: tt.mark}
			if got := p.OfficeText(tt.in); got != tt.want {
				t.Errorf("OfficeText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestOfficeText_BankRegister: the bank's register is named as its 附件1
// names it until the office gives its name.
func TestOfficeText_BankRegister(t *testing.T) {
	data, err := policies.FS.ReadFile("bank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Load("embedded:bank.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	var register string
	for _, f := range p.Forms {
		if f.ID == "register" {
			register = f.Zh
		}
	}
	if got := p.OfficeText(register); got != "某某农商银行客户投诉(信访)登记簿" {
		t.Errorf("without office: %q", got)
	}
	p.Office = "城关农商银行监察室"
	if got := p.OfficeText(register); got != "城关农商银行监察室客户投诉(信访)登记簿" {
		t.Errorf("with office: %q", got)
	}
}

func TestSet_OfficeName(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "policies", "a.yaml"), policyWithID("a", "AAA")+"office: 城关监察室\n")
	writeFile(t, filepath.Join(root, "policies", "b.yaml"), policyWithID("b", "BBB")+"office: 城关监察室\n")
	writeFile(t, filepath.Join(root, "policies", "c.yaml"), policyWithID("c", "CCC")+"office: 西关监察室\n")
	writeFile(t, filepath.Join(root, "policies", "d.yaml"), policyWithID("d", "DDD"))
	s, err := LoadSet(root)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.OfficeName(); got != "城关监察室、西关监察室" {
		t.Errorf("OfficeName = %q", got)
	}
	embedded, err := LoadSet("")
	if err != nil {
		t.Fatal(err)
	}
	if got := embedded.OfficeName(); got != "" {
		t.Errorf("the built-in policies name office %q", got)
	}
}
