package validate

import (
	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/office"
)

// CheckCase runs the checks of one case that need nothing but the case,
// its policy and its own history: fields, requirements, transitions,
// clocks, rules and recusal. The write commands run it on the file they
// are about to commit; Run adds the repository-wide checks (duplicates,
// deletions, backdating, acknowledgements).
func CheckCase(r *office.Record, opts Options) []Finding {
	if r.Policy == nil {
		return nil
	}
	p := r.Policy
	fs := fieldErrors(r.Case)
	fs = append(fs, checkCoreFields(r.Case, p, opts.Now)...)
	fs = append(fs, checkFields(r, p)...)
	fs = append(fs, checkRequirements(r, p)...)
	fs = append(fs, checkTransitions(r, p)...)
	fs = append(fs, checkClocks(r, opts.Now)...)
	fs = append(fs, recordedTimes(r, opts.Now)...)
	fs = append(fs, checkRules(r, p)...)
	fs = append(fs, checkRecusal(r, p)...)
	return fs
}

// fieldErrors reports core fields of the wrong type found while parsing.
func fieldErrors(c *cases.Case) []Finding {
	var fs []Finding
	for _, fe := range c.FieldErrors {
		f := Finding{Severity: severityOf("field.invalid"), Code: "field.invalid", Case: c.ID, File: c.File, Line: fe.Line, Field: fe.Path}
		f.SetText(fe.Msg, fe.Fix)
		fs = append(fs, f)
	}
	return fs
}
