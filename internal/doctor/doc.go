// Package doctor checks the health of an office repository and repairs
// what is safe to repair: what casebook itself derives or holds, never what
// git records.
//
// It checks, in order:
//
//   - the repository lock (.git/casebook/lock): a lock whose holder is dead
//     on this host, or older than a threshold (a reused pid, another host of
//     a shared file system), is stale. Repair takes it over as a waiting
//     write command would (package repo), which also finishes or undoes
//     the dead run's .git/index.lock, then releases it. A stray
//     .git/index.lock that no casebook run recorded is reported, never
//     removed: a git command may be running.
//   - git objects, through go-git: every loose object must inflate and hash
//     to its name, every pack and index must match its trailing checksum,
//     every ref must lead to a commit, every commit reachable from the refs
//     to its parents and tree, and HEAD's tree to all its trees and blobs.
//     Damage is reported with what to run (git fsck) and is never repaired:
//     objects and refs are the record.
//   - the caches under .git/casebook (.git/worktrees/NAME/casebook in a
//     linked work tree, whose lock and objects are the common directory's):
//     each file must check out as its
//     reader would check it, and the history cache must give the same
//     history as a read without it. They are derived data, so repair
//     deletes a bad one (the next command rebuilds it), and also the
//     temporary files a killed run left.
//
// Run returns findings and what was done; it never prints.
package doctor
