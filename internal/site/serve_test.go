package site

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a log the server goroutine writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// startServe runs Serve on a loopback port until stop, which returns
// Serve's error; opts.Ready is set here.
func startServe(t *testing.T, opts ServeOptions) (ln net.Listener, stop func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan struct{})
	done := make(chan error, 1)
	opts.Ready = func() { close(ready) }
	go func() { done <- Serve(ctx, ln, opts) }()
	select {
	case <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("Serve returned before serving: %v", err)
	}
	return ln, func() error { cancel(); return <-done }
}

func TestServe_RebuildsOnChange(t *testing.T) {
	dir := newRepo(t, smallCases)
	var log syncBuffer
	ln, stop := startServe(t, ServeOptions{
		Dir: dir, Base: t.TempDir(), Now: func() time.Time { return testNow },
		Interval: 20 * time.Millisecond, Log: &log,
	})
	root := "http://" + ln.Addr().String() + "/"

	if code, body := get(t, root); code != http.StatusOK || !strings.Contains(body, "BANK-2026-0001") {
		t.Fatalf("GET / = %d, dashboard without BANK-2026-0001:\n%s", code, body)
	}
	page := root + "cases/BANK-2026-0001.html"
	if code, body := get(t, page); code != http.StatusOK || !strings.Contains(body, "担保代偿后被追偿引发纠纷") {
		t.Fatalf("GET case page = %d, without its title:\n%s", code, body)
	}

	// A broken policy must not take the site down.
	pol := filepath.Join(dir, "policies", "bank.yaml")
	good, err := os.ReadFile(pol)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pol, []byte("states: [unclosed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(log.String(), "rebuild failed"); {
		if time.Now().After(deadline) {
			t.Fatalf("a broken policy was not reported; log:\n%s", log.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if code, body := get(t, page); code != http.StatusOK || !strings.Contains(body, "担保代偿后被追偿引发纠纷") {
		t.Fatalf("after a failed rebuild GET case page = %d, want the last good page", code)
	}
	if err := os.WriteFile(pol, good, 0o644); err != nil {
		t.Fatal(err)
	}

	file := filepath.Join(dir, "cases", "2026", "11", "23", "BANK-2026-0001.md")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	const title = "标题已在磁盘上修改过了"
	src = bytes.Replace(src, []byte("担保代偿后被追偿引发纠纷"), []byte(title), 1)
	if err := os.WriteFile(file, src, 0o644); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); ; {
		_, body := get(t, page)
		if strings.Contains(body, title) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the case page never showed the new title; log:\n%s", log.String())
		}
		time.Sleep(10 * time.Millisecond)
	}

	if err := stop(); err != nil {
		t.Fatalf("Serve after cancel: %v", err)
	}
	if _, err := http.Get(root); err == nil {
		t.Error("the server still answers after its context ended")
	}
}

func TestCheckAddr(t *testing.T) {
	for _, tt := range []struct {
		name   string
		addr   string
		public bool
		ok     bool
	}{
		{"loopback IPv4", "127.0.0.1:8080", false, true},
		{"loopback IPv6", "[::1]:8080", false, true},
		{"localhost", "localhost:0", false, true},
		{"every interface refused", "0.0.0.0:8080", false, false},
		{"empty host means every interface", ":8080", false, false},
		{"LAN address refused", "192.168.1.10:8080", false, false},
		{"host name refused", "example.org:80", false, false},
		{"LAN address with --public", "192.168.1.10:8080", true, true},
		{"no port", "127.0.0.1", false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckAddr(tt.addr, tt.public)
			if (err == nil) != tt.ok {
				t.Fatalf("CheckAddr(%q, %v) = %v, want ok=%v", tt.addr, tt.public, err, tt.ok)
			}
			if err != nil && strings.Contains(tt.addr, ":") && tt.addr != "127.0.0.1" && !strings.Contains(err.Error(), "--public") {
				t.Errorf("error %q does not say how to override", err)
			}
		})
	}
}

// TestServe_Public previews the public edition: statistics, no case page.
func TestServe_Public(t *testing.T) {
	dir := newRepo(t, smallCases)
	ln, stop := startServe(t, ServeOptions{
		Dir: dir, Base: t.TempDir(), Now: func() time.Time { return testNow },
		Interval: 20 * time.Millisecond, Log: io.Discard, Audience: AudiencePublic,
	})
	defer stop()
	root := "http://" + ln.Addr().String() + "/"
	code, body := get(t, root)
	if code != http.StatusOK || strings.Contains(body, "BANK-2026-0001") || !strings.Contains(body, `content="noindex,nofollow"`) {
		t.Errorf("public dashboard: %d\n%s", code, body)
	}
	if code, _ := get(t, root+"cases/BANK-2026-0001.html"); code != http.StatusNotFound {
		t.Errorf("a case page in the public preview: %d", code)
	}
	if code, body := get(t, root+"robots.txt"); code != http.StatusOK || body != robotsTxt {
		t.Errorf("robots.txt: %d %q", code, body)
	}
}
