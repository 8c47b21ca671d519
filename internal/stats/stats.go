package stats

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
)

// The format's name and versions, as every stats.json states them. A
// change that adds keys keeps the version (readers ignore keys they do not
// know); one that changes what a key means, or removes one, raises it.
// Version 2 lets a count be null (withheld): a public file is version 2,
// so that a reader of version 1 refuses it rather than read null as 0. An
// internal file has every count exact and stays version 1, which every
// reader of version 1 reads as before.
const (
	Format = "casebook-stats"
	// Version is the newest version this casebook reads and writes, a
	// public file's.
	Version = 2
	// VersionExact is an internal file's version.
	VersionExact = 1
	// FileName is the file's name in a built site.
	FileName = "stats.json"
)

// Ids of the groups of cases whose value is not in the policy's list:
// none written, or one the policy does not know. The value itself is never
// shown: a clerk's stray text could be anything, a name too.
const (
	NoneID  = "_none"
	OtherID = "_other"
)

// The audiences of a stats.json, as its audience key states them.
const (
	AudienceInternal = "internal"
	AudiencePublic   = "public"
)

// File is stats.json.
type File struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	// Audience is who the build was for: AudienceInternal, every count
	// exact, or AudiencePublic, counts withheld as the public pages
	// withhold them. A file of an earlier casebook has none: internal.
	Audience string `json:"audience"`
	// SuppressedBelow is MinCell in a public file: no count under it is
	// shown. Absent (0) in an internal file.
	SuppressedBelow int `json:"suppressed_below,omitempty"`
	// Office is the name the office's policies give (policy office:);
	// empty when they give none.
	Office string `json:"office"`
	// BuiltAt is the moment the counts describe (build --now), RFC 3339.
	BuiltAt string `json:"built_at"`
	// Period is the months the counts cover: from the first case received
	// to the last month a case was received or closed; nil without cases.
	Period *Period `json:"period"`
	// Unreadable counts the case files that could not be read or name no
	// policy this office has; they are in no other count.
	Unreadable Num `json:"unreadable"`
	// Totals counts every procedure's cases together.
	Totals Summary `json:"totals"`
	// Procedures are the office's procedures that have cases, by policy id.
	Procedures []Procedure `json:"procedures"`
}

// Period is a span of months, both included: "2026-05" to "2026-11".
type Period struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Summary counts a set of cases: how many, how many open, finished and
// overdue at BuiltAt, their on-time rate, and month by month.
type Summary struct {
	Cases    Num `json:"cases"`
	Open     Num `json:"open"`
	Finished Num `json:"finished"`
	// Overdue counts the open cases with a clock past its due time.
	Overdue Num    `json:"overdue"`
	OnTime  OnTime `json:"on_time"`
	// Months are every month of the period, in order, empty ones too.
	Months []Month `json:"months"`
}

// OnTime is the on-time rate of cases (not of clocks). A case is decided
// when a clock of it ran late (late), or when every clock of it ended and
// one was met (on time); a case with a clock still running in time, or
// with no clock, is not decided yet. Rate is on_time / decided, to four
// places, nil when nothing is decided, and in a public file when a count
// it comes from is withheld.
type OnTime struct {
	Decided Num      `json:"decided"`
	OnTime  Num      `json:"on_time"`
	Late    Num      `json:"late"`
	Rate    *float64 `json:"rate"`
	// Period is the months received of the cases counted; nil in a Month,
	// which covers its own month.
	Period *Period `json:"period,omitempty"`
}

// Month counts one month: the cases received in it (and of those, the
// ones overdue at BuiltAt and their on-time rate), and the cases closed
// in it, whenever received.
type Month struct {
	Month    string `json:"month"`
	Received Num    `json:"received"`
	Closed   Num    `json:"closed"`
	Overdue  Num    `json:"overdue"`
	OnTime   OnTime `json:"on_time"`
}

// Label is a name in Chinese and English.
type Label struct {
	Zh string `json:"zh"`
	En string `json:"en"`
}

// Procedure counts the cases of one policy.
type Procedure struct {
	// Policy is the policy's id (bank, tendering ...); Name its name.
	Policy string `json:"policy"`
	Name   Label  `json:"name"`
	Summary
	// States, Categories and Channels count the cases by the policy's
	// vocabulary, in the policy's order, zeros too; then NoneID and
	// OtherID when some case has no value or one not in the list.
	States     []Count `json:"states"`
	Categories []Count `json:"categories"`
	Channels   []Count `json:"channels"`
}

// Count is the number of cases with one value of a vocabulary.
type Count struct {
	ID    string `json:"id"`
	Zh    string `json:"zh"`
	En    string `json:"en"`
	Cases Num    `json:"cases"`
}

// Options say what Of describes beyond the records.
type Options struct {
	Office string
	Now    time.Time
	// Unreadable is the number of case files that could not be read.
	Unreadable int
	// Public makes a public file: every count under MinCell withheld
	// (null), and those that would give one away (see withhold).
	Public bool
	// Withhold names counts of a public file that another page of the
	// same build withholds, by their key (see File.WithheldKeys), so that
	// this file withholds them too.
	Withhold map[string]bool
}

// Of counts recs, judged at opts.Now, into a stats.json.
func Of(recs []*office.Record, opts Options) *File {
	f := &File{Format: Format, Version: VersionExact, Audience: AudienceInternal, Office: opts.Office,
		BuiltAt: opts.Now.Format(time.RFC3339), Unreadable: Num{N: opts.Unreadable}, Procedures: []Procedure{}}
	byPolicy := map[string][]*office.Record{}
	pols := map[string]*policy.Policy{}
	for _, r := range recs {
		if r.Policy == nil {
			f.Unreadable.N++
			continue
		}
		byPolicy[r.Policy.ID] = append(byPolicy[r.Policy.ID], r)
		pols[r.Policy.ID] = r.Policy
	}
	total := newTally()
	terminal := map[string]map[string]bool{}
	for _, id := range sortedKeys(pols) {
		p := pols[id]
		terminal[id] = map[string]bool{}
		for _, s := range p.States {
			terminal[id][s.ID] = s.Terminal
		}
		t := newTally()
		states := newCounter(p, policy.KindState, ids(p.States, func(s policy.State) string { return s.ID }))
		cats := newCounter(p, policy.KindCategory, ids(p.Categories, choiceID))
		chans := newCounter(p, policy.KindChannel, ids(p.Channels, choiceID))
		for _, r := range byPolicy[id] {
			t.add(r)
			total.add(r)
			states.add(r.Case.Status)
			cats.add(field(r, "category"))
			chans.add(field(r, "channel"))
		}
		f.Procedures = append(f.Procedures, Procedure{
			Policy: id, Name: Label{Zh: p.Label("policy", id, "zh"), En: p.Label("policy", id, "en")},
			Summary: t.summary(), States: states.counts(), Categories: cats.counts(), Channels: chans.counts(),
		})
	}
	f.Totals = total.summary()
	if len(f.Totals.Months) > 0 {
		f.Period = &Period{From: f.Totals.Months[0].Month, To: f.Totals.Months[len(f.Totals.Months)-1].Month}
	}
	if opts.Public {
		f.Version, f.Audience, f.SuppressedBelow = Version, AudiencePublic, MinCell
		f.withhold(opts.Withhold, terminal)
	}
	return f
}

// Marshal is the file as build writes it: indented, keys in a fixed
// order, Chinese as it is, ending in a newline.
func (f *File) Marshal() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// verdict says whether r is decided and, if so, on time (see OnTime).
func verdict(r *office.Record) (decided, onTime bool) {
	met, running := false, false
	for _, cl := range r.Clocks {
		switch cl.State {
		case deadline.Missed, deadline.Overdue:
			return true, false
		case deadline.Met:
			met = true
		default:
			running = true
		}
	}
	return met && !running, met && !running
}

// tally counts cases as they are added; months by their key.
type tally struct {
	s      Summary
	months map[string]*Month
	// from and to are the months received of the decided cases.
	from, to string
}

func newTally() *tally { return &tally{months: map[string]*Month{}} }

func (t *tally) month(key string) *Month {
	m := t.months[key]
	if m == nil {
		m = &Month{Month: key}
		t.months[key] = m
	}
	return m
}

func (t *tally) add(r *office.Record) {
	loc := r.Policy.Location
	t.s.Cases.N++
	late := r.Late()
	if r.Open() {
		t.s.Open.N++
		if late {
			t.s.Overdue.N++
		}
	} else {
		t.s.Finished.N++
	}
	decided, onTime := verdict(r)
	if !r.Case.ReceivedAt.IsZero() {
		key := r.Case.ReceivedAt.In(loc).Format("2006-01")
		m := t.month(key)
		m.Received.N++
		if r.Open() && late {
			m.Overdue.N++
		}
		if decided {
			m.OnTime.count(onTime)
			if t.from == "" || key < t.from {
				t.from = key
			}
			t.to = max(t.to, key)
		}
	}
	if decided {
		t.s.OnTime.count(onTime)
	}
	if at, ok := r.ClosedAt(); ok {
		t.month(at.In(loc).Format("2006-01")).Closed.N++
	}
}

func (o *OnTime) count(onTime bool) {
	o.Decided.N++
	if onTime {
		o.OnTime.N++
	} else {
		o.Late.N++
	}
}

// rated sets Rate from the counts: nil when nothing is decided or a
// count is withheld.
func (o OnTime) rated() OnTime {
	o.Rate = nil
	if o.Decided.N > 0 && !o.Decided.Withheld && !o.OnTime.Withheld && !o.Late.Withheld {
		v := math.Round(float64(o.OnTime.N)/float64(o.Decided.N)*10000) / 10000
		o.Rate = &v
	}
	return o
}

// summary is the counts with every month from the first to the last.
func (t *tally) summary() Summary {
	s := t.s
	s.OnTime = s.OnTime.rated()
	if t.from != "" {
		s.OnTime.Period = &Period{From: t.from, To: t.to}
	}
	s.Months = []Month{}
	keys := sortedKeys(t.months)
	if len(keys) == 0 {
		return s
	}
	for key := keys[0]; key <= keys[len(keys)-1]; key = nextMonth(key) {
		m := Month{Month: key}
		if x := t.months[key]; x != nil {
			m = *x
		}
		m.OnTime = m.OnTime.rated()
		s.Months = append(s.Months, m)
	}
	return s
}

// nextMonth is the month after key ("2026-12" → "2027-01").
func nextMonth(key string) string {
	t, err := time.Parse("2006-01", key)
	if err != nil {
		return "9999-99" // ends the loop; keys come from Format
	}
	return t.AddDate(0, 1, 0).Format("2006-01")
}

// counter counts one vocabulary of a policy.
type counter struct {
	p           *policy.Policy
	kind        string
	ids         []string
	n           map[string]int
	none, other int
}

func newCounter(p *policy.Policy, kind string, ids []string) *counter {
	return &counter{p: p, kind: kind, ids: ids, n: map[string]int{}}
}

func (c *counter) add(v string) {
	switch {
	case v == "":
		c.none++
	case slices.Contains(c.ids, v):
		c.n[v]++
	default:
		c.other++
	}
}

func (c *counter) counts() []Count {
	out := make([]Count, 0, len(c.ids)+2)
	for _, id := range c.ids {
		out = append(out, Count{ID: id, Zh: c.p.Label(c.kind, id, "zh"), En: c.p.Label(c.kind, id, "en"), Cases: Num{N: c.n[id]}})
	}
	if c.none > 0 {
		out = append(out, Count{ID: NoneID, Zh: "（未填）", En: "(none)", Cases: Num{N: c.none}})
	}
	if c.other > 0 {
		out = append(out, Count{ID: OtherID, Zh: "（不在办法所列之内）", En: "(not in the policy's list)", Cases: Num{N: c.other}})
	}
	return out
}

// field is a core field's text; "" when missing or not text.
func field(r *office.Record, key string) string {
	s, _ := r.Case.Fields[key].(string)
	return s
}

func ids[T any](list []T, id func(T) string) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = id(x)
	}
	return out
}

func choiceID(c policy.Choice) string { return c.ID }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Add adds the counts of o to s: cases, open, finished, overdue and the
// on-time counts (its rate is left for the caller to take); months are
// summed apart, by SumMonths. A sum with a withheld part is withheld,
// with the known parts' sum (see Num).
func (s *Summary) Add(o Summary) {
	s.Cases = s.Cases.Plus(o.Cases)
	s.Open = s.Open.Plus(o.Open)
	s.Finished = s.Finished.Plus(o.Finished)
	s.Overdue = s.Overdue.Plus(o.Overdue)
	s.OnTime.add(o.OnTime)
}

func (o *OnTime) add(x OnTime) {
	o.Decided = o.Decided.Plus(x.Decided)
	o.OnTime = o.OnTime.Plus(x.OnTime)
	o.Late = o.Late.Plus(x.Late)
}

// SumMonths adds two month lists month by month into one that runs from
// the first month of either to the last without a gap.
func SumMonths(a, b []Month) []Month {
	byKey := map[string]*Month{}
	for _, list := range [][]Month{a, b} {
		for _, m := range list {
			x := byKey[m.Month]
			if x == nil {
				x = &Month{Month: m.Month}
				byKey[m.Month] = x
			}
			x.Received = x.Received.Plus(m.Received)
			x.Closed = x.Closed.Plus(m.Closed)
			x.Overdue = x.Overdue.Plus(m.Overdue)
			x.OnTime.add(m.OnTime)
		}
	}
	keys := sortedKeys(byKey)
	if len(keys) == 0 {
		return nil
	}
	out := []Month{}
	for k := keys[0]; k <= keys[len(keys)-1]; k = nextMonth(k) {
		m := Month{Month: k}
		if x := byKey[k]; x != nil {
			m = *x
		}
		m.OnTime = m.OnTime.rated()
		out = append(out, m)
	}
	return out
}

// MonthOf finds the month key in months, which are in order.
func MonthOf(months []Month, key string) (Month, bool) {
	i, ok := slices.BinarySearchFunc(months, key, func(m Month, k string) int { return strings.Compare(m.Month, k) })
	if !ok {
		return Month{}, false
	}
	return months[i], true
}
