package policy

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/yamltext"
)

// doc is a policy file being loaded: its YAML node tree, kept so that every
// problem found after decoding can still point at its line, and the
// problems found so far.
type doc struct {
	file string
	root *yaml.Node // the top-level mapping
	errs msg.FileErrors
	// aliased is set when the document uses anchors or aliases: decoding
	// it into values would expand them (billion laughs).
	aliased bool
}

// at returns the node at path (mapping keys as strings, sequence indexes as
// ints), or the deepest node on the way when the path does not exist, so a
// problem about a missing key lands on its parent.
func (d *doc) at(path ...any) *yaml.Node {
	n, _ := d.walk(false, path)
	return n
}

// keyAt is like at, but returns the key node of the last mapping entry, for
// problems about a key rather than its value (a requirement for an unknown
// state).
func (d *doc) keyAt(path ...any) *yaml.Node {
	n, _ := d.walk(true, path)
	return n
}

func (d *doc) walk(wantKey bool, path []any) (*yaml.Node, bool) {
	n := d.root
	if n == nil {
		return nil, false
	}
	for i, p := range path {
		last := i == len(path)-1
		switch p := p.(type) {
		case string:
			if n.Kind != yaml.MappingNode {
				return n, false
			}
			found := false
			for j := 0; j+1 < len(n.Content); j += 2 {
				if n.Content[j].Value == p {
					if last && wantKey {
						return n.Content[j], true
					}
					n = n.Content[j+1]
					found = true
					break
				}
			}
			if !found {
				return n, false
			}
		case int:
			if n.Kind != yaml.SequenceNode || p < 0 || p >= len(n.Content) {
				return n, false
			}
			n = n.Content[p]
		default:
			panic(fmt.Sprintf("policy: bad path element %T", p))
		}
	}
	return n, true
}

// add records a problem at node n (nil: no position), format filled with
// args in each language.
func (d *doc) add(n *yaml.Node, fix, format msg.Text, args ...any) {
	e := &msg.FileError{File: d.file, Msg: format.Sprintf(args...), Fix: fix}
	if n != nil {
		e.Line, e.Col = n.Line, n.Column
	}
	d.errs = append(d.errs, e)
}

// strict walks the node tree against the Go type the policy decodes into,
// reporting unknown keys (with the closest known key), duplicate keys,
// anchors and aliases, and values of the wrong shape. yaml.v3's own
// KnownFields check stops short of line-accurate suggestions and of
// duplicate keys inside free-form maps, hence this pass.
func (d *doc) strict(n *yaml.Node, t reflect.Type, where string) {
	if n.Anchor != "" || n.Kind == yaml.AliasNode {
		d.aliased = true
		d.add(n, yamltext.WriteOutFix, msg.T("%s：政策里不能用 YAML 锚点和别名", "%s: YAML anchors and aliases are not allowed in a policy"), show(where))
		return
	}
	if n.Tag == "!!null" {
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		d.strict(n, t.Elem(), where)
	case reflect.Struct:
		if n.Kind == yaml.ScalarNode && t.Implements(scalarFormType) {
			// A FormItem, FormSection or Caption written as plain text.
			return
		}
		if n.Kind != yaml.MappingNode {
			d.add(n, msg.Text{}, mappingMsg, show(where), shape(n))
			return
		}
		fields := yamlFields(t)
		d.mapping(n, where, func(key string, k, v *yaml.Node) {
			f, ok := fields[key]
			if !ok {
				fix := suggest(key, fields)
				if n.Style&yaml.FlowStyle != 0 && v.Tag == "!!null" && v.Value == "" {
					// {zh: 启动程序,分析原因} splits at the comma.
					fix = msg.T("{...} 里的逗号会结束一个值：给含逗号的文字加引号", "a comma inside {...} ends a value: quote the text that contains it")
				}
				d.add(k, fix, msg.T("%[2]s：没有键 %[1]q", "unknown key %q in %s"), key, show(where))
				return
			}
			d.strict(v, f.Type, join(where, key))
		})
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			d.add(n, msg.Text{}, mappingMsg, show(where), shape(n))
			return
		}
		d.mapping(n, where, func(key string, _, v *yaml.Node) {
			d.strict(v, t.Elem(), join(where, key))
		})
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			var fix msg.Text
			if n.Kind == yaml.ScalarNode {
				fix = msg.T("写成列表：[%s]", "write a list: [%s]").Sprintf(n.Value)
			}
			d.add(n, fix, msg.T("%s：要写成列表，不能是%s", "%s must be a list, not %s"), show(where), shape(n))
			return
		}
		for i, item := range n.Content {
			d.strict(item, t.Elem(), fmt.Sprintf("%s[%d]", where, i))
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.add(n, msg.Text{}, msg.T("%s：要写成文字，不能是%s", "%s must be a text, not %s"), show(where), shape(n))
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			d.add(n, msg.T("写 true 或 false", "write true or false"), msg.T("%s：只能是 true 或 false，不能是%s", "%s must be true or false, not %s"), show(where), shape(n))
		}
	case reflect.Float64:
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
			d.add(n, msg.Text{}, msg.T("%s：要写成数字，不能是%s", "%s must be a number, not %s"), show(where), shape(n))
		}
	case reflect.Interface:
		// Free-form (extra:): any shape, but still no duplicate keys
		// or aliases.
		switch n.Kind {
		case yaml.MappingNode:
			d.mapping(n, where, func(key string, _, v *yaml.Node) {
				d.strict(v, t, join(where, key))
			})
		case yaml.SequenceNode:
			for i, item := range n.Content {
				d.strict(item, t, fmt.Sprintf("%s[%d]", where, i))
			}
		}
	}
}

// scalarForm is implemented by the types a policy may write as one plain
// text instead of a mapping; scalarKey names the key the text fills.
type scalarForm interface{ scalarKey() string }

var scalarFormType = reflect.TypeFor[scalarForm]()

// mapping calls fn for every entry of a mapping node after reporting
// duplicate and non-text keys.
func (d *doc) mapping(n *yaml.Node, where string, fn func(key string, k, v *yaml.Node)) {
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.add(k, msg.Text{}, msg.T("%s：键只能是普通的词", "%s: keys must be plain words"), show(where))
			continue
		}
		if k.Tag == "!!merge" {
			d.add(k, msg.T("把键完整写出来", "write the keys out in full"), msg.T("%s：政策里不能用 YAML 合并键（<<）", "%s: YAML merge keys (<<) are not allowed in a policy"), show(where))
			continue
		}
		if m, fix, bad := yamltext.Key(k.Value); bad {
			d.add(k, fix, msg.T("%s：%s", "%s: %s"), show(where), m)
			continue
		}
		if line, dup := seen[k.Value]; dup {
			d.add(k, msg.T("删除其中一个", "remove one of the two"), msg.T("%[2]s：键 %[1]q 重复（第一次在第 %[3]d 行）", "duplicate key %q in %s (first at line %d)"), k.Value, show(where), line)
			continue
		}
		seen[k.Value] = k.Line
		fn(k.Value, k, v)
	}
}

// yamlFields maps the yaml keys of a struct type to its fields.
func yamlFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || tag == "-" || tag == "" {
			continue
		}
		out[tag] = f
	}
	return out
}

func join(where, key string) string {
	if where == "" {
		return key
	}
	return where + "." + key
}

// show names a place in the policy for a message.
func show(where string) msg.Text {
	if where == "" {
		return msg.T("政策", "the policy")
	}
	return msg.Same(where)
}

var mappingMsg = msg.T("%s：要写成「键: 值」的映射，不能是%s", "%s must be a mapping of keys, not %s")

func shape(n *yaml.Node) msg.Text {
	switch n.Kind {
	case yaml.MappingNode:
		return msg.T("映射（键: 值）", "a mapping")
	case yaml.SequenceNode:
		return msg.T("列表", "a list")
	case yaml.AliasNode:
		return msg.T("别名", "an alias")
	}
	return msg.Same(fmt.Sprintf("%q", n.Value))
}

// didYouMean is the fix that names the closest of the known words.
func didYouMean(best string) msg.Text {
	return msg.T("是不是要写 %q？", "did you mean %q?").Sprintf(best)
}

// suggest names the known key closest to a mistyped one.
func suggest(key string, fields map[string]reflect.StructField) msg.Text {
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	if best := closest(key, names); best != "" {
		return didYouMean(best)
	}
	return msg.T("可用的键：%s", "known keys: %s").Sprintf(strings.Join(names, ", "))
}

// closest returns the candidate within a small edit distance of s, or "".
func closest(s string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := editDistance(s, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
