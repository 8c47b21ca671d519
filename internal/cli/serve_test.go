package cli

import (
	"bytes"
	"strings"
	"testing"
)

func TestServe_RefusesNonLoopbackWithoutPublic(t *testing.T) {
	var out, errOut bytes.Buffer
	code := Run([]string{"serve", "-C", t.TempDir(), "--addr", "0.0.0.0:0"}, strings.NewReader(""), &out, &errOut)
	if code != ExitUsage {
		t.Fatalf("exit %d, want %d; stderr: %s", code, ExitUsage, errOut.String())
	}
	if !strings.Contains(errOut.String(), "not loopback") || !strings.Contains(errOut.String(), "--public") {
		t.Errorf("stderr does not say why and how to override: %s", errOut.String())
	}
	if out.Len() != 0 {
		t.Errorf("stdout = %q, want nothing served", out.String())
	}
}
