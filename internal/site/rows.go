package site

import (
	"bytes"
	"cmp"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// The case list's data for filter.js lives in cases/rows/: an index
// (index.js) with the tables of repeated values and one entry per chunk,
// and the chunks, each a script of rows. Open cases are one chunk
// ("open", with the unreadable files and any closed case without a
// closing date); closed cases are one chunk per month closed ("2026-11").
// filter.js loads only the chunks the filters can match (the open chunk
// for open, overdue or due-soon cases; the months of a closing-date
// range), so a first visit to an office of 100,000 cases reads the index,
// not every case. The files are scripts, not JSON to fetch, so the list
// works from file:// too, under the site's script-src 'self'.

// rowsIndex is the index of the case list's data, from the site's top.
const rowsIndex = "cases/rows/index.js"

// openChunk is the id of the chunk of open cases.
const openChunk = "open"

// Flags of a row (its f), as filter.js reads them; a chunk's f is the OR
// of its rows', so the script skips a chunk no row of which can match.
const (
	rowOpen = 1 << iota
	rowOverdue
	rowEscalated
	rowClosedLate
)

// siteFile is a file of the site and its bytes.
type siteFile struct {
	rel  string
	data []byte
}

// valueTable numbers the distinct values of one column; 0 is the blank
// value, so an unset field costs one digit a row.
type valueTable struct {
	index  map[[2]string]int
	values [][2]string
}

func newValueTable() *valueTable {
	return &valueTable{index: map[[2]string]int{{}: 0}, values: [][2]string{{}}}
}

func (t *valueTable) add(key, label string) {
	v := [2]string{key, label}
	if _, ok := t.index[v]; !ok {
		t.index[v] = len(t.values)
		t.values = append(t.values, v)
	}
}

// sort numbers the values in key order, so the numbers do not depend on
// which case came first.
func (t *valueTable) sort() {
	rest := t.values[1:]
	slices.SortFunc(rest, func(a, b [2]string) int { return cmp.Or(strings.Compare(a[0], b[0]), strings.Compare(a[1], b[1])) })
	for i, v := range t.values {
		t.index[v] = i
	}
}

func (t *valueTable) of(key, label string) int { return t.index[[2]string{key, label}] }

// chunkMeta is a chunk's entry in the index: what filter.js needs to tell
// whether a filter can match any of its rows.
type chunkMeta struct {
	id       string
	rows     []int // indexes into the rows, in the list's order
	flags    int
	policies map[int]bool
	statuses map[int]bool
	// received and closed are the first and last day (YYYY-MM-DD) of the
	// chunk's rows, empty when no row has one.
	received, closed [2]string
}

func widen(span *[2]string, day string) {
	if day == "" {
		return
	}
	if span[0] == "" || day < span[0] {
		span[0] = day
	}
	if day > span[1] {
		span[1] = day
	}
}

// rowFlags are the flags of one row.
func rowFlags(r CaseRow) int {
	f := 0
	for _, b := range []struct {
		set  bool
		flag int
	}{{r.Open, rowOpen}, {r.Overdue, rowOverdue}, {r.Escalated, rowEscalated}, {r.ClosedLate, rowClosedLate}} {
		if b.set {
			f |= b.flag
		}
	}
	return f
}

// day is the date of a "2006-01-02 15:04" time, "" for none.
func day(t string) string {
	if len(t) < 10 {
		return ""
	}
	return t[:10]
}

// rowsFiles are the files of cases/rows/ for the rows of the case list, in
// the list's order: the index and every chunk, the open chunk first and
// then the months, the latest first. Every string goes through
// json.Marshal, which escapes <, > and &, so no title can end a script.
func rowsFiles(rows []CaseRow) []siteFile {
	// Pairs (key, label) for the columns filtered by a policy's own ids,
	// single values for the rest.
	tables := map[string]*valueTable{}
	names := []string{"p", "s", "c", "ch", "d", "a", "dt"}
	for _, n := range names {
		tables[n] = newValueTable()
	}
	byID := map[string]*chunkMeta{}
	var chunks []*chunkMeta
	for i, r := range rows {
		tables["p"].add(r.PolicyID, r.Policy)
		tables["s"].add(r.StatusKey, r.Status)
		tables["c"].add(r.CategoryKey, r.Category)
		tables["ch"].add(r.ChannelKey, r.Channel)
		tables["d"].add(r.Department, "")
		tables["a"].add(r.Handler, "")
		tables["dt"].add(r.Days, "")
		id := openChunk
		if !r.Open && !r.Broken && len(r.Closed) >= 7 {
			id = r.Closed[:7]
		}
		c := byID[id]
		if c == nil {
			c = &chunkMeta{id: id, policies: map[int]bool{}, statuses: map[int]bool{}}
			byID[id] = c
			chunks = append(chunks, c)
		}
		c.rows = append(c.rows, i)
	}
	for _, n := range names {
		tables[n].sort()
	}
	slices.SortFunc(chunks, func(a, b *chunkMeta) int {
		if (a.id == openChunk) != (b.id == openChunk) {
			if a.id == openChunk {
				return -1
			}
			return 1
		}
		return strings.Compare(b.id, a.id)
	})

	str := func(b []byte, s string) []byte {
		j, _ := json.Marshal(s)
		return append(b, j...)
	}
	num := func(b []byte, n int) []byte { return strconv.AppendInt(b, int64(n), 10) }
	files := make([]siteFile, 0, len(chunks)+1)
	for _, c := range chunks {
		var b []byte
		what := "open, unreadable and undated cases"
		if c.id != openChunk {
			what = "cases closed in " + c.id
		}
		b = append(b, "// The case list's "+what+", for filter.js. Generated by casebook build.\nwindow.casebookChunks["...)
		b = str(b, c.id)
		b = append(b, "] = [\n"...)
		for k, i := range c.rows {
			r := rows[i]
			p, s := tables["p"].of(r.PolicyID, r.Policy), tables["s"].of(r.StatusKey, r.Status)
			f := rowFlags(r)
			c.flags |= f
			c.policies[p], c.statuses[s] = true, true
			widen(&c.received, day(r.Received))
			widen(&c.closed, day(r.Closed))
			if k > 0 {
				b = append(b, ",\n"...)
			}
			// The page's name is left out when it is the id's own.
			href := r.Href
			if href == r.ID+".html" {
				href = ""
			}
			b = append(b, '[')
			b = str(b, r.ID)
			b = append(b, ',')
			b = str(b, href)
			b = append(b, ',')
			b = str(b, r.Title)
			for _, n := range []int{p, s, tables["c"].of(r.CategoryKey, r.Category), tables["ch"].of(r.ChannelKey, r.Channel),
				tables["d"].of(r.Department, ""), tables["a"].of(r.Handler, "")} {
				b = append(b, ',')
				b = num(b, n)
			}
			for _, t := range []string{r.Received, r.NextDue, r.Closed} {
				b = append(b, ',')
				b = str(b, t)
			}
			b = append(b, ',')
			b = num(b, tables["dt"].of(r.Days, ""))
			b = append(b, ',')
			if r.HasDays {
				b = num(b, r.DaysLeft)
			} else {
				b = append(b, "null"...)
			}
			b = append(b, ',')
			b = num(b, f)
			b = append(b, ',')
			if r.Age >= 0 {
				b = num(b, r.Age)
			} else {
				b = append(b, "null"...)
			}
			// The row's place in the list's order (the latest received
			// first), so the script puts the matches in order without
			// sorting them.
			b = append(b, ',')
			b = num(b, i)
			b = append(b, ']')
		}
		b = append(b, "\n];\n"...)
		files = append(files, siteFile{"cases/rows/" + c.id + ".js", b})
	}

	var b bytes.Buffer
	b.WriteString("// The case list's data for filter.js: the tables of repeated values and the chunks of cases/rows/. Generated by casebook build.\n")
	b.WriteString("window.casebookChunks = {};\nwindow.casebookRows = {\"tables\": {")
	for i, n := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		b.Write(str(nil, n))
		b.WriteString(": [")
		for j, v := range tables[n].values {
			if j > 0 {
				b.WriteString(", ")
			}
			if n == "d" || n == "a" || n == "dt" {
				b.Write(str(nil, v[0]))
				continue
			}
			b.WriteString("[")
			b.Write(str(nil, v[0]))
			b.WriteString(", ")
			b.Write(str(nil, v[1]))
			b.WriteString("]")
		}
		b.WriteString("]")
	}
	b.WriteString("},\n\"chunks\": [")
	set := func(m map[int]bool) []byte {
		keys := make([]int, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		out := []byte{'['}
		for i, k := range keys {
			if i > 0 {
				out = append(out, ',')
			}
			out = num(out, k)
		}
		return append(out, ']')
	}
	span := func(s [2]string) []byte {
		if s[0] == "" {
			return []byte("null")
		}
		out := append(str([]byte{'['}, s[0]), ',')
		return append(str(out, s[1]), ']')
	}
	for i, c := range chunks {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n{\"id\": ")
		b.Write(str(nil, c.id))
		b.WriteString(", \"n\": ")
		b.Write(num(nil, len(c.rows)))
		b.WriteString(", \"f\": ")
		b.Write(num(nil, c.flags))
		b.WriteString(", \"p\": ")
		b.Write(set(c.policies))
		b.WriteString(", \"s\": ")
		b.Write(set(c.statuses))
		b.WriteString(", \"r\": ")
		b.Write(span(c.received))
		b.WriteString(", \"x\": ")
		b.Write(span(c.closed))
		b.WriteString("}")
	}
	b.WriteString("\n]};\n")
	return append([]siteFile{{rowsIndex, b.Bytes()}}, files...)
}
