package policy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/casebook/casebook/internal/yamltext"
)

// Limits on what Load accepts. They bound the work a stray or hostile file
// can cause; real policies are a few kilobytes, nested four levels deep.
const (
	// MaxFileSize is the largest policy file accepted.
	MaxFileSize = 1 << 20
	// MaxDepth is the deepest nesting of mappings and lists accepted, the
	// policy's own mapping counting as 1.
	MaxDepth = 20
)

// Load parses and type-checks one policy file. file names the file in
// problems (a repository-relative path, or "embedded:bank.yaml"). The
// result is complete: core fields are merged in, p.Location is set and
// every condition is compiled. Problems come back as a *Error, or as Errors
// when there are several.
func Load(file string, data []byte) (*Policy, error) {
	p, errs := load(file, data)
	if len(errs) > 0 {
		return nil, errs.err()
	}
	return p, nil
}

func load(file string, data []byte) (*Policy, Errors) {
	p, errs := loadDoc(file, data)
	// yaml.v3 can place a problem at the end of the last line on a line
	// past it; keep every position inside the file.
	lines := 1 + strings.Count(string(data), "\n") + strings.Count(string(data), "\r") - strings.Count(string(data), "\r\n")
	for _, e := range errs {
		e.Line = min(e.Line, lines)
	}
	return p, errs
}

func loadDoc(file string, data []byte) (*Policy, Errors) {
	d := &doc{file: file}
	if err := d.parse(data); err != nil {
		return nil, Errors{err}
	}
	d.strict(d.root, reflect.TypeFor[Policy](), "")
	if len(d.errs) > 0 {
		// Report every problem at once: where the document still decodes
		// once unknown keys are ignored, run the semantic checks too;
		// but never decode aliases, which would expand.
		p := new(Policy)
		if !d.aliased {
			if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(p); err == nil {
				p.File = file
				check(d, p)
			}
		}
		d.errs.sort()
		return nil, d.errs
	}
	p := new(Policy)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(p); err != nil {
		// The strict pass above should have caught everything the
		// decoder rejects; this keeps any gap from going unreported.
		return nil, yamlErrors(file, err)
	}
	p.File = file
	check(d, p)
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	return p, nil
}

// parse reads data into d.root, rejecting what is not one YAML mapping.
func (d *doc) parse(data []byte) *Error {
	fail := func(line int, msg, fix string) *Error {
		return &Error{File: d.file, Line: line, Msg: msg, Fix: fix}
	}
	switch strings.ToLower(filepath.Ext(d.file)) {
	case ".json", ".toml":
		return fail(0, "a policy must be a YAML file", "convert it to YAML and name it <id>.yaml")
	}
	if len(data) > MaxFileSize {
		return fail(0, "policy file is larger than 1 MiB", "a policy is a few kilobytes; check that this is the right file")
	}
	if p := yamltext.Encoding(data); p != nil && !bytes.HasPrefix(data, []byte{0xFF, 0xFE}) && !bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		// yaml.v3 reads UTF-16 with its byte order mark; GBK it cannot.
		return fail(p.Line, p.Msg, p.Fix)
	}
	if line := yamltext.ConflictMarker(data); line > 0 {
		p := yamltext.ConflictProblem(line)
		return fail(line, p.Msg, p.Fix)
	}
	if first, line := firstContent(data); first == '{' || first == '[' {
		return fail(line, "a policy must be block-style YAML, not JSON", "write one key per line: `id: bank`")
	}
	if line := tomlLine(data); line > 0 {
		return fail(line, "this looks like TOML; a policy must be YAML", "write `key: value`, not `key = value`")
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return fail(0, "policy file is empty", "start from one of the default policies")
		}
		return explain(d.file, data, yamlErrors(d.file, err)[0])
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return fail(extra.Line, "a policy file holds one YAML document, found a second one", "remove the `---` line and what follows, or split it into another file")
	} else if !errors.Is(err, io.EOF) {
		return explain(d.file, data, yamlErrors(d.file, err)[0])
	}
	if len(root.Content) == 1 && root.Content[0].Tag == "!!null" {
		return fail(0, "policy file is empty", "start from one of the default policies")
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		line := root.Line
		if len(root.Content) == 1 {
			line = root.Content[0].Line
		}
		if p, ok := yamltext.Explain(data, line); ok {
			return fail(p.Line, p.Msg, p.Fix)
		}
		return fail(line, "a policy must be a YAML mapping (id:, states:, ...)", "start from one of the default policies")
	}
	if n := tooDeep(root.Content[0], 1); n != nil {
		return fail(n.Line, fmt.Sprintf("the policy is nested deeper than %d levels", MaxDepth), "a policy needs a few levels; flatten the structure")
	}
	d.root = root.Content[0]
	return nil
}

// explain replaces a YAML syntax error by its cause when a typing mistake
// (a tab, a full-width colon or space, a pasted byte-order mark) explains
// it.
func explain(file string, data []byte, e *Error) *Error {
	if p, ok := yamltext.Explain(data, e.Line); ok {
		return &Error{File: file, Line: p.Line, Col: p.Col, Msg: p.Msg, Fix: p.Fix}
	}
	if cause, fix := yamltext.SyntaxCause(e.Msg); cause != "" {
		return &Error{File: file, Line: e.Line, Col: e.Col, Msg: e.Msg + ": " + cause, Fix: fix}
	}
	return e
}

// tooDeep returns the first mapping or list nested deeper than MaxDepth,
// n being at depth, or nil. It runs before any other walk, so none of them
// recurses further than the limit.
func tooDeep(n *yaml.Node, depth int) *yaml.Node {
	if n.Kind != yaml.MappingNode && n.Kind != yaml.SequenceNode {
		return nil
	}
	if depth > MaxDepth {
		return n
	}
	for _, c := range n.Content {
		if bad := tooDeep(c, depth+1); bad != nil {
			return bad
		}
	}
	return nil
}

// firstContent returns the first byte that is neither space nor part of a
// comment, and its line.
func firstContent(data []byte) (byte, int) {
	line := 1
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '\n':
			line++
		case ' ', '\t', '\r':
		case '#':
			for i < len(data) && data[i] != '\n' {
				i++
			}
			i--
		default:
			return c, line
		}
	}
	return 0, line
}

var (
	tomlTable  = regexp.MustCompile(`^\[\[?[A-Za-z0-9_."-]+\]\]?\s*(#.*)?$`)
	tomlAssign = regexp.MustCompile(`^[A-Za-z0-9_."-]+\s*=\s*\S`)
)

// tomlLine returns the line of the first top-level TOML construct, or 0.
// Such lines parse as YAML strings and would otherwise yield a confusing
// "must be a mapping" message.
func tomlLine(data []byte) int {
	for i, l := range strings.Split(string(data), "\n") {
		if tomlTable.MatchString(strings.TrimRight(l, "\r")) || tomlAssign.MatchString(l) {
			return i + 1
		}
	}
	return 0
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlErrors converts a yaml.v3 error into positioned problems.
func yamlErrors(file string, err error) Errors {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	var out Errors
	for _, m := range msgs {
		e := &Error{File: file, Msg: strings.TrimPrefix(m, "yaml: "), Fix: "correct the YAML syntax"}
		if sm := yamlLine.FindStringSubmatch(m); sm != nil {
			e.Line, _ = strconv.Atoi(sm[1])
			e.Msg = sm[2]
		}
		out = append(out, e)
	}
	return out
}
