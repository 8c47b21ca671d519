package history

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// commitRec is one commit as the walk needs it. It holds only raw values
// (seconds and offsets rather than time.Time) so that a record read from
// the cache and one decoded from git build identical Versions.
type commitRec struct {
	Hash      hash
	Tree      hash
	Parents   []hash
	Author    string
	Email     string
	AuthorSec int64
	AuthorOff int32
	CommitSec int64
	CommitOff int32
	Message   string
	Signed    bool
	// Changes lists the case files this commit changed with respect to all
	// its parents, sorted by path; nil until the diff ran.
	Changes []change
	diffed  bool
}

// change is one case file that a commit added, modified or deleted.
type change struct {
	Path string
	Blob hash // zero: deleted
	Old  hash // the blob in the first parent that has the path; zero: none
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

var trailerRe = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9-]*):(?:[ \t]+(.*))?$`)

// parseMessage splits a commit message into its subject, its note (the
// paragraphs between subject and trailers) and its trailers (the last
// paragraph, when every line of it is `Token: value`, as git
// interpret-trailers reads it).
func parseMessage(msg string) (subject, note string, trailers map[string][]string) {
	var paras [][]string
	var cur []string
	for _, l := range strings.Split(strings.ReplaceAll(msg, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(l) == "" {
			if cur != nil {
				paras = append(paras, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, strings.TrimRight(l, " \t"))
	}
	if cur != nil {
		paras = append(paras, cur)
	}
	if len(paras) == 0 {
		return "", "", nil
	}
	subject = strings.Join(paras[0], " ")
	body := paras[1:]
	if len(body) > 0 {
		if t := parseTrailers(body[len(body)-1]); t != nil {
			trailers = t
			body = body[:len(body)-1]
		}
	}
	ps := make([]string, len(body))
	for i, p := range body {
		ps[i] = strings.Join(p, "\n")
	}
	return subject, strings.TrimSpace(strings.Join(ps, "\n\n")), trailers
}

func parseTrailers(lines []string) map[string][]string {
	t := map[string][]string{}
	var last string
	for _, l := range lines {
		if (l[0] == ' ' || l[0] == '\t') && last != "" {
			vs := t[last]
			vs[len(vs)-1] += " " + strings.TrimSpace(l)
			continue
		}
		m := trailerRe.FindStringSubmatch(l)
		if m == nil {
			return nil
		}
		last = m[1]
		t[last] = append(t[last], strings.TrimSpace(m[2]))
	}
	return t
}
