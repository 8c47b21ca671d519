package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/capability"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/client"
)

// Fetch brings the target branch into the clone: its objects, and the remote-tracking ref
// pointed at its tip. It returns the tip (zero when the remote has no such branch) and
// how many commits were new here (for a network remote, go-git does not say: -1).
func Fetch(ctx context.Context, r *git.Repository, objs storer.EncodedObjectStorer, t Target, auth transport.AuthMethod) (plumbing.Hash, int, error) {
	var tip plumbing.Hash
	n := -1
	if t.Path != "" {
		var err error
		if tip, n, err = fetchLocal(objs, t); err != nil {
			return plumbing.ZeroHash, 0, err
		}
	} else {
		spec := config.RefSpec("+" + t.Ref().String() + ":" + t.Tracking().String())
		err := r.FetchContext(ctx, &git.FetchOptions{RemoteName: t.Name, RefSpecs: []config.RefSpec{spec}, Auth: auth, Tags: git.NoTags})
		switch {
		case err == nil || errors.Is(err, git.NoErrAlreadyUpToDate):
		case errors.Is(err, git.NoMatchingRefSpecError{}), errors.Is(err, transport.ErrEmptyRemoteRepository):
			return plumbing.ZeroHash, 0, nil
		default:
			return plumbing.ZeroHash, 0, classify(t, err)
		}
		ref, err := r.Storer.Reference(t.Tracking())
		if err != nil {
			return plumbing.ZeroHash, 0, fmt.Errorf("read %s after fetching: %w", t.Tracking(), err)
		}
		tip = ref.Hash()
	}
	if tip.IsZero() {
		return tip, n, nil
	}
	if err := r.Storer.SetReference(plumbing.NewHashReference(t.Tracking(), tip)); err != nil {
		return plumbing.ZeroHash, 0, fmt.Errorf("update %s: %w", t.Tracking(), err)
	}
	return tip, n, nil
}

// Push moves the remote branch from old (zero: it must not exist yet) to new, sending the
// objects of the commits reached from new that the remote lacks; reached reports a commit
// the remote has (one that old reaches). ErrMoved means the branch is no longer at old.
// It returns the number of commits sent.
func Push(ctx context.Context, r *git.Repository, objs storer.EncodedObjectStorer, t Target, old, new plumbing.Hash, reached func(plumbing.Hash) bool, auth transport.AuthMethod) (int, error) {
	if t.Path != "" {
		return pushLocal(objs, t, old, new)
	}
	c, err := client.NewClient(t.Endpoint)
	if err != nil {
		return 0, &Error{Kind: "config", Remote: t.String(), Err: err}
	}
	sess, err := c.NewReceivePackSession(t.Endpoint, auth)
	if err != nil {
		return 0, classify(t, err)
	}
	defer sess.Close()
	ar, err := sess.AdvertisedReferencesContext(ctx)
	if err != nil && !errors.Is(err, transport.ErrEmptyRemoteRepository) {
		return 0, classify(t, err)
	}
	cur := plumbing.ZeroHash
	if ar != nil {
		if h, ok := ar.References[t.Ref().String()]; ok {
			cur = h
		}
	}
	if cur != old {
		return 0, ErrMoved
	}
	hs, n, err := missing(objs, new, reached, nil)
	if err != nil {
		return 0, err
	}
	caps := capability.NewList()
	if ar != nil {
		caps = ar.Capabilities
	}
	req := packp.NewReferenceUpdateRequestFromCapabilities(caps)
	req.Commands = []*packp.Command{{Name: t.Ref(), Old: old, New: new}}
	rd, wr := io.Pipe()
	req.Packfile = rd
	done := make(chan error, 1)
	go func() {
		enc := packfile.NewEncoder(wr, objs, false)
		_, err := enc.Encode(hs, 0)
		done <- wr.CloseWithError(err)
	}()
	rs, err := sess.ReceivePack(ctx, req)
	rd.Close()
	<-done
	if err != nil {
		return 0, classify(t, err)
	}
	if rs != nil {
		if err := rs.Error(); err != nil {
			msg := err.Error()
			if strings.Contains(msg, "non-fast-forward") || strings.Contains(msg, "fetch first") || strings.Contains(msg, "stale info") {
				return 0, ErrMoved
			}
			return 0, &Error{Kind: "refused", Remote: t.String(), Err: fmt.Errorf("the remote refused the push: %w", err),
				Fix: "ask whoever runs the office's git host whether the branch is protected or a hook rejects it"}
		}
	}
	return n, nil
}

// classify turns a transport error into an Error saying whether the network or the
// credentials failed.
func classify(t Target, err error) error {
	var re *Error
	if errors.As(err, &re) {
		return err
	}
	switch {
	case errors.Is(err, transport.ErrAuthenticationRequired), errors.Is(err, transport.ErrAuthorizationFailed),
		strings.Contains(err.Error(), "unable to authenticate"), strings.Contains(err.Error(), "handshake failed"):
		return &Error{Kind: "auth", Remote: t.String(), Err: fmt.Errorf("authentication failed: %w", err), Fix: authFix(t)}
	case errors.Is(err, transport.ErrRepositoryNotFound):
		return &Error{Kind: "network", Remote: t.String(), Err: err, Fix: "check the URL with git remote -v, and that your account may read it"}
	}
	var ne net.Error
	if errors.As(err, &ne) || strings.Contains(err.Error(), "connection refused") || strings.Contains(err.Error(), "no such host") {
		return &Error{Kind: "network", Remote: t.String(), Err: fmt.Errorf("the remote cannot be reached: %w", err),
			Fix: "check the network connection, then run casebook sync again; your commits are kept"}
	}
	return &Error{Kind: "network", Remote: t.String(), Err: err}
}

func authFix(t Target) string {
	if t.Endpoint != nil && (t.Endpoint.Protocol == "ssh") {
		return "load your key into the SSH agent (ssh-add), or set CASEBOOK_SSH_KEY to the key file; the host must be in ~/.ssh/known_hosts"
	}
	return "set CASEBOOK_GIT_USERNAME and CASEBOOK_GIT_PASSWORD (or CASEBOOK_GIT_TOKEN), or store the credentials with git's credential helper"
}
