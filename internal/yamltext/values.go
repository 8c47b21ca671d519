package yamltext

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/msg"
)

// The functions below name the cause of a value that is not of its
// field's type, for the common ways of writing one the Chinese way: an
// empty Text when they know none. They are shared by the validator (values
// in case files) and the write commands (values of --set). Each has a
// string form, the Chinese and the English joined by " / ", for the
// callers that do not yet keep the two languages apart.

// joined is a cause as one string, "中文 / English"; "" for none.
func joined(t msg.Text) string {
	if t.IsZero() {
		return ""
	}
	return t.Zh + " / " + t.En
}

// NumberCause is NumberCauseText joined.
func NumberCause(s string) string { return joined(NumberCauseText(s)) }

// NumberCauseText explains a number that does not read as one: a unit
// (5万, 300元), a thousands separator (50,000), full-width digits (５００).
func NumberCauseText(s string) msg.Text {
	s = strings.TrimSpace(s)
	switch {
	case strings.ContainsAny(s, "０１２３４５６７８９"):
		return msg.T("写的是全角数字：要写半角数字，如 50000", "full-width digits: write ASCII digits such as 50000")
	case strings.HasSuffix(s, "万元") || strings.HasSuffix(s, "万"):
		n := strings.TrimSuffix(strings.TrimSuffix(s, "元"), "万")
		if x, err := strconv.ParseFloat(n, 64); err == nil {
			return msg.T("“万”是单位：%s 写作 %s", "万 is a unit (ten thousand): write %[2]s").Sprintf(s, strconv.FormatFloat(x*10000, 'f', -1, 64))
		}
		return msg.T("“万”是单位，只写数字", "万 is a unit: write the number alone")
	case strings.HasSuffix(s, "元") || strings.HasSuffix(s, "块"):
		return msg.T("金额不写单位“元”，只写数字，如 300", "no unit: write the number alone, e.g. 300")
	case strings.ContainsAny(s, ",，"):
		return msg.T("数字里有千位分隔符“,”：写 50000，不写 50,000", "a thousands separator: write 50000, not 50,000")
	}
	return msg.Text{}
}

// BoolCause is BoolCauseText joined.
func BoolCause(s string) string { return joined(BoolCauseText(s)) }

// BoolCauseText explains a yes/no written in words: 是, 否, 对, 有, 无 ...
func BoolCauseText(s string) msg.Text {
	switch strings.TrimSpace(s) {
	case "是", "对", "有", "真", "否", "不是", "错", "无", "没有", "假", "yes", "no", "Yes", "No", "是的":
		return msg.T("是/否 在文件里写作 true/false", "yes and no are written true and false in a case file")
	}
	return msg.Text{}
}

// TimeCause is TimeCauseText joined.
func TimeCause(s string) string { return joined(TimeCauseText(s)) }

// TimeCauseText explains a date or time that does not read as one: slashes
// or Chinese characters between its parts, a full-width colon, a month or
// day that does not exist.
func TimeCauseText(s string) msg.Text {
	if why := dateRange(s); !why.IsZero() {
		return why
	}
	switch {
	case strings.Contains(s, "/"):
		return msg.T("日期用“/”分隔；要写成 %s", "the date is written with slashes: write %s").Sprintf(dashed(s, "/"))
	case strings.ContainsAny(s, "年月日"):
		return msg.T("日期写成了中文；要写成 2026-11-24", "the date is written in Chinese: write 2026-11-24")
	case strings.Contains(s, fullColon):
		return msg.T("时间里有全角冒号 ：；要写成 09:00", "a full-width colon in the time: write 09:00")
	case strings.Count(s, ".") >= 2:
		return msg.T("日期用“.”分隔；要写成 %s", "the date is written with dots: write %s").Sprintf(dashed(s, "."))
	}
	return msg.Text{}
}

// dashed is the date at the start of s written with sep (2026/11/3), in
// the form casebook reads (2026-11-03); s itself when it is no date.
func dashed(s, sep string) string {
	date, rest, _ := strings.Cut(strings.TrimSpace(s), " ")
	parts := strings.Split(date, sep)
	if len(parts) != 3 {
		return s
	}
	for i, p := range parts {
		if len(p) == 1 {
			parts[i] = "0" + p
		}
	}
	out := strings.Join(parts, "-")
	if rest != "" {
		out += " " + rest
	}
	return out
}

// ListCause is ListCauseText joined.
func ListCause(s string) string { return joined(ListCauseText(s)) }

// ListCauseText explains a list written as one text with commas ("a, b"
// or "a，b、c").
func ListCauseText(s string) msg.Text {
	if strings.ContainsAny(s, ",，、") {
		return msg.T("列表写成了一段用逗号分隔的文字：写成 [a, b]，或每项一行「- a」", "a list written as one text with commas: write [a, b] or one \"- a\" line each")
	}
	return msg.Text{}
}

// PathCause is PathCauseText joined.
func PathCause(s string) string { return joined(PathCauseText(s)) }

// PathCauseText explains a case id written as a file path, often a
// Windows one (cases\2026\11\02\BANK-2026-0001.md).
func PathCauseText(s string) msg.Text {
	switch {
	case strings.Contains(s, `\`):
		return msg.T("写的是 Windows 文件路径，不是案件编号：只写编号，如 BANK-2026-0001", "a Windows file path, not a case id: write the id alone, e.g. BANK-2026-0001")
	case strings.Contains(s, "/") || strings.HasSuffix(s, ".md"):
		return msg.T("写的是文件路径，不是案件编号：只写编号，如 BANK-2026-0001", "a file path, not a case id: write the id alone, e.g. BANK-2026-0001")
	}
	return msg.Text{}
}

var ymd = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})`)

// dateRange names a month or day that does not exist (2026-13-01,
// 2026-11-31) and a month or day written with one digit (2026-1-5).
func dateRange(s string) msg.Text {
	m := ymd.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return msg.Text{}
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	switch {
	case mo < 1 || mo > 12:
		return msg.T("没有 %d 月", "there is no month %d").Sprintf(mo)
	case d < 1 || d > time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day():
		return msg.T("%[1]d 年 %[2]d 月没有 %[3]d 日", "%[4]s %[1]d has no day %[3]d").Sprintf(y, mo, d, time.Month(mo).String())
	case len(m[2]) == 1 || len(m[3]) == 1:
		return msg.T("月和日要写两位数：%04d-%02d-%02d", "month and day take two digits: %04d-%02d-%02d").Sprintf(y, mo, d)
	}
	return msg.Text{}
}
