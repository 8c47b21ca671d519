package scaffold_test

// The CI files init writes, checked by outside judges: actionlint (with
// shellcheck on every run: script) for the GitHub workflow, GitLab's own CI
// schema (tools/gitlab-ci) and shellcheck for .gitlab-ci.yml; and by
// running their shell as the hosts would, with a fake casebook and go and a
// local web server standing in for the Pages site.

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"gopkg.in/yaml.v3"

	"github.com/casebook/casebook/internal/cli"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/scaffold"
	"github.com/casebook/casebook/policies"
)

const testVersion = "v1.4.2"

// officeFiles are the files init writes for a built-in policy, by path.
func officeFiles(t *testing.T, id string) map[string]string {
	t.Helper()
	data, err := fs.ReadFile(policies.FS, id+".yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := policy.Load(id+".yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	files, err := scaffold.Files(scaffold.Office{PolicyID: p.ID, PolicyName: p.Name.Zh, Prefix: p.Prefix, PolicyYAML: data,
		Example: scaffold.ExampleOf(p), CasebookVersion: testVersion, GoVersion: "1.26"})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range files {
		out[f.Path] = string(f.Data)
	}
	return out
}

// initFiles are the CI files casebook init writes for a built-in policy,
// by path, and the version it pins.
func initFiles(t *testing.T, id string) map[string]string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), id)
	var out, errOut bytes.Buffer
	if code := cli.Run([]string{"init", dir, "--policy", id, "--actor", "测试员 <tester@example.com>", "--now", "2026-12-01T08:00:00+08:00"}, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("init --policy %s: exit %d\n%s%s", id, code, out.String(), errOut.String())
	}
	files := map[string]string{}
	for _, p := range []string{scaffold.GitHubWorkflowPath, scaffold.GitLabCIPath} {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		files[p] = string(data)
	}
	return files
}

// builtinPolicies are the ids of the policies the binary carries.
func builtinPolicies(t *testing.T) []string {
	t.Helper()
	names, err := fs.Glob(policies.FS, "*.yaml")
	if err != nil || len(names) < 8 {
		t.Fatalf("built-in policies: %v %v", names, err)
	}
	for i, n := range names {
		names[i] = strings.TrimSuffix(n, ".yaml")
	}
	return names
}

// tool returns the path of a program the test needs. Missing, it skips
// the test on a laptop and fails it under CI=true, where .ci/run installs it.
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true, but %s is not installed (.ci/run installs it)", name)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

// lintWorkflow runs actionlint, with shellcheck, on a workflow file as it
// would lie in an office repository.
func lintWorkflow(t *testing.T, content string) []*actionlint.Error {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, filepath.FromSlash(scaffold.GitHubWorkflowPath))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	l, err := actionlint.NewLinter(&out, &actionlint.LinterOptions{
		Shellcheck: tool(t, "shellcheck"),
		WorkingDir: dir,
		Color:      actionlint.ColorOptionKindNever,
	})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.LintFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return errs
}

// TestCI_GitHubActionlint: casebook init gives every built-in policy's
// office a workflow actionlint (and shellcheck, on each run: script) finds
// nothing in.
func TestCI_GitHubActionlint(t *testing.T) {
	for _, id := range builtinPolicies(t) {
		t.Run(id, func(t *testing.T) {
			for _, e := range lintWorkflow(t, initFiles(t, id)[scaffold.GitHubWorkflowPath]) {
				t.Errorf("actionlint: %s", e)
			}
		})
	}
}

// TestCI_GitHubActionlint_Catches: the linter and shellcheck do judge the
// file: a wrong expression, an unknown input and an unquoted variable in
// a script are found.
func TestCI_GitHubActionlint_Catches(t *testing.T) {
	wf := officeFiles(t, "bank")[scaffold.GitHubWorkflowPath]
	for _, tt := range []struct{ name, old, new, kind string }{
		{"an output of no step", "steps.published.outputs.rev", "steps.nosuch.outputs.rev", "expression"},
		{"an input setup-go does not have", "cache-dependency-path:", "cache-dependency-paths:", "action"},
		{"an unquoted variable", `casebook validate --format github --strict ${SINCE:+--since "$SINCE"}`, `casebook validate --format github --strict $SINCE`, "shellcheck"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(wf, tt.old) {
				t.Fatalf("workflow lacks %q", tt.old)
			}
			errs := lintWorkflow(t, strings.Replace(wf, tt.old, tt.new, 1))
			if !slices.ContainsFunc(errs, func(e *actionlint.Error) bool { return e.Kind == tt.kind }) {
				t.Errorf("actionlint found no %s error: %v", tt.kind, errs)
			}
		})
	}
}

// gitlabSchemaCheck is tools/gitlab-ci/check.mjs, which needs node and the
// packages npm ci installs there.
func gitlabSchemaCheck(t *testing.T) (node, script string) {
	t.Helper()
	node = tool(t, "node")
	dir := filepath.Join("..", "..", "tools", "gitlab-ci")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "gitlab-ci-local", "src", "schema", "schema.js")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true, but tools/gitlab-ci is not installed (.ci/run runs npm ci there): %v", err)
		}
		t.Skipf("tools/gitlab-ci not installed (cd tools/gitlab-ci && npm ci --ignore-scripts): %v", err)
	}
	return node, filepath.Join(dir, "check.mjs")
}

// checkGitLabSchema checks files (name: content) in one run of the
// checker, as compiling GitLab's schema takes a while, and returns what it
// printed about each.
func checkGitLabSchema(t *testing.T, files map[string]string) (map[string]string, error) {
	t.Helper()
	node, script := gitlabSchemaCheck(t)
	dir := t.TempDir()
	args := []string{script}
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, path)
	}
	out, err := exec.Command(node, args...).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 1) {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
	said := map[string]string{}
	for _, line := range strings.SplitAfter(string(out), "\n") {
		if name, rest, ok := strings.Cut(strings.TrimPrefix(line, dir+string(filepath.Separator)), ": "); ok {
			said[name] += rest
		}
	}
	return said, err
}

// TestCI_GitLabSchema: casebook init gives every built-in policy's office
// a .gitlab-ci.yml that GitLab's CI schema accepts.
func TestCI_GitLabSchema(t *testing.T) {
	files := map[string]string{}
	for _, id := range builtinPolicies(t) {
		files[id+".yml"] = initFiles(t, id)[scaffold.GitLabCIPath]
	}
	said, err := checkGitLabSchema(t, files)
	if err != nil {
		t.Errorf("GitLab CI schema: %v\n%v", err, said)
	}
}

// TestCI_GitLabSchema_Catches: the schema check does judge the file.
func TestCI_GitLabSchema_Catches(t *testing.T) {
	ci := officeFiles(t, "bank")[scaffold.GitLabCIPath]
	cases := map[string][2]string{
		"misspelt-keyword.yml": {"  allow_failure: true", "  allow_failures: true"},
		"unknown-when.yml":     {"    when: always", "    when: sometimes"},
	}
	files := map[string]string{}
	for name, c := range cases {
		if !strings.Contains(ci, c[0]) {
			t.Fatalf(".gitlab-ci.yml lacks %q", c[0])
		}
		files[name] = strings.Replace(ci, c[0], c[1], 1)
	}
	said, _ := checkGitLabSchema(t, files)
	for name := range cases {
		if said[name] == "" {
			t.Errorf("the schema accepted %s", name)
		}
		t.Logf("%s: %s", name, said[name])
	}
}

// gitlabFile is the part of .gitlab-ci.yml the tests read.
type gitlabFile struct {
	Workflow struct {
		Rules []map[string]any
	}
	Variables map[string]string
	Default   struct {
		Image string
		Cache struct {
			Key   string
			Paths []string
		}
		BeforeScript []string `yaml:"before_script"`
	}
	Stages   []string
	Validate gitlabJob
	Pages    gitlabJob
}

type gitlabJob struct {
	Stage        string
	AllowFailure bool `yaml:"allow_failure"`
	Rules        []map[string]any
	Script       []string
	Artifacts    struct {
		When    string
		Paths   []string
		Reports struct {
			JUnit string `yaml:"junit"`
		}
	}
}

// parseYAML reads a CI file into the part a test reads.
func parseYAML[T any](t *testing.T, content string) T {
	t.Helper()
	var v T
	if err := yaml.Unmarshal([]byte(content), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestCI_GitLabStructure: what the office's pipeline must do, read from
// the YAML: merge requests and main only, validate allowed to fail before
// pages publishes public/, JUnit always kept, a pinned and cached casebook,
// the public audience by default with internal a commented opt-in, and the
// schedule it cannot hold itself explained.
func TestCI_GitLabStructure(t *testing.T) {
	content := officeFiles(t, "bank")[scaffold.GitLabCIPath]
	ci := parseYAML[gitlabFile](t, content)
	var ifs []string
	for _, r := range ci.Workflow.Rules {
		ifs = append(ifs, fmt.Sprint(r["if"]))
	}
	if want := []string{`$CI_PIPELINE_SOURCE == "merge_request_event"`, `$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH`}; !slices.Equal(ifs, want) {
		t.Errorf("workflow rules %q, want %q", ifs, want)
	}
	if !slices.Equal(ci.Stages, []string{"validate", "publish"}) {
		t.Errorf("stages %q", ci.Stages)
	}
	v := ci.Variables
	if v["GIT_DEPTH"] != "0" || v["CASEBOOK_VERSION"] != testVersion || v["CASEBOOK_AUDIENCE"] != "public" || v["CASEBOOK_SITE_URL"] != "$CI_PAGES_URL" {
		t.Errorf("variables %v", v)
	}
	if !regexp.MustCompile(`(?m)^  # CASEBOOK_AUDIENCE: internal$`).MatchString(content) {
		t.Error("no commented internal opt-in")
	}
	if ci.Default.Image != "golang:1.26" || !slices.Equal(ci.Default.BeforeScript, []string{`go install "github.com/casebook/casebook/cmd/casebook@${CASEBOOK_VERSION}"`}) {
		t.Errorf("default image %q, before_script %q", ci.Default.Image, ci.Default.BeforeScript)
	}
	if !strings.Contains(ci.Default.Cache.Key, "$CASEBOOK_VERSION") {
		t.Errorf("cache key %q does not change with the version", ci.Default.Cache.Key)
	}
	for _, env := range []string{"GOMODCACHE", "GOCACHE"} {
		dir := strings.TrimPrefix(v[env], "$CI_PROJECT_DIR/")
		if dir == v[env] || !slices.Contains(ci.Default.Cache.Paths, dir) {
			t.Errorf("%s=%q is not a cached folder of the project (%q)", env, v[env], ci.Default.Cache.Paths)
		}
	}

	val := ci.Validate
	if val.Stage != "validate" || !val.AllowFailure || len(val.Rules) != 0 {
		t.Errorf("validate: stage %q, allow_failure %v, rules %v", val.Stage, val.AllowFailure, val.Rules)
	}
	if val.Artifacts.When != "always" || val.Artifacts.Reports.JUnit != "casebook-junit.xml" || !slices.Contains(val.Artifacts.Paths, "casebook-junit.xml") {
		t.Errorf("validate artifacts %+v", val.Artifacts)
	}
	script := strings.Join(val.Script, "\n")
	for _, want := range []string{`casebook validate --strict ${since:+--since "$since"}`, `casebook validate --format junit --strict ${since:+--since "$since"} > casebook-junit.xml`, "published-commit.txt"} {
		if !strings.Contains(script, want) {
			t.Errorf("validate script lacks %q", want)
		}
	}

	pages := ci.Pages
	if pages.Stage != "publish" || pages.AllowFailure || len(pages.Rules) != 1 || pages.Rules[0]["if"] != "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" {
		t.Errorf("pages: stage %q, rules %v", pages.Stage, pages.Rules)
	}
	if !slices.Equal(pages.Artifacts.Paths, []string{"public"}) {
		t.Errorf("pages publishes %q, want public", pages.Artifacts.Paths)
	}
	if want := []string{`casebook build --out public --audience "$CASEBOOK_AUDIENCE" --base-url "$CASEBOOK_SITE_URL"`, `echo "$CI_COMMIT_SHA" > public/published-commit.txt`}; !slices.Equal(pages.Script, want) {
		t.Errorf("pages script %q, want %q", pages.Script, want)
	}
	for _, want := range []string{`"0 8 * * *"`, "Asia/Shanghai", `"0 0 * * *"`, "Pipeline schedules"} {
		if !strings.Contains(content, want) {
			t.Errorf("the schedule's explanation lacks %s", want)
		}
	}
}

// TestCI_GitLabShellcheck: the pipeline's scripts, as the runner joins
// them into one shell script, pass shellcheck.
func TestCI_GitLabShellcheck(t *testing.T) {
	sc := tool(t, "shellcheck")
	ci := parseYAML[gitlabFile](t, officeFiles(t, "bank")[scaffold.GitLabCIPath])
	for name, job := range map[string]gitlabJob{"validate": ci.Validate, "pages": ci.Pages} {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(sc, "--shell=bash", "-")
			cmd.Stdin = strings.NewReader(gitlabScript(ci, job))
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("shellcheck: %v\n%s", err, out)
			}
		})
	}
	// It judges: an unquoted expansion is found.
	cmd := exec.Command(sc, "--shell=bash", "-")
	cmd.Stdin = strings.NewReader("since=$1\ncasebook validate --since $since\n")
	if err := cmd.Run(); err == nil {
		t.Error("shellcheck accepted an unquoted expansion")
	}
}

// gitlabScript is a job's shell as GitLab's runner runs it: before_script
// and script in one shell, stopping at the first command that fails.
func gitlabScript(ci gitlabFile, job gitlabJob) string {
	lines := append([]string{"set -eo pipefail"}, ci.Default.BeforeScript...)
	return strings.Join(append(lines, job.Script...), "\n") + "\n"
}

// fakeTools writes go and casebook stand-ins into a bin folder: go checks
// it is asked to install the pinned casebook; casebook logs its arguments,
// prints a JUnit file for --format junit, writes a site for build, and
// exits with $FAKE_VALIDATE_EXIT from validate.
func fakeTools(t *testing.T) (bin, log string) {
	t.Helper()
	bin = t.TempDir()
	log = filepath.Join(bin, "calls.log")
	scripts := map[string]string{
		"go": `#!/bin/sh
echo "go $*" >> "$FAKE_LOG"
[ "$1 $2" = "install github.com/casebook/casebook/cmd/casebook@` + testVersion + `" ] || { echo "go: unexpected $*" >&2; exit 3; }
`,
		"casebook": `#!/bin/sh
echo "casebook $*" >> "$FAKE_LOG"
case "$1" in
validate)
	case " $* " in *" --format junit "*) echo '<testsuites></testsuites>' ;; *) echo "0 errors" ;; esac
	exit "${FAKE_VALIDATE_EXIT:-0}" ;;
build)
	[ "$2" = --out ] || exit 2
	mkdir -p "$3" && echo '<!doctype html>' > "$3/index.html" ;;
esac
`,
	}
	for name, s := range scripts {
		if err := os.WriteFile(filepath.Join(bin, name), []byte(s), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return bin, log
}

// pagesSite stands in for the published site: published-commit.txt says
// body with status code.
func pagesSite(t *testing.T, code int, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/office/published-commit.txt" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(code)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/office/"
}

const (
	publishedSHA = "0123456789abcdef0123456789abcdef01234567"
	headSHA      = "89abcdef0123456789abcdef0123456789abcdef"
)

// runCase is one situation an office's CI meets.
type runCase struct {
	name     string
	code     int    // the site's answer for published-commit.txt; 0: no site at all
	body     string // what it holds
	mr       bool   // a merge or pull request
	exit     int    // what validate exits with
	wantExit bool   // the validation job fails
	since    string // the --since validate is given
	noRun    bool   // validate does not run at all
}

var runCases = []runCase{
	{name: "first run: nothing published", code: 404, since: ""},
	{name: "published before", code: 200, body: publishedSHA + "\n", since: publishedSHA},
	{name: "Pages not set up", code: 0, since: ""},
	{name: "findings do not stop the report", code: 200, body: publishedSHA, exit: 1, wantExit: true, since: publishedSHA},
	{name: "a configuration error fails", code: 404, exit: 2, wantExit: true},
	{name: "merge request: no --since", code: 200, body: publishedSHA, mr: true, since: ""},
	{name: "the site cannot be read", code: 500, body: "oops", wantExit: true, noRun: true},
	{name: "a login page instead of the file", code: 200, body: "<html>login</html>", wantExit: true, noRun: true},
}

// checkCalls compares the validate calls a run made with what the case wants.
func checkCalls(t *testing.T, log string, tt runCase) {
	t.Helper()
	data, _ := os.ReadFile(log)
	calls := strings.Split(strings.TrimSpace(string(data)), "\n")
	if !slices.Contains(calls, "go install github.com/casebook/casebook/cmd/casebook@"+testVersion) {
		t.Errorf("casebook %s was not installed: %q", testVersion, calls)
	}
	var validates []string
	for _, c := range calls {
		if strings.HasPrefix(c, "casebook validate") {
			validates = append(validates, c)
		}
	}
	if tt.noRun {
		if len(validates) > 0 {
			t.Errorf("validate ran without knowing the last published commit: %q", validates)
		}
		return
	}
	if len(validates) != 2 {
		t.Fatalf("validate calls %q, want the report and the JUnit file", validates)
	}
	since := ""
	if tt.since != "" {
		since = " --since " + tt.since
	}
	for _, c := range validates {
		if !strings.Contains(c, " --strict") || !strings.HasSuffix(c, "--strict"+since) {
			t.Errorf("call %q, want --strict%s", c, since)
		}
	}
	if !strings.Contains(validates[1], "--format junit") {
		t.Errorf("no JUnit report: %q", validates)
	}
}

// TestCI_GitLabRuns runs the validate and pages jobs' shell in each
// situation.
func TestCI_GitLabRuns(t *testing.T) {
	bash := tool(t, "bash")
	tool(t, "curl")
	ci := parseYAML[gitlabFile](t, officeFiles(t, "bank")[scaffold.GitLabCIPath])
	for _, tt := range runCases {
		t.Run(tt.name, func(t *testing.T) {
			bin, log := fakeTools(t)
			dir := t.TempDir()
			site := ""
			if tt.code != 0 {
				site = pagesSite(t, tt.code, tt.body)
			}
			env := map[string]string{"CI_PAGES_URL": site, "CI_PROJECT_DIR": dir, "CI_COMMIT_SHA": headSHA}
			if tt.mr {
				env["CI_MERGE_REQUEST_IID"] = "7"
			}
			for k, v := range ci.Variables {
				env[k] = os.Expand(v, func(k string) string { return env[k] })
			}
			run := func(script string) ([]byte, error) {
				cmd := exec.Command(bash, "-c", script)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "FAKE_LOG="+log, fmt.Sprintf("FAKE_VALIDATE_EXIT=%d", tt.exit))
				for k, v := range env {
					cmd.Env = append(cmd.Env, k+"="+v)
				}
				return cmd.CombinedOutput()
			}
			out, err := run(gitlabScript(ci, ci.Validate))
			if (err != nil) != tt.wantExit {
				t.Errorf("validate job: %v, want failure %v\n%s", err, tt.wantExit, out)
			}
			checkCalls(t, log, tt)
			if !tt.noRun {
				if _, err := os.Stat(filepath.Join(dir, "casebook-junit.xml")); err != nil {
					t.Errorf("no JUnit report for the artifact: %v", err)
				}
			}

			// The pages job publishes public/ with the commit it built.
			if out, err := run(gitlabScript(ci, ci.Pages)); err != nil {
				t.Fatalf("pages job: %v\n%s", err, out)
			}
			data, _ := os.ReadFile(log)
			if want := fmt.Sprintf(`casebook build --out public --audience public --base-url %s`, site); !strings.Contains(string(data), want+"\n") {
				t.Errorf("calls %s, want %q", data, want)
			}
			if got, _ := os.ReadFile(filepath.Join(dir, "public", "published-commit.txt")); string(got) != headSHA+"\n" {
				t.Errorf("public/published-commit.txt = %q, want %s", got, headSHA)
			}
		})
	}
}

// githubFile is the part of the workflow the tests read and run.
type githubFile struct {
	// On maps each trigger to its settings (nil for none).
	On   map[string]any
	Env  map[string]string
	Jobs map[string]githubJob
}

type githubJob struct {
	If          string
	Needs       any
	Permissions map[string]string
	Env         map[string]string
	Steps       []githubStep
}

type githubStep struct {
	ID              string
	Name            string
	If              string
	Uses            string
	Run             string
	With            map[string]string
	Env             map[string]string
	ContinueOnError bool `yaml:"continue-on-error"`
}

// TestCI_GitHubStructure: what the office's workflow must do, read from
// the YAML: push to main, pull requests, a daily run at 08:00 Beijing
// time; validate in a job of its own that publishing does not wait for;
// publishing only from main; a pinned and cached casebook; the public
// audience by default with internal a commented opt-in.
func TestCI_GitHubStructure(t *testing.T) {
	content := officeFiles(t, "bank")[scaffold.GitHubWorkflowPath]
	wf := parseYAML[githubFile](t, content)
	want := map[string]any{
		"push":              map[string]any{"branches": []any{"main"}},
		"pull_request":      nil,
		"schedule":          []any{map[string]any{"cron": "0 0 * * *"}},
		"workflow_dispatch": nil,
	}
	if fmt.Sprint(wf.On) != fmt.Sprint(want) {
		t.Errorf("triggers %v, want %v (the schedule: 08:00 Asia/Shanghai in UTC)", wf.On, want)
	}
	if !regexp.MustCompile(`# 08:00 Asia/Shanghai .*UTC.*\n +- cron: '0 0 \* \* \*'`).MatchString(content) {
		t.Error("the cron line has no comment saying it is 08:00 Asia/Shanghai in UTC")
	}
	if wf.Env["CASEBOOK_VERSION"] != testVersion || wf.Env["CASEBOOK_AUDIENCE"] != "public" {
		t.Errorf("env %v", wf.Env)
	}
	if !regexp.MustCompile(`(?m)^  # CASEBOOK_AUDIENCE: internal$`).MatchString(content) {
		t.Error("no commented internal opt-in")
	}
	if n := len(wf.Jobs); n != 3 {
		t.Errorf("%d jobs, want validate, build, deploy", n)
	}
	validate, build, deploy := wf.Jobs["validate"], wf.Jobs["build"], wf.Jobs["deploy"]
	if validate.Needs != nil || validate.If != "" || build.Needs != nil {
		t.Errorf("validate (needs %v, if %q) must run always and build (needs %v) must not wait for it", validate.Needs, validate.If, build.Needs)
	}
	if build.If != "github.ref == 'refs/heads/main' && github.event_name != 'pull_request'" || deploy.Needs != "build" {
		t.Errorf("build if %q, deploy needs %v", build.If, deploy.Needs)
	}
	if deploy.Permissions["pages"] != "write" || deploy.Permissions["id-token"] != "write" || build.Permissions["pages"] == "write" || validate.Permissions["pages"] == "write" {
		t.Errorf("only deploy may write Pages: %v %v %v", validate.Permissions, build.Permissions, deploy.Permissions)
	}
	for _, name := range []string{"validate", "build"} {
		job := wf.Jobs[name]
		var installs int
		for _, st := range job.Steps {
			switch {
			case strings.HasPrefix(st.Uses, "actions/checkout@"):
				if st.With["fetch-depth"] != "0" {
					t.Errorf("%s: checkout of part of the history", name)
				}
			case strings.HasPrefix(st.Uses, "actions/setup-go@"):
				if st.With["go-version"] != "1.26" || st.With["cache-dependency-path"] != scaffold.GitHubWorkflowPath {
					t.Errorf("%s: setup-go %v: the cache must be keyed on this file, which pins the version", name, st.With)
				}
			case st.Run == `go install "github.com/casebook/casebook/cmd/casebook@${CASEBOOK_VERSION}"`:
				installs++
			}
			if strings.Contains(st.Run, "${{") {
				t.Errorf("%s: an expression inside a script (pass it in env:): %q", name, st.Run)
			}
		}
		if installs != 1 {
			t.Errorf("%s: %d installs of the pinned casebook", name, installs)
		}
	}
}

// githubRun runs a job's steps as GitHub's runner would, for the steps
// and conditions this workflow has: run: scripts with bash -eo pipefail,
// env: with the steps' outputs, and uses: steps faked by fake (their
// outputs, or an error for a failed step).
type githubRun struct {
	t       *testing.T
	wf      githubFile
	dir     string
	env     []string
	fake    func(uses string, with map[string]string) (map[string]string, error)
	outputs map[string]map[string]string
	outcome map[string]string
	failed  bool
	log     strings.Builder
}

var stepOutput = regexp.MustCompile(`^\$\{\{ steps\.([a-z]+)\.outputs\.([a-z_]+) \}\}$`)

func (r *githubRun) cond(expr string) bool {
	switch expr {
	case "":
		return !r.failed
	case "github.event_name != 'pull_request'":
		return !r.failed && !slices.Contains(r.env, "GITHUB_EVENT_NAME=pull_request")
	case "success() || steps.validate.outcome == 'failure'":
		return !r.failed || r.outcome["validate"] == "failure"
	}
	r.t.Fatalf("a condition the test does not know: %q", expr)
	return false
}

func (r *githubRun) job(name string) {
	t := r.t
	t.Helper()
	job, ok := r.wf.Jobs[name]
	if !ok {
		t.Fatalf("no job %s", name)
	}
	r.outputs, r.outcome, r.failed = map[string]map[string]string{}, map[string]string{}, false
	for i, st := range job.Steps {
		if !r.cond(st.If) {
			continue
		}
		var err error
		outputs := map[string]string{}
		if st.Uses != "" {
			outputs, err = r.fake(st.Uses, st.With)
		} else {
			outputs, err = r.script(i, st, job)
		}
		r.outputs[st.ID] = outputs
		r.outcome[st.ID] = "success"
		if err != nil {
			fmt.Fprintf(&r.log, "step %d (%s%s) failed: %v\n", i, st.Name, st.Uses, err)
			r.outcome[st.ID] = "failure"
			r.failed = r.failed || !st.ContinueOnError
		}
	}
}

func (r *githubRun) script(i int, st githubStep, job githubJob) (map[string]string, error) {
	t := r.t
	env := slices.Clone(r.env)
	for _, m := range []map[string]string{r.wf.Env, job.Env, st.Env} {
		for k, v := range m {
			if sm := stepOutput.FindStringSubmatch(v); sm != nil {
				v = r.outputs[sm[1]][sm[2]]
			} else if strings.Contains(v, "${{") {
				t.Fatalf("an expression the test does not know: %q", v)
			}
			env = append(env, k+"="+v)
		}
	}
	outFile := filepath.Join(t.TempDir(), "output")
	if err := os.WriteFile(outFile, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(t.TempDir(), fmt.Sprintf("step%d.sh", i))
	if err := os.WriteFile(script, []byte(st.Run), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
	cmd.Dir = r.dir
	cmd.Env = append(env, "GITHUB_OUTPUT="+outFile)
	out, err := cmd.CombinedOutput()
	r.log.Write(out)
	data, _ := os.ReadFile(outFile)
	outputs := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			outputs[k] = v
		}
	}
	return outputs, err
}

// TestCI_GitHubRuns runs the validate and build jobs' steps in each
// situation.
func TestCI_GitHubRuns(t *testing.T) {
	tool(t, "bash")
	tool(t, "curl")
	wf := parseYAML[githubFile](t, officeFiles(t, "bank")[scaffold.GitHubWorkflowPath])
	for _, tt := range runCases {
		t.Run(tt.name, func(t *testing.T) {
			bin, log := fakeTools(t)
			site := ""
			if tt.code != 0 {
				site = strings.TrimSuffix(pagesSite(t, tt.code, tt.body), "/")
			}
			event := "push"
			if tt.mr {
				event = "pull_request"
			}
			var uploaded []string
			r := &githubRun{t: t, wf: wf, dir: t.TempDir(),
				env: append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "FAKE_LOG="+log,
					fmt.Sprintf("FAKE_VALIDATE_EXIT=%d", tt.exit), "GITHUB_EVENT_NAME="+event, "GITHUB_SHA="+headSHA),
				fake: func(uses string, with map[string]string) (map[string]string, error) {
					switch {
					case strings.HasPrefix(uses, "actions/configure-pages@"):
						if site == "" {
							return nil, fmt.Errorf("Get Pages site failed")
						}
						return map[string]string{"base_url": site}, nil
					case strings.HasPrefix(uses, "actions/upload-artifact@"), strings.HasPrefix(uses, "actions/upload-pages-artifact@"):
						uploaded = append(uploaded, with["path"])
					}
					return nil, nil
				},
			}
			r.job("validate")
			if r.failed != tt.wantExit {
				t.Errorf("validate job failed %v, want %v\n%s", r.failed, tt.wantExit, r.log.String())
			}
			checkCalls(t, log, tt)
			if !tt.noRun {
				if !slices.Equal(uploaded, []string{"casebook-junit.xml"}) {
					t.Errorf("uploaded %q, want the JUnit report", uploaded)
				}
				if _, err := os.Stat(filepath.Join(r.dir, "casebook-junit.xml")); err != nil {
					t.Errorf("no JUnit report: %v", err)
				}
				// Findings fail the validate step alone; the report is written.
				if want := map[bool]string{true: "failure", false: "success"}[tt.exit > 1]; r.outcome["junit"] != want {
					t.Errorf("JUnit step %s, want %s", r.outcome["junit"], want)
				}
			}
			if tt.code == 0 || tt.mr {
				return // no Pages site: build fails at configure-pages; pull requests do not build
			}

			// The build job publishes site/ with the commit it built.
			uploaded = nil
			r.dir = t.TempDir()
			r.job("build")
			if r.failed {
				t.Fatalf("build job failed:\n%s", r.log.String())
			}
			data, _ := os.ReadFile(log)
			if want := "casebook build --out site --audience public --base-url " + site + "\n"; !strings.Contains(string(data), want) {
				t.Errorf("calls %s, want %q", data, want)
			}
			if got, _ := os.ReadFile(filepath.Join(r.dir, "site", "published-commit.txt")); string(got) != headSHA+"\n" {
				t.Errorf("site/published-commit.txt = %q, want %s", got, headSHA)
			}
			if !slices.Equal(uploaded, []string{"site"}) {
				t.Errorf("uploaded %q, want site", uploaded)
			}
		})
	}
}
