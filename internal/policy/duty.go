package policy

import "github.com/casebook/casebook/internal/msg"

// duty checks the keys of a deadline rule that make it a duty rather than
// a plain completion clock: lapse, report and on_reopen.
func (c *checker) duty(at []any, r DeadlineRule, what msg.Text) {
	c.stateList(append(at, "lapse"), r.Lapse, cat(what, " 的 lapse", " lapse"))
	switch r.OnReopen {
	case "", OnReopenKeep, OnReopenRestart:
	default:
		c.add(append(at, "on_reopen"), msg.T("写 on_reopen: keep 或 on_reopen: restart", "write on_reopen: keep or on_reopen: restart"),
			msg.T("%s 的 on_reopen：%q 既不是 keep 也不是 restart", "%s on_reopen: %q is neither keep nor restart"), what, r.OnReopen)
	}
	if r.Report == nil {
		return
	}
	rep := append(at, "report")
	if r.Report.Field == "" {
		c.add(rep, msg.T("加上 report.field：记录报告的时间字段（或时间列表）", "add report.field: the datetime field (or list of datetimes) that records the report"),
			msg.T("%s 的报告没有字段", "%s report has no field"), what)
	} else {
		c.reportField(append(rep, "field"), r.Report.Field, cat(what, " 的报告", " report"))
	}
	if r.Report.Every != "" {
		if err := checkDuration(r.Report.Every); err != nil {
			c.add(append(rep, "every"), durationFix, msg.T("%s 的报告周期（report every）：%v", "%s report every: %v"), what, err)
		}
	}
	if r.StopField != "" {
		c.add(append(at, "stop_field"), msg.T("删除 stop_field：报告义务由报告字段完成", "remove stop_field: the report field fulfils a report duty"),
			msg.T("%s 是报告义务，却有 stop_field", "%s is a report duty and has a stop_field"), what)
	}
}

// reportField accepts a datetime field or a list of datetimes.
func (c *checker) reportField(at []any, path string, what msg.Text) {
	f, ok := c.p.Field(path)
	switch {
	case !ok:
		c.add(at, c.fieldFix(path), undeclaredMsg, what, path)
	case f.Type == TypeDateTime, f.Type == TypeList && f.Items == TypeDateTime:
	default:
		c.add(at, msg.T("用 type: datetime 声明它，或用 type: list 加 items: datetime", "declare it with type: datetime, or type: list with items: datetime"),
			msg.T("%s：字段 %q 是 %s 字段，不是时间或时间列表", "%s: field %q is a %s field, not a datetime or a list of datetimes"), what, path, f.Type)
	}
}
