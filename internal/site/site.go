package site

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/export"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/templates"
)

// Options tune Build.
type Options struct {
	// Out is the folder to write; default "site" under the repository.
	Out string
	// Now is the moment the site describes; it never reads the clock.
	Now time.Time
	// Lang is "zh" (default) or "en".
	Lang string
	// IncludePII shows personal-data fields, except for anonymous cases.
	IncludePII bool
}

// Summary tells what Build wrote.
type Summary struct {
	Out   string // the folder written
	Index string // the dashboard's path, to open in a browser
	Pages int    // HTML pages written
	Cases int
}

// assets are copied to assets/ as they are.
var assets = []string{"site.css", "filter.js"}

// Build renders the site of o at opts.Now into opts.Out.
func Build(o *office.Office, opts Options) (Summary, error) {
	if opts.Lang == "" {
		opts.Lang = "zh"
	}
	if opts.Lang != "zh" && opts.Lang != "en" {
		return Summary{}, fmt.Errorf("language %q is not zh or en", opts.Lang)
	}
	if opts.Out == "" {
		opts.Out = filepath.Join(o.Root, "site")
	}
	tpl, err := loadTemplates(filepath.Join(o.Root, "templates"), opts.Lang)
	if err != nil {
		return Summary{}, err
	}
	recs := o.Records(opts.Now)
	sort.SliceStable(recs, func(i, j int) bool { return recs[i].Case.ID < recs[j].Case.ID })
	w := &writer{out: opts.Out, tpl: tpl}
	now := opts.Now.Format(timeLayout + " -07:00")
	base := func(title, root string) Page { return Page{Lang: opts.Lang, Title: title, Root: root, Now: now} }

	p := base(word(opts.Lang, "dashboard"), "")
	p.Dashboard = dashboard(o, recs, opts)
	w.page("index.html", "index.html", p)

	p = base(word(opts.Lang, "cases"), "../")
	p.List = caseList(recs, opts.Lang)
	w.page("cases/index.html", "cases.html", p)

	ids := map[string]bool{}
	for _, r := range recs {
		ids[r.Case.ID] = true
	}
	for _, r := range recs {
		v, err := caseView(r, ids, opts)
		if err != nil {
			return Summary{}, fmt.Errorf("render %s: %w", r.Case.File, err)
		}
		p = base(r.Case.ID+" "+r.Case.Title, "../")
		p.Case = v
		w.page("cases/"+fileName(r.Case.ID), "case.html", p)
	}
	if err := writeReports(w, o, recs, opts); err != nil {
		return Summary{}, err
	}
	if err := writeForms(w, recs, opts); err != nil {
		return Summary{}, err
	}
	for _, a := range assets {
		w.asset(filepath.Join(o.Root, "templates"), a)
	}
	eo := export.Options{Now: opts.Now, Lang: opts.Lang, IncludePII: opts.IncludePII}
	for _, x := range []struct {
		rel   string
		write func(io.Writer, []*office.Record, export.Options) error
	}{{"feed.xml", export.Atom}, {"deadlines.ics", export.ICS}, {"cases.csv", export.CSV}} {
		var buf bytes.Buffer
		if err := x.write(&buf, recs, eo); err != nil {
			return Summary{}, fmt.Errorf("write %s: %w", x.rel, err)
		}
		w.write(x.rel, buf.Bytes())
	}
	if w.err != nil {
		return Summary{}, w.err
	}
	return Summary{Out: opts.Out, Index: filepath.Join(opts.Out, "index.html"), Pages: w.pages, Cases: len(recs)}, nil
}

// loadTemplates parses the embedded templates, each replaced by the
// office's own file of the same name when there is one.
func loadTemplates(dir, lang string) (*template.Template, error) {
	names, err := fs.Glob(templates.FS, "*.html")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	t := template.New("").Funcs(template.FuncMap{
		"t": func(key string) string { return word(lang, key) },
	})
	for _, name := range names {
		file := "templates/" + name + " (embedded)"
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err == nil {
			file = filepath.Join(dir, name)
		} else if errors.Is(err, fs.ErrNotExist) {
			src, err = templates.FS.ReadFile(name)
		}
		if err != nil {
			return nil, fmt.Errorf("read template %s: %w", file, err)
		}
		if _, err := t.New(name).Parse(string(src)); err != nil {
			return nil, fmt.Errorf("parse template %s: %w (fix the template, or delete it to use the built-in one)", file, err)
		}
	}
	return t, nil
}

// writer writes pages and remembers the first error.
type writer struct {
	out   string
	tpl   *template.Template
	pages int
	err   error
}

func (w *writer) page(rel, tpl string, data Page) {
	if w.err != nil {
		return
	}
	var buf bytes.Buffer
	if err := w.tpl.ExecuteTemplate(&buf, tpl, data); err != nil {
		w.err = fmt.Errorf("render %s with template %s: %w", rel, tpl, err)
		return
	}
	w.write(rel, buf.Bytes())
	w.pages++
}

func (w *writer) asset(dir, name string) {
	if w.err != nil {
		return
	}
	b, err := os.ReadFile(filepath.Join(dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		b, err = templates.FS.ReadFile(name)
	}
	if err != nil {
		w.err = fmt.Errorf("read asset %s: %w", name, err)
		return
	}
	w.write("assets/"+name, b)
}

func (w *writer) write(rel string, b []byte) {
	path := filepath.Join(w.out, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		w.err = fmt.Errorf("write site: %w", err)
		return
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		w.err = fmt.Errorf("write site: %w", err)
	}
}

// dashboard computes index.html's figures and lists.
func dashboard(o *office.Office, recs []*office.Record, opts Options) *Dashboard {
	lang := opts.Lang
	d := &Dashboard{}
	var open, overdue, soon, received, closed, met, timed int
	var handling []int
	depts, handlers := map[string]*Load{}, map[string]*Load{}
	matrices := map[string]*Matrix{}
	var moves []Move
	var movesAt []time.Time
	for _, r := range recs {
		c, l := r.Case, loc(r)
		now := opts.Now.In(l)
		ref := CaseRef{ID: c.ID, Href: caseHref(c.ID), Title: c.Title, Status: label(r.Policy, "state", c.Status, lang)}
		if !c.ReceivedAt.IsZero() && sameMonth(c.ReceivedAt.In(l), now) {
			received++
		}
		if at, ok := closedAt(r); ok {
			if sameMonth(at.In(l), now) {
				closed++
			}
			if !c.ReceivedAt.IsZero() && r.Policy != nil {
				handling = append(handling, workingDays(o.Calendar(r.Policy), c.ReceivedAt, at, l))
			}
		}
		for _, cl := range r.Clocks {
			switch cl.State {
			case deadline.Met:
				met++
				timed++
			case deadline.Missed, deadline.Overdue:
				timed++
			}
		}
		if r.Open() {
			open++
			late := r.Late()
			for _, m := range []struct {
				set map[string]*Load
				key string
			}{{depts, fieldString(r, "department")}, {handlers, fieldString(r, "assignee")}} {
				k := m.key
				if k == "" {
					k = "—"
				}
				ld := m.set[k]
				if ld == nil {
					ld = &Load{Name: k}
					m.set[k] = ld
				}
				ld.Open++
				if late {
					ld.Overdue++
				}
			}
			if cl, ok := runningClock(r); ok {
				ref.Clock, ref.Due, ref.Days = clockLabel(lang, cl), cl.DueAt.In(l).Format(timeLayout), daysText(lang, cl)
			}
			if late {
				overdue++
				for _, cl := range r.Clocks {
					if cl.State == deadline.Overdue {
						ref.Clock, ref.Due, ref.Days = clockLabel(lang, cl), cl.DueAt.In(l).Format(timeLayout), daysText(lang, cl)
						break
					}
				}
				d.Overdue = append(d.Overdue, ref)
			} else if cl, ok := runningClock(r); ok && cl.DaysLeft <= 2 {
				soon++
				d.DueSoon = append(d.DueSoon, ref)
			}
		}
		if len(r.Escalations) > 0 {
			e := ref
			for _, esc := range r.Escalations {
				e.Escalations = append(e.Escalations, label(r.Policy, "escalation", esc.ID, lang))
			}
			d.Escalated = append(d.Escalated, e)
		}
		if r.Policy != nil {
			m := matrices[r.Policy.ID]
			if m == nil {
				m = newMatrix(r, lang)
				matrices[r.Policy.ID] = m
			}
			m.add(r)
		}
		for _, t := range r.Transitions() {
			moves = append(moves, move(r, t.At, t.Actor, t.From, t.To, t.Note, t.Commit, lang))
			movesAt = append(movesAt, t.At)
		}
	}
	rate := "—"
	if timed > 0 {
		rate = strconv.FormatFloat(float64(met)*100/float64(timed), 'f', 1, 64) + "%"
	}
	for _, f := range []struct {
		key string
		v   string
	}{
		{"open", strconv.Itoa(open)}, {"overdue", strconv.Itoa(overdue)}, {"due_soon", strconv.Itoa(soon)},
		{"received", strconv.Itoa(received)}, {"closed", strconv.Itoa(closed)}, {"on_time", rate},
		{"median", median(handling)},
	} {
		d.Figures = append(d.Figures, Figure{Key: f.key, Label: word(lang, f.key), Value: f.v})
	}
	byDue := func(a, b CaseRef) int { return strings.Compare(a.Due+a.ID, b.Due+b.ID) }
	slices.SortStableFunc(d.Overdue, byDue)
	slices.SortStableFunc(d.DueSoon, byDue)
	d.Departments, d.Handlers = loads(depts), loads(handlers)
	pids := make([]string, 0, len(matrices))
	for id := range matrices {
		pids = append(pids, id)
	}
	slices.Sort(pids)
	for _, id := range pids {
		m := matrices[id]
		m.prune()
		d.Matrices = append(d.Matrices, *m)
	}
	idx := make([]int, len(moves))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		ta, tb := movesAt[idx[a]], movesAt[idx[b]]
		if !ta.Equal(tb) {
			return ta.After(tb)
		}
		ma, mb := moves[idx[a]], moves[idx[b]]
		return ma.ID+ma.Commit < mb.ID+mb.Commit
	})
	for i := 0; i < len(idx) && i < 20; i++ {
		d.Latest = append(d.Latest, moves[idx[i]])
	}
	return d
}

func sameMonth(a, b time.Time) bool { return a.Year() == b.Year() && a.Month() == b.Month() }

func move(r *office.Record, at time.Time, actor, from, to, note, commit, lang string) Move {
	f := word(lang, "new")
	if from != "" {
		f = label(r.Policy, "state", from, lang)
	}
	if len(commit) > 7 {
		commit = commit[:7]
	}
	return Move{
		ID: r.Case.ID, Href: caseHref(r.Case.ID), Title: r.Case.Title, At: at.In(loc(r)).Format(timeLayout),
		Actor: actor, From: f, To: label(r.Policy, "state", to, lang), Note: note, Commit: commit,
	}
}

func loads(m map[string]*Load) []Load {
	out := make([]Load, 0, len(m))
	for _, l := range m {
		out = append(out, *l)
	}
	slices.SortFunc(out, func(a, b Load) int {
		if a.Open != b.Open {
			return b.Open - a.Open
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

func newMatrix(r *office.Record, lang string) *Matrix {
	p := r.Policy
	m := &Matrix{Policy: p.Label("policy", p.ID, lang)}
	ix := m
	for _, c := range p.Categories {
		ix.cats = append(ix.cats, c.ID)
		m.Cols = append(m.Cols, p.Label("category", c.ID, lang))
	}
	for _, s := range p.States {
		ix.states = append(ix.states, s.ID)
		m.Rows = append(m.Rows, MatrixRow{Label: p.Label("state", s.ID, lang), Counts: make([]int, len(ix.cats))})
	}
	return m
}

func (m *Matrix) add(r *office.Record) {
	ix := m
	si := slices.Index(ix.states, r.Case.Status)
	if si < 0 {
		return
	}
	m.Rows[si].Total++
	if ci := slices.Index(ix.cats, fieldString(r, "category")); ci >= 0 {
		m.Rows[si].Counts[ci]++
	}
}

// prune drops the states no case is in, so the table stays readable.
func (m *Matrix) prune() {
	m.Rows = slices.DeleteFunc(m.Rows, func(r MatrixRow) bool { return r.Total == 0 })
}

func caseList(recs []*office.Record, lang string) *CaseList {
	l := &CaseList{}
	seen := map[string]bool{}
	for _, r := range recs {
		c := r.Case
		row := CaseRow{
			ID: c.ID, Href: fileName(c.ID), Title: c.Title, StatusID: c.Status,
			Status:     label(r.Policy, "state", c.Status, lang),
			Category:   label(r.Policy, "category", fieldString(r, "category"), lang),
			Channel:    label(r.Policy, "channel", fieldString(r, "channel"), lang),
			Department: fieldString(r, "department"),
			Overdue:    r.Open() && r.Late(),
		}
		if cl, ok := runningClock(r); ok {
			row.NextDue = cl.DueAt.In(loc(r)).Format(timeLayout)
		}
		l.Rows = append(l.Rows, row)
		if !seen[c.Status] && c.Status != "" {
			seen[c.Status] = true
			l.Statuses = append(l.Statuses, Choice{ID: c.Status, Label: row.Status})
		}
	}
	slices.SortFunc(l.Statuses, func(a, b Choice) int { return strings.Compare(a.ID, b.ID) })
	return l
}
