package repo_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/repo"
)

// step is one commit of a scripted history.
type step struct {
	changes []repo.Change
	msg     string
	at      time.Time
}

// history makes n commits over a few case files, each rewritten many times (so deltas
// and their depth limit are exercised), plus one file that is written only once. One step
// goes back in time, to check that commit times never run backwards.
func history(n int) []step {
	var out []step
	t0 := fixedNow()
	out = append(out, step{changes: []repo.Change{{Path: "README.md", Data: []byte("# 投诉台账\n")},
		{Path: "bin/run", Data: []byte("#!/bin/sh\n"), Mode: 0o100755}}, msg: "init", at: t0})
	for i := range n {
		id := fmt.Sprintf("BANK-2026-%04d", i%7+1)
		day := 1 + i%7
		path := fmt.Sprintf("cases/2026/03/%02d/%s.md", day, id)
		body := caseFile(id, "received") + strings.Repeat(fmt.Sprintf("第%d次修改。\n", i), 1+i%5)
		at := t0.Add(time.Duration(i) * time.Hour)
		if i == 3 {
			at = t0.Add(-time.Hour)
		}
		out = append(out, step{changes: []repo.Change{{Path: path, Data: []byte(body)}}, msg: message(id, fmt.Sprintf("set %d", i)), at: at})
	}
	return out
}

func TestBatch_SameCommitsAsCommit(t *testing.T) {
	steps := history(130)

	// The reference: one repo.Commit per step, in a bare-style commit (no work tree).
	ref := newRepo(t)
	r := open(t, ref)
	var want string
	for _, s := range steps {
		res, err := repo.Commit(r, "", repo.CommitRequest{Changes: s.changes, Message: s.msg, Author: clerk,
			Now: func() time.Time { return s.at }})
		if err != nil {
			t.Fatal(err)
		}
		want = res.Commit.String()
	}

	dir := newRepo(t)
	b, err := repo.NewBatch(open(t, dir), dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range steps {
		if _, err := b.Commit(s.changes, s.msg, clerk, s.at); err != nil {
			t.Fatal(err)
		}
	}
	if got := b.Head().String(); got != want {
		t.Fatalf("batch HEAD %s, repo.Commit HEAD %s: the same history must give the same commits", got, want)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if got := head(t, dir); got != want {
		t.Fatalf("branch at %s after Close, want %s", got, want)
	}
	fsck(t, dir)
	if out := run(t, dir, "status", "--porcelain"); out != "" {
		t.Fatalf("git status after Close:\n%s", out)
	}
	if got := strings.TrimSpace(run(t, dir, "rev-list", "--count", "HEAD")); got != fmt.Sprint(len(steps)) {
		t.Fatalf("%s commits, want %d", got, len(steps))
	}
	last := steps[len(steps)-1].changes[0]
	if got := readFile(t, dir, last.Path); got != string(last.Data) {
		t.Fatalf("work tree %s:\n%s\nwant\n%s", last.Path, got, last.Data)
	}
	if got := run(t, dir, "show", "HEAD:"+last.Path); got != string(last.Data) {
		t.Fatalf("HEAD:%s differs from what was committed", last.Path)
	}
	if got := run(t, dir, "ls-files", "-s", "bin/run"); !strings.HasPrefix(got, "100755 ") {
		t.Fatalf("bin/run in the index: %q, want mode 100755", got)
	}
	// One pack holds everything: no loose objects.
	if got := run(t, dir, "count-objects", "-v"); !strings.Contains(got, "count: 0\n") || !strings.Contains(got, "packs: 1\n") {
		t.Fatalf("git count-objects:\n%s", got)
	}
}

func TestBatch_ReadAndNextID(t *testing.T) {
	dir := newRepo(t)
	b, err := repo.NewBatch(open(t, dir), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Abort()
	next := func(prefix string, year int) string {
		t.Helper()
		id, err := b.NextID(prefix, year)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	if got := next("BANK", 2026); got != "BANK-2026-0001" {
		t.Fatalf("first id %s", got)
	}
	for _, p := range []string{
		"cases/2026/03/02/BANK-2026-0009.md",
		"cases/2026/03/02/BANK-2026-0010/index.md", // a bundle counts by its folder
		"cases/2026/03/02/FOOD-2026-0002.md",
		"cases/2025/12/31/BANK-2025-0100.md",
		"cases/2027/01/01/BANK-2026-0500.md", // filed under another year: not this year's
		"notes/BANK-2026-0900.md",            // outside cases/
	} {
		if _, err := b.Commit([]repo.Change{{Path: p, Data: []byte(caseFile("x", "received"))}}, "add "+p, clerk, fixedNow()); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name, prefix string
		year         int
		want         string
	}{
		{"after the largest file or bundle", "BANK", 2026, "BANK-2026-0011"},
		{"per prefix", "FOOD", 2026, "FOOD-2026-0003"},
		{"per year", "BANK", 2025, "BANK-2025-0101"},
		{"a prefix without cases", "ZB", 2026, "ZB-2026-0001"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := next(c.prefix, c.year); got != c.want {
				t.Fatalf("NextID(%s, %d) = %s, want %s", c.prefix, c.year, got, c.want)
			}
		})
	}
	if data, ok := b.Read("cases/2026/03/02/FOOD-2026-0002.md"); !ok || string(data) != caseFile("x", "received") {
		t.Fatalf("Read: %q, %v", data, ok)
	}
	if _, ok := b.Read("cases/2026/03/02/NONE.md"); ok {
		t.Fatal("Read found a file never committed")
	}
	if _, ok := b.Read("cases/2026/03"); ok {
		t.Fatal("Read took a directory for a file")
	}
}

func TestBatch_Refuses(t *testing.T) {
	dir := newRepo(t)
	gitCommitFiles(t, dir, "first", map[string]string{"a.txt": "a\n"})
	if _, err := repo.NewBatch(open(t, dir), dir); err == nil || !strings.Contains(err.Error(), "already has commits") {
		t.Fatalf("NewBatch on a repository with commits: %v", err)
	}

	empty := newRepo(t)
	b, err := repo.NewBatch(open(t, empty), empty)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Abort()
	for _, c := range []struct {
		name    string
		changes []repo.Change
		msg     string
	}{
		{"no files", nil, "x"},
		{"an empty message", []repo.Change{{Path: "a", Data: []byte("a")}}, " "},
		{"a path out of the tree", []repo.Change{{Path: "../a", Data: []byte("a")}}, "x"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := b.Commit(c.changes, c.msg, clerk, fixedNow()); err == nil {
				t.Fatal("committed")
			}
		})
	}
	if _, err := b.Commit([]repo.Change{{Path: "a/b", Data: []byte("x")}}, "x", clerk, fixedNow()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Commit([]repo.Change{{Path: "a", Data: []byte("x")}}, "x", clerk, fixedNow()); err == nil {
		t.Fatal("a file replaced a directory")
	}
	if _, err := b.Commit([]repo.Change{{Path: "x"}}, "x", repo.Identity{}, fixedNow()); err == nil {
		t.Fatal("committed without an identity")
	}
}
