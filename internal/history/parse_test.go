package history

import (
	"reflect"
	"testing"
	"time"

	"github.com/go-git/go-billy/v5/memfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		id     string
		status string
		keys   []string
		err    bool
	}{
		{"plain", "---\nid: A-1\nstatus: received\n---\nbody\n", "A-1", "received", []string{"id", "status"}, false},
		{"quoted and commented", "---\nid: \"A-1\"\nstatus: 'replied' \nassignee: x # who\n---\n", "A-1", "replied", []string{"assignee", "id", "status"}, false},
		{"trailing comment", "---\nid: A-1 # the id\nstatus: closed\t# done\n---\n", "A-1", "closed", []string{"id", "status"}, false},
		{"nested and lists", "---\nid: A-1\ncomplainant:\n  name: 王某\n  phone: \"1\"\nrelated:\n- A-2\n- A-3\nstatus: assigned\n---\n", "A-1", "assigned", []string{"complainant", "id", "related", "status"}, false},
		{"comment lines are not keys", "---\n# status: closed\nid: A-1\nstatus: received\n---\n", "A-1", "received", []string{"id", "status"}, false},
		{"CRLF", "---\r\nid: A-1\r\nstatus: received\r\n---\r\n", "A-1", "received", []string{"id", "status"}, false},
		{"no front-matter", "# title\n", "", "", nil, true},
		{"unclosed", "---\nid: A-1\nstatus: received\n", "", "", nil, true},
		{"empty", "", "", "", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Decode([]byte(tt.in))
			if s.ID != tt.id || s.Status != tt.status || (s.Err != "") != tt.err {
				t.Errorf("Decode = %+v", s)
			}
			var keys []string
			for _, k := range s.Keys {
				keys = append(keys, k.Key)
			}
			if !tt.err && !reflect.DeepEqual(keys, tt.keys) {
				t.Errorf("keys = %v, want %v", keys, tt.keys)
			}
		})
	}
}

func TestDecode_FingerprintsFollowRawText(t *testing.T) {
	base := Decode([]byte("---\nid: A-1\ncomplainant:\n  name: 王某\nstatus: received\n---\n"))
	tests := []struct {
		name    string
		in      string
		changed []string
	}{
		{"same text", "---\nid: A-1\ncomplainant:\n  name: 王某\nstatus: received\n---\nother body\n", nil},
		{"nested value", "---\nid: A-1\ncomplainant:\n  name: 李某\nstatus: received\n---\n", []string{"complainant"}},
		{"key added", "---\nid: A-1\ncomplainant:\n  name: 王某\nstatus: received\nrelated: [A-2]\n---\n", []string{"related"}},
		{"key removed", "---\nid: A-1\nstatus: received\n---\n", []string{"complainant"}},
		{"blank line between keys", "---\nid: A-1\n\ncomplainant:\n  name: 王某\nstatus: received\n---\n", nil},
		{"CRLF line endings", "---\r\nid: A-1\r\ncomplainant:\r\n  name: 王某\r\nstatus: received\r\n---\r\n", nil},
		{"CRLF and a nested value", "---\r\nid: A-1\r\ncomplainant:\r\n  name: 李某\r\nstatus: received\r\n---\r\n", []string{"complainant"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := newChangedLists().of(base.Keys, Decode([]byte(tt.in)).Keys, strs{}); !reflect.DeepEqual(got, tt.changed) {
				t.Errorf("changed = %v, want %v", got, tt.changed)
			}
		})
	}
	if h, ok := base.Hash("status"); !ok || h == 0 {
		t.Error("Hash(status) not found")
	}
	if _, ok := base.Hash("nope"); ok {
		t.Error("Hash(nope) found")
	}
}

// TestDecode_BodyLineEndings: the same body with CRLF or LF endings is one
// text (a renormalised closed case is not edited); another text is not.
func TestDecode_BodyLineEndings(t *testing.T) {
	lf := Decode([]byte("---\nid: A-1\nstatus: closed\n---\n## 投诉内容\n\n柜台服务态度差\n"))
	crlf := Decode([]byte("---\r\nid: A-1\r\nstatus: closed\r\n---\r\n## 投诉内容\r\n\r\n柜台服务态度差\r\n"))
	other := Decode([]byte("---\r\nid: A-1\r\nstatus: closed\r\n---\r\n## 投诉内容\r\n\r\n柜台服务态度好\r\n"))
	if lf.Body == 0 || lf.Body != crlf.Body {
		t.Errorf("body hash LF %x, CRLF %x: want equal and non-zero", lf.Body, crlf.Body)
	}
	if other.Body == crlf.Body {
		t.Error("an edited body hashes as the old one")
	}
	// A carriage return that ends no line is text.
	if lone := Decode([]byte("---\nid: A-1\nstatus: closed\n---\n## 投诉内容\n\n柜台服务\r态度差\n")); lone.Body == lf.Body {
		t.Error("a lone CR is ignored")
	}
}

func TestParseMessage(t *testing.T) {
	tests := []struct {
		name     string
		msg      string
		subject  string
		note     string
		trailers map[string][]string
	}{
		{"casebook with note", "A-1: received -> assigned\n\n转办。\n\nCasebook-Case: A-1\nCasebook-Transition: received -> assigned\n",
			"A-1: received -> assigned", "转办。", map[string][]string{"Casebook-Case": {"A-1"}, "Casebook-Transition": {"received -> assigned"}}},
		{"casebook without note", "A-1: new (received)\n\nCasebook-Case: A-1\nCasebook-Transition: new -> received",
			"A-1: new (received)", "", map[string][]string{"Casebook-Case": {"A-1"}, "Casebook-Transition": {"new -> received"}}},
		{"subject only", "fix typo\n", "fix typo", "", nil},
		{"body is not trailers", "fix\n\nsee http://example.com for why\n", "fix", "see http://example.com for why", nil},
		{"mixed last paragraph", "fix\n\nSigned-off-by: x\nnot a trailer\n", "fix", "Signed-off-by: x\nnot a trailer", nil},
		{"repeated trailer and continuation", "x\n\nbody one\n\nbody two\n\nCo-authored-by: a\nCo-authored-by: b\n  continued\n",
			"x", "body one\n\nbody two", map[string][]string{"Co-authored-by": {"a", "b continued"}}},
		{"trailers alone are not the subject", "Casebook-Case: A-1\n", "Casebook-Case: A-1", "", nil},
		{"empty", "", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, n, tr := parseMessage(tt.msg)
			if s != tt.subject || n != tt.note || !reflect.DeepEqual(tr.Map(), tt.trailers) {
				t.Errorf("parseMessage = %q, %q, %v", s, n, tr)
			}
		})
	}
}

// TestRead_GoGitInMemory covers repositories written by go-git, casebook's
// own writer, and storage that is not a packfile on disk.
func TestRead_GoGitInMemory(t *testing.T) {
	fs := memfs.New()
	repo, err := git.Init(memory.NewStorage(), fs)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("", 8*3600))
	write := func(path, content, msg, who string) string {
		f, err := fs.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(content))
		f.Close()
		if _, err := wt.Add(path); err != nil {
			t.Fatal(err)
		}
		at = at.Add(time.Hour)
		sig := &object.Signature{Name: who, Email: who + "@example.com", When: at}
		h, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig})
		if err != nil {
			t.Fatal(err)
		}
		return h.String()
	}
	const p = "cases/2026/03/02/BANK-2026-0001.md"
	write(p, caseFile("BANK-2026-0001", "received"), casebookMsg("BANK-2026-0001", "", "received", ""), "zhao")
	last := write(p, caseFile("BANK-2026-0001", "assigned"), casebookMsg("BANK-2026-0001", "received", "assigned", "转办"), "qian")

	h, err := Read(repo, Options{Prefix: "cases/", Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	c := h.Cases["BANK-2026-0001"]
	if c == nil || !reflect.DeepEqual(steps(c), []step{{"", "received"}, {"received", "assigned"}}) {
		t.Fatalf("history = %+v", h)
	}
	tr := c.Transitions[1]
	if tr.Commit != last || tr.Actor != "qian" || tr.Note != "转办" || !tr.At.Equal(at) || tr.At.Format(time.RFC3339) != "2026-03-02T11:00:00+08:00" {
		t.Errorf("transition = %+v", tr)
	}
	if ok, err := IsAncestor(repo, last[:10]); err != nil || !ok {
		t.Errorf("IsAncestor(HEAD) = %v, %v", ok, err)
	}
}
