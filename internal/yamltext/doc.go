// Package yamltext names the mistakes people make when they type YAML by
// hand in a Chinese office: a file saved as GBK or UTF-16, a full-width
// colon after a key, a full-width space or a tab in the indentation, a
// byte-order mark pasted into the middle of a file, the conflict markers
// of an unfinished merge. yaml.v3 reports most of them as "found
// character that cannot start any token" or "could not find expected ':'";
// the readers of case files, policies and the calendar file ask this
// package what the cause was, so that all three name it the same way.
//
// The messages are Chinese with the English after, the clerk's language
// first.
package yamltext
