// Package cli holds casebook's cobra commands. Each verb has an options
// struct, a newXCmd that wires flags and a runX that does the work by
// calling domain packages; Main turns errors into exit codes.
package cli
