package stats

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"unicode/utf8"

	"github.com/casebook/casebook/internal/msg"
)

// MaxFileSize is the largest stats.json Open reads. An office with ten
// years of eight procedures writes some 300 KiB.
const MaxFileSize = 16 << 20

// Kind is why a stats.json could not be read.
type Kind string

// The kinds of ReadError.
const (
	Missing        Kind = "missing"         // no such file, or a folder without stats.json
	Unreadable     Kind = "unreadable"      // the file exists but cannot be read, or is too large
	Broken         Kind = "broken"          // not JSON
	WrongFormat    Kind = "wrong_format"    // JSON, but not a casebook-stats file
	UnknownVersion Kind = "unknown_version" // a version this casebook does not read
	Invalid        Kind = "invalid"         // of the format, but a value is wrong
)

// ReadError says why a stats.json could not be read, where, and how to
// fix it, in both languages.
type ReadError struct {
	Kind Kind
	msg.FileError
}

var _ msg.Localized = (*ReadError)(nil)

func readErr(kind Kind, file string, line, col int, what, fix msg.Text) *ReadError {
	return &ReadError{Kind: kind, FileError: msg.FileError{File: file, Line: line, Col: col, Msg: what, Fix: fix}}
}

// Open reads the stats.json at path: the file itself, or the one in the
// folder path (a built site).
func Open(path string) (*File, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, readErr(Missing, path, 0, 0, msg.T("没有这个文件或文件夹", "no such file or folder"),
			msg.T("检查路径；CI 里先下载各单位的 stats.json", "check the path; in CI, fetch the offices' stats.json first"))
	}
	if err != nil {
		return nil, readErr(Unreadable, path, 0, 0, msg.T("无法读取："+err.Error(), "cannot be read: "+err.Error()), msg.Text{})
	}
	if fi.IsDir() {
		path = filepath.Join(path, FileName)
		if fi, err = os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, readErr(Missing, path, 0, 0, msg.T("文件夹里没有 stats.json", "the folder holds no stats.json"),
				msg.T("用本版 casebook build 重新构建该单位的站点", "rebuild the office's site with this casebook's build"))
		} else if err != nil {
			return nil, readErr(Unreadable, path, 0, 0, msg.T("无法读取："+err.Error(), "cannot be read: "+err.Error()), msg.Text{})
		}
	}
	if fi.Size() > MaxFileSize {
		return nil, readErr(Unreadable, path, 0, 0, msg.T("文件超过 16 MiB，不是 stats.json", "the file is larger than 16 MiB; it is no stats.json"), msg.Text{})
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, readErr(Unreadable, path, 0, 0, msg.T("无法读取："+err.Error(), "cannot be read: "+err.Error()), msg.Text{})
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, MaxFileSize+1))
	if err != nil {
		return nil, readErr(Unreadable, path, 0, 0, msg.T("无法读取："+err.Error(), "cannot be read: "+err.Error()), msg.Text{})
	}
	if len(data) > MaxFileSize {
		return nil, readErr(Unreadable, path, 0, 0, msg.T("文件超过 16 MiB，不是 stats.json", "the file is larger than 16 MiB; it is no stats.json"), msg.Text{})
	}
	return Parse(path, data)
}

// Parse reads the stats.json data; file names it in problems. It accepts
// versions 1 (every count exact) and 2 (a public file's counts may be
// null, read as a withheld Num) and ignores keys it does not know, which
// later casebooks may add without raising the version.
func Parse(file string, data []byte) (*File, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var head struct {
		Format  *string          `json:"format"`
		Version *json.RawMessage `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			line, col := position(data, syn.Offset)
			return nil, readErr(Broken, file, line, col, msg.T("不是有效的 JSON："+syn.Error(), "not valid JSON: "+syn.Error()),
				msg.T("重新下载或重新构建该单位的站点", "fetch it again, or rebuild the office's site"))
		case errors.As(err, &typ) && typ.Field == "":
			return nil, readErr(WrongFormat, file, 1, 1, msg.T("不是 JSON 对象", "not a JSON object"), notStats)
		case errors.As(err, &typ):
			line, col := position(data, typ.Offset)
			return nil, readErr(WrongFormat, file, line, col, msg.T(typ.Field+" 不是文字", typ.Field+" is not text"), notStats)
		default:
			return nil, readErr(Broken, file, 0, 0, msg.T("不是有效的 JSON："+err.Error(), "not valid JSON: "+err.Error()), msg.Text{})
		}
	}
	if head.Format == nil || *head.Format != Format {
		got := msg.T("没有 format", "no format")
		if head.Format != nil {
			got = msg.T(fmt.Sprintf("format 是 %q", *head.Format), fmt.Sprintf("format is %q", *head.Format))
		}
		return nil, readErr(WrongFormat, file, 0, 0,
			msg.T(got.Zh+"，不是 casebook 的统计文件（format 应为 \""+Format+"\"）", got.En+", not casebook's statistics (format must be \""+Format+"\")"), notStats)
	}
	version := 0
	if head.Version != nil {
		v, err := strconv.Atoi(string(*head.Version))
		if err != nil {
			return nil, readErr(UnknownVersion, file, 0, 0, msg.T("version 不是整数："+string(*head.Version), "version is not a whole number: "+string(*head.Version)), notStats)
		}
		version = v
	}
	switch {
	case version > Version:
		return nil, readErr(UnknownVersion, file, 0, 0,
			msg.T(fmt.Sprintf("第 %d 版，本 casebook 只能读第 %d 至 %d 版", version, VersionExact, Version), fmt.Sprintf("version %d; this casebook reads versions %d to %d", version, VersionExact, Version)),
			msg.T("更新汇总用的 casebook", "update the casebook that aggregates"))
	case version < VersionExact:
		return nil, readErr(UnknownVersion, file, 0, 0,
			msg.T(fmt.Sprintf("版本 %d 未知，本 casebook 只能读第 %d 至 %d 版", version, VersionExact, Version), fmt.Sprintf("unknown version %d; this casebook reads versions %d to %d", version, VersionExact, Version)),
			notStats)
	}
	f := new(File)
	if err := json.Unmarshal(data, f); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			off := typ.Offset
			if off == 0 {
				off = offsetOf(data, typ.Field)
			}
			line, col := position(data, off)
			return nil, readErr(Invalid, file, line, col,
				msg.T(fmt.Sprintf("%s 应为 %s，却是 %s", typ.Field, typ.Type, typ.Value), fmt.Sprintf("%s must be %s, not %s", typ.Field, typ.Type, typ.Value)), notStats)
		}
		return nil, readErr(Invalid, file, 0, 0, msg.T("无法读取："+err.Error(), "cannot be read: "+err.Error()), notStats)
	}
	if problem := f.check(); !problem.IsZero() {
		return nil, readErr(Invalid, file, 0, 0, problem, notStats)
	}
	return f, nil
}

var notStats = msg.T("给出 casebook build 写的 stats.json", "give the stats.json that casebook build writes")

var (
	monthPattern = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)
	// policyPattern is the policy ids policy.Load accepts.
	policyPattern = regexp.MustCompile(`^[a-z0-9_-]+$`)
)

// check finds a value no build writes: a negative count, a null in a
// file that is not public, a shown count under suppressed_below in one
// that is, a month that is not YYYY-MM, parts that do not add up, a rate
// outside [0, 1].
func (f *File) check() msg.Text {
	bad := func(where string, what msg.Text) msg.Text {
		return msg.T(where+"："+what.Zh, where+": "+what.En)
	}
	public := f.Audience == AudiencePublic
	switch {
	case f.Audience != "" && f.Audience != AudienceInternal && !public:
		return bad("audience", msg.T(fmt.Sprintf("%q 不是 internal 或 public", f.Audience), fmt.Sprintf("%q is not internal or public", f.Audience)))
	case public && f.SuppressedBelow < 1:
		return bad("suppressed_below", msg.T("公开版必须写明小于几的件数不公开", "a public file must say below which counts are withheld"))
	case !public && f.SuppressedBelow != 0:
		return bad("suppressed_below", msg.T("只有公开版隐去件数", "only a public file withholds counts"))
	}
	if f.Period != nil {
		for _, m := range []string{f.Period.From, f.Period.To} {
			if !monthPattern.MatchString(m) {
				return bad("period", msg.T(fmt.Sprintf("%q 不是 YYYY-MM", m), fmt.Sprintf("%q is not YYYY-MM", m)))
			}
		}
	}
	seen := map[string]bool{}
	for i, p := range f.Procedures {
		if !policyPattern.MatchString(p.Policy) || seen[p.Policy] {
			return bad(fmt.Sprintf("procedures[%d]", i), msg.T(fmt.Sprintf("policy %q 不是办法编号或重复", p.Policy), fmt.Sprintf("policy %q is not a policy id or is repeated", p.Policy)))
		}
		seen[p.Policy] = true
	}
	// Every count, by its key, before the sums.
	t := f.table(nil)
	for i, n := range t.cells {
		switch {
		case n.Withheld && !public:
			return bad(t.keys[i], msg.T("件数为 null，但这不是公开版", "a count is null in a file that is not public"))
		case n.Withheld:
		case n.N < 0:
			return bad(t.keys[i], msg.T("计数为负", "a negative count"))
		case public && n.N < f.SuppressedBelow:
			return bad(t.keys[i], msg.T(fmt.Sprintf("公开版显示了小于 %d 的件数", f.SuppressedBelow), fmt.Sprintf("a public file shows a count under %d", f.SuppressedBelow)))
		}
	}
	if p := f.Totals.check(); !p.IsZero() {
		return bad("totals", p)
	}
	for i, p := range f.Procedures {
		if s := p.Summary.check(); !s.IsZero() {
			return bad(fmt.Sprintf("procedures[%d]", i), s)
		}
	}
	return msg.Text{}
}

// known is whether no count of ns is withheld.
func known(ns ...Num) bool {
	for _, n := range ns {
		if n.Withheld {
			return false
		}
	}
	return true
}

func (s *Summary) check() msg.Text {
	if (known(s.Open, s.Finished, s.Cases) && s.Open.N+s.Finished.N != s.Cases.N) ||
		(known(s.Overdue, s.Open) && s.Overdue.N > s.Open.N) {
		return msg.T("cases、open、finished、overdue 对不上", "cases, open, finished and overdue do not add up")
	}
	if p := s.OnTime.check(); !p.IsZero() {
		return p
	}
	last := ""
	for _, m := range s.Months {
		if !monthPattern.MatchString(m.Month) || m.Month <= last {
			return msg.T(fmt.Sprintf("月份 %q 不是 YYYY-MM 或顺序不对", m.Month), fmt.Sprintf("month %q is not YYYY-MM or out of order", m.Month))
		}
		last = m.Month
		if p := m.OnTime.check(); !p.IsZero() {
			return msg.T(m.Month+" "+p.Zh, m.Month+" "+p.En)
		}
	}
	return msg.Text{}
}

func (o *OnTime) check() msg.Text {
	if (known(o.OnTime, o.Late, o.Decided) && o.OnTime.N+o.Late.N != o.Decided.N) ||
		(o.Rate != nil && (!known(o.OnTime, o.Late, o.Decided) || *o.Rate < 0 || *o.Rate > 1 || math.IsNaN(*o.Rate))) {
		return msg.T("on_time 的计数对不上或比率不在 0 到 1 之间", "on_time's counts do not add up or its rate is not between 0 and 1")
	}
	return msg.Text{}
}

// position is the 1-based line and column of byte offset off in data.
func position(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = 1 + utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
	return line, col
}

// offsetOf is the offset of the first value in data at the key path field
// ("totals.cases"; arrays are passed through, as encoding/json names
// fields) that is neither a number nor null: where a count of the wrong
// type is, which the decoder does not say for a type of its own. 0 when
// there is none.
func offsetOf(data []byte, field string) int64 {
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		object bool
		key    string // the key whose value is being read; "" before it
		path   string
	}
	var stack []frame
	path := func() string {
		if len(stack) == 0 {
			return ""
		}
		top := stack[len(stack)-1]
		if !top.object {
			return top.path
		}
		if top.path == "" {
			return top.key
		}
		return top.path + "." + top.key
	}
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return 0
		}
		inObject := len(stack) > 0 && stack[len(stack)-1].object
		if s, ok := tok.(string); ok && inObject && stack[len(stack)-1].key == "" {
			stack[len(stack)-1].key = s
			continue
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			stack = append(stack, frame{object: tok == json.Delim('{'), path: path()})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		default:
			if path() == field {
				switch tok.(type) {
				case json.Number, float64, nil:
				default:
					return before
				}
			}
		}
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].key = ""
		}
	}
}
