package repo_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/casebook/casebook/internal/repo"
)

// isolateGitConfig keeps the user's global and system git configuration and attributes
// out of what casebook reads in this test.
func isolateGitConfig(t *testing.T) {
	t.Helper()
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_ATTR_NOSYSTEM", "1")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
}

// plainGit runs git in dir as the user's git would, with the repository's own
// core.autocrlf (run forces it off); stdin feeds the command. It returns standard output.
func plainGit(t testing.TB, dir string, stdin []byte, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "commit.gpgsign=false", "-c", "core.safecrlf=false"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(gitEnv(), "GIT_ATTR_NOSYSTEM=1")
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// eolSetting is a repository's configuration and attributes files (path: content;
// ".git/info/attributes" included).
type eolSetting struct {
	name   string
	config []string // key=value
	files  map[string]string
}

// repo makes a repository with the setting; add stages its files.
func (s eolSetting) repo(t *testing.T, add bool) string {
	t.Helper()
	dir := newRepo(t)
	for _, kv := range s.config {
		k, v, _ := strings.Cut(kv, "=")
		plainGit(t, dir, nil, "config", k, v)
	}
	for p, data := range s.files {
		writeFile(t, dir, p, data)
		if add && !strings.HasPrefix(p, ".git/") {
			plainGit(t, dir, nil, "add", p)
		}
	}
	return dir
}

var eolSettings = []eolSetting{
	{name: "nothing set"},
	{name: "autocrlf true", config: []string{"core.autocrlf=true"}},
	{name: "autocrlf input", config: []string{"core.autocrlf=input"}},
	{name: "autocrlf true, core.eol lf is ignored", config: []string{"core.autocrlf=true", "core.eol=lf"}},
	{name: "text eol=crlf", files: map[string]string{".gitattributes": "*.md text eol=crlf\n"}},
	{name: "text eol=crlf, autocrlf input", config: []string{"core.autocrlf=input"}, files: map[string]string{".gitattributes": "*.md text eol=crlf\n"}},
	{name: "text with core.eol crlf", config: []string{"core.eol=crlf"}, files: map[string]string{".gitattributes": "*.md text\n"}},
	{name: "text, LF by default", files: map[string]string{".gitattributes": "*.md text\n"}},
	{name: "text=auto", files: map[string]string{".gitattributes": "* text=auto\n"}},
	{name: "text=auto eol=crlf", files: map[string]string{".gitattributes": "* text=auto eol=crlf\n"}},
	{name: "text=auto with autocrlf true", config: []string{"core.autocrlf=true"}, files: map[string]string{".gitattributes": "* text=auto\n"}},
	{name: "-text with autocrlf true", config: []string{"core.autocrlf=true"}, files: map[string]string{".gitattributes": "*.md -text\n"}},
	{name: "binary macro with autocrlf true", config: []string{"core.autocrlf=true"}, files: map[string]string{".gitattributes": "*.md binary\n"}},
	{name: "eol=lf with autocrlf true", config: []string{"core.autocrlf=true"}, files: map[string]string{".gitattributes": "*.md eol=lf\n"}},
	{name: "eol=crlf alone", files: map[string]string{".gitattributes": "*.md eol=crlf\n"}},
	{name: "legacy crlf attributes", config: []string{"core.autocrlf=true"},
		files: map[string]string{".gitattributes": "*.md crlf\n*.txt crlf=input\nREADME.md -crlf\n"}},
	{name: "later line wins", config: []string{"core.autocrlf=input"},
		files: map[string]string{".gitattributes": "*.md text eol=crlf\ncases/** -text\n"}},
	{name: "last on a line wins over a macro", files: map[string]string{".gitattributes": "*.md binary text eol=crlf\n*.txt text eol=crlf binary\n"}},
	{name: "unspecified", config: []string{"core.autocrlf=input"},
		files: map[string]string{".gitattributes": "*.md text eol=crlf\nREADME.md !text !eol\n"}},
	{name: "own macro", files: map[string]string{".gitattributes": "[attr]casefile text eol=crlf\n*.md casefile\n"}},
	{name: "nested files and info/attributes", config: []string{"core.autocrlf=true"},
		files: map[string]string{
			".gitattributes":                  "* text eol=crlf\n",
			"cases/.gitattributes":            "*.md -text\n*.txt text eol=lf\n",
			"cases/2026/03/02/.gitattributes": "BANK-2026-0001.md text\n[attr]ignored -text\n",
			".git/info/attributes":            "notes.txt -text\n",
		}},
	{name: "anchored pattern", files: map[string]string{".gitattributes": "/*.md text eol=crlf\ncases/**/*.md text eol=lf\n"}},
}

var eolPaths = []string{"README.md", "notes.txt", "cases/2026/03/02/BANK-2026-0001.md", "cases/2026/03/02/x.txt"}

var eolContents = []struct{ name, data string }{
	{"LF", "---\nid: BANK-2026-0001\ntitle: 柜台服务态度差\n---\n## 投诉内容\n\n正文\n"},
	{"CRLF", "---\r\nid: BANK-2026-0001\r\ntitle: 柜台服务态度差\r\n---\r\n## 投诉内容\r\n\r\n正文\r\n"},
	{"mixed", "---\r\nid: BANK-2026-0001\n---\r\n正文\n"},
	{"lone CR", "a\rb\r\nc\n"},
	{"CR CR LF", "a\r\r\nb\n"},
	{"NUL", "a\x00b\r\nc\n"},
	{"no final newline", "a\r\nb"},
	{"DOS end-of-file", "a\r\nb\r\n\x1a"},
	{"empty", ""},
}

// TestLineEndings_AsGit compares ToGit with what `git hash-object --path` stores, and
// ToWorkTree with what `git cat-file --filters` checks out, for each setting, path and
// content.
func TestLineEndings_AsGit(t *testing.T) {
	isolateGitConfig(t)
	// The contents as files outside the repositories, for git hash-object.
	src := t.TempDir()
	var files []string
	for i, c := range eolContents {
		f := filepath.Join(src, strconv.Itoa(i))
		if err := os.WriteFile(f, []byte(c.data), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	for _, s := range eolSettings {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			dir := s.repo(t, false)
			le, err := repo.LoadLineEndings(open(t, dir), dir)
			if err != nil {
				t.Fatal(err)
			}
			// Each content stored as it is, then checked out at each path.
			raw := strings.Fields(string(plainGit(t, dir, nil, append([]string{"hash-object", "-w", "--no-filters", "--"}, files...)...)))
			for _, p := range eolPaths {
				stored := strings.Fields(string(plainGit(t, dir, nil, append([]string{"hash-object", "--path=" + p, "--"}, files...)...)))
				for i, c := range eolContents {
					data := []byte(c.data)
					if got := plumbing.ComputeHash(plumbing.BlobObject, le.ToGit(p, data)).String(); got != stored[i] {
						t.Errorf("%s, %s: ToGit = %q, git stores blob %s", p, c.name, le.ToGit(p, data), stored[i])
					}
					// (cat-file --batch --filters gives the size before the conversion.)
					want := plainGit(t, dir, nil, "cat-file", "--filters", "--path="+p, raw[i])
					if got := le.ToWorkTree(p, data); !bytes.Equal(got, want) {
						t.Errorf("%s, %s: ToWorkTree = %q, git checks out %q", p, c.name, got, want)
					}
				}
			}
		})
	}
}

func TestLineEndings_BadAutoCRLF(t *testing.T) {
	isolateGitConfig(t)
	dir := newRepo(t)
	plainGit(t, dir, nil, "config", "core.autocrlf", "sometimes")
	_, err := repo.LoadLineEndings(open(t, dir), dir)
	if err == nil || !strings.Contains(err.Error(), "core.autocrlf") || !strings.Contains(err.Error(), "git config core.autocrlf") {
		t.Fatalf("err = %v, want the setting named and the fix", err)
	}
	_, err = repo.Commit(open(t, dir), dir, repo.CommitRequest{
		Changes: []repo.Change{{Path: "a.md", Data: []byte("a\n")}}, Message: "a", Author: clerk, Now: fixedNow,
	})
	if err == nil {
		t.Fatal("Commit accepted a repository git refuses to work in")
	}
	if head(t, dir) != "" {
		t.Error("a commit was made")
	}
}

// TestLineEndings_GlobalConfig: core.autocrlf from the global config counts, the
// repository's own setting over it, as in git.
func TestLineEndings_GlobalConfig(t *testing.T) {
	isolateGitConfig(t)
	global := filepath.Join(t.TempDir(), "gitconfig")
	if err := os.WriteFile(global, []byte("[core]\n\tautocrlf = true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GIT_CONFIG_GLOBAL", global)
	dir := newRepo(t)
	le, err := repo.LoadLineEndings(open(t, dir), dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(le.ToWorkTree("a.md", []byte("a\n"))); got != "a\r\n" {
		t.Errorf("global autocrlf=true: ToWorkTree = %q, want CRLF", got)
	}
	plainGit(t, dir, nil, "config", "core.autocrlf", "false")
	le, err = repo.LoadLineEndings(open(t, dir), dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(le.ToWorkTree("a.md", []byte("a\n"))); got != "a\n" {
		t.Errorf("repository autocrlf=false over global true: ToWorkTree = %q, want LF", got)
	}
}

// TestCommit_LineEndings: in a CRLF checkout, a commit stores LF, writes CRLF on every
// line, records the stat of the file written, and leaves git status and git diff clean,
// whether the data given has LF, CRLF or both.
func TestCommit_LineEndings(t *testing.T) {
	isolateGitConfig(t)
	lf := caseFile("BANK-2026-0001", "assigned") + "\n## 调查核实情况\n\n属实。\n"
	crlf := strings.ReplaceAll(lf, "\n", "\r\n")
	mixed := strings.Replace(crlf, "\r\n", "\n", 3)
	for _, s := range []eolSetting{
		{name: "autocrlf true", config: []string{"core.autocrlf=true"}},
		{name: "text eol=crlf", files: map[string]string{".gitattributes": "*.md text eol=crlf\n"}},
		{name: "text=auto eol=crlf", files: map[string]string{".gitattributes": "* text=auto eol=crlf\n"}},
	} {
		for _, data := range []struct{ name, data string }{{"LF", lf}, {"CRLF", crlf}, {"mixed", mixed}} {
			t.Run(s.name+", "+data.name, func(t *testing.T) {
				dir := s.repo(t, true)
				path := "cases/2026/03/02/BANK-2026-0001.md"
				// The case as plain git checks it out: CRLF in the work tree.
				writeFile(t, dir, path, caseFile("BANK-2026-0001", "received"))
				plainGit(t, dir, nil, "add", path)
				plainGit(t, dir, nil, "commit", "-q", "-m", "base")
				if err := removeFile(dir, path); err != nil {
					t.Fatal(err)
				}
				plainGit(t, dir, nil, "checkout", "--", path)
				if got := readFile(t, dir, path); got != strings.ReplaceAll(caseFile("BANK-2026-0001", "received"), "\n", "\r\n") {
					t.Fatalf("plain git checked out %q; the setting does not ask for CRLF", got)
				}

				if _, err := repo.Commit(open(t, dir), dir, repo.CommitRequest{
					Changes: []repo.Change{{Path: path, Data: []byte(data.data)}},
					Message: message("BANK-2026-0001", "received -> assigned"), Author: clerk, Now: fixedNow,
				}); err != nil {
					t.Fatal(err)
				}
				if got := string(plainGit(t, dir, nil, "show", "HEAD:"+path)); got != lf {
					t.Errorf("committed %q, want LF endings", got)
				}
				if got := readFile(t, dir, path); got != crlf {
					t.Errorf("work tree %q, want CRLF on every line", got)
				}
				checkClean(t, dir, path)
				fsck(t, dir)
			})
		}
	}
}

// checkClean checks git status, git diff and the index entry of path right after a
// commit, then again once the file's stat no longer matches (git must read it).
func checkClean(t *testing.T, dir, path string) {
	t.Helper()
	check := func(when string) {
		if got := string(plainGit(t, dir, nil, "status", "--porcelain")); got != "" {
			t.Errorf("%s: git status --porcelain = %q, want clean", when, got)
		}
		plainGit(t, dir, nil, "diff", "--quiet")
		plainGit(t, dir, nil, "diff", "--cached", "--quiet")
	}
	// The index records the work-tree file: its size and its modification time.
	fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(path)))
	if err != nil {
		t.Fatal(err)
	}
	debug := string(plainGit(t, dir, nil, "ls-files", "--debug", "--", path))
	if want := "size: " + strconv.FormatInt(fi.Size(), 10) + "\t"; !strings.Contains(debug, want) {
		t.Errorf("index entry %q, want %q", debug, want)
	}
	if want := fmt.Sprintf("mtime: %d:", fi.ModTime().Unix()); !strings.Contains(debug, want) {
		t.Errorf("index entry %q, want %q", debug, want)
	}
	check("right after the commit")
	// Racy git: a file modified in the same instant as the index is compared by content.
	idx := filepath.Join(dir, ".git", "index")
	if err := os.Chtimes(idx, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	check("with a racily clean entry")
	if err := os.Chtimes(filepath.Join(dir, filepath.FromSlash(path)), fi.ModTime().Add(-3600e9), fi.ModTime().Add(-3600e9)); err != nil {
		t.Fatal(err)
	}
	check("with the stat changed")
}

// TestCommit_LineEndingsBinary: -text keeps the bytes as given, in both places.
func TestCommit_LineEndingsBinary(t *testing.T) {
	isolateGitConfig(t)
	dir := newRepo(t)
	plainGit(t, dir, nil, "config", "core.autocrlf", "true")
	writeFile(t, dir, ".gitattributes", "*.bin -text\n")
	data := "a\r\nb\n"
	if _, err := repo.Commit(open(t, dir), dir, repo.CommitRequest{
		Changes: []repo.Change{{Path: "x.bin", Data: []byte(data)}, {Path: ".gitattributes", Data: []byte("*.bin -text\n")}},
		Message: "x", Author: clerk, Now: fixedNow,
	}); err != nil {
		t.Fatal(err)
	}
	if got := string(plainGit(t, dir, nil, "show", "HEAD:x.bin")); got != data {
		t.Errorf("committed %q, want the bytes given", got)
	}
	if got := readFile(t, dir, "x.bin"); got != data {
		t.Errorf("work tree %q, want the bytes given", got)
	}
	if got := readFile(t, dir, ".gitattributes"); got != "*.bin -text\r\n" {
		t.Errorf("work tree .gitattributes %q, want CRLF (autocrlf)", got)
	}
	checkClean(t, dir, "x.bin")
}

// TestBatch_LineEndings: a bulk-written repository is checked out as git would.
func TestBatch_LineEndings(t *testing.T) {
	isolateGitConfig(t)
	dir := newRepo(t)
	plainGit(t, dir, nil, "config", "core.autocrlf", "true")
	b, err := repo.NewBatch(open(t, dir), dir)
	if err != nil {
		t.Fatal(err)
	}
	path := "cases/2026/03/02/BANK-2026-0001.md"
	for i, status := range []string{"received", "assigned"} {
		data := caseFile("BANK-2026-0001", status)
		if i == 1 {
			data = strings.ReplaceAll(data, "\n", "\r\n")
		}
		if _, err := b.Commit([]repo.Change{{Path: path, Data: []byte(data)}}, message("BANK-2026-0001", status), clerk, fixedNow()); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := b.Read(path); string(got) != caseFile("BANK-2026-0001", "assigned") {
		t.Errorf("Read = %q, want the LF content committed", got)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if got := string(plainGit(t, dir, nil, "show", "HEAD:"+path)); got != caseFile("BANK-2026-0001", "assigned") {
		t.Errorf("committed %q, want LF", got)
	}
	if got := readFile(t, dir, path); got != strings.ReplaceAll(caseFile("BANK-2026-0001", "assigned"), "\n", "\r\n") {
		t.Errorf("work tree %q, want CRLF", got)
	}
	checkClean(t, dir, path)
	fsck(t, dir)
}

// BenchmarkLineEndings is what each commit adds: reading the configuration and the
// attributes, and converting one case file both ways.
func BenchmarkLineEndings(b *testing.B) {
	b.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	b.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	dir := newRepo(b)
	run(b, dir, "config", "core.autocrlf", "true")
	writeFile(b, dir, ".gitattributes", "*.md text eol=crlf\n*.png binary\n")
	path := "cases/2026/03/02/BANK-2026-0001.md"
	data := []byte(strings.Repeat(caseFile("BANK-2026-0001", "received"), 20))
	r := open(b, dir)
	b.ResetTimer()
	for range b.N {
		le, err := repo.LoadLineEndings(r, dir)
		if err != nil {
			b.Fatal(err)
		}
		le.ToWorkTree(path, le.ToGit(path, data))
	}
}
