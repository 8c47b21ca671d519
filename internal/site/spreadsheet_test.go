package site

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/casebook/casebook/internal/demo"
	"github.com/casebook/casebook/internal/export"
	"github.com/casebook/casebook/internal/office"
)

// csvBuilds are the sites whose CSV files the spreadsheet tests read: the
// demo office (every built-in procedure, so every seed report) built for
// the office with personal data, in English, and for the public.
var csvBuilds = []struct {
	name string
	opts Options
}{
	{"internal", Options{IncludePII: true}},
	{"english", Options{Lang: "en"}},
	{"public", Options{Audience: AudiencePublic}},
}

var (
	csvDemoOnce sync.Once
	csvDemoDir  string
	csvDemoErr  error
)

// TestMain removes the demo office the CSV tests share.
func TestMain(m *testing.M) {
	code := m.Run()
	if csvDemoDir != "" {
		os.RemoveAll(csvDemoDir)
	}
	os.Exit(code)
}

// csvFiles builds the demo site with opts and returns its CSV files by path
// relative to the site: cases.csv and reports/*.csv.
func csvFiles(t *testing.T, opts Options) map[string][]byte {
	t.Helper()
	csvDemoOnce.Do(func() {
		csvDemoDir, csvDemoErr = os.MkdirTemp("", "casebook-csvdemo-")
		if csvDemoErr == nil {
			_, csvDemoErr = demo.Build(filepath.Join(csvDemoDir, "office"), demo.Options{Cases: 120, Seed: 11})
		}
	})
	if csvDemoErr != nil {
		t.Fatal(csvDemoErr)
	}
	o, err := office.Load(filepath.Join(csvDemoDir, "office"), office.Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	opts.Out = t.TempDir()
	opts.Now = demo.DefaultEnd
	if _, err := Build(o, opts); err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	names, _ := filepath.Glob(filepath.Join(opts.Out, "reports", "*.csv"))
	names = append(names, filepath.Join(opts.Out, "cases.csv"))
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			if os.IsNotExist(err) && opts.Audience == AudiencePublic {
				continue // a public build writes no cases.csv
			}
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(opts.Out, n)
		out[filepath.ToSlash(rel)] = b
	}
	if len(out) < 5 {
		t.Fatalf("only %d CSV files", len(out))
	}
	return out
}

// parseCSV reads a CSV casebook wrote: a byte-order mark, CRLF line ends,
// every row as wide as the header.
func parseCSV(t *testing.T, name string, b []byte) [][]string {
	t.Helper()
	body, ok := bytes.CutPrefix(b, []byte("\uFEFF"))
	if !ok {
		t.Errorf("%s: no byte-order mark", name)
	}
	if bytes.Count(body, []byte("\n")) != bytes.Count(body, []byte("\r\n")) || !bytes.HasSuffix(body, []byte("\r\n")) {
		t.Errorf("%s: a line does not end in CRLF", name)
	}
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll() // FieldsPerRecord 0: all as wide as the first
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rows
}

// TestCSV_Parse reads every CSV of the demo's sites with encoding/csv:
// one header of labels (no bare ids such as total), times in the local
// layout a spreadsheet reads as a date-time, never RFC 3339.
func TestCSV_Parse(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a demo office")
	}
	rfc3339 := regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}`)
	for _, b := range csvBuilds {
		t.Run(b.name, func(t *testing.T) {
			for name, data := range csvFiles(t, b.opts) {
				rows := parseCSV(t, name, data)
				if len(rows) == 0 {
					t.Errorf("%s: no header", name)
					continue
				}
				if rfc3339.Match(data) {
					t.Errorf("%s: an RFC 3339 time, which spreadsheets keep as text", name)
				}
				for _, r := range rows {
					if r[0] == "total" || r[0] == "id" || r[0] == "_none" {
						t.Errorf("%s: a bare id where the label goes: %q", name, r)
					}
				}
			}
		})
	}
}

// needSoffice returns LibreOffice's soffice. Under CI (CI=true), which
// installs it (.ci/run), a missing one fails the test instead of skipping.
func needSoffice(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but no soffice on PATH: .ci/run installs libreoffice-calc-nogui")
		}
		t.Skip("soffice (LibreOffice) is not installed")
	}
	return p
}

// csvFilter are LibreOffice's CSV import options as a clerk opening the
// file gets them: comma, double quote, UTF-8 (76), from line 1, standard
// column types, detect special numbers (dates, times, percentages) on.
const csvFilter = "CSV:44,34,76,1,,0,false,true,false,false,false,-1"

// TestCSV_LibreOffice opens every CSV of the demo's sites in LibreOffice
// headless, saves it as xlsx and reads that back with excelize: every cell
// holds what the CSV holds. Text is shown exactly as written (LibreOffice
// keeps export.Cell's apostrophe, Excel hides it; either is accepted);
// whole and decimal numbers are numbers shown as written; percentages
// are numbers of the same value with a percent format; and times
// (export.TimeLayout) are real date-times, with a date format, of the
// same minute: LibreOffice shows them with seconds, 2026-05-31 21:07:00.
func TestCSV_LibreOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a demo office and runs LibreOffice")
	}
	soffice := needSoffice(t)
	for _, b := range csvBuilds {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			files := csvFiles(t, b.opts)
			in, out := t.TempDir(), t.TempDir()
			var paths []string
			for name, data := range files {
				p := filepath.Join(in, strings.ReplaceAll(name, "/", "_"))
				if err := os.WriteFile(p, data, 0o644); err != nil {
					t.Fatal(err)
				}
				paths = append(paths, p)
			}
			slices.Sort(paths)
			// A profile of its own, so that parallel runs do not share one.
			profile := "file://" + filepath.ToSlash(t.TempDir())
			// One soffice run converts many files, but a run given a few
			// hundred stopped part way (7.4) with status 0: batches.
			for batch := range slices.Chunk(paths, 60) {
				args := append([]string{"-env:UserInstallation=" + profile, "--headless", "--norestore",
					"--convert-to", "xlsx:Calc MS Excel 2007 XML", "--infilter=" + csvFilter, "--outdir", out}, batch...)
				cmd := exec.Command(soffice, args...)
				cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
				if msg, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("soffice: %v\n%s", err, msg)
				}
			}
			if n, _ := filepath.Glob(filepath.Join(out, "*.xlsx")); len(n) != len(paths) {
				t.Fatalf("soffice converted %d of %d files", len(n), len(paths))
			}
			times := 0
			for name, data := range files {
				xlsx := filepath.Join(out, strings.TrimSuffix(strings.ReplaceAll(name, "/", "_"), ".csv")+".xlsx")
				rows := parseCSV(t, name, data)
				compareSheet(t, name, rows, xlsx)
				for _, r := range rows {
					for _, c := range r {
						if localTime.MatchString(c) {
							times++
						}
					}
				}
			}
			// cases.csv and the weekly lists have times: they were
			// checked as date-times above.
			if b.opts.Audience != AudiencePublic && times == 0 {
				t.Error("no time cell was read back")
			}
		})
	}
}

var (
	wholeOrDecimal = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
	percent        = regexp.MustCompile(`^([0-9]+(\.[0-9]+)?)%$`)
	localTime      = regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$`)
)

// compareSheet checks the first sheet of xlsx against the CSV's rows.
func compareSheet(t *testing.T, name string, rows [][]string, xlsx string) {
	t.Helper()
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	got, err := f.GetRows(sheet)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	if len(got) != len(rows) {
		t.Errorf("%s: %d rows in the spreadsheet, %d in the CSV", name, len(got), len(rows))
	}
	bad := 0
	for i, row := range rows {
		for j, want := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := compareCell(f, sheet, cell, want); err != nil {
				if bad++; bad <= 5 {
					t.Errorf("%s %s (%s): %v", name, cell, rows[0][j], err)
				}
			}
		}
	}
}

// compareCell checks one cell against the CSV's text want.
func compareCell(f *excelize.File, sheet, cell, want string) error {
	shown, err := f.GetCellValue(sheet, cell)
	if err != nil {
		return err
	}
	raw, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	typ, _ := f.GetCellType(sheet, cell)
	format := numberFormat(f, sheet, cell)
	number := typ == excelize.CellTypeNumber || typ == excelize.CellTypeDate || typ == excelize.CellTypeUnset && raw != "" && isFloat(raw)
	switch {
	case want == "":
		if shown != "" {
			return fmt.Errorf("%q where the CSV has nothing", shown)
		}
	case localTime.MatchString(want):
		at, _ := time.Parse(export.TimeLayout, want)
		v, err := strconv.ParseFloat(raw, 64)
		if !number || err != nil {
			return fmt.Errorf("%q is not a date-time but %q (type %v)", want, raw, typ)
		}
		if !strings.Contains(format, "yy") || !strings.Contains(format, "hh") {
			return fmt.Errorf("%q has the number format %q, not a date-time", want, format)
		}
		back, err := excelize.ExcelDateToTime(v, false)
		if err != nil || !back.Round(time.Minute).Equal(at) {
			return fmt.Errorf("%q reads back as %v", want, back)
		}
	case wholeOrDecimal.MatchString(want):
		w, _ := strconv.ParseFloat(want, 64)
		v, err := strconv.ParseFloat(raw, 64)
		if !number || err != nil || v != w {
			return fmt.Errorf("%q is %q (type %v), not the number", want, raw, typ)
		}
		if shown != want {
			return fmt.Errorf("%q is shown as %q", want, shown)
		}
	case percent.MatchString(want):
		w, _ := strconv.ParseFloat(percent.FindStringSubmatch(want)[1], 64)
		v, err := strconv.ParseFloat(raw, 64)
		if !number || err != nil || math.Abs(v-w/100) > 1e-9 || !strings.Contains(format, "%") {
			return fmt.Errorf("%q is %q (type %v, format %q), not the percentage", want, raw, typ, format)
		}
	default:
		if number {
			return fmt.Errorf("text %q became the number %q", want, raw)
		}
		if shown != want && !(strings.HasPrefix(want, "'") && shown == want[1:]) {
			return fmt.Errorf("text %q is shown as %q", want, shown)
		}
	}
	return nil
}

func isFloat(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// numberFormat is the cell's number format code, "" for General.
func numberFormat(f *excelize.File, sheet, cell string) string {
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		return ""
	}
	st, err := f.GetStyle(id)
	if err != nil || st == nil {
		return ""
	}
	if st.CustomNumFmt != nil {
		return *st.CustomNumFmt
	}
	return ""
}
