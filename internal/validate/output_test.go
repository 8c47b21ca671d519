package validate

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

func sampleReport() *Report {
	r := &Report{
		Lang:  "en",
		Now:   time.Date(2026, 10, 12, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)),
		Cases: 2,
		Findings: []Finding{
			{Severity: Error, Code: "field.invalid", Case: "BANK-2026-0001", File: "cases/a, b/BANK-2026-0001.md", Line: 7,
				Message: "channel: fax is not one of phone, visit\nsecond line 100%", Fix: "use one of the listed values"},
			{Severity: Warning, Code: "deadline.at_risk", Case: "BANK-2026-0002", File: "cases/BANK-2026-0002.md", Line: 5, Message: "reply is due soon"},
			{Severity: Info, Code: "history.deleted", Case: "BANK-2026-0003", File: "cases/BANK-2026-0003.md", Message: "deleted",
				Acknowledged: &Ack{Code: "history.deleted", Case: "BANK-2026-0003", By: "张主任", Why: "重复登记"}},
		},
		CaseFiles: map[string]string{"BANK-2026-0001": "cases/a, b/BANK-2026-0001.md", "BANK-2026-0002": "cases/BANK-2026-0002.md"},
	}
	r.Count()
	return r
}

func TestReport_Count(t *testing.T) {
	r := sampleReport()
	if r.Errors != 1 || r.Warnings != 1 {
		t.Fatalf("errors, warnings = %d, %d; want 1, 1 (info does not count)", r.Errors, r.Warnings)
	}
}

func TestReport_GitHubEscapesProperties(t *testing.T) {
	var b bytes.Buffer
	if err := sampleReport().Write(&b, "github", 0); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	want := "::error file=cases/a%2C b/BANK-2026-0001.md,line=7,title=field.invalid::channel: fax is not one of phone, visit%0Asecond line 100%25 — fix: use one of the listed values"
	if lines[0] != want {
		t.Errorf("first line\n got %q\nwant %q", lines[0], want)
	}
	if !strings.HasPrefix(lines[1], "::warning file=cases/BANK-2026-0002.md,line=5,title=deadline.at_risk::") {
		t.Errorf("warning line = %q", lines[1])
	}
	if !strings.HasPrefix(lines[2], "::notice ") {
		t.Errorf("info line = %q; want a notice", lines[2])
	}
}

func TestReport_JSONShape(t *testing.T) {
	var b bytes.Buffer
	if err := sampleReport().Write(&b, "json", 0); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Now      string `json:"now"`
		Cases    int    `json:"cases"`
		Errors   int    `json:"errors"`
		Warnings int    `json:"warnings"`
		Findings []struct {
			Severity, Code, Case, File, Message string
			Line                                int
			Acknowledged                        *struct{ Who, Why string }
		} `json:"findings"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b.String())
	}
	if got.Now != "2026-10-12T09:00:00+08:00" || got.Cases != 2 || got.Errors != 1 || got.Warnings != 1 || len(got.Findings) != 3 {
		t.Fatalf("unexpected header: %+v", got)
	}
	if f := got.Findings[0]; f.Severity != "error" || f.Code != "field.invalid" || f.Line != 7 || f.File != "cases/a, b/BANK-2026-0001.md" {
		t.Errorf("finding 0 = %+v", f)
	}
	if a := got.Findings[2].Acknowledged; a == nil || a.Who != "张主任" {
		t.Errorf("acknowledgement lost: %+v", a)
	}
}

func TestReport_EmptyFindingsIsArray(t *testing.T) {
	var b bytes.Buffer
	r := &Report{}
	if err := r.Write(&b, "json", 0); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"findings": []`) {
		t.Errorf("want an empty array, got %s", b.String())
	}
}

func TestReport_JUnitOneCasePerCase(t *testing.T) {
	var b bytes.Buffer
	if err := sampleReport().Write(&b, "junit", 0); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	s := doc.Suites[0]
	if s.Tests != 2 || s.Failures != 1 {
		t.Fatalf("tests, failures = %d, %d; want 2, 1", s.Tests, s.Failures)
	}
	if s.Cases[0].Name != "BANK-2026-0001" || len(s.Cases[0].Failures) != 1 || s.Cases[0].Failures[0].Type != "field.invalid" {
		t.Errorf("case 0 = %+v", s.Cases[0])
	}
	if len(s.Cases[1].Failures) != 0 || !strings.Contains(s.Cases[1].SystemOut, "deadline.at_risk") {
		t.Errorf("a warning is not a failure but is reported: %+v", s.Cases[1])
	}
}

func TestReport_TextLimit(t *testing.T) {
	var b bytes.Buffer
	if err := sampleReport().Write(&b, "text", 1); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "deadline.at_risk") || !strings.Contains(out, "2 more findings not shown") {
		t.Errorf("limit not applied:\n%s", out)
	}
	if !strings.HasSuffix(out, "2 cases, 1 errors, 1 warnings\n") {
		t.Errorf("summary missing:\n%s", out)
	}
}

func TestReport_UnknownFormat(t *testing.T) {
	if err := sampleReport().Write(&bytes.Buffer{}, "xml", 0); err == nil {
		t.Fatal("want an error for an unknown format")
	}
}

func TestParseAcks(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
		want              int
	}{
		{name: "empty file", in: "", want: 0},
		{name: "one entry", in: "acknowledged:\n  - {code: history.deleted, case: X-1, who: 张, why: 重复}\n", want: 1},
		{name: "code not about the past", in: "acknowledged:\n  - {code: deadline.overdue, case: X-1, who: 张, why: w}\n", wantErr: "acknowledged.yaml:2: code \"deadline.overdue\" cannot be acknowledged"},
		{name: "neither case nor commit", in: "acknowledged:\n  - {code: history.deleted, who: 张, why: w}\n", wantErr: "names neither case nor commit"},
		{name: "no reason", in: "acknowledged:\n  - {code: history.deleted, case: X-1, who: 张}\n", wantErr: "needs `who` and `why`"},
		{name: "short commit", in: "acknowledged:\n  - {code: history.deleted, commit: abc, who: 张, why: w}\n", wantErr: "too short"},
		{name: "typo key", in: "acknowledged:\n  - {code: history.deleted, case: X-1, who: 张, why: w, wen: x}\n", wantErr: "wen"},
		{name: "unknown top-level key", in: "acknowledge:\n  - {}\n", wantErr: "acknowledge"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAcks([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v; want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || len(got) != tt.want {
				t.Fatalf("got %d acks, err %v; want %d", len(got), err, tt.want)
			}
		})
	}
}

func TestApplyAcks_CommitPrefix(t *testing.T) {
	acks := []*Ack{{Code: "history.backdated", Commit: "abcdef1", By: "张", Why: "时钟错误"}}
	fs := []Finding{
		{Severity: Error, Code: "history.backdated", Commit: "abcdef1234567890"},
		{Severity: Error, Code: "history.backdated", Commit: "1234567abcdef"},
	}
	fs = applyAcks(fs, acks)
	if fs[0].Severity != Info || fs[1].Severity != Error {
		t.Fatalf("severities = %s, %s; want info, error", fs[0].Severity, fs[1].Severity)
	}
	if len(fs) != 2 {
		t.Fatalf("a used acknowledgement must not be reported as unused: %+v", fs)
	}
}
