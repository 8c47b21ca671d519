package office

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/policy"
)

// Record is one case judged at a moment: its policy, its history, its
// clocks and the escalations that apply.
type Record struct {
	Case      *cases.Case
	Policy    *policy.Policy
	PolicyErr error
	// History is nil for a case file that was never committed.
	History       *history.Case
	Env           map[string]any
	Clocks        []deadline.Clock
	ClockProblems []deadline.Problem
	// Facts lists the changes of recorded clock facts; the clocks keep the
	// value first recorded unless a correction changed it.
	Facts       []FactChange
	Escalations []policy.Escalation
	// Settled is true when judging the case at any later moment gives the
	// same clocks, escalations and facts (deadline.ComputeSettled): its
	// clocks have ended and nothing they count lies after the moment.
	Settled bool
	// Until is, for a record not settled, when its clocks, escalations and
	// facts may first differ from those at the moment judged
	// (deadline.ComputeUntil): every moment before it gives the same. It
	// is the zero time when nothing is known to hold past that moment.
	Until time.Time
	// Corrections are the case's recorded corrections once
	// Office.Corrections has read them; nil before.
	Corrections []Correction
}

// Open reports whether the case is in a non-terminal state.
func (r *Record) Open() bool {
	return r.Policy != nil && !r.Policy.IsTerminal(r.Case.Status)
}

// Late reports whether any clock is overdue.
func (r *Record) Late() bool {
	for _, c := range r.Clocks {
		if c.State == deadline.Overdue {
			return true
		}
	}
	return false
}

// Location is the time zone the office reads the case's times in: its
// policy's, or UTC when the policy did not load. The site and cases.csv
// show local times in it.
func (r *Record) Location() *time.Location {
	if r.Policy != nil && r.Policy.Location != nil {
		return r.Policy.Location
	}
	return time.UTC
}

// ClosedAt is when a finished case reached its terminal state: the last
// transition into one. ok is false for an open case, and for one whose
// history has no such transition (a file committed already closed).
func (r *Record) ClosedAt() (at time.Time, ok bool) {
	if r.Policy == nil || r.Open() {
		return time.Time{}, false
	}
	ts := r.Transitions()
	for i := len(ts) - 1; i >= 0; i-- {
		if r.Policy.IsTerminal(ts[i].To) {
			return ts[i].At, true
		}
	}
	return time.Time{}, false
}

// Transitions returns the case's status changes from git, oldest first.
func (r *Record) Transitions() []history.Transition {
	if r.History == nil {
		return nil
	}
	return r.History.Transitions
}

// Release hands r's condition environment back for a later Record to
// refill: a caller that is done with r before judging the next case (the
// validator judges tens of thousands) then does not allocate a map per
// case. r.Env is nil afterwards; nothing may keep a reference to it.
func (o *Office) Release(r *Record) {
	if r.Env != nil {
		o.envs.Put(r.Env)
		r.Env = nil
	}
}

// Records judges every parsed case at now, in file order.
func (o *Office) Records(now time.Time) []*Record {
	out := make([]*Record, len(o.Cases))
	Parallel(len(o.Cases), func(i int) { out[i] = o.Record(o.Cases[i], now) })
	return out
}

// Parallel calls f(0) ... f(n-1) on all cores; f must only write to its
// own index, so results stay in order and deterministic.
func Parallel(n int, f func(i int)) { ParallelN(n, runtime.GOMAXPROCS(0), f) }

// ParallelN is Parallel with workers goroutines: more than the cores
// keeps them busy while some wait on the disk.
func ParallelN(n, workers int, f func(i int)) {
	workers = min(workers, n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	const chunk = 64
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				start := int(next.Add(chunk)) - chunk
				if start >= n {
					return
				}
				for i := start; i < min(start+chunk, n); i++ {
					f(i)
				}
			}
		}()
	}
	wg.Wait()
}

// Record judges one case at now.
func (o *Office) Record(c *cases.Case, now time.Time) *Record {
	h := o.CaseHistory(c)
	p, err := o.PolicyOf(c)
	if err != nil {
		return &Record{Case: c, History: h, PolicyErr: err}
	}
	env, _ := o.envs.Get().(map[string]any)
	facts, pinned := factChanges(o.Repo, p, c, h)
	clock := c
	if pinned != nil {
		clock = withFacts(p, c, pinned)
	}
	r := judge(p, o.Calendar(p), c, clock, h, now, p.FillEnv(env, c.Fields))
	r.Facts = facts
	return r
}

// CaseHistory is the history a record of c is judged with: its id's, or,
// when several files carry the id, the part that belongs to c's file; nil
// without history.
func (o *Office) CaseHistory(c *cases.Case) *history.Case {
	if o.History == nil {
		return nil
	}
	h := o.History.Cases[c.ID]
	if h != nil && o.duplicated(c.ID) {
		h = ofPath(h, c.File)
	}
	return h
}

// Events turns a case's committed status changes into clock events. A case
// never committed starts at its received_at in its current state.
func Events(h *history.Case, c *cases.Case) []deadline.Event {
	if h == nil || len(h.Transitions) == 0 {
		return []deadline.Event{{At: c.ReceivedAt, From: "", To: c.Status}}
	}
	out := make([]deadline.Event, 0, len(h.Transitions))
	for _, t := range h.Transitions {
		out = append(out, deadline.Event{At: t.At, From: t.From, To: t.To})
	}
	return out
}

// duplicated reports whether several case files carry id (two clones
// allocated the same one); validate reports id.duplicate.
func (o *Office) duplicated(id string) bool {
	o.dupOnce.Do(func() {
		seen := map[string]int{}
		for _, c := range o.Cases {
			seen[c.ID]++
		}
		o.dups = map[string]bool{}
		for id, n := range seen {
			if n > 1 {
				o.dups[id] = true
			}
		}
	})
	return o.dups[id]
}

// ofPath keeps the part of a history that belongs to one file, for an id
// that two files share: each file keeps its own transitions.
func ofPath(h *history.Case, path string) *history.Case {
	out := &history.Case{ID: h.ID, Path: path}
	prev := ""
	for _, v := range h.Versions {
		if v.Path != path {
			continue
		}
		out.Versions = append(out.Versions, v)
		if v.Deleted {
			continue
		}
		if v.Snap.Status != prev || len(out.Transitions) == 0 {
			out.Transitions = append(out.Transitions, v.Transition(prev, v.Snap.Status))
		}
		prev = v.Snap.Status
	}
	return out
}
