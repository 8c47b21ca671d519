package cases

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Field is one top-level key of a new case file and its value (see Set for
// the value types).
type Field struct {
	Key   string
	Value any
}

// maxFlowWidth is the widest mapping or list Render writes on one line, in
// columns (a Chinese character takes two).
const maxFlowWidth = 64

// maxKeyBytes bounds the keys Edit writes: YAML reads a key on one line
// only up to 1024 characters, and quoting can make a key four times longer.
const maxKeyBytes = 200

// width approximates the columns s takes in an editor: East Asian wide
// characters count twice.
func width(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x1100 {
			n++
		}
	}
	return n
}

// Render writes a new case file: the fields as front-matter in the given
// order, then the body. Short mappings of single values and lists of
// single values are written on one line ({name: 王某, phone: "13800000000"}),
// longer ones and lists of mappings in block style; times in RFC 3339;
// strings are quoted only when YAML would read them otherwise (digits such
// as phone numbers, yes, dates, "a: b"). Parse reads the result back as the
// same values, times as their RFC 3339 text. A key given twice keeps its
// first place and its last value; a value of another type is written as
// its fmt.Sprint text.
func Render(fields []Field, body string) []byte {
	var keys []string
	values := make(map[string]any, len(fields))
	for _, f := range fields {
		if _, dup := values[f.Key]; !dup {
			keys = append(keys, f.Key)
		}
		v, err := normalize(f.Value, false)
		if err != nil {
			v = fmt.Sprint(f.Value)
		}
		values[f.Key] = v
	}
	r := renderer{nl: "\n", compact: true}
	var b strings.Builder
	b.WriteString(delim + "\n")
	for _, k := range keys {
		b.WriteString(r.key(k, false))
		b.WriteString(":")
		b.WriteString(r.blockValue(values[k], 0))
		b.WriteString("\n")
	}
	b.WriteString(delim + "\n")
	b.WriteString(body)
	return []byte(b.String())
}

// normalize turns a value given to Set, Append or Render into the types
// the renderer knows: string, int, float64, bool, nil, time.Time, []any
// and map[string]any. Strict mode refuses what it cannot represent exactly.
func normalize(v any, strict bool) (any, error) {
	switch v := v.(type) {
	case nil, bool, float64, time.Time:
		return v, nil
	case string:
		if !utf8.ValidString(v) {
			if strict {
				return nil, fmt.Errorf("value %q is not valid UTF-8", v)
			}
			return strings.ToValidUTF8(v, "\uFFFD"), nil
		}
		return v, nil
	case int:
		return v, nil
	case int8:
		return int(v), nil
	case int16:
		return int(v), nil
	case int32:
		return int(v), nil
	case int64:
		return int(v), nil
	case uint8:
		return int(v), nil
	case uint16:
		return int(v), nil
	case uint32:
		return int(v), nil
	case uint:
		return normalize(uint64(v), strict)
	case uint64:
		if v > math.MaxInt {
			if strict {
				return nil, fmt.Errorf("number %d is too large", v)
			}
			return float64(v), nil
		}
		return int(v), nil
	case float32:
		return float64(v), nil
	case []string:
		out := make([]any, len(v))
		for i, s := range v {
			out[i] = s
		}
		return normalize(out, strict)
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			n, err := normalize(x, strict)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	case map[string]string:
		out := make(map[string]any, len(v))
		for k, s := range v {
			out[k] = s
		}
		return normalize(out, strict)
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			if strict && len(k) > maxKeyBytes {
				return nil, fmt.Errorf("key %.40q... is longer than %d bytes", k, maxKeyBytes)
			}
			if !utf8.ValidString(k) {
				if strict {
					return nil, fmt.Errorf("key %q is not valid UTF-8", k)
				}
				k = strings.ToValidUTF8(k, "\uFFFD")
			}
			n, err := normalize(x, strict)
			if err != nil {
				return nil, err
			}
			out[k] = n
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported value type %T", v)
}

// plainValue is what Parse reads for a normalized value: times become the
// text they are written as.
func plainValue(v any) any {
	switch v := v.(type) {
	case time.Time:
		return formatTime(v)
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = plainValue(x)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = plainValue(x)
		}
		return out
	}
	return v
}

func formatTime(t time.Time) string { return t.Format(time.RFC3339Nano) }

// renderer writes values as YAML. compact puts short mappings and lists of
// single values on one line (Render); flowItems writes mapping items of a
// block list on one line, to match a list already written so.
type renderer struct {
	nl                 string
	compact, flowItems bool
}

func pad(n int) string { return strings.Repeat(" ", max(n, 0)) }

func (r renderer) key(k string, flow bool) string { return quoteString(k, flow, 0) }

// blockValue is the text after "key:" for a key indented by indent in a
// block mapping: " value" or lines below.
func (r renderer) blockValue(v any, indent int) string {
	switch v := v.(type) {
	case map[string]any, []any:
		if isEmptyColl(v) {
			return " " + flowText(v)
		}
		if r.compact && singleValues(v) {
			if f := flowText(v); width(f) <= maxFlowWidth {
				return " " + f
			}
		}
		return r.blockLines(v, indent+2)
	case string:
		if strings.Contains(v, "\n") && literalOK(v) {
			return " " + literal(v, indent+2, r.nl)
		}
	}
	return " " + scalarText(v, false, 0)
}

// blockLines writes a non-empty mapping or list in block style, each entry
// on a new line indented by indent.
func (r renderer) blockLines(v any, indent int) string {
	var b strings.Builder
	switch v := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(v) {
			b.WriteString(r.nl + pad(indent) + r.key(k, false) + ":" + r.blockValue(v[k], indent))
		}
	case []any:
		for _, item := range v {
			b.WriteString(r.nl + pad(indent) + "-" + r.itemValue(item, indent))
		}
	}
	return b.String()
}

// itemValue is the text after the "-" of a block list item at indent.
func (r renderer) itemValue(item any, indent int) string {
	switch item := item.(type) {
	case map[string]any:
		if len(item) == 0 || r.flowItems {
			return " " + flowText(item)
		}
		var b strings.Builder
		for i, k := range sortedKeys(item) {
			if i == 0 {
				b.WriteString(" ")
			} else {
				b.WriteString(r.nl + pad(indent+2))
			}
			b.WriteString(r.key(k, false) + ":" + r.blockValue(item[k], indent+2))
		}
		return b.String()
	case []any:
		return " " + flowText(item)
	case string:
		if strings.Contains(item, "\n") && literalOK(item) {
			return " " + literal(item, indent+2, r.nl)
		}
	}
	return " " + scalarText(item, false, 0)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// singleValues reports a mapping or list holding no mappings, lists or
// multi-line strings, which reads well on one line.
func singleValues(v any) bool {
	var items []any
	switch v := v.(type) {
	case map[string]any:
		for _, x := range v {
			items = append(items, x)
		}
	case []any:
		items = v
	}
	for _, x := range items {
		switch x := x.(type) {
		case map[string]any, []any:
			return false
		case string:
			if strings.Contains(x, "\n") {
				return false
			}
		}
	}
	return true
}

// flowText writes a value on one line, as inside a flow collection.
func flowText(v any) string {
	switch v := v.(type) {
	case map[string]any:
		parts := make([]string, 0, len(v))
		for _, k := range sortedKeys(v) {
			parts = append(parts, quoteString(k, true, 0)+": "+flowText(v[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = flowText(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return scalarText(v, true, 0)
}

// scalarText writes a single value. pref is the quote a string should keep
// when it can (a single or a double quote), 0 for quoting only when
// needed.
func scalarText(v any, flow bool, pref byte) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(v)
	case int:
		return strconv.Itoa(v)
	case float64:
		return formatFloat(v)
	case time.Time:
		return formatTime(v)
	case string:
		return quoteString(v, flow, pref)
	}
	return quoteString(fmt.Sprint(v), flow, pref)
}

func formatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return ".nan"
	case math.IsInf(f, 1):
		return ".inf"
	case math.IsInf(f, -1):
		return "-.inf"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0" // 3.0 must not read back as the integer 3
	}
	return s
}

func quoteString(s string, flow bool, pref byte) string {
	switch {
	case pref == '\'' && singleOK(s):
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	case pref == '"':
		return doubleQuote(s)
	case plainOK(s, flow):
		return s
	}
	return doubleQuote(s)
}

// graphic reports a character YAML can hold as it is in a quoted or plain
// scalar: printable, or a space such as U+3000, but not the byte order mark.
func graphic(r rune) bool {
	return r == ' ' || (unicode.IsGraphic(r) && r != '\uFEFF' && r != utf8.RuneError)
}

func singleOK(s string) bool {
	for _, r := range s {
		if !graphic(r) {
			return false
		}
	}
	return true
}

// yaml11Bools are words YAML 1.1 reads as true or false. yaml.v3 reads them
// as text, but other tools reading the office's files may not.
var yaml11Bools = map[string]bool{
	"y": true, "Y": true, "yes": true, "Yes": true, "YES": true, "n": true, "N": true, "no": true, "No": true, "NO": true,
	"on": true, "On": true, "ON": true, "off": true, "Off": true, "OFF": true,
}

// plainOK reports whether s can be written without quotes and read back as
// the same string, in a flow collection or not.
func plainOK(s string, flow bool) bool {
	if s == "" || strings.IndexByte("-?:,[]{}#&*!|>'\"%@` \t", s[0]) >= 0 {
		return false
	}
	if last := s[len(s)-1]; last == ' ' || last == '\t' || last == ':' {
		return false
	}
	for i, r := range s {
		switch {
		case !graphic(r):
			return false
		case r == ':' && s[i+1] == ' ':
			return false
		case r == '#' && s[i-1] == ' ':
			return false
		case flow && strings.ContainsRune(",?[]{}", r):
			return false
		}
	}
	if yaml11Bools[s] {
		return false
	}
	if s[0] >= '0' && s[0] <= '9' && strings.Contains(s, ":") {
		return false // YAML 1.1 reads 1:20 as a sexagesimal number
	}
	// Only text starting with these can resolve to anything but a string
	// (numbers, null, booleans, dates, the merge key).
	if strings.IndexByte("+.0123456789~nNtTfFyYoO<", s[0]) >= 0 {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(s), &doc); err != nil || len(doc.Content) != 1 {
			return false
		}
		n := doc.Content[0]
		return n.Kind == yaml.ScalarNode && n.Style == 0 && n.ShortTag() == "!!str" && n.Value == s
	}
	return true
}

func doubleQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			switch {
			case graphic(r):
				b.WriteRune(r)
			case r <= 0xFF:
				fmt.Fprintf(&b, `\x%02X`, r)
			case r <= 0xFFFF:
				fmt.Fprintf(&b, `\u%04X`, r)
			default:
				fmt.Fprintf(&b, `\U%08X`, r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// literalOK reports whether a multi-line string can be written as a |
// block and read back exactly. Lines of spaces, a first line starting with
// a space, and more than one final newline would need indicators; a line
// reading --- would end the front-matter.
func literalOK(s string) bool {
	if strings.HasSuffix(s, "\n\n") || strings.TrimLeft(s, "\n") == "" {
		return false
	}
	for _, r := range s {
		if r != '\n' && !graphic(r) {
			return false
		}
	}
	first := true
	for line := range strings.SplitSeq(strings.TrimSuffix(s, "\n"), "\n") {
		t := strings.TrimSpace(line)
		if line != "" && t == "" || t == delim {
			return false
		}
		if first && line != "" {
			if line[0] == ' ' {
				return false
			}
			first = false
		}
	}
	return true
}

// literal writes s as a | block with its lines indented by indent.
func literal(s string, indent int, nl string) string {
	head, body := "|-", s
	if strings.HasSuffix(s, "\n") {
		head, body = "|", s[:len(s)-1]
	}
	var b strings.Builder
	b.WriteString(head)
	for line := range strings.SplitSeq(body, "\n") {
		b.WriteString(nl)
		if line != "" {
			b.WriteString(pad(indent) + line)
		}
	}
	return b.String()
}
