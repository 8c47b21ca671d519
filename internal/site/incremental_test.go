package site

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/office"
)

// gitIn runs plain git in dir with a fixed identity and date.
func gitIn(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"GIT_AUTHOR_NAME=吴涛", "GIT_AUTHOR_EMAIL=wu@example.org",
		"GIT_COMMITTER_NAME=吴涛", "GIT_COMMITTER_EMAIL=wu@example.org",
		"GIT_AUTHOR_DATE=2026-11-24T11:00:00+08:00", "GIT_COMMITTER_DATE=2026-11-24T11:00:00+08:00",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// buildInto builds dir into out (kept between builds) and returns the
// summary.
func buildInto(t *testing.T, dir, out string, opts Options) Summary {
	t.Helper()
	o, err := office.Load(dir, office.Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	opts.Out, opts.Now = out, testNow
	sum, err := Build(o, opts)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// snapshot reads every file under out.
func snapshot(t *testing.T, out string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(out, p)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestBuild_Incremental(t *testing.T) {
	dir := newRepo(t, smallCases)
	out := t.TempDir()
	// A file of the user's in the output folder is never touched.
	if err := os.WriteFile(filepath.Join(out, "README.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	first := buildInto(t, dir, out, Options{})
	if first.Written == 0 || first.Removed != 0 {
		t.Fatalf("first build: %+v", first)
	}
	before := snapshot(t, out)

	again := buildInto(t, dir, out, Options{})
	if again.Written != 0 || again.Removed != 0 || again.Pages != first.Pages {
		t.Errorf("a build with nothing changed wrote %d and removed %d files (pages %d, was %d)", again.Written, again.Removed, again.Pages, first.Pages)
	}

	// One case changes: its page changes, the other cases' pages do not.
	// A page deleted by hand comes back.
	f := filepath.Join(dir, "cases/2026/11/10/BANK-2026-0002.md")
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f, []byte(strings.Replace(string(b), "title: 匿名反映柜员态度", "title: 匿名反映柜员态度恶劣", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	gitIn(t, dir, "commit", "-qam", "改标题")
	if err := os.Remove(filepath.Join(out, "cases", "BANK-2026-0003.html")); err != nil {
		t.Fatal(err)
	}
	third := buildInto(t, dir, out, Options{})
	after := snapshot(t, out)
	if !strings.Contains(after["cases/BANK-2026-0002.html"], "匿名反映柜员态度恶劣") {
		t.Error("the changed case's page was not rebuilt")
	}
	if after["cases/BANK-2026-0003.html"] != before["cases/BANK-2026-0003.html"] {
		t.Error("a page deleted by hand was not written again, or differs")
	}
	// BANK-2026-0001 relates to 0002 and shows its title: it changes too;
	// 0002 links back to 0001, whose title is as it was.
	if !strings.Contains(after["cases/BANK-2026-0001.html"], "匿名反映柜员态度恶劣") {
		t.Error("the page of a case related to the changed one still shows its old title")
	}
	// Only files whose bytes changed are written, and the page deleted by
	// hand: a page rendered again that comes out the same is left alone.
	changed := 0
	for name, b := range after {
		if name != manifestName && before[name] != b {
			changed++
		}
	}
	if third.Written != changed+1 || changed == 0 {
		t.Errorf("after one change %d files were written; %d changed, and one was restored", third.Written, changed)
	}

	// The case is deleted: its page and forms go, the user's file stays.
	gitIn(t, dir, "rm", "-q", "cases/2026/11/10/BANK-2026-0002.md")
	gitIn(t, dir, "commit", "-qm", "删除")
	fourth := buildInto(t, dir, out, Options{})
	final := snapshot(t, out)
	if _, ok := final["cases/BANK-2026-0002.html"]; ok || fourth.Removed == 0 {
		t.Errorf("the deleted case's page is still there (removed %d)", fourth.Removed)
	}
	for name := range final {
		if strings.Contains(name, "BANK-2026-0002") {
			t.Errorf("%s of the deleted case is still there", name)
		}
	}
	if final["README.txt"] != "mine" {
		t.Error("a file the build did not write was changed or removed")
	}
}

func TestBuild_DamagedManifestRebuildsEverything(t *testing.T) {
	dir := newRepo(t, smallCases)
	out := t.TempDir()
	first := buildInto(t, dir, out, Options{})
	// A manifest naming a file outside the output folder must not make a
	// build delete it.
	outside := filepath.Join(t.TempDir(), "keep.txt")
	if err := os.WriteFile(outside, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	rel, _ := filepath.Rel(out, outside)
	bad := manifestHeader + "\n" + strings.Repeat("0", 32) + " " + filepath.ToSlash(rel) + "\n"
	if err := os.WriteFile(filepath.Join(out, manifestName), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	again := buildInto(t, dir, out, Options{})
	if _, err := os.Stat(outside); err != nil {
		t.Fatalf("a tampered manifest made the build delete %s: %v", outside, err)
	}
	if again.Written != first.Written {
		t.Errorf("with a damaged manifest the build wrote %d files, want all %d", again.Written, first.Written)
	}
}

// manyCases is n bank cases received on successive days, all overdue at
// testNow.
func manyCases(n int) map[string]string {
	files := map[string]string{}
	for i := 1; i <= n; i++ {
		day := 1 + i%28
		id := fmt.Sprintf("BANK-2026-%04d", i)
		files[fmt.Sprintf("cases/2026/10/%02d/%s.md", day, id)] = fmt.Sprintf(`---
id: %s
policy: bank
title: 第%d件投诉
status: received
received_at: 2026-10-%02dT09:%02d:00+08:00
channel: phone
category: attitude
department: 部门%d
---
## 投诉内容

内容。
`, id, i, day, i%60, i%3)
	}
	return files
}

func TestBuild_CaseListPages(t *testing.T) {
	const n = 450
	files := build(t, newRepo(t, manyCases(n)), Options{})
	rowRE := regexp.MustCompile(`<tr data-status=`)
	first := files["cases/index.html"]
	if got := len(rowRE.FindAll(first, -1)); got != listPageSize {
		t.Errorf("cases/index.html has %d rows, want %d", got, listPageSize)
	}
	last := files["cases/list/all-3.html"]
	if got := len(rowRE.FindAll(last, -1)); got != n-2*listPageSize {
		t.Errorf("cases/list/all-3.html has %d rows, want %d", got, n-2*listPageSize)
	}
	if _, ok := files["cases/list/all-4.html"]; ok {
		t.Error("a fourth page for 450 cases")
	}
	for _, want := range []string{`href="list/all-2.html" rel="next"`, `<strong aria-current="page">1</strong>`, `第 1–200 件，共 450 件`} {
		if !strings.Contains(string(first), want) {
			t.Errorf("cases/index.html lacks %s", want)
		}
	}
	for _, want := range []string{`href="../index.html">1</a>`, `src="../../assets/filter.js"`, `href="../BANK-2026-`, `href="all-2.html" rel="prev"`} {
		if !strings.Contains(string(last), want) {
			t.Errorf("cases/list/all-3.html lacks %s", want)
		}
	}
	// The latest received first, and the overdue view holds them all.
	if i, j := strings.Index(string(first), "2026-10-28"), strings.Index(string(first), "2026-10-02"); i < 0 || j >= 0 && j < i {
		t.Error("the first page does not start with the latest received cases")
	}
	if _, ok := files["cases/list/overdue-3.html"]; !ok {
		t.Error("the overdue view has no third page")
	}
	// cases/rows/ holds every case for the script.
	rows := readRows(t, files)
	if len(rows) != n || rows[0]["late"] != true || rows[0]["d"] == "" {
		t.Errorf("cases/rows/: %d rows, first %v", len(rows), rows[0])
	}
	// The dashboard shows the latest 30 overdue and links to all.
	index := string(files["index.html"])
	if !strings.Contains(index, `30 / 450 · <a href="cases/list/overdue-1.html#late=1&amp;sort=late">`) {
		t.Error("the dashboard does not cap the overdue list and link to the overdue view")
	}
}

func TestBuild_BrokenCaseGetsPage(t *testing.T) {
	cases := map[string]string{
		"cases/2026/11/23/BANK-2026-0001.md": smallCases["cases/2026/11/23/BANK-2026-0001.md"],
		"cases/2026/11/24/BANK-2026-0009.md": "---\nid: BANK-2026-0009\ntitle: [unclosed\n---\nbody\n",
	}
	dir := newRepo(t, cases)
	o, err := office.Load(dir, office.Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := Build(o, Options{Out: t.TempDir(), Now: testNow})
	if err != nil {
		t.Fatalf("a broken case file stopped the build: %v", err)
	}
	if sum.Broken != 1 || sum.Cases != 1 {
		t.Errorf("summary %+v, want 1 case and 1 broken file", sum)
	}
	page, err := os.ReadFile(filepath.Join(sum.Out, "cases", "BANK-2026-0009.html"))
	if err != nil {
		t.Fatalf("the broken file has no page: %v", err)
	}
	for _, want := range []string{"parse.error", "cases/2026/11/24/BANK-2026-0009.md:", "案件文件无法读取"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the broken file's page lacks %q", want)
		}
	}
	list, _ := os.ReadFile(filepath.Join(sum.Out, "cases", "index.html"))
	if !strings.Contains(string(list), `class="broken"><td data-label="编号"><a href="BANK-2026-0009.html">`) {
		t.Error("the case list does not show the broken file first")
	}
	// A case that fails validation shows its findings.
	good, _ := os.ReadFile(filepath.Join(sum.Out, "cases", "BANK-2026-0001.html"))
	if !strings.Contains(string(good), "<code>field.required</code>") {
		t.Error("the case page does not show the case's validation findings")
	}
}

func TestBuild_BrokenTemplate(t *testing.T) {
	for _, tt := range []struct {
		name, file, src, want string
	}{
		{"parse", "case.html", "{{template \"top\" .}}\n<p>{{.Case.ID}</p>\n{{template \"bottom\" .}}", "templates/case.html:2"},
		{"run", "index.html", "{{template \"top\" .}}\n\n<p>{{.Dashboard.NoSuchField}}</p>{{template \"bottom\" .}}", "templates/index.html:3"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := newRepo(t, smallCases)
			if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "templates", tt.file), []byte(tt.src), 0o644); err != nil {
				t.Fatal(err)
			}
			o, err := office.Load(dir, office.Options{NoCache: true})
			if err != nil {
				t.Fatal(err)
			}
			_, err = Build(o, Options{Out: t.TempDir(), Now: testNow})
			var te *TemplateError
			if !errors.As(err, &te) {
				t.Fatalf("got %v, want a TemplateError", err)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "fix the template") {
				t.Errorf("error %q does not name %s and the fix", err, tt.want)
			}
		})
	}
}

func TestBuild_Progress(t *testing.T) {
	dir := newRepo(t, smallCases)
	var calls, last, total int
	buildInto(t, dir, t.TempDir(), Options{Progress: func(done, n int) {
		calls++
		if done < last {
			t.Errorf("progress went back from %d to %d", last, done)
		}
		last, total = done, n
	}})
	if calls == 0 || last != total || total != 3 {
		t.Errorf("progress: %d calls, ended at %d of %d, want 3 of 3", calls, last, total)
	}
}

func TestRelTo(t *testing.T) {
	for _, tt := range []struct{ from, to, want string }{
		{"cases/index.html", "cases/list/all-2.html", "list/all-2.html"},
		{"cases/list/all-2.html", "cases/index.html", "../index.html"},
		{"cases/list/all-2.html", "cases/list/all-3.html", "all-3.html"},
		{"cases/list/all-2.html", "cases/BANK-2026-0001.html", "../BANK-2026-0001.html"},
		{"cases/index.html", "cases/rows/index.js", "rows/index.js"},
		{"cases/list/all-2.html", "cases/rows/index.js", "../rows/index.js"},
		{"index.html", "cases/list/overdue-1.html", "cases/list/overdue-1.html"},
		{"cases/list/x.html", "assets/filter.js", "../../assets/filter.js"},
	} {
		if got := relTo(tt.from, tt.to); got != tt.want {
			t.Errorf("relTo(%q, %q) = %q, want %q", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestInlineWords(t *testing.T) {
	for _, tt := range []struct{ name, src, want string }{
		{"text", `<h1>{{t "cases"}}</h1>`, `<h1>全部案件</h1>`},
		{"quoted attribute", `<input placeholder="{{t "search"}}">`, `<input placeholder="标题或编号">`},
		{"two attributes", `<a class="x" aria-label="{{t "pages"}}">`, `<a class="x" aria-label="分页">`},
		{"url attribute keeps the call", `<a href="{{t "cases"}}">`, `<a href="{{t "cases"}}">`},
		{"event attribute keeps the call", `<a onclick="{{t "cases"}}">`, `<a onclick="{{t "cases"}}">`},
		{"unquoted attribute keeps the call", `<a title={{t "cases"}}>`, `<a title={{t "cases"}}>`},
		{"single quotes keep the call", `<a title='{{t "cases"}}'>`, `<a title='{{t "cases"}}'>`},
		{"script keeps the call", `<script>var x = "{{t "cases"}}";</script>`, `<script>var x = "{{t "cases"}}";</script>`},
		{"after a script", `<script src="a.js"></script><p>{{t "cases"}}</p>`, `<script src="a.js"></script><p>全部案件</p>`},
		{"a call with arguments is left alone", `{{if eq .View (t "all")}}`, `{{if eq .View (t "all")}}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := inlineWords(tt.src, "zh"); got != tt.want {
				t.Errorf("inlineWords(%q) = %q, want %q", tt.src, got, tt.want)
			}
		})
	}
}

func TestPageWindow(t *testing.T) {
	for _, tt := range []struct {
		p, n int
		want string
	}{
		{1, 1, "[1]"},
		{1, 3, "[1 2 3]"},
		{1, 20, "[1 2 3 4 0 20]"},
		{10, 20, "[1 0 7 8 9 10 11 12 13 0 20]"},
		{20, 20, "[1 0 17 18 19 20]"},
		{5, 9, "[1 2 3 4 5 6 7 8 9]"},
	} {
		if got := fmt.Sprint(pageWindow(tt.p, tt.n)); got != tt.want {
			t.Errorf("pageWindow(%d, %d) = %s, want %s", tt.p, tt.n, got, tt.want)
		}
	}
}

// A case page depends on more than its own file: its policy's labels and
// whether the cases it names exist. A rebuild must see both.
func TestBuild_IncrementalSeesPolicyAndRelated(t *testing.T) {
	dir := newRepo(t, smallCases)
	out := t.TempDir()
	buildInto(t, dir, out, Options{})
	page := func() string {
		b, err := os.ReadFile(filepath.Join(out, "cases", "BANK-2026-0001.html"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if strings.Contains(page(), `<a href="BANK-2026-0099.html">`) {
		t.Fatal("BANK-2026-0099 is linked before it exists")
	}
	// The policy renames a state; the related case appears.
	pol := filepath.Join(dir, "policies", "bank.yaml")
	b, err := os.ReadFile(pol)
	if err != nil {
		t.Fatal(err)
	}
	renamed := strings.Replace(string(b), "zh: 已转办", "zh: 已转办理", 1)
	if renamed == string(b) {
		t.Fatal("the bank policy no longer names 已转办")
	}
	if err := os.WriteFile(pol, []byte(renamed), 0o644); err != nil {
		t.Fatal(err)
	}
	other := strings.ReplaceAll(smallCases["cases/2026/11/10/BANK-2026-0002.md"], "BANK-2026-0002", "BANK-2026-0099")
	if err := os.WriteFile(filepath.Join(dir, "cases/2026/11/10/BANK-2026-0099.md"), []byte(other), 0o644); err != nil {
		t.Fatal(err)
	}
	gitIn(t, dir, "add", "-A")
	gitIn(t, dir, "commit", "-qm", "改状态名称，登记关联案件")
	buildInto(t, dir, out, Options{})
	got := page()
	if !strings.Contains(got, "已转办理") {
		t.Error("the case page still shows the policy's old label")
	}
	if !strings.Contains(got, `<a href="BANK-2026-0099.html">`) {
		t.Error("the case page does not link the related case that now exists")
	}
}
