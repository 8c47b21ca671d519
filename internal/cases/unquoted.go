package cases

import "gopkg.in/yaml.v3"

// Unquoted is a plain scalar of the front-matter whose text a YAML reader
// does not keep as text: `010` (the number 8), `0x10`, `1e3`,
// `013800000000` (a float), `.nan`, `true`, `null`, and the YAML 1.1
// booleans `yes`, `no`, `on`, `off`, `y`, `n` that yaml.v3 keeps as text
// but other readers (PyYAML, yaml.v2, spreadsheets' importers) turn into
// true or false. In a field declared text such a value is ambiguous, and
// the validator asks for it to be quoted; the case file itself is never
// rewritten to fix it.
type Unquoted struct {
	// Path is the key path ("complainant.phone", "tags.0").
	Path string
	// Text is the scalar exactly as written.
	Text string
	// Kind says what YAML makes of it: "number", "true/false", "empty", or
	// "true/false in YAML 1.1".
	Kind string
	// Line is the line of the value in the file.
	Line int
}

// Kinds of Unquoted values.
const (
	UnquotedNumber = "number"
	UnquotedBool   = "true/false"
	UnquotedNull   = "empty"
	UnquotedBool11 = "true/false in YAML 1.1"
)

// unquoted reports whether n is a plain scalar that is not text as
// written. An empty value and ~ are the usual ways to leave a field
// empty and are not reported; the word null is, since it may be meant as
// text.
func unquoted(n *yaml.Node) (Unquoted, bool) {
	// A quoted or block scalar is text; so is a tagged one (the walker
	// rejects every tag but the standard ones, and !!str says text).
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle|yaml.TaggedStyle) != 0 {
		return Unquoted{}, false
	}
	kind := ""
	switch n.ShortTag() {
	case "!!int", "!!float":
		kind = UnquotedNumber
	case "!!bool":
		kind = UnquotedBool
	case "!!null":
		if n.Value != "" && n.Value != "~" {
			kind = UnquotedNull
		}
	case "!!str":
		if yaml11Bools[n.Value] {
			kind = UnquotedBool11
		}
	}
	if kind == "" {
		return Unquoted{}, false
	}
	return Unquoted{Text: n.Value, Kind: kind}, true
}

// unquotedAt finds the Unquoted value at path.
func (c *Case) unquotedAt(path string) (Unquoted, bool) {
	for _, u := range c.Unquoted {
		if u.Path == path {
			return u, true
		}
	}
	return Unquoted{}, false
}
