package clerk_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"

	"github.com/casebook/casebook/internal/clerk"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/repo"
)

// handWritten is a case file written by hand, in spellings casebook would
// not choose: comments, quotes, a flow mapping, a blank line.
const handWritten = `---
# 来电登记
id: "BANK-2026-0001"   # 编号
policy: bank
title: '柜台服务态度差'
status: received

received_at: 2026-11-02T09:00:00+08:00
channel: visit
category: attitude
complainant: {name: 王某, phone: "13800000000"}
---
## 投诉内容

客户反映柜台服务态度差。
`

func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull,
		"GIT_AUTHOR_NAME=赵敏", "GIT_AUTHOR_EMAIL=zhaomin@example.cn", "GIT_COMMITTER_NAME=赵敏", "GIT_COMMITTER_EMAIL=zhaomin@example.cn",
		"GIT_AUTHOR_DATE=2026-11-02T09:10:00+08:00", "GIT_COMMITTER_DATE=2026-11-02T09:10:00+08:00")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func renumberDesk(t *testing.T) (*clerk.Desk, string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	gitIn(t, dir, "init", "-q", "-b", "main")
	p := filepath.Join(dir, "cases", "2026", "11", "02", "BANK-2026-0001.md")
	if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(handWritten), 0o644); err != nil {
		t.Fatal(err)
	}
	gitIn(t, dir, "add", "-A")
	gitIn(t, dir, "commit", "-q", "-m", "登记")
	r, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	set, err := policy.LoadSet(dir)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 2, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	return &clerk.Desk{Root: dir, Repo: r, Policies: set, Now: func() time.Time { return now },
		Actor: repo.Identity{Name: "赵敏", Email: "zhaomin@example.cn"}}, dir
}

func TestRenumber_KeepsEveryOtherByte(t *testing.T) {
	d, dir := renumberDesk(t)
	done, err := d.Renumber(clerk.Renumbering{Old: "BANK-2026-0001"})
	if err != nil {
		t.Fatal(err)
	}
	if done.ID != "BANK-2026-0002" || done.File != "cases/2026/11/02/BANK-2026-0002.md" || done.From != "received" {
		t.Fatalf("done = %+v", done)
	}
	got := gitIn(t, dir, "show", "HEAD:cases/2026/11/02/BANK-2026-0002.md")
	if want := strings.Replace(handWritten, `"BANK-2026-0001"`, `"BANK-2026-0002"`, 1); got != want {
		t.Errorf("renumbered file:\n%s\nwant:\n%s", got, want)
	}
	if got := gitIn(t, dir, "status", "--porcelain"); got != "" {
		t.Errorf("git status = %q", got)
	}
	if got := gitIn(t, dir, "log", "-1", "--format=%B"); got != "BANK-2026-0002: renumbered from BANK-2026-0001\n\nCasebook-Case: BANK-2026-0002\nCasebook-Renumbered: BANK-2026-0001 -> BANK-2026-0002\n\n" {
		t.Errorf("message = %q", got)
	}
}

func TestRenumber_StagedWorkRefused(t *testing.T) {
	d, dir := renumberDesk(t)
	p := filepath.Join(dir, "cases", "2026", "11", "02", "BANK-2026-0001.md")
	if err := os.WriteFile(p, []byte(strings.Replace(handWritten, "status: received", "status: assigned", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	gitIn(t, dir, "add", "-A")
	if err := os.WriteFile(p, []byte(handWritten), 0o644); err != nil {
		t.Fatal(err)
	}
	before := gitIn(t, dir, "rev-parse", "HEAD")
	_, err := d.Renumber(clerk.Renumbering{Old: "BANK-2026-0001", New: "BANK-2026-0005"})
	if err == nil || !strings.Contains(err.Error(), "has staged changes") {
		t.Fatalf("err = %v, want the staged change named", err)
	}
	if gitIn(t, dir, "rev-parse", "HEAD") != before {
		t.Error("HEAD moved")
	}
	if _, err := os.Stat(filepath.Join(dir, "cases", "2026", "11", "02", "BANK-2026-0005.md")); !os.IsNotExist(err) {
		t.Errorf("the new file was left behind: %v", err)
	}
}
