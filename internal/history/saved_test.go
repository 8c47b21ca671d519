package history

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
)

// forgetSaved removes the saved history, for a test of history.bin.
func forgetSaved(t *testing.T, dir string) {
	t.Helper()
	if err := os.Remove(filepath.Join(dir, savedFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
}

// same fails unless got equals want, naming the first case that differs.
func same(t *testing.T, what string, want, got *History) {
	t.Helper()
	if reflect.DeepEqual(want, got) {
		return
	}
	for _, id := range want.Order {
		if !reflect.DeepEqual(want.Cases[id], got.Cases[id]) {
			t.Fatalf("%s: case %s differs:\nwant %+v\ngot  %+v", what, id, want.Cases[id], got.Cases[id])
		}
	}
	w, g := *want, *got
	w.Cases, g.Cases = nil, nil
	t.Fatalf("%s: the history differs:\nwant %+v\ngot  %+v", what, w, g)
}

// TestSaved_ExtendGivesTheFullRead builds a history step by step, plain
// commits and the kinds extend must leave to the full walk, and after each
// step compares Read through the saved history, and ReadCase of every case,
// with a Read that has no cache at all. It also counts that the plain
// steps were served by the saved history, or it would prove nothing.
func TestSaved_ExtendGivesTheFullRead(t *testing.T) {
	r := newGitRepo(t)
	dir := filepath.Join(r.dir, ".git", "casebook")
	opts := Options{Prefix: "cases/", CacheDir: dir, LateEntry: 2 * time.Hour}
	type stepFn struct {
		name  string
		plain bool // extend applies it
		do    func()
	}
	file := func(id string) string { return "cases/2026/03/02/" + id + ".md" }
	add := func(id, status string, extra ...string) { r.write(file(id), caseFile(id, status, extra...)) }
	stepsList := []stepFn{
		{"first cases", false, func() { add("A-1", "received"); add("A-2", "received"); r.commit("two cases") }},
		{"a transition", true, func() {
			add("A-1", "assigned", "assignee: 钱某")
			r.commit(casebookMsg("A-1", "received", "assigned", "转办"))
		}},
		{"a field, no transition", true, func() {
			add("A-1", "assigned", "assignee: 孙某")
			r.commitAs("Sun Li", "sun@example.com", "A-1: set assignee")
		}},
		{"a new case", true, func() { add("A-3", "received"); r.commit(casebookMsg("A-3", "", "received", "")) }},
		{"two cases in one commit", true, func() {
			add("A-2", "replied")
			add("A-3", "assigned")
			r.commit("batch")
		}},
		{"an empty commit", true, func() { r.commit("nothing") }},
		{"a body edit", true, func() {
			r.write(file("A-2"), caseFile("A-2", "replied")+"补充说明。\n")
			r.commit("A-2: body")
		}},
		{"a broken file", true, func() { r.write(file("A-3"), "---\nid: A-3\nstatus: [\n---\n"); r.commit("break A-3") }},
		{"fixed again", true, func() { add("A-3", "assigned"); r.commit("fix A-3") }},
		{"a backdated commit", true, func() {
			r.at = r.at.Add(-3 * time.Hour)
			add("A-1", "replied")
			r.commit(casebookMsg("A-1", "assigned", "replied", ""))
			r.at = r.at.Add(4 * time.Hour)
		}},
		{"a late entry", true, func() {
			add("A-2", "closed")
			r.git("add", "-A")
			r.at = r.at.Add(5 * time.Hour)
			r.git("commit", "-q", "-m", "A-2 closed", "--date="+r.at.Add(-4*time.Hour).Format(time.RFC3339))
		}},
		{"a deletion", false, func() { r.git("rm", "-q", file("A-3")); r.commit("drop A-3") }},
		{"after the deletion", true, func() { add("A-1", "closed"); r.commit("A-1 closed") }},
		{"re-added", false, func() { add("A-3", "assigned"); r.commit("A-3 back") }},
		{"a move", false, func() { r.move(file("A-1"), "cases/2026/04/01/A-1.md"); r.commit("move A-1") }},
		{"an id edited", false, func() {
			r.write(file("A-2"), caseFile("A-9", "closed"))
			r.commit("A-2 is A-9")
		}},
		{"a twin", false, func() { r.write("cases/2026/05/01/A-3.md", caseFile("A-3", "received")); r.commit("twin A-3") }},
		{"a renumbering", false, func() {
			r.write("cases/2026/06/01/A-4.md", caseFile("A-4", "received"))
			r.commit("A-4: new")
			r.git("mv", "cases/2026/06/01/A-4.md", "cases/2026/06/01/A-5.md")
			r.write("cases/2026/06/01/A-5.md", caseFile("A-5", "received"))
			r.commit("A-5: renumbered from A-4\n\nCasebook-Case: A-5\nCasebook-Renumbered: A-4 -> A-5\n")
		}},
		{"a merge", false, func() {
			r.git("checkout", "-q", "-b", "side")
			add("A-6", "received")
			r.commit("A-6 on a side")
			r.git("checkout", "-q", "main")
			add("A-7", "received")
			r.commit("A-7")
			r.at = r.at.Add(time.Hour)
			r.git("merge", "-q", "--no-ff", "-m", "merge side", "side")
		}},
		{"a case in a new folder", true, func() { r.write("cases/2026/07/01/A-10.md", caseFile("A-10", "received")); r.commit("A-10") }},
		{"deleted in the new folder", false, func() { r.git("rm", "-q", "cases/2026/07/01/A-10.md"); r.commit("drop A-10") }},
		{"and back", false, func() { r.write("cases/2026/07/01/A-10.md", caseFile("A-10", "assigned")); r.commit("A-10 back") }},
		{"a bundle made of its folder", false, func() {
			// A-10 becomes an attachment: no diff lists it.
			r.write("cases/2026/07/01/index.md", caseFile("A-11", "received"))
			r.commit("A-11 as a bundle")
		}},
		{"plain after all that", true, func() { add("A-6", "assigned"); r.commit(casebookMsg("A-6", "received", "assigned", "")) }},
		{"several plain commits", true, func() {
			add("A-7", "assigned")
			r.commit("A-7 a")
			add("A-7", "replied")
			r.commit("A-7 b")
			add("A-8", "received")
			r.commit("A-8")
		}},
	}
	repo := func() *git.Repository {
		g, err := git.PlainOpen(r.dir)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	for _, st := range stepsList {
		st.do()
		before := extended.Load()
		want := r.read(t, Options{LateEntry: opts.LateEntry})
		// ReadCase first, from the saved history of the previous step.
		for _, id := range want.Order {
			c, err := ReadCase(repo(), opts, id)
			if err != nil {
				t.Fatalf("%s: ReadCase %s: %v", st.name, id, err)
			}
			if !reflect.DeepEqual(want.Cases[id], c) {
				t.Fatalf("%s: ReadCase %s:\nwant %+v\ngot  %+v", st.name, id, want.Cases[id], c)
			}
		}
		got := r.read(t, opts)
		same(t, st.name, want, got)
		if used := extended.Load() > before; used != st.plain {
			t.Errorf("%s: served by extending the saved history: %v, want %v", st.name, used, st.plain)
		}
		// At HEAD now: served as saved, and without late entries when
		// asked for none.
		same(t, st.name+" (again)", want, r.read(t, opts))
		none := r.read(t, Options{CacheDir: dir})
		if none.LateEntries != nil {
			t.Errorf("%s: late entries without a window: %+v", st.name, none.LateEntries)
		}
	}
	// Each plain commit appends a block; past maxBlocks the file is
	// written anew as one.
	last, rewritten, appended := 0, false, false
	for i := 0; i < maxBlocks+3; i++ {
		add("A-8", "received", fmt.Sprintf("note: 第%d次", i))
		r.commit(fmt.Sprintf("A-8 note %d", i))
		same(t, fmt.Sprintf("plain commit %d", i), r.read(t, Options{LateEntry: opts.LateEntry}), r.read(t, opts))
		sh, err := loadSaved(dir, savedKey{prefix: "cases/", late: opts.LateEntry}, true)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(sh.blocks); n > maxBlocks {
			t.Fatalf("after %d plain commits: %d blocks, more than %d", i+1, n, maxBlocks)
		} else if n < last {
			rewritten = true
		} else if n > 1 {
			appended = true
		}
		last = len(sh.blocks)
	}
	if !rewritten || !appended {
		t.Errorf("plain commits: appended %v, rewritten %v; want both", appended, rewritten)
	}
	if h := r.read(t, opts); len(h.Backdated) == 0 || len(h.LateEntries) == 0 {
		t.Fatalf("the history has %d backdated and %d late commits: the test proves less than it says", len(h.Backdated), len(h.LateEntries))
	}
}

// TestSaved_DamagedFileIsIgnored: a saved history that does not check out
// (torn, flipped, another format) gives the full walk's result.
func TestSaved_DamagedFileIsIgnored(t *testing.T) {
	r := buildHistory(t)
	dir := filepath.Join(r.dir, ".git", "casebook")
	plain := r.read(t, Options{})
	r.read(t, Options{CacheDir: dir})
	good, err := os.ReadFile(filepath.Join(dir, savedFile))
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range [][]byte{good[:len(good)/2], {}, []byte(savedMagic), flip(good, len(good)/2), flip(good, len(savedMagic)+3)} {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			if err := os.WriteFile(filepath.Join(dir, savedFile), b, 0o644); err != nil {
				t.Fatal(err)
			}
			same(t, "damaged", plain, r.read(t, Options{CacheDir: dir}))
		})
	}
	if sh, err := openSaved(good, savedKey{prefix: "other/"}, true); err == nil || sh != nil {
		t.Error("a history saved for another folder was taken")
	}
}

func flip(b []byte, i int) []byte {
	c := append([]byte(nil), b...)
	c[i] ^= 0x40
	return c
}

// TestSaved_RoundTrip encodes and decodes a history with what the walk can
// produce and a test repository rarely does: the instant of year 1 in a
// zone (git can record it), nil and empty lists side by side.
func TestSaved_RoundTrip(t *testing.T) {
	zone := time.FixedZone("", 8*3600)
	year1 := time.Unix(-62135596800, 0).In(zone)
	at := time.Unix(1767225600, 0).In(zone)
	commit := "0123456789abcdef0123456789abcdef01234567"
	v := Version{Commit: commit, At: year1, CommittedAt: at, Actor: "赵敏", Path: "cases/A-1.md",
		Snap: Snapshot{ID: "A-1", Status: "received"}, Changed: []string{"id", "status"}}
	h := &History{
		Head: commit, Commits: 3,
		Cases: map[string]*Case{
			"A-1": {ID: "A-1", Path: "cases/A-1.md", Versions: []Version{v}, Transitions: []Transition{v.Transition("", "received")}},
			"A-2": {ID: "A-2", Path: "cases/A-2.md"},
			"A-3": {ID: "A-3", Path: "cases/A-3.md", Versions: []Version{}, Transitions: []Transition{}},
		},
		Order:     []string{"A-1", "A-2", "A-3"},
		Backdated: []CommitDate{{Commit: commit, At: year1, ParentAt: at, Actor: "赵敏"}},
	}
	var head hash
	copy(head[:], []byte("01234567890123456789"))
	b, err := encodeBlock(head, zeroHash, h, nil)
	if err != nil {
		t.Fatal(err)
	}
	key := savedKey{prefix: "cases/"}
	file := append(savedHeader(key), b...)
	for _, eager := range []bool{true, false} {
		sh, err := openSaved(file, key, eager)
		if err != nil {
			t.Fatal(err)
		}
		got, err := sh.whole(nil)
		if err != nil {
			t.Fatal(err)
		}
		got.Head = h.Head
		same(t, fmt.Sprintf("eager %v", eager), h, got)
	}

	// A block that extends another HEAD than the block before it (a run
	// appended to a file another run had just replaced) spoils the file.
	var other hash
	copy(other[:], []byte("abcdefghijabcdefghij"))
	next, err := encodeBlock(other, other, h, []string{"A-1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := openSaved(append(file, next...), key, true); err == nil {
		t.Fatal("a block that extends another HEAD was taken")
	}
	good, err := encodeBlock(other, head, h, []string{"A-1"})
	if err != nil {
		t.Fatal(err)
	}
	if sh, err := openSaved(append(file, good...), key, true); err != nil || sh.head != other {
		t.Fatalf("a block that extends the HEAD before it: %v", err)
	}
}
