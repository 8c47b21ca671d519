package cli

import (
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/casebook/casebook/internal/scaffold"
)

// moduleVersion is this casebook's version as go install takes it after
// @: the module version the go command recorded in the binary when it was
// installed with go install ...@v1.2.0 (a pseudo-version for a commit),
// else Version, set at build time. A build from a work tree with
// uncommitted changes ("+dirty") has no version of its own to record.
func moduleVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; v != "" && v != "(devel)" && !strings.Contains(v, "+") {
			return v
		}
	}
	return "v" + strings.TrimPrefix(Version, "v")
}

// isDevVersion tells a version no module proxy can serve: a development
// build's, which no release tag names.
func isDevVersion(v string) bool {
	return strings.Contains(v, "-dev")
}

var goRelease = regexp.MustCompile(`^go([0-9]+\.[0-9]+)`)

// goVersion is the Go release ("1.26") that built this casebook, for the
// CI files to build it with; a development toolchain gives the default.
func goVersion() string {
	if m := goRelease.FindStringSubmatch(runtime.Version()); m != nil {
		return m[1]
	}
	return scaffold.DefaultGoVersion
}
