package doctor

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/repo"
	"github.com/casebook/casebook/internal/validate"
)

// casesPrefix is the folder the office reads history for (office.Load).
const casesPrefix = "cases/"

const cacheFix = "casebook doctor --repair deletes it; the next command rebuilds it (or delete it by hand: it is derived data)"

func (c *checker) checkCaches() {
	dir := c.dirs.CacheDir()
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return
	}
	type check struct {
		name string
		err  error
	}
	var checks []check
	for _, name := range history.CacheFiles {
		checks = append(checks, check{name, history.CheckCacheFile(dir, name, casesPrefix)})
	}
	checks = append(checks, check{cases.CacheFile, cases.CheckCacheFile(dir)})
	checks = append(checks, check{repo.IDCacheFile, repo.CheckIDCache(dir)})
	checks = append(checks, check{validate.CacheFile, validate.CheckCacheFile(dir)})
	historyBad := false
	for _, ch := range checks {
		if ch.err == nil {
			continue
		}
		if slices.Contains(history.CacheFiles, ch.name) {
			historyBad = true
		}
		c.removable(filepath.Join(dir, ch.name), "cache.damaged", "cache file "+ch.name+" does not check out: "+ch.err.Error()+"; casebook ignores it and writes a new one")
	}
	c.checkHistoryAgrees(dir, historyBad)
	c.checkCacheLeftovers(dir)
}

// checkHistoryAgrees compares the history read through the cache with the
// history read from git alone.
func (c *checker) checkHistoryAgrees(dir string, historyBad bool) {
	if historyBad {
		return // being ignored already; the comparison would prove nothing
	}
	present := false
	for _, name := range history.CacheFiles {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			present = true
		}
	}
	if !present {
		return
	}
	if c.objectsBad() {
		c.rep.add(Finding{Code: "cache.skipped", Path: c.rel(filepath.Join(dir, history.CacheFiles[0])),
			Message: "the history cache was not compared with git: objects are damaged"})
		return
	}
	lying, err := history.CacheAgrees(c.repo, dir, casesPrefix)
	if err != nil {
		c.rep.add(Finding{Code: "cache.skipped", Path: c.rel(filepath.Join(dir, history.CacheFiles[0])),
			Message: "the history cache was not compared with git: " + err.Error()})
		return
	}
	for _, name := range lying {
		c.removable(filepath.Join(dir, name), "cache.inconsistent", "cache file "+name+" checks out but gives another history than git does")
	}
}

// checkCacheLeftovers finds the temporary files of cache writers that were
// killed before renaming them into place. A live writer's file may be
// deleted too: its rename then fails and it only skips saving its cache.
func (c *checker) checkCacheLeftovers(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() {
			continue
		}
		for _, base := range append(append([]string(nil), history.CacheFiles...), cases.CacheFile, cases.StatFile, validate.CacheFile) {
			if strings.HasPrefix(n, base+".tmp") {
				names = append(names, n)
			}
		}
		if strings.HasPrefix(n, repo.IDCacheFile+".") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		c.leftover(filepath.Join(dir, n), "a cache being written by a run that was killed")
	}
}

func (c *checker) removable(p, code, msg string) {
	f := Finding{Code: code, Path: c.rel(p), Message: msg, Fix: cacheFix}
	if c.opts.Repair {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			f.Message += "; repair failed: " + err.Error()
		} else {
			f.Repaired = "deleted; the next command rebuilds it"
		}
	}
	c.rep.add(f)
}

// objectsBad reports whether an object finding was made: reading history
// through damaged objects proves nothing about the cache.
func (c *checker) objectsBad() bool {
	for _, f := range c.rep.Findings {
		if strings.HasPrefix(f.Code, "object.") {
			return true
		}
	}
	return false
}
