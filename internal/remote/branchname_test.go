package remote

import (
	"os/exec"
	"strings"
	"testing"
)

func TestCheckBranchName(t *testing.T) {
	tests := []struct {
		name, branch, rule, fix string
	}{
		{"a plain name is accepted", "main", "", ""},
		{"a name with slashes and dots is accepted", "feature/v1.2-复核", "", ""},
		{"an empty name", "", "cannot be empty", ""},
		{"two dots in a row", "main..next", "cannot contain ..", "main.next"},
		{"a tilde", "main~1", `cannot contain '~'`, "main-1"},
		{"a caret", "main^", `cannot contain '^'`, "main-"},
		{"a colon", "a:b", `cannot contain ':'`, "a-b"},
		{"a question mark", "a?", `cannot contain '?'`, "a-"},
		{"an asterisk", "a*", `cannot contain '*'`, "a-"},
		{"an open bracket", "a[1", `cannot contain '['`, "a-1"},
		{"a backslash", `a\b`, `cannot contain '\\'`, "a-b"},
		{"a space", "a b", `cannot contain ' '`, "a-b"},
		{"a control character", "a\tb", "control characters", "a-b"},
		{"a leading dash", "-main", "cannot begin with -", "main"},
		{"a .lock suffix", "main.lock", "end with .lock", "main"},
		{"a .lock suffix inside", "a.lock/b", "end with .lock", "a/b"},
		{"a part beginning with a dot", "a/.b", "begin with .", "a/b"},
		{"an @{ sequence", "a@{1}", "cannot contain @{", "a@-1}"},
		{"the single @", "@", "single character @", ""},
		{"a trailing slash", "main/", "begin or end with /", "main"},
		{"a leading slash", "/main", "begin or end with /", "main"},
		{"a double slash", "a//b", "cannot contain //", "a/b"},
		{"a trailing dot", "main.", "cannot end with .", "main"},
		{"HEAD", "HEAD", "cannot be named HEAD", ""},
	}
	git, gitErr := exec.LookPath("git")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rule := CheckBranchName(tt.branch)
			if tt.rule == "" && rule != "" || tt.rule != "" && !strings.Contains(rule, tt.rule) {
				t.Errorf("CheckBranchName(%q) = %q, want %q", tt.branch, rule, tt.rule)
			}
			if fix := fixBranchName(tt.branch); tt.rule != "" && fix != tt.fix {
				t.Errorf("fixBranchName(%q) = %q, want %q", tt.branch, fix, tt.fix)
			}
			if gitErr != nil || tt.branch == "" || tt.branch == "@" {
				return // git check-ref-format --branch reads @ as the checked-out branch
			}
			// git agrees.
			ok := exec.Command(git, "check-ref-format", "--branch", tt.branch).Run() == nil
			if ok != (rule == "") {
				t.Errorf("git check-ref-format --branch %q accepts it: %v; CheckBranchName says %q", tt.branch, ok, rule)
			}
		})
	}
}
