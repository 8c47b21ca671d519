package export

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/idna"

	"github.com/casebook/casebook/internal/msg"
)

// BaseURLError says why a --base-url is not one the feed and the calendar
// can build links on.
type BaseURLError struct {
	Value  string
	Reason msg.Text
}

func (e *BaseURLError) Error() string {
	return fmt.Sprintf("--base-url %q: %s (fix: give the address the site is published at, such as https://office.example.gitlab.io/cases/)", e.Value, e.Reason.En)
}

// In is the error in the clerk's language (msg.Localized).
func (e *BaseURLError) In(lang string) string {
	if lang == msg.En {
		return e.Error()
	}
	return fmt.Sprintf("--base-url %q：%s（改法：写站点发布的地址，例如 https://office.example.gitlab.io/cases/）", e.Value, e.Reason.Zh)
}

var _ msg.Localized = (*BaseURLError)(nil)

// ParseBaseURL checks the address a site is published at and returns it
// with a trailing slash, so that relative paths join onto it; "" (links
// relative to the site) stays "". Only absolute http and https addresses
// without a query, a fragment or a user name are taken: the links are
// read by feed readers and calendars outside the site, and a password in
// them would be published.
func ParseBaseURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	bad := func(zh, en string) error { return &BaseURLError{Value: s, Reason: msg.T(zh, en)} }
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "", bad("不是网址", "not a URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return "", bad("要以 https:// 或 http:// 开头", "it must start with https:// or http://")
	case u.Host == "" || u.Hostname() == "":
		return "", bad("缺少主机名", "it has no host name")
	case u.User != nil:
		return "", bad("不能带用户名或密码：它们会随订阅链接公开", "it must not carry a user name or password: the feed would publish them")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(s, "#"):
		return "", bad("不能带 ? 或 # 部分", "it must not have a ? or # part")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", bad("端口号要在 1 到 65535 之间", "its port must be between 1 and 65535")
		}
	}
	// A Chinese domain (例子.中国) is written in its ASCII form, which every
	// feed reader and calendar app resolves.
	host := u.Hostname()
	if net.ParseIP(host) == nil {
		if host, err = idna.Lookup.ToASCII(host); err != nil {
			return "", bad("主机名不是有效的域名", "its host is not a valid domain name")
		}
	}
	if p := u.Port(); p != "" {
		host = net.JoinHostPort(host, p)
	} else if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = host
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		u.RawPath = ""
	}
	return u.String(), nil
}

// href is a path of the site as the exports link it: absolute under
// BaseURL when one was given, else relative to the site's root.
func (o Options) href(rel string) string { return o.BaseURL + rel }

// officeKey names the office in ids that must differ between offices:
// the repository's first commit, which every clone shares and no other
// office has, else the office's name, else the base URL; "" when none is
// known.
func (o Options) officeKey() string {
	switch {
	case o.Repository != "":
		return o.Repository
	case o.Office != "":
		return url.PathEscape(o.Office)
	case o.BaseURL != "":
		return url.PathEscape(strings.TrimSuffix(o.BaseURL, "/"))
	}
	return ""
}
