package export

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/msg"
)

func TestParseBaseURL(t *testing.T) {
	for _, tt := range []struct{ in, want, err string }{
		{"", "", ""},
		{"  ", "", ""},
		{"https://office.example.gitlab.io/cases", "https://office.example.gitlab.io/cases/", ""},
		{"https://office.example.gitlab.io/cases/", "https://office.example.gitlab.io/cases/", ""},
		{"HTTPS://Office.Example.ORG", "https://office.example.org/", ""},
		{"http://10.1.2.3:8080/监察室", "http://10.1.2.3:8080/%E7%9B%91%E5%AF%9F%E5%AE%A4/", ""},
		{"https://例子.中国/案件", "https://xn--fsqu00a.xn--fiqs8s/%E6%A1%88%E4%BB%B6/", ""},
		{"https://[::1]:8443/site", "https://[::1]:8443/site/", ""},
		{"https://x.example.org:99999/", "", "port"},
		{"https://bad_host!.example.org/", "", "domain"},
		{"office.example.org/cases", "", "https://"},
		{"ftp://office.example.org/", "", "https://"},
		{"file:///srv/site", "", "https://"},
		{"https:///cases", "", "host"},
		{"https://clerk:secret@office.example.org/", "", "password"},
		{"https://office.example.org/?page=1", "", "? or #"},
		{"https://office.example.org/#top", "", "? or #"},
		{"https://office.example.org/%zz", "", "not a URL"},
	} {
		got, err := ParseBaseURL(tt.in)
		if tt.err == "" {
			if err != nil || got != tt.want {
				t.Errorf("ParseBaseURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		var be *BaseURLError
		if !errors.As(err, &be) || !strings.Contains(err.Error(), tt.err) || !strings.Contains(err.Error(), "fix:") {
			t.Errorf("ParseBaseURL(%q) = %q, %v; want an error about %q with a fix", tt.in, got, err, tt.err)
			continue
		}
		if zh := msg.ErrorIn(err, msg.Zh); !strings.Contains(zh, "改法") || zh == err.Error() {
			t.Errorf("ParseBaseURL(%q): the Chinese error %q", tt.in, zh)
		}
	}
}

// TestExports_BaseURL: with a base URL every link of the feed and the
// calendar is absolute, so a reader or a calendar app outside the site can
// follow it; without, the links stay relative.
func TestExports_BaseURL(t *testing.T) {
	recs := loadOffice(t)
	const base = "https://office.example.gitlab.io/cases/"
	o := Options{Now: now, Title: "城关农商银行监察室", BaseURL: base, Office: "城关农商银行监察室", Repository: "0123456789abcdef0123456789abcdef01234567"}
	var feed bytes.Buffer
	if err := Atom(&feed, recs, o); err != nil {
		t.Fatal(err)
	}
	var f struct {
		ID    string `xml:"id"`
		Links []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Entries []struct {
			ID   string `xml:"id"`
			Link struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(feed.Bytes(), &f); err != nil {
		t.Fatal(err)
	}
	if f.ID != "urn:casebook:0123456789abcdef0123456789abcdef01234567:feed" {
		t.Errorf("feed id %q", f.ID)
	}
	if len(f.Links) != 2 || f.Links[0].Href != base+"feed.xml" || f.Links[1].Href != base+"index.html" {
		t.Errorf("feed links %+v", f.Links)
	}
	if len(f.Entries) == 0 {
		t.Fatal("no entries")
	}
	for _, e := range f.Entries {
		if !strings.HasPrefix(e.Link.Href, base+"cases/") || !strings.HasPrefix(e.ID, "urn:casebook:0123456789abcdef0123456789abcdef01234567:") {
			t.Errorf("entry %+v: not absolute or not the office's", e)
		}
	}
	var cal bytes.Buffer
	if err := ICS(&cal, recs, o); err != nil {
		t.Fatal(err)
	}
	unfolded := strings.ReplaceAll(cal.String(), "\r\n ", "")
	if !strings.Contains(unfolded, "\r\nURL:"+base+"cases/BANK-2026-0001.html\r\n") ||
		!strings.Contains(unfolded, `页面：`+base+"cases/BANK-2026-0001.html") {
		t.Errorf("calendar lacks absolute links:\n%s", unfolded)
	}
	for _, l := range strings.Split(unfolded, "\r\n") {
		if strings.HasPrefix(l, "UID:") && !strings.HasSuffix(l, "@0123456789abcdef.casebook") {
			t.Errorf("%s: not the office's", l)
		}
	}
}

// TestExports_IDsPerOffice: two offices built from the same kind of cases
// give feeds and calendars whose ids differ, so a reader that follows both
// keeps both; the ids of one office do not change from build to build.
func TestExports_IDsPerOffice(t *testing.T) {
	recs := loadOffice(t)
	ids := func(o Options) (feed string, uids []string) {
		var b bytes.Buffer
		if err := Atom(&b, recs, o); err != nil {
			t.Fatal(err)
		}
		var f struct {
			ID string `xml:"id"`
		}
		if err := xml.Unmarshal(b.Bytes(), &f); err != nil {
			t.Fatal(err)
		}
		b.Reset()
		if err := ICS(&b, recs, o); err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(b.String(), "\r\n") {
			if u, ok := strings.CutPrefix(l, "UID:"); ok {
				uids = append(uids, u)
			}
		}
		return f.ID, uids
	}
	for _, pair := range [][2]Options{
		{{Now: now, Repository: strings.Repeat("a", 40)}, {Now: now, Repository: strings.Repeat("b", 40)}},
		{{Now: now, Office: "城关农商银行监察室"}, {Now: now, Office: "东关农商银行监察室"}},
		{{Now: now, BaseURL: "https://a.example.org/"}, {Now: now, BaseURL: "https://b.example.org/"}},
	} {
		fa, ua := ids(pair[0])
		fb, ub := ids(pair[1])
		if fa == fb || len(ua) == 0 || len(ua) != len(ub) {
			t.Fatalf("%+v: feed ids %q and %q, %d and %d events", pair, fa, fb, len(ua), len(ub))
		}
		for i := range ua {
			if ua[i] == ub[i] {
				t.Errorf("%+v: both calendars have UID %s", pair, ua[i])
			}
		}
		again, _ := ids(pair[0])
		if again != fa {
			t.Errorf("feed id changed between builds: %q, %q", fa, again)
		}
	}
}
