// Package clerk holds the write operations of a complaint office: register
// a case, move it along the procedure, set fields, record an approved
// extension, link related cases, record a withdrawal, correct a mistake,
// give a case another id. Each operation reads the one case file it
// concerns, checks the result against the policy, and commits exactly that
// file (a renumbering: its old and new names) through package repo, so
// every action is one attributable commit. `casebook demo` drives the same operations with
// a fixed clock.
package clerk
