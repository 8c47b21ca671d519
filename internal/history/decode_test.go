package history

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/cases"
)

// statusClosedSpellings are YAML spellings of status closed; the full parse
// reads each as "closed", and so must Decode.
var statusClosedSpellings = map[string]string{
	"plain":              "---\nid: A-1\nstatus: closed\n---\n",
	"single-quoted":      "---\nid: A-1\nstatus: 'closed'\n---\n",
	"double-quoted":      "---\nid: A-1\nstatus: \"closed\"\n---\n",
	"quoted key":         "---\nid: A-1\n\"status\": closed\n---\n",
	"single-quoted key":  "---\nid: A-1\n'status': closed\n---\n",
	"flow mapping root":  "---\n{id: A-1, status: closed}\n---\n",
	"value on next line": "---\nid: A-1\nstatus:\n  closed\n---\n",
	"str tag":            "---\nid: A-1\nstatus: !!str closed\n---\n",
	"escape":             "---\nid: A-1\nstatus: \"clo\\u0073ed\"\n---\n",
	"hex escape":         "---\nid: A-1\nstatus: \"\\x63losed\"\n---\n",
	"strip block scalar": "---\nid: A-1\nstatus: |-\n  closed\n---\n",
	"folded strip":       "---\nid: A-1\nstatus: >-\n  closed\n---\n",
	"explicit key":       "---\nid: A-1\n? status\n: closed\n---\n",
	"comment after":      "---\nid: A-1\nstatus: closed # done\n---\n",
	"BOM":                "\uFEFF---\nid: A-1\nstatus: closed\n---\n",
	"CRLF":               "---\r\nid: A-1\r\nstatus: closed\r\n---\r\n",
	"blank line first":   "\n---\nid: A-1\nstatus: closed\n---\n",
	"quoted id":          "---\n\"id\": \"A-1\"\nstatus: closed\n---\n",
	"closing with space": "---\nid: A-1\nstatus: closed\n--- \n",
}

func TestDecode_StatusSpellings(t *testing.T) {
	for name, in := range statusClosedSpellings {
		t.Run(name, func(t *testing.T) {
			c, err := cases.Parse("", []byte(in))
			if err != nil {
				t.Fatalf("full parse: %v", err)
			}
			if c.Status != "closed" || c.ID != "A-1" {
				t.Fatalf("full parse reads id %q status %q", c.ID, c.Status)
			}
			s := Decode([]byte(in))
			if s.Err != "" || s.ID != "A-1" || s.Status != "closed" {
				t.Errorf("Decode = %+v, want A-1 closed", s)
			}
			if _, ok := s.Hash("status"); !ok {
				t.Error("no fingerprint for status")
			}
		})
	}
}

// TestDecode_NotClosed guards the spellings that look like closed but are
// not, and the files that are no case at all.
func TestDecode_NotClosed(t *testing.T) {
	tests := []struct {
		name, in, status string
		err              bool
	}{
		{"block scalar keeps the newline", "---\nid: A-1\nstatus: |\n  closed\n---\n", "closed\n", false},
		{"duplicate status", "---\nid: A-1\nstatus: received\nstatus: closed\n---\n", "", true},
		{"status in a comment", "---\nid: A-1\n# status: closed\nstatus: received\n---\n", "received", false},
		{"status a list", "---\nid: A-1\nstatus: [closed]\n---\n", "", false},
		{"status null", "---\nid: A-1\nstatus: null\n---\n", "", false},
		{"status true", "---\nid: A-1\nstatus: true\n---\n", "", false},
		{"anchor", "---\nid: A-1\nstatus: &s closed\n---\n", "", true},
		{"unclosed", "---\nid: A-1\nstatus: closed\n", "", true},
		{"indented closing delimiter", "---\nid: A-1\nstatus: closed\n  ---\n---\n", "", true},
		{"bad escape", "---\nid: A-1\nstatus: \"clo\\qsed\"\n---\n", "", true},
		{"duplicate key elsewhere", "---\nid: A-1\nstatus: closed\ntitle: a\ntitle: b\n---\n", "", true},
		{"mapping value in plain", "---\nid: A-1\nstatus: closed: yes\n---\n", "", true},
		{"tab", "---\nid: A-1\nstatus:\tclosed\n---\n", "closed", false},
		{"conflict markers in the body", "---\nid: A-1\nstatus: closed\n---\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> side\n", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Decode([]byte(tt.in))
			if s.Status != tt.status || (s.Err != "") != tt.err {
				t.Errorf("Decode = %+v, want status %q, error %v", s, tt.status, tt.err)
			}
			checkAgainstParse(t, []byte(tt.in))
		})
	}
}

func TestDecode_TooLarge(t *testing.T) {
	in := "---\nid: A-1\nstatus: closed\n---\n" + strings.Repeat("x", cases.DefaultMaxBytes)
	s := Decode([]byte(in))
	if s.Err == "" || s.Status != "" || !strings.Contains(s.Err, "larger than") {
		t.Errorf("Decode of a %d-byte file = %+v, want a size error", len(in), s)
	}
}

// casebookFile is the shape bench/genrepo writes, and Render below the
// shapes casebook writes: all must take the fast path.
const casebookFile = `---
id: BANK-2026-0007
policy: bank
title: 柜台办理业务时服务态度差，要求道歉
status: assigned
received_at: 2026-09-30T10:00:00+08:00
channel: visit
category: attitude
complainant: {name: 王某, phone: "13800000000", anonymous: false}
respondent: {unit: 城关支行, person: 李某}
assignee: 赵某
department: 监察室
leader_opinion: {by: 孙行长, at: 2026-09-30T11:00:00+08:00, opinion: 请监察室按时处理并回复客户}
handler_phone: "0915-0000001"
related: [BANK-2026-0001, BANK-2026-0002]
extensions: []
amount: 50000
---
## 投诉内容

客户反映……
`

// editedFile is what casebook's edits write: nested values in block style.
const editedFile = `---
id: BANK-2026-0001
policy: bank
title: 柜台服务态度差
status: replied
received_at: 2026-11-02T09:00:00+08:00
channel: visit
category: attitude
handled_at: "2026-11-02T15:00:00+08:00"
handler_phone: 0915-1234567
leader_opinion:
  by: 孙行长
  opinion: 同意
related:
  - BANK-2026-0002
  - BANK-2026-0003
extensions:
  - approved_by: 孙行长
    by: 3 working_days
    reason: 需调取监控
    rule: reply
  - {by: 1 working_days, rule: reply}
complainant:
  address:
    city: 汉中
  name: 王某
---
## 投诉内容
`

func TestDecodeSimple_CasebookFiles(t *testing.T) {
	at := time.Date(2026, 9, 30, 10, 0, 0, 0, time.FixedZone("", 8*3600))
	files := map[string][]byte{
		"genrepo": []byte(casebookFile),
		"render": cases.Render([]cases.Field{
			{Key: "id", Value: "BANK-2026-0008"}, {Key: "policy", Value: "bank"},
			{Key: "title", Value: "ATM 吞卡: 未及时处理"}, {Key: "status", Value: "received"},
			{Key: "received_at", Value: at}, {Key: "channel", Value: "phone"},
			{Key: "category", Value: "work_error"},
			{Key: "complainant", Value: map[string]any{"name": "王某", "phone": "13800000000", "anonymous": false}},
			{Key: "respondent", Value: map[string]any{"unit": "城关支行"}},
			{Key: "amount", Value: 60000}, {Key: "rate", Value: 0.5}, {Key: "major", Value: true},
			{Key: "note", Value: "yes"}, {Key: "date", Value: "2026-10-01"}, {Key: "empty", Value: nil},
			{Key: "related", Value: []any{"BANK-2026-0001"}},
		}, "## 投诉内容\n\n内容\n"),
		"edited by casebook": []byte(editedFile),
		"render with a reserved status": cases.Render([]cases.Field{
			{Key: "id", Value: "X-2026-0001"}, {Key: "status", Value: "null"},
		}, ""),
	}
	for name, data := range files {
		t.Run(name, func(t *testing.T) {
			s, ok := decodeSimple(data)
			if !ok {
				t.Fatalf("fast path refused:\n%s", data)
			}
			checkAgainstParse(t, data)
			if s.ID == "" || s.Err != "" {
				t.Errorf("decodeSimple = %+v", s)
			}
		})
	}
}

// checkAgainstParse fails when Decode disagrees with the full parse on the
// id, the status or whether the file is a case, or when the fast path
// accepts the file and its keys or fingerprints differ from the full path's.
func checkAgainstParse(t *testing.T, data []byte) {
	t.Helper()
	c, err := cases.Parse("", data)
	s := Decode(data)
	if (err != nil) != (s.Err != "") {
		t.Fatalf("Decode error %q, full parse error %v", s.Err, err)
	}
	if err != nil {
		if s.ID != "" || s.Status != "" {
			t.Fatalf("Decode of a file that is no case gives id %q status %q", s.ID, s.Status)
		}
	} else if s.ID != c.ID || s.Status != c.Status {
		t.Fatalf("Decode gives id %q status %q, full parse %q %q", s.ID, s.Status, c.ID, c.Status)
	}
	fast, ok := decodeSimple(data)
	if !ok {
		return
	}
	if err != nil {
		t.Fatalf("fast path accepts a file the full parse rejects: %v", err)
	}
	if fast.ID != c.ID || fast.Status != c.Status {
		t.Fatalf("fast path gives id %q status %q, full parse %q %q", fast.ID, fast.Status, c.ID, c.Status)
	}
	var got []string
	for _, k := range fast.Keys {
		got = append(got, k.Key)
	}
	want := slices.Sorted(slices.Values(c.Keys))
	if !slices.Equal(got, want) {
		t.Fatalf("fast path keys %q, full parse %q", got, want)
	}
	full := decodeFull(data)
	if !reflect.DeepEqual(fast.Keys, full.Keys) || fast.Body != full.Body {
		t.Fatalf("fast path fingerprints %v body %x, full path %v body %x", fast.Keys, fast.Body, full.Keys, full.Body)
	}
}

// FuzzDecodeSimple is the differential test of the fast path: for any
// bytes, Decode agrees with package cases' full parse (see
// checkAgainstParse).
func FuzzDecodeSimple(f *testing.F) {
	for _, in := range statusClosedSpellings {
		f.Add([]byte(in))
	}
	f.Add([]byte(casebookFile))
	f.Add([]byte(editedFile))
	for _, in := range []string{
		"---\nid: A-1\nstatus: received\n---\nbody\n",
		"---\nid: 'it''s'\nstatus: \"a # b\" # c\n---\n",
		"---\nk: {a: b, c: \"d\", e: 'f'}\nl: [a, 'b', \"c\"]\nm: {}\nn: []\n---\n",
		"---\nk: a#b\nl: a #b\nm: http://x.y/z\nn: 1:2\n---\n",
		"---\nk: {a: 2026-09-30T10:00:00+08:00}\n---\n",
		"---\nnull: 1\n---\n", "---\ny: n\nNo: off\n---\n",
		"---\nid: ~\nstatus: .inf\n---\n", "---\nid: 12\nstatus: 0x1f\n---\n",
		"---\n# only a comment\n---\n", "---\n---\n", "---\n\n---",
		"---\nk: v\n...\n---\n", "---\nk: v\n---\u3000\n---\n",
		"---\nk: \u2028\n---\n", "---\nk: a\u0085b\n---\n",
		"---\nk: {a: b}x\n---\n", "---\nk: [a, b,]\n---\n",
		"---\nk: {a: b, a: c}\n---\n", "---\nk: [a: b]\n---\n",
		"---\nk: {a: [b]}\n---\n", "---\nk: 'unclosed\n---\n",
		"---\nk: -1\nl: +2\nm: .5\n---\n",
		"---\nkey: value\n" + strings.Repeat("x: 1\n", 2) + "---\n",
		"---\nk:\n  a: b\n  a: c\n---\n", "---\nk:\n  - a\n  -b\n---\n", "---\nk:\n- a\n---\n",
		"---\nk:\n  a: b\n    c: d\n---\n", "---\nk:\n  - a: b\n    c: d\n  - e\n---\n",
		"---\nk:\n   a: 1\n  b: 2\n---\n", "---\nk:\n  -   a: 1\n      b: 2\n---\n",
		"---\nk:\n  a:\n    - x\n  b: 2\n---\n", "---\nid:\n  A-1\nk:\n  # c\n  a: 1\n---\n",
		"---\nk:\n  a: 1\n# c\n  b: 2\n\n  c: 3\n---\n", "---\nk:\n  - a\n - b\n---\n",
		"---\nid: A-1\n---\n>>>>>>> side\n", "---\nid: A-1\n---\n<<<<<<<<\n",
	} {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkAgainstParse(t, data)
	})
}

// BenchmarkDecode compares the fast path on casebook's files with the full
// parse that other spellings take.
func BenchmarkDecode(b *testing.B) {
	for name, in := range map[string]string{
		"generated": casebookFile,
		"edited":    editedFile,
		"fallback":  strings.Replace(editedFile, "\nstatus: replied\n", "\n\"status\": replied\n", 1),
	} {
		b.Run(name, func(b *testing.B) {
			data := []byte(in)
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				Decode(data)
			}
		})
	}
}
