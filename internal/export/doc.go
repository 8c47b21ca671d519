// Package export writes the office's machine-readable files: an Atom feed
// of transitions (feed.xml), the running deadlines as an iCalendar file
// (deadlines.ics) and every case as a spreadsheet (cases.csv). The site
// calls these beside its HTML pages; each function is deterministic for
// the same records and Options, so a rebuild gives identical bytes.
package export
