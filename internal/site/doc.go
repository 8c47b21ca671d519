// Package site renders the office as a static HTML site for managers: the
// dashboard, the case list and one page per case. It reads only domain
// values from package office, renders with html/template from the embedded
// templates (which an office's own templates/ folder overrides file by
// file), and is deterministic: the same repository and moment give the
// same bytes.
package site
