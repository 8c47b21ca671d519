// Package history derives the audit trail of every case from git.
//
// A transition is a commit that changes the status of a case file; the
// commit's author is the actor and its author date the moment, which git
// keeps through rebase and cherry-pick. The committer date, when the commit
// entered this history, orders the chain of dates (History.Backdated) and
// shows late entries (History.LateEntries). Read walks
// every commit reachable from HEAD exactly once, diffs trees by hash below
// the cases prefix only where subtrees differ, and decodes the front-matter
// of each changed file (Decode): a line scanner reads front-matter it can
// prove simple, the full parse of package cases everything else, so the
// id and status of a past version are what package cases reads. No version
// is inflated beyond the case-file limit.
//
// Speed matters because validate runs in CI on every push: objects are read
// straight from memory-mapped packfiles by several goroutines, and an
// optional cache keyed by content hashes (commit → changed files, blob →
// snapshot) lets a later Read walk only the commits it has not seen.
package history
