// Package cases reads case files: Markdown files with a YAML front-matter
// under cases/ in an office repository.
//
// Parsing is strict on purpose. A case file is a legal record, so anything
// that could be read two ways (duplicate keys, anchors and aliases, TOML or
// JSON front-matter, tags) is a *ParseError with file:line and a fix, never
// a silent default. Problems of a single field's type (a title that is a
// number, a received_at that is not a time) are not parse errors: the file
// is still a case, and they are listed in Case.FieldErrors for the
// validator to report beside the policy's own checks.
//
// The package knows nothing of policies: whether a field is declared,
// required or allowed is decided by the validator.
package cases
