package repo_test

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/go-git/go-git/v5"

	"github.com/casebook/casebook/internal/repo"
)

// clerk is the identity of every commit made in these tests.
var clerk = repo.Identity{Name: "王某", Email: "wang@example.com"}

// fixedNow is a frozen clock.
func fixedNow() time.Time { return time.Date(2026, 3, 2, 9, 30, 0, 0, time.FixedZone("CST", 8*3600)) }

// gitEnv isolates plain git from the user's configuration.
func gitEnv() []string {
	return append(os.Environ(),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull,
		"GIT_AUTHOR_NAME=Plain Git", "GIT_AUTHOR_EMAIL=git@example.com",
		"GIT_COMMITTER_NAME=Plain Git", "GIT_COMMITTER_EMAIL=git@example.com",
		"GIT_AUTHOR_DATE=2026-03-01T08:00:00+08:00", "GIT_COMMITTER_DATE=2026-03-01T08:00:00+08:00",
	)
}

// run runs plain git in dir and returns its standard output; it fails the test on error.
func run(t testing.TB, dir string, args ...string) string {
	t.Helper()
	out, err := tryGit(dir, nil, args...)
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func tryGit(dir string, env []string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(gitEnv(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// newRepo makes an empty repository on branch main.
func newRepo(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	run(t, dir, "init", "-q", "-b", "main")
	return dir
}

// writeFile writes a work-tree file.
func writeFile(t testing.TB, dir, rel, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t testing.TB, dir, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// gitCommitFiles commits files with plain git.
func gitCommitFiles(t testing.TB, dir, msg string, files map[string]string) string {
	t.Helper()
	for rel, data := range files {
		writeFile(t, dir, rel, data)
		run(t, dir, "add", "--", rel)
	}
	run(t, dir, "commit", "-q", "-m", msg)
	return head(t, dir)
}

func head(t testing.TB, dir string) string {
	t.Helper()
	out, err := tryGit(dir, nil, "rev-parse", "-q", "--verify", "HEAD")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(out)
}

func open(t testing.TB, dir string) *git.Repository {
	t.Helper()
	r, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// fsck fails the test unless git fsck --full accepts the repository.
func fsck(t testing.TB, dir string) {
	t.Helper()
	out, err := tryGit(dir, nil, "fsck", "--full", "--strict", "--no-dangling")
	if err != nil || strings.TrimSpace(out) != "" {
		t.Fatalf("git fsck: %v\n%s", err, out)
	}
}

// caseFile is the content of a small case file.
func caseFile(id, status string) string {
	return fmt.Sprintf("---\nid: %s\npolicy: bank\ntitle: 柜台服务态度差\nstatus: %s\n---\n## 投诉内容\n...\n", id, status)
}

// message builds a casebook message with trailers.
func message(id, subject string) string {
	return fmt.Sprintf("%s: %s\n\nCasebook-Case: %s\nCasebook-Transition: %s\n", id, subject, id, subject)
}

func runStdin(t testing.TB, dir, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = gitEnv()
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %s: %v", strings.Join(args, " "), err)
	}
	return string(out)
}

func armorEncode(w io.Writer) (io.WriteCloser, error) {
	return armor.Encode(w, openpgp.PublicKeyType, nil)
}

// lockContent is a casebook lock file naming pid on this host.
func lockContent(pid int) string {
	host, _ := os.Hostname()
	return fmt.Sprintf("pid %d\nhost %s\nstarted 2026-03-02T01:00:00Z\n", pid, host)
}

// deadPID returns the pid of a process that has exited.
func deadPID(t testing.TB) int {
	t.Helper()
	cmd := exec.Command("git", "--version")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

func itoa(n int) string { return strconv.Itoa(n) }

func removeFile(dir, rel string) error { return os.Remove(filepath.Join(dir, filepath.FromSlash(rel))) }
