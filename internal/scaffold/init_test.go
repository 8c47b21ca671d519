package scaffold

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"

	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/policies"
)

func TestInit(t *testing.T) {
	data, err := policies.FS.ReadFile("bank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := policy.Load("policies/bank.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	all := []string{"cases/.gitkeep", "templates/.gitkeep", "site/.gitkeep", "policies/bank.yaml", ".gitignore",
		"README.md", ".github/workflows/casebook.yml", ".gitlab-ci.yml"}
	tests := []struct {
		name string
		// before prepares the folder; nil leaves none.
		before      func(t *testing.T, dir string)
		wantCreated bool
		wantWritten []string
		// wantFiles are files and their whole content after Init.
		wantFiles map[string]string
	}{
		{name: "a new folder becomes a repository with every file", wantCreated: true, wantWritten: all},
		{name: "an empty repository is adopted", before: func(t *testing.T, dir string) { plainInit(t, dir) }, wantWritten: all},
		{name: "the office's own README is kept and its .gitignore gets the missing lines only",
			before: func(t *testing.T, dir string) {
				plainInit(t, dir)
				write(t, dir, "README.md", "本单位说明\n")
				write(t, dir, ".gitignore", "*.tmp\n/site/*")
			},
			wantWritten: slices.DeleteFunc(slices.Clone(all), func(s string) bool { return s == "README.md" }),
			wantFiles:   map[string]string{"README.md": "本单位说明\n", ".gitignore": "*.tmp\n/site/*\n!/site/.gitkeep\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "投诉台账")
			if tt.before != nil {
				tt.before(t, dir)
			}
			req := InitRequest{Dir: dir, Policy: p, PolicyYAML: data, Actor: "杨帆 <yangfan@example.cn>",
				Now: func() time.Time { return time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC) }}
			res, err := Init(req)
			if err != nil {
				t.Fatal(err)
			}
			if res.Created != tt.wantCreated {
				t.Errorf("Created = %v, want %v", res.Created, tt.wantCreated)
			}
			if !slices.Equal(res.Written, tt.wantWritten) {
				t.Errorf("Written = %v, want %v", res.Written, tt.wantWritten)
			}
			if res.Commit == "" {
				t.Fatal("no commit")
			}
			r, err := git.PlainOpen(dir)
			if err != nil {
				t.Fatal(err)
			}
			head, err := r.Head()
			if err != nil {
				t.Fatal(err)
			}
			c, err := r.CommitObject(head.Hash())
			if err != nil {
				t.Fatal(err)
			}
			if (tt.wantCreated && head.Name().Short() != "main") || c.Hash.String() != res.Commit || c.Author.Name != "杨帆" ||
				!strings.HasPrefix(c.Message, "casebook init --policy bank\n") || !strings.Contains(c.Message, "Casebook-Init: bank") {
				t.Errorf("commit %s on %s by %s:\n%s", c.Hash, head.Name(), c.Author.Name, c.Message)
			}
			for path, want := range tt.wantFiles {
				got, err := os.ReadFile(filepath.Join(dir, path))
				if err != nil || string(got) != want {
					t.Errorf("%s = %q (%v), want %q", path, got, err, want)
				}
			}
			again, err := Init(req)
			if err != nil {
				t.Fatal(err)
			}
			if again.Commit != "" || len(again.Written) > 0 || again.Created {
				t.Errorf("a second Init changed something: %+v", again)
			}
		})
	}
}

func TestInit_RefusesABareRepository(t *testing.T) {
	dir := t.TempDir()
	if _, err := git.PlainInit(dir, true); err != nil {
		t.Fatal(err)
	}
	p := &policy.Policy{ID: "bank"}
	if _, err := Init(InitRequest{Dir: dir, Policy: p, Actor: "杨帆 <yangfan@example.cn>"}); err == nil || !strings.Contains(err.Error(), "bare") {
		t.Errorf("Init = %v, want the bare repository named", err)
	}
}

func plainInit(t *testing.T, dir string) {
	t.Helper()
	if _, err := git.PlainInit(dir, false); err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, dir, name, data string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
