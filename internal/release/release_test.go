package release

import (
	"regexp"
	"testing"
)

func TestModule(t *testing.T) {
	// A test binary records no module version: Version, with its v.
	old := Version
	t.Cleanup(func() { Version = old })
	for _, tt := range []struct{ set, want string }{
		{"1.2.0", "v1.2.0"},
		{"v1.2.0", "v1.2.0"},
		{"0.1.0-dev", "v0.1.0-dev"},
	} {
		Version = tt.set
		if got := Module(); got != tt.want {
			t.Errorf("Version %q: Module() = %q, want %q", tt.set, got, tt.want)
		}
	}
}

func TestIsDev(t *testing.T) {
	for v, want := range map[string]bool{"v0.1.0-dev": true, "v1.2.0": false, "v0.0.0-20260101000000-0123456789ab": false} {
		if IsDev(v) != want {
			t.Errorf("IsDev(%q) = %v", v, !want)
		}
	}
}

func TestGo(t *testing.T) {
	if g := Go(); !regexp.MustCompile(`^[0-9]+\.[0-9]+$`).MatchString(g) {
		t.Errorf("Go() = %q", g)
	}
}
