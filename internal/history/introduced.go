package history

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/casebook/casebook/internal/binfmt"
)

// Introduced is the commit that first held an entry of a file.
type Introduced struct {
	Commit string
	At     time.Time // committer date
	// Checked is the HEAD up to which the file held the key without a
	// break when this answer was found: a later run walks back only to it.
	Checked string `json:",omitempty"`
}

// IntroducedIn finds, for each key, the oldest commit on HEAD's first-parent
// line from which on the file at path holds it without a break. keysOf
// lists the keys of one version of the file. A key the file at HEAD does
// not hold (uncommitted) is left out of the result. The walk reads the
// file only where its blob changes and stops once every key is placed,
// so it costs the commits since the oldest key was written.
//
// Answers are kept in cacheDir ("" for none) with the HEAD they were found
// at: a later walk stops there if the file still holds the key, so it costs
// only the commits since. An entry removed and added back since is placed
// where it came back, as a walk without the cache places it.
func IntroducedIn(repo *git.Repository, cacheDir, path string, keys []string, keysOf func([]byte) []string) (map[string]Introduced, error) {
	cached := loadIntroduced(cacheDir)
	out, err := introducedIn(repo, path, keys, keysOf, cached)
	if err != nil {
		return nil, err
	}
	for k, in := range out {
		cached[k] = in
	}
	saveIntroduced(cacheDir, cached)
	return out, nil
}

const introducedFile = "introduced.json"

func loadIntroduced(dir string) map[string]Introduced {
	m := map[string]Introduced{}
	if dir == "" {
		return m
	}
	if b, err := os.ReadFile(filepath.Join(dir, introducedFile)); err == nil {
		_ = json.Unmarshal(b, &m) // a damaged cache is only slower
	}
	return m
}

func saveIntroduced(dir string, m map[string]Introduced) {
	if dir == "" {
		return
	}
	if b, err := json.Marshal(m); err == nil {
		_ = os.MkdirAll(dir, 0o755)
		_ = binfmt.WriteAtomic(dir, introducedFile, b)
	}
}

func introducedIn(repo *git.Repository, path string, keys []string, keysOf func([]byte) []string, cached map[string]Introduced) (map[string]Introduced, error) {
	out := map[string]Introduced{}
	ref, err := repo.Head()
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read HEAD: %w", err)
	}
	pending := map[string]bool{}
	for _, k := range keys {
		pending[k] = true
	}
	var child *object.Commit
	var childBlob plumbing.Hash
	held := map[string]bool{}
	c, err := repo.CommitObject(ref.Hash())
	for err == nil && len(pending) > 0 {
		blob := plumbing.ZeroHash
		if tree, terr := c.Tree(); terr == nil {
			if e, ferr := tree.FindEntry(path); ferr == nil {
				blob = e.Hash
			}
		}
		if child == nil || blob != childBlob {
			now := map[string]bool{}
			if blob != plumbing.ZeroHash {
				if data, rerr := ReadBlob(repo, blob); rerr == nil {
					for _, k := range keysOf(data) {
						now[k] = true
					}
				}
			}
			for k := range pending {
				switch {
				case child == nil && !now[k]:
					delete(pending, k) // not committed at all
				case child != nil && held[k] && !now[k]:
					out[k] = Introduced{Commit: child.Hash.String(), At: child.Committer.When}
					delete(pending, k)
				}
			}
			held, childBlob = now, blob
		}
		for k := range pending {
			// Held from here to HEAD without a break, and (as found
			// before) from its introduction to here.
			if in, ok := cached[k]; ok && in.Checked == c.Hash.String() && held[k] {
				out[k] = in
				delete(pending, k)
			}
		}
		child = c
		if c.NumParents() == 0 {
			break
		}
		c, err = c.Parent(0)
	}
	if err != nil && !errors.Is(err, plumbing.ErrObjectNotFound) {
		return nil, fmt.Errorf("walk history of %s: %w", path, err)
	}
	// Held since the oldest commit reached (the root, or a shallow
	// clone's boundary).
	for k := range pending {
		if child != nil {
			out[k] = Introduced{Commit: child.Hash.String(), At: child.Committer.When}
		}
	}
	for k, in := range out {
		in.Checked = ref.Hash().String()
		out[k] = in
	}
	return out, nil
}
