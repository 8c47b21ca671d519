package cases

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/msg"
)

// writeTree creates files (path → content) under root; a content starting
// with "->" makes a symlink to the rest.
func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for rel, content := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if target, ok := strings.CutPrefix(content, "->"); ok {
			if err := os.Symlink(target, p); err != nil {
				t.Skipf("symlinks unavailable: %v", err)
			}
			continue
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func caseText(id string) string { return "---\nid: " + id + "\n---\n## 投诉内容\n" }

func TestDiscover(t *testing.T) {
	root := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret.md")
	if err := os.WriteFile(outside, []byte(caseText("X-1")), 0o644); err != nil {
		t.Fatal(err)
	}
	writeTree(t, root, map[string]string{
		"cases/README.md":                                 "# 说明\n",
		"cases/2026/09/30/BANK-2026-0007.md":              caseText("BANK-2026-0007"),
		"cases/2026/09/30/BANK-2026-0008/index.md":        caseText("BANK-2026-0008"),
		"cases/2026/09/30/BANK-2026-0008/扫描件.pdf":         "%PDF",
		"cases/2026/09/30/BANK-2026-0008/notes.md":        "# not a case\n",
		"cases/2026/09/30/BANK-2026-0008/photos/1.jpg":    "jpg",
		"cases/2026/09/30/BANK-2026-0008/photos/index.md": "nested index is an attachment\n",
		"cases/2026/09/30/BANK-2026-0008/.DS_Store":       "x",
		"cases/2026/09/30/BANK-2026-0008/link.pdf":        "->" + outside,
		"cases/2026/10/README.md":                         "only the top README is skipped\n",
		"cases/2026/10/01/BANK-2026-0009.md":              caseText("BANK-2026-0009"),
		"cases/2026/10/01/notes.txt":                      "not Markdown\n",
		"cases/2026/.drafts/BANK-2026-0010.md":            caseText("BANK-2026-0010"),
		"cases/.hidden.md":                                caseText("H-1"),
		"cases/2026/10/01/escape.md":                      "->" + outside,
		"cases/2026/10/02":                                "->" + filepath.Dir(outside),
		"notcases/A-1.md":                                 caseText("A-1"),
	})

	entries, problems, err := Discover(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{Path: "cases/2026/09/30/BANK-2026-0007.md"},
		{Path: "cases/2026/09/30/BANK-2026-0008/index.md", Bundle: true,
			Attachments: []string{"notes.md", "photos/1.jpg", "photos/index.md", "扫描件.pdf"}},
		{Path: "cases/2026/10/01/BANK-2026-0009.md"},
		{Path: "cases/2026/10/README.md"},
	}
	if !reflect.DeepEqual(entries, want) {
		t.Errorf("entries\n got %+v\nwant %+v", entries, want)
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.File+": "+p.Msg.En)
		if p.Fix.IsZero() {
			t.Errorf("problem without a fix: %v", p)
		}
	}
	wantProblems := []string{
		"cases/2026/09/30/BANK-2026-0008/link.pdf: symlink not followed",
		"cases/2026/10/01/escape.md: symlink not followed",
		"cases/2026/10/02: symlink not followed",
	}
	if !reflect.DeepEqual(got, wantProblems) {
		t.Errorf("problems\n got %q\nwant %q", got, wantProblems)
	}
}

func TestDiscover_NoCasesFolder(t *testing.T) {
	entries, problems, err := Discover(t.TempDir())
	if err != nil || entries != nil || problems != nil {
		t.Errorf("Discover(empty) = %v, %v, %v; want nothing", entries, problems, err)
	}
}

func TestDiscover_CasesFolderIsASymlink(t *testing.T) {
	root := t.TempDir()
	elsewhere := t.TempDir()
	writeTree(t, elsewhere, map[string]string{"A-1.md": caseText("A-1")})
	writeTree(t, root, map[string]string{"cases": "->" + elsewhere})
	entries, problems, err := Discover(root)
	if err != nil || len(entries) != 0 || len(problems) != 1 || problems[0].File != "cases" {
		t.Errorf("Discover = %v, %v, %v; want one symlink problem for cases", entries, problems, err)
	}
}

func TestParseFile(t *testing.T) {
	root := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret.md")
	if err := os.WriteFile(outside, []byte(caseText("X-1")), 0o644); err != nil {
		t.Fatal(err)
	}
	writeTree(t, root, map[string]string{
		"cases/A-1/index.md": caseText("A-1"),
		"cases/A-1/scan.pdf": "%PDF",
		"cases/A-2.md":       caseText("A-2") + strings.Repeat("正文\n", 100),
		"cases/link.md":      "->" + outside,
	})

	t.Run("bundle", func(t *testing.T) {
		e := Entry{Path: "cases/A-1/index.md", Bundle: true, Attachments: []string{"scan.pdf"}}
		c, err := ParseFile(root, e)
		if err != nil {
			t.Fatal(err)
		}
		if c.File != e.Path || c.ID != "A-1" || !c.Bundle || !reflect.DeepEqual(c.Attachments, e.Attachments) || !c.IDMatchesFile() {
			t.Errorf("case = %+v", c)
		}
	})
	t.Run("too large is refused before reading", func(t *testing.T) {
		_, err := ParseFile(root, Entry{Path: "cases/A-2.md"}, WithMaxBytes(64))
		var pe *msg.FileError
		if !errors.As(err, &pe) || pe.File != "cases/A-2.md" || !pe.Msg.Has("larger than the limit of 64 bytes") {
			t.Errorf("err = %v, want a size ParseError", err)
		}
	})
	t.Run("symlink refused", func(t *testing.T) {
		_, err := ParseFile(root, Entry{Path: "cases/link.md"})
		var pe *msg.FileError
		if !errors.As(err, &pe) || pe.Msg.En != "symlink not followed" {
			t.Errorf("err = %v, want a symlink ParseError", err)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		_, err := ParseFile(root, Entry{Path: "cases/nope.md"})
		if !errors.Is(err, os.ErrNotExist) {
			t.Errorf("err = %v, want not-exist", err)
		}
	})
}

func TestDiscover_ThenParseEveryEntry(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"cases/2026/09/30/BANK-2026-0007.md":       bankCase,
		"cases/2026/09/30/BANK-2026-0008/index.md": caseText("BANK-2026-0008"),
		"cases/2026/09/30/BANK-2026-0008/a.pdf":    "%PDF",
	})
	entries, problems, err := Discover(root)
	if err != nil || len(problems) != 0 || len(entries) != 2 {
		t.Fatalf("Discover = %v, %v, %v", entries, problems, err)
	}
	for _, e := range entries {
		c, err := ParseFile(root, e)
		if err != nil {
			t.Fatalf("ParseFile(%s): %v", e.Path, err)
		}
		if !c.IDMatchesFile() {
			t.Errorf("%s: id %q does not match %q", e.Path, c.ID, StemID(e.Path))
		}
	}
}
