// Package deadline computes the clocks of a case: which of the policy's
// deadline rules apply, when each started, its due time, whether it was met
// or missed, and, for a clock still running, its state at a given moment.
//
// It takes the case's status changes as plain Events, so that it does not
// depend on how they were obtained (git history, a test, a working tree).
//
// # Which rules apply
//
// Rules that share an ID are alternatives (general vs complex replies): the
// first, in policy order, whose When holds for the case applies; an empty
// When always holds. Clocks are returned in the order of the rules' first
// appearance in the policy.
//
// # Start and stop
//
// A clock starts at received_at (start.received), on the first entry into
// a state (start.state), or at the datetime in a field (start.field: RFC
// 3339, or a bare local time or date read in the calendar's time zone). A
// clock that has not started is not returned.
//
// It ends at the earliest of: the first entry into one of its Stop or Lapse
// states after the start, the datetime in its StopField, and the first entry
// into a terminal state after the start. A clock that starts on entering a
// terminal state (a reply due after closing) is ended only by Stop and
// StopField. "After the start" means after the starting event for a state
// clock, every event for a received_at clock, and events at or after the
// start for a field clock. Ended at or before DueAt is met, later is missed.
// A running clock is overdue once Now is after DueAt, at_risk once Now is
// after WarnAt, and pending otherwise.
//
// A clock ended by a Lapse state at or before its due time is moot and not
// returned. One ended by any other state that is not a Stop state (a
// terminal state before the StopField was recorded) is Missed with NotDone
// set, whether in time or not: its duty was never done (duty.go).
//
// # Duties
//
// A rule with Report is a reporting duty, one clock per report: the first
// is due Duration after the start, and with Report.Every each next one is
// due Every after the report that fulfilled the one before. A report (a
// time in Report.Field, at or after the clock's start and at or before Now)
// ends its clock; reaching a Stop or terminal state first makes it moot in
// time and missed and not done after the due time. Clock.Report numbers
// the reports.
//
// A rule with OnReopen "restart" runs once per cycle: the events are split
// at each reopening (a move from a terminal into an open state), a
// received_at clock restarts at the reopening, a state clock at the next
// entry into its state, a field clock only from a time at or after the
// reopening; StopField times before the cycle are ignored, and extensions
// apply to the cycle their approved_at falls in (the first without one).
// Clock.Cycle numbers the cycles from 0.
//
// Only events at or before Now count, so a past --now judges the past. When
// a case has no events at all (it was never committed), it is taken to have
// entered its current Status at ReceivedAt; when its Status differs from the
// last event's (an uncommitted change), it is taken to have entered it at Now.
//
// # Due time
//
// The due time is computed in this order:
//
//  1. the rule's Duration is counted from the start (package calendar);
//
//  2. approved extensions for the rule apply in the order of the case's
//     list: `until` sets the due time to the end of that date (of the next
//     working day when it is a rest day), `by` adds a period to the current
//     due time. An extension is refused (reported as a Problem, not
//     applied) when it has no approved_by, when the rule has no `extension:`
//     in the policy, when it would not move the due time later, or when the
//     new due time is after the end of the rule's extension.max counted from
//     the start;
//
//  3. pauses: time the case spent in one of the rule's PauseIn states, after
//     the start and before the clock ended (or Now), moves the due time,
//     pause by pause in order, as long as the pause began before the end
//     reached so far (a clock that has expired cannot be paused). The clock
//     resumes with exactly what was left when the pause began:
//
//     Hours and minutes: the time left from the pause's start to the due
//     time (wall clock, or opening hours with business hours) runs again
//     from the pause's end. A 1-hour clock paused 10:10–10:30 is due 20
//     minutes later.
//
//     Working days with business hours: likewise, in opening time
//     (business-time precision). Paused at 09:00 on the due day with
//     08:30–17:30 hours, 8.5 open hours are left; resumed at 09:00 on the
//     next working day it is due at 17:30 that day, resumed at 14:00 at
//     13:30 the working day after. The day of the start is not the
//     clock's: a pause inside it moves nothing, and one from it until
//     10:00 the next working day costs the 1.5 open hours of that morning.
//
//     Working days without business hours count in days, as the Civil Code
//     counts them (第二百零一条: days, not hours). The working days left
//     are counted with the day the pause began, and run again counted with
//     the day it ends: the part of a day left when the pause began is that
//     day's share, given back as the day the pause ends. Paused at 09:00 on
//     the due day until the next working day, the due day's 15 hours are
//     the resume day: due at its end, not a day earlier (the share lost)
//     or later (the resume day lost as well). A pause that begins and ends
//     on the same day moves nothing: the day is still one of the clock's
//     days. A pause that begins before the clock's first day, on the day
//     it started (which is not counted) or on a rest day after it (received
//     Saturday, paused Sunday), hands that role to the day it ends, which
//     is not counted either: the working days left are counted after it.
//     A pause that begins on a rest day later on has no share to give
//     back, and the day it ends is counted as usual.
//
//     Calendar days and months: the nominal last day (the N-th day or month
//     after the start, or an extension's until, before any move off a rest
//     day) moves by the days from the pause's first day to its last, and
//     only then is moved off a rest day. Eight whole days paused across
//     Spring Festival 2027 on a 30-day clock whose day 30 is Feb 5 make
//     the last day Sat Feb 13, a rest day: due on the make-up Sunday Feb 14
//     (adding the eight days to the moved due date would give Feb 22).
//
//     A same-day clock (0 days) paused is due the day the pause ends.
//
//     While the case is in a pause state at Now, the clock is paused: its
//     PausedSince is set, its state is pending (never at_risk or overdue),
//     and DueAt is where it ends if it resumes at Now.
//
// An extension's `until` is a date on the clock's own time: pauses after it
// still move it, as they would move the original due time.
//
// # Ends are exclusive
//
// DueAt is the last second on time: 23:59:59 of the last day, the closing
// time with business hours, or the exact moment for hour clocks. The end is
// the instant after that second, so work done at 23:59:59.5 on the due day
// is on time and work at 24:00 is late; a running clock is overdue from the
// end on (Clock.Late).
//
// # Business hours per clock
//
// A rule's Hours chooses the calendar it counts on: empty, the policy's
// business_hours (or none); "none", the wall clock with days ending at
// 24:00; a name, the policy's hours of that name (several periods a day, per
// weekday), on the same working days.
//
// # Warning
//
// WarnAt is the earlier of the two warnings a rule may set. warn_before P:
// from the moment only P remains (calendar.Back of the due time). warn_after
// P: once P has elapsed; when P is in the rule's own unit of working days,
// hours or minutes, this is expressed as "the rest of the period remains"
// (Back of the due time by Duration minus P), so that pauses and extensions
// move the warning with the due time; otherwise it is P counted from the
// start, moved by the same pauses as a clock of P would be (a warning in
// hours by the hours paused, one in calendar days by the days).
//
// DaysLeft counts working days from Now (or EndedAt, for an ended clock) to
// DueAt, negative when late (calendar.WorkingDaysBetween).
package deadline
