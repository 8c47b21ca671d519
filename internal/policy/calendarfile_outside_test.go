package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadCalendarFile_HostilePaths guards how policies/calendar.yaml is
// read: never through a symbolic link (a cloned repository's link to
// /etc/passwd is not read), not as a folder, not when over the size limit
// (refused before reading), and a missing file is no calendar.
func TestLoadCalendarFile_HostilePaths(t *testing.T) {
	const good = "years:\n  2028:\n    source: {notice: x, checked: false}\n    holidays:\n      - 2028-01-01: 元旦\n"
	tests := []struct {
		name  string
		setup func(t *testing.T, path string)
		msg   string
		fix   string
	}{
		{"missing", func(t *testing.T, path string) {}, "", ""},
		{"a link to /etc/passwd", func(t *testing.T, path string) { setupOK(t, os.Symlink("/etc/passwd", path)) },
			"symlink not followed", "replace the link with the file itself"},
		{"a link to a good file outside the repository", func(t *testing.T, path string) {
			out := filepath.Join(t.TempDir(), "calendar.yaml")
			setupOK(t, os.WriteFile(out, []byte(good), 0o644))
			setupOK(t, os.Symlink(out, path))
		}, "symlink not followed", "replace the link with the file itself"},
		{"a dangling link", func(t *testing.T, path string) { setupOK(t, os.Symlink("nowhere.yaml", path)) },
			"symlink not followed", "replace the link with the file itself"},
		{"a folder", func(t *testing.T, path string) { setupOK(t, os.Mkdir(path, 0o755)) }, "is not a regular file", "make the file readable, or remove it"},
		{"2 MB", func(t *testing.T, path string) {
			setupOK(t, os.WriteFile(path, []byte(good+"#"+strings.Repeat("x", 2<<20)+"\n"), 0o644))
		}, "larger than 1 MiB", "make the file readable, or remove it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), CalendarFile)
			tt.setup(t, path)
			f, errs := LoadCalendarFile(path, "policies/calendar.yaml")
			if tt.msg == "" {
				if f != nil || errs != nil {
					t.Fatalf("LoadCalendarFile = %v, %v; want no calendar and no problem", f, errs)
				}
				return
			}
			if len(errs) != 1 || !errs[0].Msg.Has(tt.msg) || errs[0].Fix.En != tt.fix || errs[0].File != "policies/calendar.yaml" {
				t.Fatalf("problems = %v, want one in policies/calendar.yaml containing %q with fix %q", errs, tt.msg, tt.fix)
			}
		})
	}
}

func setupOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
