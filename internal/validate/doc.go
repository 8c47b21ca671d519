// Package validate judges a loaded office against its policies and its git
// history and reports findings with stable codes. It formats them as text,
// JSON, GitHub workflow commands or JUnit XML. It never writes files.
package validate
