// Package stats owns stats.json, the summary every build writes beside the
// dashboard: counts by procedure, state, category, channel and month
// received, on-time rates of cases and overdue counts, with no personal
// data and no case ids. It computes the file from judged records (Of),
// writes it (File.Marshal) and is its one reader (Parse, Open), for
// `casebook aggregate`. The format is documented in docs/stats-json.md.
package stats
