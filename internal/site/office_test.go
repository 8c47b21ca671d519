package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/scaffold"
)

// TestBuild_OfficeName: the policy's office: heads every page and every
// form, and takes the place of the procedure's words for the office in
// the bank's register (附件1); an office without one keeps 某某.
func TestBuild_OfficeName(t *testing.T) {
	const name = "城关农商银行监察室"
	plain := build(t, newRepo(t, formCases(t)), Options{})
	files := formCases(t)
	bank, err := os.ReadFile(filepath.Join("..", "..", "policies", "bank.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	named, err := scaffold.WithOffice(bank, name)
	if err != nil {
		t.Fatal(err)
	}
	dir := newRepo(t, files)
	if err := os.WriteFile(filepath.Join(dir, "policies", "bank.yaml"), named, 0o644); err != nil {
		t.Fatal(err)
	}
	got := build(t, dir, Options{})

	const register = "forms/bank-register.html"
	if s := string(plain[register]); !strings.Contains(s, "<h1>某某农商银行客户投诉(信访)登记簿</h1>") {
		t.Errorf("%s without office: no 某某农商银行 title", register)
	}
	if s := string(got[register]); !strings.Contains(s, "<h1>"+name+"客户投诉(信访)登记簿</h1>") ||
		!strings.Contains(s, `<p class="form-office">单位: `+name+`</p>`) {
		t.Errorf("%s with office: title or office line missing", register)
	}
	if s := string(got["forms/index.html"]); !strings.Contains(s, name+"客户投诉(信访)登记簿") {
		t.Errorf("forms/index.html does not name the register with the office")
	}
	for rel, b := range got {
		if !strings.HasSuffix(rel, ".html") {
			continue
		}
		if !strings.Contains(string(b), `<p class="office">`+name+`</p>`) {
			t.Errorf("%s: no office name in the header", rel)
		}
		if strings.Contains(string(b), "某某农商银行") {
			t.Errorf("%s still says 某某农商银行", rel)
		}
	}
	for rel, b := range plain {
		if strings.Contains(string(b), `class="office"`) || strings.Contains(string(b), `class="form-office"`) {
			t.Errorf("%s: an office line without an office name", rel)
		}
	}
	if !strings.Contains(string(got["stats.json"]), `"office": "`+name+`"`) || !strings.Contains(string(plain["stats.json"]), `"office": ""`) {
		t.Errorf("stats.json does not carry the office's name:\n%s", got["stats.json"])
	}
	// The food record belongs to a policy without an office: its form
	// has no office line.
	for rel, b := range withSheets(got) {
		if strings.HasPrefix(rel, "cases/FOOD-") && strings.Contains(string(b), `class="form-office"`) {
			t.Errorf("%s: food's policy names no office, but its form has an office line", rel)
		}
	}
}
