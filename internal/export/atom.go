package export

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
)

// MaxFeedEntries caps the feed: readers poll it often and only want news.
const MaxFeedEntries = 200

const atomNS = "http://www.w3.org/2005/Atom"

type atomFeed struct {
	XMLName xml.Name    `xml:"feed"`
	NS      string      `xml:"xmlns,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Link    []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Href string `xml:"href,attr"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	ID      string     `xml:"id"`
	Title   atomText   `xml:"title"`
	Updated string     `xml:"updated"`
	Author  atomAuthor `xml:"author"`
	Link    atomLink   `xml:"link"`
	Content atomText   `xml:"content"`
}

// feedItem is one step of a case's trail (a transition or a correction)
// with the record it belongs to.
type feedItem struct {
	r *office.Record
	t history.Transition
	x *office.Correction
}

// Atom writes feed.xml: the latest transitions of all cases, newest first,
// at most MaxFeedEntries. Authors are named without their e-mail, which is
// personal data the feed has no need for; links are absolute under
// o.BaseURL, else relative to the site.
func Atom(w io.Writer, recs []*office.Record, o Options) error {
	var times []int64
	for _, r := range recs {
		if r == nil || r.Case == nil {
			continue
		}
		for _, st := range office.Trail(r) {
			times = append(times, st.At.UnixNano())
		}
	}
	// Only transitions as late as the MaxFeedEntries-th latest can be in
	// the feed: sorting the times alone is much cheaper than sorting every
	// transition by the full order below.
	cutoff := LatestCutoff(times, MaxFeedEntries)
	var items []feedItem
	for _, r := range recs {
		if r == nil || r.Case == nil {
			continue
		}
		for _, st := range office.Trail(r) {
			if st.At.UnixNano() >= cutoff {
				items = append(items, feedItem{r, st.Transition, st.Correction})
			}
		}
	}
	// Total order, so equal times never depend on the input order.
	slices.SortFunc(items, func(a, b feedItem) int {
		return cmp.Or(b.t.At.Compare(a.t.At), cmp.Compare(a.r.Case.ID, b.r.Case.ID),
			cmp.Compare(a.t.Commit, b.t.Commit), cmp.Compare(a.t.To, b.t.To))
	})
	if len(items) > MaxFeedEntries {
		items = items[:MaxFeedEntries]
	}
	updated := o.Now
	if len(items) > 0 {
		updated = items[0].t.At
	}
	f := atomFeed{
		NS:      atomNS,
		ID:      feedID(o),
		Title:   o.title(),
		Updated: rfc3339(updated),
		Link:    []atomLink{{Rel: "self", Href: o.href("feed.xml")}, {Rel: "alternate", Href: o.href("index.html")}},
		Author:  atomAuthor{Name: o.title()},
	}
	for _, it := range items {
		f.Entries = append(f.Entries, entry(it, o))
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write feed: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("write feed: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write feed: %w", err)
	}
	return nil
}

// entry turns one transition into a feed entry.
func entry(it feedItem, o Options) atomEntry {
	c, p, t := it.r.Case, it.r.Policy, it.t
	content := c.Title
	if t.Note != "" {
		content = t.Note + "\n\n" + c.Title
	}
	title := c.ID + " " + fromLabel(p, t.From, o) + " → " + label(p, "state", t.To, o)
	if it.x != nil {
		title, content = correctionEntry(it.r, it.x, o)
	}
	return atomEntry{
		ID:      entryID(o, t.Commit, c.ID),
		Title:   atomText{Type: "text", Body: title},
		Updated: rfc3339(t.At),
		Author:  atomAuthor{Name: cmp.Or(t.Actor, "unknown")},
		Link:    atomLink{Rel: "alternate", Href: o.href(casePage(c.ID))},
		Content: atomText{Type: "text", Body: content},
	}
}

// feedID is the feed's id, the office's own: readers that follow several
// offices tell the feeds apart by it.
func feedID(o Options) string {
	if k := o.officeKey(); k != "" {
		return "urn:casebook:" + k + ":feed"
	}
	return "urn:casebook:feed:" + o.title()
}

// entryID is a step's id: the office, the commit that made it and the case.
func entryID(o Options, commit, id string) string {
	if k := o.officeKey(); k != "" {
		return "urn:casebook:" + k + ":" + commit + ":" + id
	}
	return "urn:casebook:" + commit + ":" + id
}

// fromLabel names the state a transition left; a case's creation has
// none, and is shown as "new".
func fromLabel(p *policy.Policy, from string, o Options) string {
	if from == "" {
		if o.en() {
			return "new"
		}
		return "新建"
	}
	return label(p, "state", from, o)
}

// rfc3339 keeps the author's offset: readers convert, and the original
// zone says where the office is.
func rfc3339(t time.Time) string { return t.Format(time.RFC3339) }

// LatestCutoff returns the n-th largest of times (the smallest when there
// are n or fewer), so that every one of the n latest is >= it. It sorts
// times.
func LatestCutoff(times []int64, n int) int64 {
	if len(times) == 0 {
		return 0
	}
	slices.Sort(times)
	if len(times) <= n {
		return times[0]
	}
	return times[len(times)-n]
}
