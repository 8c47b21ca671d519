package office

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/go-git/go-git/v5"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/gitdir"
	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/policy"
)

// Options tune Load.
type Options struct {
	// NoCache disables the history cache under .git/casebook.
	NoCache bool
	// NoHistory skips reading git history (for commands that only need
	// the current files).
	NoHistory bool
	// CoreOnly, when set, is called once with the repository's root and
	// cache folder, and names the case files of which only the core is
	// read (cases.WithCoreOnly): a caller that takes what it derives from
	// them from its own cache. Office.Whole reads such a case whole.
	CoreOnly func(root, cacheDir string) func(path string, blob [20]byte) bool
}

// Office is a loaded repository.
type Office struct {
	Root     string
	Repo     *git.Repository
	Policies *policy.Set
	// PoliciesDigest is PoliciesDigest of the policies/ folder taken
	// before Policies were read; PoliciesRead says it could be taken.
	PoliciesDigest [sha256.Size]byte
	PoliciesRead   bool
	// Cases are the parsed case files, sorted by file.
	Cases []*cases.Case
	// Broken are files under cases/ that could not be parsed, and
	// discovery problems such as symlinks.
	Broken  []*msg.FileError
	History *history.History
	// CacheDir holds casebook's caches (<gitdir>/casebook); empty with
	// Options.NoCache.
	CacheDir string
	calMu    sync.Mutex
	cals     map[string]*calendar.Calendar
	dupOnce  sync.Once
	dups     map[string]bool
	envs     sync.Pool // environments handed back by Release
}

// ErrNotRepository is returned when no git repository surrounds the directory.
var ErrNotRepository = errors.New("not inside a git repository")

// FindRoot returns the top of the git work tree around dir.
func FindRoot(dir string) (string, *git.Repository, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", nil, err
	}
	repo, err := gitdir.Open(abs, true)
	if err != nil {
		if errors.Is(err, git.ErrRepositoryNotExists) {
			return "", nil, fmt.Errorf("%s: %w (fix: run casebook inside an office repository, give -C DIR, or create one with `git init`)", abs, ErrNotRepository)
		}
		return "", nil, fmt.Errorf("open repository at %s: %w", abs, err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return "", nil, fmt.Errorf("%s: a bare repository has no cases to read (fix: use a clone with a work tree)", abs)
	}
	return wt.Filesystem.Root(), repo, nil
}

// Load reads the repository around dir. A broken policy is an error (exit
// 2); broken case files are collected in Broken and reported as findings.
func Load(dir string, opts Options) (*Office, error) {
	root, repo, err := FindRoot(dir)
	if err != nil {
		return nil, err
	}
	cacheDir := ""
	if !opts.NoCache {
		d, err := gitdir.Of(repo)
		if err != nil {
			return nil, err
		}
		cacheDir = d.CacheDir()
	}
	// The policies come first: history looks for late entries with the
	// shortest window any of them sets. Their files' digest is taken
	// before they are read, so that a cache keyed by it never holds what
	// other files judged (a checkout while they load changes it).
	digest, digestOK := PoliciesDigest(root)
	set, err := policy.LoadSet(root)
	if err != nil {
		return nil, err
	}
	// History and the case files are independent: history is read while
	// cases load, since much of it (assembling versions) is serial and
	// would otherwise leave cores idle.
	// A large office reads them one after the other instead: the two
	// caches' buffers and what is decoded from them would otherwise be
	// alive at once, the highest point of a build's memory.
	var hist *history.History
	var herr error
	var wg sync.WaitGroup
	defer wg.Wait() // also on the error paths: no work outlives Load
	if !opts.NoHistory {
		hopts := history.Options{Prefix: "cases/", CacheDir: cacheDir, LateEntry: set.ShortestLateEntry()}
		read := func() { hist, herr = history.Read(repo, hopts) }
		if largeHistory(cacheDir) {
			read()
		} else {
			wg.Add(1)
			go func() {
				defer wg.Done()
				read()
			}()
		}
	}
	o := &Office{Root: root, Repo: repo, Policies: set, CacheDir: cacheDir, cals: map[string]*calendar.Calendar{},
		PoliciesDigest: digest, PoliciesRead: digestOK}
	if gm, err := os.ReadFile(filepath.Join(root, ".gitmodules")); err == nil {
		if err := cases.CheckSubmodules(gm); err != nil {
			return nil, err
		}
	}
	entries, problems, err := cases.Discover(root)
	if err != nil {
		return nil, fmt.Errorf("read cases: %w", err)
	}
	o.Broken = append(o.Broken, problems...)
	var core func(path string, blob [20]byte) bool
	if opts.CoreOnly != nil && cacheDir != "" {
		core = opts.CoreOnly(root, cacheDir)
	}
	o.Cases, o.Broken = parseAll(root, entries, set, o.Broken, cacheDir, core)
	wg.Wait()
	if herr != nil {
		return nil, fmt.Errorf("read history: %w", herr)
	}
	o.History = hist
	return o, nil
}

// Large reports, before it is loaded, whether the office in dir holds
// about 50,000 cases or more, so that a command can give it the memory it
// needs from the start: its parse cache is over 60 MB, or, in a fresh
// clone without caches, git's index (a hundred bytes or so per file) over
// 5 MB.
func Large(dir string) bool {
	_, repo, err := FindRoot(dir)
	if err != nil {
		return false
	}
	d, err := gitdir.Of(repo)
	if err != nil {
		return false
	}
	over := func(name string, n int64) bool {
		fi, err := os.Stat(name)
		return err == nil && fi.Size() > n
	}
	return over(filepath.Join(d.CacheDir(), cases.CacheFile), 60<<20) || over(filepath.Join(d.Git, "index"), 5<<20)
}

// largeHistoryCache is the size of history.bin above which history is read
// before the cases rather than beside them: about 50,000 cases.
const largeHistoryCache = 100 << 20

func largeHistory(cacheDir string) bool {
	if cacheDir == "" {
		return false
	}
	fi, err := os.Stat(filepath.Join(cacheDir, "history.bin"))
	return err == nil && fi.Size() > largeHistoryCache
}

// parseAll parses the case files through the parse cache in cacheDir
// ("" for none), in parallel: a warm run only reads, hashes and decodes.
func parseAll(root string, entries []cases.Entry, set *policy.Set, broken []*msg.FileError, cacheDir string, core func(string, [20]byte) bool) ([]*cases.Case, []*msg.FileError) {
	opts := []cases.Option{cases.WithLocation(defaultLocation(set))}
	if core != nil {
		opts = append(opts, cases.WithCoreOnly(core))
	}
	cache := cases.OpenCache(cacheDir, opts...)
	out := make([]*cases.Case, len(entries))
	errs := make([]error, len(entries))
	var wg sync.WaitGroup
	jobs := make(chan int, 256)
	workers := runtime.GOMAXPROCS(0)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				out[i], errs[i] = cache.ParseFile(root, entries[i])
			}
		}()
	}
	for i := range entries {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	// A cache that cannot be written only makes the next run slower.
	_ = cache.Save()
	var good []*cases.Case
	for i, c := range out {
		if errs[i] != nil {
			var pe *msg.FileError
			if errors.As(errs[i], &pe) {
				broken = append(broken, pe)
			} else {
				broken = append(broken, &msg.FileError{File: entries[i].Path, Line: 1, Msg: msg.T("读不了这个文件：%v", "%v").Sprintf(errs[i])})
			}
			continue
		}
		good = append(good, c)
	}
	sort.Slice(good, func(i, j int) bool { return good[i].File < good[j].File })
	return good, broken
}

// Whole returns c whole: c itself, or, when only its core was read
// (Options.CoreOnly), the case read again from its file. It fails when
// the file no longer reads as a case.
func (o *Office) Whole(c *cases.Case) (*cases.Case, error) {
	if !c.CoreOnly() {
		return c, nil
	}
	whole, err := cases.ParseFile(o.Root, cases.Entry{Path: c.File, Bundle: c.Bundle, Attachments: c.Attachments}, cases.WithLocation(defaultLocation(o.Policies)))
	if err != nil {
		return nil, fmt.Errorf("read case %s again: %w", c.File, err)
	}
	return whole, nil
}

// defaultLocation is the zone bare local times are read in: the single
// policy's, or Asia/Shanghai.
func defaultLocation(set *policy.Set) *time.Location {
	if p, ok := set.Only(); ok && p.Location != nil {
		return p.Location
	}
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}

// PolicyOf returns the policy a case follows: its `policy` field, or the
// repository's only policy.
func (o *Office) PolicyOf(c *cases.Case) (*policy.Policy, error) {
	if c.Policy != "" {
		p, ok := o.Policies.Get(c.Policy)
		if !ok {
			return nil, fmt.Errorf("unknown policy %q (known: %v)", c.Policy, o.Policies.IDs())
		}
		return p, nil
	}
	if p, ok := o.Policies.Only(); ok {
		return p, nil
	}
	return nil, fmt.Errorf("no `policy:` field and the repository has several policies (%v)", o.Policies.IDs())
}

// Calendar returns the working-day calendar of a policy: the national one
// plus the policy's overrides. Bad overrides are reported by policy.Load.
func (o *Office) Calendar(p *policy.Policy) *calendar.Calendar {
	o.calMu.Lock()
	defer o.calMu.Unlock()
	if c, ok := o.cals[p.ID]; ok {
		return c
	}
	c, _ := deadline.CalendarFor(p)
	o.cals[p.ID] = c
	return c
}

// Find returns the case with the given id, or an error naming close ids.
func (o *Office) Find(id string) (*cases.Case, error) {
	for _, c := range o.Cases {
		if c.ID == id {
			return c, nil
		}
	}
	for _, b := range o.Broken {
		if cases.StemID(b.File) == id {
			return nil, b
		}
	}
	return nil, fmt.Errorf("no case %q under cases/ (fix: check the id with `casebook list`)", id)
}

// PoliciesDigest hashes every entry of root's policies/ folder, its name,
// type and, for a regular file, its bytes (policies, the calendar,
// recipients, volumes): what every case's checks share. A missing folder
// has a digest too; ok is false when the folder cannot be read.
func PoliciesDigest(root string) (digest [sha256.Size]byte, ok bool) {
	x := sha256.New()
	dir := filepath.Join(root, "policies")
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return digest, false
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	var buf []byte
	for _, e := range entries {
		name := e.Name()
		buf = binary.AppendUvarint(buf[:0], uint64(len(name)))
		buf = append(buf, name...)
		buf = binary.AppendUvarint(buf, uint64(e.Type()))
		x.Write(buf)
		if !e.Type().IsRegular() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return digest, false
		}
		buf = binary.AppendUvarint(buf[:0], uint64(len(data)))
		x.Write(buf)
		x.Write(data)
	}
	x.Sum(digest[:0])
	return digest, true
}
