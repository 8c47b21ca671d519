// Package repo writes casebook's commits with go-git plumbing: blobs, the trees on the
// paths of the changed files, a commit and a compare-and-swap update of the branch, then
// the work-tree files and the index entries of exactly those files. It never scans or
// hashes the work tree, so a commit costs the same in a repository of ten cases or of
// 100,000.
//
// # Concurrency
//
// A casebook run holds .git/casebook/lock (created with O_EXCL; it names the pid, the host
// and the start time) for the whole commit; other runs poll with backoff until the
// request's timeout and then fail with ErrLocked, naming the holder. A lock whose pid is
// dead on this host is taken over automatically (through .git/casebook/lock.break, so only
// one waiter does it); a lock from another host, or one whose pid was reused, must be
// deleted by hand, and the message says so.
//
// Plain git is a second writer. Commit follows git's own protocols: it takes
// .git/index.lock, as `git add` and `git commit` do, while it writes the work-tree files,
// prepares the index and updates the branch, and it updates the branch through
// <ref>.lock with a compare-and-swap. When the branch moved since Prepare looked at it,
// Commit undoes its work-tree writes and runs Prepare again on the new HEAD.
//
// # Crashes
//
// The steps are: objects, work-tree files, the new index written into .git/index.lock,
// the branch (the commit point), the index renamed into place. A process killed at any
// point leaves a repository that git fsck accepts, with HEAD at the old or the new commit;
// nothing the clerk wrote is lost, because the work-tree files hold the new content (which
// includes the clerk's own edits) from the second step on. Killed before the branch moved,
// the new content is an unstaged change; killed after, the commit is complete but the index
// is still the old one. Either way .git/index.lock is left behind, as git leaves it when
// killed; the lock file records it (pid, inode, commit), and the next casebook run that
// takes over the dead run's lock finishes the job: it renames index.lock into place when
// the branch points at the recorded commit, and deletes it otherwise. Before that, plain
// git refuses to touch the index ("index.lock exists"); deleting the file by hand and
// running `git reset -q` gives the same result.
//
// A commit that deletes a file (a case given another id: the old file deleted, the new one
// added) deletes it only when its work-tree copy and its index entry are HEAD's, so a
// deletion never takes uncommitted work with it, and it writes the new files before it
// deletes the old ones: killed in between, both are in the work tree; killed before the
// branch moved, `git checkout -- OLD` and deleting the new file undo it.
//
// Work-tree files, the index and loose objects (go-git writes them to a temporary file and
// renames it) are each replaced atomically; nothing is fsynced, as in git's default
// configuration: the guarantees hold against killed processes, not against power loss.
//
// # Linked work trees
//
// In a work tree made by `git worktree add`, Commit writes where git does (package
// gitdir): objects, the branch (its loose file, or its line in packed-refs read for the
// compare-and-swap), the branch's reflog and .git/casebook/lock in the common directory;
// HEAD, the index, index.lock and the HEAD reflog in the work tree's own git directory,
// .git/worktrees/NAME. The repository lock being shared, two work trees never commit at
// once; the lock records which work tree's index.lock its holder owns, so that a run in
// any work tree finishes or undoes the commit of a run killed in another. The repository
// must be opened with its common directory (gitdir.Open); Commit refuses one that was not.
//
// # Fault injection (tests only)
//
// The environment variable CASEBOOK_TEST_FAILPOINT=<step>, with step one of "locked",
// "objects", "files", "index", "ref", "done", makes the process exit at once with status
// 137, as if killed, right after that step. It exists for crash tests (this package's and
// the command-line scripts'); it must never be set in real use.
//
// # Limits
//
// Commit refuses a detached HEAD, an index with unresolved conflicts, and an index with
// mandatory extensions go-git cannot rewrite (split index, sparse index). It drops the
// index's optional extensions (the cache tree, the untracked cache), which git rebuilds.
// Line endings are converted as git converts them (LineEndings): the blob gets what `git add`
// would store (CRLF made LF in text files, by the attributes text, eol and crlf, and
// core.autocrlf), the work tree what `git checkout` would write (CRLF with core.autocrlf=true
// or eol=crlf), and the index the stat of the file written; a file whose committed version
// has CRLF is renormalised, as `git add --renormalize` does. Clean/smudge filters, ident and
// working-tree-encoding do not apply: such files are written byte for byte.
// GIT_INDEX_FILE is not supported.
package repo
