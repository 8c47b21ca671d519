package history

import (
	"testing"

	"github.com/go-git/go-git/v5"
)

// TestVersionOf guards the version `casebook calendar` and doctor name for
// policies/calendar.yaml: the commit that last changed it on HEAD's
// first-parent chain (not a later commit of cases), whether the copy on
// disk is that one, and no commit for a file HEAD does not hold.
func TestVersionOf(t *testing.T) {
	const path = "policies/calendar.yaml"
	r := newGitRepo(t)
	r.write(path, "years: {}\n")
	r.write("cases/A-1.md", caseFile("A-1", "received"))
	r.commit("first")
	r.write(path, "office: {}\n")
	changed := r.commit("calendar changed")
	r.write("cases/A-1.md", caseFile("A-1", "closed"))
	r.commit("A-1 closed")
	repo, err := git.PlainOpen(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		path      string
		disk      string
		commit    string
		committed bool
	}{
		{"the commit that changed it, not the later one", path, "office: {}\n", changed, true},
		{"changed on disk since", path, "office: {holidays: []}\n", changed, false},
		{"a file HEAD does not hold", "policies/other.yaml", "x\n", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := VersionOf(repo, tt.path, []byte(tt.disk))
			if err != nil {
				t.Fatal(err)
			}
			if v.Commit != tt.commit || v.Committed != tt.committed || tt.commit != "" && v.Author != "Zhao Min" {
				t.Errorf("VersionOf = %+v, want commit %s committed %v", v, tt.commit, tt.committed)
			}
		})
	}
}
