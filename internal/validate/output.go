package validate

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/msg"
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
	// Lang is the language of the text, github and junit output ("zh",
	// the default, or "en"); JSON carries both languages.
	Lang string `json:"-"`
}

// words are the frame of validate's text output in each language.
var words = map[string]map[string]string{
	msg.Zh: {"error": "错误", "warning": "警告", "info": "提示", "fix": "修正：", "fixsep": " —— 修正：",
		"acked": "［已由 %s 确认：%s］", "dots": "……", "more": "另有 %d 条发现未显示（用 --max-findings 0 或 --format json 查看全部）",
		"summary": "%d 个案件，%d 个错误，%d 个警告\n", "repository": "仓库"},
	msg.En: {"error": "error", "warning": "warning", "info": "info", "fix": "fix: ", "fixsep": " — fix: ",
		"acked": " [acknowledged by %s: %s]", "dots": "... ", "more": "%d more findings not shown (use --max-findings 0 or --format json)",
		"summary": "%d cases, %d errors, %d warnings\n", "repository": "repository"},
}

func (r *Report) word(key string) string {
	if r.Lang == msg.En {
		return words[msg.En][key]
	}
	return words[msg.Zh][key]
}

// Summary is the last line of the text output: how many cases, errors and
// warnings.
func (r *Report) Summary() string {
	return fmt.Sprintf(r.word("summary"), r.Cases, r.Errors, r.Warnings)
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
		text, fix := f.Text(r.Lang)
		if f.Acknowledged != nil {
			text += fmt.Sprintf(r.word("acked"), f.Acknowledged.By, f.Acknowledged.Why)
		}
		fmt.Fprintf(w, "%s: %s %s: %s\n", loc, r.word(string(f.Severity)), f.Code, text)
		if fix != "" {
			fmt.Fprintf(w, "\t%s%s\n", r.word("fix"), fix)
		}
	}
	if left := len(r.Findings) - n; left > 0 {
		fmt.Fprintf(w, r.word("dots")+r.word("more")+"\n", left)
	}
	_, err := io.WriteString(w, r.Summary())
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
		text, fix := f.Text(r.Lang)
		if fix != "" {
			text += r.word("fixsep") + fix
		}
		fmt.Fprintf(w, "::%s %s::%s\n", level, strings.Join(props, ","), ghEscape(text))
	}
	if left := len(r.Findings) - n; left > 0 {
		fmt.Fprintf(w, "::notice title=validate::"+r.word("more")+"\n", left)
	}
	_, err := io.WriteString(w, r.Summary())
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
			name = r.word("repository")
		}
		tc := junitCase{Name: name, Classname: "casebook", File: r.CaseFiles[id]}
		var notes []string
		for _, f := range byCase[id] {
			text, fix := f.Text(r.Lang)
			line := fmt.Sprintf("%s:%d %s %s: %s", f.File, f.Line, r.word(string(f.Severity)), f.Code, text)
			if f.Severity != Error {
				notes = append(notes, line)
				continue
			}
			tc.Failures = append(tc.Failures, junitResult{Message: text, Type: f.Code, Text: line + "\n" + r.word("fix") + fix})
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
