package remote

import (
	"fmt"
	"strings"
)

// CheckBranchName checks a branch name by the rules of git check-ref-format --branch. It
// returns "" for a name git accepts, else the rule the name breaks.
func CheckBranchName(b string) string {
	switch {
	case b == "":
		return "a branch name cannot be empty"
	case b == "@":
		return "a branch name cannot be the single character @"
	case b == "HEAD":
		return "a branch cannot be named HEAD"
	case strings.HasPrefix(b, "-"):
		return "a branch name cannot begin with -"
	case strings.HasPrefix(b, "/") || strings.HasSuffix(b, "/"):
		return "a branch name cannot begin or end with /"
	case strings.Contains(b, "//"):
		return "a branch name cannot contain //"
	case strings.HasSuffix(b, "."):
		return "a branch name cannot end with ."
	case strings.Contains(b, ".."):
		return "a branch name cannot contain .."
	case strings.Contains(b, "@{"):
		return "a branch name cannot contain @{"
	}
	for _, r := range b {
		if r < 0x20 || r == 0x7f {
			return "a branch name cannot contain control characters"
		}
		if strings.ContainsRune(" ~^:?*[\\", r) {
			return fmt.Sprintf("a branch name cannot contain %q (none of space ~ ^ : ? * [ \\)", r)
		}
	}
	for _, part := range strings.Split(b, "/") {
		if strings.HasPrefix(part, ".") {
			return "no part of a branch name between slashes can begin with ."
		}
		if strings.HasSuffix(part, ".lock") {
			return "no part of a branch name between slashes can end with .lock"
		}
	}
	return ""
}

// fixBranchName is a name git accepts close to b, for a fix to suggest; "" when there is
// none.
func fixBranchName(b string) string {
	var sb strings.Builder
	for _, r := range b {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(" ~^:?*[\\", r) {
			r = '-'
		}
		sb.WriteRune(r)
	}
	s := strings.ReplaceAll(sb.String(), "@{", "@-")
	for strings.Contains(s, "..") || strings.Contains(s, "//") {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "..", "."), "//", "/")
	}
	parts := strings.Split(strings.Trim(s, "/"), "/")
	kept := parts[:0]
	for _, p := range parts {
		p = strings.TrimLeft(strings.TrimSuffix(p, ".lock"), ".")
		if p != "" {
			kept = append(kept, p)
		}
	}
	s = strings.TrimRight(strings.TrimLeft(strings.Join(kept, "/"), "-"), ".")
	if CheckBranchName(s) != "" {
		return ""
	}
	return s
}
