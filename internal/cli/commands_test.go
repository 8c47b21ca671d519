package cli

import (
	"bytes"
	"testing"

	"github.com/spf13/cobra"
)

// TestCommands_HaveExamples guards the habit of STYLE.md's "Commands":
// every command shows an example in its help.
func TestCommands_HaveExamples(t *testing.T) {
	var out bytes.Buffer
	root := NewRootCmd(&App{Out: &out, ErrOut: &out})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Example == "" && c.Name() != "help" && c.Name() != "completion" {
			t.Errorf("%s has no Example", c.CommandPath())
		}
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(root)
}
