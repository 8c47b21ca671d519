//go:build unix

package cases

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/casebook/casebook/internal/msg"
)

// A FIFO under cases/ must be refused, not waited on: openRegular opens
// before it stats, so the open must not block for a writer.
func TestParseFile_FIFOIsRefused(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "cases"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(root, "cases", "pipe.md"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	e := Entry{Path: "cases/pipe.md"}
	tests := []struct {
		name  string
		parse func() (*Case, error)
	}{
		{"ParseFile", func() (*Case, error) { return ParseFile(root, e) }},
		{"Cache.ParseFile", func() (*Case, error) { return OpenCache(t.TempDir()).ParseFile(root, e) }},
	}
	for _, tc := range tests {
		_, err := tc.parse()
		var pe *msg.FileError
		if !errors.As(err, &pe) || pe.Msg.En != "not a regular file" {
			t.Errorf("%s: err = %v, want not a regular file", tc.name, err)
		}
	}
}
