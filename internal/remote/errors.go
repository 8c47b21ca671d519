package remote

import (
	"errors"
	"fmt"
)

// ErrMoved is returned by Push when the remote branch no longer points at the commit the
// push was computed on: fetch again and retry.
var ErrMoved = errors.New("the remote branch moved")

// Error is a failure to reach, authenticate with or update the remote. Kind says which.
type Error struct {
	Kind   string // "network", "auth", "refused", "config"
	Remote string // the remote's name and URL, for messages
	Err    error
	Fix    string
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s: %v", e.Remote, e.Err)
	if e.Fix != "" {
		msg += " (fix: " + e.Fix + ")"
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }
