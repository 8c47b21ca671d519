package clerk

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/go-git/go-git/v5"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/deadline"
	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/repo"
	"github.com/casebook/casebook/internal/seal"
	"github.com/casebook/casebook/internal/validate"
)

// Desk is where a clerk works: one repository, its policies, who acts and
// the clock. Every operation is one commit of one case file.
type Desk struct {
	Root     string
	Repo     *git.Repository
	Policies *policy.Set
	Actor    repo.Identity
	// Now is the clock; demo sets a fixed one. Default time.Now.
	Now     func() time.Time
	Sign    *openpgp.Entity
	Timeout time.Duration
	// Store, if set, is where cases are read and committed; nil means the work tree at
	// Root, committed with Sign and Timeout (WorkTree).
	Store Store
	// Recipients, when set, are the keys personal data is sealed for: New,
	// Move and Set store the policy's personal-data fields sealed (package
	// seal), each bound to its case and field. nil keeps plain text.
	Recipients *seal.Recipients
	// Identities open sealed values when an operation must seal them again:
	// Rekey, and an edit that changes who a case leaves out.
	Identities []seal.Identity
}

// Done reports what an operation committed.
type Done struct {
	ID     string
	File   string
	From   string
	To     string
	Commit string
	At     time.Time
	// Unchanged is set when the case already held every value: nothing
	// was committed.
	Unchanged bool
	// Warnings are things the clerk should know that did not stop the
	// operation, such as values still sealed for someone a recusal left out.
	Warnings []string
}

func (d *Desk) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// store is where this desk reads and commits.
func (d *Desk) store() Store {
	if d.Store != nil {
		return d.Store
	}
	return &WorkTree{Root: d.Root, Repo: d.Repo, Sign: d.Sign, Timeout: d.Timeout}
}

// commit runs prepare under the repository lock and commits its result.
func (d *Desk) commit(prepare func(v View) (repo.Change, string, error)) (repo.Result, error) {
	return d.store().Commit(d.Actor, d.Now, prepare)
}

// message builds casebook's commit message: subject, optional note, then
// the trailers as the last paragraph.
func message(subject, note string, trailers ...string) string {
	var b strings.Builder
	b.WriteString(subject)
	b.WriteString("\n\n")
	if n := strings.TrimSpace(note); n != "" {
		b.WriteString(n)
		b.WriteString("\n\n")
	}
	for i := 0; i+1 < len(trailers); i += 2 {
		fmt.Fprintf(&b, "%s: %s\n", trailers[i], trailers[i+1])
	}
	return b.String()
}

// policyOf resolves the policy of a case file, or of a new case.
func (d *Desk) policyOf(id string) (*policy.Policy, error) {
	if id != "" {
		p, ok := d.Policies.Get(id)
		if !ok {
			return nil, &InputError{Msg: fmt.Sprintf("unknown policy %q", id), Fix: "use one of: " + strings.Join(d.Policies.IDs(), ", ")}
		}
		return p, nil
	}
	if p, ok := d.Policies.Only(); ok {
		return p, nil
	}
	return nil, &InputError{Msg: "this repository has several policies", Fix: "say which with --policy (" + strings.Join(d.Policies.IDs(), ", ") + ")"}
}

// blocking sorts the findings about one case into what forbids the
// operation (exit 1) and what is wrong with the input (exit 2). Clocks,
// history and encryption are validate's business, not a reason to refuse.
// Which code stops a write, and how, is validate.Table's Blocks column.
func blocking(fs []validate.Finding, op msg.Text) error {
	var input, forbidden, inputZh, forbiddenZh []string
	for _, f := range fs {
		if f.Severity != validate.Error {
			continue
		}
		line := f.Message
		if f.Fix != "" {
			line += " (fix: " + f.Fix + ")"
		}
		m, fix := f.Text(msg.Zh)
		lineZh := m
		if fix != "" {
			lineZh += "（修正：" + fix + "）"
		}
		switch validate.BlocksWrite(f.Code) {
		case validate.BlockInput:
			input, inputZh = append(input, line), append(inputZh, lineZh)
		case validate.BlockForbidden:
			forbidden, forbiddenZh = append(forbidden, line), append(forbiddenZh, lineZh)
		}
	}
	if len(input) > 0 {
		return &InputError{Msg: op.En + ": " + strings.Join(input, "; "), MsgZh: op.Zh + "：" + strings.Join(inputZh, "；")}
	}
	if len(forbidden) > 0 {
		return &ForbiddenError{Msg: op.En + " is not allowed by the policy", Problems: forbidden,
			MsgZh: "政策不允许" + op.Zh, ProblemsZh: forbiddenZh}
	}
	return nil
}

// judge parses file bytes as the case would read after the operation and
// runs the per-case checks of validate on it, in state status.
func (d *Desk) judge(file string, data []byte, p *policy.Policy) (*cases.Case, []validate.Finding, error) {
	c, err := cases.Parse(file, data, cases.WithLocation(p.Location))
	if err != nil {
		return nil, nil, &InputError{Msg: err.Error()}
	}
	cal, _ := deadline.CalendarFor(p)
	r := office.Judge(p, cal, c, nil, d.now())
	// Lateness is a fact validate reports; it must not stop a clerk from
	// registering a case late or from answering it: rules that ask for a
	// delay report are judged without it here.
	r.Env["late"] = []string{}
	return c, validate.CheckCase(r, validate.Options{Now: d.now()}), nil
}

// read loads the case file as the clerk has it and its committed status.
func (d *Desk) read(v View, id string) (file string, data []byte, headStatus string, committed bool, err error) {
	st := d.store()
	file, err = st.Locate(id)
	if err != nil {
		return "", nil, "", false, err
	}
	data, err = st.ReadFile(file)
	if err != nil {
		return "", nil, "", false, &InputError{Msg: fmt.Sprintf("read %s: %v", file, err)}
	}
	if content, ok := v.Committed(file); ok {
		return file, data, history.Decode(content).Status, true, nil
	}
	return file, data, "", false, nil
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, cases.DefaultMaxBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > cases.DefaultMaxBytes {
		return nil, errors.New("the file is larger than the 1 MiB limit of a case file")
	}
	return data, nil
}

// changedPaths lists the set paths for a commit subject.
func changedPaths(changes []cases.Change) []string {
	seen := map[string]bool{}
	var out []string
	for _, ch := range changes {
		var p string
		switch c := ch.(type) {
		case cases.Set:
			p = c.Path
		case cases.Append:
			p = c.Path
		case cases.Delete:
			p = c.Path
		}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// describeChanges names what changes set and what they remove, for a
// commit: "set amount, tags; unset respondent.phone".
func describeChanges(changes []cases.Change) string {
	var sets, unsets []cases.Change
	for _, ch := range changes {
		if _, ok := ch.(cases.Delete); ok {
			unsets = append(unsets, ch)
		} else {
			sets = append(sets, ch)
		}
	}
	var parts []string
	if len(sets) > 0 {
		parts = append(parts, "set "+strings.Join(changedPaths(sets), ", "))
	}
	if len(unsets) > 0 {
		parts = append(parts, "unset "+strings.Join(changedPaths(unsets), ", "))
	}
	return strings.Join(parts, "; ")
}

// finished completes done with the commit an edit made, or marks it
// unchanged when there was nothing to commit.
func finished(done Done, res repo.Result, err error) (Done, error) {
	if errors.Is(err, errUnchanged) {
		done.Unchanged = true
		return done, nil
	}
	if err != nil {
		return Done{}, err
	}
	done.Commit, done.At = res.Commit.String(), res.Time
	return done, nil
}
