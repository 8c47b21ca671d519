package policy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/casebook/casebook/policies"
)

// withoutReports is the embedded bank policy with no reports: key, as an
// office's copy written before reports were data.
func withoutReports(t *testing.T, edits ...string) string {
	t.Helper()
	src := bankWith(t, "", edits...)
	i := strings.Index(src, "\nreports:\n")
	if i < 0 {
		t.Fatal("bank.yaml has no reports block")
	}
	// Back to the comment that introduces the block.
	j := strings.LastIndex(src[:i], "\n\n")
	return src[:j+1]
}

func TestReports_Builtin(t *testing.T) {
	for id, want := range map[string][]string{
		"bank":      {"stats"},
		"food":      {"complaint-rate"},
		"hotline":   {"complaint-rate", "week"},
		"tendering": {"stats"},
	} {
		data, err := policies.FS.ReadFile(id + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		p, err := Load("embedded:"+id+".yaml", data)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range p.Reports {
			got = append(got, r.ID)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s reports = %v, want %v", id, got, want)
		}
	}
}

// TestReports_OldCopy: a copy with no reports: key takes the built-in's
// reports when they fit it; when the copy renamed a state they name, or
// is an office's own policy under the id, it loads with none rather than
// failing for what the office never wrote; reports: [] opts out.
func TestReports_OldCopy(t *testing.T) {
	p, err := Load("policies/bank.yaml", []byte(withoutReports(t)))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Reports) != 1 || p.Reports[0].ID != "stats" || len(p.Reports[0].Tables) != 4 {
		t.Fatalf("reports = %+v, want the built-in's stats", p.Reports)
	}
	// Its conditions run: they were compiled against the copy.
	if ok, err := p.Eval(p.Reports[0].Tables[0].Columns[2].When, p.Env(map[string]any{"status": "withdrawn"})); err != nil || !ok {
		t.Errorf("withdrawn column on a withdrawn case = %v, %v", ok, err)
	}

	p, err = Load("policies/bank.yaml", []byte(withoutReports(t, "withdrawn", "revoked")))
	if err != nil {
		t.Fatalf("a copy that renamed a state failed to load: %v", err)
	}
	if len(p.Reports) != 0 {
		t.Errorf("reports = %+v, want none: the built-in's name a state the copy lacks", p.Reports)
	}

	p, err = Load("policies/bank.yaml", []byte(withoutReports(t)+"reports: []\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Reports) != 0 {
		t.Errorf("reports: [] gave %+v", p.Reports)
	}
}

// TestReports_Errors: each mistake in a report is an error at its line,
// with a fix.
func TestReports_Errors(t *testing.T) {
	base := withoutReports(t)
	line := strings.Count(base, "\n") + 1 // the line "reports:" lands on
	for _, tc := range []struct {
		name, yaml string
		at         int // line offset from "reports:"
		want       string
	}{
		{"unknown period", `
  - {id: r, zh: 报告, periods: [month], tables: [{id: t, zh: 表, rows: category, columns: [{zh: 件数}]}]}`, 1, `report "r": unknown period "month"`},
		{"no periods", `
  - {id: r, zh: 报告, tables: [{id: t, zh: 表, rows: category, columns: [{zh: 件数}]}]}`, 1, `report "r" has no periods`},
		{"unknown count", `
  - id: r
    zh: 报告
    periods: [months]
    tables:
      - id: t
        zh: 表
        rows: category
        columns:
          - {zh: 件数, count: opened}`, 9, `report "r" table "t": unknown count "opened"`},
		{"values of a text field", `
  - id: r
    zh: 报告
    periods: [months]
    tables:
      - {id: t, zh: 表, rows: category, columns: [{values: handler}]}`, 5, `field "handler" lists no values to group by`},
		{"rows by an undeclared field", `
  - id: r
    zh: 报告
    periods: [months]
    tables:
      - {id: t, zh: 表, rows: satisfation, columns: [{zh: 件数}]}`, 5, `field "satisfation" is not declared`},
		{"condition naming a state the policy lacks", `
  - id: r
    zh: 报告
    periods: [months]
    tables:
      - id: t
        zh: 表
        rows: category
        columns:
          - {zh: 撤回, when: 'status == "revoked"'}`, 9, `table "t" column 1 when: status is never "revoked"`},
		{"a rate with tables", `
  - {id: r, zh: 投诉率, kind: rate, periods: [months], tables: [{id: t, zh: 表, rows: category, columns: [{zh: 件数}]}]}`, 1, `is a rate report and has no tables`},
		{"a rate by week", `
  - {id: r, zh: 投诉率, kind: rate, periods: [weeks]}`, 1, `not by week`},
		{"a list item that does not exist", `
  - id: r
    zh: 报告
    periods: [weeks]
    tables:
      - {id: t, zh: 明细, cases: [open], items: ["#id", "#overdue"]}`, 5, `unknown item "#overdue"`},
		{"an id that names a period's page", `
  - {id: "2026-11", zh: 投诉率, kind: rate, periods: [months]}`, 1, `report id "2026-11" cannot name a file`},
		{"an id ending in a period", `
  - {id: stats-2026-H1, zh: 投诉率, kind: rate, periods: [months]}`, 1, `report id "stats-2026-H1" would clash`},
		{"tables whose ids differ only in case", `
  - id: r
    zh: 报告
    periods: [months]
    tables:
      - {id: stats, zh: 表, rows: category, columns: [{zh: 件数}]}
      - {id: Stats, zh: 表, rows: channel, columns: [{zh: 件数}]}`, 6, `report table id "Stats" differs from "stats" only in case`},
		{"a table id that starts with a period's figures", `
  - {id: r, zh: 报告, periods: [months, years], tables: [{id: 11-x, zh: 表, rows: category, columns: [{zh: 件数}]}]}`, 1, `report table id "11-x" cannot name a file`},
		{"top on category rows", `
  - {id: r, zh: 报告, periods: [months], tables: [{id: t, zh: 表, rows: category, top: 3, columns: [{zh: 件数}]}]}`, 1, `top does nothing for rows: category`},
		{"class on channel rows", `
  - {id: r, zh: 报告, periods: [months], tables: [{id: t, zh: 表, rows: channel, class: 归口, columns: [{zh: 件数}]}]}`, 1, `class is the category's class`},
		{"rows by personal data", `
  - {id: r, zh: 报告, periods: [months], tables: [{id: t, zh: 表, rows: complainant.name, columns: [{zh: 件数}]}]}`, 1, `field "complainant.name" is personal or confidential data`},
		{"rows by an amount", `
  - {id: r, zh: 报告, periods: [months], tables: [{id: t, zh: 表, rows: amount, columns: [{zh: 件数}]}]}`, 1, `cannot group by field "amount" of type money`},
		{"a table with neither rows nor items", `
  - {id: r, zh: 报告, periods: [months], tables: [{id: t, zh: 表, columns: [{zh: 件数}]}]}`, 1, `has neither rows nor items`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("policies/bank.yaml", []byte(base+"reports:"+tc.yaml+"\n"))
			if err == nil {
				t.Fatal("loaded")
			}
			at := fmt.Sprintf("policies/bank.yaml:%d:", line+tc.at)
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), at) {
				t.Errorf("error = %v\nwant %q at %s", err, tc.want, at)
			}
		})
	}
}
