package deps

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// minimum is the first version of a module with its latest security fix.
type minimum struct {
	path, version string
	// advisories are the fixes that version carries, for whoever bumps
	// the row: the CVE/GHSA/GO ids and what they are about.
	advisories string
}

// minimums: when an advisory lands for a module in the build, raise its
// row (or add one) and cite the advisory; govulncheck (see SECURITY.md)
// finds them, this test keeps them from coming back through a downgrade.
var minimums = []minimum{
	// XSS: IsDangerousURL checked link destinations before resolving
	// entities, so an entity-encoded javascript: URI got through. The
	// site renders case bodies with goldmark.
	{"github.com/yuin/goldmark", "v1.7.17", "CVE-2026-5160 / GO-2026-5320"},
	// Crafted YAML made the decoder panic (CVE-2022-28948, GO-2022-0603,
	// fixed by the v3.0.0 line); v3.0.1 is the release issue #5 asks for.
	// Case files and policies are decoded with yaml.v3.
	{"gopkg.in/yaml.v3", "v3.0.1", "CVE-2022-28948 / GO-2022-0603"},
	// Billion-laughs style alias expansion exhausted memory.
	{"gopkg.in/yaml.v2", "v2.2.8", "CVE-2019-11254 / GO-2020-0036"},
	// go-git: v5.16.5 CVE-2026-25934 (GO-2026-4473, GHSA-37cx-329c-33x3);
	// v5.17.1 GO-2026-4909 and GO-2026-4910; v5.18.0 CVE-2026-41506
	// (GHSA-3xc5-wrhm-f963, credentials sent on HTTP redirects); v5.19.0
	// CVE-2026-45022 (GHSA-389r-gv7p-r3rp, improper object parsing);
	// v5.19.1 CVE-2026-45571 (GHSA-crhj-59gh-8x96, crafted repositories
	// write into .git), CVE-2026-45570 (GHSA-m7cr-m3pv-hgrp, SSH quoting)
	// and GO-2026-5693 (GHSA-w5pp-99ch-qj29, malformed objects panic or
	// exhaust resources: casebook reads any repository it is pointed at).
	// v5.19.2 was published as a security release (2026-08-08); confirm
	// its advisory id when it is announced and cite it here.
	{"github.com/go-git/go-git/v5", "v5.19.2", "GHSA-w5pp-99ch-qj29, GHSA-crhj-59gh-8x96, GHSA-m7cr-m3pv-hgrp, GHSA-389r-gv7p-r3rp, GHSA-3xc5-wrhm-f963 and earlier"},
	// x/crypto: v0.52.0 fixed the May 2026 ssh batch (CVE-2026-39827..
	// 39835, CVE-2026-42508, CVE-2026-46595/46597/46598); v0.55.0
	// CVE-2026-56854 (ssh source-address restrictions not enforced);
	// v0.56.0 CVE-2026-56855 and CVE-2026-78662. go-git and age pull it in.
	{"golang.org/x/crypto", "v0.56.0", "CVE-2026-56855, CVE-2026-78662, CVE-2026-56854, CVE-2026-42508 and earlier"},
	// x/net: v0.53.0 HTTP/2 CVE-2026-33814 (GO-2026-4918) and
	// CVE-2026-27141 (GO-2026-4559); v0.55.0 x/net/html XSS and DoS
	// CVE-2026-25680, -25681, -27136, -42502 (GO-2026-5027) and idna
	// CVE-2026-42506, CVE-2026-39821.
	{"golang.org/x/net", "v0.55.0", "CVE-2026-42502 / GO-2026-5027, CVE-2026-33814 and earlier"},
	// age: a plugin name could name a path to run (GHSA-32gq-x56h-299c,
	// fixed in v1.2.1). Personal data is sealed with age.
	{"filippo.io/age", "v1.2.1", "GHSA-32gq-x56h-299c"},
	// x/mod: a malicious GOSUMDB or GOPROXY could serve module content
	// outside the transparency log (CVE-2026-56864, CVE-2026-56865, fixed
	// in v0.40.0). casebook imports none of its packages; it is in the
	// graph through golang.org/x/tools, so it is reported, not failed,
	// until something in the build imports it.
	{"golang.org/x/mod", "v0.40.0", "CVE-2026-56864, CVE-2026-56865 / GO-2026-6180"},
}

// module is one line of `go list -m -json all`.
type module struct {
	Path    string
	Version string
	Replace *module
	Main    bool
}

// TestDependencies_NoneOlderThanItsSecurityFix reads the module graph
// and fails for a module in the build older than its row of minimums. A
// module in the graph whose packages no package of casebook (or its
// tests) imports is only logged: it is not in the binary.
func TestDependencies_NoneOlderThanItsSecurityFix(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go tool is not installed")
	}
	graph := map[string]string{}
	out := goCmd(t, gobin, "list", "-m", "-json", "all")
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var m module
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list -m -json all: %v", err)
		}
		v := m.Version
		if m.Replace != nil && m.Replace.Version != "" {
			v = m.Replace.Version
		}
		if !m.Main {
			graph[m.Path] = v
		}
	}
	// -e: a package that does not compile still lists its imports.
	built := map[string]bool{}
	for _, p := range strings.Fields(string(goCmd(t, gobin, "list", "-e", "-deps", "-test", "-f", "{{with .Module}}{{.Path}}{{end}}", "github.com/casebook/casebook/..."))) {
		built[p] = true
	}
	fails, notes := check(graph, built, minimums)
	for _, n := range notes {
		t.Log(n)
	}
	for _, f := range fails {
		t.Error(f)
	}
}

func goCmd(t *testing.T, gobin string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(gobin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// check compares the graph's versions with the minimums: fails for
// modules in the build, notes for the others.
func check(graph map[string]string, built map[string]bool, mins []minimum) (fails, notes []string) {
	for _, m := range mins {
		v, ok := graph[m.path]
		if !ok {
			continue // not a dependency (any more)
		}
		if compare(v, m.version) >= 0 {
			continue
		}
		msg := m.path + " " + v + " is older than " + m.version + ", which fixes " + m.advisories +
			" (fix: go get " + m.path + "@" + m.version + " or later)"
		if built[m.path] {
			fails = append(fails, msg)
		} else {
			notes = append(notes, msg+"; not in the build, so not failed")
		}
	}
	return fails, notes
}

// compare orders two module versions as semver does for what Go modules
// use: vMAJOR.MINOR.PATCH, a pre-release (pseudo-versions are
// pre-releases) before its release, +incompatible ignored. It returns -1,
// 0 or +1.
func compare(a, b string) int {
	an, apre := split(a)
	bn, bpre := split(b)
	for i := range an {
		if an[i] != bn[i] {
			if an[i] < bn[i] {
				return -1
			}
			return 1
		}
	}
	switch {
	case apre == bpre:
		return 0
	case apre == "":
		return 1
	case bpre == "":
		return -1
	case apre < bpre:
		return -1
	}
	return 1
}

func split(v string) ([3]int, string) {
	v = strings.TrimPrefix(v, "v")
	v, _, _ = strings.Cut(v, "+")
	core, pre, _ := strings.Cut(v, "-")
	var n [3]int
	for i, p := range strings.SplitN(core, ".", 3) {
		n[i], _ = strconv.Atoi(p)
	}
	return n, pre
}

func TestCompare(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want int
	}{
		{"equal", "v1.7.17", "v1.7.17", 0},
		{"patch numbers compare as numbers", "v1.7.9", "v1.7.17", -1},
		{"minor beats patch", "v1.8.0", "v1.7.17", 1},
		{"major", "v2.2.8", "v3.0.1", -1},
		{"pseudo-version before its release", "v5.19.2-0.20260801000000-abcdef123456", "v5.19.2", -1},
		{"pseudo-version after the previous release", "v5.19.2-0.20260801000000-abcdef123456", "v5.19.1", 1},
		{"incompatible suffix ignored", "v2.4.0+incompatible", "v2.4.0", 0},
		{"x/crypto minor numbers", "v0.9.0", "v0.56.0", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := compare(tt.a, tt.b); got != tt.want {
				t.Errorf("compare(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

// TestCheck_FailsOnAnOldVersionInTheBuild guards the test above: it must
// be able to fail.
func TestCheck_FailsOnAnOldVersionInTheBuild(t *testing.T) {
	mins := []minimum{{"github.com/yuin/goldmark", "v1.7.17", "CVE-2026-5160"}, {"golang.org/x/mod", "v0.40.0", "CVE-2026-56864"}}
	graph := map[string]string{"github.com/yuin/goldmark": "v1.7.16", "golang.org/x/mod": "v0.39.0"}
	fails, notes := check(graph, map[string]bool{"github.com/yuin/goldmark": true}, mins)
	if len(fails) != 1 || !strings.Contains(fails[0], "goldmark v1.7.16 is older than v1.7.17") || !strings.Contains(fails[0], "CVE-2026-5160") {
		t.Errorf("fails = %q", fails)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "golang.org/x/mod v0.39.0") {
		t.Errorf("notes = %q", notes)
	}
	if fails, _ := check(map[string]string{"github.com/yuin/goldmark": "v1.8.7"}, map[string]bool{"github.com/yuin/goldmark": true}, mins); len(fails) != 0 {
		t.Errorf("a fixed version failed: %q", fails)
	}
}
