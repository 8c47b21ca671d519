package scaffold

import (
	"io/fs"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/policies"
)

func TestFiles(t *testing.T) {
	fs, err := Files(Office{PolicyID: "bank", PolicyName: "农商银行客户投诉(信访)处理办法", Prefix: "BANK", PolicyYAML: []byte("id: bank\n"), CasebookVersion: "v1.0.0", GoVersion: "1.26"})
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

// TestExampleOf_EveryPolicy guards the README of an office made for each
// built-in policy: its example uses the policy's own channel, category and
// first move, with what that move requires.
func TestExampleOf_EveryPolicy(t *testing.T) {
	tests := []struct {
		policy, channel, category, move string
		sets                            []string
	}{
		{"bank", "phone", "work_error", "assigned", []string{"assignee=赵某", "department=监察室", "leader_opinion.by=王主任", "leader_opinion.at=2026-10-08T09:00:00+08:00"}},
		{"xinfang", "online", "suggestion", "accepted", []string{"assignee=赵某", "department=监察室"}},
		{"market", "platform", "quality", "accepted", []string{"assignee=赵某", "department=监察室", "mediator=某某", "decision_notified_at=2026-10-08T09:00:00+08:00",
			"complainant.address=某某", "respondent.unit=某某", "respondent.address=某某"}},
		{"bankins", "phone", "deposit", "handling", []string{"assignee=赵某", "department=监察室"}},
		{"tendering", "document", "bidding_irregularity", "assigned", []string{"assignee=赵某"}},
	}
	for _, tt := range tests {
		t.Run(tt.policy, func(t *testing.T) {
			data, err := fs.ReadFile(policies.FS, tt.policy+".yaml")
			if err != nil {
				t.Fatal(err)
			}
			p, err := policy.Load(tt.policy+".yaml", data)
			if err != nil {
				t.Fatal(err)
			}
			ex := ExampleOf(p)
			if ex.Channel != tt.channel || ex.Category != tt.category || ex.Move != tt.move || !slices.Equal(ex.MoveSets, tt.sets) {
				t.Errorf("ExampleOf = %+v, want channel %s, category %s, move %s with %q", ex, tt.channel, tt.category, tt.move, tt.sets)
			}
			files, err := Files(Office{PolicyID: p.ID, PolicyName: p.Name.Zh, Prefix: p.Prefix, PolicyYAML: data, Example: ex, CasebookVersion: "v1.0.0", GoVersion: "1.26"})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				if f.Path == "README.md" && !strings.Contains(string(f.Data), "--channel "+tt.channel+" --category "+tt.category) {
					t.Errorf("README does not use the policy's channel and category:\n%s", f.Data)
				}
			}
		})
	}
}

func TestWithOffice(t *testing.T) {
	tests := []struct {
		name, in, office, want string
	}{
		{"after prefix", "# 办法\nid: bank\nprefix: BANK\ntimezone: Asia/Shanghai\n", "城关农商银行监察室",
			"# 办法\nid: bank\nprefix: BANK\noffice: 城关农商银行监察室\ntimezone: Asia/Shanghai\n"},
		{"replaces the office line", "id: bank\noffice: 旧名 # old\nprefix: BANK\n", "新名",
			"id: bank\noffice: 新名\nprefix: BANK\n"},
		{"after id without prefix", "id: bank\nname: {zh: 办法}\n", "甲", "id: bank\noffice: 甲\nname: {zh: 办法}\n"},
		{"CRLF kept", "id: bank\r\nprefix: BANK\r\n", "甲", "id: bank\r\nprefix: BANK\r\noffice: 甲\r\n"},
		{"a name YAML would misread is quoted", "id: bank\nprefix: BANK\n", "yes: 监察室", "id: bank\nprefix: BANK\noffice: 'yes: 监察室'\n"},
		{"no name changes nothing", "id: bank\nprefix: BANK\n", "", "id: bank\nprefix: BANK\n"},
		{"last line without a newline", "id: bank\nprefix: BANK", "甲", "id: bank\nprefix: BANK\noffice: 甲\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := WithOffice([]byte(tt.in), tt.office)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
	if _, err := WithOffice([]byte("id: bank\noffice: |\n  甲\n"), "乙"); err == nil {
		t.Error("a block office value was replaced by a line")
	}
}

// TestWithOffice_EveryPolicy: each built-in policy names its office
// after WithOffice and still loads.
func TestWithOffice_EveryPolicy(t *testing.T) {
	names, err := fs.Glob(policies.FS, "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if n == "calendar.yaml" {
			continue
		}
		data, _ := policies.FS.ReadFile(n)
		out, err := WithOffice(data, "城关农商银行监察室")
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		p, err := policy.Load(n, out)
		if err != nil {
			t.Fatalf("%s with office: %v", n, err)
		}
		if p.Office != "城关农商银行监察室" {
			t.Errorf("%s: office %q", n, p.Office)
		}
	}
}
