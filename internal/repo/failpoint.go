package repo

import "os"

// failpointEnv names the test-only environment variable that makes the process exit with
// status 137, as if killed, right after the named step (see the package doc).
const failpointEnv = "CASEBOOK_TEST_FAILPOINT"

// Steps of a commit, in order, as reported to failpoints.
const (
	stepLocked  = "locked"  // the casebook lock is held
	stepObjects = "objects" // blobs, trees and the commit are stored
	stepFiles   = "files"   // the work-tree files are written (index.lock held)
	stepIndex   = "index"   // the new index is written into index.lock
	stepRef     = "ref"     // the branch points at the new commit
	stepDone    = "done"    // the index is in place; only the lock remains to release
)

// failpoint, set only by this package's tests (export_test.go), runs after each step; an
// error it returns aborts the commit there, as a failure of that step would.
var failpoint func(step string) error

func reach(step string) error {
	if v := os.Getenv(failpointEnv); v != "" && v == step {
		os.Exit(137)
	}
	if failpoint != nil {
		return failpoint(step)
	}
	return nil
}
