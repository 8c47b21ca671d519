package site

import (
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/seal"
)

// RevealPII prepares an office's cases for a build: every sealed
// personal-data value is replaced by its plaintext where ids open it, and
// by "已隐藏" ("withheld" for lang en) otherwise, so the pages, forms and
// cases.csv never show ciphertext. Without ids every sealed value is
// withheld; the build does not fail. It returns one error per value that
// ids should have opened but could not (sealed for another case or field,
// damaged, or sealed without the identity's key), sorted, for the caller to
// report. Call it once, after office.Load and before Build: it changes the
// office's cases in memory, never the files.
func RevealPII(o *office.Office, ids []seal.Identity, lang string) []error {
	var errs []error
	for _, c := range o.Cases {
		if len(seal.Sealed(c.Fields)) == 0 {
			continue
		}
		fields, es := seal.Reveal(c.Fields, c.ID, ids, seal.Withheld(lang))
		c.Fields = fields
		errs = append(errs, es...)
	}
	return errs
}
