package clerk

import (
	"fmt"
	"strings"
)

// InputError is a bad argument or a bad file: the command exits 2 and
// changes nothing.
type InputError struct {
	Msg, Fix string
}

func (e *InputError) Error() string {
	if e.Fix == "" {
		return e.Msg
	}
	return e.Msg + " (fix: " + e.Fix + ")"
}

// ForbiddenError is an action the policy does not allow (an illegal move,
// a move without what the target state requires): exit 1, nothing changes.
type ForbiddenError struct {
	Msg      string
	Problems []string // one line each: what is missing or wrong, and how to fix it
}

func (e *ForbiddenError) Error() string {
	if len(e.Problems) == 0 {
		return e.Msg
	}
	return e.Msg + ":\n  " + strings.Join(e.Problems, "\n  ")
}

// MissingError lists the fields a new case still needs. A command on a
// terminal asks for them; elsewhere it fails with the list.
type MissingError struct {
	Paths []string
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("missing required fields: %s (fix: give them with --set k=v)", strings.Join(e.Paths, ", "))
}
