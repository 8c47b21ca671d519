package validate

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"github.com/casebook/casebook/internal/binfmt"
	"github.com/casebook/casebook/internal/cases"
)

// TestJudged_FindingRoundTrip fills every field of a Finding but
// Acknowledged (set after the cache is written) and reads it back: a
// field added to Finding and forgotten by the cache fails here.
func TestJudged_FindingRoundTrip(t *testing.T) {
	var f Finding
	v := reflect.ValueOf(&f).Elem()
	for i := 0; i < v.NumField(); i++ {
		switch fv := v.Field(i); fv.Kind() {
		case reflect.String:
			fv.SetString("value " + strconv.Itoa(i) + " 值")
		case reflect.Int:
			fv.SetInt(int64(1000 + i))
		case reflect.Pointer:
			if v.Type().Field(i).Name != "Acknowledged" {
				t.Fatalf("Finding.%s is not written to validate.bin", v.Type().Field(i).Name)
			}
		default:
			t.Fatalf("Finding.%s (%s) is not written to validate.bin", v.Type().Field(i).Name, fv.Kind())
		}
	}
	e := binfmt.Encoder{}
	encodeFinding(&e, f)
	d := &binfmt.Decoder{B: e.B}
	if got := decodeFinding(d); !reflect.DeepEqual(got, f) || d.Err != nil || len(d.B) != 0 {
		t.Fatalf("read back %+v, want %+v (err %v, %d bytes left)", got, f, d.Err, len(d.B))
	}
}

// TestJudged_DamagedFileIsIgnored checks that parseJudged refuses what a
// run must not read: another header, another run key, a torn or flipped
// file.
func TestJudged_DamagedFileIsIgnored(t *testing.T) {
	run := [32]byte{1, 2, 3}
	c := &judgedCache{run: run, next: []judged{{key: [32]byte{9}, since: 42, fs: []Finding{{Code: "field.invalid", File: "cases/A-1.md", Line: 3}}}}, hit: []bool{false}}
	dir := t.TempDir()
	c.dir = dir
	c.save([]*cases.Case{{File: "cases/A-1.md"}})
	if err := CheckCacheFile(dir); err != nil {
		t.Fatalf("a file just written does not check out: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(dir, CacheFile))
	if err != nil {
		t.Fatal(err)
	}
	m, err := parseJudged(b, run)
	if err != nil || len(m) != 1 || m["cases/A-1.md"].since != 42 {
		t.Fatalf("read back %v, %v", m, err)
	}
	// An entry read back is written back byte for byte, its findings
	// decoded only when asked for.
	again := &judgedCache{dir: t.TempDir(), run: run, next: []judged{m["cases/A-1.md"]}, hit: []bool{true}}
	again.save([]*cases.Case{{File: "cases/A-1.md"}})
	if b2, err := os.ReadFile(filepath.Join(again.dir, CacheFile)); err != nil || !bytes.Equal(b2, b) {
		t.Fatalf("written back: %q (%v), want %q", b2, err, b)
	}
	if fs := m["cases/A-1.md"].findings(); !reflect.DeepEqual(fs, c.next[0].fs) {
		t.Fatalf("findings read back %+v, want %+v", fs, c.next[0].fs)
	}
	flipped := append([]byte(nil), b...)
	flipped[len(flipped)/2] ^= 1
	for name, bad := range map[string][]byte{
		"torn":         b[:len(b)-3],
		"flipped":      flipped,
		"other header": append([]byte("casebook-validate-cache 0\n"), b[len(judgedMagic):]...),
		"empty":        nil,
	} {
		if _, err := parseJudged(bad, run); err == nil {
			t.Errorf("%s: read as sound", name)
		}
	}
	if _, err := parseJudged(b, [32]byte{4}); err == nil {
		t.Error("a file of another run key was read")
	}
}
