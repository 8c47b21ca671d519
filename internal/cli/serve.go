package cli

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/site"
)

type serveOptions struct {
	app        *App
	addr       string
	public     bool
	out        string
	lang       string
	includePII bool
	audience   string
	identity   identityFlag
}

func newServeCmd(app *App) *cobra.Command {
	o := &serveOptions{app: app}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Preview the site locally, rebuilding it when cases, policies or templates change",
		Example: `  casebook serve
  casebook serve --addr 127.0.0.1:9000 --lang en
  casebook serve --addr 0.0.0.0:8080 --public
  casebook serve --audience public`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runServe(cmd.Context(), o) },
	}
	cmd.Flags().StringVar(&o.addr, "addr", "127.0.0.1:8080", "listen on `HOST:PORT`")
	cmd.Flags().BoolVar(&o.public, "public", false, "allow an address other than loopback (the site shows complaint cases)")
	cmd.Flags().StringVar(&o.out, "out", "", "keep the builds under `DIR` (default: a temporary folder, removed on exit)")
	cmd.Flags().BoolVar(&o.includePII, "include-pii", false, "show complainants' personal data (never for anonymous cases); sealed values need --identity")
	cmd.Flags().StringVar(&o.audience, "audience", "internal", "`internal` (every page) or public (statistics only), as casebook build")
	o.identity.register(cmd)
	return cmd
}

// runServe serves until ctx is done or the process is interrupted.
func runServe(ctx context.Context, o *serveOptions) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	o.lang = siteLang(o.app)
	raiseMemoryLimit(buildMemoryLimit)
	audience, err := site.ParseAudience(o.audience)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	if audience == site.AudiencePublic {
		o.includePII = false
	}
	if err := site.CheckAddr(o.addr, o.public); err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	now := time.Now
	if o.app.NowArg != "" {
		t, err := ParseNow(o.app.NowArg)
		if err != nil {
			return err
		}
		now = func() time.Time { return t }
	}
	base := o.out
	if base != "" {
		var err error
		if base, err = filepath.Abs(base); err != nil {
			return &ExitError{Code: ExitUsage, Err: err}
		}
	}
	ids, err := o.identity.load()
	if err != nil {
		return err
	}
	if !o.includePII {
		ids = nil
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: fmt.Errorf("listen on %s: %w (fix: pick another --addr)", o.addr, err)}
	}
	err = site.Serve(ctx, ln, site.ServeOptions{
		Dir: o.app.Dir, Base: base, Now: now, Lang: o.lang, IncludePII: o.includePII, Audience: audience, Identities: ids, Log: o.app.ErrOut,
		AnyHost: o.public,
		Ready:   func() { fmt.Fprintf(o.app.Out, "serving http://%s/ (Ctrl-C to stop)\n", ln.Addr()) },
	})
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	return nil
}
