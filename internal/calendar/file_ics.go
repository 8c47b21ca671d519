package calendar

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/casebook/casebook/internal/msg"
)

// ImportICS reads an office's holiday feed (iCalendar, RFC 5545): every
// VEVENT an all-day day or range (DTSTART;VALUE=DATE, DTEND exclusive, or
// DURATION:PnD), its SUMMARY ending in 休 or 放假 for rest days ("春节 休",
// "国庆节（休）") and in 班 for working days ("春节 班", "补班"). It
// returns each year's days, by year; a day belongs to its own year, except
// the December days of a 元旦 event, which the next year's notice sets.
// Problems name the feed's line: a timed event, a repeating one (RRULE),
// a summary that is neither, a day listed twice.
func ImportICS(data []byte) (map[int]*Block, msg.FileErrors) {
	years, _, errs := ImportFeed(data, false)
	return years, errs
}

// Skipped is an event of a holiday feed that ImportFeed left out.
type Skipped struct {
	// Line is where the event begins; Summary is its SUMMARY.
	Line    int
	Summary string
}

// ImportFeed is ImportICS for a feed that mixes the notice's days with
// other events: the public feeds (Apple's 中国大陆节假日 among them) carry
// festivals and solar terms (情人节, 立春, 春节 on the festival's day) beside
// the events marked 休 and 班. With skipUnmarked an event whose summary says
// neither is left out and listed in the result instead of being a problem,
// and its days are not counted as listed by it; a 调休 summary is refused
// either way. Problems leave File empty for the caller to fill in.
func ImportFeed(data []byte, skipUnmarked bool) (map[int]*Block, []Skipped, msg.FileErrors) {
	years := map[int]*Block{}
	var skipped []Skipped
	var errs msg.FileErrors
	fail := func(line int, fix, format msg.Text, args ...any) {
		errs = append(errs, &msg.FileError{Line: line, Col: 1, Msg: format.Sprintf(args...), Fix: fix})
	}
	type day struct{ line int }
	seen := map[Date]day{}
	var ev *icsEvent
	inEvent := false
	// nested counts the components open inside the event (VALARM): their
	// SUMMARY, DESCRIPTION and DURATION are not the event's.
	nested := 0
	for _, l := range unfold(string(data)) {
		if !utf8.ValidString(l.text) {
			fail(l.line, msg.T("把订阅文件另存为 UTF-8", "save the feed as UTF-8"), msg.T("第 %d 行不是 UTF-8 文本", "line %d is not UTF-8 text"), l.line)
			continue
		}
		name, params, value := icsProperty(l.text)
		switch {
		case name == "BEGIN" && strings.EqualFold(value, "VEVENT"):
			if inEvent {
				fail(ev.line, endEventFix, noEndMsg, ev.line)
			}
			ev, inEvent, nested = &icsEvent{line: l.line}, true, 0
		case name == "BEGIN" && inEvent:
			nested++
		case name == "END" && inEvent && nested > 0:
			nested--
		case name == "END" && inEvent && strings.EqualFold(value, "VCALENDAR"):
			fail(ev.line, endEventFix, noEndMsg, ev.line)
			inEvent = false
		case inEvent && nested > 0:
		case name == "END" && strings.EqualFold(value, "VEVENT") && inEvent:
			inEvent = false
			if ev.cancelled {
				continue
			}
			if _, _, ok := classify(ev.summary); skipUnmarked && !ok && !ev.ambiguous() {
				skipped = append(skipped, Skipped{Line: ev.line, Summary: ev.summary})
				continue
			}
			from, to, work, spanName, ok := ev.days(fail)
			if !ok {
				continue
			}
			for d := from; !d.After(to); d = d.AddDays(1) {
				if prev, dup := seen[d]; dup {
					fail(ev.line, msg.T("删除其中一个事件", "remove one of the two events"), msg.T("%s 既在第 %d 行的事件里，又在第 %d 行的事件里", "%s is in the event at line %d and in the one at line %d"), d, prev.line, ev.line)
					break
				}
				seen[d] = day{ev.line}
				y := d.Year
				if d.Month == time.December && strings.Contains(spanName, "元旦") {
					y++
				}
				b := years[y]
				if b == nil {
					b = &Block{}
					years[y] = b
				}
				list := b.list("holidays")
				if work {
					list = b.list("workdays")
				}
				if n := len(*list); n > 0 && (*list)[n-1].To.AddDays(1) == d && (*list)[n-1].Name == spanName {
					(*list)[n-1].To = d
				} else {
					*list = append(*list, DayRange{From: d, To: d, Name: spanName})
				}
			}
		case inEvent:
			ev.set(l.line, name, params, value)
		}
	}
	if inEvent {
		fail(ev.line, msg.T("每个事件以 END:VEVENT 结束，整个订阅以 END:VCALENDAR 结束", "end each event with END:VEVENT, and the feed with END:VCALENDAR"), noEndMsg, ev.line)
	}
	if len(errs) > 0 {
		return nil, nil, errs
	}
	for _, b := range years {
		for _, list := range []*[]DayRange{&b.Holidays, &b.Workdays} {
			slices.SortFunc(*list, func(a, b DayRange) int { return a.From.Compare(b.From) })
		}
	}
	return years, skipped, nil
}

var (
	noEndMsg    = msg.T("第 %d 行开始的事件没有 END:VEVENT", "the event at line %d has no END:VEVENT")
	endEventFix = msg.T("每个事件以 END:VEVENT 结束", "end each event with END:VEVENT")
)

// icsEvent is what ImportICS reads of a VEVENT.
type icsEvent struct {
	line                        int
	start, end, dur, summary    string
	startLine, endLine, sumLine int
	timed, repeats, cancelled   bool
}

func (e *icsEvent) set(line int, name, params, value string) {
	switch name {
	case "DTSTART":
		e.start, e.startLine = value, line
		e.timed = e.timed || !strings.Contains(strings.ToUpper(params), "VALUE=DATE") && strings.Contains(value, "T")
	case "DTEND":
		e.end, e.endLine = value, line
	case "DURATION":
		e.dur, e.endLine = value, line
	case "SUMMARY":
		e.summary, e.sumLine = unescapeICS(value), line
	case "RRULE", "RDATE":
		e.repeats = true
	case "STATUS":
		e.cancelled = strings.EqualFold(value, "CANCELLED")
	}
}

// days is the event's range (both ends included), whether it is working,
// and its name.
func (e *icsEvent) days(fail func(int, msg.Text, msg.Text, ...any)) (from, to Date, work bool, name string, ok bool) {
	switch {
	case e.repeats:
		fail(e.line, msg.T("每个假日写成单独的事件", "list each holiday as its own event"), msg.T("第 %d 行开始的事件是重复事件（RRULE 或 RDATE）；假日订阅要逐日列出", "the event at line %d repeats (RRULE or RDATE); holiday feeds list each day"), e.line)
		return
	case e.start == "":
		fail(e.line, msg.T("给事件写上 DTSTART;VALUE=DATE:YYYYMMDD", "give the event a DTSTART;VALUE=DATE:YYYYMMDD"), msg.T("第 %d 行开始的事件没有 DTSTART", "the event at line %d has no DTSTART"), e.line)
		return
	case e.timed:
		fail(e.startLine, msg.T("用全天事件：DTSTART;VALUE=DATE:YYYYMMDD", "use all-day events: DTSTART;VALUE=DATE:YYYYMMDD"), msg.T("DTSTART %s 是时刻，不是日子；假日是全天事件", "DTSTART %s is a time, not a day; holidays are all-day events"), e.start)
		return
	}
	from, err := icsDate(e.start)
	if err != nil {
		fail(e.startLine, msg.T("写成 DTSTART;VALUE=DATE:YYYYMMDD", "write DTSTART;VALUE=DATE:YYYYMMDD"), msg.T("DTSTART %q 不是日期", "DTSTART %q is not a date"), e.start)
		return
	}
	to = from
	switch {
	case e.end != "":
		end, err := icsDate(e.end)
		if err != nil || !from.Before(end) {
			fail(e.endLine, msg.T("DTEND 是最后一天的下一天（不含当天）：DTEND;VALUE=DATE:YYYYMMDD", "DTEND is the day after the last day (exclusive): DTEND;VALUE=DATE:YYYYMMDD"), msg.T("DTEND %q 不是 DTSTART %s 之后的日期", "DTEND %q is not a date after DTSTART %s"), e.end, e.start)
			return
		}
		to = end.AddDays(-1)
	case e.dur != "":
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(strings.ToUpper(e.dur), "P"), "D"))
		if err != nil || n < 1 || !strings.HasSuffix(strings.ToUpper(e.dur), "D") {
			fail(e.endLine, msg.T("写成 DURATION:P<N>D，或用 DTEND", "write DURATION:P<N>D, or DTEND"), msg.T("DURATION %q 不是整天数", "DURATION %q is not a whole number of days"), e.dur)
			return
		}
		to = from.AddDays(n - 1)
	}
	if to.AddDays(-spanDays).After(from) {
		fail(e.line, msg.T("检查事件的日期", "check the event's dates"), msg.T("第 %d 行开始的事件超过 %d 天", "the event at line %d is longer than %d days"), e.line, spanDays)
		return
	}
	name, work, ok = classify(e.summary)
	line := e.sumLine
	if line == 0 {
		line = e.line
	}
	switch {
	case !ok && e.ambiguous():
		fail(line, msg.T("上班的日子写「名称 班」（或「调休上班」），休息的日子写「名称 休」", `write "名称 班" (or "调休上班") if the day is worked, "名称 休" if it is a rest day`),
			msg.T("摘要 %q 写的是「调休」，订阅里既用它表示补班，也用它表示休息", "summary %q says 调休, which feeds use for make-up working days as well as for rest days"), e.summary)
	case !ok:
		fail(line, msg.T("休息日写「名称 休」，上班日写「名称 班」或「补班」；如果订阅里还有节日和节气，加 --skip-unmarked 略过两者都没写的事件", `write "名称 休" for a rest day, "名称 班" or "补班" for a working day; if the feed also holds festivals and solar terms, give --skip-unmarked to leave out what says neither`),
			msg.T("摘要 %q 既没写「休」也没写「班」", "summary %q says neither 休 (rest) nor 班 (work)"), e.summary)
	}
	return from, to, work, name, ok
}

// ambiguous reports whether the summary ends in 调休.
func (e *icsEvent) ambiguous() bool { return strings.HasSuffix(normSummary(e.summary), tiaoxiu) }

// markers are the words a feed's summary ends in, longest first: for each,
// whether it means a working day.
var markers = []struct {
	word string
	work bool
}{
	{"调休上班", true}, {"上班", true}, {"补班", true}, {"班", true},
	{"放假", false}, {"假期", false}, {"休息", false}, {"休", false},
}

// tiaoxiu is a summary word that does not say which: the public feeds
// name the make-up working day "春节调休", while 调休 also names the
// whole arrangement (放假调休), so a summary ending in it is refused rather
// than read as 休.
const tiaoxiu = "调休"

// classify reads "春节 休", "春节（班）", "补班": the holiday's name and
// whether the day is worked.
func classify(summary string) (name string, work, ok bool) {
	s := normSummary(summary)
	if strings.HasSuffix(s, tiaoxiu) {
		return "", false, false
	}
	for _, m := range markers {
		if rest, found := strings.CutSuffix(s, m.word); found {
			return strings.Trim(rest, " -·:：,，"), m.work, true
		}
	}
	return "", false, false
}

// normSummary is a summary with its last parenthesis opened: "春节（休）"
// reads as "春节 休".
func normSummary(summary string) string {
	s := strings.TrimSpace(strings.NewReplacer("（", "(", "）", ")").Replace(summary))
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndex(s, "("); i >= 0 {
			s = s[:i] + " " + s[i+1:len(s)-1]
		}
	}
	return s
}

// icsDate reads a DATE value, YYYYMMDD.
func icsDate(s string) (Date, error) {
	t, err := time.Parse("20060102", strings.TrimSpace(s))
	if err != nil {
		return Date{}, err
	}
	return DateOf(t, time.UTC), nil
}

type icsLine struct {
	line int
	text string
}

// unfold joins folded content lines (a CRLF followed by a space or tab),
// keeping the number of each one's first line.
func unfold(s string) []icsLine {
	var out []icsLine
	for i, l := range strings.Split(strings.TrimPrefix(s, "\uFEFF"), "\n") {
		l = strings.TrimSuffix(l, "\r")
		if (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) && len(out) > 0 {
			out[len(out)-1].text += l[1:]
			continue
		}
		if l != "" {
			out = append(out, icsLine{i + 1, l})
		}
	}
	return out
}

// icsProperty splits "NAME;PARAM=X:VALUE". A colon inside a quoted
// parameter value does not end the name.
func icsProperty(l string) (name, params, value string) {
	quoted := false
	for i, r := range l {
		switch {
		case r == '"':
			quoted = !quoted
		case r == ':' && !quoted:
			head := l[:i]
			name, params, _ = strings.Cut(head, ";")
			return strings.ToUpper(name), params, l[i+1:]
		}
	}
	return strings.ToUpper(l), "", ""
}

// unescapeICS undoes TEXT escaping (RFC 5545 3.3.11).
func unescapeICS(s string) string {
	return strings.NewReplacer(`\n`, " ", `\N`, " ", `\,`, ",", `\;`, ";", `\\`, `\`).Replace(s)
}
