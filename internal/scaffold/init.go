package scaffold

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/casebook/casebook/internal/gitdir"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/release"
	"github.com/casebook/casebook/internal/repo"
)

// InitRequest is what `casebook init` sets up: an office of Policy (its
// file as PolicyYAML) in the repository at Dir, created when there is
// none.
type InitRequest struct {
	Dir        string
	Policy     *policy.Policy
	PolicyYAML []byte
	// Actor is who commits, as --actor gives it ("" for CASEBOOK_ACTOR or
	// git's user).
	Actor string
	// Now is the commit's clock; nil means time.Now.
	Now func() time.Time
	// Sign, when set, gives the key to sign the commit with; it is called
	// only when there is something to commit.
	Sign func() (*openpgp.Entity, error)
	// Office is the office's name asked for (init --office), already
	// written into PolicyYAML; "" when none was.
	Office string
}

// InitResult is what Init did.
type InitResult struct {
	// Root is the work tree's root.
	Root string
	// Created is true when Init created the repository, false when it
	// adopted one.
	Created bool
	// Written are the paths of the files committed, in Files' order; none
	// when the office had every file already.
	Written []string
	// Commit is the commit that added them; "" when nothing was written.
	Commit string
	// KeptPolicy is the path of the office's own policy file, kept as it
	// was although Office asked for a name it does not hold.
	KeptPolicy string
}

// Init writes the files of a new office (Files) into the repository at
// req.Dir and commits them as one commit "casebook init --policy ID". It
// never overwrites a file: of .gitignore it adds only the lines it lacks,
// other existing files stay as they are, and when every file is there
// it commits nothing.
func Init(req InitRequest) (InitResult, error) {
	p := req.Policy
	if err := os.MkdirAll(req.Dir, 0o755); err != nil {
		return InitResult{}, err
	}
	var res InitResult
	r, err := gitdir.Open(req.Dir, false)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		r, err = git.PlainInitWithOptions(req.Dir, &git.PlainInitOptions{
			InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName("main")},
		})
		res.Created = true
	}
	if err != nil {
		return InitResult{}, fmt.Errorf("%s: %w", req.Dir, err)
	}
	wt, err := r.Worktree()
	if err != nil {
		return InitResult{}, fmt.Errorf("%s is a bare repository (fix: init a directory with a work tree)", req.Dir)
	}
	res.Root = wt.Filesystem.Root()
	actor, err := repo.ResolveIdentity(r, req.Actor)
	if err != nil {
		return InitResult{}, err
	}
	files, err := Files(Office{PolicyID: p.ID, PolicyName: p.Name.Zh, Prefix: p.Prefix, PolicyYAML: req.PolicyYAML, Example: ExampleOf(p),
		OfficeName: p.Office, CasebookVersion: release.Module(), GoVersion: release.Go()})
	if err != nil {
		return InitResult{}, err
	}
	if req.Office != "" {
		path := "policies/" + p.ID + ".yaml"
		if old, err := os.ReadFile(filepath.Join(res.Root, filepath.FromSlash(path))); err == nil && !bytes.Equal(old, req.PolicyYAML) {
			res.KeptPolicy = path
		}
	}
	changes, written, err := missing(res.Root, files)
	if err != nil || len(changes) == 0 {
		return res, err
	}
	commit := repo.CommitRequest{Changes: changes, Author: actor, Now: req.Now,
		Message: fmt.Sprintf("casebook init --policy %s\n\n%s\n\nCasebook-Init: %s\n", p.ID, strings.Join(written, "\n"), p.ID)}
	if req.Sign != nil {
		if commit.Sign, err = req.Sign(); err != nil {
			return InitResult{}, err
		}
	}
	done, err := repo.Commit(r, res.Root, commit)
	if err != nil {
		return InitResult{}, err
	}
	res.Written, res.Commit = written, done.Commit.String()
	return res, nil
}

// missing are the changes that bring the work tree at root to have every
// one of files, and their paths: the files it lacks, and the lines an
// existing .gitignore lacks added at its end.
func missing(root string, files []File) ([]repo.Change, []string, error) {
	var changes []repo.Change
	var written []string
	for _, f := range files {
		full := filepath.Join(root, filepath.FromSlash(f.Path))
		old, err := os.ReadFile(full)
		switch {
		case err == nil && f.Path == ".gitignore":
			add := missingLines(old, GitignoreLines)
			if add == "" {
				continue
			}
			if len(old) > 0 && !bytes.HasSuffix(old, []byte("\n")) {
				old = append(old, '\n')
			}
			changes = append(changes, repo.Change{Path: f.Path, Data: append(old, add...)})
		case err == nil:
			continue // never overwrite the office's own files
		case errors.Is(err, os.ErrNotExist):
			changes = append(changes, repo.Change{Path: f.Path, Data: f.Data})
		default:
			return nil, nil, err
		}
		written = append(written, f.Path)
	}
	return changes, written, nil
}

// missingLines are the lines of want that have does not hold (compared
// without surrounding spaces), each ending in a newline.
func missingLines(have []byte, want []string) string {
	lines := map[string]bool{}
	for _, l := range strings.Split(string(have), "\n") {
		lines[strings.TrimSpace(l)] = true
	}
	var b strings.Builder
	for _, l := range want {
		if !lines[l] {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}
