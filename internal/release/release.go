// Package release tells which casebook this binary is: its module version,
// as go install takes it after @, and the Go release that built it. The CI
// files init writes pin both, so an office's CI judges as its clerks'
// casebook does.
package release

import (
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
)

// Version is set at build time with
// -ldflags "-X github.com/casebook/casebook/internal/release.Version=1.2.0".
var Version = "0.1.0-dev"

// DefaultGo is the Go release Go reports for a development toolchain: the
// one go.mod requires.
const DefaultGo = "1.26"

// Module is this casebook's module version ("v1.2.0"): the one the go
// command recorded in the binary when it was installed with
// go install ...@v1.2.0 (a pseudo-version for a commit), else Version. A
// build from a work tree with uncommitted changes ("+dirty") has no
// version of its own to record.
func Module() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; v != "" && v != "(devel)" && !strings.Contains(v, "+") {
			return v
		}
	}
	return "v" + strings.TrimPrefix(Version, "v")
}

// IsDev tells a version no module proxy serves: a development build's,
// which no release tag names.
func IsDev(v string) bool {
	return strings.Contains(v, "-dev")
}

var goRelease = regexp.MustCompile(`^go([0-9]+\.[0-9]+)`)

// Go is the Go release ("1.26") that built this casebook; DefaultGo for a
// development toolchain.
func Go() string {
	if m := goRelease.FindStringSubmatch(runtime.Version()); m != nil {
		return m[1]
	}
	return DefaultGo
}
