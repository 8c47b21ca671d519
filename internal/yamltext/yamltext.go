package yamltext

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/casebook/casebook/internal/msg"
)

// Kind names a mistake.
type Kind string

// The mistakes this package recognises.
const (
	// NotUTF8 is a file in another encoding: GBK (GB2312, GB18030),
	// UTF-16, or bytes that are no text at all.
	NotUTF8 Kind = "encoding"
	// Tab is a tab in the indentation of a line.
	Tab Kind = "tab"
	// FullWidthSpace is U+3000 in the indentation of a line or in a key.
	FullWidthSpace Kind = "full-width space"
	// FullWidthColon is U+FF1A after a key, where YAML wants ": ".
	FullWidthColon Kind = "full-width colon"
	// BOM is a byte-order mark after the start of the file.
	BOM Kind = "bom"
	// Conflict is a merge-conflict marker line.
	Conflict Kind = "conflict"
)

// Problem is one mistake: what it is, where (1-based line and column,
// counted from the start of the data given), and how to fix it.
type Problem struct {
	Kind      Kind
	Line, Col int
	Msg, Fix  msg.Text
}

const (
	bom       = "\uFEFF"
	fullSpace = "\u3000"
	fullColon = "\uFF1A"
)

// Fixes the readers of case files, policies and the calendar file give
// alike.
var (
	// UTF8Fix is the fix of a file in another encoding than UTF-8.
	UTF8Fix = msg.T("请用 UTF-8 另存（记事本：另存为，编码选 UTF-8）", "save the file as UTF-8 (in Notepad: 另存为, 编码 UTF-8)")
	// WriteOutFix is the fix of a YAML anchor or alias, which the readers
	// refuse: a few bytes could expand into a huge value.
	WriteOutFix = msg.T("把值完整写出来", "write the value out in full")
)

var (
	gbkMsg      = msg.T("不是 UTF-8 编码：看来是 GBK（GB2312/GB18030）", "not UTF-8: the file looks saved as GBK")
	colonFix    = msg.T("把全角冒号 ： 换成半角冒号和空格：%s: ...", "write an ASCII colon and a space: %s: ...")
	spaceFix    = msg.T("把全角空格换成半角空格", "indent with ASCII spaces")
	tabFix      = msg.T("把制表符换成空格", "replace the tab with spaces")
	bomFix      = msg.T("删除这个看不见的字符，或另存为不带 BOM 的 UTF-8", "delete the invisible character, or save as UTF-8 without BOM")
	conflictMsg = msg.T("未解决的合并冲突：git 留下了冲突标记（<<<<<<< ======= >>>>>>>）", "unresolved merge conflict: git left its conflict markers in the file")
	conflictFix = msg.T("解决冲突：保留正确的内容，删除标记行", "resolve the conflict: keep the right text and delete the marker lines")
	utf16Msg    = msg.T("不是 UTF-8 编码：文件存成了 UTF-16", "not UTF-8: the file is saved as UTF-16")
	notTextMsg  = msg.T("不是 UTF-8 编码：第 %[1]d 个字节 0x%02[2]X 不是 UTF-8 文本", "not UTF-8: byte 0x%02[2]X is not UTF-8 text")
)

// Encoding reports data that is not UTF-8 text: UTF-16 (a UTF-16 byte
// order mark, or NUL bytes), GBK (every byte that is not ASCII pairs into
// a GBK character; the line of the first byte that is not UTF-8 is
// looked at, so a line pasted from a GBK file is named too), or other bytes that are no text (invalid UTF-8, NUL). It returns nil for UTF-8,
// with or without a byte-order mark.
func Encoding(data []byte) *Problem {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) ||
		len(data) >= 2 && (data[0] == 0) != (data[1] == 0) {
		return &Problem{Kind: NotUTF8, Line: 1, Col: 1, Msg: utf16Msg, Fix: UTF8Fix}
	}
	at := 0
	for at < len(data) {
		r, n := utf8.DecodeRune(data[at:])
		if r == utf8.RuneError && n <= 1 || r == 0 {
			break
		}
		at += n
	}
	if at == len(data) {
		return nil
	}
	line := 1 + bytes.Count(data[:at], []byte("\n"))
	col := at - bytes.LastIndexByte(data[:at], '\n')
	end := bytes.IndexByte(data[at:], '\n')
	if end < 0 {
		end = len(data) - at
	}
	if gbk(data[at-col+1 : at+end]) {
		// GBK bytes before the first invalid one may read as UTF-8 by
		// chance: point at the start of the run, counted in characters.
		start, lineStart := at, at-col+1
		for start > lineStart && data[start-1] >= utf8.RuneSelf {
			start--
		}
		return &Problem{Kind: NotUTF8, Line: line, Col: utf8.RuneCount(data[lineStart:start]) + 1, Msg: gbkMsg, Fix: UTF8Fix}
	}
	return &Problem{Kind: NotUTF8, Line: line, Col: col, Msg: notTextMsg.Sprintf(at+1, data[at]), Fix: UTF8Fix}
}

// gbk reports whether every non-ASCII byte of data is part of a GBK
// double-byte character: a lead byte 0x81–0xFE and a trail byte
// 0x40–0xFE other than 0x7F.
func gbk(data []byte) bool {
	pairs := 0
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c < 0x80 {
			continue
		}
		if c == 0x80 || c == 0xFF || i+1 == len(data) {
			return false
		}
		t := data[i+1]
		if t < 0x40 || t == 0x7F || t == 0xFF {
			return false
		}
		i++
		pairs++
	}
	return pairs > 0
}

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

// ConflictProblem is the Problem of a conflict marker at line.
func ConflictProblem(line int) Problem {
	return Problem{Kind: Conflict, Line: line, Col: 1, Msg: conflictMsg, Fix: conflictFix}
}

// Lines returns the problems of each line of data, in order: conflict
// markers, a tab or full-width space in the indentation, a full-width
// colon after a key, a byte-order mark after the start. A line inside a
// block scalar (text after `|`) may legitimately hold some of these, so a
// reader reports them only where YAML failed (see Explain), except for
// files that have no block text.
func Lines(data []byte) []Problem {
	var out []Problem
	for i, l := range strings.Split(string(data), "\n") {
		l = strings.TrimSuffix(l, "\r")
		n := i + 1
		if marker([]byte(l), "<<<<<<<") || marker([]byte(l), "|||||||") || marker([]byte(l), ">>>>>>>") {
			out = append(out, ConflictProblem(n))
			continue
		}
		if j := strings.Index(l, bom); j > 0 || (j == 0 && i > 0) {
			out = append(out, Problem{Kind: BOM, Line: n, Col: utf8.RuneCountInString(l[:j]) + 1,
				Msg: msg.T("文件中间有字节顺序标记（BOM，U+FEFF），常由粘贴带入", "a byte-order mark (U+FEFF) inside the file, often left by pasting"), Fix: bomFix})
		}
		indent := l[:len(l)-len(strings.TrimLeft(l, " \t"+fullSpace))]
		if j := strings.IndexByte(indent, '\t'); j >= 0 {
			out = append(out, Problem{Kind: Tab, Line: n, Col: utf8.RuneCountInString(indent[:j]) + 1,
				Msg: msg.T("这一行用制表符（Tab）缩进；YAML 只能用空格缩进", "a tab indents this line; YAML indents with spaces only"), Fix: tabFix})
		} else if j := strings.Index(indent, fullSpace); j >= 0 {
			out = append(out, Problem{Kind: FullWidthSpace, Line: n, Col: utf8.RuneCountInString(indent[:j]) + 1,
				Msg: msg.T("这一行用全角空格缩进；YAML 只能用半角空格缩进", "a full-width space (U+3000) indents this line; YAML indents with ASCII spaces"), Fix: spaceFix})
		}
		if key, col, ok := colonKey(l); ok {
			out = append(out, Problem{Kind: FullWidthColon, Line: n, Col: col,
				Msg: msg.T("键 %s 后面是全角冒号 ：，YAML 要半角冒号 :", "a full-width colon (：) follows the key %s; YAML needs ': '").Sprintf(key),
				Fix: colonFix.Sprintf(key)})
		}
	}
	return out
}

// colonKey finds "key：" at the start of a line (after indentation and a
// list's "- "): a key of ASCII letters, digits, '_', '-' and '.', followed
// by a full-width colon. col is the colon's column.
func colonKey(l string) (key string, col int, ok bool) {
	rest := strings.TrimLeft(l, " \t"+fullSpace)
	rest = strings.TrimPrefix(rest, "- ")
	rest = strings.TrimLeft(rest, " ")
	rest = strings.TrimPrefix(rest, "{")
	j := strings.Index(rest, fullColon)
	if j <= 0 {
		return "", 0, false
	}
	key = strings.TrimRight(rest[:j], " ")
	for _, r := range key {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.') {
			return "", 0, false
		}
	}
	if key == "" {
		return "", 0, false
	}
	return key, utf8.RuneCountInString(l[:len(l)-len(rest)+j]) + 1, true
}

// Explain returns the problem that most likely caused a YAML error
// reported at line (0: unknown line): the nearest problem of Lines on that
// line or up to three lines before it, or for an unknown line the first
// problem. ok is false when nothing explains it.
func Explain(data []byte, line int) (Problem, bool) {
	ps := Lines(data)
	if len(ps) == 0 {
		return Problem{}, false
	}
	if line <= 0 {
		return ps[0], true
	}
	best, found := Problem{}, false
	for _, p := range ps {
		if p.Line <= line && p.Line >= line-3 {
			best, found = p, true
		}
	}
	return best, found
}

// Key reports a key that holds a character no field name has: a
// full-width space, a full-width colon, a tab or a byte-order mark. YAML
// reads "　name: 王某" as the key "　name" without complaint.
func Key(key string) (problem, fix msg.Text, ok bool) {
	switch {
	case strings.Contains(key, fullSpace):
		return msg.T("键 %q 含全角空格（U+3000）", "the key %q holds a full-width space").Sprintf(key), msg.T("删除全角空格，用半角空格缩进", "remove the full-width space and indent with ASCII spaces"), true
	case strings.Contains(key, fullColon):
		k, _, _ := strings.Cut(strings.TrimSpace(key), fullColon)
		return msg.T("键 %q 含全角冒号 ：", "the key %q holds a full-width colon").Sprintf(key), colonFix.Sprintf(k), true
	case strings.Contains(key, "\t"):
		return msg.T("键 %q 含制表符（Tab）", "the key %q holds a tab").Sprintf(key), tabFix, true
	case strings.Contains(key, bom):
		return msg.T("键 %q 含字节顺序标记（BOM，U+FEFF）", "the key %q holds a byte-order mark").Sprintf(key), bomFix, true
	}
	return msg.Text{}, msg.Text{}, false
}

// syntaxCauses names the usual cause of a yaml.v3 syntax message, when the
// line itself shows none of the mistakes Lines finds: the cause and the fix.
var syntaxCauses = map[string][2]msg.Text{
	"mapping values are not allowed in this context": {
		msg.T("值里有「: 」（冒号加空格），YAML 把它当成又一个键", "a value holds ': ', which YAML reads as another key"),
		msg.T(`给值加引号：title: "投诉: 态度差"`, `quote the value: title: "投诉: 态度差"`),
	},
	"found character that cannot start any token": {
		msg.T("值以 YAML 保留的字符开头（@、%、反引号等）", "the value starts with a character YAML reserves (@ ` % ...)"),
		msg.T("给值加引号", "quote the value"),
	},
	"did not find expected key": {
		msg.T("缩进不齐：同一层的键要对齐", "uneven indentation: keys of one level start in the same column"),
		msg.T("对齐这一行和上一行的缩进", "align this line with the keys around it"),
	},
}

// SyntaxCause returns the cause and the fix of a yaml.v3 syntax message
// (without its "yaml: line N: " prefix); both are empty when it knows none.
func SyntaxCause(yamlMsg string) (cause, fix msg.Text) {
	c := syntaxCauses[yamlMsg]
	return c[0], c[1]
}
