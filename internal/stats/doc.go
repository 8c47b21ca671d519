// Package stats owns stats.json, the summary every build writes beside the
// dashboard: counts by procedure, state, category, channel and month
// received, on-time rates of cases and overdue counts, with no personal
// data and no case ids. It computes the file from judged records (Of),
// writes it (File.Marshal) and is its one reader (Parse, Open), for
// `casebook aggregate`. It also owns the rule by which a public build
// withholds small counts (Suppress, MinCell), which the public pages and
// a public stats.json (counts as Num: null when withheld) both follow.
// The format is documented in docs/stats-json.md.
package stats
