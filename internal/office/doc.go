// Package office loads an office repository as domain values: its policy
// set, its case files, their history from git, and each case's clocks at a
// given moment. It is the one place that wires the domain packages together;
// validate, the site and the commands read from it and never from files.
package office
