package demo

import (
	"fmt"
	"sync"
	"time"

	"github.com/casebook/casebook/internal/clerk"
	"github.com/casebook/casebook/internal/repo"
)

// record is a commit a case's desk prepared, to be written in time order later.
type record struct {
	change repo.Change
	msg    string
	actor  repo.Identity
	at     time.Time
}

// runParallel gives the same commits as run, sooner: each case is worked on by its own
// desk, on a store that holds only that case and records its commits, and the records
// are then written into the batch in the order of the steps. This is sound because a
// clerk's operation reads nothing but its own case, with two exceptions handled ahead:
// the next id, which depends only on the order of registrations (allocated here in that
// order), and the existence of a linked case (whose file is known by then).
func (g *gen) runParallel(workers int) error {
	files := map[string]string{}
	seq := map[string]int{}
	for _, e := range g.events {
		if e.step != 0 {
			continue
		}
		c := e.c
		r := c.received.In(c.policy.Location)
		key := fmt.Sprintf("%s-%04d-", c.policy.Prefix, r.Year())
		seq[key]++
		c.pre = fmt.Sprintf("%s%04d", key, seq[key])
		files[c.pre] = fmt.Sprintf("cases/%04d/%02d/%02d/%s.md", r.Year(), r.Month(), r.Day(), c.pre)
	}

	jobs := make(chan *caseRun)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range jobs {
				g.runCase(c, files)
			}
		}()
	}
	for _, c := range g.cases {
		if c.planned > 0 {
			jobs <- c
		}
	}
	close(jobs)
	wg.Wait()

	// The first failure in time order is the one run would have met.
	for _, e := range g.events {
		if e.c.err != nil && e.step == e.c.errStep {
			return e.c.err
		}
	}
	next := map[*caseRun]int{}
	for _, e := range g.events {
		i := next[e.c]
		next[e.c] = i + 1
		r := e.c.recs[i]
		if _, err := g.store.Batch.Commit([]repo.Change{r.change}, r.msg, r.actor, r.at); err != nil {
			return fmt.Errorf("demo: %s: %w", e.c.id, err)
		}
	}
	return nil
}

// runCase performs the planned steps of one case on a desk of its own.
func (g *gen) runCase(c *caseRun, files map[string]string) {
	cs := &caseStore{c: c, files: files}
	c.store = cs
	d := *g.desk
	d.Store = cs
	d.Now = func() time.Time { return cs.now }
	for i := range c.planned {
		s := c.steps[i]
		cs.now = s.at
		d.Actor = s.actor
		if err := s.do(&d, c); err != nil {
			id := c.id
			if id == "" {
				id = fmt.Sprintf("case %d (%s)", c.n, c.policy.ID)
			}
			c.err, c.errStep = fmt.Errorf("demo: %s, %s at %s: %w", id, s.what, s.at.Format(time.RFC3339), err), i
			return
		}
	}
}

// caseStore is a store that holds one case file and records its commits.
type caseStore struct {
	c     *caseRun
	files map[string]string // every case's file by id
	now   time.Time
	data  []byte // as committed
	work  []byte // the clerk's working copy, if not nil
}

var (
	_ clerk.Store = (*caseStore)(nil)
	_ clerk.View  = (*caseStore)(nil)
)

func (s *caseStore) Locate(id string) (string, error) {
	if f, ok := s.files[id]; ok {
		return f, nil
	}
	return "", &clerk.InputError{Msg: fmt.Sprintf("no case %s under cases/", id)}
}

func (s *caseStore) ReadFile(file string) ([]byte, error) {
	if file != s.c.file {
		return nil, fmt.Errorf("read %s: not the file of %s", file, s.c.pre)
	}
	if s.work != nil {
		return s.work, nil
	}
	return s.data, nil
}

func (s *caseStore) WriteFile(file string, data []byte) { s.work = data }

func (s *caseStore) Commit(actor repo.Identity, now func() time.Time, prepare func(v clerk.View) (repo.Change, string, error)) (repo.Result, error) {
	ch, msg, err := prepare(s)
	if err != nil {
		return repo.Result{}, err
	}
	if s.c.file != "" && ch.Path != s.c.file {
		return repo.Result{}, fmt.Errorf("commit %s: not the file of %s", ch.Path, s.c.pre)
	}
	at := now()
	s.c.recs = append(s.c.recs, record{change: ch, msg: msg, actor: actor, at: at})
	s.data, s.work = ch.Data, nil
	return repo.Result{Time: at.Truncate(time.Second)}, nil
}

func (s *caseStore) Committed(file string) ([]byte, bool) {
	if file != s.c.file || s.data == nil {
		return nil, false
	}
	return s.data, true
}

func (s *caseStore) NextID(prefix string, year int) (string, error) { return s.c.pre, nil }
