package site

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/export"
	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/stats"
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
	// Audience is AudienceInternal (the default: the whole site) or
	// AudiencePublic (statistics only).
	Audience Audience
	// BaseURL is the address the site is published at, from
	// export.ParseBaseURL: the feed and the calendar link absolutely under
	// it. Empty keeps their links relative.
	BaseURL string
	// Progress, when set, is called as per-case pages are done, with the
	// count done and the total, from one goroutine at a time.
	Progress func(done, total int)
}

// Summary tells what Build wrote.
type Summary struct {
	Out     string // the folder written
	Index   string // the dashboard's path, to open in a browser
	Pages   int    // HTML pages the site has
	Written int    // files written because they changed or were missing
	Removed int    // files of the previous build this one no longer has
	Cases   int
	Broken  int // case files that could not be read; each has a page
	// Warnings are what the build did that the office may not expect
	// (its own case.html prints no forms), in the site's language.
	Warnings []string
}

// concurrentSummaries is the number of cases below which the summary
// pages render in two lanes at once; above it, one lane after the other
// keeps a build of 100,000 cases under 1 GiB.
const concurrentSummaries = 50000

// assets are copied to assets/ as they are.
var assets = []string{"site.css", "filter.js"}

// Build renders the site of o at opts.Now into opts.Out. Whatever the
// cases say, it renders every page it can: a case that fails validation
// gets its page with its problems shown, a file that cannot be read a page
// saying why. Only a broken template or an unwritable folder stops it.
// Build uses o up: to stay within memory on large offices it drops each
// case's body once the case's pages are written, so load the office again
// for another build.
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
	officeName := o.Policies.OfficeName()
	root := ""
	if o.History != nil {
		root = o.History.Root
	}
	tpl, seed, tplFiles, err := loadTemplates(filepath.Join(o.Root, "templates"), opts.Lang, officeName)
	if err != nil {
		return Summary{}, err
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return Summary{}, fmt.Errorf("write site: %w", err)
	}
	switch opts.Audience {
	case "":
		opts.Audience = AudienceInternal
	case AudienceInternal, AudiencePublic:
	default:
		return Summary{}, fmt.Errorf("audience %q is not internal or public", opts.Audience)
	}
	public := opts.Audience == AudiencePublic
	if public {
		// Nothing personal reaches a public build, whatever was asked.
		opts.IncludePII = false
	}
	seed = append(seed, fmt.Sprintf("lang=%s pii=%t audience=%s\n", opts.Lang, opts.IncludePII, opts.Audience)...)
	seed = append(seed, fmt.Sprintf("office=%q\n", officeName)...)
	interrupted, err := startBuild(opts.Out)
	if err != nil {
		return Summary{}, fmt.Errorf("write site: %w", err)
	}
	fl := &files{out: opts.Out, old: readManifest(opts.Out), cur: manifest{}, untrusted: interrupted}
	w := &writer{out: opts.Out, tpl: tpl, seed: seed, tplFiles: tplFiles, files: fl, pages: new(atomic.Int64), office: officeName,
		goCase: builtin(tplFiles, "case.html", "layout.html", "sheet.html"),
		goForm: builtin(tplFiles, "form.html", "layout.html", "sheet.html"),
		goList: builtin(tplFiles, "cases.html", "layout.html")}
	now := opts.Now.Format(timeLayout + " -07:00")
	base := func(title, root string) Page {
		return Page{Lang: opts.Lang, Title: title, Root: root, Now: now, Public: public}
	}

	recs, formJobs, marks, err := casePages(w, o, opts)
	if err != nil {
		return Summary{}, err
	}
	forms := formIndex(recs, formJobs, opts)

	// The pages that sum up many cases, in two lanes, one per core: each
	// lane is serial and keeps its first error. A large office runs them
	// one after the other, since each holds tables of all cases.
	lanes := [2]*writer{w.fork(), w.fork()}
	var wg sync.WaitGroup
	wg.Add(2)
	lane := func(f func()) {
		if len(recs) < concurrentSummaries {
			go f()
		} else {
			f()
		}
	}
	lane(func() {
		defer wg.Done()
		lw := lanes[0]
		p := base(word(opts.Lang, "dashboard"), "")
		// The dashboard's status × category tables are as wide as a
		// procedure has categories.
		p.Wide = true
		var st *stats.File
		p.Dashboard, st = dashboardAndStats(o, recs, opts,
			stats.Options{Office: officeName, Now: opts.Now, Unreadable: len(o.Broken), Public: public})
		p.Dashboard.Exports = exports(opts)
		lw.page("index.html", "index.html", p)
		lw.write("robots.txt", []byte(robotsTxt))
		for _, a := range assets {
			lw.asset(filepath.Join(o.Root, "templates"), a)
		}
		// stats.json holds counts only, no personal data and no case
		// ids: every audience's site carries it, for aggregate; a
		// public one withholds small counts as the pages do.
		stJSON, err := st.Marshal()
		if err != nil && lw.err == nil {
			lw.err = fmt.Errorf("write %s: %w", stats.FileName, err)
		}
		lw.write(stats.FileName, stJSON)
		if public {
			return
		}
		writeCaseLists(lw, o, recs, o.Broken, opts)
		eo := export.Options{Now: opts.Now, Lang: opts.Lang, IncludePII: opts.IncludePII,
			Title: officeName, BaseURL: opts.BaseURL, Office: officeName, Repository: root,
			Calendar: o.Calendar}
		for _, x := range []struct {
			rel   string
			write func(io.Writer, []*office.Record, export.Options) error
		}{{"feed.xml", export.Atom}, {"deadlines.ics", export.ICS}, {"cases.csv", export.CSV}} {
			var buf bytes.Buffer
			if err := x.write(&buf, recs, eo); err != nil && lw.err == nil {
				lw.err = fmt.Errorf("write %s: %w", x.rel, err)
			}
			lw.write(x.rel, buf.Bytes())
		}
	})
	lane(func() {
		defer wg.Done()
		lw := lanes[1]
		err := writeReports(lw, o, recs, marks, opts)
		if err == nil && !public {
			err = writeForms(lw, forms, opts)
		}
		if lw.err == nil {
			lw.err = err
		}
	})
	wg.Wait()
	if err := errors.Join(lanes[0].err, lanes[1].err); err != nil {
		return Summary{}, err
	}
	removed, err := removeStale(opts.Out, fl.old, fl.cur)
	if err != nil {
		return Summary{}, fmt.Errorf("remove pages of cases that are gone: %w", err)
	}
	if err := writeManifest(opts.Out, fl.cur); err != nil {
		return Summary{}, fmt.Errorf("write site: %w", err)
	}
	if err := finishBuild(opts.Out); err != nil {
		return Summary{}, fmt.Errorf("write site: %w", err)
	}
	var warnings []string
	if !public && !builtin(tplFiles, "case.html") && !printsSheets(tplFiles["case.html"]) && hasSheets(formJobs) {
		warnings = append(warnings, msg.T(
			"%s 是本单位自己的模板，没有输出 .Sheets：案件页和 forms/index.html 上的表单链接（#form-…）打不开；在模板末尾加上 {{range .Sheets}}{{sheet .}}{{end}}（见 docs/templates.md）",
			"%s is the office's own and prints no .Sheets: the forms' links (#form-…) on case pages and forms/index.html lead nowhere; add {{range .Sheets}}{{sheet .}}{{end}} near its end (see docs/templates.md)").Sprintf(tplFiles["case.html"]).In(opts.Lang))
	}
	return Summary{
		Out: opts.Out, Index: filepath.Join(opts.Out, "index.html"), Pages: int(w.pages.Load()),
		Written: fl.written, Removed: removed, Cases: len(recs), Broken: len(o.Broken), Warnings: warnings,
	}, nil
}

// casePages judges every case at opts.Now and renders its page and its
// per-case forms, and a page for each file that could not be read, on
// every core. A page whose inputs are as the previous build left them is
// not rendered again. Each record's condition environment, the largest
// part of it, is handed back as soon as its pages are done, so 100,000
// cases need not hold 100,000 of them; the records returned, sorted by
// id, serve the pages that sum up many cases.
func casePages(w *writer, o *office.Office, opts Options) ([]*office.Record, [][]formJob, *condMarks, error) {
	now := opts.Now.Format(timeLayout + " -07:00")
	byID := slices.Clone(o.Cases)
	slices.SortStableFunc(byID, func(a, b *cases.Case) int { return strings.Compare(a.ID, b.ID) })
	idx := indexCases(byID)
	polKeys := policyKeys(o)
	recs := make([]*office.Record, len(byID))
	jobs := make([][]formJob, len(byID))
	marks := newCondMarks(o.Policies)
	held := make([][]bool, len(byID))
	errs := make([]error, len(byID)+len(o.Broken))
	var mu sync.Mutex
	done := 0
	public := opts.Audience == AudiencePublic
	n := len(byID) + len(o.Broken)
	if public {
		// A public build has no page of a case, readable or not.
		n = len(byID)
	}
	// Twice as many workers as cores: while one waits on the disk to
	// create and rename its page, another renders.
	office.ParallelN(n, 2*runtime.GOMAXPROCS(0), func(i int) {
		if i < len(byID) {
			r := o.Record(byID[i], opts.Now)
			if !public {
				o.Corrections(r) // the timeline and the feed show them
				jobs[i] = formsFor(r, opts)
				pk := ""
				if r.Policy != nil {
					pk = polKeys[r.Policy.ID]
				}
				errs[i] = recordPages(w, r, idx, jobs[i], opts, now, pk)
				held[i] = marks.judge(r)
			}
			o.Release(r)
			// Nothing after the case pages reads a body: registers show
			// titles. At 100,000 cases the bodies are 100 MB.
			r.Case.Body, r.Case.Sections = "", nil
			recs[i] = r
		} else {
			errs[i] = brokenPage(w, o.Broken[i-len(byID)], opts)
		}
		if opts.Progress != nil {
			mu.Lock()
			done++
			opts.Progress(done, n)
			mu.Unlock()
		}
	})
	for i, r := range recs {
		if held[i] != nil {
			marks.held[r] = held[i]
		}
	}
	return recs, jobs, marks, errors.Join(errs...)
}

// recordPages renders one case's page, its forms included.
func recordPages(w *writer, r *office.Record, idx *caseIndex, jobs []formJob, opts Options, now, polKey string) error {
	// The registers r is a row of are written later, with the forms.
	jobs = slices.DeleteFunc(slices.Clone(jobs), func(j formJob) bool { return j.anchor == "" })
	pageNow := ""
	if r.Open() {
		// Only a case still running changes with the clock; the others'
		// pages stay byte for byte the same from one day to the next.
		pageNow = now
	}
	rel := "cases/" + fileName(r.Case.ID)
	// Which forms apply is part of the key: a condition may turn with the
	// clock while the record stays as it was.
	parts := []string{rel}
	for _, j := range jobs {
		parts = append(parts, j.anchor)
	}
	// A case whose record is as the previous build saw it keeps its page
	// without computing its view at all.
	k := recordKey(w.seed, r, idx, pageNow, parts, polKey)
	w.pages.Add(1)
	if w.files.fresh(rel, k) {
		return nil
	}
	v := caseView(r, idx, opts)
	for _, j := range jobs {
		v.Forms = append(v.Forms, Link{ID: j.name, Href: "#" + j.anchor})
		v.Sheets = append(v.Sheets, j.sheet(r, opts))
	}
	p := Page{Lang: opts.Lang, Title: r.Case.ID + " " + r.Case.Title, Root: "../", Now: pageNow, Case: v}
	return w.renderPage(rel, "case.html", p, v.render, k)
}

// recordKey fingerprints everything a case's page and its forms are made
// from: the parsed file (fields, body, line numbers), its policy's file,
// its history, clocks, escalations and problems, which related cases
// exist and their titles, the cases that name it, the as-of time of a
// running case, the files it gets, and the
// seed (templates, program, language, personal data shown or not).
func recordKey(seed []byte, r *office.Record, idx *caseIndex, now string, rels []string, polKey string) key {
	// The related cases' titles and the cases that name this one are on
	// the page too.
	var related []string
	for _, rel := range r.Case.Related() {
		t, ok := "", idx.has(rel.ID)
		if ok {
			t = idx.titles[rel.ID]
		}
		related = append(related, fmt.Sprint(ok, t))
	}
	if idx != nil {
		for _, b := range idx.back[r.Case.ID] {
			related = append(related, b.ID, b.As, idx.titles[b.ID])
		}
	}
	perr := ""
	if r.PolicyErr != nil {
		perr = r.PolicyErr.Error()
	}
	return fingerprint(seed, "record", polKey, now, rels, r.Case, r.Transitions(), r.Clocks, r.ClockProblems,
		r.Escalations, perr, related, r.Corrections)
}

// policyKeys identifies each policy by its file, for recordKey: a policy
// of the repository by its bytes, an embedded one by the program, which
// the seed already names.
func policyKeys(o *office.Office) map[string]string {
	keys := map[string]string{}
	for _, id := range o.Policies.IDs() {
		src := o.Policies.Source(id)
		keys[id] = "embedded"
		if src == "" || src == "embedded" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(o.Root, filepath.FromSlash(src)))
		if err != nil {
			// Unreadable now: the key is unique, so nothing is taken as
			// fresh.
			keys[id] = "unread " + err.Error() + " " + strconv.FormatInt(time.Now().UnixNano(), 10)
			continue
		}
		sum := sha256.Sum256(b)
		keys[id] = string(sum[:])
	}
	return keys
}

// brokenPage is the page of a case file that could not be read: where it
// is, what is wrong and how to fix it.
func brokenPage(w *writer, b *msg.FileError, opts Options) error {
	v := brokenView(b, opts.Lang)
	p := Page{Lang: opts.Lang, Title: v.ID + " " + v.Title, Root: "../", Case: v}
	return w.cachedPage("cases/"+fileName(v.ID), "case.html", p, nil)
}

// loadTemplates parses the embedded templates, each replaced by the
// office's own file of the same name in dir when there is one (dir ""
// reads the embedded ones only). office is the office's name, which the
// templates print with officeName. It also returns the seed of every
// page's fingerprint: the template sources, and the program itself, so a
// new casebook rebuilds every page.
func loadTemplates(dir, lang, office string) (*template.Template, []byte, map[string]string, error) {
	names, err := fs.Glob(templates.FS, "*.html")
	if err != nil {
		return nil, nil, nil, err
	}
	files := map[string]string{}
	slices.Sort(names)
	// sheet prints a case's form: in Go while sheet.html is the built-in
	// one (sheet.go), else by the office's template.
	var self *template.Template
	builtinSheet := false
	t := template.New("").Funcs(template.FuncMap{
		"t":          func(key string) string { return word(lang, key) },
		"officeName": func() string { return office },
		"sheet": func(f *Form) (template.HTML, error) {
			if builtinSheet {
				if h, ok := goSheet(f, lang); ok {
					return h, nil
				}
			}
			var b strings.Builder
			err := self.ExecuteTemplate(&b, "form-sheet", f)
			return template.HTML(b.String()), err
		},
	})
	seed := sha256.New()
	fmt.Fprintf(seed, "casebook site %s\n", programID())
	for _, name := range names {
		file := "templates/" + name + " (embedded)"
		var src []byte
		err := fs.ErrNotExist
		if dir != "" {
			src, err = os.ReadFile(filepath.Join(dir, name))
		}
		if err == nil {
			file = filepath.Join(dir, name)
		} else if errors.Is(err, fs.ErrNotExist) {
			src, err = templates.FS.ReadFile(name)
		}
		if err != nil {
			return nil, nil, nil, fmt.Errorf("read template %s: %w", file, err)
		}
		files[name] = file
		fmt.Fprintf(seed, "%s %d\n", name, len(src))
		seed.Write(src)
		if _, err := t.New(name).Parse(inlineWords(string(src), lang)); err != nil {
			return nil, nil, nil, newTemplateError(files, "", err)
		}
	}
	self, builtinSheet = t, builtin(files, "sheet.html")
	// Execution checks what parsing cannot (a missing template, a bad
	// escaping context) on first use; doing it here for every template
	// reports it before any page is written.
	for _, name := range names {
		if err := t.Lookup(name).Execute(io.Discard, nil); err != nil && isEscapeError(err) {
			return nil, nil, nil, newTemplateError(files, "", err)
		}
	}
	return t, seed.Sum(nil), files, nil
}

// printsSheets tells whether the office's template file prints a case's
// forms (an office's case.html from before they were sheets does not).
func printsSheets(path string) bool {
	b, err := os.ReadFile(path)
	return err != nil || bytes.Contains(b, []byte(".Sheets"))
}

// hasSheets tells whether any case has a per-case form.
func hasSheets(jobs [][]formJob) bool {
	for _, js := range jobs {
		for _, j := range js {
			if j.anchor != "" {
				return true
			}
		}
	}
	return false
}

// builtin tells whether the templates named are the embedded ones, not
// the office's own (files is what loadTemplates returns).
func builtin(files map[string]string, names ...string) bool {
	for _, n := range names {
		if !strings.HasSuffix(files[n], "(embedded)") {
			return false
		}
	}
	return true
}

// programID identifies the running program, so pages a different build
// of casebook rendered are not taken as fresh: the executable's path,
// size and modification time.
func programID() string {
	exe, err := os.Executable()
	if err != nil {
		return "unknown " + strconv.FormatInt(time.Now().UnixNano(), 10)
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return "unknown " + strconv.FormatInt(time.Now().UnixNano(), 10)
	}
	return fmt.Sprintf("%s %d %d", exe, fi.Size(), fi.ModTime().UnixNano())
}

// writer renders pages and writes files: the serial parts remember the
// first error in err; cachedPage, which runs on many goroutines, returns
// its error.
type writer struct {
	out  string
	tpl  *template.Template
	seed []byte
	// tplFiles names the file behind each template, for errors.
	tplFiles map[string]string
	files    *files
	pages    *atomic.Int64 // shared by the writers fork makes
	err      error
	// goCase is set when the office keeps the built-in case.html,
	// layout.html and sheet.html: case pages are written in Go
	// (casepage.go), with office the name their header shows.
	goCase bool
	// goForm is the same for registers: form.html, layout.html and
	// sheet.html are the built-in ones.
	goForm bool
	// goList is the same for the case list pages (listpage.go).
	goList bool
	office string
	// claims are the files of reports/ this writer has written, with
	// what wrote them, so that two reports named alike (a policy id
	// bank-stats and the bank's report stats) fail the build rather than
	// one silently replacing the other.
	claims map[string]string
}

// claim records that what writes rel; a second claim of rel is an error
// that names both.
func (w *writer) claim(rel, what string) bool {
	if w.claims == nil {
		w.claims = map[string]string{}
	}
	if prev, ok := w.claims[rel]; ok {
		if w.err == nil {
			w.err = fmt.Errorf("write site: %s and %s would both be %s; give one of them another id", prev, what, rel)
		}
		return false
	}
	w.claims[rel] = what
	return true
}

// fork returns a writer for another goroutine: the same site, templates
// and page count, its own first error.
func (w *writer) fork() *writer {
	return &writer{out: w.out, tpl: w.tpl, seed: w.seed, tplFiles: w.tplFiles, files: w.files, pages: w.pages, goCase: w.goCase, goForm: w.goForm, goList: w.goList, office: w.office}
}

// cachedPage writes the page rel unless its inputs, fingerprinted with
// the template set, are those of the previous build. prepare, when set,
// completes data (renders its Markdown) before the template runs; what it
// adds must follow from what was fingerprinted.
func (w *writer) cachedPage(rel, tpl string, data any, prepare func() error) error {
	w.pages.Add(1)
	k := fingerprint(w.seed, rel, tpl, data)
	if w.files.fresh(rel, k) {
		return nil
	}
	return w.renderPage(rel, tpl, data, prepare, k)
}

// renderPage renders data with tpl into rel and enters it in the manifest
// with key k; prepare, when set, completes data first.
func (w *writer) renderPage(rel, tpl string, data any, prepare func() error, k key) error {
	if prepare != nil {
		if err := prepare(); err != nil {
			return fmt.Errorf("render %s: %w", rel, err)
		}
	}
	if p, ok := data.(Page); ok && tpl == "case.html" && w.goCase {
		if b, ok := goCasePage(p, w.office); ok {
			if err := w.files.store(rel, k, b); err != nil {
				return fmt.Errorf("write site: %w", err)
			}
			return nil
		}
	}
	if p, ok := data.(Page); ok && tpl == "cases.html" && w.goList {
		if b, ok := goListPage(p, w.office); ok {
			if err := w.files.store(rel, k, b); err != nil {
				return fmt.Errorf("write site: %w", err)
			}
			return nil
		}
	}
	if fp, ok := data.(formPage); ok && tpl == "form.html" && w.goForm {
		if b, ok := goFormPage(fp, w.office); ok {
			if err := w.files.store(rel, k, b); err != nil {
				return fmt.Errorf("write site: %w", err)
			}
			return nil
		}
	}
	var buf bytes.Buffer
	if err := w.tpl.ExecuteTemplate(&buf, tpl, data); err != nil {
		return w.templateError(rel, err)
	}
	if err := w.files.store(rel, k, buf.Bytes()); err != nil {
		return fmt.Errorf("write site: %w", err)
	}
	return nil
}

// page renders a page in the serial part of the build, keeping the first
// error; like cachedPage, it skips a page whose data is unchanged.
func (w *writer) page(rel, tpl string, data any) {
	if w.err != nil {
		return
	}
	w.err = w.cachedPage(rel, tpl, data, nil)
}

// asset copies the asset name to assets/: the office's own file in dir
// when there is one (dir "": the embedded one).
func (w *writer) asset(dir, name string) {
	if w.err != nil {
		return
	}
	var b []byte
	err := fs.ErrNotExist
	if dir != "" {
		b, err = os.ReadFile(filepath.Join(dir, name))
	}
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
	if w.err != nil {
		return
	}
	if err := w.files.put(rel, contentKey(b), b); err != nil {
		w.err = fmt.Errorf("write site: %w", err)
	}
}

// robotsTxt keeps search engines out of every build: an internal one is
// behind access control, and a public one is for the people it is
// published to, not for an index.
const robotsTxt = "User-agent: *\nDisallow: /\n"

// latestMoves is how many transitions the dashboard lists.
const latestMoves = 20

// exports lists the machine-readable files the build writes, for the
// dashboard: a public build has only stats.json.
func exports(opts Options) []Export {
	all := []struct{ key, href, typ string }{
		{"x_feed", "feed.xml", "application/atom+xml"},
		{"x_ics", "deadlines.ics", "text/calendar"},
		{"x_csv", "cases.csv", "text/csv"},
		{"x_stats", stats.FileName, "application/json"},
	}
	var out []Export
	for _, x := range all {
		if opts.Audience == AudiencePublic && x.href != stats.FileName {
			continue
		}
		e := Export{Label: word(opts.Lang, x.key), Note: word(opts.Lang, x.key+"_note"), Href: x.href, Type: x.typ}
		if opts.BaseURL != "" {
			e.URL = opts.BaseURL + x.href
		}
		out = append(out, e)
	}
	return out
}

// dashboardList is how many cases each list of the dashboard shows.
const dashboardList = 30

// dashboardAndStats computes index.html's figures and lists and
// stats.json. A public build's two withhold the same counts where they
// show the same ones (the figures of open, overdue, received and closed,
// each state's cases): each withholds what the other does, until neither
// withholds more, so that neither gives away what the other withholds.
func dashboardAndStats(o *office.Office, recs []*office.Record, opts Options, so stats.Options) (*Dashboard, *stats.File) {
	st := stats.Of(recs, so)
	d := dashboard(o, recs, opts, st.WithheldKeys())
	if !so.Public {
		return d, st
	}
	for {
		have, more := st.WithheldKeys(), d.withheldKeys()
		grown := false
		for k := range more {
			if !have[k] {
				if so.Withhold == nil {
					so.Withhold = map[string]bool{}
				}
				so.Withhold[k], grown = true, true
			}
		}
		if !grown {
			return d, st
		}
		st = stats.Of(recs, so)
		d = dashboard(o, recs, opts, st.WithheldKeys())
	}
}

// dashboard computes index.html's figures and lists. withheld are the
// keys of the counts a public build's stats.json withholds (see
// stats.File.WithheldKeys): the public dashboard withholds them too.
func dashboard(o *office.Office, recs []*office.Record, opts Options, withheld map[string]bool) *Dashboard {
	lang := opts.Lang
	d := &Dashboard{}
	// nowMonth is the month of the build in the policies' zone, as
	// stats.json keys its months.
	nowMonth := ""
	var open, overdue, soon, received, closed int
	depts, handlers := map[string]*Load{}, map[string]*Load{}
	matrices := map[string]*Matrix{}
	var moves []Move
	var movesAt []time.Time
	for _, r := range recs {
		c, l := r.Case, loc(r)
		now := opts.Now.In(l)
		if nowMonth == "" && r.Policy != nil {
			nowMonth = now.Format("2006-01")
		}
		ref := CaseRef{ID: c.ID, Href: caseHref(c.ID), Title: c.Title, Status: label(r.Policy, "state", c.Status, lang)}
		if !c.ReceivedAt.IsZero() {
			ref.received = c.ReceivedAt.UTC().Format(time.RFC3339)
		}
		if !c.ReceivedAt.IsZero() && sameMonth(c.ReceivedAt.In(l), now) {
			received++
		}
		if at, ok := closedAt(r); ok && sameMonth(at.In(l), now) {
			closed++
		}
		ref.Handler, ref.Department = listed(r, "assignee"), listed(r, "department")
		if r.Open() {
			open++
			late := r.Late()
			for _, m := range []struct {
				set map[string]*Load
				key string
			}{{depts, listed(r, "department")}, {handlers, listed(r, "assignee")}} {
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
			if cl, ok := deadline.Next(r.Clocks); ok {
				ref.Clock, ref.Due, ref.Days = cl.Name(lang), cl.DueAt.In(l).Format(timeLayout), daysText(lang, cl, opts.Now)
				ref.daysLeft = cl.DaysLeft
			}
			if late {
				overdue++
				for _, cl := range r.Clocks {
					if cl.State == deadline.Overdue {
						ref.Clock, ref.Due, ref.Days = cl.Name(lang), cl.DueAt.In(l).Format(timeLayout), daysText(lang, cl, opts.Now)
						ref.daysLeft = cl.DaysLeft
						break
					}
				}
				d.Overdue = append(d.Overdue, ref)
			} else if cl, ok := deadline.Next(r.Clocks); ok && cl.DaysLeft <= 2 {
				soon++
				d.DueSoon = append(d.DueSoon, ref)
			}
		}
		if len(r.Escalations) > 0 {
			d.EscalatedEver++
		}
		if len(r.Escalations) > 0 && r.Open() {
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
	}
	// Only the latest 20 transitions are shown: find the time of the 20th
	// latest first, and make moves of those as late only.
	var times []int64
	for _, r := range recs {
		for _, t := range r.Transitions() {
			times = append(times, t.At.UnixNano())
		}
	}
	cutoff := export.LatestCutoff(times, latestMoves)
	for _, r := range recs {
		for _, t := range r.Transitions() {
			if t.At.UnixNano() >= cutoff {
				moves = append(moves, move(r, t.At, t.Actor, t.From, t.To, t.Note, t.Commit, lang))
				movesAt = append(movesAt, t.At)
			}
		}
	}
	// The on-time rate and the handling time count the cases closed in
	// the last 12 months, each case once (not each of its deadlines).
	met, timed, handling := managerViews(o, recs, opts, d)
	rate := rateText(met, timed)
	count := func(v int, _ string) string { return strconv.Itoa(v) }
	public := opts.Audience == AudiencePublic
	if public {
		count = func(v int, key string) string { return shown(v, v < MinCell || withheld[key]) }
		rate = publicRate(met, timed)
		if len(handling) < MinCell {
			handling = nil
		}
	}
	month := "totals.months." + nowMonth + "."
	for _, f := range []struct {
		key string
		v   string
	}{
		{"open", count(open, "totals.open")}, {"overdue", count(overdue, "totals.overdue")}, {"due_soon", count(soon, "")},
		{"received", count(received, month+"received")}, {"closed", count(closed, month+"closed")}, {"on_time", rate},
		{"median", median(handling)},
	} {
		d.Figures = append(d.Figures, Figure{Key: f.key, Label: word(lang, f.key), Value: f.v})
	}
	if !public {
		// Each count links to the cases it counts; the month is the
		// office's (the first policy's time zone, as the cases' is).
		l := time.UTC
		for _, r := range recs {
			if r.Policy != nil {
				l = loc(r)
				break
			}
		}
		now := opts.Now.In(l)
		first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, l)
		from, to := first.Format(time.DateOnly), first.AddDate(0, 1, -1).Format(time.DateOnly)
		hrefs := map[string]string{
			"open": filterHref("stage", "open"), "overdue": filterHref("late", "1"), "due_soon": filterHref("due", "2"),
			"received": filterHref("from", from, "to", to), "closed": filterHref("cfrom", from, "cto", to),
		}
		for i := range d.Figures {
			d.Figures[i].Href = hrefs[d.Figures[i].Key]
		}
	}
	// Overdue: the longest late first; due soon: the soonest due first;
	// escalated: the latest received first. The lists stop at
	// dashboardList cases and link to all of them.
	latest := func(a, b CaseRef) int {
		return cmp.Or(strings.Compare(b.received, a.received), strings.Compare(b.ID, a.ID))
	}
	mostLate := func(a, b CaseRef) int {
		return cmp.Or(a.daysLeft-b.daysLeft, strings.Compare(a.Due, b.Due), latest(a, b))
	}
	soonest := func(a, b CaseRef) int { return cmp.Or(strings.Compare(a.Due, b.Due), latest(a, b)) }
	for _, l := range []struct {
		list  *[]CaseRef
		all   *int
		order func(a, b CaseRef) int
	}{{&d.Overdue, &d.OverdueAll, mostLate}, {&d.DueSoon, &d.DueSoonAll, soonest}, {&d.Escalated, &d.EscalatedAll, latest}} {
		slices.SortStableFunc(*l.list, l.order)
		*l.all = len(*l.list)
		if len(*l.list) > dashboardList {
			*l.list = (*l.list)[:dashboardList]
		}
	}
	d.Departments, d.Handlers = loads(depts, "d"), loads(handlers, "a")
	pids := slices.Sorted(maps.Keys(matrices))
	for _, id := range pids {
		m := matrices[id]
		m.prune()
		if public {
			publicMatrix(m, withheld)
		} else {
			showMatrix(m)
			m.link()
		}
		d.Matrices = append(d.Matrices, *m)
	}
	if public {
		// Lists of cases, of handlers and of transitions name people and
		// cases: a public dashboard has figures and tables only.
		d.Overdue, d.DueSoon, d.Escalated, d.Latest = nil, nil, nil, nil
		d.OverdueAll, d.DueSoonAll, d.EscalatedAll = 0, 0, 0
		d.Departments, d.Handlers = nil, nil
		d.EscalatedEver, d.ClosedLate, d.ClosedLateAll = 0, nil, 0
		d.HandlerTable, d.Ageing, d.Trends = nil, nil, nil
		return d
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
	for i := 0; i < len(idx) && i < latestMoves; i++ {
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

// loads are the workloads of m, the most open first; key is the case
// list's filter of their names ("d" department, "a" handler).
func loads(m map[string]*Load, key string) []Load {
	out := make([]Load, 0, len(m))
	for _, l := range m {
		if l.Open > 0 {
			l.OpenHref = filterHref("stage", "open", key, l.Name)
		}
		if l.Overdue > 0 {
			l.OverdueHref = filterHref("late", "1", key, l.Name)
		}
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
	m := &Matrix{Policy: p.Label("policy", p.ID, lang), pid: p.ID}
	ix := m
	for _, c := range p.Categories {
		ix.cats = append(ix.cats, c.ID)
		m.Cols = append(m.Cols, p.Label("category", c.ID, lang))
	}
	for _, s := range p.States {
		ix.states = append(ix.states, s.ID)
		m.Rows = append(m.Rows, MatrixRow{Label: p.Label("state", s.ID, lang), Counts: make([]int, len(ix.cats)), state: s.ID})
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

// link points each count of m at the case list filtered to its cases.
func (m *Matrix) link() {
	for ri := range m.Rows {
		r := &m.Rows[ri]
		s := filterHref("s", m.pid+"/"+r.state)
		r.Hrefs = make([]string, len(r.Counts))
		for c, v := range r.Counts {
			if v > 0 {
				r.Hrefs[c] = s + "&" + filterQuery("c", m.pid+"/"+m.cats[c])
			}
		}
		if r.Total > 0 {
			r.TotalHref = s
		}
	}
}

// filterHref is the case list's address filtered by pairs of filter key
// and value, in the form filter.js reads after "#".
func filterHref(kv ...string) string {
	var q []string
	for i := 0; i+1 < len(kv); i += 2 {
		q = append(q, filterQuery(kv[i], kv[i+1]))
	}
	return "cases/index.html#" + strings.Join(q, "&")
}

func filterQuery(k, v string) string { return k + "=" + url.QueryEscape(v) }

// prune drops the states no case is in, so the table stays readable.
func (m *Matrix) prune() {
	m.Rows = slices.DeleteFunc(m.Rows, func(r MatrixRow) bool { return r.Total == 0 })
}

// TemplateError is a template that does not parse or run: File:Line and
// what is wrong, so an office that overrides a template can fix it.
type TemplateError struct {
	File string // the template's file; "(embedded)" for a built-in one
	Line int    // 0 when unknown
	Page string // the page being rendered, for errors while running
	Msg  string
}

func (e *TemplateError) Error() string {
	where := e.File
	if e.Line > 0 {
		where += ":" + strconv.Itoa(e.Line)
	}
	verb := "template " + where + " does not parse"
	if e.Page != "" {
		verb = "template " + where + " fails rendering " + e.Page
	}
	return verb + ": " + e.Msg + " (fix the template, or delete it to use the built-in one)"
}

// templatePos finds "NAME:LINE[:COL]: msg" in the errors of text/template.
var templatePos = regexp.MustCompile(`^template: ([^:]+):(\d+)(?::\d+)?: (.*)$`)

// templateError turns an error of html/template into a TemplateError,
// naming the file behind the template that failed.
func (w *writer) templateError(page string, err error) error {
	return newTemplateError(w.tplFiles, page, err)
}

func newTemplateError(files map[string]string, page string, err error) error {
	msg := err.Error()
	e := &TemplateError{Page: page, Msg: msg}
	if m := templatePos.FindStringSubmatch(strings.ReplaceAll(msg, "\n", " ")); m != nil {
		e.File, e.Msg = m[1], m[3]
		e.Line, _ = strconv.Atoi(m[2])
	}
	if f, ok := files[e.File]; ok {
		e.File = f
	} else if e.File == "" {
		e.File = "templates"
	}
	return e
}

// isEscapeError tells the errors html/template finds in a template itself
// (not in the data it is given), such as a branch ending in another
// context.
func isEscapeError(err error) bool {
	var e *template.Error
	return errors.As(err, &e) && e.ErrorCode != template.ErrorCode(0)
}

// wordCall is a call of t with a constant key, as the templates write it.
var wordCall = regexp.MustCompile(`\{\{t "([a-z_0-9]+)"\}\}`)

// inlineWords writes the words of t calls with a constant key into the
// template source, escaped, where that is the same as calling t: in text
// and inside a double-quoted attribute value. Tens of thousands of pages
// each call t dozens of times, and every call goes through reflection
// twice (t and the escaper); the words are fixed for the build. Any
// other context keeps the call, for html/template to escape as it does.
// Line numbers are unchanged, since words hold no newline.
func inlineWords(src, lang string) string {
	var b strings.Builder
	last := 0
	for _, m := range wordCall.FindAllStringSubmatchIndex(src, -1) {
		if !plainContext(src[:m[0]]) {
			continue
		}
		b.WriteString(src[last:m[0]])
		b.WriteString(html.EscapeString(word(lang, src[m[2]:m[3]])))
		last = m[1]
	}
	b.WriteString(src[last:])
	return b.String()
}

// plainContext tells whether the end of before is in HTML text (outside
// any tag, script or style) or inside a double-quoted attribute value.
func plainContext(before string) bool {
	lower := strings.ToLower(before)
	for _, el := range []string{"script", "style", "textarea", "title"} {
		if strings.LastIndex(lower, "<"+el) > strings.LastIndex(lower, "</"+el) {
			return el == "title" && strings.LastIndexByte(before, '>') > strings.LastIndex(lower, "<title")
		}
	}
	lt, gt := strings.LastIndexByte(before, '<'), strings.LastIndexByte(before, '>')
	if gt >= lt {
		return true
	}
	// Inside a tag: only the value of an attribute written name="...".
	tag := before[lt:]
	if strings.Count(tag, `"`)%2 == 0 || strings.Contains(tag, "'") {
		return false
	}
	q := strings.LastIndexByte(tag, '"')
	name := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(tag[:q]), "="))
	if i := strings.LastIndexAny(name, " \t\n"); i >= 0 {
		name = name[i+1:]
	}
	name = strings.ToLower(name)
	// Attributes html/template treats as URLs, scripts or styles keep
	// the call.
	return !strings.HasPrefix(name, "on") && name != "style" && name != "href" && name != "src" &&
		name != "action" && name != "formaction" && name != "srcset" && !strings.HasSuffix(name, "url") && name != "data"
}
