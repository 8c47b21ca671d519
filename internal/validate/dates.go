package validate

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
)

// backdated checks the dates of the record. The chain of committer dates
// runs over every commit reachable from HEAD, also those that touch no
// case: a commit more than skew earlier than its parent is
// history.backdated, attributed to a case when it changed one. Each case's
// versions, deleted ones included, must not be dated (author or committer
// date) before the case was received or registered, nor later than now,
// and no author date may come after its committer date.
// (A commit that touches no case may be later than now: judging the office
// as of a past day is what --now is for. A transition after it is then
// earlier than its parent, so the chain still shows it.)
func backdated(o *office.Office, now time.Time, held []time.Time) []Finding {
	byID := map[string]*cases.Case{}
	byFile := map[string]*cases.Case{}
	received := map[*cases.Case]time.Time{}
	for i, c := range o.Cases {
		byID[c.ID] = c
		byFile[c.File] = c
		received[c] = c.ReceivedAt
		if i < len(held) && !held[i].IsZero() {
			received[c] = held[i]
		}
	}
	// Where a commit of the chain changed a case, the finding goes there.
	type place struct {
		id, file string
		c        *cases.Case
	}
	chain, broken := map[string]bool{}, map[string]bool{}
	for _, d := range o.History.Backdated {
		chain[d.Commit], broken[d.Commit] = true, true
	}
	late := lateWindows{def: policy.DefaultLateEntry, of: map[string]time.Duration{}, loc: zoneOf(o, nil)}
	if p, ok := o.Policies.Only(); ok {
		late.def = p.LateEntryWindow
	}
	for _, l := range o.History.LateEntries {
		chain[l.Commit] = true
		late.of[l.Commit] = 0
		for _, b := range l.Brought {
			late.of[b.Commit] = 0
		}
	}
	placed := map[string]place{}
	future := map[string]bool{}
	var fs []Finding
	for _, id := range o.History.Order {
		h := o.History.Cases[id]
		var registered *history.Version
		for i := range h.Versions {
			v := &h.Versions[i]
			// A file's versions are judged against that file's record
			// (two files may share an id); a moved file against its id's.
			c := byFile[v.Path]
			if c == nil || c.ID != id {
				c = byID[id]
			}
			if chain[v.Commit] {
				if _, ok := placed[v.Commit]; !ok {
					placed[v.Commit] = place{id: id, file: v.Path, c: c}
				}
			}
			if _, ok := late.of[v.Commit]; ok {
				late.touch(o, v.Commit, c)
			}
			f := Finding{Severity: severityOf("history.backdated"), Code: "history.backdated", Case: id, File: v.Path, Commit: v.Commit}
			if c != nil {
				f.File, f.Line = c.File, c.Line("status")
			}
			if registered == nil && !v.Deleted {
				registered = v
			}
			// variant names the finding; at is the date it is about (the
			// author's or the committer's), regAt the registration's.
			var variant string
			at, regAt := v.At, time.Time{}
			switch {
			case c != nil && !received[c].IsZero() && v.CommittedAt.Before(received[c].Add(-skew)):
				f.Line, variant, at = c.Line("received_at"), "committed_before_receipt", v.CommittedAt
			case c != nil && !received[c].IsZero() && v.At.Before(received[c].Add(-skew)):
				f.Line, variant = c.Line("received_at"), "authored_before_receipt"
			case registered != nil && registered != v && v.CommittedAt.Before(registered.CommittedAt.Add(-skew)):
				variant, at, regAt = "committed_before_registration", v.CommittedAt, registered.CommittedAt
			case registered != nil && registered != v && v.At.Before(registered.At.Add(-skew)):
				variant, regAt = "authored_before_registration", registered.At
			case v.At.After(v.CommittedAt.Add(skew)) && !broken[v.Commit]:
				// git never writes such a commit: the moment a change
				// claims cannot come after it entered the record. Set by
				// hand, it would stretch a pause or an extension. (A
				// committer date set back breaks the chain, reported
				// below.)
				variant = "authored_after_commit"
			case !now.IsZero() && (v.CommittedAt.After(now.Add(skew)) || v.At.After(now.Add(skew))):
				if future[v.Commit] {
					continue // one finding per commit is enough
				}
				future[v.Commit] = true
				variant = "authored_after_now"
				if v.CommittedAt.After(now.Add(skew)) {
					variant, at = "committed_after_now", v.CommittedAt
				}
			default:
				continue
			}
			loc := zoneOf(o, c)
			args := msg.Args{"commit": short(v.Commit), "at": msg.At(at, loc), "committed": msg.At(v.CommittedAt, loc),
				"now": msg.At(now, loc), "registered_at": msg.At(regAt, loc)}
			if c != nil {
				args["received"] = msg.At(received[c], loc)
				args["field"] = termOf(policyOf(o, c), "field", policy.FieldReceivedAt)
			}
			if registered != nil {
				args["registered"] = short(registered.Commit)
			}
			f.Say(variant, args)
			fs = append(fs, f)
		}
	}
	report := func(commit string, f Finding) {
		if p, ok := placed[commit]; ok {
			f.Case, f.File = p.id, p.file
			if p.c != nil {
				f.File, f.Line = p.c.File, p.c.Line("status")
			}
		}
		fs = append(fs, f)
	}
	for _, f := range late.findings(o.History.LateEntries) {
		report(f.Commit, f)
	}
	loc := zoneOf(o, nil)
	for _, d := range o.History.Backdated {
		f := Finding{Severity: severityOf("history.backdated"), Code: "history.backdated", Commit: d.Commit}
		f.Say("before_parent", msg.Args{"commit": short(d.Commit), "at": msg.At(d.At, loc), "parent_at": msg.At(d.ParentAt, loc)})
		report(d.Commit, f)
	}
	return fs
}

// policyOf is the policy of a case, or nil when it has none that loads.
func policyOf(o *office.Office, c *cases.Case) *policy.Policy {
	if c == nil {
		return nil
	}
	p, err := o.PolicyOf(c)
	if err != nil {
		return nil
	}
	return p
}

// zoneOf is the time zone a case's times are shown in: its policy's, or
// the only policy's for a case of no known policy and for no case (c nil);
// nil, each time's own zone, when neither is known.
func zoneOf(o *office.Office, c *cases.Case) *time.Location {
	if p := policyOf(o, c); p != nil {
		return p.Location
	}
	if p, ok := o.Policies.Only(); ok {
		return p.Location
	}
	return nil
}

// lateWindows holds the late-entry window of each commit that history
// found late by the shortest window of all policies: the longest window
// of the policies of the cases it touches, def (the only policy's, or
// policy.DefaultLateEntry) for a commit that touches none or a case of no
// known policy.
type lateWindows struct {
	def time.Duration
	of  map[string]time.Duration // zero until a touched case is seen
	loc *time.Location           // where times are shown (nil: their own zone)
}

func (l *lateWindows) touch(o *office.Office, commit string, c *cases.Case) {
	w := l.def
	if c != nil {
		if p, err := o.PolicyOf(c); err == nil {
			w = p.LateEntryWindow
		}
	}
	l.of[commit] = max(l.of[commit], w)
}

func (l *lateWindows) window(commit string) time.Duration {
	if w := l.of[commit]; w > 0 {
		return w
	}
	return l.def
}

// findings judges history's late entries against each commit's own
// window: history.late_entry for a commit entered more than its window
// after its author date, and for a merge that brought in commits authored
// more than their windows before it. A commit late on its own is not
// listed again by the merge that brought it in, and a commit is listed by
// the first merge only.
func (l *lateWindows) findings(entries []history.LateEntry) []Finding {
	own := map[string]bool{}
	for _, e := range entries {
		if !e.Merge && e.EnteredAt.Sub(e.At) > l.window(e.Commit) {
			own[e.Commit] = true
		}
	}
	brought := map[string]bool{}
	var fs []Finding
	for _, e := range entries {
		f := Finding{Severity: severityOf("history.late_entry"), Code: "history.late_entry", Commit: e.Commit}
		if !e.Merge {
			if !own[e.Commit] {
				continue
			}
			f.Say("late", msg.Args{"commit": short(e.Commit), "at": msg.At(e.At, l.loc), "committed": msg.At(e.EnteredAt, l.loc), "window": duration(l.window(e.Commit))})
			fs = append(fs, f)
			continue
		}
		var names msg.List
		n, shortest := 0, time.Duration(0)
		for _, b := range e.Brought {
			w := l.window(b.Commit)
			if own[b.Commit] || brought[b.Commit] || e.EnteredAt.Sub(b.At) <= w {
				continue
			}
			brought[b.Commit] = true
			if n == 0 || w < shortest {
				shortest = w
			}
			n++
			if n <= 5 {
				at := msg.At(b.At, l.loc)
				names = append(names, msg.T(short(b.Commit)+"（"+at.In(msg.Zh)+"）", short(b.Commit)+" ("+at.In(msg.En)+")"))
			}
		}
		if n == 0 {
			continue
		}
		if n > 5 {
			names = append(names, msg.T(fmt.Sprintf("另有 %d 个", n-5), fmt.Sprintf("and %d more", n-5)))
		}
		f.Say("merge", msg.Args{"commit": short(e.Commit), "at": msg.At(e.EnteredAt, l.loc), "n": n, "window": duration(shortest), "commits": names})
		fs = append(fs, f)
	}
	return fs
}

// unauthored reports transition commits that name no author: the actor of
// a transition is part of the record.
func unauthored(r *office.Record) []Finding {
	if r.History == nil {
		return nil
	}
	var fs []Finding
	for _, t := range r.History.Transitions {
		if strings.TrimSpace(t.Actor) != "" && strings.TrimSpace(t.Email) != "" {
			continue
		}
		what := msg.T("没有作者姓名", "no author name")
		switch {
		case strings.TrimSpace(t.Actor) == "" && strings.TrimSpace(t.Email) == "":
			what = msg.T("没有作者姓名和邮箱", "no author name and no e-mail")
		case strings.TrimSpace(t.Actor) != "":
			what = msg.T("没有作者邮箱", "no author e-mail")
		}
		f := finding(r, "commit.no_author", "status", "", "")
		f.Say("no_author", msg.Args{"commit": short(t.Commit), "from": fromTerm(r.Policy, t.From), "to": termOf(r.Policy, "state", t.To), "what": what})
		f.Commit = t.Commit
		fs = append(fs, f)
	}
	return fs
}

// fromTerm is the state a transition left as a message argument; a case
// that was created left none ("new", displayFrom).
func fromTerm(p *policy.Policy, from string) msg.Arg {
	if from == "" {
		return msg.T("新登记", "new")
	}
	return termOf(p, "state", from)
}

// duration is a late-entry window in words: "72 小时" / "72 hours",
// "90 分钟" / "90 minutes".
func duration(d time.Duration) msg.Text {
	n, unit, zh := int64(d/time.Minute), "minute", "分钟"
	if d%time.Hour == 0 {
		n, unit, zh = int64(d/time.Hour), "hour", "小时"
	}
	if n != 1 {
		unit += "s"
	}
	return msg.T(fmt.Sprintf("%d %s", n, zh), fmt.Sprintf("%d %s", n, unit))
}

// heldReceived is the received_at the record's clocks hold when the file's
// was changed without a correction (zero otherwise).
func heldReceived(r *office.Record) time.Time {
	if r.Policy == nil {
		return time.Time{}
	}
	var v any
	changed := false
	for _, fc := range r.Facts {
		if fc.Field != policy.FieldReceivedAt {
			continue
		}
		if v, changed = fc.Old, !fc.Corrected; fc.Corrected {
			v = fc.New
		}
	}
	if !changed {
		return time.Time{}
	}
	t, _ := r.Policy.ParseTime(v)
	return t
}

// recordedTimes checks the times that start, stop or fulfil a clock (a
// rule's start.field, stop_field and report.field): a clock counted from a
// recorded time must not move by a time the record could not have known.
// A time before received_at, or later than now, is field.invalid; the write
// commands run this check too (CheckCase), so a clerk cannot record one.
func recordedTimes(r *office.Record, now time.Time) []Finding {
	var fs []Finding
	eachRecordedTime(r, func(where string, t time.Time, early bool) {
		c := r.Case
		var variant string
		switch {
		case !early && !c.ReceivedAt.IsZero() && t.Before(c.ReceivedAt):
			variant = "time_before_receipt"
		case !now.IsZero() && t.After(now.Add(skew)):
			variant = "time_after_now"
		default:
			return
		}
		p := r.Policy
		f := finding(r, "field.invalid", where, "", "")
		f.Say(variant, msg.Args{"path": fieldTerm(p, where), "at": p.At(t), "received": p.At(c.ReceivedAt), "now": p.At(now),
			"received_field": p.Term("field", policy.FieldReceivedAt)})
		fs = append(fs, f)
	})
	return fs
}

// recordedTimesCommitted checks the recorded clock times against history:
// a time later than the author date of the commit that first records it is
// field.invalid. Past versions are read only when the time is later than
// the first commit that wrote the field, which an honest record never is.
// Times recordedTimes reports are left to it.
func recordedTimesCommitted(o *office.Office, r *office.Record, now time.Time) []Finding {
	var fs []Finding
	eachRecordedTime(r, func(where string, t time.Time, early bool) {
		c := r.Case
		if (!early && !c.ReceivedAt.IsZero() && t.Before(c.ReceivedAt)) || (!now.IsZero() && t.After(now.Add(skew))) {
			return
		}
		if v, ok := firstRecording(o, r, where, t); ok && t.After(v.At.Add(skew)) {
			p := r.Policy
			f := finding(r, "field.invalid", where, "", "")
			f.Say("time_after_commit", msg.Args{"path": fieldTerm(p, where), "at": p.At(t), "commit": short(v.Commit), "committed": p.At(v.At)})
			f.Commit = v.Commit
			fs = append(fs, f)
		}
	})
	return fs
}

// eachRecordedTime calls fn with each time in the case's clock time fields
// and where it is ("dispatch_approval.at", "progress_reports[1]"). early
// is true for the start of a clock that runs until the case is received
// (stop_field: received_at, a regulator forwarding it): that time comes
// before received_at by its nature.
func eachRecordedTime(r *office.Record, fn func(where string, t time.Time, early bool)) {
	p, c := r.Policy, r.Case
	if p == nil {
		return
	}
	var paths []string
	early := map[string]bool{}
	for _, d := range p.Deadlines {
		for _, f := range []string{d.Start.Field, d.StopField, d.ReportField()} {
			if f != "" && f != policy.FieldReceivedAt && !slices.Contains(paths, f) {
				paths = append(paths, f)
			}
		}
		if d.Start.Field != "" && d.StopField == policy.FieldReceivedAt {
			early[d.Start.Field] = true
		}
	}
	loc := policyLocation(p)
	for _, path := range paths {
		v, ok := c.Get(path)
		if !ok {
			continue
		}
		list, isList := v.([]any)
		if !isList {
			list = []any{v}
		}
		for i, item := range list {
			times, _ := deadline.RecordedTimes(map[string]any{"v": item}, "v", loc) // unreadable values are the clocks' problems
			where := path
			if isList {
				where = fmt.Sprintf("%s[%d]", path, i)
			}
			for _, t := range times {
				fn(where, t, early[path])
			}
		}
	}
}

func policyLocation(p *policy.Policy) *time.Location {
	if p.Location != nil {
		return p.Location
	}
	return time.Local
}

// firstRecording finds the version of the case that first holds time t at
// path; ok is false when none does (the value is not committed yet). A
// time no later than the first version that wrote the field needs no
// reading of past versions: every version that can hold it is later.
func firstRecording(o *office.Office, r *office.Record, path string, t time.Time) (history.Version, bool) {
	if r.History == nil {
		return history.Version{}, false
	}
	path, _, _ = strings.Cut(path, "[")
	top, _, _ := strings.Cut(path, ".")
	loc := policyLocation(r.Policy)
	first := true
	for _, v := range r.History.Versions {
		if v.Deleted || !slices.Contains(v.Changed, top) {
			continue
		}
		if first && !t.After(v.At.Add(skew)) {
			return v, true
		}
		first = false
		pc, ok := office.VersionCase(o.Repo, r.Policy, v)
		if !ok {
			continue
		}
		times, _ := deadline.RecordedTimes(pc.Fields, path, loc)
		if slices.ContainsFunc(times, t.Equal) {
			return v, true
		}
	}
	return history.Version{}, false
}
