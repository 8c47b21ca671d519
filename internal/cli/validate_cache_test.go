package cli

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/validate"
)

// generatedOffice is a bank office of n cases with their history, made
// by bench/genrepo with seed, checked out in a temporary folder.
func generatedOffice(t *testing.T, n, seed int) string {
	t.Helper()
	needTool(t, "git")
	needTool(t, "go")
	if testing.Short() {
		t.Skip("generates a repository")
	}
	gitIdentity(t)
	dir := filepath.Join(t.TempDir(), "bank")
	gen := exec.Command("go", "run", "../../bench/genrepo", "-out", dir, "-cases", strconv.Itoa(n), "-seed", strconv.Itoa(seed))
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("genrepo: %v\n%s", err, out)
	}
	gitRun(t, dir, "checkout", "-q", "-f", "main")
	return dir
}

// TestValidate_CacheGivesNoCacheOutput runs validate through its caches
// (the judged findings of validate.bin among them) on a small generated
// bank office, after each change a cache could miss: more commits, a
// later and an earlier --now, a changed policy, an uncommitted edit, a
// rewound history, two files with one id and a damaged cache file. Every run, the first after
// the change (which fills the cache) and the second (which reads it),
// must print byte for byte what --no-cache prints, in text and in JSON.
func TestValidate_CacheGivesNoCacheOutput(t *testing.T) {
	dir := generatedOffice(t, 150, 7)

	validate := func(args ...string) (string, int) {
		var out, errOut bytes.Buffer
		code := Run(append([]string{"-C", dir, "validate", "--max-findings", "0"}, args...), strings.NewReader(""), &out, &errOut)
		if code != 0 && code != 1 {
			t.Fatalf("validate %v: exit %d\n%s", args, code, errOut.String())
		}
		return out.String(), code
	}
	compare := func(step, now string) {
		t.Helper()
		for _, format := range []string{"text", "json"} {
			want, wantCode := validate("--no-cache", "--now", now, "--format", format)
			for _, run := range []string{"filling", "reading"} {
				got, code := validate("--now", now, "--format", format)
				if got != want || code != wantCode {
					t.Fatalf("%s, %s, %s run through the cache: exit %d, want %d; output differs from --no-cache:\n%s", step, format, run, code, wantCode, firstDiff(got, want))
				}
			}
		}
	}
	files := strings.Fields(gitRun(t, dir, "ls-files", "cases"))
	edit := func(file, old, new string) {
		t.Helper()
		p := filepath.Join(dir, file)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(old)) {
			t.Fatalf("%s holds no %q", file, old)
		}
		writeTestFile(t, p, strings.Replace(string(b), old, new, 1))
	}
	commit := func(msg string) {
		t.Helper()
		gitRun(t, dir, "-c", "commit.gpgsign=false", "commit", "-qam", msg)
	}
	statusOf := func(file string) string {
		b, _ := os.ReadFile(filepath.Join(dir, file))
		for _, l := range strings.Split(string(b), "\n") {
			if s, ok := strings.CutPrefix(l, "status: "); ok {
				return s
			}
		}
		return ""
	}
	find := func(status string) string {
		for _, f := range files {
			if statusOf(f) == status {
				return f
			}
		}
		t.Fatalf("no case is %s", status)
		return ""
	}

	const now = "2027-01-02T12:00:00+08:00"
	compare("cold", now)
	if _, err := os.Stat(filepath.Join(dir, ".git", "casebook", "validate.bin")); err != nil {
		t.Fatalf("no judged cache after a run: %v", err)
	}
	compare("warm", now)

	closed := find("closed")
	edit(closed, "## 投诉内容\n", "## 投诉内容\n\n客户补充说明。\n")
	commit("one more commit: a closed case's body")
	open := find("assigned")
	edit(open, "status: assigned", "status: replied")
	commit("one more commit: a reply")
	compare("two more commits", now)

	compare("a later --now", "2027-06-30T09:00:00+08:00")
	compare("an earlier --now", "2026-06-01T09:00:00+08:00")
	compare("back to --now", now)
	// Open cases are kept until their clocks change: later that day they
	// are taken from the cache, past midnight judged again.
	if good, until, err := judgedEntries(filepath.Join(dir, ".git", "casebook")); err != nil || good == 0 || until == 0 {
		t.Fatalf("validate.bin holds %d entries for good and %d for a while (%v): want both", good, until, err)
	}
	compare("later that day", "2027-01-02T18:30:00+08:00")
	compare("a second before midnight", "2027-01-02T23:59:59+08:00")
	compare("just past midnight", "2027-01-03T00:00:01+08:00")
	compare("a working Monday", "2027-01-04T09:00:00+08:00")
	compare("back to --now again", now)

	bank, err := os.ReadFile("../../policies/bank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(bank), "duration: 3 working_days", "duration: 1 working_days", 1)
	if changed == string(bank) {
		t.Fatal("the bank policy has no 3-working-day clock to shorten")
	}
	writeTestFile(t, filepath.Join(dir, "policies", "bank.yaml"), changed)
	compare("a shorter clock in the office's own policy", now)
	gitRun(t, dir, "add", "policies")
	commit("policy: a shorter clock")
	compare("the policy committed", now)

	edit(find("closed"), "status: closed", "status: replied")
	compare("an uncommitted status change", now)
	gitRun(t, dir, "checkout", "-q", "--", "cases")

	gitRun(t, dir, "reset", "-q", "--hard", "HEAD~2")
	compare("history rewound", now)

	// A second file with a closed case's id: each file keeps its own
	// history (office.CaseHistory).
	twin := find("closed")
	b, err := os.ReadFile(filepath.Join(dir, twin))
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(dir, "cases", "twin", filepath.Base(twin)), string(b))
	compare("an uncommitted twin", now)
	gitRun(t, dir, "add", "cases")
	commit("a twin")
	compare("a committed twin", now)

	cache := filepath.Join(dir, ".git", "casebook", "validate.bin")
	b, err = os.ReadFile(cache)
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, cache, string(b[:len(b)/2]))
	compare("a torn cache file", now)
	b[len(b)/3] ^= 0xff
	writeTestFile(t, cache, string(b))
	compare("a byte of the cache file flipped", now)
}

// firstDiff shows where two outputs part.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n got " + a + "\nwant " + b
		}
	}
	return "(same lines)"
}

// TestValidate_PoliciesChangedDuringRun: policies/ changes between the
// office's load and the judging (a checkout while validate runs). The
// run must not file what it judged under the new files' key: it writes
// no judged cache, and the next run, which loads the new files, does.
func TestValidate_PoliciesChangedDuringRun(t *testing.T) {
	dir := generatedOffice(t, 40, 5)
	now, err := time.Parse(time.RFC3339, "2027-06-01T09:00:00+08:00")
	if err != nil {
		t.Fatal(err)
	}
	cacheFile := filepath.Join(dir, ".git", "casebook", validate.CacheFile)
	run := func(change func()) {
		t.Helper()
		off, err := office.Load(dir, office.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if change != nil {
			change()
		}
		if _, err := validate.Run(off, validate.Options{Now: now}); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.RemoveAll(filepath.Join(dir, ".git", "casebook")); err != nil {
		t.Fatal(err)
	}
	run(func() {
		writeTestFile(t, filepath.Join(dir, "policies", "calendar.yaml"), "office:\n  holidays:\n    - 2030-01-16..2030-01-24: 测试\n")
	})
	if _, err := os.Stat(cacheFile); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a run whose policies changed under it wrote %s (%v)", cacheFile, err)
	}
	run(nil)
	if _, err := os.Stat(cacheFile); err != nil {
		t.Fatalf("the next run wrote no judged cache: %v", err)
	}
}

// judgedEntries is validate.CacheEntries, for a test whose validate is a
// function.
func judgedEntries(dir string) (forGood, untilThen int, err error) {
	return validate.CacheEntries(dir)
}
