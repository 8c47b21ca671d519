package cases

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/casebook/casebook/internal/msg"
)

// Set gives the field at Path a new value. Path names mapping keys joined
// by dots ("status", "complainant.phone", "withdrawal.voluntary"); list
// elements cannot be addressed. Value is a string, an integer, a float64,
// a bool, nil, a time.Time, a []any or a map[string]any of those.
type Set struct {
	Path  string
	Value any
}

// Append adds Item at the end of the list at Path ("related",
// "extensions"), in the list's own style; a missing or empty field
// becomes a list of one item.
type Append struct {
	Path string
	Item any
}

// Delete removes the key at Path ("amount", "respondent.phone") with its
// value, and a mapping it leaves empty with it. A missing key is an error.
type Delete struct {
	Path string
}

// Change is one edit of a case file's front-matter: a Set, an Append or a
// Delete.
type Change interface{ change() }

func (Set) change()    {}
func (Append) change() {}
func (Delete) change() {}

// Edit applies sets to a case file's front-matter in place; see Apply.
func Edit(data []byte, sets []Set) ([]byte, error) {
	changes := make([]Change, len(sets))
	for i, s := range sets {
		changes[i] = s
	}
	return Apply(data, changes)
}

// Apply makes changes, in order, to the front-matter of a case file and
// returns the new file. Only the text of the values it sets changes: key
// order, comments, blank lines, the quoting of other values, flow or block
// style, CRLF line endings and the Markdown body stay byte for byte, which
// keeps the git diff of a transition to the lines that matter. New keys go
// after their last sibling (top-level keys at the end of the front-matter);
// a missing parent mapping is created in block style.
//
// Every change is checked by parsing the result: if anything but the
// changed paths would read differently (an unusual YAML layout the editor
// does not handle), Apply refuses rather than alter a record silently.
//
// Problems of the file (no front-matter, a duplicate key, a path through a
// value that is not a mapping) are *msg.FileError values with File left empty
// for the caller, who knows the path, to fill in.
func Apply(data []byte, changes []Change) ([]byte, error) {
	cur, err := Parse("", data)
	if err != nil {
		return nil, err
	}
	want := copyValue(cur.Fields).(map[string]any)
	wantKeys := slices.Clone(cur.Keys)
	body := cur.Body
	out := bytes.Clone(data)
	for i, ch := range changes {
		if i > 0 {
			if cur, err = Parse("", out); err != nil {
				return nil, unsafeEdit(changes[i-1], 1, err.Error())
			}
			if msg := compareCase(cur, want, wantKeys, body); msg != "" {
				return nil, unsafeEdit(changes[i-1], cur.FrontMatterLine, msg)
			}
		}
		if del, ok := ch.(Delete); ok {
			segs, err := splitPath(del.Path)
			if err != nil {
				return nil, err
			}
			e, err := newEditor(out, cur)
			if err != nil {
				return nil, err
			}
			var gone []string
			if out, gone, err = e.remove(del.Path, segs); err != nil {
				return nil, err
			}
			wantKeys = deleteWant(want, wantKeys, gone)
			continue
		}
		p, v, isAppend, err := unpack(ch)
		if err != nil {
			return nil, err
		}
		segs, err := splitPath(p)
		if err != nil {
			return nil, err
		}
		if d := len(segs) + collDepth(v); d > MaxDepth || isAppend && d+1 > MaxDepth {
			return nil, fmt.Errorf("set %s: the value would be nested deeper than %d levels, which Parse refuses", p, MaxDepth)
		}
		e, err := newEditor(out, cur)
		if err != nil {
			return nil, err
		}
		if out, err = e.apply(p, segs, v, isAppend); err != nil {
			return nil, err
		}
		if !slices.Contains(wantKeys, segs[0]) {
			wantKeys = append(wantKeys, segs[0])
		}
		setWant(want, segs, plainValue(v), isAppend)
	}
	if len(changes) > 0 {
		after, err := Parse("", out)
		if err != nil {
			return nil, unsafeEdit(changes[len(changes)-1], 1, err.Error())
		}
		if msg := compareCase(after, want, wantKeys, body); msg != "" {
			return nil, unsafeEdit(changes[len(changes)-1], after.FrontMatterLine, msg)
		}
	}
	return out, nil
}

func unpack(ch Change) (path string, v any, isAppend bool, err error) {
	switch ch := ch.(type) {
	case Set:
		path, v = ch.Path, ch.Value
	case Append:
		path, v, isAppend = ch.Path, ch.Item, true
	case Delete:
		return ch.Path, nil, false, nil
	default:
		return "", nil, false, fmt.Errorf("unknown change %T", ch)
	}
	nv, err := normalize(v, true)
	if err != nil {
		return "", nil, false, fmt.Errorf("set %s: %w", path, err)
	}
	return path, nv, isAppend, nil
}

// collDepth is how many levels of lists and mappings v holds.
func collDepth(v any) int {
	d := 0
	switch v := v.(type) {
	case []any:
		for _, x := range v {
			d = max(d, collDepth(x))
		}
	case map[string]any:
		for _, x := range v {
			d = max(d, collDepth(x))
		}
	default:
		return 0
	}
	return d + 1
}

func splitPath(p string) ([]string, error) {
	if !utf8.ValidString(p) {
		return nil, fmt.Errorf("invalid field path %q: not valid UTF-8", p)
	}
	segs := strings.Split(p, ".")
	if slices.Contains(segs, "") {
		return nil, fmt.Errorf("invalid field path %q: write keys joined by single dots, e.g. complainant.phone", p)
	}
	for _, s := range segs {
		if len(s) > maxKeyBytes {
			return nil, fmt.Errorf("invalid field path %.40q...: a key is longer than %d bytes", p, maxKeyBytes)
		}
	}
	return segs, nil
}

func unsafeEdit(ch Change, line int, why string) error {
	p, _, _, _ := unpack(ch)
	return &msg.FileError{Line: line,
		Msg: msg.T("无法只改 %s 而不动其他字段（%s）", "cannot change %s in place without changing other fields (%s)").Sprintf(p, why),
		Fix: msg.T("文件头的 YAML 排版是编辑器处理不了的；请手工修改", "the front-matter uses a YAML layout the editor does not handle; make the change by hand")}
}

// compareCase says how a re-parsed case differs from what the edits should
// have produced, "" when it does not.
func compareCase(c *Case, want map[string]any, wantKeys []string, body string) string {
	if c.Body != body {
		return "the body changed"
	}
	if !slices.Equal(c.Keys, wantKeys) {
		return fmt.Sprintf("keys read as %v, want %v", c.Keys, wantKeys)
	}
	for _, k := range wantKeys {
		if !sameValue(c.Fields[k], want[k]) {
			return fmt.Sprintf("%s reads as %#v, want %#v", k, c.Fields[k], want[k])
		}
	}
	return ""
}

// sameValue is reflect.DeepEqual for parsed values, except that NaN
// equals NaN: a field holding .nan is unchanged by an edit elsewhere.
func sameValue(a, b any) bool {
	switch a := a.(type) {
	case float64:
		b, ok := b.(float64)
		return ok && (a == b || math.IsNaN(a) && math.IsNaN(b))
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !sameValue(a[i], b[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			w, ok := b[k]
			if !ok || !sameValue(v, w) {
				return false
			}
		}
		return true
	}
	return a == b
}

func copyValue(v any) any {
	switch v := v.(type) {
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = copyValue(x)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = copyValue(x)
		}
		return out
	}
	return v
}

// setWant records in fields what a change should make Parse read.
func setWant(fields map[string]any, segs []string, v any, isAppend bool) {
	m := fields
	for _, s := range segs[:len(segs)-1] {
		next, ok := m[s].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[s] = next
		}
		m = next
	}
	last := segs[len(segs)-1]
	if isAppend {
		list, _ := m[last].([]any)
		m[last] = append(list, v)
		return
	}
	m[last] = v
}

// deleteWant records in fields that the key at segs is gone, and returns
// the top-level keys without it when it was one.
func deleteWant(fields map[string]any, keys, segs []string) []string {
	m := fields
	for _, s := range segs[:len(segs)-1] {
		m, _ = m[s].(map[string]any)
	}
	delete(m, segs[len(segs)-1])
	if len(segs) == 1 {
		keys = slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return k == segs[0] })
	}
	return keys
}

// remove deletes the key at segs with its value. When it is the only key
// of a mapping, the mapping's own key goes instead, and so on up: no empty
// mapping is left behind. It returns the path of the key it removed.
func (e *editor) remove(p string, segs []string) ([]byte, []string, error) {
	type level struct{ m, k, v *yaml.Node }
	var chain []level
	m := e.root
	for i, seg := range segs {
		var k, v *yaml.Node
		if m != nil {
			if err := e.explicitKeys(m); err != nil {
				return nil, nil, err
			}
			k, v = lookup(m, seg)
		}
		if k == nil {
			return nil, nil, &msg.FileError{Line: e.fmLine, Msg: msg.T("无法删除 %s：文件头里没有 %s", "cannot remove %s: the front-matter has no %s").Sprintf(p, strings.Join(segs[:i+1], ".")),
				Fix: msg.T("只删除案件里有的字段", "remove only fields the case has")}
		}
		chain = append(chain, level{m, k, v})
		if i < len(segs)-1 {
			if v.Kind != yaml.MappingNode {
				return nil, nil, e.fail(k, msg.T("无法删除 %s：%s 是%s，不是映射（键: 值）", "cannot remove %s: %s is %s, not a mapping").Sprintf(p, strings.Join(segs[:i+1], "."), nodeKind(v)),
					msg.T("删除 %s 本身", "remove %s itself").Sprintf(strings.Join(segs[:i+1], ".")))
			}
			m = v
		}
	}
	j := len(chain) - 1
	for j > 0 && len(chain[j].m.Content) == 2 {
		j--
	}
	l := chain[j]
	var start, end int
	switch {
	case isFlow(l.m):
		pairs := l.m.Content
		if pairs[0] == l.k {
			// The first entry goes up to the next key.
			start, end = e.offset(l.k), e.offset(pairs[2])
		} else {
			for i := 2; i < len(pairs); i += 2 {
				if pairs[i] == l.k {
					start = e.nodeEnd(pairs[i-1], 0, true)
				}
			}
			end = e.nodeEnd(l.v, 0, true)
		}
	default:
		start = e.lineStart[e.fmLine+l.k.Line-1]
		if strings.TrimLeft(string(e.data[start:e.offset(l.k)]), " ") != "" {
			return nil, nil, e.fail(l.k, msg.T("无法删除 %s：它的键不在行首", "cannot remove %s: its key does not start a line").Sprintf(p), msg.T("请手工删除", "remove it by hand"))
		}
		end = e.lineAfter(e.nodeEnd(l.v, blockIndent(l.m), false))
	}
	out, err := e.splice(start, end, "")
	return out, segs[:j+1], err
}

// editor holds one version of a file and its front-matter's node tree, with
// the means to turn node positions into byte offsets.
type editor struct {
	data      []byte
	lineStart []int // byte offset of each line, index 0 for line 1
	fmLine    int   // line of the opening delimiter
	// fmStart and fmEnd delimit the front-matter text: from the line after
	// the opening delimiter to the start of the closing one.
	fmStart, fmEnd int
	nl             string
	root           *yaml.Node // nil for an empty front-matter
}

func newEditor(data []byte, c *Case) (*editor, error) {
	e := &editor{data: data, fmLine: c.FrontMatterLine, lineStart: []int{0}, nl: "\n"}
	for i, b := range data {
		if b == '\n' {
			e.lineStart = append(e.lineStart, i+1)
		}
	}
	e.fmStart = e.lineStart[c.FrontMatterLine]
	e.fmEnd = e.lineStart[c.FrontMatterEnd-1]
	if bytes.HasSuffix(data[:e.fmStart], []byte("\r\n")) {
		e.nl = "\r\n"
	}
	if !utf8.Valid(data[e.fmStart:e.fmEnd]) {
		// yaml.v3 would take a UTF-16 byte order mark as a switch of
		// encoding, and text appended in UTF-8 would not read back.
		return nil, &msg.FileError{Line: e.fmLine + 1, Msg: msg.T("文件头不是有效的 UTF-8", "front-matter is not valid UTF-8"),
			Fix: msg.T("把文件另存为 UTF-8", "save the file as UTF-8")}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data[e.fmStart:e.fmEnd], &doc); err != nil {
		// Parse accepted the same text; this would be a bug.
		return nil, fmt.Errorf("read front-matter again: %w", err)
	}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		e.root = doc.Content[0]
	}
	return e, nil
}

// fail is a *msg.FileError at node n.
func (e *editor) fail(n *yaml.Node, m, fix msg.Text) *msg.FileError {
	return &msg.FileError{Line: e.fmLine + n.Line, Col: n.Column, Msg: m, Fix: fix}
}

// offset is the byte offset of a node's first character. yaml.v3 counts
// columns in characters, so the line is walked rune by rune.
func (e *editor) offset(n *yaml.Node) int {
	line := e.fmLine + n.Line
	if line-1 >= len(e.lineStart) {
		return e.fmEnd
	}
	i := e.lineStart[line-1]
	for range n.Column - 1 {
		if i >= e.fmEnd {
			break
		}
		_, size := utf8.DecodeRune(e.data[i:e.fmEnd])
		i += size
	}
	return i
}

func (e *editor) splice(start, end int, text string) ([]byte, error) {
	if start < e.fmStart || end < start || end > e.fmEnd {
		return nil, fmt.Errorf("edit span %d..%d outside the front-matter %d..%d", start, end, e.fmStart, e.fmEnd)
	}
	out := make([]byte, 0, len(e.data)+len(text)-(end-start))
	out = append(out, e.data[:start]...)
	out = append(out, text...)
	return append(out, e.data[end:]...), nil
}

func lookup(m *yaml.Node, key string) (k, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// explicitKeys refuses a block mapping written with "? key" lines: where
// its values end is not worth guessing for a layout no clerk writes.
func (e *editor) explicitKeys(m *yaml.Node) error {
	if isFlow(m) {
		return nil
	}
	for i := 0; i < len(m.Content); i += 2 {
		k := m.Content[i]
		j := e.offset(k) - 1
		for j >= e.fmStart && isBlank(e.data[j]) {
			j--
		}
		if j >= e.fmStart && e.data[j] == '?' && isBlank(e.data[j+1]) &&
			len(bytes.TrimLeft(e.data[bytes.LastIndexByte(e.data[:j], '\n')+1:j], " ")) == 0 {
			return e.fail(k, msg.T("编辑案件文件时不支持显式键（? 键）", "explicit keys (? key) are not supported when editing a case file"),
				msg.T("把字段写成一行「键: 值」", "write the field as key: value on one line"))
		}
	}
	return nil
}

// blockIndent is the indentation (0-based column) of a block collection:
// that of its first key for a mapping, as yaml.v3 places a tagged node at
// its tag, which may be on a line of its own.
func blockIndent(n *yaml.Node) int {
	if n.Kind == yaml.MappingNode && len(n.Content) > 0 {
		return n.Content[0].Column - 1
	}
	return n.Column - 1
}

func isFlow(n *yaml.Node) bool { return n.Style&yaml.FlowStyle != 0 }

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// isEmpty reports a value written as nothing at all ("key:"), or as a bare
// tag ("key: !!str"): yaml.v3 keeps the text of ~ and null in Value.
func isEmpty(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Value == "" && n.Style&^yaml.TaggedStyle == 0
}

// nest wraps the value for a path whose keys from segs on do not exist yet.
func nest(segs []string, v any, isAppend bool) any {
	if isAppend {
		v = []any{v}
	}
	for i := len(segs) - 1; i >= 0; i-- {
		v = map[string]any{segs[i]: v}
	}
	return v
}

func (e *editor) apply(p string, segs []string, v any, isAppend bool) ([]byte, error) {
	m := e.root
	if m == nil {
		// An empty front-matter: the new key is its first line.
		r := renderer{nl: e.nl}
		return e.splice(e.docEnd(), e.docEnd(), r.key(segs[0], false)+":"+r.blockValue(nest(segs[1:], v, isAppend), 0)+e.nl)
	}
	for i, seg := range segs {
		if err := e.explicitKeys(m); err != nil {
			return nil, err
		}
		k, val := lookup(m, seg)
		if k == nil {
			return e.insert(m, segs[i], nest(segs[i+1:], v, isAppend))
		}
		if i == len(segs)-1 {
			if isAppend {
				return e.appendItem(p, m, k, val, v)
			}
			return e.replace(m, k, val, v)
		}
		switch {
		case val.Kind == yaml.MappingNode:
			m = val
		case isNull(val):
			return e.replace(m, k, val, nest(segs[i+1:], v, isAppend))
		default:
			return nil, e.fail(k, msg.T("无法设置 %s：%s 是%s，不是映射（键: 值）", "cannot set %s: %s is %s, not a mapping").Sprintf(p, strings.Join(segs[:i+1], "."), nodeKind(val)),
				msg.T("路径只能经过映射，或直接设置 %s", "choose a path through mappings only, or set %s itself").Sprintf(strings.Join(segs[:i+1], ".")))
		}
	}
	panic("unreachable")
}

func nodeKind(n *yaml.Node) msg.Text {
	switch n.Kind {
	case yaml.SequenceNode:
		return msg.T("列表", "a list")
	case yaml.MappingNode:
		return msg.T("映射（键: 值）", "a mapping")
	}
	return msg.T("单个值", "a single value")
}

// insert adds a new key to mapping m: before the closing } of a flow
// mapping, on a new line after the last sibling of a block mapping, or at
// the end of the front-matter for a top-level key.
func (e *editor) insert(m *yaml.Node, key string, v any) ([]byte, error) {
	r := renderer{nl: e.nl}
	if isFlow(m) {
		pos, sep := e.flowInsertPos(m)
		return e.splice(pos, pos, sep+r.key(key, true)+": "+flowText(v))
	}
	indent := blockIndent(m)
	pos := e.docEnd()
	if m != e.root {
		pos = e.lineAfter(e.nodeEnd(m, 0, false))
	}
	return e.splice(pos, pos, pad(indent)+r.key(key, false)+":"+r.blockValue(v, indent)+e.nl)
}

// docEnd is where a new top-level key goes: the end of the front-matter,
// or the start of a "..." line that ends the YAML document before it.
func (e *editor) docEnd() int {
	for line := e.fmStart; line < e.fmEnd; line = e.lineAfter(line) {
		if bytes.HasPrefix(e.data[line:e.fmEnd], []byte("...")) && (line+3 == e.fmEnd || isBlank(e.data[line+3])) {
			return line
		}
	}
	return e.fmEnd
}

// flowInsertPos is where a new entry of a flow collection goes: after its
// last entry, or just inside the opening bracket of an empty one.
func (e *editor) flowInsertPos(n *yaml.Node) (int, string) {
	if len(n.Content) == 0 {
		return e.skipTag(e.offset(n)) + 1, ""
	}
	return e.nodeEnd(n.Content[len(n.Content)-1], 0, true), ", "
}

func (e *editor) lineAfter(i int) int {
	if j := bytes.IndexByte(e.data[i:e.fmEnd], '\n'); j >= 0 {
		return i + j + 1
	}
	return e.fmEnd
}

// replace gives key k of mapping m the value v in place of val.
func (e *editor) replace(m, k, val *yaml.Node, v any) ([]byte, error) {
	r := renderer{nl: e.nl}
	flow := isFlow(m)
	indent := blockIndent(m)
	start := e.offset(val)
	end := e.nodeEnd(val, indent, flow)
	blockColl := val.Kind != yaml.ScalarNode && !isFlow(val)
	if blockColl || !flow && val.Line > k.Line && val.Column-1 <= indent {
		// The value's lines go, from just after the colon.
		start = e.colonEnd(k)
	}

	var text string
	switch {
	case !isCollection(v):
		if s, ok := v.(string); ok && strings.Contains(s, "\n") && !flow && literalOK(s) && !e.indentedAfter(end, indent) {
			text = literal(s, indent+2, e.nl)
			break
		}
		var pref byte
		switch {
		case val.Style&yaml.SingleQuotedStyle != 0:
			pref = '\''
		case val.Style&yaml.DoubleQuotedStyle != 0:
			pref = '"'
		}
		text = scalarText(v, flow, pref)
	case flow || isFlow(val) || isEmptyColl(v):
		text = flowText(v)
	default:
		// A block rendering starts on the next line. A comment on the
		// key's line stays there when the old value was a block
		// collection too.
		childIndent := indent + 2
		if blockColl {
			j := start
			for j < e.fmEnd && (e.data[j] == ' ' || e.data[j] == '\t') {
				j++
			}
			if j < e.fmEnd && e.data[j] == '#' {
				start = e.lineEnd(j)
			}
			if c := val.Column - 1; c > indent || (c == indent && val.Kind == yaml.SequenceNode) {
				childIndent = c
			}
			if _, ok := v.(map[string]any); ok && childIndent <= indent {
				childIndent = indent + 2
			}
		} else {
			start = e.colonEnd(k)
		}
		text = r.blockLines(v, childIndent)
	}
	if isEmpty(val) && !blockColl {
		// yaml.v3 places an empty value after the colon in block style but
		// at the next token in flow style, and a flow key may have no
		// colon at all ({a, b}).
		start = e.scalarEnd(k, e.offset(k), indent, flow)
		j := start
		for j < e.fmEnd && (e.data[j] == ' ' || e.data[j] == '\t') {
			j++
		}
		if j < e.fmEnd && e.data[j] == ':' {
			start = j + 1
		} else {
			text = ":" + text
		}
		// The blanks and a bare tag after the colon go with the old value.
		end = start
		for end < e.fmEnd && (e.data[end] == ' ' || e.data[end] == '\t') {
			end++
		}
		if end < e.fmEnd && e.data[end] == '!' {
			end = e.scalarEnd(val, end, indent, flow)
			for end < e.fmEnd && (e.data[end] == ' ' || e.data[end] == '\t') {
				end++
			}
		}
	}
	if i := strings.Index(text, e.nl); i >= 0 && !flow {
		// Blanks after the old value would end the last line of a block
		// scalar.
		j := end
		for j < e.fmEnd && (e.data[j] == ' ' || e.data[j] == '\t') {
			j++
		}
		if j == e.fmEnd || e.data[j] == '\r' || e.data[j] == '\n' {
			end = j
		}
		// A comment after the old value would become part of a block
		// scalar, or trail the last item of a list: move it up to the
		// first line.
		if rest := e.data[end:e.lineEnd(end)]; bytes.HasPrefix(bytes.TrimLeft(rest, " \t"), []byte("#")) {
			text = text[:i] + string(rest) + text[i:]
			end += len(rest)
		}
	}
	if end < e.fmEnd && e.data[end] == '#' {
		// yaml.v3 lets a comment touch a quoted value ('x'# c), but a
		// plain one would take the # in.
		text += " "
	}
	// The space between a colon and an empty value may be missing.
	if !strings.HasPrefix(text, e.nl) && (strings.HasPrefix(text, ":") || start > 0 && e.data[start-1] == ':') {
		if t, ok := strings.CutPrefix(text, ":"); ok {
			text = ": " + t
		} else {
			text = " " + text
		}
	}
	return e.splice(start, end, text)
}

// indentedAfter reports whether the next line that is not blank after
// offset i is indented deeper than indent, such as a comment line: a block
// scalar written before it would take it in as text.
func (e *editor) indentedAfter(i, indent int) bool {
	for line := e.lineAfter(i); line < e.fmEnd; line = e.lineAfter(line) {
		k := line
		for k < e.fmEnd && (e.data[k] == ' ' || e.data[k] == '\t') {
			k++
		}
		if k < e.lineEnd(line) {
			return k-line > indent
		}
	}
	return false
}

func isCollection(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return true
	}
	return false
}

// appendItem adds item at the end of the list val, the value of key k.
func (e *editor) appendItem(p string, m, k, val *yaml.Node, item any) ([]byte, error) {
	if isNull(val) {
		return e.replace(m, k, val, []any{item})
	}
	if val.Kind != yaml.SequenceNode {
		return nil, e.fail(k, msg.T("无法给 %s 添加：它是%s，不是列表", "cannot append to %s: it is %s, not a list").Sprintf(p, nodeKind(val)),
			msg.T("只能给列表字段添加；或者直接设置这个字段", "append to a list field, or set the field instead"))
	}
	if isFlow(val) || isFlow(m) {
		pos, sep := e.flowInsertPos(val)
		return e.splice(pos, pos, sep+flowText(item))
	}
	indent := val.Column - 1
	last := val.Content[len(val.Content)-1]
	r := renderer{nl: e.nl, flowItems: last.Kind == yaml.MappingNode && isFlow(last)}
	pos := e.lineAfter(e.nodeEnd(val, blockIndent(m), false))
	return e.splice(pos, pos, pad(indent)+"-"+r.itemValue(item, indent)+e.nl)
}

func isEmptyColl(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		return len(v) == 0
	case []any:
		return len(v) == 0
	}
	return false
}

func (e *editor) lineEnd(i int) int {
	for i < e.fmEnd && e.data[i] != '\n' {
		i++
	}
	if i > 0 && e.data[i-1] == '\r' {
		i--
	}
	return i
}

// colonEnd is the offset just after the colon that follows key k.
func (e *editor) colonEnd(k *yaml.Node) int {
	i := e.scalarEnd(k, e.offset(k), 0, false)
	for i < e.fmEnd && (e.data[i] == ' ' || e.data[i] == '\t') {
		i++
	}
	if i < e.fmEnd && e.data[i] == ':' {
		i++
	}
	return i
}

// nodeEnd is the offset just after the last character of node n. indent is
// the indentation (0-based column) of the block collection holding n; flow
// says whether n is inside a flow collection.
func (e *editor) nodeEnd(n *yaml.Node, indent int, flow bool) int {
	start := e.offset(n)
	switch n.Kind {
	case yaml.ScalarNode:
		return e.scalarEnd(n, start, indent, flow)
	case yaml.MappingNode, yaml.SequenceNode:
		if isFlow(n) {
			return e.flowEnd(n, start)
		}
		if len(n.Content) == 0 {
			return start
		}
		return e.nodeEnd(n.Content[len(n.Content)-1], blockIndent(n), false)
	}
	return start
}

// flowEnd is the offset after the closing bracket of a flow collection.
func (e *editor) flowEnd(n *yaml.Node, start int) int {
	start = e.skipTag(start)
	open := e.data[start]
	if open != '{' && open != '[' {
		// A single pair inside a flow sequence ([a: 1]) has no braces.
		if len(n.Content) == 0 {
			return start
		}
		return e.nodeEnd(n.Content[len(n.Content)-1], 0, true)
	}
	closing := byte('}')
	if open == '[' {
		closing = ']'
	}
	i := start + 1
	if len(n.Content) > 0 {
		i = e.nodeEnd(n.Content[len(n.Content)-1], 0, true)
	}
	for i < e.fmEnd {
		switch e.data[i] {
		case closing:
			return i + 1
		case '#':
			i = e.lineEnd(i)
		default:
			i++
		}
	}
	return e.fmEnd
}

// skipTag steps over a tag (!!str, or a lone !) at i and the blanks after
// it: yaml.v3 places a tagged node at its tag.
func (e *editor) skipTag(i int) int {
	if i >= e.fmEnd || e.data[i] != '!' {
		return i
	}
	for i < e.fmEnd && !isBlank(e.data[i]) {
		i++
	}
	for i < e.fmEnd && (e.data[i] == ' ' || e.data[i] == '\t') {
		i++
	}
	return i
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// scalarEnd is the offset after the last character of scalar n, which
// starts at start; see nodeEnd for indent and flow.
func (e *editor) scalarEnd(n *yaml.Node, start, indent int, flow bool) int {
	if isEmpty(n) {
		// Past a bare tag; yaml.v3 places an untagged empty value after
		// the colon in block style, at the next token in flow style.
		for start < e.fmEnd && e.data[start] == '!' && !isBlank(e.data[start]) {
			start++
			for start < e.fmEnd && !isBlank(e.data[start]) && strings.IndexByte(",[]{}", e.data[start]) < 0 {
				start++
			}
		}
		return start
	}
	i := e.skipTag(start)
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		for i++; i < e.fmEnd; i++ {
			switch e.data[i] {
			case '\\':
				i++
			case '"':
				return i + 1
			}
		}
		return e.fmEnd
	case n.Style&yaml.SingleQuotedStyle != 0:
		for i++; i < e.fmEnd; i++ {
			if e.data[i] == '\'' {
				if i+1 < e.fmEnd && e.data[i+1] == '\'' {
					i++
					continue
				}
				return i + 1
			}
		}
		return e.fmEnd
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return e.blockScalarEnd(i, indent)
	}
	return e.plainEnd(i, indent, flow)
}

// plainEnd follows yaml.v3's scanner for plain scalars, which may go on
// over lines indented deeper than the collection holding them.
func (e *editor) plainEnd(i, indent int, flow bool) int {
	end := i
	for i < e.fmEnd {
		if e.data[i] == '#' {
			break
		}
		for i < e.fmEnd && !isBlank(e.data[i]) {
			c := e.data[i]
			if c == ':' && (i+1 >= e.fmEnd || isBlank(e.data[i+1])) {
				return end
			}
			if flow && strings.IndexByte(",?[]{}", c) >= 0 {
				return end
			}
			i++
			end = i
		}
		lineStart := -1
		for i < e.fmEnd && isBlank(e.data[i]) {
			if e.data[i] == '\n' {
				lineStart = i + 1
			}
			i++
		}
		if lineStart >= 0 {
			col := i - lineStart
			if !flow && col < indent+1 {
				break
			}
			if col == 0 && (bytes.HasPrefix(e.data[i:], []byte("---")) || bytes.HasPrefix(e.data[i:], []byte("..."))) {
				break
			}
		}
	}
	return end
}

// blockScalarEnd is the end of the last line of a | or > scalar whose
// indicator is at i; trailing blank lines belong to it only when it keeps
// them (|+).
func (e *editor) blockScalarEnd(i, indent int) int {
	i++
	keep, explicit := false, 0
	for ; i < e.fmEnd; i++ {
		c := e.data[i]
		switch {
		case c == '+':
			keep = true
		case c == '-':
		case c >= '1' && c <= '9':
			explicit = int(c - '0')
		default:
			goto header
		}
	}
header:
	end := i
	content := 0
	if explicit > 0 {
		content = indent + explicit
	}
	for line := e.lineAfter(i); line < e.fmEnd; line = e.lineAfter(line) {
		k := line
		for k < e.fmEnd && e.data[k] == ' ' {
			k++
		}
		eol := e.lineEnd(line)
		if k >= eol {
			if keep {
				end = eol
			}
			continue
		}
		spaces := k - line
		if content == 0 {
			if spaces <= indent {
				break
			}
			content = spaces
		}
		if spaces < content {
			break
		}
		end = eol
	}
	return end
}
