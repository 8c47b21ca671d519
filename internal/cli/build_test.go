package cli

import (
	"bytes"
	"strings"
	"testing"
)

func TestProgressBar(t *testing.T) {
	var out bytes.Buffer
	b := &progressBar{w: &out, label: "building site"}
	for done := 1; done <= 400; done++ {
		b.set(done, 400)
	}
	b.done()
	s := out.String()
	// Redrawn once per percent, not per page, and cleared at the end.
	if n := strings.Count(s, "\r"); n != 102 {
		t.Errorf("%d redraws for 400 pages, want 101 (0%% to 100%%) and the clearing one", n)
	}
	if !strings.Contains(s, "building site [##############################] 100% 400/400") {
		t.Errorf("no full bar in %q", s[max(0, len(s)-120):])
	}
	if !strings.HasSuffix(s, "\r\033[K") {
		t.Error("the bar's line is not cleared at the end")
	}
	var none *progressBar
	none.done() // a build off a terminal has no bar; done must not fail
}
