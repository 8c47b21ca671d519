package clerk

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"

	"github.com/casebook/casebook/internal/gitdir"
	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/remote"
	"github.com/casebook/casebook/internal/repo"
)

// testBeforePush, set by tests, runs between the replay and the push: another clerk
// pushing there makes the remote move under a sync.
var testBeforePush func()

// testAfterPush, set by tests, runs between the push and the move of the local branch:
// an error stops the sync there, as if it were killed.
var testAfterPush func() error

// SyncOptions say what to sync with.
type SyncOptions struct {
	Remote, Branch string // "" for the branch's upstream, else origin and the same name
	// Attempts bounds the retries when the remote moves during a sync; zero means 5.
	Attempts int
}

// SyncReport is what a sync did.
type SyncReport struct {
	Target     string // "origin (URL), branch main"
	Fetched    int    // remote commits that were new here; -1 when the transport does not say
	Replayed   int    // commits of this clone written again on top of the remote's
	Pushed     int    // commits sent to the remote
	Renumbered []Renumbered
	// Unsigned counts replayed commits that were signed: a replayed commit is new and
	// carries a signature only when the sync signs (Desk.Sign).
	Unsigned int
	// Resumed counts commits of this clone that an interrupted sync had already replayed
	// and pushed: the local branch follows them instead of replaying them again.
	Resumed  int
	Head     string // the commit both now point at
	Attempts int
}

// Sync brings this clone and its shared remote together: it fetches the remote branch,
// replays the commits the remote lacks onto it (renumbering a case registered here under
// an id the remote already gave another case), pushes, and moves the local branch and
// the work tree to the result. A commit of the remote and one of this clone that changed
// the same case stop it before anything is pushed (*ConflictError); so do uncommitted
// changes to a file it would update. A remote that cannot be reached, refuses the
// credentials or the push is a *remote.Error; the local branch is then as it was.
func (d *Desk) Sync(ctx context.Context, o SyncOptions) (SyncReport, error) {
	var rep SyncReport
	dirs, err := gitdir.Of(d.Repo)
	if err != nil {
		return rep, err
	}
	branch, err := repo.HeadBranch(dirs)
	if err != nil {
		return rep, &InputError{Msg: err.Error()}
	}
	t, err := remote.Resolve(d.Repo, d.Root, branch, o.Remote, o.Branch)
	if err != nil {
		return rep, err
	}
	rep.Target = t.String()
	cfgs, err := repo.ConfigChain(d.Repo)
	if err != nil {
		return rep, err
	}
	auth, err := remote.Auth(t, cfgs, os.Getenv)
	if err != nil {
		return rep, err
	}
	held, err := repo.Hold(d.Repo, d.Timeout)
	if err != nil {
		return rep, err
	}
	defer held.Release()
	attempts := o.Attempts
	if attempts <= 0 {
		attempts = 5
	}
	for rep.Attempts = 1; rep.Attempts <= attempts; rep.Attempts++ {
		done, err := d.syncOnce(ctx, &rep, held, t, branch, dirs, auth)
		if done || err != nil {
			return rep, err
		}
	}
	return rep, &remote.Error{Kind: "network", Remote: t.String(), Err: fmt.Errorf("the remote branch moved %d times while syncing", attempts),
		Fix: "other clerks are pushing right now: run casebook sync again in a minute"}
}

// syncOnce makes one attempt; done is false when the remote moved before the push landed.
func (d *Desk) syncOnce(ctx context.Context, rep *SyncReport, held *repo.Held, t remote.Target, branch plumbing.ReferenceName, dirs gitdir.Dirs, auth transport.AuthMethod) (done bool, err error) {
	tip, fetched, err := remote.Fetch(ctx, d.Repo, d.Repo.Storer, t, auth)
	if err != nil {
		return false, err
	}
	// Opened after the fetch, which may have added a pack.
	objs := history.NewObjects(d.Repo)
	defer objs.Close()
	if rep.Attempts == 1 {
		rep.Fetched = fetched
	} else if fetched > 0 && rep.Fetched >= 0 {
		rep.Fetched += fetched
	}
	local, err := repo.ReadRef(dirs, branch)
	if err != nil {
		return false, err
	}
	div, err := repo.Diverge(objs, local, tip)
	if err != nil {
		return false, err
	}
	if len(div.Local) == 0 {
		// Nothing to push: the clone catches up with the remote.
		if !tip.IsZero() && tip != local {
			if err := held.Advance(d.Root, branch, local, tip); err != nil {
				return false, err
			}
		}
		rep.Head = tip.String()
		if tip.IsZero() {
			rep.Head = local.String()
		}
		return true, nil
	}
	var prior alreadyPushed
	if !tip.IsZero() && len(div.Remote) > 0 {
		if prior, err = findPushed(objs, div.Local, div.Remote); err != nil {
			return false, err
		}
	}
	rep.Resumed = prior.n
	if prior.n == len(div.Local) {
		// An interrupted sync pushed every local commit: the clone catches up.
		if err := held.Advance(d.Root, branch, local, tip); err != nil {
			return false, err
		}
		_ = d.Repo.Storer.SetReference(plumbing.NewHashReference(t.Tracking(), tip))
		rep.Head = tip.String()
		return true, nil
	}
	known := plumbing.ZeroHash // the tree whose cases this clone did not register
	if prior.n > 0 {
		// Replay only the commits made after those, onto the remote's copies of them.
		known = div.Local[prior.n-1].TreeHash
		since, err := repo.Diverge(objs, prior.last.Hash, tip)
		if err != nil {
			return false, err
		}
		div = repo.Divergence{Base: prior.last.Hash, Local: div.Local[prior.n:], Remote: since.Remote}
	}
	head, fresh := local, div.Local
	if !tip.IsZero() && (len(div.Remote) > 0 || prior.n > 0) {
		if div.Base.IsZero() {
			return false, &InputError{Msg: fmt.Sprintf("this clone's branch %s and %s share no history", branch.Short(), t),
				Fix: "clone the shared remote again and register the cases there, or merge the histories with git"}
		}
		rp, err := d.newReplay(objs, div, tip, local)
		if err != nil {
			return false, err
		}
		rp.resume(known, prior.renamed)
		cur, err := object.GetCommit(objs, tip)
		if err != nil {
			return false, err
		}
		fresh = fresh[:0:0]
		for _, c := range div.Local {
			if cur, err = rp.step(c, cur, t.String()); err != nil {
				return false, err
			}
			fresh = append(fresh, cur)
		}
		head = cur.Hash
		rep.Replayed = len(div.Local)
		rep.Renumbered = rp.out
		rep.Unsigned = rp.signed
		if d.Sign != nil {
			rep.Unsigned = 0
		}
	}
	if head != local {
		if err := repo.CheckAdvance(d.Repo, d.Root, local, head); err != nil {
			return false, err
		}
	}
	isNew := make(map[plumbing.Hash]bool, len(fresh))
	for _, c := range fresh {
		isNew[c.Hash] = true
	}
	if testBeforePush != nil {
		testBeforePush()
	}
	pushed, err := remote.Push(ctx, d.Repo, objs, t, tip, head, func(h plumbing.Hash) bool { return !isNew[h] }, auth)
	if errors.Is(err, remote.ErrMoved) {
		rep.Renumbered, rep.Replayed = nil, 0
		return false, nil
	}
	if err != nil {
		return false, err
	}
	rep.Pushed = pushed
	if testAfterPush != nil {
		if err := testAfterPush(); err != nil {
			return false, err
		}
	}
	if head != local {
		if err := held.Advance(d.Root, branch, local, head); err != nil {
			return false, fmt.Errorf("pushed %s to %s, but the local branch could not follow: %w (fix: run casebook sync again)", short(head.String()), t, err)
		}
	}
	_ = d.Repo.Storer.SetReference(plumbing.NewHashReference(t.Tracking(), head))
	rep.Head = head.String()
	return true, nil
}

func (d *Desk) newReplay(objs *history.Objects, div repo.Divergence, tip, local plumbing.Hash) (*replayer, error) {
	base, err := object.GetCommit(objs, div.Base)
	if err != nil {
		return nil, err
	}
	rc, err := object.GetCommit(objs, tip)
	if err != nil {
		return nil, err
	}
	lc, err := object.GetCommit(objs, local)
	if err != nil {
		return nil, err
	}
	rp, err := newReplayer(objs, base, rc, lc, div.Remote)
	if err != nil {
		return nil, err
	}
	rp.committer, rp.now, rp.sign = d.Actor, d.now(), d.Sign
	if rp.now.IsZero() {
		rp.now = time.Now()
	}
	return rp, nil
}
