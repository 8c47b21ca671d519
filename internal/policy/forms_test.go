package policy

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/casebook/casebook/policies"
)

// oldBankForms is the forms block of the bank policy as casebook wrote it
// into offices' policies/bank.yaml before forms were data.
const oldBankForms = `forms:
  - {id: register, zh: 某某农商银行客户投诉(信访)登记簿, en: Complaint register, kind: register, basis: 第八条、附件1}
  - {id: transfer, zh: 客户投诉(信访)转办单, en: Forwarding slip, kind: per_case, basis: 第九条}
  - {id: result_report, zh: 客户投诉(信访)处理结果报告单, en: Result report, kind: per_case, basis: 第十一条、附件3}
`

// bankWith is the embedded bank policy with its forms block replaced by
// forms and every edit applied (old → new).
func bankWith(t *testing.T, forms string, edits ...string) string {
	t.Helper()
	data, err := policies.FS.ReadFile("bank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := string(data)
	i := strings.Index(src, "\nforms:\n")
	if i < 0 {
		t.Fatal("bank.yaml has no forms block")
	}
	if forms != "" {
		src = src[:i+1] + forms
	}
	for k := 0; k+1 < len(edits); k += 2 {
		src = strings.ReplaceAll(src, edits[k], edits[k+1])
	}
	return src
}

func form(p *Policy, id string) Form {
	for _, f := range p.Forms {
		if f.ID == id {
			return f
		}
	}
	return Form{}
}

// TestForms_OldFormat: an office's copy of a built-in policy with forms
// written the old way (id, names, kind) prints them as the built-in has
// them.
func TestForms_OldFormat(t *testing.T) {
	p, err := Load("policies/bank.yaml", []byte(bankWith(t, oldBankForms)))
	if err != nil {
		t.Fatal(err)
	}
	tr := form(p, "transfer")
	if tr.When == "" || len(tr.Fields) == 0 || tr.Fields[0].Path != FormID || len(tr.Signatures) == 0 {
		t.Errorf("transfer = %+v, want the built-in's when, fields and signatures", tr)
	}
	if reg := form(p, "register"); len(reg.Columns) == 0 {
		t.Errorf("register has no columns: %+v", reg)
	}
}

// TestForms_RenamedState: an office copies the bank policy and renames
// the state replied to answered everywhere in the file; its forms follow.
// With the old forms block, the built-in condition names a state the copy
// no longer has, and loading says where and what to do.
func TestForms_RenamedState(t *testing.T) {
	p, err := Load("policies/bank.yaml", []byte(bankWith(t, "", "replied", "answered")))
	if err != nil {
		t.Fatal(err)
	}
	rr := form(p, "result_report")
	if rr.When != `status in ["answered", "closed"]` || !slices.Contains(rr.Sections, FormSection{State: "answered"}) {
		t.Errorf("result_report = %+v, want the renamed state in when and sections", rr)
	}
	if ok, err := p.Eval(rr.When, p.Env(map[string]any{"status": "answered"})); err != nil || !ok {
		t.Errorf("when = %v, %v for an answered case", ok, err)
	}

	old := bankWith(t, oldBankForms, "replied", "answered")
	line := strings.Count(old[:strings.Index(old, "  - {id: result_report")], "\n") + 1
	_, err = Load("policies/bank.yaml", []byte(old))
	if err == nil {
		t.Fatal("old forms block with a renamed state loaded")
	}
	want := `form "result_report" (as the built-in policy bank has it): unknown state "replied"`
	if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), fmt.Sprintf("policies/bank.yaml:%d:5:", line)) {
		t.Errorf("error = %v\nwant it to contain %q with the file and line", err, want)
	}
}
