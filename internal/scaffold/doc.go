// Package scaffold holds the files `casebook init` writes into a new office
// repository: the folders, the office's own copy of its policy, a short
// Chinese README for the clerks, and CI files for GitHub and GitLab that
// validate every push and publish the dashboard.
package scaffold
