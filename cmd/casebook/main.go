// Command casebook runs a complaint office from a git repository.
package main

import (
	"os"

	"github.com/casebook/casebook/internal/cli"
)

func main() { os.Exit(cli.Main()) }
