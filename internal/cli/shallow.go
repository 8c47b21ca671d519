package cli

import (
	"fmt"

	"github.com/casebook/casebook/internal/office"
)

// In a shallow clone the cases registered before the boundary commit have a truncated
// trail: it starts at the boundary, which reads as registering them, and their deadlines
// are judged from it. Commands that show cases go on with a warning; those whose output
// judges every case (build, stats) refuse. validate decides for itself (package validate).

// warnTruncated warns on ErrOut when truncated, saying what of the output may be wrong.
func warnTruncated(app *App, off *office.Office, truncated bool, what string) {
	if !truncated {
		return
	}
	if err := off.History.NeedWhole(what, ""); err != nil {
		fmt.Fprintf(app.ErrOut, "casebook: warning: %v\n", err)
	}
}

// needWholeHistory refuses, exit 2, when some case's trail is truncated: the command's
// verdicts over every case would be wrong.
func needWholeHistory(off *office.Office, what string) error {
	if len(off.History.TruncatedCases()) == 0 {
		return nil
	}
	return &ExitError{Code: ExitUsage, Err: off.History.NeedWhole(what, "")}
}
