package history

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// commitRec is one commit as the walk needs it. It holds only raw values
// (seconds and offsets rather than time.Time) so that a record read from
// the cache and one decoded from git build identical Versions.
type commitRec struct {
	// Fields are ordered to pack: a third of a million records are held
	// while the versions are assembled.
	Hash    hash
	Tree    hash
	Parents []hash
	Author  string
	Email   string
	Message string
	// Changes lists the case files this commit changed with respect to all
	// its parents, sorted by path; nil until the diff ran.
	Changes []change
	// Sides, for a merge, lists each case file whose blob differs from
	// one parent's, against that parent: a merge is judged against each
	// parent, also where it took another parent's version unchanged.
	Sides     []side
	AuthorSec int64
	CommitSec int64

	// Walk bookkeeping, valid during one Read.
	parentSec int64        // the latest committer time among the parents
	child     *commitRec   // the first child; most commits have one
	more      []*commitRec // further children
	pending   int32
	idx       int32 // position in topological order

	AuthorOff int32
	CommitOff int32
	parentOff int32
	Signed    bool
	diffed    bool
	seen      bool
	shallow   bool // a shallow clone's boundary: parents not walked
}

// change is one case file that a commit added, modified or deleted.
type change struct {
	Path string
	Blob hash // zero: deleted
	Old  hash // the blob in the first parent that has the path; zero: none
}

// side is a case file of a merge commit that differs from the version in
// parent Parent (an index into Parents): Blob at the merge, Old in that
// parent (either zero: absent).
type side struct {
	Path      string
	Blob, Old hash
	Parent    int32
}

// parseCommit decodes a raw commit object.
func parseCommit(h hash, b []byte) (*commitRec, error) {
	c := &commitRec{Hash: h}
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			i = len(b)
		}
		line := b[:i]
		if i < len(b) {
			b = b[i+1:]
		} else {
			b = b[i:]
		}
		if len(line) == 0 {
			c.Message = string(b)
			break
		}
		if line[0] == ' ' {
			continue // continuation of a multi-line header (gpgsig, mergetag)
		}
		k, v, _ := bytes.Cut(line, []byte{' '})
		switch string(k) {
		case "tree":
			if _, err := hexHash(v, &c.Tree); err != nil {
				return nil, fmt.Errorf("commit %s: %w", h, err)
			}
		case "parent":
			var p hash
			if _, err := hexHash(v, &p); err != nil {
				return nil, fmt.Errorf("commit %s: %w", h, err)
			}
			c.Parents = append(c.Parents, p)
		case "author":
			c.Author, c.Email, c.AuthorSec, c.AuthorOff = parseSignature(v)
		case "committer":
			_, _, c.CommitSec, c.CommitOff = parseSignature(v)
		case "gpgsig", "gpgsig-sha256":
			c.Signed = true
		}
	}
	return c, nil
}

func hexHash(v []byte, h *hash) (hash, error) {
	if len(v) != 40 {
		return *h, fmt.Errorf("bad object name %q", v)
	}
	for i := 0; i < 20; i++ {
		hi, ok1 := unhex(v[2*i])
		lo, ok2 := unhex(v[2*i+1])
		if !ok1 || !ok2 {
			return *h, fmt.Errorf("bad object name %q", v)
		}
		h[i] = hi<<4 | lo
	}
	return *h, nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// parseSignature splits `Name <email> 1700000000 +0800`.
func parseSignature(v []byte) (name, email string, sec int64, off int32) {
	open := bytes.IndexByte(v, '<')
	shut := bytes.LastIndexByte(v, '>')
	if open < 0 || shut < open {
		return string(bytes.TrimSpace(v)), "", 0, 0
	}
	name = string(bytes.TrimSpace(v[:open]))
	email = string(v[open+1 : shut])
	f := strings.Fields(string(v[shut+1:]))
	if len(f) >= 1 {
		sec, _ = strconv.ParseInt(f[0], 10, 64)
	}
	if len(f) >= 2 && len(f[1]) == 5 {
		hh, _ := strconv.Atoi(f[1][1:3])
		mm, _ := strconv.Atoi(f[1][3:5])
		off = int32(hh*3600 + mm*60)
		if f[1][0] == '-' {
			off = -off
		}
	}
	return name, email, sec, off
}

// parseMessage splits a commit message into its subject, its note (the
// paragraphs between subject and trailers) and its trailers (the last
// paragraph, when every line of it is `Token: value`, as git
// interpret-trailers reads it).
func parseMessage(msg string) (subject, note string, trailers Trailers) {
	// Paragraphs as [start, end) offsets into msg, so the usual message
	// (one-line subject, tidy paragraphs) yields substrings, not copies.
	type para struct{ start, end, lines int }
	var paras []para
	var buf [8]para
	paras = buf[:0]
	tidy := !strings.ContainsAny(msg, "\r\t")
	in := false
	for pos := 0; pos < len(msg); {
		end := strings.IndexByte(msg[pos:], '\n')
		if end < 0 {
			end = len(msg)
		} else {
			end += pos
		}
		line := msg[pos:end]
		switch {
		case strings.TrimSpace(line) == "":
			if in && line != "" {
				tidy = false
			}
			in = false
		case !in:
			paras = append(paras, para{pos, end, 1})
			in = true
		default:
			paras[len(paras)-1].end = end
			paras[len(paras)-1].lines++
		}
		if strings.HasSuffix(line, " ") {
			tidy = false
		}
		pos = end + 1
	}
	if len(paras) == 0 {
		return "", "", nil
	}
	lines := func(p para) []string { return strings.Split(msg[p.start:p.end], "\n") }
	if paras[0].lines == 1 && tidy {
		subject = msg[paras[0].start:paras[0].end]
	} else {
		ls := lines(paras[0])
		for i := range ls {
			ls[i] = trimEnd(ls[i])
		}
		subject = strings.Join(ls, " ")
	}
	body := paras[1:]
	if len(body) > 0 {
		if t := parseTrailers(lines(body[len(body)-1])); t != nil {
			trailers = t
			body = body[:len(body)-1]
		}
	}
	if len(body) == 0 {
		return subject, "", trailers
	}
	if tidy {
		// Paragraphs separated by single empty lines: the note is a slice.
		n := msg[body[0].start:body[len(body)-1].end]
		if strings.Count(n, "\n\n\n") == 0 {
			return subject, strings.TrimSpace(n), trailers
		}
	}
	ps := make([]string, len(body))
	for i, p := range body {
		ls := lines(p)
		for j := range ls {
			ls[j] = trimEnd(ls[j])
		}
		ps[i] = strings.Join(ls, "\n")
	}
	return subject, strings.TrimSpace(strings.Join(ps, "\n\n")), trailers
}

func parseTrailers(lines []string) Trailers {
	t := make(Trailers, 0, len(lines))
	for _, l := range lines {
		l = trimEnd(l)
		if l == "" {
			return nil
		}
		if (l[0] == ' ' || l[0] == '\t') && len(t) > 0 {
			t[len(t)-1].Value += " " + strings.TrimSpace(l)
			continue
		}
		tok, val, ok := splitTrailer(l)
		if !ok {
			return nil
		}
		t = append(t, Trailer{Key: tok, Value: val})
	}
	return t
}

// splitTrailer splits `Token: value`; a token is letters, digits and
// hyphens, not starting with a hyphen.
func splitTrailer(l string) (tok, val string, ok bool) {
	i := strings.IndexByte(l, ':')
	if i <= 0 || l[0] == '-' {
		return "", "", false
	}
	for j := 0; j < i; j++ {
		c := l[j]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return "", "", false
		}
	}
	rest := l[i+1:]
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return "", "", false // "http://..." is not a trailer
	}
	return l[:i], strings.TrimSpace(rest), true
}

// trimEnd drops trailing spaces, tabs and carriage returns: it is
// strings.TrimRight(s, " \t\r") without building a cutset on every line of
// every commit message.
func trimEnd(s string) string {
	i := len(s)
	for i > 0 && (s[i-1] == ' ' || s[i-1] == '\t' || s[i-1] == '\r') {
		i--
	}
	return s[:i]
}
