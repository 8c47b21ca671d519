package clerk_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/clerk"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/repo"
)

// The property: an operation that commits changes exactly the fields it
// sets (Move also the status), keeps the other keys in their order and the
// body byte for byte, commits exactly the one case file, and leaves the
// work-tree file equal to the committed bytes. An operation that is refused
// changes nothing at all. Cases and operations are random but valid for the
// bank policy, from a seeded generator, so a failure replays.

// propertyPaths are the bank fields the generator sets, with the raw
// command-line values it picks from. The string pools hold values that a
// careless YAML writer would turn into another type or break ("null",
// "123", "a: b", "#x", "yes", a date), so the editor's quoting is tested too.
// Amounts stay at or below 50,000 and tags avoid the words of the major
// escalation, so that no operation needs the leader's report.
var propertyPaths = map[string][]string{
	"title":               {"柜台服务态度差", "网银转账失败: 提示超时", "ATM 吞卡 #3", "null", "123"},
	"complainant.name":    {"王某", "李 四", "'引号'", "yes", "~"},
	"complainant.phone":   {"13800000000", "0915-1234567", "+86 138 0000 0000", "00123", "1e3"},
	"complainant.address": {"城关镇 1 号", "a: b", "[楼上]", "{东区}", "- 西街"},
	"complainant.email":   {"wang@example.com", "li@example.cn"},
	"respondent.unit":     {"城关支行", "营业部", "@总行", "%分理处"},
	"respondent.person":   {"周某", "吴某", "true", "2026-11-02"},
	"amount":              {"0", "500", "1234.5", "50000", "1,000"},
	"compensation":        {"0", "200", "99.99"},
	"tags":                {"vip", "elderly, vip", "lost_card", ""},
	"apologized":          {"yes", "no"},
	"responsibility":      {"bank", "customer", "none"},
	"satisfaction":        {"satisfied", "basically_satisfied", "dissatisfied"},
	"handled_at":          {"2026-11-03T10:00:00+08:00", "2026-11-04T15:30:00+08:00"},
	"handler":             {"钱某", "孙某", "no"},
	"handler_phone":       {"0915-1234567", "12345"},
	"delay_reason":        {"系统故障", "第一行\n第二行", "原因: 待查", "\"双引号\""},
	"legal_counsel.name":  {"赵律师", "钱律师"},
	"legal_counsel.advice": {
		"建议协商", "建议诉讼: 证据不足时先调解", "| 竖线开头",
	},
	"leader_opinion.by":      {"孙行长", "周主任"},
	"leader_opinion.opinion": {"请三日内答复", "请核实后处理: 重点核查", "> 转办"},
}

// moveSets are what received -> assigned requires in the bank policy.
var moveSets = map[string][]string{
	"assignee":               {"钱某", "孙某", "郑某"},
	"department":             {"监察室", "办公室", "null"},
	"leader_opinion.by":      {"孙行长"},
	"leader_opinion.opinion": {"请城关支行三日内答复", "请核实: 三日内"},
}

func TestProperty_OperationsChangeOnlyTheirFields(t *testing.T) {
	for _, seed := range []int64{1, 2, 3, 20261102} {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			checkProperty(t, seed, 6, 60)
		})
	}
}

// office is a fresh repository with a desk that writes to it.
type office struct {
	t    *testing.T
	root string
	repo *git.Repository
	desk *clerk.Desk
	bank *policy.Policy
}

func newOffice(t *testing.T) *office {
	t.Helper()
	root := t.TempDir()
	r, err := git.PlainInitWithOptions(root, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName("main")},
	})
	if err != nil {
		t.Fatal(err)
	}
	set, err := policy.LoadSet(root)
	if err != nil {
		t.Fatal(err)
	}
	bank, ok := set.Get("bank")
	if !ok {
		t.Fatal("no bank policy")
	}
	// A fixed clock that ticks a minute per reading: deterministic, and
	// commit times never run backwards.
	now := time.Date(2026, 11, 2, 10, 0, 0, 0, bank.Location)
	clock := func() time.Time {
		now = now.Add(time.Minute)
		return now
	}
	d := &clerk.Desk{Root: root, Repo: r, Policies: set, Now: clock, Timeout: 10 * time.Second,
		Actor: repo.Identity{Name: "测试员", Email: "tester@example.com"}}
	return &office{t: t, root: root, repo: r, desk: d, bank: bank}
}

// head returns the branch's commit, nil before the first one.
func (o *office) head() *object.Commit {
	o.t.Helper()
	ref, err := o.repo.Head()
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return nil
	}
	if err != nil {
		o.t.Fatal(err)
	}
	c, err := o.repo.CommitObject(ref.Hash())
	if err != nil {
		o.t.Fatal(err)
	}
	return c
}

// committed returns the bytes of file in commit c.
func (o *office) committed(c *object.Commit, file string) []byte {
	o.t.Helper()
	f, err := c.File(file)
	if err != nil {
		o.t.Fatalf("%s in %s: %v", file, c.Hash, err)
	}
	s, err := f.Contents()
	if err != nil {
		o.t.Fatal(err)
	}
	return []byte(s)
}

func (o *office) worktree(file string) []byte {
	o.t.Helper()
	data, err := os.ReadFile(filepath.Join(o.root, filepath.FromSlash(file)))
	if err != nil {
		o.t.Fatal(err)
	}
	return data
}

// sets turns raw command-line values into typed sets, as the CLI does.
func (o *office) sets(raw map[string]string) []cases.Set {
	o.t.Helper()
	paths := make([]string, 0, len(raw))
	for p := range raw {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	out := make([]cases.Set, 0, len(paths))
	for _, p := range paths {
		v, err := clerk.ParseValue(o.bank, p, raw[p])
		if err != nil {
			o.t.Fatalf("ParseValue(%s=%q): %v", p, raw[p], err)
		}
		out = append(out, cases.Set{Path: p, Value: v})
	}
	return out
}

// pick chooses n distinct paths of pool and a value for each.
func pick(rng *rand.Rand, pool map[string][]string, n int) map[string]string {
	paths := make([]string, 0, len(pool))
	for p := range pool {
		paths = append(paths, p)
	}
	sort.Strings(paths) // map order must not leak into the seeded sequence
	rng.Shuffle(len(paths), func(i, j int) { paths[i], paths[j] = paths[j], paths[i] })
	out := map[string]string{}
	for _, p := range paths[:min(n, len(paths))] {
		vals := pool[p]
		out[p] = vals[rng.Intn(len(vals))]
	}
	return out
}

// flatten lists the leaves of a front-matter: nested mappings become dotted
// paths; lists and scalars are leaves.
func flatten(prefix string, m map[string]any, out map[string]any) map[string]any {
	for k, v := range m {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		if sub, ok := v.(map[string]any); ok && len(sub) > 0 {
			flatten(p, sub, out)
			continue
		}
		out[p] = v
	}
	return out
}

type caseState struct {
	file string
	c    *cases.Case
	data []byte
}

func checkProperty(t *testing.T, seed int64, nCases, nOps int) {
	o := newOffice(t)
	rng := rand.New(rand.NewSource(seed))
	received := time.Date(2026, 11, 2, 9, 0, 0, 0, o.bank.Location)
	categories := []string{"attitude", "work_error", "management", "product", "service_channel"}
	channels := []string{"visit", "phone", "letter", "suggestion_box", "online"}

	var all []*caseState
	for i := 0; i < nCases; i++ {
		raw := pick(rng, propertyPaths, rng.Intn(6))
		delete(raw, "title")
		nc := clerk.NewCase{Policy: "bank", Title: fmt.Sprintf("投诉 %d", i+1),
			Channel: channels[rng.Intn(len(channels))], Category: categories[rng.Intn(len(categories))],
			ReceivedAt: received, Sets: o.sets(raw)}
		done, err := o.desk.New(nc)
		if err != nil {
			t.Fatalf("New(%+v): %v", raw, err)
		}
		if want := fmt.Sprintf("BANK-2026-%04d", i+1); done.ID != want {
			t.Fatalf("New gave id %s, want %s", done.ID, want)
		}
		head := o.head()
		data := o.committed(head, done.File)
		if !bytes.Equal(data, o.worktree(done.File)) {
			t.Fatalf("%s: the work-tree file differs from the committed one after New", done.File)
		}
		c, err := cases.Parse(done.File, data)
		if err != nil {
			t.Fatalf("New wrote a file that does not parse: %v\n%s", err, data)
		}
		// What New was given is what the file holds.
		flat := flatten("", c.Fields, map[string]any{})
		for _, s := range nc.Sets {
			if !reflect.DeepEqual(flat[s.Path], s.Value) {
				t.Errorf("New: %s = %#v, want %#v\n%s", s.Path, flat[s.Path], s.Value, data)
			}
		}
		all = append(all, &caseState{file: done.File, c: c, data: data})
	}

	committedOps, refused := 0, 0
	for op := 0; op < nOps; op++ {
		cs := all[rng.Intn(len(all))]
		id := cs.c.ID
		var raw map[string]string
		var do func() (clerk.Done, error)
		move := cs.c.Status == "received" && rng.Intn(4) == 0
		illegal := !move && rng.Intn(8) == 0
		switch {
		case illegal:
			// Neither state can go straight to closed: always refused.
			raw = map[string]string{}
			do = func() (clerk.Done, error) { return o.desk.Move(id, "closed", nil, "") }
		case move:
			raw = pick(rng, moveSets, len(moveSets))
			if p, ok := cs.c.Get("respondent.person"); ok && p == raw["assignee"] {
				raw["assignee"] = "冯某" // recusal (第十条) is not what this test is about
			}
			sets := o.sets(raw)
			do = func() (clerk.Done, error) { return o.desk.Move(id, "assigned", sets, "转办") }
		default:
			raw = pick(rng, propertyPaths, 1+rng.Intn(3))
			sets := o.sets(raw)
			do = func() (clerk.Done, error) { return o.desk.Set(id, sets) }
		}
		sets := o.sets(raw)
		before := o.head()

		done, err := do()
		after := o.head()
		if err != nil {
			var fe *clerk.ForbiddenError
			var ie *clerk.InputError
			if !errors.As(err, &fe) && !errors.As(err, &ie) {
				t.Fatalf("op %d on %s (%v): unexpected error type %T: %v", op, id, raw, err, err)
			}
			// Refused: nothing changes, neither the branch nor the file.
			if after.Hash != before.Hash {
				t.Fatalf("op %d on %s (%v) was refused (%v) but HEAD moved", op, id, raw, err)
			}
			if got := o.worktree(cs.file); !bytes.Equal(got, cs.data) {
				t.Fatalf("op %d on %s (%v) was refused (%v) but the file changed:\n%s", op, id, raw, err, got)
			}
			refused++
			continue
		}
		if done.ID != id || done.File != cs.file {
			t.Fatalf("op %d: Done names %s %s, want %s %s", op, done.ID, done.File, id, cs.file)
		}
		if done.Unchanged {
			if after.Hash != before.Hash {
				t.Fatalf("op %d: nothing changed but HEAD moved to %s", op, after.Hash)
			}
			continue
		}
		committedOps++
		if done.ID != id || done.File != cs.file {
			t.Fatalf("op %d: Done names %s %s, want %s %s", op, done.ID, done.File, id, cs.file)
		}
		if after.Hash.String() != done.Commit {
			t.Fatalf("op %d: HEAD is %s, Done says %s", op, after.Hash, done.Commit)
		}
		if len(after.ParentHashes) != 1 || after.ParentHashes[0] != before.Hash {
			t.Fatalf("op %d: the commit's parents are %v, want [%s]", op, after.ParentHashes, before.Hash)
		}
		// Exactly the case file is in the commit. (A set of the values the
		// case already has is TestSet_SameValueMakesNoCommit's business.)
		changes := diffFiles(t, before, after)
		if !(len(changes) == 0 && !move && sameValues(cs.c, sets)) && !slices.Equal(changes, []string{cs.file}) {
			t.Errorf("op %d on %s: the commit changes %v, want only %s", op, id, changes, cs.file)
		}
		data := o.committed(after, cs.file)
		if wt := o.worktree(cs.file); !bytes.Equal(data, wt) {
			t.Fatalf("op %d on %s: the work-tree file differs from the committed one\ncommitted:\n%s\nwork tree:\n%s", op, id, data, wt)
		}
		next, err := cases.Parse(cs.file, data)
		if err != nil {
			t.Fatalf("op %d on %s (%v): the committed file does not parse: %v\n%s", op, id, raw, err, data)
		}

		// Only the set paths (and, for a move, the status) differ.
		want := flatten("", cs.c.Fields, map[string]any{})
		for _, s := range sets {
			want[s.Path] = s.Value
		}
		if move {
			want["status"] = "assigned"
		}
		got := flatten("", next.Fields, map[string]any{})
		for _, p := range unionKeys(want, got) {
			if !reflect.DeepEqual(want[p], got[p]) {
				t.Errorf("op %d on %s (set %v): %s = %#v, want %#v\nbefore:\n%s\nafter:\n%s",
					op, id, raw, p, got[p], want[p], cs.data, data)
			}
		}
		// The old keys keep their order; new keys come after them.
		if !slices.Equal(next.Keys[:min(len(cs.c.Keys), len(next.Keys))], cs.c.Keys) {
			t.Errorf("op %d on %s: key order %v, was %v", op, id, next.Keys, cs.c.Keys)
		}
		// The body, byte for byte: the parsed body and the raw bytes after
		// the front-matter.
		if next.Body != cs.c.Body {
			t.Errorf("op %d on %s: the body changed\nbefore: %q\nafter:  %q", op, id, cs.c.Body, next.Body)
		}
		if a, b := afterFrontMatter(cs.data), afterFrontMatter(data); !bytes.Equal(a, b) {
			t.Errorf("op %d on %s: the bytes after the front-matter changed\nbefore: %q\nafter:  %q", op, id, a, b)
		}
		// The commit says what it did.
		subject, _, _ := strings.Cut(after.Message, "\n")
		wantSubject := id + ": set "
		if move {
			wantSubject = id + ": received -> assigned"
		}
		if !strings.HasPrefix(subject, wantSubject) {
			t.Errorf("op %d: subject %q, want prefix %q", op, subject, wantSubject)
		}
		if !strings.Contains(after.Message, "\nCasebook-Case: "+id+"\n") {
			t.Errorf("op %d: no Casebook-Case trailer in %q", op, after.Message)
		}
		if after.Author.Name != "测试员" || after.Author.Email != "tester@example.com" {
			t.Errorf("op %d: author %s <%s>", op, after.Author.Name, after.Author.Email)
		}
		if after.Committer.When.Before(before.Committer.When) {
			t.Errorf("op %d: commit time %s is before its parent's %s", op, after.Committer.When, before.Committer.When)
		}
		cs.c, cs.data = next, data
	}
	t.Logf("%d operations committed, %d refused", committedOps, refused)
	if refused == 0 || committedOps < nOps/2 {
		t.Errorf("only %d of %d operations committed (%d refused): the generator no longer makes valid operations", committedOps, nOps, refused)
	}
}

// sameValues reports whether every set gives its path the value it has.
func sameValues(c *cases.Case, sets []cases.Set) bool {
	flat := flatten("", c.Fields, map[string]any{})
	for _, s := range sets {
		if !reflect.DeepEqual(flat[s.Path], s.Value) {
			return false
		}
	}
	return true
}

// TestSet_SameValueMakesNoCommit: a set that changes no value is not an
// action to record. git itself refuses an empty commit; casebook should not
// add one to the audit trail either (it may refuse, or succeed without a
// commit).
func TestSet_SameValueMakesNoCommit(t *testing.T) {
	o := newOffice(t)
	done, err := o.desk.New(clerk.NewCase{Policy: "bank", Title: "柜台服务态度差", Channel: "visit", Category: "attitude",
		ReceivedAt: time.Date(2026, 11, 2, 9, 0, 0, 0, o.bank.Location), Sets: o.sets(map[string]string{"amount": "500"})})
	if err != nil {
		t.Fatal(err)
	}
	before := o.head()
	_, err = o.desk.Set(done.ID, o.sets(map[string]string{"amount": "500"}))
	after := o.head()
	if err == nil && after.Hash != before.Hash {
		if changes := diffFiles(t, before, after); len(changes) == 0 {
			t.Errorf("set amount=500 on a case whose amount is 500 made the empty commit %s %q", after.Hash, after.Message)
		}
	}
}

// diffFiles lists the paths that differ between two commits' trees.
func diffFiles(t *testing.T, a, b *object.Commit) []string {
	t.Helper()
	ta, err := a.Tree()
	if err != nil {
		t.Fatal(err)
	}
	tb, err := b.Tree()
	if err != nil {
		t.Fatal(err)
	}
	chs, err := object.DiffTree(ta, tb)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ch := range chs {
		name := ch.To.Name
		if name == "" {
			name = ch.From.Name
		}
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

func unionKeys(a, b map[string]any) []string {
	var out []string
	for k := range a {
		out = append(out, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// afterFrontMatter returns the bytes after the closing --- line.
func afterFrontMatter(data []byte) []byte {
	rest, ok := bytes.CutPrefix(data, []byte("---\n"))
	if !ok {
		return nil
	}
	if i := bytes.Index(rest, []byte("\n---\n")); i >= 0 {
		return rest[i+len("\n---\n"):]
	}
	return nil
}
