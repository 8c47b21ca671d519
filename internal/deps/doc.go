// Package deps holds no code: its test reads the module graph and fails
// when a dependency is older than its latest known security fix (see
// deps_test.go for the table and the advisories behind each row).
package deps
