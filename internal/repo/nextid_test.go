package repo_test

import (
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/casebook/casebook/internal/repo"
)

func TestNextID(t *testing.T) {
	tests := []struct {
		name      string
		committed map[string]string // files committed with plain git
		work      map[string]string // files only in the work tree
		prefix    string
		year      int
		want      string
	}{
		{name: "empty repository", prefix: "BANK", year: 2026, want: "BANK-2026-0001"},
		{name: "after committed cases, bundles and other policies and years",
			committed: map[string]string{
				"cases/2026/01/05/BANK-2026-0007.md":             "",
				"cases/2026/02/01/BANK-2026-0009/index.md":       "",
				"cases/2026/02/01/BANK-2026-0009/attachment.pdf": "",
				"cases/2026/02/02/FOOD-2026-0042.md":             "",
				"cases/2025/12/31/BANK-2025-0100.md":             "",
				"cases/2026/02/03/BANK-2026-0003.md":             "",
				"cases/2026/02/03/BANK-2026-00x4.md":             "",
			},
			prefix: "BANK", year: 2026, want: "BANK-2026-0010"},
		{name: "counts a case written but not yet committed",
			committed: map[string]string{"cases/2026/01/05/BANK-2026-0007.md": ""},
			work:      map[string]string{"cases/2026/03/02/BANK-2026-0012.md": ""},
			prefix:    "BANK", year: 2026, want: "BANK-2026-0013"},
		{name: "counts a case deleted from the work tree but still in HEAD",
			committed: map[string]string{"cases/2026/01/05/BANK-2026-0020.md": ""},
			work:      map[string]string{"cases/2026/01/05/BANK-2026-0020.md": "-"},
			prefix:    "BANK", year: 2026, want: "BANK-2026-0021"},
		{name: "more digits after 9999",
			committed: map[string]string{"cases/2026/12/30/BANK-2026-9999.md": ""},
			prefix:    "BANK", year: 2026, want: "BANK-2026-10000"},
		{name: "a prefix that is the start of another",
			committed: map[string]string{"cases/2026/01/01/BANKX-2026-0050.md": "", "cases/2026/01/01/bank-2026-0060.md": ""},
			prefix:    "BANK", year: 2026, want: "BANK-2026-0001"},
		{name: "first case of a new year",
			committed: map[string]string{"cases/2025/12/31/BANK-2025-0300.md": ""},
			prefix:    "BANK", year: 2026, want: "BANK-2026-0001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := newRepo(t)
			r := open(t, dir)
			if len(tt.committed) > 0 {
				gitCommitFiles(t, dir, "base", tt.committed)
			}
			for p, data := range tt.work {
				if data == "-" {
					if err := removeFile(dir, p); err != nil {
						t.Fatal(err)
					}
					continue
				}
				writeFile(t, dir, p, data)
			}
			h := head(t, dir)
			if h == "" {
				got, err := repo.NextID(r, dir, tt.prefix, tt.year, nil)
				if err != nil || got != tt.want {
					t.Fatalf("NextID = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			c, err := r.CommitObject(plumbing.NewHash(h))
			if err != nil {
				t.Fatal(err)
			}
			got, err := repo.NextID(r, dir, tt.prefix, tt.year, c)
			if err != nil || got != tt.want {
				t.Fatalf("NextID = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestNextID_BadInput(t *testing.T) {
	dir := newRepo(t)
	for _, tc := range []struct {
		name   string
		prefix string
		year   int
	}{{"empty prefix", "", 2026}, {"two-digit year", "BANK", 26}, {"prefix with a slash", "BA/NK", 2026}} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := repo.NextID(open(t, dir), dir, tc.prefix, tc.year, nil); err == nil {
				t.Error("no error")
			}
		})
	}
}
