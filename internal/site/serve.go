package site

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/seal"
)

// ServeOptions tune Serve.
type ServeOptions struct {
	// Dir is a directory inside the office repository.
	Dir string
	// Base holds one fresh folder per build; "" makes a temporary folder
	// that Serve removes when it returns.
	Base string
	// Now gives the moment each build describes; nil means the wall clock
	// (a preview is live, unlike build, whose --now freezes it).
	Now func() time.Time
	// Lang and IncludePII are passed to Build.
	Lang       string
	IncludePII bool
	// Audience is passed to Build.
	Audience Audience
	// Identities open sealed personal data for each build (RevealPII).
	Identities []seal.Identity
	// Interval is how often the repository is polled; default one second.
	Interval time.Duration
	// Log receives one line per rebuild and every failed rebuild.
	Log io.Writer
	// Ready, when set, is called once the first build is served.
	Ready func()
	// AnyHost answers requests whatever their Host header says; without
	// it only loopback names are answered (see loopbackHost). For
	// --public, where the site is reached under the machine's names.
	AnyHost bool
}

// watched are the folders whose files change the site; site/ is not among
// them, so building into it cannot trigger a rebuild.
var watched = []string{"cases", "policies", "templates"}

// CheckAddr refuses to listen on anything but loopback unless public is
// set: the site shows complainants' cases (and with --include-pii their
// personal data), which must not leak to the network by accident.
func CheckAddr(addr string, public bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q: %w (fix: give HOST:PORT such as 127.0.0.1:8080)", addr, err)
	}
	if public || host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	what := host
	if host == "" {
		what = "every interface"
	}
	return fmt.Errorf("address %q listens on %s, not loopback: the site shows complaint cases to anyone who can reach it (fix: use 127.0.0.1:PORT, or pass --public if you mean it)", addr, what)
}

// Serve builds the office around opts.Dir, serves the site on ln until
// ctx ends, and rebuilds whenever the git HEAD or a file under cases/,
// policies/ or templates/ changes. A failed rebuild is logged and the last
// good site stays served; only a failed first build is returned.
func Serve(ctx context.Context, ln net.Listener, opts ServeOptions) error {
	defer ln.Close() // also when the first build fails; closing twice is harmless
	if opts.Interval <= 0 {
		opts.Interval = time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	root, _, err := office.FindRoot(opts.Dir)
	if err != nil {
		return err
	}
	base := opts.Base
	if base == "" {
		if base, err = os.MkdirTemp("", "casebook-serve-"); err != nil {
			return fmt.Errorf("make build folder: %w", err)
		}
		defer os.RemoveAll(base)
	} else if err := os.MkdirAll(base, 0o755); err != nil {
		return fmt.Errorf("make build folder: %w", err)
	}

	s := &server{root: root, base: base, opts: opts}
	last := s.fingerprint()
	if err := s.rebuild(); err != nil {
		return err
	}
	if opts.Ready != nil {
		opts.Ready()
	}
	var h http.Handler = s
	if !opts.AnyHost {
		h = loopbackOnly(s)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()

	tick := time.NewTicker(opts.Interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := srv.Shutdown(sctx); err != nil {
				return fmt.Errorf("stop server: %w", err)
			}
			<-done
			return nil
		case err := <-done:
			return fmt.Errorf("serve: %w", err)
		case <-tick.C:
			now := s.fingerprint()
			if now == last {
				continue
			}
			last = now
			if err := s.rebuild(); err != nil {
				fmt.Fprintf(opts.Log, "rebuild failed, still serving the last good site: %v\n", err)
			}
		}
	}
}

// server swaps whole build folders so a request never sees half a build.
type server struct {
	root    string
	base    string
	opts    ServeOptions
	gen     int
	dirs    []string // build folders still on disk, oldest first
	handler atomic.Pointer[http.Handler]
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	(*s.handler.Load()).ServeHTTP(w, r)
}

// rebuild loads the office and builds it into a fresh folder, then serves
// that folder. The folder before the previous one is removed; the previous
// one is kept for requests that may still be reading it.
func (s *server) rebuild() error {
	s.gen++
	out := filepath.Join(s.base, strconv.Itoa(s.gen))
	o, err := office.Load(s.root, office.Options{})
	if err == nil {
		for _, e := range RevealPII(o, s.opts.Identities, s.opts.Lang) {
			fmt.Fprintf(s.opts.Log, "warning: %v\n", e)
		}
		var sum Summary
		sum, err = Build(o, Options{Out: out, Now: s.opts.Now(), Lang: s.opts.Lang, IncludePII: s.opts.IncludePII, Audience: s.opts.Audience})
		if err == nil {
			fmt.Fprintf(s.opts.Log, "built %d pages for %d cases\n", sum.Pages, sum.Cases)
		}
	}
	if err != nil {
		os.RemoveAll(out)
		return err
	}
	var h http.Handler = http.FileServer(http.Dir(out))
	s.handler.Store(&h)
	s.dirs = append(s.dirs, out)
	for len(s.dirs) > 2 {
		os.RemoveAll(s.dirs[0])
		s.dirs = s.dirs[1:]
	}
	return nil
}

// fingerprint digests what a build depends on: the commit HEAD points at
// (history changes clocks and timelines) and the path, size and
// modification time of every file under the watched folders. It only
// stats, so polling it every second stays cheap.
func (s *server) fingerprint() [sha256.Size]byte {
	h := sha256.New()
	if _, repo, err := office.FindRoot(s.root); err == nil {
		if ref, err := repo.Head(); err == nil {
			fmt.Fprintf(h, "HEAD %s %s\n", ref.Name(), ref.Hash())
		}
	}
	for _, d := range watched {
		// WalkDir visits in lexical order, so equal trees digest equally.
		_ = filepath.WalkDir(filepath.Join(s.root, d), func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				fmt.Fprintf(h, "error %s %v\n", p, err)
				return nil
			}
			if e.IsDir() {
				return nil
			}
			fi, err := e.Info()
			if err != nil {
				return nil
			}
			fmt.Fprintf(h, "%s %d %d\n", p, fi.Size(), fi.ModTime().UnixNano())
			return nil
		})
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}
