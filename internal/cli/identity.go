package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/casebook/casebook/internal/seal"
)

// identityEnv names the identity file when --identity is not given.
const identityEnv = "CASEBOOK_IDENTITY"

// identityFlag is --identity: the age identity that opens sealed personal
// data, for the commands that show it or seal it again.
type identityFlag struct{ file string }

func (f *identityFlag) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.file, "identity", "", "age identity `FILE` that opens sealed personal data (default: "+identityEnv+")")
}

// given reports whether an identity was named, by flag or environment.
func (f *identityFlag) given() bool { return f.path() != "" }

func (f *identityFlag) path() string {
	if f.file != "" {
		return f.file
	}
	return os.Getenv(identityEnv)
}

// load reads the identity; nil when none was named. A named identity that
// cannot be read is a usage error: the user meant to see something.
func (f *identityFlag) load() ([]seal.Identity, error) {
	file := f.path()
	if file == "" {
		return nil, nil
	}
	ids, err := seal.LoadIdentities(file)
	if err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: err}
	}
	return ids, nil
}

// warnSealed reports, on ErrOut, values an identity should have opened but
// could not; the command goes on and shows them as withheld.
func warnSealed(w io.Writer, errs []error) {
	for _, e := range errs {
		fmt.Fprintf(w, "casebook: warning: %v\n", e)
	}
}
