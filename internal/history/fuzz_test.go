package history

import (
	"sort"
	"testing"
)

// FuzzDecode checks that the scanner never panics and always returns
// sorted, unique keys, whatever the bytes.
func FuzzDecode(f *testing.F) {
	f.Add([]byte("---\nid: A-1\nstatus: received\n---\n"))
	f.Add([]byte("---\nid: \"A\nstatus:\n  - x\n# c\n---"))
	f.Add([]byte("---\r\n:\r\n---\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := Decode(data)
		if !sort.SliceIsSorted(s.Keys, func(i, j int) bool { return s.Keys[i].Key < s.Keys[j].Key }) {
			t.Fatalf("keys not sorted: %v", s.Keys)
		}
		for i := 1; i < len(s.Keys); i++ {
			if s.Keys[i].Key == s.Keys[i-1].Key {
				t.Fatalf("duplicate key %q", s.Keys[i].Key)
			}
		}
	})
}

// FuzzParseMessage checks the message splitter on arbitrary text.
func FuzzParseMessage(f *testing.F) {
	f.Add("A-1: received -> assigned\n\nnote\n\nCasebook-Case: A-1\n")
	f.Add("x\n\n\n  \n\ty\n\nK: v\n  cont\n")
	f.Fuzz(func(t *testing.T, msg string) {
		_, _, tr := parseMessage(msg)
		for _, x := range tr {
			if x.Key == "" {
				t.Fatalf("bad trailer %+v", x)
			}
		}
	})
}
