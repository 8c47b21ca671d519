package clerk_test

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/clerk"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/repo"
)

// TestBatchStore_WorkingCopyGoesIntoTheCommit: on a batch, as in a work tree, the
// section a clerk writes before a move is committed with it, and the move is checked
// against the policy.
func TestBatchStore_WorkingCopyGoesIntoTheCommit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	r, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	b, err := repo.NewBatch(r, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Abort()
	set, err := policy.LoadSet("")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	store := clerk.NewBatchStore(b)
	d := &clerk.Desk{Root: dir, Repo: r, Policies: set, Store: store, Now: func() time.Time { return now },
		Actor: repo.Identity{Name: "赵敏", Email: "zhaomin@example.cn"}}

	done, err := d.New(clerk.NewCase{Policy: "internet", Title: "网站逾期未上线", Channel: "phone", Category: "website"})
	if err != nil {
		t.Fatal(err)
	}
	if done.ID != "NET-2026-0001" || done.File != "cases/2026/11/02/NET-2026-0001.md" {
		t.Fatalf("registered %+v", done)
	}
	if _, err := d.Move(done.ID, "accepted", nil, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Move(done.ID, "calmed", []cases.Set{{Path: "apologized", Value: true}}, ""); err != nil {
		t.Fatal(err)
	}
	clarify := []cases.Set{{Path: "sales_rep", Value: "孟飞"}, {Path: "customer_type", Value: "new"}, {Path: "expected_resolution", Value: "尽快上线"}}
	// Without the section the state requires, the move is refused.
	var fe *clerk.ForbiddenError
	if _, err := d.Move(done.ID, "clarified", clarify, ""); !errors.As(err, &fe) || !strings.Contains(err.Error(), "投诉问题") {
		t.Fatalf("move without the section: %v", err)
	}
	data, err := store.ReadFile(done.File)
	if err != nil {
		t.Fatal(err)
	}
	store.WriteFile(done.File, append(data, "\n## 投诉问题\n\n网站签约三个月未上线。\n"...))
	if _, err := d.Move(done.ID, "clarified", clarify, ""); err != nil {
		t.Fatal(err)
	}
	got, _ := b.Read(done.File)
	if !strings.Contains(string(got), "## 投诉问题") || !strings.Contains(string(got), "status: clarified") {
		t.Fatalf("committed:\n%s", got)
	}
	if _, err := store.Locate("NET-2026-0002"); err == nil {
		t.Fatal("located a case never registered")
	}
	if b.Commits() != 4 {
		t.Fatalf("%d commits, want 4 (the refused move makes none)", b.Commits())
	}
}
