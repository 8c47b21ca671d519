package history

import (
	"container/heap"
	"errors"
	"fmt"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
)

// Options tunes Read.
type Options struct {
	// Prefix is the folder that holds case files, with a trailing slash:
	// "cases/". Empty means the whole tree.
	Prefix string
	// CacheDir holds the history cache, normally <gitdir>/casebook; empty
	// disables the cache.
	CacheDir string
	// Workers is the number of goroutines that read trees and blobs;
	// zero means GOMAXPROCS.
	Workers int
	// LateEntry is the shortest late-entry window of the office's
	// policies: History.LateEntries lists the commits later than that.
	// Zero looks for none.
	LateEntry time.Duration
}

// Version is one commit that changed a case file. A large office keeps
// a hundred thousand of these for a whole run, so a Version holds only what
// callers read: no parent or blob names, no key fingerprints.
type Version struct {
	Commit string
	// At is the author date, the moment of the change: git keeps it
	// through rebase and cherry-pick. CommittedAt is the committer date,
	// when the commit entered this history. Both keep the commit's time
	// zone offset.
	At            time.Time
	CommittedAt   time.Time
	Actor, Email  string // the commit author
	Subject, Note string
	Trailers      Trailers
	Path          string
	// Blob is the git object of this version of the file (zero when
	// Deleted), for the rare reader that needs a past version's values:
	// ReadBlob returns its bytes.
	Blob plumbing.Hash
	// Snap is the file's snapshot without its Keys: they serve to compute
	// Changed and would cost more than the rest of the version if kept.
	Snap Snapshot
	// Changed lists the top-level keys whose text differs from the previous
	// version (all keys for a new file), sorted.
	Changed []string
	// Replaced lists the keys that the previous version had and this one
	// changed or dropped (Changed without the keys it adds), sorted: a
	// fact recorded once can only have been changed by such a version.
	Replaced []string
	Deleted  bool
	// Readded marks a file that brings back a case deleted by an earlier
	// commit: its state is compared with the state before the deletion.
	Readded bool
	Merge   bool
	// Signed is true when the commit carries a signature header; whether
	// the signature is valid is for the caller to check.
	Signed bool
	// Shallow marks a boundary commit of a shallow clone: its parents are
	// missing, so every case file it holds reads as created by it.
	Shallow bool
	// ParentAt is the latest committer time among the parents (zero for a
	// root commit), for clock-skew checks.
	ParentAt time.Time
}

// Transition is a version that changed a case's status, or created it
// (From is then "").
type Transition struct {
	// At is the moment (the author date), CommittedAt the committer date;
	// see Version.
	At            time.Time
	CommittedAt   time.Time
	Actor, Email  string
	From, To      string
	Commit, Note  string
	Path          string
	Trailers      Trailers
	Changed       []string
	Merge, Signed bool
	Shallow       bool // see Version.Shallow
	Readded       bool // see Version.Readded; From is the state before the deletion
	ParentAt      time.Time
}

// Transition returns v as a transition from one state to another: the
// moment, actor and commit of the version.
func (v *Version) Transition(from, to string) Transition {
	return Transition{
		At: v.At, CommittedAt: v.CommittedAt, Actor: v.Actor, Email: v.Email, From: from, To: to,
		Commit: v.Commit, Note: v.Note, Path: v.Path, Trailers: v.Trailers, Changed: v.Changed,
		Merge: v.Merge, Signed: v.Signed, Shallow: v.Shallow, ParentAt: v.ParentAt,
	}
}

// Case is the history of one case id.
type Case struct {
	ID string
	// Path is the file at HEAD or, for a deleted case, the last known one.
	Path        string
	Versions    []Version    // oldest first (parents before children)
	Transitions []Transition // oldest first
	// Deleted is the version that removed the case when no file at HEAD
	// carries its id; nil otherwise.
	Deleted *Version
}

// History is the audit trail of every case reachable from HEAD.
type History struct {
	Head    string // HEAD commit; empty in a repository without commits
	Commits int    // commits reachable from HEAD
	// Root is the first commit of the history: the smallest hash of the
	// commits HEAD reaches that have no parent (histories merged in have
	// their own), empty without commits or when the clone is shallow. It
	// names the office's repository in ids meant to be unique per office:
	// every clone has the same, no two offices' differ only by chance.
	Root  string
	Cases map[string]*Case
	Order []string // case ids, sorted
	// Backdated lists every commit reachable from HEAD, whether it touched
	// a case or not, whose committer date is more than ClockSkew earlier
	// than a parent's: the chain of committer dates orders the record, and
	// an empty commit can break it as well as a transition.
	Backdated []CommitDate
	// LateEntries lists the commits that entered this history more than
	// Options.LateEntry after the moment they claim (see LateEntry).
	LateEntries []LateEntry
	// Shallow lists the boundary commits of a shallow clone that HEAD
	// reaches, sorted; empty when the whole history is here.
	Shallow []string
	// Renumbered lists the commits that gave a case another id, in history
	// order.
	Renumbered []Renumbering
	// Collisions lists the ids registered on independent lines of history,
	// sorted by id.
	Collisions []Collision
}

// ClockSkew is how much earlier than its parent a commit may be dated
// before the chain counts as broken: clocks of clerks' laptops differ.
const ClockSkew = 10 * time.Minute

// CommitDate is a commit's committer date and its latest parent's (in
// History.Backdated), or its author date (in LateEntry.Brought).
type CommitDate struct {
	Commit       string
	At, ParentAt time.Time
	Actor        string
}

// Read derives the history of every case from the commits reachable from
// HEAD, walking each commit once.
func Read(repo *git.Repository, opts Options) (*History, error) {
	h := &History{Cases: map[string]*Case{}}
	ref, err := repo.Head()
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return h, nil // no commits yet: no history
	}
	if err != nil {
		return nil, fmt.Errorf("read HEAD: %w", err)
	}
	head := ref.Hash()
	h.Head = head.String()
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var prefix []string
	for _, p := range strings.Split(opts.Prefix, "/") {
		if p != "" {
			prefix = append(prefix, p)
		}
	}
	objs := newObjectStore(repo, 48<<20)
	defer objs.close()

	// A shallow clone (CI checkouts often are one) lacks the parents of its
	// boundary commits: those are read as if they had none.
	shallow, err := shallowSet(repo)
	if err != nil {
		return nil, err
	}
	key := savedKey{prefix: opts.Prefix, late: opts.LateEntry, shallow: shallowKey(shallow), head: head}
	if sr, _ := loadSaved(opts.CacheDir, savedKey{prefix: key.prefix, late: key.late, shallow: key.shallow}, true); sr != nil {
		// A reader that asks for no late entries takes a file saved with
		// a window, and keeps it saved with that window.
		key.late = sr.key.late
		if saved, ok := fromSaved(objs, sr, key, prefix, shallow, opts.CacheDir); ok {
			return withLate(saved, opts.LateEntry), nil
		}
	}
	c := loadCache(opts.CacheDir, opts.Prefix)
	commits, order, err := walk(objs, head, c, shallow)
	if err != nil {
		return nil, err
	}
	h.Commits = len(order)
	h.Backdated = dates(order)
	for _, r := range order {
		if r.shallow {
			h.Shallow = append(h.Shallow, r.Hash.String())
		} else if len(r.Parents) == 0 && (h.Root == "" || r.Hash.String() < h.Root) {
			h.Root = r.Hash.String()
		}
	}
	sort.Strings(h.Shallow)
	if len(h.Shallow) > 0 {
		h.Root = "" // the first commit is not here
	}

	// Diff the commits the cache did not know, in parallel.
	var todo []*commitRec
	for _, r := range order {
		if !r.diffed {
			todo = append(todo, r)
		}
	}
	snaps, err := diffAll(objs, prefix, commits, todo, c.snaps, workers)
	if err != nil {
		return nil, err
	}
	// The big cache served the walk; what follows reads few objects.
	objs.cache = newObjCache(8 << 20)
	d := &differ{objs: objs, prefix: prefix}
	snap := func(b hash) (*Snapshot, error) {
		if s, ok := snaps[b]; ok {
			return s, nil
		}
		s, err := objs.snapshot(b)
		if err != nil {
			return nil, err
		}
		snaps[b] = &s
		return &s, nil
	}

	// Files at HEAD decide which cases still exist.
	atHead, err := listHead(d, commits[head].Tree, opts.CacheDir, opts.Prefix)
	if err != nil {
		return nil, err
	}
	// Order holds the records assemble reads; the map of every record by
	// hash, tens of megabytes at a third of a million commits, can go
	// before the versions are built.
	extra := mergeSides(order, commits)
	h.LateEntries = lateEntries(order, commits, key.late)
	commits, c.commits = nil, nil
	if err := assemble(h, order, atHead, extra, snap); err != nil {
		return nil, err
	}
	if opts.CacheDir != "" && (len(todo) > 0 || !c.valid) {
		saveCache(opts.CacheDir, opts.Prefix, c, order, todo, snaps)
	}
	save(opts.CacheDir, key, h)
	return withLate(h, opts.LateEntry), nil
}

// fromSaved returns the saved history of sr at key.head: as saved, or
// extended by the plain commits since. ok is false when the full walk has
// to run (the way from the saved HEAD is not plain, or the file does not
// decode); errors reading git are the full walk's to report.
func fromSaved(objs *objectStore, sr *savedHistory, key savedKey, prefix []string, shallow map[hash]bool, dir string) (*History, bool) {
	if sr.head == key.head {
		h, err := sr.whole(nil)
		return h, err == nil
	}
	chain, ok, err := plainChain(objs, &differ{objs: objs, prefix: prefix}, key.head, sr.head, shallow)
	if err != nil || !ok {
		return nil, false
	}
	h, err := sr.whole(nil)
	if err != nil || !extend(h, key.head, chain, key.late) {
		return nil, false
	}
	extended.Add(1)
	var ids []string
	for id := range touched(chain) {
		ids = append(ids, id)
	}
	saveChanged(dir, sr, key, h, ids)
	return h, true
}

// extended counts the Reads served by extending a saved history, for tests.
var extended atomic.Int64

// withLate drops the late entries when the caller asked for none: they
// were computed for the window the saved history keeps.
func withLate(h *History, late time.Duration) *History {
	if late <= 0 {
		h.LateEntries = nil
	}
	return h
}

// ReadCase returns the history of case id as Read would (nil when it has
// none), decoding only that case of the saved history when one is saved
// at HEAD or a few plain commits before it; otherwise it runs Read.
func ReadCase(repo *git.Repository, opts Options, id string) (*Case, error) {
	if ref, err := repo.Head(); err == nil && opts.CacheDir != "" {
		head := ref.Hash()
		shallow, err := shallowSet(repo)
		if err != nil {
			return nil, err
		}
		key := savedKey{prefix: opts.Prefix, late: opts.LateEntry, shallow: shallowKey(shallow), head: head}
		if sr, _ := loadSaved(opts.CacheDir, savedKey{prefix: key.prefix, late: key.late, shallow: key.shallow}, false); sr != nil {
			if c, ok := caseFromSaved(repo, sr, key, opts.Prefix, shallow, id); ok {
				return c, nil
			}
		}
	}
	h, err := Read(repo, opts)
	if err != nil {
		return nil, err
	}
	return h.Cases[id], nil
}

func caseFromSaved(repo *git.Repository, sr *savedHistory, key savedKey, prefixDir string, shallow map[hash]bool, id string) (*Case, bool) {
	want := map[string]bool{id: true}
	var chain []plainCommit
	if sr.head != key.head {
		objs := newObjectStore(repo, 8<<20)
		defer objs.close()
		var prefix []string
		for _, p := range strings.Split(prefixDir, "/") {
			if p != "" {
				prefix = append(prefix, p)
			}
		}
		var ok bool
		var err error
		if chain, ok, err = plainChain(objs, &differ{objs: objs, prefix: prefix}, key.head, sr.head, shallow); err != nil || !ok {
			return nil, false
		}
		for t := range touched(chain) {
			want[t] = true
		}
	}
	h, err := sr.whole(func(x string) bool { return want[x] })
	if err != nil || chain != nil && !extend(h, key.head, chain, sr.key.late) {
		return nil, false
	}
	return h.Cases[id], true
}

// listHead returns the case files of tree root at HEAD. It starts from the
// listing saved by the previous Read and applies the diff between the two
// trees, which touches a handful of subtrees instead of every day folder.
func listHead(d *differ, root hash, cacheDir, prefix string) ([]change, error) {
	top, err := d.lookupPrefix(root)
	if err != nil {
		return nil, err
	}
	dir := strings.Join(d.prefix, "/")
	if dir != "" {
		dir += "/"
	}
	var files []change
	oldTop, old := loadListing(cacheDir, prefix)
	switch {
	case top == oldTop:
		files = old
	case oldTop != zeroHash:
		var diff []change
		d.arena = d.arena[:0]
		if err := d.diff(dir, top, []hash{oldTop}, false, &diff); err != nil {
			// The old tree is gone (history rewritten and pruned): list anew.
			return listHead(d, root, "", prefix)
		}
		if bundleMade(diff) {
			// Its folder's other files went in or out of the listing
			// without a change of their own.
			files = nil
			if err := d.list(dir, top, false, &files); err != nil {
				return nil, err
			}
			break
		}
		byPath := make(map[string]hash, len(old)+len(diff))
		for _, f := range old {
			byPath[f.Path] = f.Blob
		}
		for _, ch := range diff {
			if ch.Blob == zeroHash {
				delete(byPath, ch.Path)
			} else {
				byPath[ch.Path] = ch.Blob
			}
		}
		files = make([]change, 0, len(byPath))
		for p, b := range byPath {
			files = append(files, change{Path: p, Blob: b})
		}
		sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	case top != zeroHash:
		if err := d.list(dir, top, false, &files); err != nil {
			return nil, err
		}
	}
	if cacheDir != "" && top != oldTop {
		saveListing(cacheDir, prefix, top, files)
	}
	return files, nil
}

// bundleMade reports whether changes add or remove a bundle's index.md:
// that makes the folder's other Markdown files (and those below it)
// attachments, or case files again, which no diff lists as changed.
func bundleMade(changes []change) bool {
	for _, ch := range changes {
		if path.Base(ch.Path) == "index.md" && (ch.Old == zeroHash || ch.Blob == zeroHash) {
			return true
		}
	}
	return false
}

// lookupPrefix returns the tree of Options.Prefix inside root, or zero.
func (d *differ) lookupPrefix(root hash) (hash, error) {
	cur := root
	for _, comp := range d.prefix {
		var err error
		if cur, err = d.lookupTree(cur, comp); err != nil {
			return zeroHash, err
		}
	}
	return cur, nil
}

// walk reads every commit reachable from head, taking records from the
// cache where it has them, and returns them in topological order: parents
// before children, ties broken by committer time, then hash. The returned
// map also holds the cache's unreachable records; order has only reachable
// ones. Bookkeeping lives in the records, not in side maps: 70,000 commits
// make map inserts show up in profiles.
func walk(objs *objectStore, head hash, c *cache, shallow map[hash]bool) (map[hash]*commitRec, []*commitRec, error) {
	commits := c.commits
	var reach []*commitRec
	get := func(h hash) (*commitRec, error) {
		if r, ok := commits[h]; ok {
			return r, nil
		}
		typ, b, err := objs.readOnce(h)
		if err != nil {
			return nil, fmt.Errorf("walk history: %w", err)
		}
		if typ != objCommit {
			return nil, fmt.Errorf("walk history: object %s is not a commit", h)
		}
		r, err := parseCommit(h, b)
		if err != nil {
			return nil, fmt.Errorf("walk history: %w", err)
		}
		commits[h] = r
		return r, nil
	}
	r, err := get(head)
	if err != nil {
		return nil, nil, err
	}
	r.seen = true
	stack := []*commitRec{r}
	for len(stack) > 0 {
		r := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		reach = append(reach, r)
		if shallow[r.Hash] {
			// Its changes are "everything it holds", which is not a fact
			// about the commit: never take them from, or give them to, the
			// cache.
			r.shallow, r.diffed, r.Changes, r.Sides = true, false, nil, nil
			continue
		}
		for _, p := range r.Parents {
			pr, err := get(p)
			if err != nil {
				return nil, nil, err
			}
			if pr.child == nil {
				pr.child = r
			} else {
				pr.more = append(pr.more, r)
			}
			if pr.CommitSec > r.parentSec || r.parentSec == 0 && r.parentOff == 0 {
				r.parentSec, r.parentOff = pr.CommitSec, pr.CommitOff
			}
			if !pr.seen {
				pr.seen = true
				stack = append(stack, pr)
			}
		}
	}
	// Kahn's algorithm over parent links, smallest (time, hash) first.
	q := &commitHeap{}
	for _, r := range reach {
		r.pending = int32(len(r.Parents))
		if r.shallow {
			r.pending = 0
		}
		if r.pending == 0 {
			q.items = append(q.items, r)
		}
	}
	heap.Init(q)
	order := make([]*commitRec, 0, len(reach))
	for q.Len() > 0 {
		r := heap.Pop(q).(*commitRec)
		r.idx = int32(len(order))
		order = append(order, r)
		release := func(ch *commitRec) {
			// A commit that lists the same parent twice waits for both.
			ch.pending--
			if ch.pending == 0 {
				heap.Push(q, ch)
			}
		}
		if r.child != nil {
			release(r.child)
		}
		for _, ch := range r.more {
			release(ch)
		}
	}
	if len(order) != len(reach) {
		return nil, nil, fmt.Errorf("walk history: parent links form a cycle")
	}
	return commits, order, nil
}

// dates checks the chain of committer dates over every commit of order.
func dates(order []*commitRec) []CommitDate {
	var bad []CommitDate
	at := func(sec int64, off int32) time.Time { return time.Unix(sec, 0).In(time.FixedZone("", int(off))) }
	for _, r := range order {
		if len(r.Parents) == 0 || r.shallow {
			continue
		}
		if r.CommitSec < r.parentSec-int64(ClockSkew/time.Second) {
			bad = append(bad, CommitDate{Commit: r.Hash.String(), At: at(r.CommitSec, r.CommitOff), ParentAt: at(r.parentSec, r.parentOff), Actor: r.Author})
		}
	}
	return bad
}

type commitHeap struct{ items []*commitRec }

func (q *commitHeap) Len() int { return len(q.items) }
func (q *commitHeap) Less(i, j int) bool {
	a, b := q.items[i], q.items[j]
	if a.CommitSec != b.CommitSec {
		return a.CommitSec < b.CommitSec
	}
	return string(a.Hash[:]) < string(b.Hash[:])
}
func (q *commitHeap) Swap(i, j int) { q.items[i], q.items[j] = q.items[j], q.items[i] }
func (q *commitHeap) Push(x any)    { q.items = append(q.items, x.(*commitRec)) }
func (q *commitHeap) Pop() any {
	x := q.items[len(q.items)-1]
	q.items = q.items[:len(q.items)-1]
	return x
}

// diffAll computes the changes of todo with workers goroutines and returns
// the snapshots of every blob they added, merged into known.
func diffAll(objs *objectStore, prefix []string, commits map[hash]*commitRec, todo []*commitRec, known map[hash]*Snapshot, workers int) (map[hash]*Snapshot, error) {
	const chunk = 32 // neighbouring commits share trees: keep them on one worker
	var next atomic.Int64
	var wg sync.WaitGroup
	found := make([]map[hash]*Snapshot, workers)
	errs := make([]error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			d := &differ{objs: objs, prefix: prefix}
			mine := map[hash]*Snapshot{}
			found[w] = mine
			for {
				start := int(next.Add(chunk)) - chunk
				if start >= len(todo) {
					return
				}
				for _, r := range todo[start:min(start+chunk, len(todo))] {
					var ps []hash
					if !r.shallow {
						ps = make([]hash, len(r.Parents))
						for i, p := range r.Parents {
							ps[i] = commits[p].Tree
						}
					}
					chs, err := d.changes(r.Tree, ps)
					if err != nil {
						errs[w] = fmt.Errorf("diff commit %s: %w", r.Hash, err)
						return
					}
					sort.Slice(chs, func(i, j int) bool { return chs[i].Path < chs[j].Path })
					var sides []side
					if len(ps) > 1 {
						for pi, pt := range ps {
							pc, err := d.changes(r.Tree, []hash{pt})
							if err != nil {
								errs[w] = fmt.Errorf("diff merge %s with parent %d: %w", r.Hash, pi+1, err)
								return
							}
							for _, ch := range pc {
								sides = append(sides, side{Path: ch.Path, Blob: ch.Blob, Old: ch.Old, Parent: int32(pi)})
							}
						}
						sort.Slice(sides, func(i, j int) bool {
							if sides[i].Path != sides[j].Path {
								return sides[i].Path < sides[j].Path
							}
							return sides[i].Parent < sides[j].Parent
						})
					}
					r.Changes, r.Sides, r.diffed = chs, sides, true
					for _, ch := range chs {
						if ch.Blob == zeroHash {
							continue
						}
						if _, ok := known[ch.Blob]; ok {
							continue
						}
						if _, ok := mine[ch.Blob]; ok {
							continue
						}
						s, err := objs.snapshot(ch.Blob)
						if err != nil {
							errs[w] = fmt.Errorf("read %s in commit %s: %w", ch.Path, r.Hash, err)
							return
						}
						mine[ch.Blob] = &s
					}
				}
			}
		}(w)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	out := known
	if out == nil {
		out = map[hash]*Snapshot{}
	}
	for _, m := range found {
		for k, v := range m {
			out[k] = v
		}
	}
	return out, nil
}

// Trailer is one `Token: value` line of a commit message's last paragraph.
type Trailer struct {
	Key, Value string
}

// Trailers are a commit's trailers in message order: a slice rather than
// a map, since there are tens of thousands of commits and two trailers each.
type Trailers []Trailer

// Get returns the values of a trailer key, in order.
func (t Trailers) Get(key string) []string {
	var out []string
	for _, x := range t {
		if x.Key == key {
			out = append(out, x.Value)
		}
	}
	return out
}

// Map returns the trailers as key → values (nil when there are none).
func (t Trailers) Map() map[string][]string {
	if len(t) == 0 {
		return nil
	}
	m := make(map[string][]string, len(t))
	for _, x := range t {
		m[x.Key] = append(m[x.Key], x.Value)
	}
	return m
}
