package validate

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// Report is the result of one validate run.
type Report struct {
	Now      time.Time `json:"now"`
	Cases    int       `json:"cases"`
	Errors   int       `json:"errors"`
	Warnings int       `json:"warnings"`
	Findings []Finding `json:"findings"`
	// CaseFiles maps each case id to its file, for junit's one test case
	// per case.
	CaseFiles map[string]string `json:"-"`
}

// Count fills Errors and Warnings from Findings.
func (r *Report) Count() {
	r.Errors, r.Warnings = 0, 0
	for _, f := range r.Findings {
		switch f.Severity {
		case Error:
			r.Errors++
		case Warning:
			r.Warnings++
		}
	}
}

// Formats lists the output formats of validate.
var Formats = []string{"text", "json", "github", "junit"}

// Write prints the report in format to w. limit caps the findings printed
// in text and github formats (0: no cap), which people read, followed by a
// line saying how many were left out; json and junit, which programs read,
// are always whole. The counts in the summary cover every finding.
func (r *Report) Write(w io.Writer, format string, limit int) error {
	switch format {
	case "", "text":
		return r.writeText(w, limit)
	case "json":
		return r.writeJSON(w)
	case "github":
		return r.writeGitHub(w, limit)
	case "junit":
		return r.writeJUnit(w)
	}
	return fmt.Errorf("unknown format %q (use one of %s)", format, strings.Join(Formats, ", "))
}

func (r *Report) writeText(w io.Writer, limit int) error {
	n := 0
	for _, f := range r.Findings {
		if limit > 0 && n >= limit {
			break
		}
		n++
		loc := f.File
		if loc == "" {
			loc = "."
		}
		if f.Line > 0 {
			loc = fmt.Sprintf("%s:%d", loc, f.Line)
		}
		msg := f.Message
		if f.Acknowledged != nil {
			msg += fmt.Sprintf(" [acknowledged by %s: %s]", f.Acknowledged.By, f.Acknowledged.Why)
		}
		fmt.Fprintf(w, "%s: %s %s: %s\n", loc, f.Severity, f.Code, msg)
		if f.Fix != "" {
			fmt.Fprintf(w, "\tfix: %s\n", f.Fix)
		}
	}
	if left := len(r.Findings) - n; left > 0 {
		fmt.Fprintf(w, "... %d more findings not shown (use --max-findings 0 or --format json)\n", left)
	}
	_, err := fmt.Fprintf(w, "%d cases, %d errors, %d warnings\n", r.Cases, r.Errors, r.Warnings)
	return err
}

func (r *Report) writeJSON(w io.Writer) error {
	out := *r
	if out.Findings == nil {
		out.Findings = []Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// ghEscape escapes a workflow command's message (data).
func ghEscape(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProp escapes a workflow command's property value.
func ghProp(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

func (r *Report) writeGitHub(w io.Writer, limit int) error {
	n := 0
	for _, f := range r.Findings {
		if limit > 0 && n >= limit {
			break
		}
		n++
		level := "notice"
		switch f.Severity {
		case Error:
			level = "error"
		case Warning:
			level = "warning"
		}
		var props []string
		if f.File != "" {
			props = append(props, "file="+ghProp(f.File))
			if f.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", f.Line))
			}
		}
		props = append(props, "title="+ghProp(f.Code))
		msg := f.Message
		if f.Fix != "" {
			msg += " — fix: " + f.Fix
		}
		fmt.Fprintf(w, "::%s %s::%s\n", level, strings.Join(props, ","), ghEscape(msg))
	}
	if left := len(r.Findings) - n; left > 0 {
		fmt.Fprintf(w, "::notice title=validate::%d more findings not shown (use --max-findings 0 or --format json)\n", left)
	}
	_, err := fmt.Fprintf(w, "%d cases, %d errors, %d warnings\n", r.Cases, r.Errors, r.Warnings)
	return err
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Timestamp string      `xml:"timestamp,attr"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Failures  []junitResult `xml:"failure"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitResult struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func (r *Report) writeJUnit(w io.Writer) error {
	byCase := map[string][]Finding{}
	for _, f := range r.Findings {
		byCase[f.Case] = append(byCase[f.Case], f)
	}
	ids := make([]string, 0, len(r.CaseFiles))
	for id := range r.CaseFiles {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if _, ok := r.CaseFiles[""]; !ok && len(byCase[""]) > 0 {
		ids = append([]string{""}, ids...)
	}
	suite := junitSuite{Name: "casebook validate", Timestamp: r.Now.Format(time.RFC3339)}
	for _, id := range ids {
		name := id
		if name == "" {
			name = "repository"
		}
		tc := junitCase{Name: name, Classname: "casebook", File: r.CaseFiles[id]}
		var notes []string
		for _, f := range byCase[id] {
			line := fmt.Sprintf("%s:%d %s %s: %s", f.File, f.Line, f.Severity, f.Code, f.Message)
			if f.Severity != Error {
				notes = append(notes, line)
				continue
			}
			tc.Failures = append(tc.Failures, junitResult{Message: f.Message, Type: f.Code, Text: line + "\nfix: " + f.Fix})
		}
		tc.SystemOut = strings.Join(notes, "\n")
		if len(tc.Failures) > 0 {
			suite.Failures++
		}
		suite.Cases = append(suite.Cases, tc)
	}
	suite.Tests = len(suite.Cases)
	doc := junitSuites{Name: "casebook", Tests: suite.Tests, Failures: suite.Failures, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
