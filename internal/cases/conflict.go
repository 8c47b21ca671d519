package cases

import "bytes"

// ConflictMarker returns the line of the first conflict marker git leaves in
// a file whose merge it could not finish, 0 when there is none: a line that
// is "<<<<<<<", "|||||||" or ">>>>>>>" alone or followed by a space. The
// "=======" between them needs no test: git never writes it without the
// "<<<<<<<" before it, and alone it is a Markdown heading's underline.
func ConflictMarker(data []byte) int {
	if !bytes.Contains(data, []byte("<<<<<<<")) && !bytes.Contains(data, []byte("|||||||")) && !bytes.Contains(data, []byte(">>>>>>>")) {
		return 0 // the common case, at memory speed
	}
	line := 1
	for rest := data; len(rest) > 0; line++ {
		l := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			l, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		l = bytes.TrimSuffix(l, []byte("\r"))
		if marker(l, "<<<<<<<") || marker(l, "|||||||") || marker(l, ">>>>>>>") {
			return line
		}
	}
	return 0
}

func marker(l []byte, m string) bool {
	return bytes.HasPrefix(l, []byte(m)) && (len(l) == len(m) || l[len(m)] == ' ')
}

// conflictError is the parse error of a file holding conflict markers: it
// says what happened instead of what YAML makes of the markers.
func conflictError(file string, line int) *ParseError {
	return &ParseError{File: file, Line: line,
		Msg: "unresolved merge conflict: git left its conflict markers (<<<<<<< ======= >>>>>>>) in the file",
		Fix: "resolve the conflict: keep the right text and delete the marker lines; if both sides registered a case under this id, keep both records, each in its own file, and give one of them a new id with casebook renumber"}
}
