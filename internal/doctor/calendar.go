package doctor

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/policy"
)

// checkCalendar says what of the office's calendar file a person still
// has to do: a year that replaces lunar-go's on days they disagree on, a
// year nobody checked against its notice counts like a
// checked one (it is data, so validate does not warn), and a copy on disk
// that differs from HEAD counts although the audit trail does not show
// it. A file with problems is left to validate (policy.invalid).
func (c *checker) checkCalendar() {
	const rel = "policies/" + policy.CalendarFile
	full := filepath.Join(c.root, filepath.FromSlash(rel))
	f, errs := policy.LoadCalendarFile(full, rel)
	if f == nil || len(errs) > 0 {
		return
	}
	for _, y := range f.YearList() {
		if known, days := f.LibraryDiffers(y); known && len(days) > 0 {
			c.rep.add(Finding{Code: "calendar.overrides", Path: rel,
				Message: fmt.Sprintf("%d is also in %s, and the file's days are counted: they differ on %d days, first %s", y, calendar.Library(), len(days), days[0]),
				Fix:     "check the year against its notice (casebook calendar --from " + days[0].String() + " --to " + days[len(days)-1].String() + "); remove the year from the file if the library has it right"})
		}
		if s := f.Years[y].Source; !s.Checked {
			c.rep.add(Finding{Code: "calendar.unchecked", Path: rel,
				Message: fmt.Sprintf("%d is not checked against its notice (%s); its days are counted as listed", y, s),
				Fix:     "compare every day with the State Council's notice, then set checked: true and checked_by: in the year's source, and commit it"})
		}
	}
	data, err := os.ReadFile(full)
	if err != nil {
		return
	}
	v, err := history.VersionOf(c.repo, rel, data)
	switch {
	case err != nil:
	case v.Commit == "":
		c.rep.add(Finding{Code: "calendar.uncommitted", Path: rel, Message: "the calendar file is not committed; its days are counted, but history does not show them",
			Fix: "git add " + rel + " and commit it"})
	case !v.Committed:
		c.rep.add(Finding{Code: "calendar.uncommitted", Path: rel,
			Message: fmt.Sprintf("the calendar file differs from its last %s; the changed days are counted, but history does not show the change", v),
			Fix:     "review the change (git diff " + rel + ") and commit it"})
	}
}
