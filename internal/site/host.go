package site

import (
	"net"
	"net/http"
	"strings"
)

// loopbackHost tells whether the Host header names this machine: localhost
// or a name under .localhost, an address in 127.0.0.0/8 or ::1, with or
// without a port. A page from another site can make the browser send
// requests to 127.0.0.1 under its own name (DNS rebinding) and read the
// answers; a server that answers only loopback names defeats that.
func loopbackHost(host string) bool {
	if h, port, err := net.SplitHostPort(host); err == nil {
		if strings.Trim(port, "0123456789") != "" {
			return false // "localhost:80@evil.example"
		}
		host = h
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	// ParseIP refuses zones ("::1%lo") and the shorthands a resolver
	// might read ("127.1", "0x7f.1"), which browsers turn into a dotted
	// address before they send it.
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// loopbackOnly answers 421 to a request whose Host is not a loopback name.
func loopbackOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !loopbackHost(r.Host) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusMisdirectedRequest)
			_, _ = w.Write([]byte("421 只回答发往本机（localhost、127.0.0.1、[::1]）的请求。\n" +
				"421 This preview answers requests for localhost, 127.0.0.1 or [::1] only.\n"))
			return
		}
		next.ServeHTTP(w, r)
	})
}
