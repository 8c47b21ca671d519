package clerk_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"

	"github.com/casebook/casebook/internal/clerk"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/remote"
	"github.com/casebook/casebook/internal/repo"
)

var cst = time.FixedZone("CST", 8*3600)

// needGit skips without git, except under CI, where .ci/run installs it.
func needGit(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("git")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("git is not installed; .ci/run installs it")
		}
		t.Skip("git not installed")
	}
	return p
}

func gitEnv(home string) []string {
	return append(os.Environ(),
		"HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+filepath.Join(home, ".gitconfig"),
		"GIT_AUTHOR_NAME=测试员", "GIT_AUTHOR_EMAIL=tester@example.com",
		"GIT_COMMITTER_NAME=测试员", "GIT_COMMITTER_EMAIL=tester@example.com")
}

func run(t *testing.T, home, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = gitEnv(home)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// shared makes an office with one case, a bare remote holding it, and a clone of the
// remote; it returns the folder, the remote's path and the clone's path.
func shared(t *testing.T) (home, bare, clone string) {
	needGit(t)
	home = t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(home, ".gitconfig"))
	os.WriteFile(filepath.Join(home, ".gitconfig"), []byte("[init]\n\tdefaultBranch = main\n"), 0o644)
	office := filepath.Join(home, "office")
	run(t, home, home, "init", "-q", office)
	os.MkdirAll(filepath.Join(office, "cases"), 0o755)
	os.WriteFile(filepath.Join(office, "cases", "README.md"), []byte("# 案件\n"), 0o644)
	run(t, home, office, "add", ".")
	run(t, home, office, "commit", "-q", "-m", "开始")
	bare = filepath.Join(home, "remote.git")
	run(t, home, home, "clone", "-q", "--bare", office, bare)
	clone = filepath.Join(home, "a")
	run(t, home, home, "clone", "-q", bare, clone)
	return home, bare, clone
}

func deskAt(t *testing.T, dir, name string, now time.Time) *clerk.Desk {
	t.Helper()
	r, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	set, err := policy.LoadSet(dir)
	if err != nil {
		t.Fatal(err)
	}
	return &clerk.Desk{Root: dir, Repo: r, Policies: set, Now: func() time.Time { return now },
		Actor: repo.Identity{Name: name, Email: "clerk@example.cn"}}
}

func register(t *testing.T, d *clerk.Desk, title string) clerk.Done {
	t.Helper()
	done, err := d.New(clerk.NewCase{Policy: "bank", Title: title, Channel: "visit", Category: "attitude"})
	if err != nil {
		t.Fatal(err)
	}
	return done
}

// TestSync_RetriesWhenTheRemoteMoves: another clerk pushes between this sync's replay
// and its push; the push is refused as stale, and the sync fetches and replays again.
func TestSync_RetriesWhenTheRemoteMoves(t *testing.T) {
	home, bare, a := shared(t)
	b := filepath.Join(home, "b")
	run(t, home, home, "clone", "-q", bare, b)
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, cst)
	da := deskAt(t, a, "赵敏", now)
	db := deskAt(t, b, "钱进", now.Add(time.Minute))
	register(t, da, "柜台服务态度差")
	if _, err := da.Sync(context.Background(), clerk.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	register(t, db, "理财产品未告知风险")
	moved := false
	clerk.SetBeforePush(func() {
		if !moved {
			moved = true
			register(t, da, "网点排队时间过长")
			if rep, err := da.Sync(context.Background(), clerk.SyncOptions{}); err != nil || rep.Pushed != 1 {
				t.Errorf("the other clerk's sync: %+v, %v", rep, err)
			}
		}
	})
	defer clerk.SetBeforePush(nil)
	rep, err := db.Sync(context.Background(), clerk.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Attempts != 2 {
		t.Errorf("attempts = %d, want 2 (one refused as stale)", rep.Attempts)
	}
	if len(rep.Renumbered) != 1 || rep.Renumbered[0].Old != "BANK-2026-0001" || rep.Renumbered[0].New != "BANK-2026-0003" {
		t.Errorf("renumbered %+v, want BANK-2026-0001 -> BANK-2026-0003", rep.Renumbered)
	}
	if got := run(t, home, bare, "rev-parse", "main"); got != run(t, home, b, "rev-parse", "HEAD") {
		t.Errorf("remote at %s, clone at another commit", got)
	}
	files := run(t, home, b, "ls-files", "cases")
	for _, id := range []string{"BANK-2026-0001", "BANK-2026-0002", "BANK-2026-0003"} {
		if !strings.Contains(files, id+".md") {
			t.Errorf("%s missing after the retried sync:\n%s", id, files)
		}
	}
	run(t, home, bare, "fsck", "--strict", "--no-dangling")
}

// httpRemote serves the bare repository with git http-backend, behind basic auth.
func httpRemote(t *testing.T, home, bare, user, pass string) string {
	t.Helper()
	run(t, home, bare, "config", "http.receivepack", "true")
	gitPath := needGit(t)
	backend := &cgi.Handler{Path: gitPath, Args: []string{"http-backend"},
		Env: []string{"GIT_PROJECT_ROOT=" + filepath.Dir(bare), "GIT_HTTP_EXPORT_ALL=1", "HOME=" + home, "GIT_CONFIG_NOSYSTEM=1"}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if !ok || u != user || p != pass {
			w.Header().Set("WWW-Authenticate", `Basic realm="office"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		r.Header.Set("Remote-User", u)
		backend.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/" + filepath.Base(bare)
}

// TestSync_HTTP: a remote over HTTP with credentials from the environment, then from git's
// credential store; wrong credentials and an unreachable host are errors that say so.
func TestSync_HTTP(t *testing.T) {
	home, bare, a := shared(t)
	url := httpRemote(t, home, bare, "zhaomin", "s3cret")
	run(t, home, a, "remote", "set-url", "origin", url)
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, cst)
	d := deskAt(t, a, "赵敏", now)
	register(t, d, "柜台服务态度差")

	t.Setenv("CASEBOOK_GIT_USERNAME", "zhaomin")
	t.Setenv("CASEBOOK_GIT_PASSWORD", "wrong")
	_, err := d.Sync(context.Background(), clerk.SyncOptions{})
	var re *remote.Error
	if !errors.As(err, &re) || re.Kind != "auth" || !strings.Contains(err.Error(), "CASEBOOK_GIT_USERNAME") {
		t.Fatalf("wrong password: %v, want an authentication error that says how to fix it", err)
	}

	t.Setenv("CASEBOOK_GIT_PASSWORD", "s3cret")
	rep, err := d.Sync(context.Background(), clerk.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Pushed != 1 || run(t, home, bare, "rev-parse", "main") != run(t, home, a, "rev-parse", "HEAD") {
		t.Fatalf("pushed %d; remote and clone differ", rep.Pushed)
	}

	// Credentials from git's store helper, as `git credential approve` writes them.
	t.Setenv("CASEBOOK_GIT_USERNAME", "")
	t.Setenv("CASEBOOK_GIT_PASSWORD", "")
	host := strings.TrimPrefix(url[:strings.LastIndexByte(url, '/')], "http://")
	os.WriteFile(filepath.Join(home, ".git-credentials"), []byte("http://zhaomin:s3cret@"+host+"\n"), 0o600)
	run(t, home, a, "config", "--global", "credential.helper", "store")
	d = deskAt(t, a, "赵敏", now.Add(time.Hour))
	register(t, d, "网点排队时间过长")
	if _, err := d.Sync(context.Background(), clerk.SyncOptions{}); err != nil {
		t.Fatalf("with the store helper: %v", err)
	}
	// A second clone fetches over HTTP what the first pushed.
	b := filepath.Join(home, "b")
	run(t, home, home, "clone", "-q", bare, b)
	run(t, home, b, "remote", "set-url", "origin", url)
	db := deskAt(t, b, "钱进", now.Add(2*time.Hour))
	register(t, db, "理财产品未告知风险")
	rep, err = db.Sync(context.Background(), clerk.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Pushed != 1 || len(rep.Renumbered) != 0 {
		t.Errorf("second clone: %+v", rep)
	}
	run(t, home, bare, "fsck", "--strict", "--no-dangling")

	// Nobody listens on the port: a network error.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String() + "/remote.git"
	l.Close()
	run(t, home, a, "remote", "set-url", "origin", dead)
	_, err = d.Sync(context.Background(), clerk.SyncOptions{})
	if !errors.As(err, &re) || re.Kind != "network" {
		t.Fatalf("unreachable host: %v, want a network error", err)
	}
}
