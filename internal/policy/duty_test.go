package policy

import (
	"strings"
	"testing"
)

// TestLoad_DutyProblems: the duty keys of a deadline rule (lapse, report,
// on_reopen) are checked like the others, with the line of the mistake.
func TestLoad_DutyProblems(t *testing.T) {
	forward := "    stop: [assigned]\n    duration: 2 working_days\n"
	tests := []struct {
		name, new, msg, at string
	}{
		{"lapse in a state that does not exist", forward + "    lapse: [withdrawm]\n", `deadline "forward" lapse: unknown state "withdrawm"`, "withdrawm"},
		{"on_reopen neither keep nor restart", forward + "    on_reopen: again\n", `deadline "forward" on_reopen: "again" is neither keep nor restart`, "again"},
		{"report without a field", forward + "    report: {every: 3 working_days}\n", `deadline "forward" report has no field`, "report:"},
		{"report field not declared", forward + "    report: {field: progress_at}\n", `deadline "forward" report: field "progress_at" is not declared`, "progress_at"},
		{"report field of another type", forward + "    report: {field: amount}\n", `field "amount" is a money field, not a datetime or a list of datetimes`, "field: amount"},
		{"report every not a period", forward + "    report: {field: replied_at, every: weekly}\n", `deadline "forward" report every: period "weekly": write "<N> <unit>"`, "every: weekly"},
		{"report duty with a stop_field", forward + "    stop_field: replied_at\n    report: {field: replied_at}\n", `is a report duty and has a stop_field`, "stop_field: replied_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := edit(t, forward, tt.new)
			_, err := Load("test.yaml", []byte(src))
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			for _, e := range ErrorList(err) {
				if strings.Contains(e.Error(), tt.msg) {
					if want := lineOf(t, src, tt.at); e.Line != want {
						t.Errorf("%q at line %d, want line %d", e.Msg, e.Line, want)
					}
					if e.Fix.IsZero() {
						t.Errorf("%q has no fix", e.Msg)
					}
					return
				}
			}
			t.Errorf("no problem contains %q; got:\n%v", tt.msg, err)
		})
	}
}

// TestLoad_DutyKeys: a report duty, a lapse and a restart load as written.
func TestLoad_DutyKeys(t *testing.T) {
	p := mustLoad(t, edit(t, "    stop: [assigned]\n    duration: 2 working_days\n",
		"    stop: [assigned]\n    duration: 2 working_days\n    lapse: [withdrawn]\n    on_reopen: restart\n    report: {field: replied_at, every: 3 working_days}\n"))
	r := p.Deadlines[2]
	if r.ID != "forward" || len(r.Lapse) != 1 || r.Lapse[0] != "withdrawn" || r.OnReopen != OnReopenRestart ||
		r.Report == nil || r.Report.Field != "replied_at" || r.Report.Every != "3 working_days" {
		t.Errorf("forward = %+v", r)
	}
}
