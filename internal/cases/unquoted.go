package cases

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// Unquoted is a plain scalar of the front-matter whose text does not
// survive being read by YAML: `010` (the number 8), `0x10`, `1e3`,
// `013800000000` (the float 1.38e10, its zero gone), `1.50`, `.nan`,
// `True`, `null`, and the YAML 1.1 booleans `yes`, `no`, `on`, `off`, `y`,
// `n` that yaml.v3 keeps as text but other readers (PyYAML, yaml.v2) turn
// into true or false. A number or boolean written in its canonical form
// (`30000`, `13800000000`, `false`) reads back as the same text and is not
// one. In a field declared text such a value is ambiguous, and the
// validator asks for it to be quoted; the case file itself is never
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
	case "!!int":
		var i int64
		if n.Decode(&i) != nil || strconv.FormatInt(i, 10) != n.Value {
			kind = UnquotedNumber
		}
	case "!!float":
		var f float64
		if n.Decode(&f) != nil || strconv.FormatFloat(f, 'f', -1, 64) != n.Value {
			kind = UnquotedNumber
		}
	case "!!bool":
		if n.Value != "true" && n.Value != "false" {
			kind = UnquotedBool
		}
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
