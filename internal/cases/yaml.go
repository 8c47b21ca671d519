package cases

import (
	"math"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/yamltext"
)

// walker turns the front-matter's node tree into plain Go values, rejecting
// what a strict case file must not contain, and records the line of every
// key path. offset is the line of the opening delimiter: yaml.v3 counts
// from the front-matter's first line, the user from the file's.
type walker struct {
	file   string
	offset int
	// data is the whole file, to name the cause of a front-matter that is
	// not a mapping (a full-width colon after the only key).
	data  []byte
	lines []linePos // in walk order; newLineIndex sorts them
	// unquoted collects the plain scalars that are not text as written.
	unquoted []Unquoted
}

func (w *walker) fail(n *yaml.Node, m, fix msg.Text) *msg.FileError {
	return &msg.FileError{File: w.file, Line: n.Line + w.offset, Col: n.Column, Msg: m, Fix: fix}
}

func (w *walker) root(doc *yaml.Node, c *Case) error {
	if doc.Kind == 0 || (doc.Kind == yaml.DocumentNode && len(doc.Content) == 0) {
		return nil // empty front-matter: no fields, the validator says which are missing
	}
	n := doc
	if n.Kind == yaml.DocumentNode {
		n = n.Content[0]
	}
	if err := w.check(n); err != nil {
		return err
	}
	if n.Kind != yaml.MappingNode {
		if p, ok := yamltext.Explain(w.data, n.Line+w.offset); ok {
			return &msg.FileError{File: w.file, Line: p.Line, Col: p.Col, Msg: p.Msg, Fix: p.Fix}
		}
		return w.fail(n, msg.T("文件头要写成一行一个的「键: 值」", "front-matter must be a YAML mapping of key: value lines"),
			msg.T("一行写一个字段，如 title: ...", "write one field per line, e.g. title: ..."))
	}
	m, keys, err := w.mapping(n, "", 1)
	if err != nil {
		return err
	}
	c.Fields, c.Keys = m, keys
	return nil
}

// check rejects anchors and aliases: they would let a few bytes expand into
// a huge value (billion laughs), and a record should say things once anyway.
func (w *walker) check(n *yaml.Node) *msg.FileError {
	if n.Kind == yaml.AliasNode {
		return w.fail(n, aliasMsg.Sprintf(n.Value), yamltext.WriteOutFix)
	}
	if n.Anchor != "" {
		return w.fail(n, msg.T("案件文件里不能用 YAML 锚点 &%s", "YAML anchor &%s is not allowed in a case file").Sprintf(n.Anchor),
			msg.T("删除锚点，把值完整写出来", "remove the anchor and write values out in full"))
	}
	return nil
}

func join(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

func (w *walker) mapping(n *yaml.Node, p string, depth int) (map[string]any, []string, error) {
	m := make(map[string]any, len(n.Content)/2)
	keys := make([]string, 0, len(n.Content)/2)
	first := make(map[string]int, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if err := w.check(k); err != nil {
			return nil, nil, err
		}
		if k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str" {
			if k.ShortTag() == "!!merge" {
				return nil, nil, w.fail(k, msg.T("案件文件里不能用 YAML 合并键 <<", "YAML merge key << is not allowed in a case file"),
					msg.T("把字段完整写出来", "write the fields out in full"))
			}
			return nil, nil, w.fail(k, msg.T("键「%s」不是文字", "key %q is not a string").Sprintf(k.Value),
				msg.T(`给键加引号，如 "2026": ...`, `quote the key, e.g. "2026": ...`))
		}
		if m, fix, bad := yamltext.Key(k.Value); bad {
			return nil, nil, w.fail(k, m, fix)
		}
		if line, dup := first[k.Value]; dup {
			return nil, nil, w.fail(k, msg.T("键「%s」重复（第一次在第 %d 行）", "duplicate key %q (first at line %d)").Sprintf(k.Value, line),
				msg.T("保留一个，删除另一个", "keep one of the two and delete the other"))
		}
		first[k.Value] = k.Line + w.offset
		kp := join(p, k.Value)
		w.lines = append(w.lines, linePos{Path: kp, Line: int32(k.Line + w.offset)})
		val, err := w.value(v, kp, depth+1)
		if err != nil {
			return nil, nil, err
		}
		m[k.Value] = val
		keys = append(keys, k.Value)
	}
	return m, keys, nil
}

func (w *walker) value(n *yaml.Node, p string, depth int) (any, error) {
	if err := w.check(n); err != nil {
		return nil, err
	}
	switch n.Kind {
	case yaml.MappingNode, yaml.SequenceNode:
		if depth > MaxDepth {
			return nil, w.fail(n, msg.T("文件头嵌套超过 %d 层", "front-matter is nested deeper than %d levels").Sprintf(MaxDepth),
				msg.T("减少嵌套的层数", "flatten the structure"))
		}
		if n.Kind == yaml.MappingNode {
			if t := n.ShortTag(); t != "!!map" {
				return nil, w.fail(n, tagMsg.Sprintf(t), removeTagFix)
			}
			m, _, err := w.mapping(n, p, depth)
			return m, err
		}
		if t := n.ShortTag(); t != "!!seq" {
			return nil, w.fail(n, tagMsg.Sprintf(t), removeTagFix)
		}
		list := make([]any, 0, len(n.Content))
		for i, item := range n.Content {
			ip := join(p, strconv.Itoa(i))
			w.lines = append(w.lines, linePos{Path: ip, Line: int32(item.Line + w.offset)})
			v, err := w.value(item, ip, depth+1)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		return list, nil
	case yaml.ScalarNode:
		if u, ok := unquoted(n); ok {
			u.Path, u.Line = p, n.Line+w.offset
			w.unquoted = append(w.unquoted, u)
		}
		return w.scalar(n)
	}
	return nil, w.fail(n, msg.T("读不懂的 YAML 内容", "unexpected YAML node"), msg.Text{})
}

func (w *walker) scalar(n *yaml.Node) (any, error) {
	switch t := n.ShortTag(); t {
	case "!!str", "!!timestamp":
		// Timestamps stay as written: received_at is read with the policy's
		// zone, and a date must not silently become midnight UTC.
		return n.Value, nil
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, w.fail(n, msg.T("「%s」读不成 true/false", "cannot read %q as true/false").Sprintf(n.Value), msg.T("写 true 或 false", "write true or false"))
		}
		return b, nil
	case "!!int":
		var i int64
		if err := n.Decode(&i); err == nil && i >= math.MinInt && i <= math.MaxInt {
			return int(i), nil
		}
		// Beyond int64 (yaml.v3 also resolves large unsigned values as
		// !!int): keep the magnitude rather than fail the whole file.
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, w.fail(n, notNumberMsg.Sprintf(n.Value), quoteTextFix)
		}
		return f, nil
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, w.fail(n, notNumberMsg.Sprintf(n.Value), quoteTextFix)
		}
		return f, nil
	default:
		return nil, w.fail(n, tagMsg.Sprintf(t), msg.T("删除标签，或给值加引号", "remove the tag, or quote the value"))
	}
}
