package validate

import (
	"bufio"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/msg"
)

var update = flag.Bool("update", false, "rewrite the README's finding-code table from Table")

// repoRoot is the module root, two directories up from this package.
const repoRoot = "../.."

// TestTable_Golden guards the severities and acknowledgeability every
// code had before the table: a change to either is a change to what
// validate fails on, and must be made here on purpose.
func TestTable_Golden(t *testing.T) {
	f, err := os.Open("testdata/codes.golden")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Fields(line)
		if len(parts) != 3 {
			t.Fatalf("bad golden line %q", line)
		}
		code, sev, ack := parts[0], parts[1], parts[2]
		want[code] = true
		c, ok := Lookup(code)
		if !ok {
			t.Errorf("%s: not in Table", code)
			continue
		}
		if string(c.Severity) != sev {
			t.Errorf("%s: severity %s, want %s", code, c.Severity, sev)
		}
		gotAck := map[AckKind]string{AckNever: "no", AckAlways: "yes", AckInHistory: "in-history"}[c.Ack]
		if gotAck != ack {
			t.Errorf("%s: acknowledgeable %s, want %s", code, gotAck, ack)
		}
	}
	for _, c := range Table {
		if !want[c.ID] {
			t.Errorf("%s: in Table but not in testdata/codes.golden (add it there with its severity)", c.ID)
		}
	}
}

// TestTable_Entries checks every entry is documented in both languages
// and that Codes and Acknowledgeable agree with it.
func TestTable_Entries(t *testing.T) {
	codeShape := regexp.MustCompile(`^[a-z]+\.[a-z_]+$`)
	for _, c := range Table {
		if !codeShape.MatchString(c.ID) {
			t.Errorf("%q: not a code of the shape area.name", c.ID)
		}
		if c.Severity != Error && c.Severity != Warning && c.Severity != Info {
			t.Errorf("%s: severity %q", c.ID, c.Severity)
		}
		if c.Doc.Zh == "" || c.Doc.En == "" || c.Label.Zh == "" || c.Label.En == "" {
			t.Errorf("%s: label and documentation are needed in Chinese and English", c.ID)
		}
		for v, say := range c.Says {
			if say.Msg.Zh == "" || say.Msg.En == "" || (say.Fix.Zh == "") != (say.Fix.En == "") {
				t.Errorf("%s %s: a template is given in one language only", c.ID, v)
			}
			for _, tmpl := range []Text{say.Msg, say.Fix} {
				if zh, en := strings.Join(sorted(msg.Names(tmpl.Zh)), ","), strings.Join(sorted(msg.Names(tmpl.En)), ","); zh != en {
					t.Errorf("%s %s: the Chinese template uses {%s}, the English one {%s}", c.ID, v, zh, en)
				}
				if strings.Contains(tmpl.Zh, "`") {
					t.Errorf("%s %s: Markdown backticks in the Chinese words: %s", c.ID, v, tmpl.Zh)
				}
			}
		}
		if Codes[c.ID] != c.Severity {
			t.Errorf("%s: Codes says %s, Table %s", c.ID, Codes[c.ID], c.Severity)
		}
	}
}

func TestAcknowledgeable(t *testing.T) {
	tests := []struct {
		name string
		f    Finding
		want bool
	}{
		{"a deleted case can be acknowledged", Finding{Code: "history.deleted"}, true},
		{"a version in history that does not parse can be acknowledged", Finding{Code: "parse.error", Commit: "abc1234"}, true},
		{"a work-tree file that does not parse is fixed, not acknowledged", Finding{Code: "parse.error"}, false},
		{"an overdue case is fixed, not acknowledged", Finding{Code: "deadline.overdue", Commit: "abc1234"}, false},
		{"an id collision is renumbered, not acknowledged", Finding{Code: "id.collision"}, false},
		{"a code not in the table is not acknowledged", Finding{Code: "no.such"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Acknowledgeable(tt.f); got != tt.want {
				t.Errorf("Acknowledgeable(%+v) = %v, want %v", tt.f, got, tt.want)
			}
		})
	}
}

func TestBlocksWrite(t *testing.T) {
	tests := []struct {
		name, code string
		want       Block
	}{
		{"a value outside the policy's list is bad input", "field.invalid", BlockInput},
		{"an undeclared key is bad input", "field.unknown", BlockInput},
		{"a file that does not parse is bad input", "parse.error", BlockInput},
		{"a missing required field is not allowed", "field.required", BlockForbidden},
		{"an illegal transition is not allowed", "transition.illegal", BlockForbidden},
		{"a failed rule is not allowed", "rule.failed", BlockForbidden},
		{"a handler who is the respondent is not allowed", "recusal.conflict", BlockForbidden},
		{"an overdue clock does not stop a write", "deadline.overdue", BlockNone},
		{"plain-text personal data does not stop a write", "pii.plaintext", BlockNone},
		{"a code not in the table does not stop a write", "no.such", BlockNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := BlocksWrite(tt.code); got != tt.want {
				t.Errorf("BlocksWrite(%q) = %v, want %v", tt.code, got, tt.want)
			}
		})
	}
}

// emitted finds the code literals production code puts into findings:
// Code: "x.y", finding(r, "x.y", ...), findingSays(r, "x.y", ...), severityOf("x.y"), Codes["x.y"],
// CodeLabel("x.y", ...), w.Code, ... = "x.y".
var emitted = regexp.MustCompile(`(?:Code: |finding(?:Says)?\(r, |severityOf\(|Codes\[|CodeLabel\(|\.Code, [a-zA-Z.]+ = )"([a-z]+\.[a-z_]+)"`)

// codeSet finds literals of codes used as a set: a map key or a case list.
var codeSet = regexp.MustCompile(`(?m)^\s*(?:"([a-z]+\.[a-z_]+)":|case "([a-z]+\.[a-z_]+)",)`)

// productionGo lists the module's non-test Go files outside
// internal/doctor, whose codes (object.*, lock.*, cache.*) are its own.
func productionGo(t *testing.T) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, dir := range []string{"cmd", "internal"} {
		err := filepath.WalkDir(filepath.Join(repoRoot, dir), func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "testdata" || d.Name() == "doctor") {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files[filepath.ToSlash(p)] = string(data)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// TestTable_Complete checks that every code put into a finding is in
// Table, that every code of Table is put into a finding somewhere, and
// that no second list of codes (a map keyed by codes, a case listing
// several) exists outside codes.go.
func TestTable_Complete(t *testing.T) {
	used := map[string]bool{}
	for p, src := range productionGo(t) {
		for _, m := range emitted.FindAllStringSubmatch(src, -1) {
			used[m[1]] = true
			if _, ok := Lookup(m[1]); !ok {
				t.Errorf("%s: emits %q, which is not in validate.Table", p, m[1])
			}
		}
		if strings.HasSuffix(p, "internal/validate/codes.go") {
			continue
		}
		for _, m := range codeSet.FindAllStringSubmatch(src, -1) {
			code := m[1] + m[2]
			if _, ok := Lookup(code); ok {
				t.Errorf("%s: lists %q in a set of codes of its own; read the property from validate.Table", p, code)
			}
		}
	}
	for _, c := range Table {
		if !used[c.ID] {
			t.Errorf("%s: in Table but no production code emits it", c.ID)
		}
	}
}

// readmeCodes is the README's "## Finding codes" section as Table
// renders it.
func readmeCodes() string {
	return "## Finding codes\n\n" +
		"Generated from `internal/validate/codes.go` (the table `validate.Table`); refresh with\n" +
		"`go test ./internal/validate -run TestREADME_FindingCodes -update`. *acknowledgeable*: whether\n" +
		"`policies/acknowledged.yaml` may accept it (*in history*: only for a version in history, which names\n" +
		"a commit). *stops a write*: whether `new`, `move`, `set` and `correct` refuse a change that would\n" +
		"leave an error of the code, as bad input (exit 2) or as not allowed by the policy (exit 1).\n\n" +
		CodesMarkdown() + "\n"
}

// TestREADME_FindingCodes checks the README's table of finding codes is
// exactly what Table renders; -update rewrites it.
func TestREADME_FindingCodes(t *testing.T) {
	path := filepath.Join(repoRoot, "README.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	start := strings.Index(s, "\n## Finding codes\n")
	if start < 0 {
		t.Fatal("README.md has no section ## Finding codes")
	}
	start++
	end := strings.Index(s[start+1:], "\n## ")
	if end < 0 {
		end = len(s)
	} else {
		end += start + 2
	}
	got, want := s[start:end], readmeCodes()
	if got == want {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(s[:start]+want+s[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's ## Finding codes is not what validate.Table renders; run\n  go test ./internal/validate -run TestREADME_FindingCodes -update\n--- README\n%s\n--- Table\n%s", got, want)
}

func sorted(s []string) []string { slices.Sort(s); return s }
