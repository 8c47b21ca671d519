package policy

// duty checks the keys of a deadline rule that make it a duty rather than
// a plain completion clock: lapse, report and on_reopen.
func (c *checker) duty(at []any, r DeadlineRule, what string) {
	c.stateList(append(at, "lapse"), r.Lapse, what+" lapse")
	switch r.OnReopen {
	case "", OnReopenKeep, OnReopenRestart:
	default:
		c.add(append(at, "on_reopen"), "write on_reopen: keep or on_reopen: restart", "%s on_reopen: %q is neither keep nor restart", what, r.OnReopen)
	}
	if r.Report == nil {
		return
	}
	rep := append(at, "report")
	if r.Report.Field == "" {
		c.add(rep, "add report.field: the datetime field (or list of datetimes) that records the report", "%s report has no field", what)
	} else {
		c.reportField(append(rep, "field"), r.Report.Field, what+" report")
	}
	if r.Report.Every != "" {
		if err := checkDuration(r.Report.Every); err != nil {
			c.add(append(rep, "every"), durationFix, "%s report every: %v", what, err)
		}
	}
	if r.StopField != "" {
		c.add(append(at, "stop_field"), "remove stop_field: the report field fulfils a report duty", "%s is a report duty and has a stop_field", what)
	}
}

// reportField accepts a datetime field or a list of datetimes.
func (c *checker) reportField(at []any, path, what string) {
	f, ok := c.p.Field(path)
	switch {
	case !ok:
		c.add(at, c.fieldFix(path), "%s: field %q is not declared", what, path)
	case f.Type == TypeDateTime, f.Type == TypeList && f.Items == TypeDateTime:
	default:
		c.add(at, "declare it with type: datetime, or type: list with items: datetime", "%s: field %q is a %s field, not a datetime or a list of datetimes", what, path, f.Type)
	}
}
