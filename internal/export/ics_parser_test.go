package export

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/deadline"
)

// icalendarPython finds a Python that can import icalendar (Debian's
// python3-icalendar): $CASEBOOK_PYTHON when set, else python3 in PATH,
// then /usr/bin/python3 (a pyenv python3 first in PATH may lack it). On CI
// (CI=true) a missing one fails the test; elsewhere it skips.
func icalendarPython(t *testing.T) string {
	t.Helper()
	candidates := []string{"python3", "/usr/bin/python3"}
	if p := os.Getenv("CASEBOOK_PYTHON"); p != "" {
		candidates = []string{p}
	}
	for _, c := range candidates {
		path, err := exec.LookPath(c)
		if err != nil {
			continue
		}
		if exec.Command(path, "-c", "import icalendar").Run() == nil {
			return path
		}
	}
	const why = "no python3 with the icalendar module (Debian: apt-get install python3-icalendar; or set CASEBOOK_PYTHON) among "
	if os.Getenv("CI") == "true" {
		t.Fatal(why + strings.Join(candidates, ", "))
	}
	t.Skip(why + strings.Join(candidates, ", "))
	return ""
}

// parsedCalendar is what testdata/ics_parse.py prints.
type parsedCalendar struct {
	Name   string            `json:"name"`
	Props  map[string]string `json:"props"`
	Errors []string          `json:"errors"`
	Events []parsedEvent     `json:"events"`
}

type parsedEvent struct {
	UID     string        `json:"uid"`
	DTStamp string        `json:"dtstamp"`
	DTStart string        `json:"dtstart"`
	DTEnd   string        `json:"dtend"`
	Summary string        `json:"summary"`
	URL     string        `json:"url"`
	Alarms  []parsedAlarm `json:"alarms"`
}

type parsedAlarm struct {
	Action      string `json:"action"`
	Trigger     string `json:"trigger"`
	Description string `json:"description"`
}

// TestICS_Parser reads deadlines.ics with a real iCalendar parser, the
// Python icalendar library, and compares every event, its times and its
// reminders with what the rules give: a day clock all day on its due day
// with 09:00 reminders, an hour clock timed, an overdue clock marked and
// silent; the parser records no error.
func TestICS_Parser(t *testing.T) {
	py := icalendarPython(t)
	recs := loadOffice(t)
	cst := now.Location()
	for _, r := range recs {
		switch r.Case.ID {
		case "BANK-2026-0002":
			r.Clocks[0].DueAt = time.Date(2026, 11, 2, 23, 59, 59, 0, cst)
			r.Clocks[0].State = deadline.Overdue
		case "BANK-2026-0003":
			r.Clocks[0].Period = calendar.Period{N: 24, Unit: calendar.Hours}
			r.Clocks[0].DueAt = time.Date(2026, 11, 4, 10, 0, 0, 0, cst)
		}
	}
	base := "https://office.example.gitlab.io/cases/"
	o := Options{Now: now, Title: "城关农商银行监察室", BaseURL: base, Repository: strings.Repeat("0123456789abcdef", 2) + "01234567"}
	var buf bytes.Buffer
	if err := ICS(&buf, recs, o); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "deadlines.ics")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, filepath.Join("testdata", "ics_parse.py"), file)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s ics_parse.py: %v\n%s", py, err, stderr.Bytes())
	}
	var got parsedCalendar
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("ics_parse.py printed %q: %v", out, err)
	}
	if len(got.Errors) > 0 {
		t.Errorf("the parser found errors: %q", got.Errors)
	}
	if got.Name != "VCALENDAR" {
		t.Errorf("top component %q", got.Name)
	}
	wantProps := map[string]string{
		"VERSION": "2.0", "PRODID": "-//casebook//casebook//ZH", "CALSCALE": "GREGORIAN",
		"X-WR-CALNAME": "城关农商银行监察室", "X-WR-TIMEZONE": "Asia/Shanghai",
	}
	if !maps.Equal(got.Props, wantProps) {
		t.Errorf("calendar properties %v, want %v (no METHOD)", got.Props, wantProps)
	}
	uid := func(id string) string { return id + "-reply@0123456789abcdef.casebook" }
	want := []parsedEvent{
		{UID: uid("BANK-2026-0002"), DTStart: "DATE:20261102", DTEnd: "DATE:20261103",
			Summary: `[已超期] BANK-2026-0002 回复客户: =HYPERLINK("http://evil.example","x")`},
		{UID: uid("BANK-2026-0003"), DTStart: "20261104T013000Z", DTEnd: "20261104T020000Z",
			Summary: "BANK-2026-0003 回复客户: 匿名来信",
			// 24 hours: a quarter (6 h) and 15 minutes before 10:00.
			Alarms: []parsedAlarm{{Trigger: "20261103T200000Z"}, {Trigger: "20261104T014500Z"}}},
		{UID: uid("BANK-2026-0001"), DTStart: "DATE:20261116", DTEnd: "DATE:20261117",
			Summary: "BANK-2026-0001 回复客户: " + longTitle,
			// 09:00 Beijing time on Friday 11-13 and Monday 11-16.
			Alarms: []parsedAlarm{{Trigger: "20261113T010000Z"}, {Trigger: "20261116T010000Z"}}},
	}
	for i := range want {
		w := &want[i]
		w.DTStamp = "20261103T040000Z"
		w.URL = base + "cases/" + strings.Split(w.UID, "-reply")[0] + ".html"
		for j := range w.Alarms {
			w.Alarms[j].Action, w.Alarms[j].Description = "DISPLAY", w.Summary
		}
	}
	if len(got.Events) != len(want) {
		t.Fatalf("%d events, want %d:\n%s", len(got.Events), len(want), out)
	}
	for i, w := range want {
		g := got.Events[i]
		if g.UID != w.UID || g.DTStamp != w.DTStamp || g.DTStart != w.DTStart || g.DTEnd != w.DTEnd ||
			g.Summary != w.Summary || g.URL != w.URL || !slices.Equal(g.Alarms, w.Alarms) {
			t.Errorf("event %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}
