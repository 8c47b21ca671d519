package history

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
)

// TestIsAncestor_ForcePushedAway guards `validate --since OLD` after a
// force-push: a clone over the wire does not hold OLD at all, which must
// read as rewritten history (ErrNotInRepository), not as a mistyped
// revision; a shallow clone cannot tell either way (ErrShallow).
func TestIsAncestor_ForcePushedAway(t *testing.T) {
	r := newGitRepo(t)
	r.write("cases/A-1.md", caseFile("A-1", "received"))
	r.commit("first")
	r.write("cases/A-1.md", caseFile("A-1", "assigned"))
	old := r.commit("second")
	r.git("reset", "-q", "--hard", "HEAD~1")
	r.write("cases/A-1.md", caseFile("A-1", "replied"))
	r.commit("second, rewritten")
	for i := 0; i < 3; i++ {
		r.write("cases/A-2.md", caseFile("A-2", "received", "amount: "+strings.Repeat("1", i+1)))
		r.commit("more")
	}
	wire := filepath.Join(t.TempDir(), "wire")
	r.git("clone", "-q", "--no-local", r.dir, wire)
	shallow := filepath.Join(t.TempDir(), "shallow")
	r.git("clone", "-q", "--depth", "1", "file://"+r.dir, shallow)
	first := r.git("rev-list", "--max-parents=0", "HEAD")

	tests := []struct {
		name    string
		dir     string
		rev     string
		want    bool
		wantErr error
	}{
		{"old head absent from a full clone", wire, old, false, ErrNotInRepository},
		{"old head, upper case, absent from a full clone", wire, strings.ToUpper(old), false, ErrNotInRepository},
		{"old head absent from a shallow clone", shallow, old, false, ErrShallow},
		{"real ancestor beyond the shallow boundary", shallow, first, false, ErrShallow},
		{"real ancestor in a full clone", wire, first, true, nil},
		{"old head still in the original repository", r.dir, old, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo, err := git.PlainOpen(tt.dir)
			if err != nil {
				t.Fatal(err)
			}
			got, err := IsAncestor(repo, tt.rev)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("IsAncestor(%s) error = %v, want %v", tt.rev, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("IsAncestor(%s) = %v, want %v", tt.rev, got, tt.want)
			}
		})
	}
	repo, err := git.PlainOpen(wire)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := IsAncestor(repo, old[:12]); err == nil || errors.Is(err, ErrNotInRepository) {
		t.Errorf("abbreviated unknown hash: error %v, want a plain resolve error", err)
	}
}
