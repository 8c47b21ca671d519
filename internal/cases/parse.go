package cases

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/adrg/frontmatter"
	"gopkg.in/yaml.v3"

	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/yamltext"
)

// Limits on what Parse accepts. They bound the work an untrusted or broken
// file can cause; real case files are a few kilobytes.
const (
	// DefaultMaxBytes is the largest case file Parse reads unless WithMaxBytes
	// says otherwise.
	DefaultMaxBytes = 1 << 20
	// MaxFrontMatterBytes is the largest front-matter accepted.
	MaxFrontMatterBytes = 64 << 10
	// MaxDepth is the deepest nesting of mappings and sequences accepted,
	// the front-matter's own mapping counting as 1.
	MaxDepth = 20
)

const delim = "---"

// Case is one parsed case file.
type Case struct {
	// File is the path the case was parsed from, as given to Parse
	// (repository-relative with slashes when it comes from Discover).
	File string
	// Blob is the git blob hash of the file's bytes (as `git hash-object`
	// names them) when ParseFile or Cache.ParseFile read it; zero for Parse.
	// It keys what callers derive from the file.
	Blob [20]byte

	// Core fields, copied from Fields when they are strings. A core field of
	// the wrong type is left empty and listed in FieldErrors.
	ID, Policy, Title, Status string
	// ReceivedAt is received_at read as a time; zero when absent or unreadable.
	ReceivedAt time.Time
	// ReceivedAtRaw is received_at exactly as written.
	ReceivedAtRaw string

	// Fields holds every front-matter key: string (timestamps and dates as
	// written), int, float64, bool, nil, []any or map[string]any.
	Fields map[string]any
	// Keys are the top-level keys in the order of the file.
	Keys []string
	// FieldErrors lists type problems of core fields, each with its Path
	// and Line.
	FieldErrors []msg.FileError
	// Unquoted lists the plain (unquoted) scalars whose text YAML does not
	// keep as text, in file order: nil for most cases. See Unquoted.
	Unquoted []Unquoted

	// Body is the Markdown after the closing delimiter; BodyLine is the line
	// of the file its first line is on.
	Body     string
	BodyLine int
	// Sections are the body's top-level headings, in order.
	Sections []Section

	// Bundle is true for a <ID>/index.md case; Attachments are the other
	// files of the bundle folder, relative to it, sorted.
	Bundle      bool
	Attachments []string

	// FrontMatterLine and FrontMatterEnd are the lines of the opening and
	// closing --- delimiters.
	FrontMatterLine, FrontMatterEnd int

	// lines is the line of every key path: a flat encoding rather than
	// the parser's node tree or a map, so that twenty thousand loaded cases
	// hold no parser state, little memory and nothing for the collector to
	// scan.
	lines lineIndex
	// coreOnly is set for a case read under WithCoreOnly.
	coreOnly bool
}

// CoreOnly reports whether only the core of the case was read
// (WithCoreOnly): its Fields, Body and Sections are empty.
func (c *Case) CoreOnly() bool { return c.coreOnly }

// linePos is the line of one key path ("complainant.phone", "extensions.0").
type linePos struct {
	Path string
	Line int32
}

// lineIndex holds, for each key path in sorted order, the path's length as
// a uvarint, the path, and its line as a uvarint. Line searches it from the
// start: lookups happen only for findings, and a case has a few dozen
// paths. A cached case's index is a slice of the cache file.
type lineIndex string

// newLineIndex encodes the walker's positions. A key containing a dot can
// spell the same path as a nested key; the later one in the file wins, as
// it did when the index was a map filled in walk order.
func newLineIndex(ls []linePos) lineIndex {
	slices.SortStableFunc(ls, func(a, b linePos) int { return strings.Compare(a.Path, b.Path) })
	var b []byte
	for i, l := range ls {
		if i+1 < len(ls) && ls[i+1].Path == l.Path {
			continue
		}
		b = binary.AppendUvarint(b, uint64(len(l.Path)))
		b = append(b, l.Path...)
		b = binary.AppendUvarint(b, uint64(l.Line))
	}
	return lineIndex(b)
}

// all yields each path and its line; it stops at anything malformed.
func (x lineIndex) all(yield func(path string, line int) bool) {
	for len(x) > 0 {
		n, k := uvarintString(string(x))
		if k <= 0 || n > uint64(len(x)-k) {
			return
		}
		p := string(x[k : k+int(n)])
		x = x[k+int(n):]
		l, k := uvarintString(string(x))
		if k <= 0 || l > math.MaxInt32 {
			return
		}
		x = x[k:]
		if !yield(p, int(l)) {
			return
		}
	}
}

func (x lineIndex) find(p string) (int, bool) {
	for path, line := range x.all {
		if path == p {
			return line, true
		}
		if path > p {
			break
		}
	}
	return 0, false
}

// uvarintString is binary.Uvarint on a string, which spares converting
// the index to bytes.
func uvarintString(s string) (uint64, int) {
	var v uint64
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		c := s[i]
		if c < 0x80 {
			if i == binary.MaxVarintLen64-1 && c > 1 {
				return 0, -1
			}
			return v | uint64(c)<<(7*i), i + 1
		}
		v |= uint64(c&0x7f) << (7 * i)
	}
	return 0, 0
}

// Option changes how Parse reads a case.
type Option func(*options)

type options struct {
	maxBytes int64
	loc      *time.Location
	core     func(path string, blob [20]byte) bool
}

// WithMaxBytes sets the largest file Parse and ParseFile accept.
func WithMaxBytes(n int64) Option { return func(o *options) { o.maxBytes = n } }

// WithCoreOnly makes Cache.ParseFile read only the core of a case found
// in the parse cache whose file core names by path and blob: everything
// but Fields, Body and Sections, which stay empty (Case.CoreOnly). A
// caller that takes what it derives from such a file from its own cache
// is spared decoding it; ParseFile reads the whole case when needed.
func WithCoreOnly(core func(path string, blob [20]byte) bool) Option {
	return func(o *options) { o.core = core }
}

// WithLocation sets the time zone in which a received_at without an offset
// is read (the policy's time zone); the default is Asia/Shanghai.
func WithLocation(loc *time.Location) Option { return func(o *options) { o.loc = loc } }

// shanghai falls back to a fixed UTC+8 zone when the system has no tz
// database: China has kept UTC+8 without daylight saving since 1991, so the
// two agree for every date a case can carry.
var shanghai = sync.OnceValue(func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
})

func newOptions(opts []Option) options {
	o := options{maxBytes: DefaultMaxBytes}
	for _, f := range opts {
		f(&o)
	}
	if o.loc == nil {
		o.loc = shanghai()
	}
	return o
}

func tooLarge(file string, size, limit int64) *msg.FileError {
	return &msg.FileError{File: file, Line: 1,
		Msg: msg.T("文件超过 %d 字节的上限（至少 %d 字节）", "file is larger than the limit of %d bytes (%d bytes or more)").Sprintf(limit, size),
		Fix: msg.T("把长材料放进案卷文件夹的附件（<编号>/index.md 和同一文件夹里的文件）", "move long material into attachments of a bundle (<ID>/index.md and its files)")}
}

// StemID is the id a case file must carry, given its path: the file name
// without ".md", or the folder name for a bundle's index.md
// (cases/2026/09/30/BANK-2026-0007.md and cases/2026/09/30/BANK-2026-0007/index.md
// both give BANK-2026-0007).
func StemID(p string) string {
	// Backslashes too: a path from a Windows user's message or config.
	p = strings.ReplaceAll(p, `\`, "/")
	base := path.Base(p)
	if base == "index.md" {
		dir := path.Dir(p)
		if dir == "." || dir == "/" {
			return ""
		}
		return path.Base(dir)
	}
	return strings.TrimSuffix(base, ".md")
}

// IDMatchesFile reports whether the case's id equals the id its path asks
// for (see StemID).
func (c *Case) IDMatchesFile() bool { return c.ID != "" && c.ID == StemID(c.File) }

// yamlSyntaxError carries a yaml.v3 error out of the front-matter library's
// unmarshal callback, with its line still relative to the front-matter.
type yamlSyntaxError struct {
	line int
	// raw is yaml.v3's message; msg and fix are set instead when the
	// problem is named here.
	raw      string
	msg, fix msg.Text
}

func (e *yamlSyntaxError) Error() string {
	if e.raw != "" {
		return e.raw
	}
	return e.msg.En
}

var (
	aliasMsg     = msg.T("案件文件里不能用 YAML 别名 *%s", "YAML alias *%s is not allowed in a case file")
	tagMsg       = msg.T("案件文件里不能用 YAML 标签 %s", "YAML tag %s is not allowed in a case file")
	removeTagFix = msg.T("删除标签", "remove the tag")
	notNumberMsg = msg.T("「%s」读不成数字", "cannot read %q as a number")
	quoteTextFix = msg.T("如果是文字，加上引号", "quote it if it is text")
)

var errFrontMatterTooLarge = errors.New("front-matter too large")

// decodeYAML is the strict YAML format's unmarshal function: one document,
// decoded into a node tree so that duplicate keys, anchors and tags can be
// checked before any value is built.
func decodeYAML(data []byte, v any) error {
	if len(data) > MaxFrontMatterBytes {
		return errFrontMatterTooLarge
	}
	if err := oddLineBreak(data); err != nil {
		return err
	}
	root := v.(*yaml.Node)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(root); err != nil {
		if errors.Is(err, io.EOF) {
			*root = yaml.Node{} // an empty front-matter
			return nil
		}
		return yamlError(err, data)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
		return nil
	case err != nil:
		return yamlError(err, data)
	default:
		return &yamlSyntaxError{line: extra.Line, msg: msg.T("文件头里有不止一个 YAML 文档", "front-matter holds more than one YAML document"),
			fix: msg.T("只留一段 --- 之间的字段，其余内容放到正文里", "keep one block of fields between --- lines, and the rest in the body")}
	}
}

// parserErrors are the yaml.v3 messages raised by its parser rather than
// its scanner. yaml.v3 reports their (0-based) mark without adding 1, as it
// does for scanner errors, so their line is one short.
var parserErrors = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

// oddLineBreak rejects what yaml.v3 counts as a line break but the
// front-matter library and editors showing "line N" do not: a carriage
// return without a line feed, and the Unicode NEL, LS and PS characters.
// Accepting them would make every later line number wrong.
func oddLineBreak(data []byte) error {
	line := 1
	for i := 0; i < len(data); i++ {
		var name msg.Text
		switch {
		case data[i] == '\n':
			line++
		case data[i] == '\r' && (i+1 == len(data) || data[i+1] != '\n'):
			name = msg.T("一个后面没有换行符的回车符", "a carriage return without a line feed")
		case bytes.HasPrefix(data[i:], []byte("\u0085")):
			name = msg.T("换行字符 U+0085", "the next-line character U+0085")
		case bytes.HasPrefix(data[i:], []byte("\u2028")):
			name = msg.T("行分隔符 U+2028", "the line separator U+2028")
		case bytes.HasPrefix(data[i:], []byte("\u2029")):
			name = msg.T("段落分隔符 U+2029", "the paragraph separator U+2029")
		}
		if !name.IsZero() {
			return &yamlSyntaxError{line: line, msg: msg.T("文件头里有%s", "front-matter contains %s").Sprintf(name),
				fix: msg.T("删除它，并用 LF 或 CRLF 换行保存文件", "remove it, and save the file with LF or CRLF line endings")}
		}
	}
	return nil
}

// yamlError turns "yaml: line 3: msg" into a line and a message.
func yamlError(err error, data []byte) error {
	raw := strings.TrimPrefix(err.Error(), "yaml: ")
	// An alias of an undefined anchor fails while composing, before the
	// walker could reject it, and without a line: find the alias.
	if name, ok := strings.CutPrefix(raw, "unknown anchor '"); ok {
		name = strings.TrimSuffix(name, "' referenced")
		line := 0
		for i, l := range bytes.Split(data, []byte("\n")) {
			if bytes.Contains(l, []byte("*"+name)) {
				line = i + 1
				break
			}
		}
		return &yamlSyntaxError{line: line, msg: aliasMsg.Sprintf(name), fix: yamltext.WriteOutFix}
	}
	line := 0
	if rest, ok := strings.CutPrefix(raw, "line "); ok {
		if num, tail, ok := strings.Cut(rest, ": "); ok {
			if n, err := strconv.Atoi(num); err == nil {
				line, raw = n, tail
				if parserErrors[raw] {
					line++
				}
			}
		}
	}
	return &yamlSyntaxError{line: line, raw: raw}
}

var strictYAML = frontmatter.NewFormat(delim, delim, decodeYAML)

// Parse reads a case file. file is used in errors and kept as Case.File.
// Every way the file can fail to be a case is a *msg.FileError.
func Parse(file string, data []byte, opts ...Option) (*Case, error) {
	c, _, err := parse(file, data, newOptions(opts))
	return c, err
}

// parse is Parse, also returning where in data each section's Text starts,
// which the parse cache stores instead of the text.
func parse(file string, data []byte, o options) (*Case, []int, error) {
	size := len(data)
	perr := func(line, col int, m, fix msg.Text) error {
		return &msg.FileError{File: file, Line: line, Col: col, Msg: m, Fix: fix}
	}
	if int64(len(data)) > o.maxBytes {
		return nil, nil, tooLarge(file, int64(len(data)), o.maxBytes)
	}
	// A byte order mark is invisible in editors; tolerate it rather than
	// call the file a non-case. It sits on line 1, so line numbers hold.
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if p := yamltext.Encoding(data); p != nil {
		return nil, nil, perr(p.Line, p.Col, p.Msg, p.Fix)
	}
	if line := yamltext.ConflictMarker(data); line > 0 {
		return nil, nil, conflictError(file, line)
	}

	openLine, first := firstNonBlankLine(data)
	switch {
	case first == delim:
	case first == "+++" || first == "---toml":
		return nil, nil, perr(openLine, 1, msg.T("文件头要用 YAML 写在两行 --- 之间，不能用 TOML", "front-matter must be YAML between --- lines, not TOML"), rewriteYAMLFix)
	case strings.HasPrefix(first, "{") || first == ";;;" || first == "---json":
		return nil, nil, perr(openLine, 1, msg.T("文件头要用 YAML 写在两行 --- 之间，不能用 JSON", "front-matter must be YAML between --- lines, not JSON"), rewriteYAMLFix)
	case strings.HasPrefix(first, delim) && strings.Trim(first, "-") != "":
		return nil, nil, perr(openLine, 1, msg.T("文件头要用 YAML 写在两行 --- 之间，而第一行 %q 不是 ---", "front-matter must be YAML between --- lines, and %q is not ---").Sprintf(first),
			msg.T("第一行只写 ---", "make the first line exactly ---"))
	default:
		if line := delimLine(data); line > 0 {
			return nil, nil, perr(openLine, 1, msg.T("文件头不在文件开头：第 %d 行的 --- 之前有文字", "the front-matter is not at the top: text before the --- on line %d").Sprintf(line),
				msg.T("把 --- 和字段移到第一行，其他文字放到结束的 --- 之后", "move the --- line and the fields to the top, and other text after the closing ---"))
		}
		return nil, nil, perr(openLine, 1, msg.T("没有文件头：案件文件以一行 --- 开始，接着是 YAML 字段，再以一行 --- 结束", "no front-matter: a case file starts with a --- line, YAML fields, and a closing --- line"),
			msg.T("在文件开头的两行 --- 之间写上字段（id、title、status、received_at 等）", "add the front-matter (id, title, status, received_at ...) between two --- lines at the top"))
	}

	var root yaml.Node
	rest, err := frontmatter.MustParse(bytes.NewReader(data), &root, strictYAML)
	if err != nil {
		var ye *yamlSyntaxError
		switch {
		case errors.Is(err, frontmatter.ErrNotFound):
			// The opening delimiter was seen above, so the library gave up
			// looking for the closing one.
			return nil, nil, perr(openLine, 1, msg.T("文件头没有结束：这一行之后没有 --- 行", "front-matter is not closed: no --- line after this one"),
				msg.T("在最后一个字段之后加一行 ---", "add a --- line after the last field"))
		case errors.Is(err, errFrontMatterTooLarge):
			return nil, nil, perr(openLine, 1, msg.T("文件头超过 %d 字节", "front-matter is larger than %d bytes").Sprintf(MaxFrontMatterBytes),
				msg.T("长文字写在正文里", "keep long text in the Markdown body"))
		case errors.As(err, &ye):
			line := openLine + 1
			if ye.line > 0 {
				line = openLine + ye.line
			}
			if ye.raw == "" {
				return nil, nil, perr(line, 0, ye.msg, ye.fix)
			}
			if p, ok := yamltext.Explain(data, line); ok {
				return nil, nil, perr(p.Line, p.Col, p.Msg, p.Fix)
			}
			if cause, fix := yamltext.SyntaxCause(ye.raw); !cause.IsZero() {
				return nil, nil, perr(line, 0, msg.T("YAML 写法有误：%[2]s", "invalid YAML: %[1]s: %[2]s").Sprintf(ye.raw, cause), fix)
			}
			return nil, nil, perr(line, 0, msg.T("YAML 写法有误：%s", "invalid YAML: %s").Sprintf(ye.raw),
				msg.T("改正 YAML 写法；值里有「: 」或以特殊字符开头时，给值加引号", "fix the YAML syntax; quote values that contain ': ' or start with a special character"))
		default:
			return nil, nil, perr(openLine, 0, msg.T("读不了文件头：%v", "read front-matter: %v").Sprintf(err), msg.Text{})
		}
	}

	consumed := data[:len(data)-len(rest)]
	closing := consumed[bytes.LastIndexByte(bytes.TrimSuffix(consumed, []byte("\n")), '\n')+1:]
	if len(closing) > 0 && (closing[0] == ' ' || closing[0] == '\t') {
		// The library trims delimiter lines, so "  ---" inside a block
		// scalar would end the front-matter early and silently.
		return nil, nil, perr(bytes.Count(consumed[:len(consumed)-len(closing)], []byte("\n"))+1, 1,
			msg.T("这一行缩进的 --- 在这里结束了文件头", "an indented --- line ends the front-matter here"),
			msg.T("把含 --- 行的文字移到正文里，或让结束的 --- 从行首写起", "move text containing a --- line into the Markdown body, or start the closing --- at the beginning of the line"))
	}

	c := &Case{
		File:            file,
		Bundle:          path.Base(filepath.ToSlash(file)) == "index.md",
		FrontMatterLine: openLine,
		Fields:          map[string]any{},
	}
	c.FrontMatterEnd = bytes.Count(consumed, []byte("\n"))
	if !bytes.HasSuffix(consumed, []byte("\n")) {
		c.FrontMatterEnd++ // closing delimiter on the last line, without newline
	}
	c.BodyLine = c.FrontMatterEnd + 1
	c.Body = string(rest)

	w := walker{file: file, offset: openLine, data: data}
	if err := w.root(&root, c); err != nil {
		return nil, nil, err
	}
	c.lines = newLineIndex(w.lines)
	c.Unquoted = w.unquoted
	c.coreFields(o.loc)
	var offs []int
	c.Sections, offs = parseSections(rest, c.Body, c.BodyLine)
	// The body is the end of the file, so its offsets shift by the bytes
	// before it (a byte order mark included).
	for i := range offs {
		offs[i] += size - len(rest)
	}
	return c, offs, nil
}

// firstNonBlankLine mirrors how the front-matter library looks for the
// opening delimiter: blank lines are skipped and the line is trimmed.
func firstNonBlankLine(data []byte) (line int, text string) {
	line = 1
	for len(data) > 0 {
		l, rest, _ := bytes.Cut(data, []byte("\n"))
		if t := bytes.TrimSpace(l); len(t) > 0 {
			return line, string(t)
		}
		data = rest
		line++
	}
	return 1, "" // only blank lines: point at the top
}

// delimLine is the line of the first "---" line after the first line, 0
// when there is none: a front-matter with something written above it.
func delimLine(data []byte) int {
	for i, l := range bytes.Split(data, []byte("\n")) {
		if i > 0 && string(bytes.TrimRight(l, " \t\r")) == delim {
			return i + 1
		}
	}
	return 0
}

// Line is the 1-based line in the file of a key path such as "status",
// "complainant.phone" or "extensions.0.until". A path that does not exist
// falls back to its nearest existing parent, and finally to the opening
// front-matter delimiter, so a finding always lands somewhere sensible.
func (c *Case) Line(p string) int {
	for p != "" {
		if l, ok := c.lines.find(p); ok {
			return l
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return c.FrontMatterLine
}

// Get returns the value at a key path ("complainant.phone",
// "extensions.0.until"); list elements are addressed by index.
func (c *Case) Get(p string) (any, bool) {
	if v, ok := c.Fields[p]; ok {
		return v, true
	}
	var cur any = c.Fields
	for part := range strings.SplitSeq(p, ".") {
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[part]
			if !ok {
				return nil, false
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(v) || strconv.Itoa(i) != part {
				return nil, false
			}
			cur = v[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// stringFields are the core fields whose value must be a string (or empty).
var stringFields = []string{"id", "policy", "title", "status", "channel", "category", "assignee", "department"}

func (c *Case) coreFields(loc *time.Location) {
	for _, k := range stringFields {
		v, ok := c.Fields[k]
		if !ok || v == nil {
			continue
		}
		s, ok := v.(string)
		if !ok {
			fix := msg.T(`写成文字，需要时加引号：%s: "..."`, `write it as text, quoted if needed: %s: "..."`).Sprintf(k)
			if u, ok := c.unquotedAt(k); ok {
				fix = msg.T("加上引号：%s: %s", "quote it: %s: %s").Sprintf(k, strconv.Quote(u.Text))
			}
			c.fieldError(k, msg.T("%s 要写成文字，不能是%s", "%s must be a string, not %s").Sprintf(k, typeName(v)), fix)
			continue
		}
		switch k {
		case "id":
			c.ID = s
		case "policy":
			c.Policy = s
		case "title":
			c.Title = s
		case "status":
			c.Status = s
		}
	}

	v, ok := c.Fields["received_at"]
	if !ok || v == nil {
		return
	}
	fix := msg.T("写成带时区的 RFC 3339 时间，如 received_at: 2026-09-30T10:00:00+08:00", "write RFC 3339 with an offset, e.g. received_at: 2026-09-30T10:00:00+08:00")
	s, ok := v.(string)
	if !ok {
		c.fieldError("received_at", msg.T("received_at 要写成时间，不能是%s", "received_at must be a time, not %s").Sprintf(typeName(v)), fix)
		return
	}
	c.ReceivedAtRaw = s
	t, why := parseTime(s, loc)
	if !why.IsZero() {
		c.fieldError("received_at", why, fix)
		return
	}
	c.ReceivedAt = t
}

// fieldError records a type problem of the core field at path.
func (c *Case) fieldError(path string, m, fix msg.Text) {
	c.FieldErrors = append(c.FieldErrors, msg.FileError{File: c.File, Line: c.Line(path), Path: path, Msg: m, Fix: fix})
}

// localLayouts are the forms without an offset, read in the policy's zone.
var localLayouts = []string{
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
}

// ParseTime reads a time as written in a case file: RFC 3339 with an offset
// (also with a space for the T), or a bare local date-time or date, which is
// read in loc.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	t, why := parseTime(s, loc)
	if !why.IsZero() {
		return time.Time{}, errors.New(why.En)
	}
	return t, nil
}

// parseTime is ParseTime saying why s is no time in both languages; the
// Text is empty when it is one.
func parseTime(s string, loc *time.Location) (time.Time, msg.Text) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, msg.Text{}
	}
	if t, err := time.Parse("2006-01-02 15:04:05.999999999Z07:00", s); err == nil {
		return t, msg.Text{}
	}
	for _, layout := range localLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, msg.Text{}
		}
	}
	if why := yamltext.TimeCauseText(s); !why.IsZero() {
		return time.Time{}, msg.T("「%s」读不成时间：%s", "cannot read %q as a time: %s").Sprintf(s, why)
	}
	return time.Time{}, msg.T("「%s」读不成时间", "cannot read %q as a time").Sprintf(s)
}

func typeName(v any) msg.Text {
	switch v.(type) {
	case nil:
		return msg.T("空值", "empty")
	case string:
		return msg.T("文字", "text")
	case int, float64:
		return msg.T("数字", "a number")
	case bool:
		return msg.T("true/false", "true/false")
	case []any:
		return msg.T("列表", "a list")
	case map[string]any:
		return msg.T("映射（键: 值）", "a mapping")
	}
	return msg.Same(fmt.Sprintf("%T", v))
}

var rewriteYAMLFix = msg.T("把字段改写成 YAML，放在两行 --- 之间", "rewrite the fields as YAML between two --- lines")
