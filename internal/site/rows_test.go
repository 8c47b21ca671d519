package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// rowsIndexJSON is cases/rows/index.js as Go reads it.
type rowsIndexJSON struct {
	Tables map[string]json.RawMessage `json:"tables"`
	Chunks []struct {
		ID string     `json:"id"`
		N  int        `json:"n"`
		F  int        `json:"f"`
		P  []int      `json:"p"`
		S  []int      `json:"s"`
		R  *[2]string `json:"r"`
		X  *[2]string `json:"x"`
	} `json:"chunks"`
}

// scriptValue is the JSON value a generated script of cases/rows/
// assigns after prefix, or an error saying how the script is not a
// comment line, the assignments and nothing else.
func scriptValue(b []byte, prefix string) ([]byte, error) {
	if bytes.IndexByte(b, '<') >= 0 {
		return nil, fmt.Errorf("a < in the script")
	}
	comment, rest, ok := bytes.Cut(b, []byte("\n"))
	if !ok || !bytes.HasPrefix(comment, []byte("// ")) {
		return nil, fmt.Errorf("the script does not start with a comment line")
	}
	rest, ok = bytes.CutPrefix(rest, []byte(prefix))
	if !ok {
		return nil, fmt.Errorf("the script does not go on with %q", prefix)
	}
	rest, ok = bytes.CutSuffix(rest, []byte(";\n"))
	if !ok || !json.Valid(rest) {
		return nil, fmt.Errorf("the script does not assign one JSON value after %q", prefix)
	}
	return rest, nil
}

// readRows decodes the case list's data of a built site as filter.js
// does (its decode), into the cases in the index's order of chunks; it
// fails t when a file is not as rowsFiles writes it.
func readRows(t *testing.T, files map[string][]byte) []map[string]any {
	t.Helper()
	js, err := scriptValue(files[rowsIndex], "window.casebookChunks = {};\nwindow.casebookRows = ")
	if err != nil {
		t.Fatalf("%s: %v", rowsIndex, err)
	}
	var index rowsIndexJSON
	if err := json.Unmarshal(js, &index); err != nil {
		t.Fatalf("%s: %v", rowsIndex, err)
	}
	pairs := map[string][][2]string{}
	singles := map[string][]string{}
	for _, k := range []string{"p", "s", "c", "ch"} {
		var v [][2]string
		if err := json.Unmarshal(index.Tables[k], &v); err != nil || len(v) == 0 || v[0] != [2]string{} {
			t.Fatalf("%s: table %s: %v %q", rowsIndex, k, err, v)
		}
		pairs[k] = v
	}
	for _, k := range []string{"d", "a", "dt"} {
		var v []string
		if err := json.Unmarshal(index.Tables[k], &v); err != nil || len(v) == 0 || v[0] != "" {
			t.Fatalf("%s: table %s: %v %q", rowsIndex, k, err, v)
		}
		singles[k] = v
	}
	var out []map[string]any
	seen := map[string]bool{rowsIndex: true}
	for _, ch := range index.Chunks {
		rel := "cases/rows/" + ch.ID + ".js"
		seen[rel] = true
		key, _ := json.Marshal(ch.ID)
		js, err := scriptValue(files[rel], "window.casebookChunks["+string(key)+"] = ")
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		var rows [][]any
		if err := json.Unmarshal(js, &rows); err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		if len(rows) != ch.N {
			t.Errorf("%s: %d rows, the index says %d", rel, len(rows), ch.N)
		}
		for _, w := range rows {
			if len(w) != 17 {
				t.Fatalf("%s: a row of %d values: %v", rel, len(w), w)
			}
			n := func(i int) int { return int(w[i].(float64)) }
			p, s, c, chl := pairs["p"][n(3)], pairs["s"][n(4)], pairs["c"][n(5)], pairs["ch"][n(6)]
			f := n(14)
			row := map[string]any{
				"id": w[0], "href": w[1], "title": w[2], "p": p[0], "pl": p[1], "s": s[0], "sl": s[1],
				"c": c[0], "cl": c[1], "ch": chl[0], "chl": chl[1], "d": singles["d"][n(7)], "a": singles["a"][n(8)],
				"r": w[9], "due": w[10], "x": w[11], "dt": singles["dt"][n(12)], "dn": w[13], "ag": w[15],
				"open": f&rowOpen != 0, "late": f&rowOverdue != 0, "esc": f&rowEscalated != 0, "ml": f&rowClosedLate != 0,
				"chunk": ch.ID, "o": w[16],
			}
			if row["href"] == "" {
				row["href"] = w[0].(string) + ".html"
			}
			if ch.F&f != f || !slices.Contains(ch.S, n(4)) {
				t.Errorf("%s: the index's entry (flags %d, statuses %v) does not cover row %v", rel, ch.F, ch.S, w)
			}
			out = append(out, row)
		}
	}
	for name := range files {
		if strings.HasPrefix(name, "cases/rows/") && !seen[name] {
			t.Errorf("%s is not in the index", name)
		}
	}
	return out
}

// TestRowsFiles_Chunks checks how the case list's data is split: the
// open cases in one chunk, the closed ones by month closed, the latest
// month first, and each chunk's entry in the index saying what it holds.
func TestRowsFiles_Chunks(t *testing.T) {
	rows := []CaseRow{
		{ID: "A-3", Href: "A-3.html", Title: "开着", PolicyID: "bank", Policy: "银行", StatusKey: "bank/assigned", Status: "已交办",
			Department: "运营部", Handler: "吴涛", Received: "2026-11-20 09:00", Open: true, Overdue: true, Age: 4,
			Days: "超期 1 个工作日", DaysLeft: -1, HasDays: true},
		{ID: "A-2", Href: "A-2.html", Title: "十一月办结 <b>", PolicyID: "bank", Policy: "银行", StatusKey: "bank/replied", Status: "已答复",
			Received: "2026-10-28 09:00", Closed: "2026-11-02 10:00", ClosedLate: true, Age: -1},
		{ID: "A-1", Href: "A-1.html", Title: "十月办结", PolicyID: "bank", Policy: "银行", StatusKey: "bank/replied", Status: "已答复",
			Received: "2026-10-01 09:00", Closed: "2026-10-09 10:00", Escalated: true, Age: -1},
		{ID: "x:y", Href: "x_y.html", Title: "坏文件", StatusID: "#broken", StatusKey: "#broken", Status: "无法读取", Broken: true, Age: -1},
	}
	files := map[string][]byte{}
	for _, f := range rowsFiles(rows) {
		files[f.rel] = f.data
	}
	got := readRows(t, files)
	var ids []string
	for _, r := range got {
		ids = append(ids, r["chunk"].(string)+":"+r["id"].(string))
	}
	if want := []string{"open:A-3", "open:x:y", "2026-11:A-2", "2026-10:A-1"}; !slices.Equal(ids, want) {
		t.Errorf("chunks and rows %q, want %q", ids, want)
	}
	for i, want := range []float64{0, 3, 1, 2} {
		if got[i]["o"] != want {
			t.Errorf("%s is at %v in the list's order, want %v", got[i]["id"], got[i]["o"], want)
		}
	}
	a3, a2, a1, broken := got[0], got[2], got[3], got[1]
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"open case's status label", a3["sl"], "已交办"},
		{"open case's handler", a3["a"], "吴涛"},
		{"open case's days text", a3["dt"], "超期 1 个工作日"},
		{"open case's days left", a3["dn"], -1.0},
		{"open case's age", a3["ag"], 4.0},
		{"open case is overdue", a3["late"], true},
		{"closed case's age", a2["ag"], nil},
		{"closed case's days left", a2["dn"], nil},
		{"closed late", a2["ml"], true},
		{"title kept", a2["title"], "十一月办结 <b>"},
		{"escalated", a1["esc"], true},
		{"closed date", a1["x"], "2026-10-09 10:00"},
		{"a page named apart from its id", broken["href"], "x_y.html"},
		{"the page named by the id", a1["href"], "A-1.html"},
	} {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
	var index rowsIndexJSON
	js, _ := scriptValue(files[rowsIndex], "window.casebookChunks = {};\nwindow.casebookRows = ")
	if err := json.Unmarshal(js, &index); err != nil {
		t.Fatal(err)
	}
	open, nov := index.Chunks[0], index.Chunks[1]
	if open.F != rowOpen|rowOverdue || open.X != nil || *open.R != [2]string{"2026-11-20", "2026-11-20"} {
		t.Errorf("the open chunk's entry: flags %d, closed %v, received %v", open.F, open.X, open.R)
	}
	if nov.F != rowClosedLate || *nov.X != [2]string{"2026-11-02", "2026-11-02"} {
		t.Errorf("November's entry: flags %d, closed %v", nov.F, nov.X)
	}
}
