// Package policies carries the default policies in the binary, so a fresh
// office repository works before it holds a policies/ folder of its own.
// Files in an office's policies/ folder override these file by file; see
// policy.LoadSet.
package policies

import "embed"

// FS holds the default policies, one YAML file per policy, named
// <policy id>.yaml. They are named one by one: this folder is also the
// sample office's policies/, whose acknowledged.yaml is that office's
// record, not a default for others.
//
//go:embed bank.yaml bankins.yaml food.yaml hotline.yaml internet.yaml market.yaml tendering.yaml xinfang.yaml
var FS embed.FS
