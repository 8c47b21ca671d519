package cases

// conflictError is the parse error of a file holding conflict markers: it
// says what happened instead of what YAML makes of the markers.
func conflictError(file string, line int) *ParseError {
	return &ParseError{File: file, Line: line,
		Msg: "unresolved merge conflict: git left its conflict markers (<<<<<<< ======= >>>>>>>) in the file",
		Fix: "resolve the conflict: keep the right text and delete the marker lines; if both sides registered a case under this id, keep both records, each in its own file, and give one of them a new id with casebook renumber"}
}
