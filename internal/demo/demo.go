package demo

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/clerk"
	"github.com/casebook/casebook/internal/gitdir"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/release"
	"github.com/casebook/casebook/internal/repo"
	"github.com/casebook/casebook/internal/scaffold"
	"github.com/casebook/casebook/internal/seal"
	"github.com/casebook/casebook/policies"
)

// AllPolicies are the five procedures of the seed text, in the order demo interleaves
// them.
var AllPolicies = []string{"bank", "food", "hotline", "internet", "tendering"}

// DefaultEnd is the moment a demo's history ends when Options.End is zero: the last
// working day of November 2026, after National Day, so that the history shows the
// holiday calendar at work. `casebook validate --now` with it shows the demo as of then.
var DefaultEnd = time.Date(2026, 11, 30, 18, 0, 0, 0, shanghai)

// DefaultSpan is how far back the history reaches when Options.Start is zero.
const DefaultSpan = 183 * 24 * time.Hour

var shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}

// Options choose what Build makes.
type Options struct {
	// Cases is how many cases to register (at least 1).
	Cases int
	// Seed makes the repository: the same seed and options give the same commits.
	Seed uint64
	// Policies are the policy ids to use; empty or "all" means AllPolicies.
	Policies []string
	// Start and End bound the history; zero means DefaultEnd and DefaultSpan before it.
	// Nothing is committed after End: cases still open then stay open.
	Start, End time.Time
	// Workers is how many cases are worked on at once (0: one per CPU). The result does
	// not depend on it: 1 runs every step in time order on one desk, more prepare each
	// case's commits on its own and write them all in time order at the end.
	Workers int
	// Recipients, if set, is a recipients file (package seal) committed as
	// policies/recipients.txt with the scaffold: every case's personal data is then
	// sealed for those keys. Sealing is randomised, so such a demo differs from run to
	// run in its ciphertexts.
	Recipients []byte
	// Office, when set, names the office in every policy file (office:).
	Office string
}

// Summary tells what Build made.
type Summary struct {
	Dir      string
	Cases    map[string]int // registered cases per policy id
	Policies []string       // in the order used
	Commits  int
	Head     string
	Start    time.Time
	End      time.Time
	// Sample is a case worth a look: reopened after a repeat complaint, or extended, or
	// else the first case.
	Sample string
}

// Build makes a new repository in dir (missing, or empty) with the history of
// opts.Cases cases walked through their procedures by the clerks of each office. Every
// action goes through package clerk, so it passes the policy's checks; commits are
// written in bulk (repo.Batch) with a clock that moves from Start to End.
func Build(dir string, opts Options) (Summary, error) {
	opts, err := normalise(opts)
	if err != nil {
		return Summary{}, err
	}
	if err := checkEmpty(dir); err != nil {
		return Summary{}, err
	}
	set, err := policy.LoadSet("")
	if err != nil {
		return Summary{}, err
	}
	var pols []*policy.Policy
	for _, id := range opts.Policies {
		p, ok := set.Get(id)
		if !ok {
			return Summary{}, fmt.Errorf("demo: unknown policy %q (fix: use one of %s, or all)", id, strings.Join(AllPolicies, ", "))
		}
		pols = append(pols, p)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Summary{}, fmt.Errorf("demo: %w", err)
	}
	r, err := gitdir.Open(dir, false)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		r, err = git.PlainInitWithOptions(dir, &git.PlainInitOptions{
			InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName("main")},
		})
	}
	if err != nil {
		return Summary{}, fmt.Errorf("demo: %s: %w", dir, err)
	}
	b, err := repo.NewBatch(r, dir)
	if err != nil {
		return Summary{}, fmt.Errorf("demo: %w (fix: give a new or empty directory)", err)
	}
	committed := false
	defer func() {
		if !committed {
			b.Abort()
		}
	}()
	store := clerk.NewBatchStore(b)
	g := &gen{
		rng:   rand.New(rand.NewPCG(opts.Seed, 0x63617365626f6f6b)), // "casebook"
		opts:  opts,
		store: store,
	}
	g.desk = &clerk.Desk{Root: dir, Repo: r, Policies: set, Store: store, Now: func() time.Time { return g.now }}
	if opts.Recipients != nil {
		if g.desk.Recipients, err = seal.ParseRecipients(seal.File, opts.Recipients); err != nil {
			return Summary{}, fmt.Errorf("demo: %w", err)
		}
	}

	if err := g.scaffold(pols); err != nil {
		return Summary{}, err
	}
	g.plan(pols)
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers == 1 {
		err = g.run()
	} else {
		err = g.runParallel(workers)
	}
	if err != nil {
		return Summary{}, err
	}
	if err := b.Close(); err != nil {
		return Summary{}, fmt.Errorf("demo: %w", err)
	}
	committed = true
	var sample *caseRun
	sum := Summary{Dir: dir, Cases: map[string]int{}, Commits: b.Commits(), Head: b.Head().String(),
		Start: opts.Start, End: opts.End}
	for _, p := range pols {
		sum.Policies = append(sum.Policies, p.ID)
	}
	for _, c := range g.cases {
		if c.id == "" {
			continue
		}
		sum.Cases[c.policy.ID]++
		if sum.Sample == "" || (c.interesting && !sample.interesting) || (c.interesting == sample.interesting && c.n < sample.n) {
			sum.Sample, sample = c.id, c
		}
	}
	return sum, nil
}

func normalise(o Options) (Options, error) {
	if o.Cases < 1 {
		return o, fmt.Errorf("demo: %d cases (fix: give at least 1)", o.Cases)
	}
	if len(o.Policies) == 0 || slices.Contains(o.Policies, "all") {
		o.Policies = AllPolicies
	}
	if o.End.IsZero() {
		o.End = DefaultEnd
	}
	if o.Start.IsZero() {
		o.Start = o.End.Add(-DefaultSpan)
	}
	o.Start, o.End = o.Start.In(shanghai), o.End.In(shanghai)
	if !o.Start.Before(o.End.Add(-7 * 24 * time.Hour)) {
		return o, fmt.Errorf("demo: the history from %s to %s is shorter than a week (fix: an earlier start or a later end)", o.Start.Format(time.DateOnly), o.End.Format(time.DateOnly))
	}
	return o, nil
}

// checkEmpty accepts a missing directory, an empty one, or one holding only a git
// repository without commits (which NewBatch checks).
func checkEmpty(dir string) error {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	for _, e := range ents {
		if e.Name() != ".git" {
			return fmt.Errorf("demo: %s is not empty (fix: give a new directory; demo never writes into an existing office)", dir)
		}
	}
	return nil
}

// gen holds a demo being built.
type gen struct {
	rng    *rand.Rand
	opts   Options
	store  *clerk.BatchStore
	desk   *clerk.Desk
	now    time.Time
	cases  []*caseRun
	events []event
}

// caseRun is one case's plan and, once registered, its id and file.
type caseRun struct {
	n        int
	policy   *policy.Policy
	received time.Time
	steps    []step
	// planned is how many steps happen by the end.
	planned int
	id      string
	file    string
	// closedAt is when the plan closes the case, for a repeat complaint to follow.
	closedAt time.Time
	// interesting marks a case to show in the summary: reopened, or extended.
	interesting bool
	// store holds the clerk's working copy of the case file.
	store workCopy
	// Set by runParallel: the id allocated in advance, the commits prepared, the
	// first error and at which step.
	pre     string
	recs    []record
	err     error
	errStep int
}

// ref is the id of a case for another case's step to name: allocated in advance by
// runParallel, or else registered by then (the step comes later in time).
func (c *caseRun) ref() string {
	if c.pre != "" {
		return c.pre
	}
	return c.id
}

// workCopy is where the clerk edits a case file before committing it.
type workCopy interface {
	ReadFile(file string) ([]byte, error)
	WriteFile(file string, data []byte)
}

// step is one action of a clerk on a case.
type step struct {
	at    time.Time
	actor repo.Identity
	what  string
	do    func(d *clerk.Desk, c *caseRun) error
}

type event struct {
	c    *caseRun
	step int
}

// scaffold commits what `casebook init` writes, with every policy used.
func (g *gen) scaffold(pols []*policy.Policy) error {
	var changes []repo.Change
	seen := map[string]bool{}
	var written, ids []string
	for _, p := range pols {
		data, err := policies.FS.ReadFile(p.ID + ".yaml")
		if err != nil {
			return fmt.Errorf("demo: policy %s: %w", p.ID, err)
		}
		files, err := scaffold.Files(scaffold.Office{PolicyID: p.ID, PolicyName: p.Name.Zh, Prefix: p.Prefix, PolicyYAML: data,
			OfficeName: g.opts.Office, CasebookVersion: release.Module(), GoVersion: release.Go()})
		if err != nil {
			return err
		}
		for _, f := range files {
			if f.Path == "policies/"+p.ID+".yaml" {
				if _, err := policy.Load(f.Path, f.Data); err != nil {
					return fmt.Errorf("demo: %w", err)
				}
			}
			if !seen[f.Path] {
				seen[f.Path] = true
				changes = append(changes, repo.Change{Path: f.Path, Data: f.Data})
				written = append(written, f.Path)
			}
		}
		ids = append(ids, p.ID)
	}
	if g.opts.Recipients != nil {
		changes = append(changes, repo.Change{Path: seal.File, Data: g.opts.Recipients})
		written = append(written, seal.File)
	}
	msg := fmt.Sprintf("casebook init --policy %s\n\n%s\n\nCasebook-Init: %s\n", strings.Join(ids, ","), strings.Join(written, "\n"), strings.Join(ids, ","))
	_, err := g.store.Batch.Commit(changes, msg, admin, g.opts.Start.Add(-time.Hour))
	return err
}

// plan draws every case and its steps, then orders all steps in time.
func (g *gen) plan(pols []*policy.Policy) {
	span := g.opts.End.Sub(g.opts.Start)
	received := make([]time.Time, g.opts.Cases)
	for i := range received {
		t := g.opts.Start.Add(time.Duration(g.rng.Int64N(int64(span - 24*time.Hour))))
		// Most complaints come in office hours.
		day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, shanghai)
		minute := 8*60 + g.rng.IntN(10*60)
		if g.rng.IntN(10) == 0 {
			minute = 18*60 + g.rng.IntN(4*60)
		}
		received[i] = day.Add(time.Duration(minute) * time.Minute)
	}
	sort.Slice(received, func(i, j int) bool { return received[i].Before(received[j]) })
	for _, t := range received {
		if len(g.cases) >= g.opts.Cases {
			break // repeat complaints took the last places
		}
		i := len(g.cases)
		p := pols[g.rng.IntN(len(pols))]
		c := &caseRun{n: i, policy: p, received: t, store: g.store}
		pl := &planner{g: g, c: c, last: t}
		switch p.ID {
		case "bank":
			planBank(pl, t)
		case "food":
			planFood(pl, t)
		case "hotline":
			planHotline(pl, t)
		case "internet":
			planInternet(pl, t)
		case "tendering":
			planTendering(pl, t)
		}
		g.cases = append(g.cases, c)
	}
	for _, c := range g.cases {
		for i, s := range c.steps {
			if s.at.After(g.opts.End) {
				break // what has not happened by the end stays undone
			}
			g.events = append(g.events, event{c: c, step: i})
			c.planned = i + 1
		}
	}
	sort.SliceStable(g.events, func(i, j int) bool {
		a, b := g.events[i], g.events[j]
		ta, tb := a.c.steps[a.step].at, b.c.steps[b.step].at
		if !ta.Equal(tb) {
			return ta.Before(tb)
		}
		if a.c.n != b.c.n {
			return a.c.n < b.c.n
		}
		return a.step < b.step
	})
}

// run performs the steps in time order through the clerk's desk.
func (g *gen) run() error {
	for _, e := range g.events {
		s := e.c.steps[e.step]
		if e.step > 0 && e.c.id == "" {
			continue // registered after the end: nothing to do
		}
		g.now = s.at
		g.desk.Actor = s.actor
		if err := s.do(g.desk, e.c); err != nil {
			id := e.c.id
			if id == "" {
				id = fmt.Sprintf("case %d (%s)", e.c.n, e.c.policy.ID)
			}
			return fmt.Errorf("demo: %s, %s at %s: %w", id, s.what, s.at.Format(time.RFC3339), err)
		}
	}
	return nil
}

// planner adds the steps of one case, each after the last.
type planner struct {
	g    *gen
	c    *caseRun
	last time.Time
}

// within returns a time d after the last step, give or take a fifth, moved into office
// hours (8:30 to 18:00) when it falls outside them.
func (pl *planner) within(d time.Duration) time.Time {
	jit := time.Duration(0)
	if d > 5*time.Minute {
		jit = time.Duration(pl.g.rng.Int64N(int64(d / 5)))
	}
	t := pl.last.Add(d - d/10 + jit)
	switch h := t.Hour(); {
	case h < 8:
		t = time.Date(t.Year(), t.Month(), t.Day(), 8, 30+pl.g.rng.IntN(60), 0, 0, shanghai)
	case h >= 18:
		t = time.Date(t.Year(), t.Month(), t.Day()+1, 8, 30+pl.g.rng.IntN(60), 0, 0, shanghai)
	}
	return t
}

// soon returns a time d after the last step, as it is (for clocks of minutes or hours).
func (pl *planner) soon(d time.Duration) time.Time {
	return pl.last.Add(d + time.Duration(pl.g.rng.Int64N(int64(time.Minute))))
}

// add appends a step at t by actor.
func (pl *planner) add(t time.Time, actor repo.Identity, what string, do func(d *clerk.Desk, c *caseRun) error) {
	if !t.After(pl.last) {
		t = pl.last.Add(time.Minute)
	}
	pl.last = t
	pl.c.steps = append(pl.c.steps, step{at: t, actor: actor, what: what, do: do})
}

// insert puts a step at t among the steps already planned, for a report the plan turned
// out to need once its later steps were drawn.
func (pl *planner) insert(t time.Time, actor repo.Identity, what string, do func(d *clerk.Desk, c *caseRun) error) {
	i := sort.Search(len(pl.c.steps), func(i int) bool { return pl.c.steps[i].at.After(t) })
	if i == 0 {
		i, t = 1, pl.c.steps[0].at.Add(time.Minute) // never before the registration
	}
	pl.c.steps = slices.Insert(pl.c.steps, i, step{at: t, actor: actor, what: what, do: do})
}

// setAt is the step function of a change of fields.
func setAt(sets []cases.Set) func(d *clerk.Desk, c *caseRun) error {
	return func(d *clerk.Desk, c *caseRun) error {
		_, err := d.Set(c.id, sets)
		return err
	}
}

// register adds the step that registers the case, a few minutes after it came in.
func (pl *planner) register(actor repo.Identity, nc clerk.NewCase) {
	t := nc.ReceivedAt.Add(time.Duration(2+pl.g.rng.IntN(25)) * time.Minute)
	pl.last = nc.ReceivedAt
	pl.add(t, actor, "new", func(d *clerk.Desk, c *caseRun) error {
		done, err := d.New(nc)
		if err != nil {
			return err
		}
		c.id, c.file = done.ID, done.File
		return nil
	})
}

// move adds a transition, with sections the clerk writes into the body first.
func (pl *planner) move(t time.Time, actor repo.Identity, to string, sets []cases.Set, note string, sections ...section) {
	pl.add(t, actor, "move to "+to, func(d *clerk.Desk, c *caseRun) error {
		if err := pl.g.write(c, sections); err != nil {
			return err
		}
		_, err := d.Move(c.id, to, sets, note)
		return err
	})
}

// set adds a change of fields.
func (pl *planner) set(t time.Time, actor repo.Identity, sets []cases.Set, sections ...section) {
	pl.add(t, actor, "set", func(d *clerk.Desk, c *caseRun) error {
		if err := pl.g.write(c, sections); err != nil {
			return err
		}
		_, err := d.Set(c.id, sets)
		return err
	})
}

// section is a body section the clerk writes: a heading and its text.
type section struct{ title, text string }

// write appends sections to the clerk's working copy of the case file.
func (g *gen) write(c *caseRun, sections []section) error {
	if len(sections) == 0 {
		return nil
	}
	data, err := c.store.ReadFile(c.file)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.Write(data)
	if !strings.HasSuffix(b.String(), "\n") {
		b.WriteString("\n")
	}
	for _, s := range sections {
		fmt.Fprintf(&b, "\n## %s\n\n%s\n", s.title, s.text)
	}
	c.store.WriteFile(c.file, []byte(b.String()))
	return nil
}

// kv builds a field change.
func kv(path string, v any) cases.Set { return cases.Set{Path: path, Value: v} }

// ts formats a moment as a datetime field holds it.
func ts(t time.Time) string { return t.In(shanghai).Format(time.RFC3339) }

// approval is the three fields of an approval.
func approval(path, by string, at time.Time, opinion string) []cases.Set {
	return []cases.Set{kv(path+".by", by), kv(path+".at", ts(at)), kv(path+".opinion", opinion)}
}

// chance is true with probability percent/100.
func (g *gen) chance(percent int) bool { return g.rng.IntN(100) < percent }

// pick returns one of xs.
func pick[T any](g *gen, xs []T) T { return xs[g.rng.IntN(len(xs))] }

// days is n days as a duration.
func days(n float64) time.Duration { return time.Duration(n * 24 * float64(time.Hour)) }
