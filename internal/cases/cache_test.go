package cases

import (
	"crypto/sha1"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// cacheCorpus is a range of case files that parse: the package's examples
// and the edge cases the parse cache must reproduce exactly.
var cacheCorpus = []struct{ name, src string }{
	{"bank case", bankCase},
	{"sections case", sectionsCase},
	{"typical case", typicalCase},
	{"byte order mark and CRLF", "\uFEFF---\r\nid: A-1\r\nstatus: received\r\n---\r\n## 投诉内容\r\n\r\n正文\r\n"},
	{"empty front-matter", "---\n---\nbody\n"},
	{"empty mapping", "---\n{}\n---\n"},
	{"no body, no final newline", "---\nid: A-1\n---"},
	{"blank lines before the front-matter", "\n\n---\nid: A-1\n---\n"},
	{"numbers and nulls", "---\nid: A-1\nn: 42\nbig: 18446744073709551615\nneg: -7\nf: 1.5\nnan: .nan\ninf: -.inf\nz: -0.0\nt: true\nno: false\nnothing: ~\n---\n"},
	{"values not kept as written", "---\nid: A-1\ncomplainant: {phone: 013800000000, name: yes}\ntags: [on, \"off\", 0x10]\nnote: null\n---\n"},
	{"nested lists and mappings", "---\nid: A-1\nextensions:\n  - {until: 2026-10-20, days: 5}\n  - [1, [2, 3], {a: {b: c}}]\nempty_list: []\nempty_map: {}\n---\n"},
	{"key with a dot shadowing a nested key", "---\na: {b: 1}\na.b: 2\n---\n"},
	{"core fields of the wrong type", "---\nid: 7\ntitle: [a]\nstatus: {x: 1}\nreceived_at: 2026-13-45\n---\n"},
	{"received_at as a number", "---\nreceived_at: 12\n---\n"},
	{"received_at empty string", "---\nreceived_at: \"\"\n---\n"},
	{"received_at without an offset", "---\nreceived_at: 2026-09-30 10:00\n---\n"},
	{"received_at a bare date", "---\nreceived_at: 2026-09-30\n---\n"},
	{"setext and nested headings", "---\nid: A-1\n---\n标题\n===\n\n### 小节\n\n  缩进\n\n## 空\n<!-- 提示 -->\n\n```\n## 不是标题\n```\n"},
	{"heading title with markup", "---\nid: A-1\n---\n## **处理** `意见` <b>x</b> <http://e.x>\n\n正文\n"},
	{"identical text in two sections", "---\nid: A-1\n---\n## 一\n\n同\n\n## 二\n\n同\n"},
	{"unicode keys and values", "---\n编号: 甲-1\n\"2026\": 年\n'quoted key': \"a\\tb\"\nblock: |\n  第一行\n  第二行\n---\n"},
}

// equalCases reports how two cases differ, "" when they do not. NaN is
// equal to itself here: reflect.DeepEqual would call a case holding .nan
// different from itself.
func equalCases(a, b *Case) string {
	ac, bc := *a, *b
	ac.Fields, bc.Fields = nil, nil
	if !reflect.DeepEqual(ac, bc) {
		return fmt.Sprintf("cases differ:\n got %#v\nwant %#v", ac, bc)
	}
	if !reflect.DeepEqual(nanFree(a.Fields), nanFree(b.Fields)) {
		return fmt.Sprintf("fields differ:\n got %#v\nwant %#v", a.Fields, b.Fields)
	}
	return ""
}

type nanValue struct{}

func nanFree(v any) any {
	switch v := v.(type) {
	case float64:
		if math.IsNaN(v) {
			return nanValue{}
		}
	case []any:
		if v == nil {
			return v
		}
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = nanFree(x)
		}
		return out
	case map[string]any:
		if v == nil {
			return v
		}
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = nanFree(x)
		}
		return out
	}
	return v
}

// writeCase puts src at root/rel and returns its entry.
func writeCase(t testing.TB, root, rel, src string) Entry {
	t.Helper()
	name := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return Entry{Path: rel}
}

// cachedParse parses e through a cache opened on dir, saves it, and says
// whether the case came from the cache.
func cachedParse(t *testing.T, dir, root string, e Entry, opts ...Option) (*Case, bool) {
	t.Helper()
	c := OpenCache(dir, opts...)
	cs, err := c.ParseFile(root, e)
	if err != nil {
		t.Fatalf("cached ParseFile: %v", err)
	}
	if err := c.Save(); err != nil {
		t.Fatalf("Save: %v", err)
	}
	hits, misses := c.Stats()
	if hits+misses != 1 {
		t.Fatalf("Stats = %d hits, %d misses for one file", hits, misses)
	}
	return cs, hits == 1
}

func TestCache_CachedCaseEqualsParsed(t *testing.T) {
	for _, tc := range cacheCorpus {
		t.Run(tc.name, func(t *testing.T) {
			root, dir := t.TempDir(), t.TempDir()
			e := writeCase(t, root, "cases/2026/09/30/A-1.md", tc.src)
			e.Attachments = []string{"scan.pdf"}
			want, err := ParseFile(root, e)
			if err != nil {
				t.Fatalf("ParseFile: %v", err)
			}
			first, hit := cachedParse(t, dir, root, e)
			if hit {
				t.Fatal("first run hit an empty cache")
			}
			if d := equalCases(first, want); d != "" {
				t.Fatalf("parsed through the cache: %s", d)
			}
			second, hit := cachedParse(t, dir, root, e)
			if !hit {
				t.Fatal("second run missed the cache")
			}
			if d := equalCases(second, want); d != "" {
				t.Fatalf("decoded from the cache: %s", d)
			}
		})
	}
}

func TestCache_BundleTakesItsPlaceFromTheEntry(t *testing.T) {
	root, dir := t.TempDir(), t.TempDir()
	// The same bytes as a plain file and as a bundle share one entry.
	plain := writeCase(t, root, "cases/A-1.md", bankCase)
	bundle := writeCase(t, root, "cases/B-1/index.md", bankCase)
	bundle.Bundle, bundle.Attachments = true, []string{"a.jpg", "b.pdf"}
	cachedParse(t, dir, root, plain)
	got, hit := cachedParse(t, dir, root, bundle)
	if !hit {
		t.Fatal("identical bytes under another name missed the cache")
	}
	want, _ := ParseFile(root, bundle)
	if d := equalCases(got, want); d != "" {
		t.Fatal(d)
	}
}

func TestCache_ChangedFileIsReparsed(t *testing.T) {
	root, dir := t.TempDir(), t.TempDir()
	e := writeCase(t, root, "cases/A-1.md", "---\nid: A-1\nstatus: received\n---\n")
	cachedParse(t, dir, root, e)
	writeCase(t, root, e.Path, "---\nid: A-1\nstatus: closed\n---\n")
	got, hit := cachedParse(t, dir, root, e)
	if hit || got.Status != "closed" {
		t.Fatalf("after an edit: hit %v, status %q; want a miss and closed", hit, got.Status)
	}
	if got, hit := cachedParse(t, dir, root, e); !hit || got.Status != "closed" {
		t.Fatalf("third run: hit %v, status %q; want a hit and closed", hit, got.Status)
	}
}

func TestCache_ParseErrorsAreNotCached(t *testing.T) {
	root, dir := t.TempDir(), t.TempDir()
	e := writeCase(t, root, "cases/A-1.md", "---\nid: [\n---\n")
	for run := range 2 {
		c := OpenCache(dir)
		if _, err := c.ParseFile(root, e); err == nil {
			t.Fatalf("run %d: no error for broken YAML", run)
		}
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
		if hits, misses := c.Stats(); hits != 0 || misses != 1 {
			t.Fatalf("run %d: %d hits, %d misses", run, hits, misses)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, cacheFile)); !os.IsNotExist(err) {
		t.Fatalf("a cache file was written for a run without a parsed case: %v", err)
	}
}

func TestCache_BadFileIsIgnoredAndRebuilt(t *testing.T) {
	tests := []struct {
		name    string
		corrupt func([]byte) []byte
	}{
		{"empty", func([]byte) []byte { return nil }},
		{"truncated", func(b []byte) []byte { return b[:len(b)/2] }},
		{"one byte flipped", func(b []byte) []byte { b[len(b)-10] ^= 0x40; return b }},
		{"checksum flipped", func(b []byte) []byte { b[len(b)-1] ^= 1; return b }},
		{"other version", func(b []byte) []byte {
			return []byte(strings.Replace(string(b), cacheMagic, strings.Replace(cacheMagic, "cache", "cache 0.", 1), 1))
		}},
		{"garbage", func([]byte) []byte { return []byte("not a cache at all") }},
		{"trailing bytes", func(b []byte) []byte { return append(b, 0) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root, dir := t.TempDir(), t.TempDir()
			e := writeCase(t, root, "cases/A-1.md", bankCase)
			cachedParse(t, dir, root, e)
			name := filepath.Join(dir, cacheFile)
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, tc.corrupt(b), 0o644); err != nil {
				t.Fatal(err)
			}
			got, hit := cachedParse(t, dir, root, e)
			if hit {
				t.Fatal("a damaged cache file answered")
			}
			want, _ := ParseFile(root, e)
			if d := equalCases(got, want); d != "" {
				t.Fatal(d)
			}
			if _, hit := cachedParse(t, dir, root, e); !hit {
				t.Fatal("the damaged cache file was not rebuilt")
			}
		})
	}
}

func TestCache_OptionsChangeInvalidates(t *testing.T) {
	utc9 := time.FixedZone("UTC+9", 9*3600)
	tests := []struct {
		name  string
		first []Option
		then  []Option
		hit   bool
	}{
		{"same options", nil, nil, true},
		{"other location", nil, []Option{WithLocation(utc9)}, false},
		{"other size limit", nil, []Option{WithMaxBytes(1 << 16)}, false},
		{"default location given explicitly", nil, []Option{WithLocation(shanghai())}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root, dir := t.TempDir(), t.TempDir()
			e := writeCase(t, root, "cases/A-1.md", "---\nid: A-1\nreceived_at: 2026-09-30 10:00\n---\n")
			cachedParse(t, dir, root, e, tc.first...)
			got, hit := cachedParse(t, dir, root, e, tc.then...)
			if hit != tc.hit {
				t.Fatalf("hit = %v, want %v", hit, tc.hit)
			}
			want, _ := ParseFile(root, e, tc.then...)
			if d := equalCases(got, want); d != "" {
				t.Fatal(d)
			}
		})
	}
}

func TestCache_NoDirParsesEverything(t *testing.T) {
	root := t.TempDir()
	e := writeCase(t, root, "cases/A-1.md", bankCase)
	for range 2 {
		c := OpenCache("")
		got, err := c.ParseFile(root, e)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
		if hits, misses := c.Stats(); hits != 0 || misses != 1 {
			t.Fatalf("%d hits, %d misses without a cache", hits, misses)
		}
		want, _ := ParseFile(root, e)
		if d := equalCases(got, want); d != "" {
			t.Fatal(d)
		}
	}
}

func TestCache_KeepsOnlyFilesSeen(t *testing.T) {
	root, dir := t.TempDir(), t.TempDir()
	a := writeCase(t, root, "cases/A-1.md", "---\nid: A-1\n---\n")
	b := writeCase(t, root, "cases/B-1.md", "---\nid: B-1\n---\n")
	run := func(es ...Entry) (hits, misses int) {
		c := OpenCache(dir)
		for _, e := range es {
			if _, err := c.ParseFile(root, e); err != nil {
				t.Fatal(err)
			}
		}
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
		return c.Stats()
	}
	run(a, b)
	if h, m := run(a); h != 1 || m != 0 {
		t.Fatalf("run with A only: %d hits, %d misses", h, m)
	}
	if h, m := run(a, b); h != 1 || m != 1 {
		t.Fatalf("B was not dropped when a run did not see it: %d hits, %d misses", h, m)
	}
}

func TestCache_UnchangedRunDoesNotWrite(t *testing.T) {
	root, dir := t.TempDir(), t.TempDir()
	e := writeCase(t, root, "cases/A-1.md", bankCase)
	cachedParse(t, dir, root, e)
	name := filepath.Join(dir, cacheFile)
	before, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	cachedParse(t, dir, root, e)
	after, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	// Save replaces the file by a rename, so a write changes its inode.
	if !os.SameFile(before, after) {
		t.Fatal("a run that only hit the cache rewrote it")
	}
	writeCase(t, root, e.Path, bankCase+"\n补充\n")
	cachedParse(t, dir, root, e)
	if after, _ := os.Stat(name); os.SameFile(before, after) {
		t.Fatal("a run that parsed a changed file did not rewrite the cache")
	}
}

func TestCache_FileIsDeterministic(t *testing.T) {
	var files [2][]byte
	for i := range files {
		root, dir := t.TempDir(), t.TempDir()
		c := OpenCache(dir)
		for j, tc := range cacheCorpus {
			e := writeCase(t, root, fmt.Sprintf("cases/A-%d.md", j), tc.src)
			if _, err := c.ParseFile(root, e); err != nil {
				t.Fatal(err)
			}
		}
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, cacheFile))
		if err != nil {
			t.Fatal(err)
		}
		files[i] = b
	}
	if string(files[0]) != string(files[1]) {
		t.Fatal("the same cases gave two different cache files")
	}
}

func TestHashBlob_IsGitsObjectID(t *testing.T) {
	// `printf 'hello\n' | git hash-object --stdin`
	h := hashBlob([]byte("hello\n"))
	if got := fmt.Sprintf("%x", h); got != "ce013625030ba8dba906f756967f9e9ca394464a" {
		t.Fatalf("hashBlob = %s", got)
	}
}

// fuzzSeeds reads the FuzzParse corpus, so the cache is fuzzed from the
// same interesting files.
func fuzzSeeds(f *testing.F) [][]byte {
	dir := filepath.Join("testdata", "fuzz", "FuzzParse")
	des, err := os.ReadDir(dir)
	if err != nil {
		f.Fatal(err)
	}
	var out [][]byte
	for _, de := range des {
		b, err := os.ReadFile(filepath.Join(dir, de.Name()))
		if err != nil {
			f.Fatal(err)
		}
		_, arg, _ := strings.Cut(string(b), "\n")
		arg = strings.TrimSpace(arg)
		q, ok := strings.CutPrefix(arg, "[]byte(")
		s, err := strconv.Unquote(strings.TrimSuffix(q, ")"))
		if !ok || err != nil {
			f.Fatalf("seed %s: cannot read %q", de.Name(), arg)
		}
		out = append(out, []byte(s))
	}
	return out
}

// FuzzCacheRoundTrip checks that every file that parses comes back from
// its cache entry as an equal case.
func FuzzCacheRoundTrip(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	for _, tc := range cacheCorpus {
		f.Add([]byte(tc.src))
	}
	o := newOptions([]Option{WithMaxBytes(1 << 16)})
	in := newInterner() // shared across inputs, as a run shares it across files
	f.Fuzz(func(t *testing.T, data []byte) {
		want, offs, err := parse("f.md", data, o)
		if err != nil {
			return
		}
		p, err := encodeCase(want, offs, len(data))
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		got, err := decodeCase(p, data, o, in, false)
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		got.fromEntry(Entry{Path: want.File, Bundle: want.Bundle})
		if d := equalCases(got, want); d != "" {
			t.Fatal(d)
		}
		core, err := decodeCase(p, data, o, in, true)
		if err != nil {
			t.Fatalf("decode the core: %v", err)
		}
		core.fromEntry(Entry{Path: want.File, Bundle: want.Bundle})
		if d := equalCases(core, coreOf(want)); d != "" {
			t.Fatal("core only: " + d)
		}
	})
}

// coreOf is c as WithCoreOnly reads it.
func coreOf(c *Case) *Case {
	out := *c
	out.Fields, out.Body, out.Sections, out.coreOnly = nil, "", nil, true
	return &out
}

// TestCache_CoreOnlyIsTheWholeCaseWithoutFieldsAndBody reads every case of
// the corpus through the cache whole and core only.
func TestCache_CoreOnlyIsTheWholeCaseWithoutFieldsAndBody(t *testing.T) {
	for _, tc := range cacheCorpus {
		t.Run(tc.name, func(t *testing.T) {
			root, dir := t.TempDir(), t.TempDir()
			e := writeCase(t, root, "cases/A-1.md", tc.src)
			c := OpenCache(dir)
			want, err := c.ParseFile(root, e)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Save(); err != nil {
				t.Fatal(err)
			}
			asked := 0
			core := OpenCache(dir, WithCoreOnly(func(path string, blob [20]byte) bool {
				asked++
				return path == e.Path && blob == want.Blob
			}))
			got, err := core.ParseFile(root, e)
			if err != nil {
				t.Fatal(err)
			}
			if asked != 1 || !got.CoreOnly() {
				t.Fatalf("asked %d times, CoreOnly %v", asked, got.CoreOnly())
			}
			if d := equalCases(got, coreOf(want)); d != "" {
				t.Fatal(d)
			}
		})
	}
}

// BenchmarkCacheDecode measures the warm path for one typical case: what a
// run pays per unchanged file besides reading and hashing it.
func BenchmarkCacheDecode(b *testing.B) {
	data := []byte(typicalCase)
	o := newOptions(nil)
	c, offs, err := parse("cases/A-1.md", data, o)
	if err != nil {
		b.Fatal(err)
	}
	p, err := encodeCase(c, offs, len(data))
	if err != nil {
		b.Fatal(err)
	}
	in := newInterner()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeCase(p, data, o, in, false); err != nil {
			b.Fatal(err)
		}
	}
}

// TestParseFile_BlobIsGitsName guards the key of what callers derive from
// a file (validate's judged cache): git's name of the bytes, cached or not.
func TestParseFile_BlobIsGitsName(t *testing.T) {
	root, dir := t.TempDir(), t.TempDir()
	e := writeCase(t, root, "cases/A-1.md", bankCase)
	want := sha1.Sum([]byte("blob " + strconv.Itoa(len(bankCase)) + "\x00" + bankCase))
	for _, d := range []string{"", dir, dir} {
		c := OpenCache(d)
		got, err := c.ParseFile(root, e)
		if err != nil {
			t.Fatal(err)
		}
		if got.Blob != want {
			t.Fatalf("cache %q: Blob %x, want %x", d, got.Blob, want)
		}
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
	}
}
