package history

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
)

// gitRepo drives the plain git CLI in a temporary repository, with every
// identity and date set explicitly so no global configuration leaks in.
type gitRepo struct {
	t   *testing.T
	dir string
	at  time.Time // the next commit's time
}

func newGitRepo(t *testing.T) *gitRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git CLI not installed")
	}
	r := &gitRepo{t: t, dir: t.TempDir(), at: time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("", 8*3600))}
	r.git("init", "-q", "-b", "main")
	return r
}

func (r *gitRepo) git(args ...string) string {
	r.t.Helper()
	return r.gitAs("Zhao Min", "zhao@example.com", args...)
}

func (r *gitRepo) gitAs(name, email string, args ...string) string {
	r.t.Helper()
	out, err := r.tryAs(name, email, args...)
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// try runs git and returns its output and error, for a command expected to fail.
func (r *gitRepo) try(args ...string) (string, error) {
	return r.tryAs("Zhao Min", "zhao@example.com", args...)
}

func (r *gitRepo) tryAs(name, email string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"}, args...)...)
	cmd.Dir = r.dir
	date := r.at.Format(time.RFC3339)
	cmd.Env = append(os.Environ(),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "HOME="+r.dir,
		"GIT_AUTHOR_NAME="+name, "GIT_AUTHOR_EMAIL="+email, "GIT_AUTHOR_DATE="+date,
		"GIT_COMMITTER_NAME="+name, "GIT_COMMITTER_EMAIL="+email, "GIT_COMMITTER_DATE="+date)
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

func (r *gitRepo) write(path, content string) {
	r.t.Helper()
	p := filepath.Join(r.dir, path)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// move renames a file, creating the target folder as git mv does not.
func (r *gitRepo) move(from, to string) {
	r.t.Helper()
	if err := os.MkdirAll(filepath.Dir(filepath.Join(r.dir, to)), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(r.dir, from), filepath.Join(r.dir, to)); err != nil {
		r.t.Fatal(err)
	}
}

// commit stages everything and commits with msg, one hour after the last.
func (r *gitRepo) commit(msg string) string {
	r.t.Helper()
	return r.commitAs("Zhao Min", "zhao@example.com", msg)
}

func (r *gitRepo) commitAs(name, email, msg string) string {
	r.t.Helper()
	r.at = r.at.Add(time.Hour)
	r.gitAs(name, email, "add", "-A")
	r.gitAs(name, email, "commit", "-q", "--allow-empty", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

func (r *gitRepo) read(t *testing.T, opts Options) *History {
	t.Helper()
	repo, err := git.PlainOpen(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	if opts.Prefix == "" {
		opts.Prefix = "cases/"
	}
	h, err := Read(repo, opts)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return h
}

func caseFile(id, status string, extra ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\nid: %s\npolicy: bank\ntitle: 柜台服务态度差\nstatus: %s\n", id, status)
	b.WriteString("received_at: 2026-03-02T10:00:00+08:00\nchannel: visit\ncategory: attitude\n")
	b.WriteString("complainant: {name: 王某, phone: \"13800000000\", anonymous: false}\n")
	for _, e := range extra {
		b.WriteString(e + "\n")
	}
	b.WriteString("---\n## 投诉内容\n\n客户反映柜台服务态度差。\n")
	return b.String()
}

func casebookMsg(id, from, to, note string) string {
	subject := fmt.Sprintf("%s: %s -> %s", id, from, to)
	trans := from + " -> " + to
	if from == "" {
		subject = fmt.Sprintf("%s: new (%s)", id, to)
		trans = "new -> " + to
	}
	msg := subject + "\n\n"
	if note != "" {
		msg += note + "\n\n"
	}
	return msg + "Casebook-Case: " + id + "\nCasebook-Transition: " + trans + "\n"
}

type step struct{ from, to string }

func steps(c *Case) []step {
	var out []step
	for _, t := range c.Transitions {
		out = append(out, step{t.From, t.To})
	}
	return out
}

func TestRead_TransitionsFromCasebookAndHandCommits(t *testing.T) {
	r := newGitRepo(t)
	const p = "cases/2026/03/02/BANK-2026-0001.md"
	r.write("README.md", "office\n")
	r.commit("init office")
	r.write(p, caseFile("BANK-2026-0001", "received"))
	created := r.commit(casebookMsg("BANK-2026-0001", "", "received", ""))
	r.write(p, caseFile("BANK-2026-0001", "assigned", "assignee: 赵某", "department: 监察室"))
	r.commitAs("Qian Wei", "qian@example.com", casebookMsg("BANK-2026-0001", "received", "assigned", "转监察室办理。\n\n请三日内回复。"))
	// A field edit: a version, not a transition.
	r.write(p, caseFile("BANK-2026-0001", "assigned", "assignee: 钱某", "department: 监察室"))
	r.commit("fix assignee")
	// A hand-made commit that changes the status without casebook's subject.
	r.write(p, caseFile("BANK-2026-0001", "replied", "assignee: 钱某", "department: 监察室"))
	hand := r.commitAs("Sun Li", "sun@example.com", "answered the customer by phone")

	h := r.read(t, Options{})
	c := h.Cases["BANK-2026-0001"]
	if c == nil {
		t.Fatalf("case missing; have %v", h.Order)
	}
	if got, want := steps(c), []step{{"", "received"}, {"received", "assigned"}, {"assigned", "replied"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("transitions = %v, want %v", got, want)
	}
	if len(c.Versions) != 4 {
		t.Errorf("versions = %d, want 4", len(c.Versions))
	}
	if c.Path != p || c.Deleted != nil {
		t.Errorf("path %q deleted %v", c.Path, c.Deleted)
	}
	if h.Commits != 5 || h.Head != hand || !reflect.DeepEqual(h.Order, []string{"BANK-2026-0001"}) {
		t.Errorf("commits %d head %s order %v", h.Commits, h.Head, h.Order)
	}

	tr := c.Transitions
	if tr[0].Commit != created || tr[0].Actor != "Zhao Min" || tr[0].Email != "zhao@example.com" {
		t.Errorf("creation = %+v", tr[0])
	}
	if want := []string{"category", "channel", "complainant", "id", "policy", "received_at", "status", "title"}; !reflect.DeepEqual(tr[0].Changed, want) {
		t.Errorf("creation changed = %v, want %v", tr[0].Changed, want)
	}
	if tr[1].Actor != "Qian Wei" || tr[1].Note != "转监察室办理。\n\n请三日内回复。" {
		t.Errorf("assigned: actor %q note %q", tr[1].Actor, tr[1].Note)
	}
	if want := map[string][]string{"Casebook-Case": {"BANK-2026-0001"}, "Casebook-Transition": {"received -> assigned"}}; !reflect.DeepEqual(tr[1].Trailers.Map(), want) {
		t.Errorf("trailers = %v", tr[1].Trailers)
	}
	if want := []string{"assignee", "department", "status"}; !reflect.DeepEqual(tr[1].Changed, want) {
		t.Errorf("assigned changed = %v, want %v", tr[1].Changed, want)
	}
	if tr[2].Commit != hand || tr[2].Actor != "Sun Li" || tr[2].Trailers != nil || tr[2].Note != "" {
		t.Errorf("hand-made = %+v", tr[2])
	}
	if v := c.Versions[2]; v.Subject != "fix assignee" || !reflect.DeepEqual(v.Changed, []string{"assignee"}) {
		t.Errorf("edit version: subject %q changed %v", v.Subject, v.Changed)
	}

	// Commit times: the author date (the moment) and the committer date,
	// in the commit's own offset.
	cst := time.FixedZone("", 8*3600)
	if want := time.Date(2026, 3, 2, 11, 0, 0, 0, cst); !tr[0].At.Equal(want) || tr[0].At.Format(time.RFC3339) != "2026-03-02T11:00:00+08:00" {
		t.Errorf("At = %v, want %v", tr[0].At, want)
	}
	if want := time.Date(2026, 3, 2, 10, 0, 0, 0, cst); !tr[0].ParentAt.Equal(want) {
		t.Errorf("ParentAt = %v, want %v", tr[0].ParentAt, want)
	}
}

func TestRead_AuthorAndCommitterTimesDiffer(t *testing.T) {
	r := newGitRepo(t)
	r.write("cases/A-1.md", caseFile("A-1", "received"))
	r.at = r.at.Add(time.Hour)
	r.git("add", "-A")
	cmd := exec.Command("git", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "new")
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "HOME="+r.dir,
		"GIT_AUTHOR_NAME=A", "GIT_AUTHOR_EMAIL=a@x", "GIT_AUTHOR_DATE=2026-03-01T08:00:00-05:00",
		"GIT_COMMITTER_NAME=C", "GIT_COMMITTER_EMAIL=c@x", "GIT_COMMITTER_DATE=2026-03-02T09:30:00+08:00")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	v := r.read(t, Options{}).Cases["A-1"].Versions[0]
	if v.At.Format(time.RFC3339) != "2026-03-01T08:00:00-05:00" || v.CommittedAt.Format(time.RFC3339) != "2026-03-02T09:30:00+08:00" {
		t.Errorf("At %v CommittedAt %v", v.At, v.CommittedAt)
	}
	if tr := r.read(t, Options{}).Cases["A-1"].Transitions[0]; !tr.At.Equal(v.At) || !tr.CommittedAt.Equal(v.CommittedAt) {
		t.Errorf("transition At %v CommittedAt %v, want the version's", tr.At, tr.CommittedAt)
	}
	if v.Actor != "A" || v.Email != "a@x" || !v.ParentAt.IsZero() || v.Merge || v.Signed {
		t.Errorf("version = %+v", v)
	}
}

func TestRead_Merges(t *testing.T) {
	r := newGitRepo(t)
	a, b := "cases/2026/03/02/A-1.md", "cases/2026/03/02/B-1.md"
	r.write(a, caseFile("A-1", "received"))
	r.write(b, caseFile("B-1", "received"))
	r.commit("two cases")
	r.git("branch", "side")
	r.write(a, caseFile("A-1", "assigned", "assignee: 赵某", "department: 监察室"))
	r.commit(casebookMsg("A-1", "received", "assigned", ""))
	r.git("checkout", "-q", "side")
	r.write(b, caseFile("B-1", "replied"))
	r.commit(casebookMsg("B-1", "received", "replied", ""))
	r.git("checkout", "-q", "main")
	r.at = r.at.Add(time.Hour)
	r.git("merge", "-q", "--no-ff", "-m", "merge side", "side")

	// Both branches touched different cases: the merge adds no version.
	h := r.read(t, Options{})
	for _, id := range []string{"A-1", "B-1"} {
		for _, v := range h.Cases[id].Versions {
			if v.Merge {
				t.Errorf("%s: merge commit contributed %+v", id, v)
			}
		}
	}
	if got := steps(h.Cases["B-1"]); !reflect.DeepEqual(got, []step{{"", "received"}, {"received", "replied"}}) {
		t.Errorf("B-1 transitions = %v", got)
	}
	if got := steps(h.Cases["A-1"]); !reflect.DeepEqual(got, []step{{"", "received"}, {"received", "assigned"}}) {
		t.Errorf("A-1 transitions = %v", got)
	}

	// A merge whose result equals one parent (-s ours) is judged against
	// the other: it takes the case back from that side's withdrawal.
	r.git("checkout", "-q", "-b", "other")
	r.write(a, caseFile("A-1", "withdrawn"))
	r.commit(casebookMsg("A-1", "assigned", "withdrawn", ""))
	r.git("checkout", "-q", "main")
	r.at = r.at.Add(time.Hour)
	r.git("merge", "-q", "-s", "ours", "-m", "keep ours", "other")
	h = r.read(t, Options{})
	if n := len(h.Cases["A-1"].Versions); n != 4 {
		t.Errorf("A-1 has %d versions after -s ours merge, want 4 (the side commit and the merge)", n)
	}
	if got := steps(h.Cases["A-1"]); !reflect.DeepEqual(got, []step{{"", "received"}, {"received", "assigned"}, {"assigned", "withdrawn"}, {"withdrawn", "assigned"}}) {
		t.Errorf("A-1 transitions after -s ours = %v", got)
	}
	if ts := h.Cases["A-1"].Transitions; !ts[len(ts)-1].Merge {
		t.Errorf("the last transition of A-1 is not the merge: %+v", ts[len(ts)-1])
	}
	// A merge of a side that is merely behind adds nothing.
	for _, v := range h.Cases["B-1"].Versions {
		if v.Merge {
			t.Errorf("B-1: merge contributed %+v", v)
		}
	}

	// An evil merge, whose file differs from both parents, does count.
	r.git("checkout", "-q", "-b", "third")
	r.write(b, caseFile("B-1", "replied", "assignee: 孙某"))
	r.commit("side edit")
	r.git("checkout", "-q", "main")
	r.at = r.at.Add(time.Hour)
	r.git("merge", "-q", "--no-ff", "--no-commit", "third")
	r.write(b, caseFile("B-1", "closed", "assignee: 孙某"))
	merge := r.commit("merge third and close B-1")
	h = r.read(t, Options{})
	tr := h.Cases["B-1"].Transitions
	last := tr[len(tr)-1]
	if last.Commit != merge || !last.Merge || last.From != "replied" || last.To != "closed" {
		t.Errorf("evil merge transition = %+v", last)
	}
}

func TestRead_DeleteAndMove(t *testing.T) {
	r := newGitRepo(t)
	r.write("cases/2026/03/02/A-1.md", caseFile("A-1", "received"))
	r.write("cases/2026/03/02/B-1.md", caseFile("B-1", "received"))
	r.write("cases/2026/03/02/C-1/index.md", caseFile("C-1", "received"))
	r.write("cases/2026/03/02/C-1/notes.md", "attachment, not a case\n")
	r.commit("three cases")
	r.git("rm", "-q", "cases/2026/03/02/A-1.md")
	deleted := r.commit("drop A-1")
	r.move("cases/2026/03/02/B-1.md", "cases/2026/03/05/B-1.md")
	r.commit("refile B-1")
	r.write("cases/2026/03/02/C-1/notes.md", "more notes\n")
	r.commit("attachment edit")

	h := r.read(t, Options{})
	if !reflect.DeepEqual(h.Order, []string{"A-1", "B-1", "C-1"}) {
		t.Fatalf("order = %v", h.Order)
	}
	a := h.Cases["A-1"]
	if a.Deleted == nil || a.Deleted.Commit != deleted || !a.Deleted.Deleted || a.Path != "cases/2026/03/02/A-1.md" {
		t.Errorf("A-1 deleted = %+v path %q", a.Deleted, a.Path)
	}
	b := h.Cases["B-1"]
	if b.Deleted != nil || b.Path != "cases/2026/03/05/B-1.md" || len(b.Versions) != 2 || len(b.Transitions) != 1 {
		t.Errorf("B-1 = path %q deleted %v versions %d transitions %d", b.Path, b.Deleted, len(b.Versions), len(b.Transitions))
	}
	if v := b.Versions[1]; v.Deleted || v.Changed != nil {
		t.Errorf("move version = %+v", v)
	}
	c := h.Cases["C-1"]
	if c.Path != "cases/2026/03/02/C-1/index.md" || len(c.Versions) != 1 {
		t.Errorf("bundle = path %q versions %d", c.Path, len(c.Versions))
	}
}

func TestRead_MoveWithStatusChange(t *testing.T) {
	r := newGitRepo(t)
	r.write("cases/old/A-1.md", caseFile("A-1", "received"))
	r.commit("new")
	r.move("cases/old/A-1.md", "cases/new/A-1.md")
	r.write("cases/new/A-1.md", caseFile("A-1", "replied"))
	r.commit("move and reply")
	c := r.read(t, Options{}).Cases["A-1"]
	if got := steps(c); !reflect.DeepEqual(got, []step{{"", "received"}, {"received", "replied"}}) || c.Deleted != nil {
		t.Errorf("transitions %v deleted %v", got, c.Deleted)
	}
}

func TestRead_EmptyRepositoryAndNoCases(t *testing.T) {
	r := newGitRepo(t)
	h := r.read(t, Options{})
	if h.Head != "" || len(h.Cases) != 0 {
		t.Errorf("empty repository = %+v", h)
	}
	r.write("README.md", "x\n")
	r.commit("init")
	if h := r.read(t, Options{}); h.Commits != 1 || len(h.Cases) != 0 || len(h.Order) != 0 {
		t.Errorf("no cases = %+v", h)
	}
}

// buildHistory makes a repository exercising every kind of change.
func buildHistory(t *testing.T) *gitRepo {
	r := newGitRepo(t)
	for i := 1; i <= 6; i++ {
		r.write(fmt.Sprintf("cases/2026/03/%02d/B-%d.md", i, i), caseFile(fmt.Sprintf("B-%d", i), "received"))
		r.commit(casebookMsg(fmt.Sprintf("B-%d", i), "", "received", ""))
	}
	r.git("checkout", "-q", "-b", "side")
	r.write("cases/2026/03/01/B-1.md", caseFile("B-1", "assigned", "assignee: 赵某"))
	r.commit(casebookMsg("B-1", "received", "assigned", "note"))
	r.git("checkout", "-q", "main")
	r.write("cases/2026/03/02/B-2.md", caseFile("B-2", "replied"))
	r.commit(casebookMsg("B-2", "received", "replied", ""))
	r.at = r.at.Add(time.Hour)
	r.git("merge", "-q", "--no-ff", "-m", "merge", "side")
	r.git("rm", "-q", "cases/2026/03/03/B-3.md")
	r.commit("delete B-3")
	r.move("cases/2026/03/04/B-4.md", "cases/2026/04/04/B-4.md")
	r.commit("move B-4")
	r.write("cases/2026/03/05/B-5.md", "no front matter\n")
	r.commit("break B-5")
	return r
}

func TestRead_CacheGivesIdenticalResults(t *testing.T) {
	r := buildHistory(t)
	cacheDir := filepath.Join(r.dir, ".git", "casebook")
	plain := r.read(t, Options{})
	cold := r.read(t, Options{CacheDir: cacheDir})
	if _, err := os.Stat(filepath.Join(cacheDir, cacheFile)); err != nil {
		t.Fatalf("no cache written: %v", err)
	}
	warm := r.read(t, Options{CacheDir: cacheDir})
	if !reflect.DeepEqual(plain, cold) || !reflect.DeepEqual(plain, warm) {
		t.Fatalf("cache changed the result:\nplain %+v\nwarm  %+v", plain.Cases["B-1"], warm.Cases["B-1"])
	}

	r.write("cases/2026/03/06/B-6.md", caseFile("B-6", "replied"))
	r.commit(casebookMsg("B-6", "received", "replied", "after cache"))
	plain = r.read(t, Options{})
	warm = r.read(t, Options{CacheDir: cacheDir})
	if !reflect.DeepEqual(plain, warm) {
		t.Fatal("cache changed the result after a new commit")
	}
	if got := steps(warm.Cases["B-6"]); len(got) != 2 {
		t.Errorf("new commit not seen through the cache: %v", got)
	}
	r.git("rm", "-q", "cases/2026/03/06/B-6.md")
	r.move("cases/2026/03/01/B-1.md", "cases/2026/05/01/B-1.md")
	r.commit("delete B-6, move B-1")
	plain = r.read(t, Options{})
	warm = r.read(t, Options{CacheDir: cacheDir})
	if !reflect.DeepEqual(plain, warm) {
		t.Fatal("cache changed the result after a deletion and a move")
	}
	if warm.Cases["B-6"].Deleted == nil || warm.Cases["B-1"].Path != "cases/2026/05/01/B-1.md" {
		t.Errorf("B-6 deleted %v, B-1 path %q", warm.Cases["B-6"].Deleted, warm.Cases["B-1"].Path)
	}

	// A damaged cache is ignored, whatever the damage.
	good, err := os.ReadFile(filepath.Join(cacheDir, cacheFile))
	if err != nil {
		t.Fatal(err)
	}
	damaged := map[string][]byte{
		"truncated":    good[:len(good)/2],
		"flipped byte": append(append([]byte(nil), good[:len(good)-40]...), append([]byte{good[len(good)-40] ^ 0xff}, good[len(good)-39:]...)...),
		"empty":        {},
		"other format": []byte("casebook-history-cache 0\n"),
	}
	for name, b := range damaged {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(filepath.Join(cacheDir, cacheFile), b, 0o644); err != nil {
				t.Fatal(err)
			}
			forgetSaved(t, cacheDir) // or the saved history serves the read
			if got := r.read(t, Options{CacheDir: cacheDir}); !reflect.DeepEqual(plain, got) {
				t.Error("damaged cache changed the result")
			}
			if c := loadCache(cacheDir, "cases/"); !c.valid {
				t.Error("cache was not rebuilt")
			}
		})
	}
	if c := loadCache(cacheDir, "other/"); c.valid {
		t.Error("cache built for another prefix was trusted")
	}
}

// TestCache_NewCommitAppendsASegment guards the cheap path of a run after a
// commit: the file read is kept as it is and one segment follows it.
func TestCache_NewCommitAppendsASegment(t *testing.T) {
	r := buildHistory(t)
	cacheDir := filepath.Join(r.dir, ".git", "casebook")
	name := filepath.Join(cacheDir, cacheFile)
	r.read(t, Options{CacheDir: cacheDir})
	before, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	file, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	r.write("cases/2026/03/06/B-6.md", caseFile("B-6", "replied"))
	r.commit(casebookMsg("B-6", "received", "replied", "after cache"))
	forgetSaved(t, cacheDir) // or the saved history is extended instead
	r.read(t, Options{CacheDir: cacheDir})
	after, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) <= len(before) || !bytes.Equal(after[:len(before)], before) {
		t.Fatalf("cache not appended to: %d bytes before, %d after", len(before), len(after))
	}
	if st, err := os.Stat(name); err != nil || !os.SameFile(file, st) {
		t.Errorf("cache file replaced rather than appended to (%v)", err)
	}
	if c := loadCache(cacheDir, "cases/"); !c.valid || c.segments != 2 {
		t.Errorf("after one new commit: valid %v, %d segments, want 2", c.valid, c.segments)
	}
}

// TestCache_RewriteKeepsPackedKeys guards a cache rewritten as one segment
// (after too many appends) from a cache whose snapshots kept their keys
// packed: the rewrite must carry the keys over unchanged.
func TestCache_RewriteKeepsPackedKeys(t *testing.T) {
	r := buildHistory(t)
	cacheDir := filepath.Join(r.dir, ".git", "casebook")
	r.read(t, Options{CacheDir: cacheDir})
	before := loadCache(cacheDir, "cases/")
	if !before.valid || len(before.snaps) == 0 {
		t.Fatal("no cache to rewrite")
	}
	var order []*commitRec
	for _, rec := range before.commits {
		order = append(order, rec)
	}
	saveCache(cacheDir, "cases/", emptyCache(), order, nil, before.snaps)
	after := loadCache(cacheDir, "cases/")
	if !after.valid || len(after.snaps) != len(before.snaps) {
		t.Fatalf("rewritten cache: valid %v, %d snapshots, want %d", after.valid, len(after.snaps), len(before.snaps))
	}
	keys := 0
	for h, s := range before.snaps {
		var b1, b2 []KeyHash
		want, got := s.keyList(&b1), after.snaps[h].keyList(&b2)
		if !reflect.DeepEqual(got, want) || (s.packed == nil) != (after.snaps[h].packed == nil) {
			t.Fatalf("blob %s: keys %v after the rewrite, want %v", h, got, want)
		}
		keys += len(want)
	}
	if keys == 0 {
		t.Fatal("no snapshot had keys: the test proves nothing")
	}
}

func TestRead_PackedAndLooseAgree(t *testing.T) {
	r := buildHistory(t)
	loose := r.read(t, Options{})
	r.git("repack", "-adq", "--depth=5")
	packed := r.read(t, Options{Workers: 3})
	if !reflect.DeepEqual(loose, packed) {
		t.Fatal("packed repository read differently from loose one")
	}
	if len(loose.Cases) != 6 {
		t.Fatalf("cases = %v", loose.Order)
	}
	if c := loose.Cases["B-5"]; c.Versions[len(c.Versions)-1].Snap.Err == "" {
		t.Error("broken file has no snapshot error")
	}
}

func TestIsAncestor(t *testing.T) {
	r := newGitRepo(t)
	r.write("cases/A-1.md", caseFile("A-1", "received"))
	first := r.commit("first")
	r.git("tag", "v1")
	r.write("cases/A-1.md", caseFile("A-1", "assigned"))
	r.commit("second")
	r.git("checkout", "-q", "-b", "feature")
	r.write("cases/A-1.md", caseFile("A-1", "replied"))
	before := r.commit("third")
	r.at = r.at.Add(time.Hour)
	r.git("commit", "-q", "--amend", "-m", "third, amended")
	amended := r.git("rev-parse", "HEAD")
	repo, err := git.PlainOpen(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		rev  string
		want bool
	}{
		{"first commit", first, true},
		{"abbreviated hash", first[:8], true},
		{"tag", "v1", true},
		{"branch main", "main", true},
		{"HEAD itself", amended, true},
		{"commit replaced by amend", before, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := IsAncestor(repo, tt.rev)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("IsAncestor(%s) = %v, want %v", tt.rev, got, tt.want)
			}
		})
	}
	if _, err := IsAncestor(repo, "no-such-branch"); err == nil {
		t.Error("unknown revision: no error")
	}
}

func TestRead_ShallowClone(t *testing.T) {
	r := buildHistory(t)
	full := r.read(t, Options{})
	clone := &gitRepo{t: t, dir: filepath.Join(t.TempDir(), "clone"), at: r.at}
	r.git("clone", "-q", "--depth", "2", "file://"+r.dir, clone.dir)
	cacheDir := filepath.Join(clone.dir, ".git", "casebook")
	plain := clone.read(t, Options{})
	cold := clone.read(t, Options{CacheDir: cacheDir})
	warm := clone.read(t, Options{CacheDir: cacheDir})
	if !reflect.DeepEqual(plain, cold) || !reflect.DeepEqual(plain, warm) {
		t.Fatal("cache changed the result of a shallow clone")
	}
	if plain.Commits != 2 || plain.Head != full.Head {
		t.Fatalf("shallow clone: %d commits, head %s", plain.Commits, plain.Head)
	}
	// The first commit names the office; a shallow clone does not have it.
	if root := strings.TrimSpace(r.git("rev-list", "--max-parents=0", "HEAD")); full.Root != root || plain.Root != "" {
		t.Errorf("Root = %q (full), %q (shallow); want %q and none", full.Root, plain.Root, root)
	}
	// The boundary commit holds every case as if it created them.
	b2 := plain.Cases["B-2"]
	if len(b2.Versions) != 1 || !b2.Versions[0].Shallow || b2.Transitions[0].From != "" || !b2.Transitions[0].Shallow {
		t.Errorf("B-2 in shallow clone = %+v", b2.Versions)
	}
	// The last commit is read normally.
	b5 := plain.Cases["B-5"]
	if v := b5.Versions[len(b5.Versions)-1]; v.Shallow || v.Snap.Err == "" {
		t.Errorf("B-5 last version = %+v", v)
	}
	repo, err := git.PlainOpen(clone.dir)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := IsAncestor(repo, plain.Head); err != nil || !ok {
		t.Errorf("IsAncestor(HEAD) in shallow clone = %v, %v", ok, err)
	}
}

func TestRead_ShallowBoundaryAndTruncatedCases(t *testing.T) {
	r := buildHistory(t)
	full := r.read(t, Options{})
	clone := &gitRepo{t: t, dir: filepath.Join(t.TempDir(), "clone"), at: r.at}
	r.git("clone", "-q", "--depth", "2", "file://"+r.dir, clone.dir)
	h := clone.read(t, Options{})
	boundary := strings.TrimSpace(clone.git("rev-parse", "HEAD~1"))
	if len(h.Shallow) != 1 || h.Shallow[0] != boundary {
		t.Errorf("Shallow = %v, want [%s]", h.Shallow, boundary)
	}
	// Every case the boundary commit holds; B-3 was deleted before it.
	if got := strings.Join(h.TruncatedCases(), " "); got != "B-1 B-2 B-4 B-5 B-6" {
		t.Errorf("TruncatedCases = %s", got)
	}
	if err := h.NeedWhole("x", ""); !errors.Is(err, ErrShallow) || !strings.Contains(err.Error(), boundary[:7]) || !strings.Contains(err.Error(), "git fetch --unshallow") {
		t.Errorf("NeedWhole = %v", err)
	}
	if len(full.Shallow) != 0 || full.TruncatedCases() != nil || full.NeedWhole("x", "") != nil {
		t.Errorf("full clone: Shallow %v, truncated %v", full.Shallow, full.TruncatedCases())
	}
}

// TestRead_LateEntries: History.LateEntries lists the commits whose author
// date lies more than Options.LateEntry before their committer date, and
// the merges that bring in commits authored that long before them, by the
// author date (a branch rebased just before its merge still shows).
func TestRead_LateEntries(t *testing.T) {
	r := newGitRepo(t)
	r.write("cases/A-1.md", caseFile("A-1", "received"))
	r.commit("new") // 10:00
	r.git("branch", "side")
	r.write("cases/A-1.md", caseFile("A-1", "assigned"))
	r.commit("assigned") // 11:00
	r.at = r.at.Add(3 * time.Hour)
	r.git("commit", "-q", "--amend", "--no-edit", "--date=2026-03-02T11:00:00+08:00") // committed 14:00
	late := r.git("rev-parse", "HEAD")
	// On the side branch: authored 12:00, committed 15:00, merged 17:00.
	r.git("checkout", "-q", "side")
	r.write("cases/B-1.md", caseFile("B-1", "received"))
	r.at = time.Date(2026, 3, 2, 15, 0, 0, 0, time.FixedZone("", 8*3600))
	r.git("add", "-A")
	r.git("commit", "-q", "-m", "B-1", "--date=2026-03-02T12:00:00+08:00")
	side := r.git("rev-parse", "HEAD")
	r.git("checkout", "-q", "main")
	r.at = r.at.Add(2 * time.Hour)
	r.git("merge", "-q", "--no-ff", "-m", "merge side", "side")
	merge := r.git("rev-parse", "HEAD")

	if got := r.read(t, Options{}).LateEntries; got != nil {
		t.Errorf("without a window: %+v, want none", got)
	}
	got := r.read(t, Options{LateEntry: 2 * time.Hour}).LateEntries
	if len(got) != 3 {
		t.Fatalf("2h: %d late entries, want 3: %+v", len(got), got)
	}
	want := []struct {
		commit, at, entered string
		merge               bool
	}{
		{late, "2026-03-02T11:00:00+08:00", "2026-03-02T14:00:00+08:00", false},
		{side, "2026-03-02T12:00:00+08:00", "2026-03-02T15:00:00+08:00", false},
		{merge, "2026-03-02T12:00:00+08:00", "2026-03-02T17:00:00+08:00", true},
	}
	for i, w := range want {
		e := got[i]
		if e.Commit != w.commit || e.At.Format(time.RFC3339) != w.at || e.EnteredAt.Format(time.RFC3339) != w.entered || e.Merge != w.merge {
			t.Errorf("entry %d = %s %s %s merge=%v, want %s %s %s merge=%v", i, e.Commit, e.At.Format(time.RFC3339), e.EnteredAt.Format(time.RFC3339), e.Merge, w.commit, w.at, w.entered, w.merge)
		}
	}
	if b := got[2].Brought; len(b) != 1 || b[0].Commit != side || b[0].At.Format(time.RFC3339) != "2026-03-02T12:00:00+08:00" {
		t.Errorf("brought = %+v, want %s authored 12:00", b, side)
	}
	// 4 hours: the amended commit (3 hours) is on time; the side commit
	// (3 hours late on its own) too, but the merge brought it in 5 hours
	// after its author date.
	got = r.read(t, Options{LateEntry: 4 * time.Hour}).LateEntries
	if len(got) != 1 || got[0].Commit != merge {
		t.Errorf("4h: %+v, want the merge alone", got)
	}
}
