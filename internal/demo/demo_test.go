package demo_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/demo"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/validate"
)

func git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func needGit(t testing.TB) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
}

func build(t testing.TB, opts demo.Options) (string, demo.Summary) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "office")
	sum, err := demo.Build(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return dir, sum
}

// TestBuild checks a small demo with plain git and with the validator: a sound
// repository, clean, one commit per clerk action, and nothing wrong with any case but
// the clocks (late, overdue, at risk) and the calendar.
func TestBuild(t *testing.T) {
	needGit(t)
	dir, sum := build(t, demo.Options{Cases: 60, Seed: 1})

	total := 0
	for _, id := range demo.AllPolicies {
		if sum.Cases[id] == 0 {
			t.Errorf("no %s cases: %v", id, sum.Cases)
		}
		total += sum.Cases[id]
	}
	if total != 60 {
		t.Errorf("%d cases, want 60: %v", total, sum.Cases)
	}
	if out := git(t, dir, "fsck", "--strict", "--no-dangling"); strings.TrimSpace(out) != "" {
		t.Errorf("git fsck --strict:\n%s", out)
	}
	if out := git(t, dir, "status", "--porcelain"); out != "" {
		t.Errorf("git status --porcelain after demo:\n%s", out)
	}
	if n, _ := strconv.Atoi(strings.TrimSpace(git(t, dir, "rev-list", "--count", "HEAD"))); n != sum.Commits || n < 60*3 {
		t.Errorf("git counts %d commits, the summary %d (want at least 3 per case)", n, sum.Commits)
	}
	if head := strings.TrimSpace(git(t, dir, "rev-parse", "HEAD")); head != sum.Head {
		t.Errorf("HEAD %s, summary %s", head, sum.Head)
	}
	// Every commit after the first is a clerk's action on one case, with its trailer.
	cases := strings.Split(git(t, dir, "log", "--format=%(trailers:key=Casebook-Case,valueonly)%x00"), "\x00")
	cases = cases[:len(cases)-1] // after the last separator
	if len(cases) != sum.Commits {
		t.Fatalf("%d log entries, want %d", len(cases), sum.Commits)
	}
	for i, c := range cases[:len(cases)-1] {
		if strings.TrimSpace(c) == "" {
			t.Errorf("commit %d from HEAD has no Casebook-Case trailer", i)
		}
	}
	if authors := git(t, dir, "log", "--format=%ae"); !strings.Contains(authors, "@example.cn") || strings.Count(authors, "\n") != sum.Commits {
		t.Errorf("authors:\n%s", authors)
	}

	o, err := office.Load(dir, office.Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := validate.Run(o, validate.Options{Now: sum.End})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Cases != 60 {
		t.Errorf("validate saw %d cases", rep.Cases)
	}
	for _, f := range rep.Findings {
		if !strings.HasPrefix(f.Code, "deadline.") && !strings.HasPrefix(f.Code, "calendar.") {
			t.Errorf("%s:%d: %s %s: %s", f.File, f.Line, f.Severity, f.Code, f.Message)
		}
	}
}

// TestBuild_Variety checks that a larger demo shows what the procedures provide for:
// every kind of ending, extensions, repeats, withdrawals, and late cases.
func TestBuild_Variety(t *testing.T) {
	needGit(t)
	dir, sum := build(t, demo.Options{Cases: 500, Seed: 3})
	subjects := git(t, dir, "log", "--format=%B")
	for _, want := range []string{
		": assigned -> withdrawn",   // bank 第十八条, tendering 第二十三条
		"（经核实非本人自愿）",                // bank 第十八条: not voluntary
		": closed -> assigned",      // bank 第十七条: reopened
		": link related",            // bank 第十七条: the repeat complaint
		": extend verify",           // tendering 第十八条
		": assigned -> transferred", // tendering 第二十条
		": assigned -> not_accepted",
		": received -> invalid",     // food 4.1.1
		": clarified -> rejected",   // internet 一(二)
		": implemented -> agreed",   // hotline 2.3.5
		": received -> replied",     // bank: answered on the spot
		": received -> implemented", // hotline: exchanged in the shop
	} {
		if !strings.Contains(subjects, want) {
			t.Errorf("no commit %q in the history", want)
		}
	}
	o, err := office.Load(dir, office.Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := validate.Run(o, validate.Options{Now: sum.End})
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]int{}
	for _, f := range rep.Findings {
		codes[f.Code]++
		if !strings.HasPrefix(f.Code, "deadline.") && !strings.HasPrefix(f.Code, "calendar.") {
			t.Errorf("%s:%d: %s %s: %s", f.File, f.Line, f.Severity, f.Code, f.Message)
		}
	}
	for _, code := range []string{"deadline.missed", "deadline.overdue"} {
		if codes[code] == 0 {
			t.Errorf("no %s finding: %v", code, codes)
		}
	}
}

// TestBuild_Deterministic: the same seed gives the same commits, however many workers
// prepare them; another seed gives another history.
func TestBuild_Deterministic(t *testing.T) {
	heads := map[string]string{}
	for _, c := range []struct {
		name string
		opts demo.Options
	}{
		{"one worker", demo.Options{Cases: 80, Seed: 5, Workers: 1}},
		{"one worker again", demo.Options{Cases: 80, Seed: 5, Workers: 1}},
		{"four workers", demo.Options{Cases: 80, Seed: 5, Workers: 4}},
		{"another seed", demo.Options{Cases: 80, Seed: 6, Workers: 4}},
	} {
		_, sum := build(t, c.opts)
		heads[c.name] = sum.Head
	}
	if heads["one worker"] != heads["one worker again"] || heads["one worker"] != heads["four workers"] {
		t.Errorf("the same seed gave different histories: %v", heads)
	}
	if heads["another seed"] == heads["one worker"] {
		t.Errorf("another seed gave the same history: %v", heads)
	}
}

func TestBuild_Refuses(t *testing.T) {
	needGit(t)
	for _, c := range []struct {
		name  string
		setup func(dir string)
		opts  demo.Options
		want  string
	}{
		{"a directory with files", func(dir string) {
			os.MkdirAll(dir, 0o755)
			os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644)
		}, demo.Options{Cases: 5}, "not empty"},
		{"a repository with commits", func(dir string) {
			os.MkdirAll(dir, 0o755)
			git(t, dir, "init", "-q")
			git(t, dir, "-c", "user.name=x", "-c", "user.email=x@example.cn", "commit", "-q", "--allow-empty", "-m", "x")
		}, demo.Options{Cases: 5}, "already has commits"},
		{"no cases", func(string) {}, demo.Options{Cases: 0}, "at least 1"},
		{"an unknown policy", func(string) {}, demo.Options{Cases: 5, Policies: []string{"bakery"}}, "unknown policy"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "office")
			c.setup(dir)
			_, err := demo.Build(dir, c.opts)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Build: %v, want an error with %q", err, c.want)
			}
		})
	}
}

// TestBuild_OnePolicy: --policy narrows the demo to one procedure.
func TestBuild_OnePolicy(t *testing.T) {
	_, sum := build(t, demo.Options{Cases: 20, Seed: 2, Policies: []string{"tendering"}})
	if sum.Cases["tendering"] != 20 || len(sum.Cases) != 1 {
		t.Fatalf("cases %v, want 20 tendering", sum.Cases)
	}
}

// BenchmarkDemo builds the 10,000-case demo of the speed target (under 60 s).
// Run it with -benchtime 1x.
func BenchmarkDemo(b *testing.B) {
	for b.Loop() {
		dir := filepath.Join(b.TempDir(), "office")
		sum, err := demo.Build(dir, demo.Options{Cases: 10000, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(sum.Commits), "commits")
	}
}
