package repo

import "testing"

// SetFailpoint makes f run after each step of every commit until the test ends.
func SetFailpoint(t testing.TB, f func(step string) error) {
	failpoint = f
	t.Cleanup(func() { failpoint = nil })
}

// FailpointEnv is the test-only variable that kills the process at a step.
const FailpointEnv = failpointEnv
