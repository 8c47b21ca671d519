package clerk_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/clerk"
)

// killedAfterPush makes the next sync stop between its push and the move of the local
// branch, as if it were killed there.
func killedAfterPush(t *testing.T) {
	t.Helper()
	killed := errors.New("killed")
	clerk.SetAfterPush(func() error {
		clerk.SetAfterPush(nil)
		return killed
	})
	t.Cleanup(func() { clerk.SetAfterPush(nil) })
}

// remoteCases lists the case files on the remote branch with their titles, and the
// subjects of its registering commits.
func remoteCases(t *testing.T, home, bare string) (files []string, registrations []string) {
	t.Helper()
	for _, f := range strings.Fields(run(t, home, bare, "ls-tree", "-r", "--name-only", "main", "cases/2026")) {
		title := ""
		for _, l := range strings.Split(run(t, home, bare, "show", "main:"+f), "\n") {
			if v, ok := strings.CutPrefix(l, "title: "); ok {
				title = v
			}
		}
		files = append(files, filepath.Base(f)+" "+title)
	}
	for _, s := range strings.Split(run(t, home, bare, "log", "--format=%s", "main"), "\n") {
		if strings.Contains(s, "new (") {
			registrations = append(registrations, s)
		}
	}
	slices.Sort(registrations)
	return files, registrations
}

// TestSync_ResumesAfterKilledBetweenPushAndLocalUpdate: a sync that pushed its replayed
// commits but was killed before the local branch followed is finished by the next one,
// which fast-forwards to the pushed commits instead of replaying (and registering) the
// cases a second time, and replays only what was committed since.
func TestSync_ResumesAfterKilledBetweenPushAndLocalUpdate(t *testing.T) {
	home, bare, a := shared(t)
	b := filepath.Join(home, "b")
	run(t, home, home, "clone", "-q", bare, b)
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, cst)
	da := deskAt(t, a, "赵敏", now)
	register(t, da, "柜台服务态度差")
	if _, err := da.Sync(context.Background(), clerk.SyncOptions{}); err != nil {
		t.Fatal(err)
	}

	// B registers BANK-2026-0001 too (renumbered on the way) and is killed after the push.
	db := deskAt(t, b, "钱进", now.Add(time.Minute))
	register(t, db, "理财产品未告知风险")
	before := run(t, home, b, "rev-parse", "HEAD")
	killedAfterPush(t)
	if _, err := db.Sync(context.Background(), clerk.SyncOptions{}); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("sync: %v, want it killed after the push", err)
	}
	pushed := run(t, home, bare, "rev-parse", "main")
	if got := run(t, home, b, "rev-parse", "HEAD"); got != before || pushed == before {
		t.Fatalf("after the kill: local %s (was %s), remote %s; want the push landed and the branch left", got, before, pushed)
	}

	// The next sync only catches up.
	rep, err := db.Sync(context.Background(), clerk.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Resumed != 1 || rep.Replayed != 0 || rep.Pushed != 0 || len(rep.Renumbered) != 0 || rep.Head != pushed {
		t.Errorf("resumed sync: %+v, want resumed 1, nothing replayed or pushed, head %s", rep, pushed)
	}
	if got := run(t, home, b, "rev-parse", "HEAD"); got != pushed {
		t.Errorf("local branch at %s, want the pushed %s", got, pushed)
	}
	if st := run(t, home, b, "status", "--porcelain"); st != "" {
		t.Errorf("work tree not clean:\n%s", st)
	}

	// B registers another case; A, meanwhile, one under the same id; B's sync renumbers
	// B's and is killed again. Then B registers a case under the id its old branch leaves
	// free (BANK-2026-0004), which the remote has given to B's renumbered case.
	db = deskAt(t, b, "钱进", now.Add(2*time.Minute))
	register(t, db, "网点排队时间过长")
	da = deskAt(t, a, "赵敏", now.Add(2*time.Minute))
	if _, err := da.Sync(context.Background(), clerk.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	register(t, da, "理财经理推销保险")
	if _, err := da.Sync(context.Background(), clerk.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	killedAfterPush(t)
	if _, err := db.Sync(context.Background(), clerk.SyncOptions{}); err == nil {
		t.Fatal("sync was not killed")
	}
	db = deskAt(t, b, "钱进", now.Add(3*time.Minute))
	if done := register(t, db, "客户信息泄露"); done.ID != "BANK-2026-0004" {
		t.Fatalf("registered %s locally, want BANK-2026-0004", done.ID)
	}
	rep, err = db.Sync(context.Background(), clerk.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Resumed != 1 || rep.Replayed != 1 || rep.Pushed != 1 {
		t.Errorf("resumed sync with a new commit: %+v, want resumed 1, replayed 1, pushed 1", rep)
	}
	if len(rep.Renumbered) != 1 || rep.Renumbered[0].Old != "BANK-2026-0004" || rep.Renumbered[0].New != "BANK-2026-0005" {
		t.Errorf("renumbered %+v, want BANK-2026-0004 -> BANK-2026-0005", rep.Renumbered)
	}

	// Each case is on the remote once.
	files, regs := remoteCases(t, home, bare)
	want := []string{"BANK-2026-0001.md 柜台服务态度差", "BANK-2026-0002.md 理财产品未告知风险", "BANK-2026-0003.md 理财经理推销保险",
		"BANK-2026-0004.md 网点排队时间过长", "BANK-2026-0005.md 客户信息泄露"}
	if !slices.Equal(files, want) {
		t.Errorf("remote cases %q, want %q", files, want)
	}
	if len(regs) != 5 {
		t.Errorf("remote registrations %q, want 5", regs)
	}
	if got, remote := run(t, home, b, "rev-parse", "HEAD"), run(t, home, bare, "rev-parse", "main"); got != remote {
		t.Errorf("local %s, remote %s", got, remote)
	}
	run(t, home, bare, "fsck", "--strict", "--no-dangling")
}
