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
	var flags, sets []string
	for _, p := range e.Paths {
		switch p {
		case "title", "channel", "category":
			flags = append(flags, "--"+p)
		default:
			sets = append(sets, "--set "+p+"=...")
		}
	}
	return fmt.Sprintf("missing required fields: %s (fix: give %s)", strings.Join(e.Paths, ", "), strings.Join(append(flags, sets...), " "))
}
