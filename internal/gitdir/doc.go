// Package gitdir says where a repository's files are, so that casebook reads and writes
// them where git does, also from a linked work tree (`git worktree add`).
//
// A linked work tree's .git is a file naming its own git directory,
// .git/worktrees/NAME in the main repository. That directory holds what belongs to the
// work tree alone: HEAD, the index, the HEAD reflog, the per-work-tree refs. Everything
// else, the objects, the branches (loose and packed), their reflogs, the config and the
// shallow boundary, is in the common directory that its `commondir` file names
// (gitrepository-layout(5)). Outside a linked work tree both are the same .git.
//
// Open is the one way casebook opens a repository: go-git with DetectDotGit and
// EnableDotGitCommonDir, without which go-git reads and writes objects and refs inside
// .git/worktrees/NAME, where git never looks.
package gitdir
