// Package remote moves commits between an office clone and its shared remote with go-git:
// it fetches one branch, and pushes a commit onto it with a compare-and-swap, so that a
// remote that moved meanwhile is never overwritten.
//
// A remote on a path (a bare repository on this machine or on a shared drive, `file://`
// URLs) is read and written directly through go-git's storage, the way git's own local
// transport copies objects: the objects the other side lacks are found by walking the
// commits it lacks and the trees that changed in each, so a sync costs what changed, not
// the size of the history. The branch of such a remote is updated under <ref>.lock, as git
// does; its hooks do not run. Remotes over SSH and HTTP(S) go through go-git's transports;
// the pack pushed to them holds the objects computed the same way.
//
// Authentication: see Auth.
package remote
