package site

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestLoopbackOnly(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "site") })
	h := loopbackOnly(ok)
	for _, tt := range []struct {
		host string
		want int
	}{
		{"localhost", 200},
		{"localhost:8080", 200},
		{"LOCALHOST.:8080", 200},
		{"preview.localhost:8080", 200},
		{"127.0.0.1:8080", 200},
		{"127.9.9.9", 200},
		{"[::1]:8080", 200},
		{"[::1]", 200},
		{"evil.example:8080", 421},           // DNS rebinding: the attacker's name resolved to 127.0.0.1
		{"localhost.evil.example", 421},      // a name that only begins like localhost
		{"127.0.0.1.nip.io:8080", 421},       // a public name for a loopback address
		{"192.168.1.10:8080", 421},           // the machine's LAN address
		{"0.0.0.0:8080", 421},                // not loopback
		{"127.1:8080", 421},                  // a resolver's shorthand, never sent by a browser
		{"[::ffff:10.0.0.1]:8080", 421},      // a mapped address outside 127/8
		{"", 421},                            // HTTP/1.0 without Host
		{"localhost:8080@evil.example", 421}, // userinfo tricks
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = tt.host
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != tt.want {
			t.Errorf("Host %q: %d, want %d", tt.host, w.Code, tt.want)
		}
		if tt.want == 421 && (!strings.Contains(w.Body.String(), "只回答发往本机") || !strings.Contains(w.Body.String(), "localhost")) {
			t.Errorf("Host %q: body %q lacks the Chinese and English message", tt.host, w.Body.String())
		}
		if tt.want == 200 && w.Body.String() != "site" {
			t.Errorf("Host %q: body %q, want the site", tt.host, w.Body.String())
		}
	}
}

// A real request to the running preview with a forged Host header, as a
// page under a rebinding name would make the browser send, is refused;
// the same request with the listener's address is answered.
func TestServe_RefusesForeignHost(t *testing.T) {
	ln, stop := startServe(t, ServeOptions{Dir: newRepo(t, smallCases), Base: t.TempDir(),
		Now: func() time.Time { return testNow }, Interval: time.Hour})
	defer func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	}()
	do := func(host string) (int, string) {
		req, err := http.NewRequest("GET", "http://"+ln.Addr().String()+"/cases/BANK-2026-0001.html", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := do("rebind.evil.example:" + portOf(ln)); code != http.StatusMisdirectedRequest || strings.Contains(body, "BANK-2026-0001") {
		t.Errorf("forged Host: %d %q, want 421 without the case", code, body)
	}
	if code, body := do(ln.Addr().String()); code != http.StatusOK || !strings.Contains(body, "BANK-2026-0001") {
		t.Errorf("loopback Host: %d, want the case page", code)
	}
	if code, _ := do("localhost:" + portOf(ln)); code != http.StatusOK {
		t.Errorf("Host localhost: %d, want 200", code)
	}
}

func portOf(ln net.Listener) string {
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}
