package repo_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/repo"
)

// identityEnv lists the variables ResolveIdentity reads; each test row starts without them.
var identityEnv = []string{"CASEBOOK_ACTOR", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_CONFIG_GLOBAL",
	"GIT_CONFIG_SYSTEM", "XDG_CONFIG_HOME"}

func TestResolveIdentity(t *testing.T) {
	tests := []struct {
		name     string
		explicit string
		env      map[string]string
		local    string            // repository config
		files    map[string]string // config files, relative to a fake HOME
		want     string
		wantErr  string
	}{
		{name: "--actor wins over everything", explicit: "李某 <li@example.com>",
			env: map[string]string{"CASEBOOK_ACTOR": "张某 <zhang@example.com>"}, local: "[user]\n\tname = Local\n\temail = local@example.com\n",
			want: "李某 <li@example.com>"},
		{name: "CASEBOOK_ACTOR over git config", env: map[string]string{"CASEBOOK_ACTOR": "张某 <zhang@example.com>"},
			local: "[user]\n\tname = Local\n\temail = local@example.com\n", want: "张某 <zhang@example.com>"},
		{name: "GIT_AUTHOR_NAME over user.name, per key", env: map[string]string{"GIT_AUTHOR_NAME": "Env Name"},
			local: "[user]\n\tname = Local\n\temail = local@example.com\n", want: "Env Name <local@example.com>"},
		{name: "repository config over global", local: "[user]\n\temail = local@example.com\n",
			files: map[string]string{".gitconfig": "[user]\n\tname = Global\n\temail = global@example.com\n"},
			want:  "Global <local@example.com>"},
		{name: "author.name over user.name", local: "[user]\n\tname = User\n\temail = u@example.com\n[author]\n\tname = Author\n",
			want: "Author <u@example.com>"},
		{name: "~/.gitconfig over the XDG file", files: map[string]string{
			".gitconfig":         "[user]\n\tname = Home\n",
			".config/git/config": "[user]\n\tname = XDG\n\temail = xdg@example.com\n"},
			want: "Home <xdg@example.com>"},
		{name: "GIT_CONFIG_GLOBAL replaces the global files",
			env: map[string]string{"GIT_CONFIG_GLOBAL": "custom.gitconfig"},
			files: map[string]string{
				".gitconfig":       "[user]\n\tname = Home\n\temail = home@example.com\n",
				"custom.gitconfig": "[user]\n\tname = Custom\n\temail = custom@example.com\n"},
			want: "Custom <custom@example.com>"},
		{name: "no identity", wantErr: "git config --global user.name"},
		{name: "name without e-mail", local: "[user]\n\tname = Local\n", wantErr: "or pass --actor"},
		{name: "malformed --actor", explicit: "just a name", wantErr: `want "Name <email>"`},
		{name: "malformed CASEBOOK_ACTOR", env: map[string]string{"CASEBOOK_ACTOR": "x <not an email>"}, wantErr: "CASEBOOK_ACTOR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := t.TempDir()
			t.Setenv("HOME", home)
			t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			for _, k := range identityEnv {
				unsetenv(t, k)
			}
			for k, v := range tt.env {
				if k == "GIT_CONFIG_GLOBAL" {
					v = filepath.Join(home, v)
				}
				t.Setenv(k, v)
			}
			for rel, data := range tt.files {
				writeFile(t, home, rel, data)
			}
			dir := newRepo(t)
			if tt.local != "" {
				f, err := os.OpenFile(filepath.Join(dir, ".git", "config"), os.O_APPEND|os.O_WRONLY, 0)
				if err != nil {
					t.Fatal(err)
				}
				f.WriteString(tt.local)
				f.Close()
			}
			id, err := repo.ResolveIdentity(open(t, dir), tt.explicit)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if tt.explicit == "" && tt.env["CASEBOOK_ACTOR"] == "" && !errors.Is(err, repo.ErrNoIdentity) {
					t.Errorf("err = %v, want ErrNoIdentity", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if id.String() != tt.want {
				t.Errorf("identity = %q, want %q", id, tt.want)
			}
		})
	}
}

// unsetenv removes k for the rest of the test.
func unsetenv(t *testing.T, k string) {
	t.Setenv(k, "") // registers the restore
	os.Unsetenv(k)
}
