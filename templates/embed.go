// Package templates carries the site's default templates and assets in
// the binary. An office's own templates/ folder overrides them file by
// file; see internal/site for the data each page receives.
package templates

import "embed"

// FS holds the default templates (*.html), the style sheet and the case
// list's filter script.
//
//go:embed *.html *.css *.js
var FS embed.FS
