package cases

import (
	"testing"
	"unsafe"
)

// TestDecodeCase_SharesNoBytesWithItsInputs guards what lets a warm run
// free the cache file and every case file once decoded: a decoded case
// must not change when both buffers are overwritten afterwards.
func TestDecodeCase_SharesNoBytesWithItsInputs(t *testing.T) {
	o := newOptions(nil)
	in := newInterner()
	for _, tc := range cacheCorpus {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.src)
			want, offs, err := parse("f.md", data, o)
			if err != nil {
				t.Fatal(err)
			}
			p, err := encodeCase(want, offs, len(data))
			if err != nil {
				t.Fatal(err)
			}
			got, err := decodeCase(p, data, o, in, false)
			if err != nil {
				t.Fatal(err)
			}
			for i := range p {
				p[i] = 'x'
			}
			for i := range data {
				data[i] = 'y'
			}
			got.fromEntry(Entry{Path: want.File, Bundle: want.Bundle})
			if d := equalCases(got, want); d != "" {
				t.Fatal(d)
			}
		})
	}
}

// TestDecodeCase_SharesRepeatedValues checks that two cases decoded one
// after the other share their key list and their repeated values rather
// than holding a copy each, and that a different value is not mistaken for
// a shared one.
func TestDecodeCase_SharesRepeatedValues(t *testing.T) {
	o := newOptions(nil)
	in := newInterner()
	decode := func(src string) *Case {
		t.Helper()
		data := []byte(src)
		c, offs, err := parse("f.md", data, o)
		if err != nil {
			t.Fatal(err)
		}
		p, err := encodeCase(c, offs, len(data))
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeCase(p, data, o, in, false)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	a := decode("---\nid: A-1\nstatus: assigned\ndepartment: 信贷管理部\n---\n")
	b := decode("---\nid: A-2\nstatus: assigned\ndepartment: 信贷管理部\n---\n")
	c := decode("---\nid: A-3\nstatus: closed\ndepartment: 个人金融部\nextra: 1\n---\n")
	if &a.Keys[0] != &b.Keys[0] {
		t.Error("identical key lists are held twice")
	}
	if len(a.Keys) != cap(a.Keys) {
		t.Error("a shared key list has room to append into")
	}
	if unsafe.StringData(a.Status) != unsafe.StringData(b.Status) {
		t.Error("repeated status is held twice")
	}
	da, db := a.Fields["department"].(string), b.Fields["department"].(string)
	if unsafe.StringData(da) != unsafe.StringData(db) {
		t.Error("repeated field value is held twice")
	}
	if c.Status != "closed" || c.Fields["department"] != "个人金融部" || len(c.Keys) != 4 || a.ID != "A-1" || b.ID != "A-2" {
		t.Errorf("distinct values mixed up: %q %v %v %q %q", c.Status, c.Fields["department"], c.Keys, a.ID, b.ID)
	}
}

// TestInterner_LongAndEmptyStrings covers the strings the interner does
// not look up.
func TestInterner_LongAndEmptyStrings(t *testing.T) {
	in := newInterner()
	long := make([]byte, internMax+1)
	for i := range long {
		long[i] = 'a'
	}
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"long", long},
		{"short", []byte("受理")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := in.str(tt.in); got != string(tt.in) {
				t.Errorf("str = %q, want %q", got, tt.in)
			}
			if got := in.box(tt.in); got != any(string(tt.in)) {
				t.Errorf("box = %v, want %q", got, tt.in)
			}
		})
	}
}
