package scaffold

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestFiles(t *testing.T) {
	fs, err := Files(Office{PolicyID: "bank", PolicyName: "农商银行客户投诉(信访)处理办法", Prefix: "BANK", PolicyYAML: []byte("id: bank\n")})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range fs {
		got[f.Path] = string(f.Data)
	}
	for _, p := range []string{"cases/.gitkeep", "templates/.gitkeep", "site/.gitkeep", "policies/bank.yaml", ".gitignore", "README.md", ".github/workflows/casebook.yml", ".gitlab-ci.yml"} {
		if _, ok := got[p]; !ok {
			t.Errorf("missing %s", p)
		}
	}
	if got["policies/bank.yaml"] != "id: bank\n" {
		t.Errorf("policy not copied verbatim: %q", got["policies/bank.yaml"])
	}
	if !strings.Contains(got["README.md"], "# 农商银行客户投诉(信访)处理办法") || !strings.Contains(got["README.md"], "BANK-2026-0001") {
		t.Errorf("README not filled in:\n%s", got["README.md"])
	}
	// The clerks' instructions for working together: clone, sync, and what to do after a
	// collision or a conflict.
	for _, want := range []string{"git clone", "casebook sync", "Casebook-Renumbered", "casebook show 旧编号", "git pull --no-rebase", "casebook renumber", "id.collision", "CASEBOOK_GIT_USERNAME"} {
		if !strings.Contains(got["README.md"], want) {
			t.Errorf("README does not say %q", want)
		}
	}
	for _, p := range []string{".github/workflows/casebook.yml", ".gitlab-ci.yml"} {
		var v map[string]any
		if err := yaml.Unmarshal([]byte(got[p]), &v); err != nil {
			t.Errorf("%s is not YAML: %v", p, err)
		}
		if !strings.Contains(got[p], "casebook validate --format") {
			t.Errorf("%s does not validate", p)
		}
	}
	for _, l := range GitignoreLines {
		if !strings.Contains(got[".gitignore"], l+"\n") {
			t.Errorf(".gitignore lacks %q", l)
		}
	}
}
