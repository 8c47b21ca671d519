package cli

import (
	"os"
	"testing"
)

// TestMain runs the package's tests in an English environment: they were
// written against the English words. Chinese, the default, is checked by
// the testscripts about the clerk's language and by TestLang_Default.
func TestMain(m *testing.M) {
	os.Setenv("LANG", "en_US.UTF-8")
	os.Unsetenv("LC_ALL")
	os.Unsetenv("LC_MESSAGES")
	os.Exit(m.Run())
}
