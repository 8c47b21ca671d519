package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// docBlock is the fenced block of lang in doc that follows the first
// line holding after.
func docBlock(t *testing.T, doc, after, lang string) string {
	t.Helper()
	i := strings.Index(doc, after)
	if i < 0 {
		t.Fatalf("docs/aggregate-ci.md has no %q", after)
	}
	_, rest, ok := strings.Cut(doc[i:], "```"+lang+"\n")
	block, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatalf("docs/aggregate-ci.md has no ```%s block after %q", lang, after)
	}
	return block
}

// needTool finds a program the test runs; CI installs it (.ci/run), so
// there its absence fails the test.
func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but no %s on PATH: .ci/run installs it", name)
		}
		t.Skipf("no %s on PATH", name)
	}
}

// TestAggregateCIDoc runs the regulator's fetch-stats.sh of
// docs/aggregate-ci.md as written: one office's site fetched with curl,
// one cloned from its gh-pages branch with --depth 1, one that cannot be
// fetched; then aggregates what came, and checks the two CI files.
func TestAggregateCIDoc(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two demo offices")
	}
	needTool(t, "git")
	needTool(t, "curl")
	raw, err := os.ReadFile(filepath.Join("..", "..", "docs", "aggregate-ci.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	root := t.TempDir()
	run := func(args ...string) (string, string) {
		t.Helper()
		var out, errOut bytes.Buffer
		if code := Run(args, strings.NewReader(""), &out, &errOut); code != 0 {
			t.Fatalf("casebook %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errOut.String())
		}
		return out.String(), errOut.String()
	}
	sh := func(dir string, name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=监管处", "GIT_AUTHOR_EMAIL=jg@example.cn",
			"GIT_COMMITTER_NAME=监管处", "GIT_COMMITTER_EMAIL=jg@example.cn", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, stderr.Bytes())
		}
		return string(out) + stderr.String()
	}
	const now = "2026-12-10T09:00:00+08:00"
	// 城关 publishes its public build, as the CI files of init do: its
	// stats.json withholds small counts; 东关 its internal one.
	for _, o := range []struct{ dir, policy, office, audience string }{
		{"chengguan", "bank", "城关农商银行监察室", "public"}, {"dongguan", "tendering", "东关招投标监管科", "internal"},
	} {
		dir := filepath.Join(root, o.dir)
		run("demo", dir, "--policy", o.policy, "--cases", "30", "--office", o.office)
		run("-C", dir, "build", "--now", now, "--audience", o.audience)
	}
	// 东关 publishes its site from a gh-pages branch of its own.
	pages := filepath.Join(root, "dongguan-pages")
	if err := os.CopyFS(pages, os.DirFS(filepath.Join(root, "dongguan", "site"))); err != nil {
		t.Fatal(err)
	}
	sh(pages, "git", "init", "-q", "-b", "gh-pages")
	sh(pages, "git", "add", "-A")
	sh(pages, "git", "commit", "-q", "-m", "site")

	reg := filepath.Join(root, "regulator")
	if err := os.MkdirAll(reg, 0o755); err != nil {
		t.Fatal(err)
	}
	script := docBlock(t, doc, "## `fetch-stats.sh`", "sh")
	urls := "# offices\n" +
		"城关=file://" + filepath.Join(root, "chengguan", "site") + "/\n" +
		"东关=git+file://" + pages + "@gh-pages\n" +
		"\n" +
		"南关=file://" + filepath.Join(root, "nanguan", "site") + "\n"
	for name, data := range map[string]string{"fetch-stats.sh": script, "offices.urls": urls} {
		if err := os.WriteFile(filepath.Join(reg, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	log := sh(reg, "sh", "fetch-stats.sh")
	if !strings.Contains(log, "warning: 南关: cannot fetch file://") {
		t.Errorf("fetch-stats.sh did not warn about the office it could not fetch:\n%s", log)
	}
	list, err := os.ReadFile(filepath.Join(reg, "offices.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "城关=offices/1/stats.json\n东关=offices/2/stats.json\n南关=offices/3/stats.json\n"; string(list) != want {
		t.Errorf("offices.txt:\n%s\nwant:\n%s", list, want)
	}
	for _, n := range []string{"1", "2"} {
		if _, err := os.Stat(filepath.Join(reg, "offices", n, "stats.json")); err != nil {
			t.Errorf("office %s was not fetched: %v", n, err)
		}
	}

	// The aggregate step as the CI files run it.
	out, errOut := run("-C", reg, "aggregate", "--offices", "offices.txt", "--out", filepath.Join(reg, "public"))
	if !strings.Contains(out, "aggregated 2 offices (1 could not be read)") || !strings.Contains(errOut, "office 南关 could not be read") {
		t.Errorf("aggregate said:\n%s%s", out, errOut)
	}
	index, err := os.ReadFile(filepath.Join(reg, "public", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"城关农商银行监察室", "东关招投标监管科", `<tr class="missing"><th>南关</th>`,
		`<td class="n">≥`, `id="withheld-note"`} {
		if !strings.Contains(string(index), want) {
			t.Errorf("the aggregate's index.html lacks %s", want)
		}
	}

	// The public office's own page shows its withheld counts as <3.
	if page, err := os.ReadFile(filepath.Join(reg, "public", "offices", "1.html")); err != nil || !strings.Contains(string(page), `<td class="n">&lt;3</td>`) {
		t.Errorf("the public office's page shows no withheld count (%v)", err)
	}

	// The CI files: a daily schedule, the script, the aggregate into
	// public/, and public/ published.
	var gh struct {
		On struct {
			Schedule []struct{ Cron string } `yaml:"schedule"`
		} `yaml:"on"`
		Jobs map[string]struct {
			Needs any
			Steps []struct {
				Uses string
				Run  string
				With map[string]string
			}
		}
	}
	if err := yaml.Unmarshal([]byte(docBlock(t, doc, "## GitHub Actions", "yaml")), &gh); err != nil {
		t.Fatalf("the GitHub workflow is not YAML: %v", err)
	}
	if len(gh.On.Schedule) != 1 || gh.On.Schedule[0].Cron != "30 0 * * *" {
		t.Errorf("GitHub schedule = %+v, want 08:30 Beijing (30 0 * * * UTC)", gh.On.Schedule)
	}
	var runs, uploads []string
	for _, s := range gh.Jobs["aggregate"].Steps {
		runs = append(runs, s.Run)
		if strings.HasPrefix(s.Uses, "actions/upload-pages-artifact@") {
			uploads = append(uploads, s.With["path"])
		}
	}
	joined := strings.Join(runs, "\n")
	for _, want := range []string{"go install \"github.com/casebook/casebook/cmd/casebook@${CASEBOOK_VERSION}\"", "sh fetch-stats.sh",
		"casebook aggregate --offices offices.txt --out public"} {
		if !strings.Contains(joined, want) {
			t.Errorf("the GitHub job does not run %s", want)
		}
	}
	if len(uploads) != 1 || uploads[0] != "public" || gh.Jobs["deploy"].Needs != "aggregate" {
		t.Errorf("the GitHub workflow does not publish public/ (uploads %v)", uploads)
	}

	var gl map[string]struct {
		Rules     []map[string]string
		Script    []string
		Artifacts struct{ Paths []string }
	}
	if err := yaml.Unmarshal([]byte(docBlock(t, doc, "## GitLab CI", "yaml")), &gl); err != nil {
		t.Fatalf("the GitLab file is not YAML: %v", err)
	}
	p := gl["pages"]
	if strings.Join(p.Artifacts.Paths, ",") != "public" {
		t.Errorf("GitLab pages publishes %v, want public", p.Artifacts.Paths)
	}
	if !strings.Contains(strings.Join(p.Script, "\n"), "sh fetch-stats.sh\n$GOPATH/bin/casebook aggregate --offices offices.txt --out public") {
		t.Errorf("GitLab script = %q", p.Script)
	}
	schedule := false
	for _, r := range p.Rules {
		schedule = schedule || r["if"] == `$CI_PIPELINE_SOURCE == "schedule"`
	}
	if !schedule {
		t.Errorf("the GitLab job does not run for a schedule: %v", p.Rules)
	}
}
