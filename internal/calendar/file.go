package calendar

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/yamltext"
)

// File is an office's calendar file (policies/calendar.yaml), shared by
// every policy of the office:
//
//	years:
//	  2028:
//	    source: {notice: 国办发明电〔2027〕10号, date: 2027-11-05, checked: true, checked_by: 张三}
//	    holidays:
//	      - 2028-01-01..2028-01-03: 元旦
//	    workdays:
//	      - 2028-01-29: 春节
//	office:
//	  holidays:
//	    - 2028-12-29: 年终决算
//
// A year the file lists has data: its days are exactly the listed ones,
// every other day of it follows the weekday rule, and lunar-go is not
// asked about it. Office days apply in any year and win over the years'
// blocks. A File is immutable after ParseFile.
type File struct {
	// Years are the years the file lists, by year.
	Years map[int]*Year
	// Office holds the office's own days off and extra working days.
	Office Block

	// days indexes the listed days of every year's block; office the
	// office's days.
	days    map[Date]Override
	dayYear map[Date]int
	office  map[Date]Override
}

// Year is one year's national schedule as the file records it.
type Year struct {
	Year   int
	Source YearSource
	Block
	// Line is where the year's key is, for messages.
	Line int
}

// Block is a list of rest days and working days: a year's holidays and
// make-up working days, or the office's own.
type Block struct {
	Holidays []DayRange
	Workdays []DayRange
}

// DayRange is a day or a range of days, both ends included, with its name.
type DayRange struct {
	From, To Date
	Name     string
	// Line and Col locate the entry in the file; 0 when it was not read
	// from one.
	Line, Col int
}

// YearSource says where a year's schedule comes from: the State Council's
// notice, or the holiday feed it was imported from, and whether a person
// checked it against the notice.
type YearSource struct {
	// Notice is the notice's number (国办发明电〔2027〕10号).
	Notice string
	// Date is the notice's date; zero when not given.
	Date Date
	// Feed names the holiday feed the year was imported from.
	Feed string
	// Checked is true when a person compared every day with the notice;
	// CheckedBy names them.
	Checked   bool
	CheckedBy string
}

// String describes the source for people: the notice (or feed) and
// whether it was checked.
func (s YearSource) String() string {
	what := s.Notice
	if what == "" {
		what = "导入自 " + s.Feed
	}
	if s.Checked {
		return what + "，" + s.CheckedBy + "已核对"
	}
	return what + "，未核对"
}

// spanDays bounds a range, so that a typo (2027-01-01..2072-01-01) cannot
// make the index grow without end: the longest holiday is a few weeks.
const spanDays = 62

// ParseFile reads a calendar file. Every problem found is returned, sorted
// by position, with File left empty for the caller, who knows the file's
// name, to fill in; the File is nil when there is any problem.
func ParseFile(data []byte) (*File, msg.FileErrors) {
	p := &fileParser{f: &File{Years: map[int]*Year{}}}
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return nil, msg.FileErrors{{Line: 1, Col: 1, Msg: msg.T("不是 UTF-8 编码：文件存成了 UTF-16（记事本的「Unicode」）", "the file is saved as UTF-16 (Notepad's \"Unicode\"), not UTF-8"),
			Fix: yamltext.UTF8Fix}}
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF")) // a BOM before the first key is harmless
	if p.lexical(data); len(p.errs) > 0 {
		return nil, p.errs
	}
	raw := data
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return p.f.build(), nil // an empty file lists nothing
		}
		p.yamlError(err, raw)
		return nil, p.errs
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		p.add(&extra, msg.T("删除 --- 那一行和它后面的内容", "remove the `---` line and what follows"), msg.T("日历文件只能有一个 YAML 文档，这里有第二个", "the calendar file holds one YAML document, found a second one"))
		return nil, p.errs
	}
	if len(root.Content) == 1 && root.Content[0].Tag == "!!null" {
		return p.f.build(), nil
	}
	top := root.Content[0]
	if !p.mapping(top, topWhere, func(key string, k, v *yaml.Node) {
		switch {
		case v.Tag == "!!null" && (key == "years" || key == "office"):
			// `years:` with nothing under it yet lists nothing.
		case key == "years":
			p.years(v)
		case key == "office":
			p.block(v, "office", 0, &p.f.Office)
		default:
			p.unknown(k, key, topWhere, "years", "office")
		}
	}) {
		return nil, p.errs
	}
	p.overlaps()
	if len(p.errs) > 0 {
		p.errs.Sort()
		return nil, p.errs
	}
	return p.f.build(), nil
}

// build indexes the listed days.
func (f *File) build() *File {
	f.days, f.dayYear, f.office = map[Date]Override{}, map[Date]int{}, map[Date]Override{}
	for _, y := range f.Years {
		y.Block.each(func(d Date, o Override) { f.days[d], f.dayYear[d] = o, y.Year })
	}
	f.Office.each(func(d Date, o Override) { f.office[d] = o })
	return f
}

// each calls fn for every day of the block.
func (b *Block) each(fn func(Date, Override)) {
	for _, list := range []struct {
		spans   []DayRange
		working bool
	}{{b.Holidays, false}, {b.Workdays, true}} {
		for _, s := range list.spans {
			for d := s.From; !d.After(s.To); d = d.AddDays(1) {
				fn(d, Override{Date: d, Working: list.working, Name: s.Name})
			}
		}
	}
}

// Partial reports whether the block, read as year's national schedule, is
// only part of it: every State Council notice gives 国庆节 in October, so
// a year without a rest day in October is not a whole notice (a feed of
// two years often carries the next year's 元旦 and nothing else).
func (b *Block) Partial(year int) bool {
	for _, s := range b.Holidays {
		for d := s.From; !d.After(s.To); d = d.AddDays(1) {
			if d.Year == year && d.Month == time.October {
				return false
			}
		}
	}
	return true
}

// LibraryDiffers compares the file's year with lunar-go's record of it:
// whether lunar-go has data for year too, and the days of year on which
// the two differ (a rest day in one, a working day in the other), sorted.
// The file's days are the ones counted; this says what listing the year
// changed.
func (f *File) LibraryDiffers(year int) (known bool, days []Date) {
	if !f.covers(year) || !holidays().years[year] {
		return false, nil
	}
	for d := (Date{year, time.January, 1}); d.Year == year; d = d.AddDays(1) {
		working := !weekend(d)
		if o, ok := f.listed(d); ok {
			working = o.Working
		}
		if national(d).Working != working {
			days = append(days, d)
		}
	}
	return true, days
}

// YearList is the years the file lists, sorted.
func (f *File) YearList() []int {
	if f == nil {
		return nil
	}
	ys := make([]int, 0, len(f.Years))
	for y := range f.Years {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	return ys
}

type fileParser struct {
	f    *File
	errs msg.FileErrors
}

// topWhere is the place of the file's own keys in messages, which name
// every other place by its path (years.2028.holidays[0]).
const topWhere = ""

// place names a place in the file for a message.
func place(w string) msg.Text {
	if w == topWhere {
		return msg.T("日历文件", "the calendar file")
	}
	return msg.Same(w)
}

// add records a problem at node n (nil: no place), format filled with args
// in each language.
func (p *fileParser) add(n *yaml.Node, fix, format msg.Text, args ...any) {
	e := &msg.FileError{Msg: format.Sprintf(args...), Fix: fix}
	if n != nil {
		e.Line, e.Col = n.Line, n.Column
	}
	p.errs = append(p.errs, e)
}

// lexical reports what yaml.v3 words unclearly or not at all: a file not
// in UTF-8, conflict markers, tabs in indentation ("found character that
// cannot start any token") and byte-order marks inside the file (which
// become part of a key). The calendar file has no block text, so a tab
// in the indentation is always a mistake.
func (p *fileParser) lexical(data []byte) {
	if e := yamltext.Encoding(data); e != nil {
		p.errs = append(p.errs, &msg.FileError{Line: e.Line, Col: e.Col, Msg: e.Msg, Fix: e.Fix})
		return
	}
	for _, e := range yamltext.Lines(data) {
		switch e.Kind {
		case yamltext.Tab, yamltext.BOM, yamltext.Conflict:
			p.errs = append(p.errs, &msg.FileError{Line: e.Line, Col: e.Col, Msg: e.Msg, Fix: e.Fix})
		}
	}
}

// yamlError turns a yaml.v3 error ("yaml: line 3: ...") into a problem,
// or into the typing mistake that caused it.
func (p *fileParser) yamlError(err error, data []byte) {
	raw := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(raw, "line "); ok {
		if n, m, ok := strings.Cut(rest, ": "); ok {
			if l, err := strconv.Atoi(n); err == nil {
				line, raw = l, m
			}
		}
	}
	e := &msg.FileError{Line: line, Msg: msg.T("YAML 写法有误：%s", "%s").Sprintf(raw), Fix: msg.T("改正 YAML 写法", "correct the YAML syntax")}
	if line > 0 {
		e.Col = 1
	}
	if x, ok := yamltext.Explain(data, e.Line); ok {
		e = &msg.FileError{Line: x.Line, Col: x.Col, Msg: x.Msg, Fix: x.Fix}
	}
	p.errs = append(p.errs, e)
}

// mapping checks that n is a mapping without aliases or duplicate keys and
// calls fn for each entry; it reports false when n is not a mapping.
func (p *fileParser) mapping(n *yaml.Node, at string, fn func(key string, k, v *yaml.Node)) bool {
	if p.alias(n, at) {
		return false
	}
	if n.Kind != yaml.MappingNode {
		p.add(n, msg.T("在它下面缩进写「键: 值」行", "write `key: value` lines indented under it"), msg.T("%s：要写成「键: 值」的映射", "%s must be a mapping of keys"), place(at))
		return false
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if p.alias(k, at) || p.alias(v, at) {
			continue
		}
		if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
			p.add(k, msg.T("把键完整写出来", "write the keys out in full"), msg.T("%s：键只能是普通的词", "%s: keys must be plain words"), place(at))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			p.add(k, msg.T("删除其中一个，或把两个合并", "remove one of the two, or merge them"), msg.T("%[2]s：%[1]q 写了两次（第一次在第 %[3]d 行）", "%q is listed twice in %s (first at line %d)"), k.Value, place(at), first)
			continue
		}
		seen[k.Value] = k.Line
		fn(k.Value, k, v)
	}
	return true
}

// alias reports anchors and aliases, which would let a small file expand.
func (p *fileParser) alias(n *yaml.Node, at string) bool {
	if n.Anchor != "" || n.Kind == yaml.AliasNode {
		p.add(n, yamltext.WriteOutFix, msg.T("%s：日历文件里不能用 YAML 锚点和别名", "%s: YAML anchors and aliases are not allowed in the calendar file"), place(at))
		return true
	}
	return false
}

func (p *fileParser) unknown(k *yaml.Node, key, at string, known ...string) {
	p.add(k, msg.T("用其中之一：%s", "use one of %s").Sprintf(strings.Join(known, ", ")), msg.T("%[2]s：没有键 %[1]q", "unknown key %q in %s"), key, place(at))
}

func (p *fileParser) years(n *yaml.Node) {
	p.mapping(n, "years", func(key string, k, v *yaml.Node) {
		y, err := strconv.Atoi(key)
		// Exactly the four digits: +2028 or 02028 beside 2028 would be
		// the same year under another key, escaping the check for a year
		// listed twice.
		if err != nil || y < 1900 || y > 9999 || strconv.Itoa(y) != key {
			p.add(k, msg.T("年份写四位数字，如 2028:", "write the year as four digits, e.g. 2028:"), msg.T("years：%q 不是年份", "years: %q is not a year"), key)
			return
		}
		year := &Year{Year: y, Line: k.Line}
		where := "years." + key
		var hasSource, hasHolidays bool
		p.mapping(v, where, func(key string, k, v *yaml.Node) {
			switch key {
			case "source":
				hasSource = true
				p.source(v, where+".source", &year.Source)
			case "holidays", "workdays":
				hasHolidays = hasHolidays || key == "holidays" && len(v.Content) > 0
				p.spans(v, where+"."+key, y, year.list(key))
			default:
				p.unknown(k, key, where, "source", "holidays", "workdays")
			}
		})
		if !hasSource {
			p.add(k, msg.T("加上 source: {notice: 国办发明电〔YYYY〕N号, date: YYYY-MM-DD, checked: false}", "add source: {notice: 国办发明电〔YYYY〕N号, date: YYYY-MM-DD, checked: false}"), msg.T("%d 年没有写来源（source）", "year %d names no source"), y)
		}
		if !hasHolidays && v.Kind == yaml.MappingNode {
			p.add(k, msg.T("在 holidays: 下列出这一年的假日，一行一个「- YYYY-MM-DD..YYYY-MM-DD: 名称」", "list the year's holidays under holidays:, one `- YYYY-MM-DD..YYYY-MM-DD: 名称` a line"), msg.T("%d 年没有列出假日", "year %d lists no holidays"), y)
		}
		p.f.Years[y] = year
	})
}

func (b *Block) list(key string) *[]DayRange {
	if key == "holidays" {
		return &b.Holidays
	}
	return &b.Workdays
}

func (p *fileParser) block(n *yaml.Node, where string, year int, b *Block) {
	p.mapping(n, where, func(key string, k, v *yaml.Node) {
		switch key {
		case "holidays", "workdays":
			p.spans(v, where+"."+key, year, b.list(key))
		default:
			p.unknown(k, key, where, "holidays", "workdays")
		}
	})
}

func (p *fileParser) source(n *yaml.Node, where string, s *YearSource) {
	var checked *yaml.Node
	ok := p.mapping(n, where, func(key string, k, v *yaml.Node) {
		text := func() string {
			if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
				p.add(v, msg.T("在冒号后面写文字", "write a text after the colon"), msg.T("%s.%s 要写成文字", "%s.%s must be a text"), where, key)
			}
			return strings.TrimSpace(v.Value)
		}
		switch key {
		case "notice":
			s.Notice = text()
		case "feed":
			s.Feed = text()
		case "checked_by":
			s.CheckedBy = text()
		case "date":
			if d, err := ParseDate(text()); err != nil {
				p.add(v, msg.T("通知的日期写成 YYYY-MM-DD", "write the notice's date as YYYY-MM-DD"), msg.T("%s.date：%q 不是日期", "%s.date: %q is not a date"), where, v.Value)
			} else {
				s.Date = d
			}
		case "checked":
			checked = v
			if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
				p.add(v, msg.T("写 true 或 false", "write true or false"), msg.T("%s.checked 只能是 true 或 false，不能是 %q", "%s.checked must be true or false, not %q"), where, v.Value)
			}
			s.Checked = v.Value == "true"
		default:
			p.unknown(k, key, where, "notice", "date", "feed", "checked", "checked_by")
		}
	})
	if !ok {
		return
	}
	switch {
	case s.Notice == "" && s.Feed == "":
		p.add(n, msg.T("写明国务院办公厅的通知：notice: 国办发明电〔YYYY〕N号", "name the State Council's notice: notice: 国办发明电〔YYYY〕N号"), msg.T("%s 既没写通知（notice），也没写订阅源（feed）", "%s names neither a notice nor a feed"), where)
	case checked == nil:
		p.add(n, msg.T("写明是否有人逐日对照通知核对过：checked: true, checked_by: 姓名（或 checked: false）", "say whether a person checked every day against the notice: checked: true, checked_by: 姓名 (or checked: false)"), msg.T("%s 没写是否核对过", "%s does not say whether it was checked"), where)
	case s.Checked && s.CheckedBy == "":
		p.add(checked, msg.T("写明核对人：checked_by: 姓名", "name who checked it: checked_by: 姓名"), msg.T("%s 写了已核对，但没写核对人", "%s is checked but names no checker"), where)
	case s.Checked && s.Notice == "":
		p.add(checked, msg.T("写明对照的通知：notice: 国办发明电〔YYYY〕N号", "name the notice it was checked against: notice: 国办发明电〔YYYY〕N号"), msg.T("%s 写了已核对，但没写对照的通知", "%s is checked but names no notice"), where)
	}
}

// spans reads a list of `- A..B: 名称` (or `- A: 名称`) entries. year is the
// block's year (0 for the office's days, which may be any).
func (p *fileParser) spans(n *yaml.Node, where string, year int, out *[]DayRange) {
	if p.alias(n, where) || n.Tag == "!!null" {
		return
	}
	if n.Kind != yaml.SequenceNode {
		p.add(n, msg.T("写成列表，一行一个「- YYYY-MM-DD..YYYY-MM-DD: 名称」", "write a list, one `- YYYY-MM-DD..YYYY-MM-DD: 名称` a line"), msg.T("%s 要写成列表", "%s must be a list"), where)
		return
	}
	for i, item := range n.Content {
		at := fmt.Sprintf("%s[%d]", where, i)
		if p.alias(item, at) {
			continue
		}
		key, name := item, ""
		switch {
		case item.Kind == yaml.ScalarNode:
		case item.Kind == yaml.MappingNode && len(item.Content) == 2:
			key = item.Content[0]
			v := item.Content[1]
			if v.Kind != yaml.ScalarNode {
				p.add(v, msg.T("名称写成文字：- 2028-01-01: 元旦", "write the name as text: `- 2028-01-01: 元旦`"), msg.T("%s：名称要写成文字", "%s: the name must be a text"), at)
				continue
			}
			if v.Tag != "!!null" {
				name = strings.TrimSpace(v.Value)
			}
		default:
			p.add(item, msg.T("一行写一天或一段：- 2028-01-01..2028-01-03: 元旦", "write one day or range a line: `- 2028-01-01..2028-01-03: 元旦`"), msg.T("%s 要写成「日期: 名称」或「日期..日期: 名称」", "%s must be `DATE: 名称` or `DATE..DATE: 名称`"), at)
			continue
		}
		if item.Kind == yaml.ScalarNode && strings.Contains(item.Value, "：") {
			// An input method's colon: YAML reads the whole line as one text.
			date, name, _ := strings.Cut(item.Value, "：")
			p.add(item, msg.T("换成半角冒号加空格：- %s: %s", "write the ASCII colon and a space: `- %s: %s`").Sprintf(strings.TrimSpace(date), strings.TrimSpace(name)),
				msg.T("%s：日期后面是全角冒号 ：，YAML 要半角冒号 :", "%s: a full-width colon (：) follows the date; YAML needs the ASCII colon `:`"), at)
			continue
		}
		s, why, fix := parseSpan(key.Value)
		if !why.IsZero() {
			p.add(key, fix, msg.T("%s：%s", "%s: %s"), at, why)
			continue
		}
		s.Name, s.Line, s.Col = name, key.Line, key.Column
		if year != 0 && (!inYear(s.From, year) || !inYear(s.To, year)) {
			p.add(key, msg.T("把它移到所属的年份下；如果是本单位自己的日子，移到 office: 下", "move it under the year it belongs to, or under office: if it is the office's own day"),
				msg.T("%s：%s 不在 %d 年内（一年的块只列这一年的日子，最多加上前一年的 12 月和后一年的 1 月）", "%s: %s is outside %d (a year's block holds its own days, and at most the December before or the January after)"), at, key.Value, year)
			continue
		}
		*out = append(*out, s)
	}
}

// inYear reports whether d may be listed in year's block: the year itself,
// and the months around New Year, since a notice sometimes moves a day
// across it (the 2012 notice made Saturday 2011-12-31 a working day).
func inYear(d Date, year int) bool {
	return d.Year == year || d.Year == year-1 && d.Month == time.December || d.Year == year+1 && d.Month == time.January
}

// parseSpan reads "A" or "A..B"; why and fix are empty when it reads.
func parseSpan(s string) (r DayRange, why, fix msg.Text) {
	spanFix := msg.T("写成 YYYY-MM-DD，或一段 YYYY-MM-DD..YYYY-MM-DD", "write YYYY-MM-DD, or a range YYYY-MM-DD..YYYY-MM-DD")
	notDate := msg.T("%q 不是日期", "%q is not a date")
	a, b, isRange := strings.Cut(s, "..")
	from, err := ParseDate(a)
	if err != nil {
		if f := rangeFix(s); !isRange && !f.IsZero() {
			return DayRange{}, notDate.Sprintf(strings.TrimSpace(a)), f
		}
		return DayRange{}, notDate.Sprintf(strings.TrimSpace(a)), dateFix(a, spanFix)
	}
	to := from
	if isRange {
		if to, err = ParseDate(b); err != nil {
			return DayRange{}, notDate.Sprintf(strings.TrimSpace(b)), dateFix(b, spanFix)
		}
	}
	switch {
	case to.Before(from):
		return DayRange{}, msg.T("%s 这一段的结束早于开始", "the range %s ends before it starts").Sprintf(s),
			msg.T("先写较早的日期：%s..%s", "write the earlier date first: %s..%s").Sprintf(to, from)
	case to.AddDays(-spanDays).After(from):
		return DayRange{}, msg.T("%s 这一段超过 %d 天", "the range %s is longer than %d days").Sprintf(s, spanDays),
			msg.T("拆成几段，或检查日期", "split it, or check the dates")
	}
	return DayRange{From: from, To: to}, msg.Text{}, msg.Text{}
}

// looseDate finds dates as people write them: 2028-01-25, 2028-1-25,
// 2028/01/25, 2028.1.25, 2028年1月25日.
var looseDate = regexp.MustCompile(`\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?`)

// rangeFix is the fix for an entry that is a range written with another
// separator (2028-01-25~2028-02-01, 2028-01-25 至 2028-02-01) or a date and
// a name without the colon (2028-01-25 春节); empty for anything else.
func rangeFix(s string) msg.Text {
	s = strings.TrimSpace(s)
	loc := looseDate.FindAllStringIndex(s, -1)
	norm := func(i int) string {
		if d, err := ParseDate(s[loc[i][0]:loc[i][1]]); err == nil {
			return d.String()
		}
		if d, ok := looseDay(s[loc[i][0]:loc[i][1]]); ok {
			return d.String()
		}
		return s[loc[i][0]:loc[i][1]]
	}
	switch {
	case len(loc) == 2 && loc[0][0] == 0 && loc[1][1] == len(s):
		return msg.T("一段日期用两个点连接：- %s..%s: 名称", "write a range with two dots: `- %s..%s: 名称`").Sprintf(norm(0), norm(1))
	case len(loc) == 1 && loc[0][0] == 0 && loc[0][1] < len(s) && strings.TrimSpace(s[loc[0][1]:]) != "" && strings.ContainsAny(s[loc[0][1]:loc[0][1]+1], " \t"):
		return msg.T("日期后面加冒号和空格：- %s: %s", "put a colon and a space after the date: `- %s: %s`").Sprintf(norm(0), strings.TrimSpace(s[loc[0][1]:]))
	}
	return msg.Text{}
}

// dateFix is the fix for a date ParseDate refused: the date written as
// YYYY-MM-DD when s is one in another common form (2028-2-5, 2028/02/05,
// 2028.2.5, 2028年2月5日), else fix.
func dateFix(s string, fix msg.Text) msg.Text {
	if d, ok := looseDay(s); ok {
		return msg.T("写成 %s（YYYY-MM-DD，月和日补零，用连字符分隔）", "write %s (YYYY-MM-DD, with leading zeros and hyphens)").Sprintf(d)
	}
	return fix
}

// looseDay reads a date in another common form than YYYY-MM-DD.
func looseDay(s string) (Date, bool) {
	f := strings.FieldsFunc(strings.TrimSpace(s), func(r rune) bool { return strings.ContainsRune("-/.年月日", r) })
	if len(f) != 3 || len(f[0]) != 4 {
		return Date{}, false
	}
	var n [3]int
	for i, p := range f {
		v, err := strconv.Atoi(p)
		if err != nil || len(p) > 2 && i > 0 {
			return Date{}, false
		}
		n[i] = v
	}
	d, err := ParseDate(fmt.Sprintf("%04d-%02d-%02d", n[0], n[1], n[2]))
	return d, err == nil
}

// overlaps reports days listed twice: within a year's holidays or
// workdays, between them, across years (a December day of one block and
// the next), and among the office's days. Office days may repeat a year's
// day: they win.
func (p *fileParser) overlaps() {
	type listed struct {
		s    DayRange
		kind msg.Text
	}
	check := func(seen map[Date]listed, s DayRange, kind msg.Text) {
		for d := s.From; !d.After(s.To); d = d.AddDays(1) {
			if prev, dup := seen[d]; dup {
				p.errs = append(p.errs, &msg.FileError{Line: s.Line, Col: s.Col,
					Msg: msg.T("%s %s 和第 %[5]d 行的%[3]s %[4]s 重叠（都含 %[6]s）", "%s %s overlaps %s %s at line %d (both hold %s)").Sprintf(kind, spanText(s), prev.kind, spanText(prev.s), prev.s.Line, d),
					Fix: msg.T("每天只列一次：缩短其中一段，或删除一段", "list each day once: shorten one of the ranges, or remove one")})
				return
			}
		}
		for d := s.From; !d.After(s.To); d = d.AddDays(1) {
			seen[d] = listed{s, kind}
		}
	}
	years := map[Date]listed{}
	for _, y := range p.f.YearList() {
		b := p.f.Years[y].Block
		for _, s := range b.Holidays {
			check(years, s, msg.T("假日", "holiday"))
		}
		for _, s := range b.Workdays {
			check(years, s, msg.T("调休上班日", "workday"))
		}
	}
	office := map[Date]listed{}
	for _, s := range p.f.Office.Holidays {
		check(office, s, msg.T("本单位假日", "office holiday"))
	}
	for _, s := range p.f.Office.Workdays {
		check(office, s, msg.T("本单位上班日", "office workday"))
	}
}

func spanText(s DayRange) string {
	if s.From == s.To {
		return s.From.String()
	}
	return s.From.String() + ".." + s.To.String()
}

// listed is the file's entry for d in a year's block.
func (f *File) listed(d Date) (Override, bool) {
	if f == nil {
		return Override{}, false
	}
	o, ok := f.days[d]
	return o, ok
}

// officeDay is the file's office entry for d.
func (f *File) officeDay(d Date) (Override, bool) {
	if f == nil {
		return Override{}, false
	}
	o, ok := f.office[d]
	return o, ok
}

// covers reports whether the file lists year.
func (f *File) covers(year int) bool { return f != nil && f.Years[year] != nil }

// YearOf is the year's block that decides d: the one listing d (a
// December day may be in the next year's), or the one of d's year.
func (f *File) YearOf(d Date) (*Year, bool) {
	if f == nil {
		return nil, false
	}
	if y, ok := f.dayYear[d]; ok {
		return f.Years[y], true
	}
	y := f.Years[d.Year]
	return y, y != nil
}

// NoDataNote is the mark of a due date computed over years without holiday
// data, wherever one is shown (show, list, the calendar feed): "无节假日数据
// 2028", or "no holiday data for 2028" in English; "" for no years.
func NoDataNote(years []int, en bool) string {
	if len(years) == 0 {
		return ""
	}
	ys := make([]string, len(years))
	for i, y := range years {
		ys[i] = strconv.Itoa(y)
	}
	if en {
		return "no holiday data for " + strings.Join(ys, ", ")
	}
	return "无节假日数据 " + strings.Join(ys, "、")
}
