package remote

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
)

// Target is the remote branch a clone syncs with.
type Target struct {
	Name   string // the remote's name in the clone's config ("origin")
	URL    string
	Branch string                 // the remote branch's short name
	Local  plumbing.ReferenceName // the clone's branch (refs/heads/...)
	// Path is the remote's git directory when it is on this machine; empty for SSH and HTTP.
	Path string
	// Endpoint is the parsed URL.
	Endpoint *transport.Endpoint
}

// Tracking is the clone's remote-tracking ref of the target (refs/remotes/NAME/BRANCH).
func (t Target) Tracking() plumbing.ReferenceName {
	return plumbing.NewRemoteReferenceName(t.Name, t.Branch)
}

// Ref is the branch on the remote.
func (t Target) Ref() plumbing.ReferenceName { return plumbing.NewBranchReferenceName(t.Branch) }

// String names the remote for messages: "origin (URL) branch main".
func (t Target) String() string { return fmt.Sprintf("%s (%s), branch %s", t.Name, t.URL, t.Branch) }

// Resolve finds the remote and branch to sync the checked-out branch local with. name ""
// is the branch's configured remote (branch.<b>.remote), else "origin"; branch "" is the
// branch's configured upstream (branch.<b>.merge), else the same name. root is the work
// tree, against which a relative path URL is resolved.
func Resolve(r *git.Repository, root string, local plumbing.ReferenceName, name, branch string) (Target, error) {
	cfg, err := r.Config()
	if err != nil {
		return Target{}, fmt.Errorf("read the repository's config: %w", err)
	}
	short := local.Short()
	bc := cfg.Branches[short]
	if name == "" {
		if bc != nil && bc.Remote != "" && bc.Remote != "." {
			name = bc.Remote
		} else {
			name = "origin"
		}
	}
	rc, ok := cfg.Remotes[name]
	if !ok || len(rc.URLs) == 0 {
		known := make([]string, 0, len(cfg.Remotes))
		for n := range cfg.Remotes {
			known = append(known, n)
		}
		fix := "git remote add " + name + " URL, with the URL of the office's shared repository"
		if len(known) > 0 {
			fix = "--remote " + strings.Join(known, " or --remote ") + ", or " + fix
		}
		return Target{}, &Error{Kind: "config", Remote: name, Err: fmt.Errorf("no remote named %q in this clone", name), Fix: fix}
	}
	if branch == "" {
		if bc != nil && bc.Merge.IsBranch() && (bc.Remote == name || bc.Remote == "") {
			branch = bc.Merge.Short()
		} else {
			branch = short
		}
	}
	if strings.HasPrefix(branch, "refs/heads/") {
		branch = strings.TrimPrefix(branch, "refs/heads/")
	}
	if rule := CheckBranchName(branch); rule != "" {
		fix := "--branch NAME with a name git accepts (git check-ref-format --branch NAME tells)"
		if s := fixBranchName(branch); s != "" {
			fix = "--branch " + s + ", or another name git accepts (git check-ref-format --branch NAME tells)"
		}
		return Target{}, &Error{Kind: "config", Remote: name, Err: fmt.Errorf("%q is not a branch name: %s", branch, rule), Fix: fix}
	}
	t := Target{Name: name, URL: rc.URLs[0], Branch: branch, Local: local}
	ep, err := transport.NewEndpoint(t.URL)
	if err != nil {
		return Target{}, &Error{Kind: "config", Remote: t.String(), Err: fmt.Errorf("the URL is not one git understands: %w", err),
			Fix: "git remote set-url " + name + " URL"}
	}
	t.Endpoint = ep
	if ep.Protocol == "file" {
		p := ep.Path
		if !filepath.IsAbs(p) {
			p = filepath.Join(root, p)
		}
		gd, err := gitDirOf(p)
		if err != nil {
			return Target{}, &Error{Kind: "network", Remote: t.String(), Err: err,
				Fix: "check that the shared folder is reachable, or git remote set-url " + name + " with the right path"}
		}
		t.Path = gd
	}
	return t, nil
}

// gitDirOf returns the git directory of the repository at p: p itself when bare, p/.git
// otherwise.
func gitDirOf(p string) (string, error) {
	if st, err := os.Stat(filepath.Join(p, ".git")); err == nil && st.IsDir() {
		return filepath.Join(p, ".git"), nil
	}
	if _, err := os.Stat(filepath.Join(p, "objects")); err == nil {
		if _, err := os.Stat(filepath.Join(p, "HEAD")); err == nil {
			return p, nil
		}
	}
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("the remote repository is not reachable: %w", err)
	}
	return "", fmt.Errorf("%s is not a git repository", p)
}
