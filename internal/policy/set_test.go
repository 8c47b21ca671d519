package policy

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casebook/casebook/policies"
)

// defaultPolicies are the policies the binary must carry (DESIGN.md).
var defaultPolicies = []string{"bank", "food", "hotline", "internet", "tendering"}

func TestEmbeddedPoliciesLoad(t *testing.T) {
	for _, id := range defaultPolicies {
		t.Run(id, func(t *testing.T) {
			data, err := policies.FS.ReadFile(id + ".yaml")
			if errors.Is(err, fs.ErrNotExist) {
				t.Skipf("%s.yaml is not written yet", id)
			}
			if err != nil {
				t.Fatal(err)
			}
			p, err := Load("embedded:"+id+".yaml", data)
			if err != nil {
				t.Fatalf("\n%v", err)
			}
			if p.ID != id {
				t.Errorf("id = %q, want %q", p.ID, id)
			}
		})
	}
}

func TestEmbeddedBankVocabulary(t *testing.T) {
	data, err := policies.FS.ReadFile("bank.yaml")
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("bank.yaml is not written yet")
	}
	p, err := Load("embedded:bank.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	moves := []struct {
		from, to string
		want     bool
	}{
		{"received", "assigned", true},
		{"received", "replied", true},
		{"assigned", "replied", true},
		{"replied", "closed", true},
		{"closed", "assigned", true},
		{"assigned", "withdrawn", true},
		{"assigned", "received", false},
		{"closed", "received", false},
	}
	for _, m := range moves {
		if _, got := p.TransitionAllowed(m.from, m.to); got != m.want {
			t.Errorf("bank %s -> %s allowed = %v, want %v", m.from, m.to, got, m.want)
		}
	}
	for _, c := range []string{"work_error", "attitude", "management", "product", "service_channel", "violation", "financial_crime", "anonymous"} {
		if _, ok := p.Category(c); !ok {
			t.Errorf("bank lacks category %q", c)
		}
	}
	for _, c := range []string{"phone", "suggestion_box", "online", "visit", "letter", "media", "regulator", "government"} {
		if _, ok := p.Channel(c); !ok {
			t.Errorf("bank lacks channel %q", c)
		}
	}
}

func writeFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func policyWithID(id, prefix string) string {
	src := strings.Replace(basePolicy, "id: test\n", "id: "+id+"\n", 1)
	return strings.Replace(src, "prefix: TST", "prefix: "+prefix, 1)
}

func embeddedIDs(t *testing.T) []string {
	t.Helper()
	names, err := fs.Glob(policies.FS, "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(names))
	for i, n := range names {
		ids[i] = strings.TrimSuffix(n, ".yaml")
	}
	return ids
}

func TestLoadSet(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "policies", "bank.yaml"), policyWithID("bank", "MYBANK"))
	writeFile(t, filepath.Join(root, "policies", "acknowledged.yaml"), "- {code: history.deleted}\n")
	s, err := LoadSet(root)
	if err != nil {
		t.Fatalf("\n%v", err)
	}
	bank, ok := s.Get("bank")
	if !ok || bank.Prefix != "MYBANK" {
		t.Fatalf("bank not overridden by the repository's file: %+v", bank)
	}
	if got := s.Source("bank"); got != "policies/bank.yaml" {
		t.Errorf("Source(bank) = %q", got)
	}
	if only, ok := s.Only(); !ok || only.ID != "bank" {
		t.Errorf("Only() = %v, %v; want bank: the repository holds one policy", only, ok)
	}
	want := embeddedIDs(t)
	if !strings.Contains(strings.Join(want, ","), "bank") {
		want = append([]string{"bank"}, want...)
	}
	if got := s.IDs(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("IDs = %v, want %v", got, want)
	}
	for _, id := range s.IDs() {
		if id != "bank" && s.Source(id) != "embedded" {
			t.Errorf("Source(%s) = %q, want embedded", id, s.Source(id))
		}
	}
}

func TestLoadSet_OwnPolicies(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "policies", "alpha.yaml"), policyWithID("alpha", "A"))
	writeFile(t, filepath.Join(root, "policies", "beta.yaml"), policyWithID("beta", "B"))
	s, err := LoadSet(root)
	if err != nil {
		t.Fatalf("\n%v", err)
	}
	if _, ok := s.Only(); ok {
		t.Error("Only() chose a policy among two of the repository's own")
	}
	if _, ok := s.Get("alpha"); !ok {
		t.Error("alpha missing")
	}
}

func TestLoadSet_Problems(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "policies", "alpha.yaml"), policyWithID("beta", "A"))
	writeFile(t, filepath.Join(root, "policies", "gamma.yaml"), strings.Replace(policyWithID("gamma", "G"), "prefix: G\n", "prefix: G\nstats: {}\n", 1))
	_, err := LoadSet(root)
	es := ErrorList(err)
	if len(es) != 2 {
		t.Fatalf("want 2 problems, got:\n%v", err)
	}
	if es[0].File != "policies/alpha.yaml" || !es[0].Msg.Has(`policy id "beta" differs from the file name`) {
		t.Errorf("first problem = %v", es[0])
	}
	if es[1].File != "policies/gamma.yaml" || es[1].Line != 4 {
		t.Errorf("second problem = %v, want policies/gamma.yaml line 4", es[1])
	}
}

func TestCheck(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "good.yaml"), basePolicy)
	writeFile(t, filepath.Join(root, "bad.yaml"), strings.Replace(basePolicy, "prefix: TST", "prefix: tst", 1))
	if errs := Check(root, "good.yaml"); errs != nil {
		t.Errorf("Check(good) = %v", errs)
	}
	errs := Check(root, "good.yaml", "bad.yaml", "missing.yaml")
	if len(errs) != 2 || errs[0].File != "bad.yaml" || errs[0].Line != 3 || errs[1].File != "missing.yaml" {
		t.Errorf("Check = %v", errs)
	}
}
