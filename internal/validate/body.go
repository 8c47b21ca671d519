package validate

import (
	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/msg"
)

// bodyTooComplex reports a body over the limits of cases.CheckBody, at
// its first offending line: the site shows such a body as plain text, and
// its sections are looked for in the rest of it.
func bodyTooComplex(c *cases.Case) []Finding {
	lim := cases.CheckBody(c.Body)
	if lim == nil {
		return nil
	}
	f := Finding{Severity: severityOf("body.too_complex"), Code: "body.too_complex", Case: c.ID, File: c.File, Line: c.BodyLine + lim.Line}
	f.Say("limit", msg.Args{"what": lim.Msg})
	return []Finding{f}
}
