package doctor

import (
	"errors"
	"path/filepath"
	"time"

	"github.com/casebook/casebook/internal/gitdir"
	"github.com/casebook/casebook/internal/office"
)

// Severity orders findings.
type Severity string

// Severities: an error needs a person (damaged objects), a warning is
// something casebook would live with or heal itself (a stale lock, a bad
// cache), info is only said.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
)

// Finding is one thing doctor found, and what repair did about it.
type Finding struct {
	Severity Severity `json:"severity"`
	// Code is one of the codes listed in Codes.
	Code string `json:"code"`
	// Path is relative to the repository root, slash-separated.
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"`
	// Repaired says what Options.Repair did about it; empty when nothing.
	Repaired string `json:"repaired,omitempty"`
}

// Codes are doctor's finding codes with their severities.
var Codes = map[string]Severity{
	"object.damaged":       Error,   // a loose object or pack does not check out
	"object.missing":       Error,   // a ref, commit or tree names an object that is absent or unreadable
	"lock.stale":           Warning, // the casebook lock of a dead or long-gone run
	"lock.held":            Info,    // a live casebook run holds the lock
	"lock.index":           Warning, // .git/index.lock that no casebook run recorded
	"cache.damaged":        Warning, // a cache file its reader would ignore
	"cache.inconsistent":   Warning, // the history cache gives another history than git
	"cache.leftover":       Warning, // a temporary file of a killed run
	"cache.skipped":        Info,    // the history cache could not be compared
	"calendar.overrides":   Info,    // a year of policies/calendar.yaml that lunar-go has with other days
	"calendar.unchecked":   Info,    // a year of policies/calendar.yaml nobody checked against its notice
	"calendar.uncommitted": Info,    // policies/calendar.yaml on disk is not the committed one
}

// DefaultStaleAfter is the age from which a lock is stale even when its
// pid runs: a casebook commit holds the lock for seconds, so after an hour
// the pid has been reused, or the holder ran on another host.
const DefaultStaleAfter = time.Hour

// Options tune Run.
type Options struct {
	// Repair removes what is safe to remove: a stale lock (taken over,
	// which finishes or undoes its index.lock), damaged or inconsistent
	// cache files and leftover temporary files.
	Repair bool
	// Now is the moment lock ages are measured against. Locks record
	// the wall clock, so the caller passes the wall clock (or --now).
	Now time.Time
	// StaleAfter overrides DefaultStaleAfter.
	StaleAfter time.Duration
}

// Report is the result of Run.
type Report struct {
	// Objects counts the loose and packed objects whose bytes were checked.
	Objects int `json:"objects"`
	// Commits counts the commits walked from the refs.
	Commits  int       `json:"commits"`
	Findings []Finding `json:"findings"`
	// Problems counts the errors and warnings left unrepaired.
	Problems int `json:"problems"`
	// Repaired counts the findings repair fixed.
	Repaired int `json:"repaired"`
}

// Healthy reports whether nothing is left to do.
func (r *Report) Healthy() bool { return r.Problems == 0 }

func (r *Report) add(f Finding) {
	if f.Severity == "" {
		f.Severity = Codes[f.Code]
	}
	r.Findings = append(r.Findings, f)
}

func (r *Report) count() {
	r.Problems, r.Repaired = 0, 0
	for _, f := range r.Findings {
		switch {
		case f.Repaired != "":
			r.Repaired++
		case f.Severity == Error || f.Severity == Warning:
			r.Problems++
		}
	}
}

// Run checks the repository around dir and, with opts.Repair, repairs what
// is safe. A repository that cannot be opened is an error; everything
// found inside it is a finding.
func Run(dir string, opts Options) (*Report, error) {
	root, repo, err := office.FindRoot(dir)
	if err != nil {
		return nil, err
	}
	dirs, err := gitdir.Of(repo)
	if err != nil {
		return nil, err
	}
	if opts.StaleAfter <= 0 {
		opts.StaleAfter = DefaultStaleAfter
	}
	if opts.Now.IsZero() {
		return nil, errors.New("doctor: Options.Now is required")
	}
	c := &checker{root: root, dirs: dirs, repo: repo, opts: opts, rep: &Report{Findings: []Finding{}}}
	c.checkLock()
	c.checkObjects()
	c.checkCaches()
	c.checkCalendar()
	c.rep.count()
	return c.rep, nil
}

// rel turns a path under the repository into the slash form findings use.
func (c *checker) rel(p string) string {
	r, err := filepath.Rel(c.root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(r)
}
