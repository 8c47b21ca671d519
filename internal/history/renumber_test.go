package history

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// registered is a case file with its own title and received_at, as two
// clerks would register two complaints.
func registered(id, status, title, received string) string {
	return fmt.Sprintf("---\nid: %s\npolicy: bank\ntitle: %s\nstatus: %s\nreceived_at: %s\nchannel: visit\ncategory: attitude\n---\n## 投诉内容\n\n%s\n",
		id, title, status, received, title)
}

func renumberMsg(from, to string) string {
	return fmt.Sprintf("%s: renumbered from %s\n\nCasebook-Case: %s\nCasebook-Renumbered: %s -> %s\n", to, from, to, from, to)
}

// statuses lists a case's transitions as "from>to" for comparison.
func statuses(c *Case) string {
	var out []string
	for _, t := range c.Transitions {
		out = append(out, t.From+">"+t.To)
	}
	return strings.Join(out, " ")
}

func TestRead_RenumberContinuesTheCase(t *testing.T) {
	r := newGitRepo(t)
	const oldPath, newPath = "cases/2026/03/02/BANK-2026-0003.md", "cases/2026/03/02/BANK-2026-0004.md"
	r.write(oldPath, registered("BANK-2026-0003", "received", "柜台服务态度差", "2026-03-02T10:00:00+08:00"))
	created := r.commit(casebookMsg("BANK-2026-0003", "new", "received", ""))
	r.write(oldPath, registered("BANK-2026-0003", "assigned", "柜台服务态度差", "2026-03-02T10:00:00+08:00"))
	r.commit(casebookMsg("BANK-2026-0003", "received", "assigned", ""))
	r.git("mv", oldPath, newPath)
	r.write(newPath, registered("BANK-2026-0004", "assigned", "柜台服务态度差", "2026-03-02T10:00:00+08:00"))
	renumber := r.commit(renumberMsg("BANK-2026-0003", "BANK-2026-0004"))

	h := r.read(t, Options{})
	if _, ok := h.Cases["BANK-2026-0003"]; ok {
		t.Errorf("the old id is still a case: %+v", h.Cases["BANK-2026-0003"])
	}
	c := h.Cases["BANK-2026-0004"]
	if c == nil {
		t.Fatalf("no case under the new id; cases %v", h.Order)
	}
	if c.Deleted != nil || c.Path != newPath {
		t.Errorf("Deleted = %v, Path = %s", c.Deleted, c.Path)
	}
	if len(c.Versions) != 3 || c.Versions[0].Commit != created || c.Versions[2].Commit != renumber {
		t.Fatalf("versions = %+v", c.Versions)
	}
	if got := strings.Join(c.Versions[2].Changed, ","); got != "id" {
		t.Errorf("the renumbering changed %q, want id alone", got)
	}
	if from, ok := c.Versions[2].RenumberedFrom("BANK-2026-0004"); !ok || from != "BANK-2026-0003" {
		t.Errorf("RenumberedFrom = %q, %v", from, ok)
	}
	if got := statuses(c); got != ">received received>assigned" {
		t.Errorf("transitions = %s", got)
	}
	if len(h.Renumbered) != 1 || h.Renumbered[0] != (Renumbering{From: "BANK-2026-0003", To: "BANK-2026-0004", Commit: renumber,
		At: c.Versions[2].At, Actor: "Zhao Min", Email: "zhao@example.com", Renamed: true}) {
		t.Errorf("Renumbered = %+v", h.Renumbered)
	}
	if len(h.Collisions) != 0 {
		t.Errorf("collisions = %+v", h.Collisions)
	}
	// Read from the cache, the same.
	dir := t.TempDir()
	r.read(t, Options{CacheDir: dir})
	if again := r.read(t, Options{CacheDir: dir}); statuses(again.Cases["BANK-2026-0004"]) != statuses(c) || len(again.Renumbered) != 1 {
		t.Errorf("from the cache: %+v", again.Cases["BANK-2026-0004"])
	}
}

// twoClerks registers one id on two branches, main and clerk, at one path
// (the same day), each with its own complaint; clerk also assigns its case.
func twoClerks(t *testing.T) (r *gitRepo, first, second string) {
	r = newGitRepo(t)
	r.write("README.md", "office\n")
	r.commit("init")
	r.git("checkout", "-q", "-b", "clerk")
	r.write("cases/2026/03/02/BANK-2026-0003.md", registered("BANK-2026-0003", "received", "理财产品收益不符", "2026-03-02T11:00:00+08:00"))
	second = r.commit(casebookMsg("BANK-2026-0003", "new", "received", ""))
	r.write("cases/2026/03/02/BANK-2026-0003.md", registered("BANK-2026-0003", "assigned", "理财产品收益不符", "2026-03-02T11:00:00+08:00"))
	r.commit(casebookMsg("BANK-2026-0003", "received", "assigned", ""))
	r.git("checkout", "-q", "main")
	r.write("cases/2026/03/02/BANK-2026-0003.md", registered("BANK-2026-0003", "received", "柜台服务态度差", "2026-03-02T10:00:00+08:00"))
	first = r.commit(casebookMsg("BANK-2026-0003", "new", "received", ""))
	return r, first, second
}

func TestRead_CollisionWhateverTheMergeKept(t *testing.T) {
	r, first, second := twoClerks(t)
	r.at = r.at.Add(time.Hour)
	r.git("merge", "-q", "-X", "ours", "-m", "merge clerk", "clerk")
	h := r.read(t, Options{})
	if len(h.Collisions) != 1 {
		t.Fatalf("collisions = %+v", h.Collisions)
	}
	col := h.Collisions[0]
	if col.ID != "BANK-2026-0003" || len(col.Registrations) != 2 {
		t.Fatalf("collision = %+v", col)
	}
	got := map[string]bool{}
	for _, reg := range col.Registrations {
		got[reg.Created.Commit] = reg.Held
	}
	if held, ok := got[first]; !ok || !held {
		t.Errorf("main's registration %s: held %v, present %v", first, held, ok)
	}
	if held, ok := got[second]; !ok || held {
		t.Errorf("the clerk's registration %s: held %v, present %v (the merge kept main's file)", second, held, ok)
	}
	for _, reg := range col.Registrations {
		if reg.Created.Commit == second && reg.Tip.Snap.Status != "assigned" {
			t.Errorf("the clerk's tip = %+v, want its assigned version", reg.Tip)
		}
	}
}

func TestRead_RenumberSeparatesACollision(t *testing.T) {
	const p, kept, newPath = "cases/2026/03/02/BANK-2026-0003.md", "cases/2026/03/02/kept/BANK-2026-0003.md", "cases/2026/03/02/BANK-2026-0004.md"
	clerkFile := registered("BANK-2026-0003", "assigned", "理财产品收益不符", "2026-03-02T11:00:00+08:00")
	for _, tc := range []struct {
		name    string
		resolve func(r *gitRepo) // from the merge in progress to a renumbering commit
	}{
		{"both kept by hand, one renumbered", func(r *gitRepo) {
			r.git("checkout", "--ours", p)
			r.write(kept, clerkFile)
			r.commit("merge clerk, both kept")
			r.git("mv", kept, newPath)
			r.write(newPath, strings.Replace(clerkFile, "BANK-2026-0003", "BANK-2026-0004", 1))
			r.commit(renumberMsg("BANK-2026-0003", "BANK-2026-0004"))
		}},
		{"one kept, the other brought back", func(r *gitRepo) {
			r.git("checkout", "--ours", p)
			r.commit("merge clerk, ours")
			r.write(newPath, strings.Replace(clerkFile, "BANK-2026-0003", "BANK-2026-0004", 1))
			r.commit(renumberMsg("BANK-2026-0003", "BANK-2026-0004"))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, first, second := twoClerks(t)
			r.at = r.at.Add(time.Hour)
			cmd := []string{"merge", "-q", "--no-commit", "clerk"}
			if out, err := r.try(cmd...); err == nil {
				t.Fatalf("the merge did not conflict: %s", out)
			}
			tc.resolve(r)
			h := r.read(t, Options{})
			if len(h.Collisions) != 0 {
				t.Errorf("collisions after the renumbering = %+v", h.Collisions)
			}
			old, nw := h.Cases["BANK-2026-0003"], h.Cases["BANK-2026-0004"]
			if old == nil || nw == nil {
				t.Fatalf("cases %v", h.Order)
			}
			if old.Versions[0].Commit != first || statuses(old) != ">received" {
				t.Errorf("main's case keeps %s, from %s", statuses(old), old.Versions[0].Commit)
			}
			if nw.Versions[0].Commit != second || statuses(nw) != ">received received>assigned" {
				t.Errorf("the renumbered case has %s, from %s", statuses(nw), nw.Versions[0].Commit)
			}
		})
	}
}

func TestRead_RenumberedBeforeTheMerge(t *testing.T) {
	r, _, second := twoClerks(t)
	r.git("checkout", "-q", "clerk")
	r.git("mv", "cases/2026/03/02/BANK-2026-0003.md", "cases/2026/03/02/BANK-2026-0004.md")
	r.write("cases/2026/03/02/BANK-2026-0004.md", registered("BANK-2026-0004", "assigned", "理财产品收益不符", "2026-03-02T11:00:00+08:00"))
	r.commit(renumberMsg("BANK-2026-0003", "BANK-2026-0004"))
	r.git("checkout", "-q", "main")
	r.at = r.at.Add(time.Hour)
	r.git("merge", "-q", "-m", "merge clerk", "clerk")
	h := r.read(t, Options{})
	if len(h.Collisions) != 0 {
		t.Errorf("collisions = %+v", h.Collisions)
	}
	if c := h.Cases["BANK-2026-0004"]; c == nil || c.Versions[0].Commit != second || statuses(c) != ">received received>assigned" {
		t.Errorf("the renumbered case = %+v", c)
	}
	if c := h.Cases["BANK-2026-0003"]; c == nil || statuses(c) != ">received" {
		t.Errorf("main's case = %+v", c)
	}
}

// What casebook sync writes: the local registration replayed onto the
// remote's line directly under the new id; the old id there is the
// remote's own case.
func TestRead_RegisteredUnderTheNewID(t *testing.T) {
	r := newGitRepo(t)
	r.write("cases/2026/03/02/BANK-2026-0003.md", registered("BANK-2026-0003", "received", "柜台服务态度差", "2026-03-02T10:00:00+08:00"))
	remote := r.commit(casebookMsg("BANK-2026-0003", "new", "received", ""))
	r.write("cases/2026/03/02/BANK-2026-0004.md", registered("BANK-2026-0004", "received", "理财产品收益不符", "2026-03-02T11:00:00+08:00"))
	replayed := r.commit("BANK-2026-0004: new (received)\n\nCasebook-Case: BANK-2026-0004\nCasebook-Transition: new -> received\nCasebook-Renumbered: BANK-2026-0003 -> BANK-2026-0004\n")
	h := r.read(t, Options{})
	if c := h.Cases["BANK-2026-0003"]; c == nil || len(c.Versions) != 1 || c.Versions[0].Commit != remote {
		t.Errorf("the remote's case = %+v", c)
	}
	if c := h.Cases["BANK-2026-0004"]; c == nil || len(c.Versions) != 1 || statuses(c) != ">received" {
		t.Errorf("the replayed case = %+v", c)
	}
	if len(h.Renumbered) != 1 || h.Renumbered[0].Renamed || h.Renumbered[0].Commit != replayed {
		t.Errorf("Renumbered = %+v", h.Renumbered)
	}
}

// Not collisions: a case moved on a branch and merged, a case deleted and
// added again, the same id added twice on one line (id.duplicate's
// business), and two files of one commit.
func TestRead_NotACollision(t *testing.T) {
	r := newGitRepo(t)
	r.write("cases/2026/03/02/BANK-2026-0001.md", registered("BANK-2026-0001", "received", "柜台服务态度差", "2026-03-02T10:00:00+08:00"))
	r.write("cases/2026/03/02/BANK-2026-0002.md", registered("BANK-2026-0002", "received", "网银转账失败", "2026-03-02T10:00:00+08:00"))
	r.commit("two cases")
	r.git("checkout", "-q", "-b", "tidy")
	r.move("cases/2026/03/02/BANK-2026-0001.md", "cases/2026/03/BANK-2026-0001.md")
	r.commit("month folder")
	r.git("checkout", "-q", "main")
	r.write("cases/2026/03/02/BANK-2026-0002.md", registered("BANK-2026-0002", "assigned", "网银转账失败", "2026-03-02T10:00:00+08:00"))
	r.commit("assign")
	r.at = r.at.Add(time.Hour)
	r.git("merge", "-q", "-m", "merge tidy", "tidy")
	r.git("rm", "-q", "cases/2026/03/02/BANK-2026-0002.md")
	r.commit("delete")
	r.write("cases/2026/03/02/BANK-2026-0002.md", registered("BANK-2026-0002", "assigned", "网银转账失败", "2026-03-02T10:00:00+08:00"))
	r.commit("add again")
	r.write("cases/2026/03/03/BANK-2026-0001.md", registered("BANK-2026-0001", "received", "柜台服务态度差", "2026-03-02T10:00:00+08:00"))
	r.commit("a copy")
	h := r.read(t, Options{})
	if len(h.Collisions) != 0 {
		t.Errorf("collisions = %+v", h.Collisions)
	}
	if c := h.Cases["BANK-2026-0002"]; c == nil || !c.Versions[len(c.Versions)-1].Readded {
		t.Errorf("the case added again is not read as re-added: %+v", c)
	}
}
