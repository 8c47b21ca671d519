// Package policies carries the default policies in the binary, so a fresh
// office repository works before it holds a policies/ folder of its own.
// Files in an office's policies/ folder override these file by file; see
// policy.LoadSet.
package policies

import "embed"

// FS holds the default policies, one YAML file per policy, named
// <policy id>.yaml.
//
//go:embed *.yaml
var FS embed.FS
