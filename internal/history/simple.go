package history

import (
	"bytes"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/yamltext"
)

// decodeSimple is Decode's fast path. It accepts only front-matter it can
// prove means what a line scanner reads, and says so with ok; anything
// else goes to the full parse of package cases. FuzzDecodeSimple checks,
// for arbitrary bytes, that whatever it accepts the full parse accepts
// too, with the same id, status and keys.
//
// What it accepts: the file starts with a line "---" and the front-matter
// ends at a line "---", both exact; no carriage returns or tabs, only
// characters YAML reads as printable and no line breaks other than "\n";
// blank lines and comments starting in column 0 anywhere. The rest is a
// block mapping with unquoted keys at column 0, made of letters, digits
// and "_", that YAML reads as strings, each key once per mapping. A value
// sits on its key line: nothing (null), a plain scalar without ": " or
// flow brackets, a single- or double-quoted scalar without backslash
// escapes, or a one-line flow mapping or list of such scalars, then at
// most a comment. Or, after "key:", a more indented block mapping of the
// same kind, or a block list of "- " items that are such values or such
// mappings, as casebook writes nested values. The id and status are a
// quoted scalar on their line, a plain one that YAML resolves to a
// string, or nothing. No continued lines, tags, anchors, aliases, block
// scalars, "? " keys, indented comments or document markers, and no
// merge-conflict marker or byte that is not UTF-8 text anywhere in the file
// (yamltext.ConflictMarker, yamltext.Encoding).
func decodeSimple(data []byte) (Snapshot, bool) {
	var s Snapshot
	if len(data) > cases.DefaultMaxBytes || !bytes.HasPrefix(data, []byte("---\n")) || yamltext.ConflictMarker(data) > 0 || yamltext.Encoding(data) != nil {
		return s, false // conflict markers or bytes that are no UTF-8 text, in the body too, make the file no case file
	}
	const fmStart = 4
	end := -1 // where the closing delimiter starts
	for pos := fmStart; pos < len(data); {
		line, next := data[pos:], len(data)
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line, next = line[:i], pos+i+1
		}
		if string(line) == "---" {
			end = pos
			break
		}
		if !printable(line) || string(bytes.TrimSpace(line)) == "---" {
			// Also a line the front-matter library would take for the
			// closing delimiter, such as "--- " or "\u3000---".
			return s, false
		}
		pos = next
	}
	if end < 0 || end-fmStart > cases.MaxFrontMatterBytes {
		return s, false
	}
	p := simpleParser{l: fmLines{b: data[fmStart:end]}}
	p.l.next()
	if p.l.ok && (p.l.indent != 0 || !p.mapping(0, 1, true)) || p.l.ok || p.l.bad {
		return s, false
	}
	s.ID, s.Status = p.id, p.status
	s.Keys, _ = scanKeys(data)
	if body := bytes.TrimSpace(data[min(end+4, len(data)):]); len(body) > 0 {
		s.Body = textHash(body)
	}
	return s, true
}

// fmLines walks the lines of a front-matter that carry content, skipping
// blank ones and comments in column 0.
type fmLines struct {
	b      []byte
	pos    int    // where the next line starts
	line   []byte // the current line after its indentation
	indent int
	ok     bool // there is a current line
	bad    bool // a line the fast path does not accept (an indented comment)
}

func (l *fmLines) next() {
	for l.pos < len(l.b) {
		line := l.b[l.pos:]
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line, l.pos = line[:i], l.pos+i+1
		} else {
			l.pos = len(l.b)
		}
		n := 0
		for n < len(line) && line[n] == ' ' {
			n++
		}
		if n == len(line) || n == 0 && line[0] == '#' {
			continue
		}
		if line[n] == '#' {
			l.bad = true
		}
		l.line, l.indent, l.ok = line[n:], n, true
		return
	}
	l.ok = false
}

// maxSimpleDepth bounds the nesting the fast path follows, well inside
// the full parse's limit.
const maxSimpleDepth = 10

type simpleParser struct {
	l          fmLines
	id, status string
}

// mapping accepts a block mapping whose keys are at indent n, the first on
// the current line; top is the front-matter's own mapping, where id and
// status are read.
func (p *simpleParser) mapping(n, depth int, top bool) bool {
	var buf [32][]byte
	keys := buf[:0]
	for p.l.ok && p.l.indent == n && !p.l.bad {
		key, val, ok := keyLine(p.l.line)
		if !ok || slices.ContainsFunc(keys, func(k []byte) bool { return bytes.Equal(k, key) }) {
			return false
		}
		keys = append(keys, key)
		coreKey := top && (string(key) == "id" || string(key) == "status")
		p.l.next()
		if t := bytes.TrimLeft(val, " "); len(t) == 0 || t[0] == '#' {
			if p.l.ok && p.l.indent > n {
				if coreKey || !p.node(p.l.indent, depth+1) {
					return false
				}
				if p.l.ok && p.l.indent > n {
					return false // stray indentation after the nested value
				}
			}
			continue
		}
		if p.l.ok && p.l.indent > n {
			return false // a continued scalar, or an error
		}
		if coreKey {
			v, ok := stringValue(val)
			if !ok {
				return false
			}
			if string(key) == "id" {
				p.id = v
			} else {
				p.status = v
			}
		} else if !anyValue(val) {
			return false
		}
	}
	return !p.l.bad
}

// node accepts the nested value of a key, a block mapping or list at
// indent n.
func (p *simpleParser) node(n, depth int) bool {
	if depth > maxSimpleDepth {
		return false
	}
	if bytes.HasPrefix(p.l.line, []byte("- ")) {
		return p.sequence(n, depth)
	}
	return p.mapping(n, depth, false)
}

// sequence accepts a block list whose "- " items are at indent n.
func (p *simpleParser) sequence(n, depth int) bool {
	for p.l.ok && p.l.indent == n && !p.l.bad {
		if !bytes.HasPrefix(p.l.line, []byte("- ")) {
			return false
		}
		m := 2
		for m < len(p.l.line) && p.l.line[m] == ' ' {
			m++
		}
		item := p.l.line[m:]
		if len(item) == 0 || item[0] == '#' || item[0] == '-' {
			return false // an empty or nested list item: not worth proving
		}
		if _, _, ok := keyLine(item); ok {
			// A mapping whose first key follows the dash.
			p.l.line, p.l.indent = item, n+m
			if depth+1 > maxSimpleDepth || !p.mapping(n+m, depth+1, false) {
				return false
			}
		} else {
			if !anyValue(item) {
				return false
			}
			p.l.next()
		}
		if p.l.ok && p.l.indent > n {
			return false
		}
	}
	return !p.l.bad
}

// printable reports a line holding only characters yaml.v3 reads without
// complaint and that neither it nor the front-matter library treats as a
// line break or blank: no control characters (tab included), no NEL, line
// or paragraph separator, byte order mark or non-characters, and valid
// UTF-8.
func printable(line []byte) bool {
	for i := 0; i < len(line); {
		c := line[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(line[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			return false
		case r < 0xa0, r == 0x2028, r == 0x2029, r == 0xfeff, r >= 0xfffe && r <= 0xffff, r > 0x10ffff:
			return false
		case r >= 0xd800 && r <= 0xdfff:
			return false
		}
		i += n
	}
	return true
}

// keyLine splits "key: value" or "key:" into the key and what follows the
// colon. The key must be an identifier that YAML reads as a string.
func keyLine(line []byte) (key, val []byte, ok bool) {
	n := identLen(line)
	if n == 0 || n == len(line) || line[n] != ':' {
		return nil, nil, false
	}
	if n+1 < len(line) && line[n+1] != ' ' {
		return nil, nil, false // "key:x" is one plain scalar
	}
	return line[:n], line[n+1:], true
}

// maxSimpleKey keeps keys far below the 1024 characters YAML allows an
// implicit key.
const maxSimpleKey = 128

// identLen returns the length of the identifier key at the start of b, or
// 0 when there is none or YAML would not read it as a string (true, null
// ...).
func identLen(b []byte) int {
	n := 0
	for n < len(b) && (b[n] == '_' || 'a' <= b[n] && b[n] <= 'z' || 'A' <= b[n] && b[n] <= 'Z' || n > 0 && '0' <= b[n] && b[n] <= '9') {
		n++
	}
	if n > maxSimpleKey || nonString[string(b[:n])] {
		return 0
	}
	return n
}

// nonString are the plain scalars starting with a letter that yaml.v3
// resolves to something other than a string (its resolve table); plain
// scalars starting with a digit, a sign, "." or "~" may be numbers, times
// or null, and are not read here as strings at all.
var nonString = map[string]bool{
	"true": true, "True": true, "TRUE": true,
	"false": true, "False": true, "FALSE": true,
	"null": true, "Null": true, "NULL": true,
}

// indicators are the characters that cannot start a plain scalar here
// (YAML's indicators, with "-", "?" and ":" that could in some contexts,
// and "<" for the merge key "<<").
const indicators = "-?:,[]{}#&*!|>'\"%@`<"

// stringValue reads the value of a key line as a string, for id and
// status: "" for no value (null, which the full parse leaves empty too).
// ok is false unless the value is certainly a string scalar.
func stringValue(v []byte) (string, bool) {
	v = bytes.TrimLeft(v, " ")
	if len(v) == 0 || v[0] == '#' {
		return "", true
	}
	switch v[0] {
	case '"', '\'':
		s, rest, ok := quoted(v)
		if !ok || !trailerOK(rest) {
			return "", false
		}
		if v[0] == '\'' {
			return strings.ReplaceAll(string(s), "''", "'"), true
		}
		return string(s), true
	}
	s, ok := blockPlain(v)
	if !ok || bytes.IndexByte([]byte("+-.0123456789~"), s[0]) >= 0 || nonString[string(s)] {
		return "", false
	}
	return string(s), true
}

// anyValue reports whether the value of a key line is one the fast path
// accepts (see decodeSimple); its meaning does not matter here.
func anyValue(v []byte) bool {
	v = bytes.TrimLeft(v, " ")
	if len(v) == 0 || v[0] == '#' {
		return true
	}
	var rest []byte
	var ok bool
	switch v[0] {
	case '"', '\'':
		_, rest, ok = quoted(v)
	case '{', '[':
		rest, ok = flow(v)
	default:
		_, ok = blockPlain(v)
		return ok
	}
	return ok && trailerOK(rest)
}

// trailerOK accepts what may follow a quoted scalar or a flow collection
// on its line: blanks, then a comment after at least one blank.
func trailerOK(rest []byte) bool {
	t := bytes.TrimLeft(rest, " ")
	return len(t) == 0 || t[0] == '#' && len(t) < len(rest)
}

// quoted reads a single- or double-quoted scalar that closes on its line,
// without backslash escapes in the double-quoted form. It returns the text
// between the quotes as written (in single quotes, a doubled quote stands
// for one) and what follows the closing quote.
func quoted(v []byte) (s, rest []byte, ok bool) {
	if v[0] == '"' {
		j := bytes.IndexByte(v[1:], '"')
		if j < 0 || bytes.IndexByte(v[1:1+j], '\\') >= 0 {
			return nil, nil, false
		}
		return v[1 : 1+j], v[2+j:], true
	}
	for i := 1; i < len(v); i++ {
		if v[i] != '\'' {
			continue
		}
		if i+1 < len(v) && v[i+1] == '\'' {
			i++ // '' is one quote
			continue
		}
		return v[1:i], v[i+1:], true
	}
	return nil, nil, false
}

// blockPlain reads a plain scalar that fills the rest of a key line, up to
// a comment: no ": ", no trailing ":", no flow brackets (legal, but not
// worth proving so), no leading indicator.
func blockPlain(v []byte) ([]byte, bool) {
	if len(v) == 0 || bytes.IndexByte([]byte(indicators), v[0]) >= 0 {
		return nil, false
	}
	end := len(v)
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case ':':
			if i+1 == len(v) || v[i+1] == ' ' {
				return nil, false
			}
		case '#':
			if v[i-1] == ' ' {
				end = i
				i = len(v)
			}
		case '[', ']', '{', '}':
			return nil, false
		}
	}
	s := bytes.TrimRight(v[:end], " ")
	return s, len(s) > 0
}

// flow reads a one-line flow mapping of identifier keys or a flow list,
// whose values are quoted or plain scalars, and returns what follows it.
func flow(v []byte) (rest []byte, ok bool) {
	open, closing := v[0], byte('}')
	if open == '[' {
		closing = ']'
	}
	p := skipBlanks(v, 1)
	if p < len(v) && v[p] == closing {
		return v[p+1:], true
	}
	var buf [16][]byte
	keys := buf[:0]
	for {
		if open == '{' {
			n := identLen(v[p:])
			if n == 0 || p+n+1 >= len(v) || v[p+n] != ':' || v[p+n+1] != ' ' {
				return nil, false
			}
			k := v[p : p+n]
			if slices.ContainsFunc(keys, func(seen []byte) bool { return bytes.Equal(seen, k) }) {
				return nil, false
			}
			keys = append(keys, k)
			p = skipBlanks(v, p+n+1)
		}
		if p >= len(v) {
			return nil, false
		}
		switch v[p] {
		case '"', '\'':
			_, after, ok := quoted(v[p:])
			if !ok {
				return nil, false
			}
			p = len(v) - len(after)
		default:
			n := flowPlain(v[p:])
			if n == 0 {
				return nil, false
			}
			p += n
		}
		p = skipBlanks(v, p)
		if p >= len(v) {
			return nil, false
		}
		switch v[p] {
		case closing:
			return v[p+1:], true
		case ',':
			p = skipBlanks(v, p+1)
			if p >= len(v) || v[p] == closing {
				return nil, false
			}
		default:
			return nil, false
		}
	}
}

// flowPlain returns the length of a plain scalar inside a flow collection,
// up to the "," or closing bracket after it, or 0 when it is not one the
// fast path accepts: it may not start with an indicator, and holds no
// brackets, "?", "#", or ":" other than before a letter or digit (times).
func flowPlain(v []byte) int {
	if len(v) == 0 || bytes.IndexByte([]byte(indicators), v[0]) >= 0 {
		return 0
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case ',', '}', ']':
			return len(bytes.TrimRight(v[:i], " "))
		case '[', '{', '?', '#':
			return 0
		case ':':
			if i+1 == len(v) || !isAlnum(v[i+1]) {
				return 0
			}
		}
	}
	return 0 // not closed on this line
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func skipBlanks(v []byte, p int) int {
	for p < len(v) && v[p] == ' ' {
		p++
	}
	return p
}
