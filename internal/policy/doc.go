// Package policy loads and type-checks an office's procedure: its states,
// transitions, vocabularies, fields, clocks, escalations and rules.
//
// Loading is strict because a policy is law for every case in the
// repository: an unknown key, a duplicate key, a state that does not exist
// or a condition that does not type-check is reported with file:line and a
// fix, all problems at once, and the policy is not used.
//
// Conditions (a field's required_when, a transition's when, a deadline's
// when, an escalation's when, a rule's when and require) are expressions in
// the language of github.com/expr-lang/expr, compiled and type-checked once
// at load against the policy's declared fields (see Policy.Env).
package policy
