package office

import (
	"sync/atomic"
	"testing"

	"github.com/casebook/casebook/internal/history"
)

func TestParallel_VisitsEveryIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 63, 64, 65, 1000} {
		seen := make([]int32, n)
		var calls atomic.Int64
		Parallel(n, func(i int) {
			atomic.AddInt32(&seen[i], 1)
			calls.Add(1)
		})
		if calls.Load() != int64(n) {
			t.Fatalf("n=%d: %d calls", n, calls.Load())
		}
		for i, c := range seen {
			if c != 1 {
				t.Fatalf("n=%d: index %d visited %d times", n, i, c)
			}
		}
	}
}

func TestOfPath_SplitsASharedID(t *testing.T) {
	v := func(path, status, commit string) history.Version {
		return history.Version{Path: path, Commit: commit, Snap: history.Snapshot{ID: "X-1", Status: status}}
	}
	h := &history.Case{ID: "X-1", Versions: []history.Version{
		v("a.md", "received", "c1"),
		v("b.md", "received", "c2"),
		v("a.md", "assigned", "c3"),
		v("b.md", "received", "c4"), // an edit without a status change
		v("b.md", "withdrawn", "c5"),
	}}
	a := ofPath(h, "a.md")
	if len(a.Versions) != 2 || len(a.Transitions) != 2 || a.Transitions[1].From != "received" || a.Transitions[1].To != "assigned" {
		t.Fatalf("a.md: %+v", a.Transitions)
	}
	b := ofPath(h, "b.md")
	if len(b.Versions) != 3 || len(b.Transitions) != 2 || b.Transitions[1].Commit != "c5" || b.Transitions[1].From != "received" {
		t.Fatalf("b.md: %+v", b.Transitions)
	}
}
