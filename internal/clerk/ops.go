package clerk

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/repo"
	"github.com/casebook/casebook/internal/seal"
)

// NewCase is what a clerk registers.
type NewCase struct {
	Policy   string
	Title    string
	Channel  string
	Category string
	// ReceivedAt defaults to now.
	ReceivedAt time.Time
	// Sets are further fields, with values already typed (see ParseValue).
	Sets []cases.Set
	Body string
}

// New registers a case: it allocates the next id of the policy and year
// under the repository lock, writes cases/YYYY/MM/DD/<ID>.md in the
// initial state, checks it, and commits it as `<ID>: new (<state>)`.
func (d *Desk) New(nc NewCase) (Done, error) {
	// The id, policy and state are the clerk's to write: a --set of one
	// would register a case under a name it did not allocate ("../../x")
	// or past the initial state.
	for _, s := range nc.Sets {
		switch top, _, _ := strings.Cut(s.Path, "."); top {
		case "id", "policy", "status":
			return Done{}, &InputError{Msg: top + " of a new case cannot be set", Fix: "leave it out: new allocates the id and starts in the initial state (use --policy for the policy)"}
		}
	}
	p, err := d.policyOf(nc.Policy)
	if err != nil {
		return Done{}, err
	}
	// The channel and category may be given by their labels.
	for _, term := range []struct {
		kind string
		v    *string
	}{{policy.KindChannel, &nc.Channel}, {policy.KindCategory, &nc.Category}} {
		if strings.TrimSpace(*term.v) == "" {
			*term.v = ""
			continue
		}
		if *term.v, err = p.Resolve(term.kind, *term.v); err != nil {
			return Done{}, err
		}
	}
	// Title and channel are asked for like any required field; the probe
	// below runs with stand-ins so every missing field is listed at once.
	var missing []string
	if strings.TrimSpace(nc.Title) == "" {
		missing = append(missing, "title")
		nc.Title = "-"
	}
	if strings.TrimSpace(nc.Channel) == "" {
		missing = append(missing, "channel")
		if len(p.Channels) > 0 {
			nc.Channel = p.Channels[0].ID
		}
	}
	received := nc.ReceivedAt
	if received.IsZero() {
		received = d.now()
	}
	received = received.In(p.Location).Truncate(time.Second)
	state := p.InitialState()
	// Personal data is sealed for the recipients the new case does not
	// leave out, bound to the id, so it is sealed again once the id is known.
	var to []seal.Recipient
	if d.Recipients != nil {
		if to, err = d.Recipients.Without(exclusions(p, overlay(nil, nc.Sets))); err != nil {
			return Done{}, &InputError{Msg: err.Error()}
		}
	}
	build := func(id string) ([]byte, error) {
		sets := nc.Sets
		if to != nil {
			var err error
			if sets, err = sealSets(p, to, id, sets); err != nil {
				return nil, err
			}
		}
		fields := []cases.Field{
			{Key: "id", Value: id},
			{Key: "policy", Value: p.ID},
			{Key: "title", Value: nc.Title},
			{Key: "status", Value: state},
			{Key: "received_at", Value: received},
			{Key: "channel", Value: nc.Channel},
		}
		if nc.Category != "" {
			fields = append(fields, cases.Field{Key: "category", Value: nc.Category})
		}
		fields = append(fields, nested(sets)...)
		// A body written on Windows has CRLF endings; the file casebook renders has LF,
		// and the commit gives the whole file the endings git would check out.
		body := strings.ReplaceAll(nc.Body, "\r\n", "\n")
		if strings.TrimSpace(body) == "" {
			body = "## 投诉内容\n\n" + nc.Title + "\n"
		}
		return cases.Render(fields, body), nil
	}
	// Check once before taking the lock, with a stand-in id: the id does
	// not change what the policy requires.
	probe := fmt.Sprintf("%s-%d-0000", p.Prefix, received.Year())
	probeFile := casePath(received, probe)
	probeData, err := build(probe)
	if err != nil {
		return Done{}, err
	}
	_, fs, err := d.judge(probeFile, probeData, p)
	if err != nil {
		return Done{}, err
	}
	for _, f := range fs {
		if f.Code == "field.required" && f.Rule == "" && f.Field != "" {
			missing = append(missing, f.Field)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return Done{}, &MissingError{Paths: missing}
	}
	if err := blocking(fs, msg.T("登记案件", "registering the case")); err != nil {
		return Done{}, err
	}
	var done Done
	res, err := d.commit(func(v View) (repo.Change, string, error) {
		id, err := v.NextID(p.Prefix, received.Year())
		if err != nil {
			return repo.Change{}, "", err
		}
		file := casePath(received, id)
		done = Done{ID: id, File: file, To: state}
		msg := message(fmt.Sprintf("%s: new (%s)", id, state), "", "Casebook-Case", id, "Casebook-Transition", "new -> "+state)
		data, err := build(id)
		if err != nil {
			return repo.Change{}, "", err
		}
		return repo.Change{Path: file, Data: data}, msg, nil
	})
	if err != nil {
		return Done{}, err
	}
	done.Commit, done.At = res.Commit.String(), res.Time
	return done, nil
}

// casePath files a case by the day it was received.
func casePath(received time.Time, id string) string {
	return fmt.Sprintf("cases/%04d/%02d/%02d/%s.md", received.Year(), received.Month(), received.Day(), id)
}

// nested turns dotted sets into ordered top-level fields with mappings.
func nested(sets []cases.Set) []cases.Field {
	var out []cases.Field
	index := map[string]int{}
	for _, s := range sets {
		segs := strings.Split(s.Path, ".")
		top := segs[0]
		i, ok := index[top]
		if !ok {
			i = len(out)
			index[top] = i
			out = append(out, cases.Field{Key: top})
		}
		if len(segs) == 1 {
			out[i].Value = s.Value
			continue
		}
		m, _ := out[i].Value.(map[string]any)
		if m == nil {
			m = map[string]any{}
			out[i].Value = m
		}
		for _, seg := range segs[1 : len(segs)-1] {
			sub, _ := m[seg].(map[string]any)
			if sub == nil {
				sub = map[string]any{}
				m[seg] = sub
			}
			m = sub
		}
		m[segs[len(segs)-1]] = s.Value
	}
	return out
}

// Move takes a case along a transition of its policy, setting fields on
// the way. The work-tree file is the base, so a section the clerk just
// wrote goes into the same commit.
func (d *Desk) Move(id, to string, sets []cases.Set, note string) (Done, error) {
	changes := make([]cases.Change, 0, len(sets)+1)
	for _, s := range sets {
		changes = append(changes, s)
	}
	return d.edit(id, to, changes, note, "")
}

// Set changes fields without a transition, and removes the fields in
// unsets from the front-matter. A closed case is final: only links may be
// added to it (see Link). A field cannot be removed while the case's state
// requires it, nor when every case carries it.
func (d *Desk) Set(id string, sets []cases.Set, unsets ...string) (Done, error) {
	changes := make([]cases.Change, 0, len(sets)+len(unsets))
	for _, s := range sets {
		if s.Path == "status" {
			return Done{}, &InputError{Msg: "status cannot be set", Fix: "use casebook move " + id + " STATE"}
		}
		if s.Path == "id" || s.Path == "policy" {
			return Done{}, &InputError{Msg: s.Path + " of a case cannot be changed", Fix: "register a new case and link the two"}
		}
		changes = append(changes, s)
	}
	for _, path := range unsets {
		if slices.ContainsFunc(sets, func(s cases.Set) bool { return s.Path == path }) {
			return Done{}, &InputError{Msg: "--set and --unset of " + path + " together", Fix: "either set it to a value or remove it"}
		}
		if slices.Contains(keptFields, path) {
			return Done{}, &InputError{Msg: fmt.Sprintf("%s is a core field that every case keeps: it cannot be removed", path),
				Fix: fmt.Sprintf("set the right value with casebook set %s %s=..., or record a correction with casebook correct", id, path)}
		}
		changes = append(changes, cases.Delete{Path: path})
	}
	if len(changes) == 0 {
		return Done{}, &InputError{Msg: "nothing to set", Fix: "give k=v pairs or --unset FIELD"}
	}
	return d.edit(id, "", changes, "", "set")
}

// keptFields are the fields no case is without, and the records of links
// and extensions, which only grow: none is removed with --unset.
var keptFields = []string{policy.FieldID, policy.FieldPolicy, policy.FieldTitle, policy.FieldStatus,
	policy.FieldReceivedAt, policy.FieldChannel, policy.FieldRelated, policy.FieldExtensions}

// absent refuses to remove a field the case does not have.
func absent(id string, cur *cases.Case, changes []cases.Change) error {
	for _, ch := range changes {
		if del, ok := ch.(cases.Delete); ok {
			if _, ok := cur.Get(del.Path); !ok {
				return &InputError{Msg: fmt.Sprintf("%s has no %s to unset", id, del.Path), Fix: "unset only fields the case has (casebook show " + id + ")"}
			}
		}
	}
	return nil
}

// removals refuses to remove a field that a case in state requires; next
// is the case without it.
func removals(id, state string, p *policy.Policy, next *cases.Case, changes []cases.Change) error {
	for _, ch := range changes {
		del, ok := ch.(cases.Delete)
		if !ok {
			continue
		}
		if p.Requires(state, del.Path, next.Fields) {
			return &ForbiddenError{Msg: fmt.Sprintf("%s (%s) cannot be removed from %s: it is required in state %s (%s)",
				del.Path, p.Label("field", del.Path, "zh"), id, state, p.Label("state", state, "zh")),
				Problems: []string{"set it to the right value instead: casebook set " + id + " " + del.Path + "=..."}}
		}
	}
	return nil
}

// edit is the common path of Move, Set, Extend, Link and Withdraw: under
// the lock, read the work-tree file, apply the changes (and the move to
// state to, if any), check the result, commit.
func (d *Desk) edit(id, to string, changes []cases.Change, note, verb string) (Done, error) {
	var done Done
	res, err := d.commit(func(v View) (repo.Change, string, error) {
		file, data, headStatus, committed, err := d.read(v, id)
		if err != nil {
			return repo.Change{}, "", err
		}
		cur, p, err := d.parsed(file, data)
		if err != nil {
			return repo.Change{}, "", err
		}
		if to != "" {
			// The target may be named by a state's or a transition's label.
			if to, err = p.Resolve(policy.KindTransition, to); err != nil {
				return repo.Change{}, "", err
			}
		}
		from := cur.Status
		if committed && cur.Status != headStatus {
			// The same move, run again after a run that was killed between
			// writing the file and moving the branch, finishes that move.
			// Any other uncommitted status change is the clerk's to resolve.
			if to == "" || cur.Status != to {
				return repo.Change{}, "", &InputError{
					Msg:   fmt.Sprintf("%s: the work copy changes status from %s to %s without a commit", file, headStatus, cur.Status),
					Fix:   "set status back to " + headStatus + " and use casebook move, or run casebook move " + id + " " + cur.Status + " to commit it",
					MsgZh: fmt.Sprintf("%s：工作区把状态从「%s」改成了「%s」，却没有提交", file, p.Label("state", headStatus, msg.Zh), p.Label("state", cur.Status, msg.Zh)),
					FixZh: "把 status 改回 " + headStatus + " 再用 casebook move 办理，或运行 casebook move " + id + " " + cur.Status + " 提交这一步"}
			}
			from = headStatus
		}
		all := changes
		if to != "" {
			if _, ok := p.TransitionAllowed(from, to); !ok {
				return repo.Change{}, "", &ForbiddenError{Msg: fmt.Sprintf("%s cannot move from %s (%s) to %s (%s)", id, from, p.Label("state", from, "zh"), to, p.Label("state", to, "zh")),
					Problems:   []string{"allowed from " + from + ": " + orNone(reachable(p, from))},
					MsgZh:      fmt.Sprintf("%s 不能从「%s」办理到「%s」", id, p.Label("state", from, msg.Zh), p.Label("state", to, msg.Zh)),
					ProblemsZh: []string{"「" + p.Label("state", from, msg.Zh) + "」之后可以办理到：" + reachableZh(p, from)}}
			}
			all = append(append([]cases.Change{}, changes...), cases.Set{Path: "status", Value: to})
		} else if p.IsTerminal(from) && !onlyLinks(changes) {
			return repo.Change{}, "", &ForbiddenError{Msg: fmt.Sprintf("%s is %s (%s): a closed record is final", id, from, p.Label("state", from, "zh")),
				Problems:   []string{"reopen it with casebook move first, if the policy allows (allowed from " + from + ": " + orNone(reachable(p, from)) + ")"},
				MsgZh:      fmt.Sprintf("%s 已是「%s」：已结的记录不能再改", id, p.Label("state", from, msg.Zh)),
				ProblemsZh: []string{"如政策允许，先用 casebook move 重新打开（「" + p.Label("state", from, msg.Zh) + "」之后可以办理到：" + reachableZh(p, from) + "）"}}
		}
		if err := recordedFacts(id, p, cur, changes); err != nil {
			return repo.Change{}, "", err
		}
		if err := absent(id, cur, changes); err != nil {
			return repo.Change{}, "", err
		}
		all, warnings, err := d.sealEdit(p, cur, all)
		if err != nil {
			return repo.Change{}, "", err
		}
		next, err := cases.Apply(data, all)
		if err != nil {
			return repo.Change{}, "", editError(file, err)
		}
		if to == "" && bytes.Equal(next, data) {
			done = Done{ID: id, File: file, From: from, To: from}
			return repo.Change{}, "", errUnchanged
		}
		c, fs, err := d.judge(file, next, p)
		if err != nil {
			return repo.Change{}, "", err
		}
		if err := removals(id, c.Status, p, c, changes); err != nil {
			return repo.Change{}, "", err
		}
		if to != "" {
			if tr, _ := p.TransitionAllowed(from, to); tr != nil && tr.When != "" {
				if ok, err := p.Eval(tr.When, p.Env(c.Fields)); err != nil || !ok {
					return repo.Change{}, "", &ForbiddenError{Msg: fmt.Sprintf("%s -> %s needs %s", from, to, tr.When)}
				}
			}
		}
		op := msg.T("把 "+id+" 办理到「"+p.Label("state", to, msg.Zh)+"」", "moving "+id+" to "+to)
		if to == "" {
			op = msg.T("修改 "+id, "changing "+id)
		}
		if err := blocking(fs, op); err != nil {
			return repo.Change{}, "", err
		}
		var msg string
		switch {
		case to != "":
			msg = message(fmt.Sprintf("%s: %s -> %s", id, from, to), note, "Casebook-Case", id, "Casebook-Transition", from+" -> "+to)
			done = Done{ID: id, File: file, From: from, To: to, Warnings: warnings}
		default:
			if verb == "" {
				verb = "set"
			}
			subject := fmt.Sprintf("%s: %s %s", id, verb, strings.Join(changedPaths(changes), ", "))
			if verb == "set" {
				subject = id + ": " + describeChanges(changes)
			}
			if strings.HasPrefix(verb, "extend ") {
				subject = id + ": " + verb // the path is always extensions
			}
			msg = message(subject, note, "Casebook-Case", id)
			done = Done{ID: id, File: file, From: from, To: from, Warnings: warnings}
		}
		return repo.Change{Path: file, Data: next}, msg, nil
	})
	return finished(done, res, err)
}

func onlyLinks(changes []cases.Change) bool {
	for _, ch := range changes {
		a, ok := ch.(cases.Append)
		if !ok || a.Path != "related" {
			return false
		}
	}
	return len(changes) > 0
}

func reachable(p *policy.Policy, from string) []string {
	var out []string
	for _, s := range p.States {
		if _, ok := p.TransitionAllowed(from, s.ID); ok {
			out = append(out, s.ID)
		}
	}
	return out
}

// reachableZh lists the states reachable from from by label and id, or
// 无.
func reachableZh(p *policy.Policy, from string) string {
	var out []string
	for _, id := range reachable(p, from) {
		out = append(out, p.Label("state", id, msg.Zh)+"（"+id+"）")
	}
	if len(out) == 0 {
		return "无"
	}
	return strings.Join(out, "、")
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "(none)"
	}
	return strings.Join(xs, ", ")
}

// Extension is an approved extension of a deadline.
type Extension struct {
	Rule       string
	Until      *calendar.Date
	By         *calendar.Period
	ApprovedBy string
	Reason     string
}

// Extend records an approved deadline extension where the policy allows
// one, and refuses one beyond the policy's maximum.
func (d *Desk) Extend(id string, x Extension) (Done, error) {
	if strings.TrimSpace(x.ApprovedBy) == "" || strings.TrimSpace(x.Reason) == "" {
		return Done{}, &InputError{Msg: "an extension needs who approved it and why", Fix: "give --approved-by NAME and --reason TEXT"}
	}
	if (x.Until == nil) == (x.By == nil) {
		return Done{}, &InputError{Msg: "give the new due date or the extra time", Fix: "use exactly one of --until DATE or --by PERIOD"}
	}
	item := map[string]any{"rule": x.Rule, "approved_by": x.ApprovedBy, "approved_at": d.now().Format(time.RFC3339), "reason": x.Reason}
	if x.Until != nil {
		item["until"] = x.Until.String()
	} else {
		item["by"] = x.By.String()
	}
	return d.extend(id, x.Rule, item)
}

func (d *Desk) extend(id, rule string, item map[string]any) (Done, error) {
	file, data, _, p, err := d.load(id)
	if err != nil {
		return Done{}, err
	}
	var r *policy.DeadlineRule
	for i := range p.Deadlines {
		if p.Deadlines[i].ID == rule && p.Deadlines[i].Extension != nil {
			r = &p.Deadlines[i]
		}
	}
	if r == nil {
		return Done{}, &ForbiddenError{Msg: fmt.Sprintf("policy %s allows no extension of %q", p.ID, rule),
			Problems: []string{"rules with extensions: " + orNone(extensible(p))}}
	}
	next, err := cases.Apply(data, []cases.Change{cases.Append{Path: "extensions", Item: item}})
	if err != nil {
		return Done{}, editError(file, err)
	}
	c, err := cases.Parse(file, next, cases.WithLocation(p.Location))
	if err != nil {
		return Done{}, &InputError{Msg: err.Error()}
	}
	exts, probs := deadline.ParseExtensions(c.Fields)
	last := len(exts) - 1
	for _, pr := range probs {
		return Done{}, &ForbiddenError{Msg: "the extension is not valid", Problems: []string{pr.Msg.En + " (fix: " + pr.Fix.En + ")"}}
	}
	cal, _ := deadline.CalendarFor(p)
	_, cprobs := deadline.Compute(deadline.Input{Policy: p, Calendar: cal, Env: p.Env(c.Fields), ReceivedAt: c.ReceivedAt, Status: c.Status,
		Fields: c.Fields, Events: d.events(id, c), Extensions: exts, Now: d.now()})
	for _, pr := range cprobs {
		if pr.Rule == rule && (last < 0 || strings.Contains(pr.Field, fmt.Sprintf("[%d]", last)) || pr.Field == "") {
			return Done{}, &ForbiddenError{Msg: "the extension is refused", Problems: []string{pr.Msg.En + " (fix: " + pr.Fix.En + ")"}}
		}
	}
	return d.edit(id, "", []cases.Change{cases.Append{Path: "extensions", Item: item}}, "延期："+fmt.Sprint(item["reason"]), "extend "+rule)
}

// extensible are the ids of p's deadline rules that allow an extension,
// in policy order, each once (a rule may have alternatives).
func extensible(p *policy.Policy) []string {
	var out []string
	for _, r := range p.Deadlines {
		if r.Extension != nil && !slices.Contains(out, r.ID) {
			out = append(out, r.ID)
		}
	}
	return out
}

// ExtensionRule is the deadline rule an extension of a case of p is for:
// rule when given, else the policy's only extensible rule. Without a rule
// in a policy with several extensible ones, or none, it is an InputError
// that lists them.
func ExtensionRule(p *policy.Policy, rule string) (string, error) {
	if rule != "" {
		return rule, nil
	}
	ids := extensible(p)
	if len(ids) != 1 {
		return "", &InputError{Msg: fmt.Sprintf("say which deadline with --rule (extensible: %v)", ids)}
	}
	return ids[0], nil
}

// Link records that id relates to other: a repeat complaint (bank
// 第十七条), a duplicate merged into it, or a related case. Adding a link
// is allowed on a closed case; it is not an edit of the record.
func (d *Desk) Link(id, other, as string) (Done, error) {
	_, _, _, p, err := d.load(id)
	if err != nil {
		return Done{}, err
	}
	// The relation may be named by its label (重复投诉).
	if as, err = p.Resolve("value:related.as", as); err != nil {
		return Done{}, err
	}
	if id == other {
		return Done{}, &InputError{Msg: "a case cannot be linked to itself"}
	}
	if _, err := d.store().Locate(other); err != nil {
		return Done{}, err
	}
	changes := []cases.Change{cases.Append{Path: "related", Item: map[string]any{"id": other, "as": as}}}
	return d.edit(id, "", changes, "", "link")
}

// Withdraw records a withdrawal: the complainant's reason, whether it was
// voluntary (bank 第十八条 asks the office to check), and who checked. The
// policy decides what else is needed (tendering 第二十三条: a verified
// violation is not dropped; bank: accountability when not voluntary).
func (d *Desk) Withdraw(id, reason string, voluntary bool, sets []cases.Set) (Done, error) {
	if strings.TrimSpace(reason) == "" {
		return Done{}, &InputError{Msg: "a withdrawal needs its reason", Fix: "give --reason TEXT"}
	}
	_, _, _, p, err := d.load(id)
	if err != nil {
		return Done{}, err
	}
	state := ""
	for _, s := range p.States {
		if s.ID == "withdrawn" {
			state = s.ID
		}
	}
	if state == "" {
		return Done{}, &ForbiddenError{Msg: fmt.Sprintf("policy %s has no withdrawn state", p.ID)}
	}
	var all []cases.Set
	if _, ok := p.Field("withdrawal.voluntary"); ok {
		all = append(all, cases.Set{Path: "withdrawal.voluntary", Value: voluntary})
	}
	if _, ok := p.Field("withdrawal.reason"); ok {
		all = append(all, cases.Set{Path: "withdrawal.reason", Value: reason})
	} else if _, ok := p.Field("withdrawal_reason"); ok {
		all = append(all, cases.Set{Path: "withdrawal_reason", Value: reason})
	}
	if _, ok := p.Field("withdrawal.checked_by"); ok {
		all = append(all, cases.Set{Path: "withdrawal.checked_by", Value: d.Actor.Name})
	}
	if _, ok := p.Field("withdrawal_voluntary"); ok {
		all = append(all, cases.Set{Path: "withdrawal_voluntary", Value: voluntary})
	}
	all = append(all, sets...)
	note := "撤诉原因：" + reason
	if !voluntary {
		note += "（经核实非本人自愿）"
	}
	return d.Move(id, state, all, note)
}

// load reads a case for an operation that checks it before editing:
// its file, bytes, parsed form and policy.
func (d *Desk) load(id string) (string, []byte, *cases.Case, *policy.Policy, error) {
	file, err := d.store().Locate(id)
	if err != nil {
		return "", nil, nil, nil, err
	}
	data, err := d.store().ReadFile(file)
	if err != nil {
		return "", nil, nil, nil, &InputError{Msg: err.Error()}
	}
	cur, p, err := d.parsed(file, data)
	if err != nil {
		return "", nil, nil, nil, err
	}
	return file, data, cur, p, nil
}

// parsed parses a case file read for an operation, and finds its policy.
func (d *Desk) parsed(file string, data []byte) (*cases.Case, *policy.Policy, error) {
	cur, err := cases.Parse(file, data)
	if err != nil {
		return nil, nil, &InputError{Msg: err.Error(), Fix: "repair the file (casebook validate shows the problem), then retry"}
	}
	p, err := d.policyOf(cur.Policy)
	if err != nil {
		return nil, nil, err
	}
	return cur, p, nil
}

// editError names the file in an editor error, which knows only bytes.
func editError(file string, err error) error {
	var pe *msg.FileError
	if errors.As(err, &pe) && pe.File == "" {
		pe.File = file
		return &InputError{Msg: pe.Error()}
	}
	return &InputError{Msg: file + ": " + err.Error()}
}

// errUnchanged stops an operation that would record nothing: a set to the
// values the case already has is no action for the audit trail.
var errUnchanged = errors.New("unchanged")

// events are the case's status changes from history where the store can
// read them (the work tree); otherwise the case is taken to have entered
// its current state when it was received.
func (d *Desk) events(id string, c *cases.Case) []deadline.Event {
	if h, ok := d.store().(interface {
		Events(id string) ([]deadline.Event, error)
	}); ok {
		if evs, err := h.Events(id); err == nil && len(evs) > 0 {
			return evs
		}
	}
	return []deadline.Event{{At: c.ReceivedAt, To: c.Status}}
}

// recordedFacts refuses to change, by set or move, a recorded fact that
// starts or decides a clock (policy.ClockFacts): that is a correction, with
// a reason and an approver. received_at is never set this way.
func recordedFacts(id string, p *policy.Policy, cur *cases.Case, changes []cases.Change) error {
	facts := p.ClockFacts()
	for _, ch := range changes {
		if del, ok := ch.(cases.Delete); ok {
			top, _, _ := strings.Cut(del.Path, ".")
			if old, _ := cur.Get(del.Path); slices.Contains(facts, top) && !office.Empty(old) {
				return &InputError{
					Msg: fmt.Sprintf("%s of %s is a recorded fact (%v): it starts or decides a deadline, so it is not removed by set", del.Path, id, old),
					Fix: fmt.Sprintf("record the removal as a correction: casebook correct %s --unset %s --reason TEXT --approved-by NAME", id, del.Path)}
			}
			continue
		}
		s, ok := ch.(cases.Set)
		if !ok {
			continue
		}
		for _, fact := range facts {
			// The fact itself, an object holding it (dispatch_approval for
			// dispatch_approval.at), or a part of it.
			var nv any
			switch {
			case fact == s.Path, strings.HasPrefix(s.Path, fact+"."):
				fact, nv = s.Path, s.Value
			case strings.HasPrefix(fact, s.Path+"."):
				if m, ok := s.Value.(map[string]any); ok {
					nv, _ = (&cases.Case{Fields: m}).Get(strings.TrimPrefix(fact, s.Path+"."))
				}
			default:
				continue
			}
			old, _ := cur.Get(fact)
			if office.Empty(old) || fact != policy.FieldReceivedAt && (office.SameFact(p, fact, old, nv) || office.Grows(p, fact, old, nv)) {
				continue
			}
			return &InputError{
				Msg: fmt.Sprintf("%s of %s is a recorded fact (%s): it starts or decides a deadline, so it is fixed once recorded", fact, id, office.FactText(old)),
				Fix: fmt.Sprintf("record the change as a correction: casebook correct %s --set %s=%s --reason TEXT --approved-by NAME", id, fact, setText(nv))}
		}
	}
	return nil
}

// setText is a value for the fix's --set: nothing for one removed.
func setText(v any) string {
	if v == nil {
		return ""
	}
	return office.FactText(v)
}
