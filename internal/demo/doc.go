// Package demo builds a demonstration office: a new git repository with months of
// realistic history for the five procedures of the seed text. Every case is registered
// and moved by the same clerk operations the command line uses (package clerk: policy
// checks, id allocation, front-matter editing), with a clock that moves forward through
// the months, and the commits are written in bulk (repo.Batch). The same seed gives the
// same commits, so a demo repository is also the benchmarks' fixture.
package demo
