package history

import (
	"bytes"
	"encoding/binary"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Snapshot is what history needs to know about one version of a case file:
// its id, its status and a fingerprint of each top-level front-matter key,
// enough to tell transitions and which fields a commit changed.
type Snapshot struct {
	ID     string
	Status string
	// Keys holds each top-level front-matter key with the FNV-64a hash of
	// its raw text (its line and its continuation lines, CRLF read as LF:
	// textHash), sorted by key; a
	// key the line scanner cannot find in the text (a quoted key, a flow
	// mapping) has the hash of its value as parsed. A
	// slice rather than a map: one allocation per version, and comparing
	// two versions is a merge walk.
	Keys []KeyHash
	// Body is the FNV-64a hash of the Markdown body after the front-matter
	// (0 when there is none, CRLF read as LF), so an edit of a closed case's
	// text shows and a change of its line endings does not.
	Body uint64
	// Err is the parse error that makes this version no case file; empty
	// when it is one. ID and Status are then empty too.
	Err string

	// packed holds Keys compactly, for a snapshot read from the cache,
	// whose Keys are then nil: decoding a third of a million key lists up
	// front cost more memory than everything else Read keeps, and a list
	// only serves to compare two versions, once. Each key is the uvarint
	// index of its name in keyNames, then its hash (8 bytes,
	// little-endian); a snapshot without keys (Err set) has packed nil.
	packed []byte
}

// keyNames are the key names that packed key lists refer to, for the
// whole process rather than one cache file, so that a snapshot needs no
// field to find them (a field more in every version would cost megabytes).
// The table grows only with names never seen before: the front-matter keys
// of the offices read, a few dozen each. Readers take no lock: ids index
// the slice published by the append that created them, and appends never
// write where an earlier slice could read.
var keyNames struct {
	mu    sync.Mutex
	ids   map[string]uint64
	names atomic.Pointer[[]string]
}

// keyID returns the index of the name b in keyNames, adding it when new.
func keyID(b []byte) uint64 {
	keyNames.mu.Lock()
	defer keyNames.mu.Unlock()
	if id, ok := keyNames.ids[string(b)]; ok {
		return id
	}
	var names []string
	if p := keyNames.names.Load(); p != nil {
		names = *p
	} else {
		keyNames.ids = map[string]uint64{}
	}
	name := intern(b)
	id := uint64(len(names))
	names = append(names, name)
	keyNames.names.Store(&names)
	keyNames.ids[name] = id
	return id
}

// keyName returns the name keyID gave id.
func keyName(id uint64) (string, bool) {
	p := keyNames.names.Load()
	if p == nil || id >= uint64(len(*p)) {
		return "", false
	}
	return (*p)[id], true
}

// keyList returns the snapshot's keys: Keys, or the packed ones decoded
// into *buf, which the next call may overwrite.
func (s *Snapshot) keyList(buf *[]KeyHash) []KeyHash {
	if s.packed == nil {
		return s.Keys
	}
	out := (*buf)[:0]
	for b := s.packed; len(b) > 0; {
		id, n := binary.Uvarint(b)
		name, ok := keyName(id)
		if n <= 0 || len(b) < n+8 || !ok {
			break // cannot happen: the cache decoder wrote it
		}
		out = append(out, KeyHash{Key: name, Hash: binary.LittleEndian.Uint64(b[n:])})
		b = b[n+8:]
	}
	*buf = out
	return out
}

// KeyHash is the fingerprint of one top-level front-matter key.
type KeyHash struct {
	Key  string
	Hash uint64
}

// Hash returns the fingerprint of key, and whether the key is present.
func (s Snapshot) Hash(key string) (uint64, bool) {
	var buf []KeyHash
	keys := s.keyList(&buf)
	i := sort.Search(len(keys), func(i int) bool { return keys[i].Key >= key })
	if i < len(keys) && keys[i].Key == key {
		return keys[i].Hash, true
	}
	return 0, false
}

// Decode reads what history needs of one version of a case file. The id,
// the status and whether the file is a case at all are exactly what
// package cases reads (Snapshot.Err carries its parse error): front-matter
// simple enough to read line by line, as casebook writes it, takes a fast
// path (decodeSimple), and everything else the full parse (decodeFull).
func Decode(data []byte) Snapshot {
	if s, ok := decodeSimple(data); ok {
		return s
	}
	return decodeFull(data)
}

// scanKeys fingerprints the top-level keys of a front-matter by their raw
// text, without a YAML parser: the front-matter lies between a first line
// `---` and the next `---` line; a top-level key is a line that starts with
// neither a space, `#` nor `-` and holds a colon; the lines after it up to
// the next key belong to it. ok is false when there is no first line `---`.
func scanKeys(data []byte) (keys []KeyHash, ok bool) {
	line, rest, ok := nextLine(data)
	if !ok || !isFence(line) {
		return nil, false
	}
	keys = make([]KeyHash, 0, 16)
	var key string
	var start, end int // raw text of the current key, as offsets into data
	flush := func() {
		if key != "" {
			keys = append(keys, KeyHash{key, textHash(data[start:end])})
		}
	}
	for {
		pos := len(data) - len(rest)
		line, rest, ok = nextLine(rest)
		if !ok || isFence(line) {
			flush()
			return sortKeys(keys), true
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue // blank lines belong to nobody, so adding one changes nothing
		}
		c := line[0]
		if c != ' ' && c != '\t' && c != '#' && c != '-' {
			if i := bytes.IndexByte(line, ':'); i > 0 {
				flush()
				key = intern(bytes.TrimSpace(line[:i]))
				start = pos
				end = pos + len(line)
				continue
			}
		}
		if key != "" && c != '#' {
			end = pos + len(line)
		}
	}
}

// nextLine splits off the first line of b without its line ending.
func nextLine(b []byte) (line, rest []byte, ok bool) {
	if len(b) == 0 {
		return nil, nil, false
	}
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		line, rest = b, b[len(b):]
	} else {
		line, rest = b[:i], b[i+1:]
	}
	return bytes.TrimSuffix(line, []byte{'\r'}), rest, true
}

func isFence(line []byte) bool {
	return bytes.Equal(bytes.TrimRight(line, " \t"), []byte("---"))
}

// fnv64a is FNV-1a, 64 bit (hash/fnv without its allocation).
func fnv64a(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// textHash is fnv64a of b with its CRLF line endings read as LF: a version that git
// stored with CRLF (a Windows checkout committed before git normalised it) and the same
// text with LF are one text, so renormalising a closed case is not an edit of it.
func textHash(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for i, c := range b {
		if c == '\r' && i+1 < len(b) && b[i+1] == '\n' {
			continue
		}
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// commonKeys lets Decode share the strings of the usual field names
// instead of allocating them for every version of every case.
var commonKeys = map[string]string{}

func init() {
	for _, k := range []string{"id", "policy", "title", "status", "received_at", "channel", "category",
		"complainant", "respondent", "assignee", "department", "related", "extensions", "due_at",
		"amount", "class", "satisfaction", "batch", "leader_opinion", "reply", "result"} {
		commonKeys[k] = k
	}
}

func intern(b []byte) string {
	if s, ok := commonKeys[string(b)]; ok {
		return s
	}
	return string(b)
}

// sortKeys sorts by key; of a key given twice the last one counts, as in
// a YAML mapping read leniently (package cases reports the duplicate).
func sortKeys(ks []KeyHash) []KeyHash {
	slices.SortStableFunc(ks, func(a, b KeyHash) int { return strings.Compare(a.Key, b.Key) })
	out := ks[:0]
	for i := range ks {
		if i+1 < len(ks) && ks[i+1].Key == ks[i].Key {
			continue
		}
		out = append(out, ks[i])
	}
	return out
}
