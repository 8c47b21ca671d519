// Package calendar knows which days are working days in the People's
// Republic of China and counts deadline periods over them.
//
// Working days come from the State Council's annual holiday notices as
// recorded by github.com/6tail/lunar-go (HolidayUtil): a statutory holiday
// is a rest day even on a weekday, and a make-up working day (调休上班) is a
// working day even on a Saturday or Sunday. Every other Monday to Friday is
// a working day and every other Saturday and Sunday a rest day. An office
// may override single dates (a local holiday, an extra working day); an
// override wins over the national calendar.
//
// The office's calendar file (File, policies/calendar.yaml) adds years of
// the State Council's schedule that lunar-go does not have yet, each with
// its source, and the office's own days. Precedence for a day, highest
// first: the policy's overrides, the file's office days, the file's year,
// lunar-go; Day.Source says which decided. ImportICS reads years from a
// holiday feed, MergeFileYears writes them into the file.
//
// lunar-go only knows the years for which a notice has been published.
// HasData reports whether a year is covered (by lunar-go or the file); for
// a year that is not, the
// calendar falls back to plain weekdays and every computation that touched
// it says so (End returns the years), so that callers can warn instead of
// silently guessing.
//
// Periods are counted as the Civil Code (第二百零一条、第二百零三条) says:
//
//   - the day of the starting event is not counted;
//   - N working days end at the end of the N-th working day after it;
//   - N calendar days or N months end at the end of the last day, and when
//     that day is a rest day, at the end of the next working day; a month
//     period ends on the same day of the month N months later, or on the
//     last day of that month when it is shorter (Jan 31 + 1 month = Feb 28);
//   - "the end of a day" is 23:59:59 in the calendar's time zone, or the
//     closing time (the end of the day's last opening period) when business
//     hours are set, so that work done at or before the due time is on time;
//   - 0 working_days or 0 calendar_days is the same day (当天): it ends at
//     the end of the start's day, with no move off a rest day for calendar
//     days; 0 working_days started on a rest day ends with the next working
//     day. With business hours, a start at or after the day's closing, or
//     on a rest day, belongs to the next working day's business;
//   - hours and minutes run on the wall clock, or, with business hours,
//     only during opening hours on working days.
//
// Business hours (OpeningHours) are one or more periods a day, with a lunch
// break between them, and may differ by weekday; they apply on working days
// only (a make-up Saturday keeps the Saturday hours, a rest day is closed).
// WithHours derives a calendar with other hours, or none, on the same days,
// for a clock that keeps its own hours.
//
// Everything here is a pure function of its arguments: nothing reads the
// wall clock.
package calendar
