package remote

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/http"
	"github.com/go-git/go-git/v5/plumbing/transport/ssh"
)

// Auth chooses how to authenticate with the target, the way a clerk's git would:
//
// SSH (ssh://, user@host:path): the SSH agent when SSH_AUTH_SOCK is set; otherwise the key
// file in CASEBOOK_SSH_KEY, or the first of ~/.ssh/id_ed25519, id_ecdsa, id_rsa, with the
// passphrase in CASEBOOK_SSH_PASSPHRASE when the key has one. The host key is checked
// against ~/.ssh/known_hosts (or SSH_KNOWN_HOSTS), as go-git does.
//
// HTTP(S): the user and password in the URL; else CASEBOOK_GIT_USERNAME and
// CASEBOOK_GIT_PASSWORD, or CASEBOOK_GIT_TOKEN (a host's access token, sent as the
// password); else git's credential helpers (credential.helper, and credential.<url>.helper
// for the remote's URL, in the repository's, global and system config): `store` is read
// directly (~/.git-credentials, $XDG_CONFIG_HOME/git/credentials, or its --file), other
// helpers are run as git runs them (git-credential-NAME on PATH, an absolute path, or a
// `!command` through the shell). Without any, the request goes out anonymously.
//
// cfgs is the config chain, highest priority first; env reads the environment.
func Auth(t Target, cfgs []*config.Config, env func(string) string) (transport.AuthMethod, error) {
	if t.Path != "" || t.Endpoint == nil {
		return nil, nil
	}
	ep := t.Endpoint
	switch ep.Protocol {
	case "ssh":
		return sshAuth(ep, env)
	case "http", "https":
		if ep.User != "" && ep.Password != "" {
			return &http.BasicAuth{Username: ep.User, Password: ep.Password}, nil
		}
		if tok := env("CASEBOOK_GIT_TOKEN"); tok != "" {
			user := env("CASEBOOK_GIT_USERNAME")
			if user == "" {
				user = "casebook"
			}
			return &http.BasicAuth{Username: user, Password: tok}, nil
		}
		if u, p := env("CASEBOOK_GIT_USERNAME"), env("CASEBOOK_GIT_PASSWORD"); u != "" && p != "" {
			return &http.BasicAuth{Username: u, Password: p}, nil
		}
		for _, h := range helpers(cfgs, ep) {
			u, p, err := askHelper(h, ep, env)
			if err != nil {
				return nil, &Error{Kind: "auth", Remote: t.String(), Err: fmt.Errorf("credential helper %q: %w", h, err),
					Fix: "fix or remove the helper in git config credential.helper"}
			}
			if p != "" {
				if u == "" {
					u = ep.User
				}
				return &http.BasicAuth{Username: u, Password: p}, nil
			}
		}
	}
	return nil, nil
}

func sshAuth(ep *transport.Endpoint, env func(string) string) (transport.AuthMethod, error) {
	user := ep.User
	if user == "" {
		user = ssh.DefaultUsername
	}
	if key := env("CASEBOOK_SSH_KEY"); key != "" {
		a, err := ssh.NewPublicKeysFromFile(user, key, env("CASEBOOK_SSH_PASSPHRASE"))
		if err != nil {
			return nil, &Error{Kind: "auth", Remote: ep.String(), Err: fmt.Errorf("CASEBOOK_SSH_KEY %s: %w", key, err),
				Fix: "give the private key file, and its passphrase in CASEBOOK_SSH_PASSPHRASE"}
		}
		return a, nil
	}
	if env("SSH_AUTH_SOCK") != "" {
		a, err := ssh.NewSSHAgentAuth(user)
		if err == nil {
			return a, nil
		}
	}
	home, _ := os.UserHomeDir()
	for _, name := range []string{"id_ed25519", "id_ecdsa", "id_rsa"} {
		p := filepath.Join(home, ".ssh", name)
		if _, err := os.Stat(p); err != nil {
			continue
		}
		a, err := ssh.NewPublicKeysFromFile(user, p, env("CASEBOOK_SSH_PASSPHRASE"))
		if err != nil {
			return nil, &Error{Kind: "auth", Remote: ep.String(), Err: fmt.Errorf("%s: %w", p, err),
				Fix: "load the key into the SSH agent (ssh-add), or set CASEBOOK_SSH_PASSPHRASE"}
		}
		return a, nil
	}
	return nil, nil // go-git tries the agent itself
}

// helpers lists the credential helpers configured for ep, in the order git asks them:
// lower-priority files first; an empty value clears the list so far.
func helpers(cfgs []*config.Config, ep *transport.Endpoint) []string {
	var out []string
	want := ep.Protocol + "://" + ep.Host
	for i := len(cfgs) - 1; i >= 0; i-- {
		sec := cfgs[i].Raw.Section("credential")
		add := func(vals []string) {
			for _, v := range vals {
				if strings.TrimSpace(v) == "" {
					out = nil
					continue
				}
				out = append(out, strings.TrimSpace(v))
			}
		}
		add(sec.Options.GetAll("helper"))
		for _, sub := range sec.Subsections {
			if u, err := url.Parse(sub.Name); err == nil && u.Scheme+"://"+u.Hostname() == want {
				add(sub.Options.GetAll("helper"))
			}
		}
	}
	return out
}

// askHelper asks one helper for the credentials of ep with git's credential protocol.
func askHelper(h string, ep *transport.Endpoint, env func(string) string) (user, pass string, err error) {
	fields := strings.Fields(h)
	if fields[0] == "store" {
		return fromStore(fields[1:], ep, env)
	}
	var cmd *exec.Cmd
	switch {
	case strings.HasPrefix(h, "!"):
		if runtime.GOOS == "windows" {
			cmd = exec.Command("sh", "-c", h[1:]+" get")
		} else {
			cmd = exec.Command("/bin/sh", "-c", h[1:]+" get")
		}
	case filepath.IsAbs(fields[0]):
		cmd = exec.Command(fields[0], append(fields[1:], "get")...)
	default:
		bin, err := exec.LookPath("git-credential-" + fields[0])
		if err != nil {
			return "", "", nil // a helper built into git (cache) or not installed: skipped
		}
		cmd = exec.Command(bin, append(fields[1:], "get")...)
	}
	var in bytes.Buffer
	fmt.Fprintf(&in, "protocol=%s\nhost=%s\n", ep.Protocol, hostPort(ep))
	if p := strings.TrimPrefix(ep.Path, "/"); p != "" {
		fmt.Fprintf(&in, "path=%s\n", p)
	}
	in.WriteString("\n")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd = exec.CommandContext(ctx, cmd.Path, cmd.Args[1:]...)
	cmd.Stdin = &in
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", "", nil // the helper has nothing for this host
		}
		return "", "", err
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			continue
		}
		switch k {
		case "username":
			user = v
		case "password":
			pass = v
		}
	}
	return user, pass, nil
}

func hostPort(ep *transport.Endpoint) string {
	if ep.Port != 0 && !(ep.Protocol == "https" && ep.Port == 443) && !(ep.Protocol == "http" && ep.Port == 80) {
		return fmt.Sprintf("%s:%d", ep.Host, ep.Port)
	}
	return ep.Host
}

// fromStore reads git-credential-store's files: lines https://user:password@host.
func fromStore(args []string, ep *transport.Endpoint, env func(string) string) (string, string, error) {
	var files []string
	for i := 0; i < len(args); i++ {
		if f, ok := strings.CutPrefix(args[i], "--file="); ok {
			files = append(files, f)
		} else if args[i] == "--file" && i+1 < len(args) {
			files = append(files, args[i+1])
			i++
		}
	}
	if len(files) == 0 {
		home, _ := os.UserHomeDir()
		files = append(files, filepath.Join(home, ".git-credentials"))
		if x := env("XDG_CONFIG_HOME"); x != "" {
			files = append(files, filepath.Join(x, "git", "credentials"))
		} else {
			files = append(files, filepath.Join(home, ".config", "git", "credentials"))
		}
	}
	for _, f := range files {
		if strings.HasPrefix(f, "~/") {
			home, _ := os.UserHomeDir()
			f = filepath.Join(home, f[2:])
		}
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			u, err := url.Parse(strings.TrimSpace(line))
			if err != nil || u.User == nil || u.Scheme != ep.Protocol || u.Host != hostPort(ep) {
				continue
			}
			if p, ok := u.User.Password(); ok {
				return u.User.Username(), p, nil
			}
		}
	}
	return "", "", nil
}
