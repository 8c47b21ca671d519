package cli

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteFileAtomic_KeepsMode guards `calendar --import --write`: a new
// calendar file is readable by every clerk (0644, not CreateTemp's 0600),
// and a file replaced keeps its mode.
func TestWriteFileAtomic_KeepsMode(t *testing.T) {
	tests := []struct {
		name string
		old  fs.FileMode // 0: no file before
		want fs.FileMode
	}{
		{"a new file", 0, 0o644},
		{"a file kept 0640", 0o640, 0o640},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "policies", "calendar.yaml")
			if tt.old != 0 {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte("years:\n"), tt.old); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(path, tt.old); err != nil { // past the umask
					t.Fatal(err)
				}
			}
			if err := writeFileAtomic(path, []byte("office:\n")); err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != tt.want {
				t.Errorf("mode = %o, want %o", got, tt.want)
			}
		})
	}
}
