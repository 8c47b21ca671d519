package repo

import (
	"errors"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
)

// ErrNoIdentity is returned by ResolveIdentity when no actor name and e-mail can be found;
// casebook refuses to commit anonymously because the author is the audit trail's actor.
var ErrNoIdentity = errors.New("no identity to commit as")

// Identity is the actor of a change: the commit's author and committer.
type Identity struct {
	Name  string
	Email string
}

// String formats the identity as git does: "Name <email>".
func (id Identity) String() string { return id.Name + " <" + id.Email + ">" }

// ParseIdentity reads "Name <email>", the form of --actor and CASEBOOK_ACTOR.
func ParseIdentity(s string) (Identity, error) {
	s = strings.TrimSpace(s)
	lt, gt := strings.LastIndexByte(s, '<'), strings.LastIndexByte(s, '>')
	if lt < 0 || gt != len(s)-1 || gt < lt {
		return Identity{}, fmt.Errorf("actor %q: want \"Name <email>\", e.g. \"王某 <wang@example.com>\"", s)
	}
	id := Identity{Name: strings.TrimSpace(s[:lt]), Email: strings.TrimSpace(s[lt+1 : gt])}
	if err := id.check(); err != nil {
		return Identity{}, fmt.Errorf("actor %q: %w", s, err)
	}
	return id, nil
}

// check refuses what would corrupt a commit header or make the actor unidentifiable.
func (id Identity) check() error {
	if id.Name == "" {
		return errors.New("the name is empty; want \"Name <email>\"")
	}
	if id.Email == "" {
		return errors.New("the e-mail is empty; want \"Name <email>\"")
	}
	if strings.ContainsAny(id.Name, "<>\n\x00") || strings.ContainsAny(id.Email, "<> \n\x00") {
		return errors.New("the name or e-mail contains '<', '>', a newline or a NUL byte")
	}
	if _, err := mail.ParseAddress("<" + id.Email + ">"); err != nil {
		return fmt.Errorf("%q is not an e-mail address", id.Email)
	}
	return nil
}

// ResolveIdentity finds who is acting, first match wins:
//
//  1. explicit, the --actor flag ("Name <email>");
//  2. the environment variable CASEBOOK_ACTOR ("Name <email>");
//  3. per key, as git does: GIT_AUTHOR_NAME / GIT_AUTHOR_EMAIL, then author.name /
//     author.email, then user.name / user.email from git config: the repository's config,
//     then the global one (GIT_CONFIG_GLOBAL if set, else ~/.gitconfig over
//     $XDG_CONFIG_HOME/git/config), then the system one (/etc/gitconfig, or
//     GIT_CONFIG_SYSTEM; none with GIT_CONFIG_NOSYSTEM).
//
// With none of them it returns an error wrapping ErrNoIdentity that says how to fix it.
// repo may be nil (no repository config). Config includes ([include]) are not followed.
func ResolveIdentity(repo *git.Repository, explicit string) (Identity, error) {
	if strings.TrimSpace(explicit) != "" {
		id, err := ParseIdentity(explicit)
		if err != nil {
			return Identity{}, fmt.Errorf("--actor: %w", err)
		}
		return id, nil
	}
	if v := os.Getenv("CASEBOOK_ACTOR"); strings.TrimSpace(v) != "" {
		id, err := ParseIdentity(v)
		if err != nil {
			return Identity{}, fmt.Errorf("CASEBOOK_ACTOR: %w", err)
		}
		return id, nil
	}
	cfgs, err := configChain(repo)
	if err != nil {
		return Identity{}, err
	}
	id := Identity{Name: os.Getenv("GIT_AUTHOR_NAME"), Email: os.Getenv("GIT_AUTHOR_EMAIL")}
	for _, c := range cfgs {
		if id.Name == "" {
			id.Name = first(c.Author.Name, c.User.Name)
		}
		if id.Email == "" {
			id.Email = first(c.Author.Email, c.User.Email)
		}
	}
	id.Name, id.Email = strings.TrimSpace(id.Name), strings.TrimSpace(id.Email)
	if id.Name == "" || id.Email == "" {
		return Identity{}, fmt.Errorf("%w: set it with `git config --global user.name \"Your Name\"` and "+
			"`git config --global user.email you@example.com`, or pass --actor \"Name <email>\" "+
			"(or set CASEBOOK_ACTOR)", ErrNoIdentity)
	}
	if err := id.check(); err != nil {
		return Identity{}, fmt.Errorf("identity from git config: %w", err)
	}
	return id, nil
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// configChain returns the configs in decreasing priority: repository, global, system.
// go-git's own global loading reads only the first file it finds and ignores
// GIT_CONFIG_GLOBAL, so the files are read here.
func configChain(repo *git.Repository) ([]*config.Config, error) {
	var out []*config.Config
	if repo != nil {
		c, err := repo.Storer.Config()
		if err != nil {
			return nil, fmt.Errorf("read the repository's git config: %w", err)
		}
		out = append(out, c)
	}
	var files []string
	if g, ok := os.LookupEnv("GIT_CONFIG_GLOBAL"); ok {
		files = append(files, g)
	} else {
		if home, err := os.UserHomeDir(); err == nil {
			files = append(files, filepath.Join(home, ".gitconfig"))
		}
		if xdg := os.Getenv("XDG_CONFIG_HOME"); xdg != "" {
			files = append(files, filepath.Join(xdg, "git", "config"))
		} else if home, err := os.UserHomeDir(); err == nil {
			files = append(files, filepath.Join(home, ".config", "git", "config"))
		}
	}
	if os.Getenv("GIT_CONFIG_NOSYSTEM") == "" {
		files = append(files, first(os.Getenv("GIT_CONFIG_SYSTEM"), "/etc/gitconfig"))
	}
	for _, f := range files {
		if f == "" {
			continue
		}
		data, err := os.ReadFile(f)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read git config %s: %w", f, err)
		}
		c := config.NewConfig()
		if err := c.Unmarshal(data); err != nil {
			return nil, fmt.Errorf("%s: %w; fix the file with `git config --file %s --edit`", f, err, f)
		}
		out = append(out, c)
	}
	return out, nil
}

// ConfigChain returns the git configs that apply to repo, in decreasing priority: the
// repository's, the global one, the system one (see ResolveIdentity for the files read).
func ConfigChain(repo *git.Repository) ([]*config.Config, error) { return configChain(repo) }
