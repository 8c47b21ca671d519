package policy

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/casebook/casebook/internal/msg"
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
// every condition is compiled. Problems come back as a *msg.FileError, or
// as msg.FileErrors when there are several.
func Load(file string, data []byte) (*Policy, error) {
	p, errs := load(file, data)
	if len(errs) > 0 {
		return nil, report(errs)
	}
	return p, nil
}

func load(file string, data []byte) (*Policy, msg.FileErrors) {
	p, errs := loadDoc(file, data)
	// yaml.v3 can place a problem at the end of the last line on a line
	// past it; keep every position inside the file.
	lines := 1 + strings.Count(string(data), "\n") + strings.Count(string(data), "\r") - strings.Count(string(data), "\r\n")
	for _, e := range errs {
		e.Line = min(e.Line, lines)
	}
	return p, errs
}

func loadDoc(file string, data []byte) (*Policy, msg.FileErrors) {
	d := &doc{file: file}
	if err := d.parse(data); err != nil {
		return nil, msg.FileErrors{err}
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
		d.errs.Sort()
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
func (d *doc) parse(data []byte) *msg.FileError {
	fail := func(line int, m, fix msg.Text) *msg.FileError {
		return &msg.FileError{File: d.file, Line: line, Msg: m, Fix: fix}
	}
	switch strings.ToLower(filepath.Ext(d.file)) {
	case ".json", ".toml":
		return fail(0, msg.T("政策要写成 YAML 文件", "a policy must be a YAML file"), msg.T("改写成 YAML，文件名用 <id>.yaml", "convert it to YAML and name it <id>.yaml"))
	}
	if len(data) > MaxFileSize {
		return fail(0, tooLargeMsg, msg.T("政策文件只有几 KB；检查是不是选错了文件", "a policy is a few kilobytes; check that this is the right file"))
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
		return fail(line, msg.T("政策要写成分行的 YAML，不能是 JSON", "a policy must be block-style YAML, not JSON"), msg.T("一行写一个键：id: bank", "write one key per line: `id: bank`"))
	}
	if line := tomlLine(data); line > 0 {
		return fail(line, msg.T("这看起来是 TOML；政策要写成 YAML", "this looks like TOML; a policy must be YAML"), msg.T("写「key: value」，不写「key = value」", "write `key: value`, not `key = value`"))
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return fail(0, emptyMsg, emptyFix)
		}
		return explain(d.file, data, yamlErrors(d.file, err)[0])
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return fail(extra.Line, msg.T("政策文件只能有一个 YAML 文档，这里有第二个", "a policy file holds one YAML document, found a second one"),
			msg.T("删除 --- 那一行和它后面的内容，或把它们分到另一个文件", "remove the `---` line and what follows, or split it into another file"))
	} else if !errors.Is(err, io.EOF) {
		return explain(d.file, data, yamlErrors(d.file, err)[0])
	}
	if len(root.Content) == 1 && root.Content[0].Tag == "!!null" {
		return fail(0, emptyMsg, emptyFix)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		line := root.Line
		if len(root.Content) == 1 {
			line = root.Content[0].Line
		}
		if p, ok := yamltext.Explain(data, line); ok {
			return fail(p.Line, p.Msg, p.Fix)
		}
		return fail(line, msg.T("政策要写成 YAML 映射（id:、states: 等）", "a policy must be a YAML mapping (id:, states:, ...)"), emptyFix)
	}
	if n := tooDeep(root.Content[0], 1); n != nil {
		return fail(n.Line, msg.T("政策嵌套超过 %d 层", "the policy is nested deeper than %d levels").Sprintf(MaxDepth),
			msg.T("政策只需要几层；减少嵌套的层数", "a policy needs a few levels; flatten the structure"))
	}
	d.root = root.Content[0]
	return nil
}

// explain replaces a YAML syntax error by its cause when a typing mistake
// (a tab, a full-width colon or space, a pasted byte-order mark) explains
// it.
func explain(file string, data []byte, e *msg.FileError) *msg.FileError {
	if p, ok := yamltext.Explain(data, e.Line); ok {
		return &msg.FileError{File: file, Line: p.Line, Col: p.Col, Msg: p.Msg, Fix: p.Fix}
	}
	if cause, fix := yamltext.SyntaxCause(e.Msg.En); !cause.IsZero() {
		return &msg.FileError{File: file, Line: e.Line, Col: e.Col, Msg: msg.T("YAML 写法有误：%[2]s", "%[1]s: %[2]s").Sprintf(e.Msg.En, cause), Fix: fix}
	}
	return e
}

var (
	tooLargeMsg = msg.T("政策文件超过 1 MiB", "policy file is larger than 1 MiB")
	emptyMsg    = msg.T("政策文件是空的", "policy file is empty")
	emptyFix    = msg.T("从一份默认政策改起", "start from one of the default policies")
)

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
// Their English is yaml.v3's message, which explain reads.
func yamlErrors(file string, err error) msg.FileErrors {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	var out msg.FileErrors
	for _, m := range msgs {
		raw, line := strings.TrimPrefix(m, "yaml: "), 0
		if sm := yamlLine.FindStringSubmatch(m); sm != nil {
			line, _ = strconv.Atoi(sm[1])
			raw = sm[2]
		}
		out = append(out, &msg.FileError{File: file, Line: line, Msg: msg.T("YAML 写法有误：%s", "%s").Sprintf(raw), Fix: yamlFix})
	}
	return out
}
