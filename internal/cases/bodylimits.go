package cases

import (
	"github.com/casebook/casebook/internal/msg"

	"fmt"
	"strings"
)

// goldmark, the Markdown parser, takes time that grows with the square of
// a few shapes of input: containers opened on one line ("> > > …",
// "- - - …"), lists nested level by level, and many brackets in one
// paragraph (link reference definitions with no blank line between them,
// "[a](" or "[[[" repeated). A 1 MiB body of such a shape takes minutes.
// Within the limits below a body of the size limit parses in about a
// second at worst (bench/README.md); a body over them is not read as
// Markdown: validate reports body.too_complex, the site shows the body as
// plain text, and its sections are looked for in the rest of the body.
const (
	// MaxBodyNesting is the deepest a line may nest block quotes and
	// list items, counting two columns of indentation as one level.
	MaxBodyNesting = 100
	// MaxLineMarkers is the most block quote and list markers one line
	// may begin with.
	MaxLineMarkers = 32
	// MaxParagraphBrackets is the most "[" one paragraph may hold: a run
	// of non-blank lines, or a list item's part of it.
	MaxParagraphBrackets = 50
)

// BodyLimit tells where a body goes over a limit.
type BodyLimit struct {
	// Line is the first offending line, counting from 0 at the body's
	// first line; Msg says what is wrong there.
	Line int
	Msg  msg.Text
	// Blocks are the byte ranges [start, end) of the paragraphs over a
	// limit, in order.
	Blocks [][2]int
}

// CheckBody returns where body goes over MaxBodyNesting, MaxLineMarkers
// or MaxParagraphBrackets, or nil when it stays within them. It reads
// every byte once, and counts generously: it does not tell code or HTML
// apart, so what it passes is never more than the limits for goldmark.
func CheckBody(body string) *BodyLimit {
	var lim *BodyLimit
	start, line, startLine := 0, 0, 0
	brackets, counted := 0, 0 // the most in one paragraph of the run, and in this one
	deep := -1                // the run's first line nested too deep, or -1
	flush := func(end int) {
		if deep >= 0 || brackets > MaxParagraphBrackets {
			if lim == nil {
				lim = &BodyLimit{}
				if deep >= 0 {
					lim.Line, lim.Msg = deep, msg.T(fmt.Sprintf("正文中引用或列表嵌套超过 %d 层，或一行内开启超过 %d 个", MaxBodyNesting, MaxLineMarkers), fmt.Sprintf("the body nests block quotes or lists deeper than %d levels, or opens more than %d on one line", MaxBodyNesting, MaxLineMarkers))
				} else {
					lim.Line, lim.Msg = startLine, msg.T(fmt.Sprintf("正文的一个段落中有超过 %d 个「[」（链接或链接定义之间没有空行）", MaxParagraphBrackets), fmt.Sprintf("a paragraph of the body holds more than %d \"[\" (links or link definitions with no blank line between them)", MaxParagraphBrackets))
				}
			}
			lim.Blocks = append(lim.Blocks, [2]int{start, end})
		}
		brackets, counted, deep = 0, 0, -1
	}
	for off := 0; off < len(body); line++ {
		end := strings.IndexByte(body[off:], '\n')
		if end < 0 {
			end = len(body)
		} else {
			end += off + 1
		}
		l := body[off:end]
		if strings.TrimSpace(l) == "" {
			flush(off)
			start, startLine = end, line+1
		} else {
			depth, markers, item := lineNesting(l)
			if item {
				// A list item is a paragraph of its own.
				counted = 0
			}
			counted += strings.Count(l, "[")
			brackets = max(brackets, counted)
			if deep < 0 && (depth > MaxBodyNesting || markers > MaxLineMarkers) {
				deep = line
			}
		}
		off = end
	}
	flush(len(body))
	return lim
}

// lineNesting counts the block quote and list markers that begin line,
// and adds half its leading indentation, which bounds how deep goldmark
// can nest the line; item tells whether the first marker starts a list
// item.
func lineNesting(line string) (depth, markers int, item bool) {
	i, col := 0, 0
	for ; i < len(line) && (line[i] == ' ' || line[i] == '\t'); i++ {
		if line[i] == '\t' {
			col += 4 - col%4
		} else {
			col++
		}
	}
	space := func(j int) bool {
		return j >= len(line) || line[j] == ' ' || line[j] == '\t' || line[j] == '\n' || line[j] == '\r'
	}
	for i < len(line) {
		switch c := line[i]; {
		case c == '>':
			i++
		case (c == '-' || c == '+' || c == '*') && space(i+1):
			i++
			item = item || markers == 0
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 10 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j == len(line) || (line[j] != '.' && line[j] != ')') || !space(j+1) {
				return col/2 + markers, markers, item
			}
			i = j + 1
			item = item || markers == 0
		default:
			return col/2 + markers, markers, item
		}
		markers++
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
	}
	return col/2 + markers, markers, item
}

// blankBlocks returns body with the bytes of blocks turned into spaces,
// keeping every newline, so what is parsed of the rest keeps its offsets
// and lines.
func blankBlocks(body []byte, blocks [][2]int) []byte {
	out := make([]byte, len(body))
	copy(out, body)
	for _, b := range blocks {
		for i := b[0]; i < b[1]; i++ {
			if out[i] != '\n' {
				out[i] = ' '
			}
		}
	}
	return out
}
