package validate

import (
	"github.com/casebook/casebook/internal/msg"
	"strconv"

	"bytes"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5"

	"github.com/casebook/casebook/internal/history"

	"gopkg.in/yaml.v3"
)

// AckFile is where an office acknowledges findings about the past.
const AckFile = "policies/acknowledged.yaml"

// Ack accepts one finding about the past (a fact only a history rewrite
// could undo). The finding is then listed as info and no longer fails CI.
type Ack struct {
	Code   string `yaml:"code" json:"code"`
	Case   string `yaml:"case" json:"case,omitempty"`
	Commit string `yaml:"commit" json:"commit,omitempty"`
	By     string `yaml:"who" json:"who"`
	Why    string `yaml:"why" json:"why"`
	Line   int    `yaml:"-" json:"-"`
	used   bool
	// within, for a committed entry without a commit, holds the commit
	// that added it and its ancestors: the findings it covers, so a later,
	// different edit of the same case is reported again. Nil for an entry
	// not committed yet, which covers what exists now.
	within map[string]bool
}

// key identifies an entry across versions of the file.
func (a *Ack) key() string { return a.Code + "\x00" + a.Case + "\x00" + a.By + "\x00" + a.Why }

type ackDoc struct {
	Acknowledged []yaml.Node `yaml:"acknowledged"`
}

// ParseAcks reads policies/acknowledged.yaml. Every entry must name an
// acknowledgeable code, a case or a commit, who and why.
func ParseAcks(data []byte) ([]*Ack, error) {
	var doc ackDoc
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		if err.Error() == "EOF" {
			return nil, nil
		}
		return nil, fmt.Errorf("%s: %v (fix: the file holds `acknowledged:` and a list of {code, case, commit, who, why})", AckFile, err)
	}
	var out []*Ack
	var problems []string
	for _, n := range doc.Acknowledged {
		var a Ack
		if bad := unknownAckKey(&n); bad != nil {
			problems = append(problems, fmt.Sprintf("%s:%d: unknown key %q (fix: an entry has only code, case, commit, who and why)", AckFile, bad.Line, bad.Value))
			continue
		}
		if err := n.Decode(&a); err != nil {
			problems = append(problems, fmt.Sprintf("%s:%d: %v", AckFile, n.Line, err))
			continue
		}
		a.Line = n.Line
		switch {
		case AckOf(a.Code) == AckInHistory && a.Commit == "":
			problems = append(problems, fmt.Sprintf("%s:%d: %s can be acknowledged only for a version in history (fix: add `commit:` with the commit the finding names)", AckFile, n.Line, a.Code))
		case AckOf(a.Code) == AckNever:
			problems = append(problems, fmt.Sprintf("%s:%d: code %q cannot be acknowledged (fix: only findings about the past can: %s)", AckFile, n.Line, a.Code, strings.Join(ackCodes(), ", ")))
		case a.Case == "" && a.Commit == "":
			problems = append(problems, fmt.Sprintf("%s:%d: entry names neither case nor commit (fix: add `case:` or `commit:`)", AckFile, n.Line))
		case strings.TrimSpace(a.By) == "" || strings.TrimSpace(a.Why) == "":
			problems = append(problems, fmt.Sprintf("%s:%d: entry needs `who` and `why` (fix: say who accepts the finding and why)", AckFile, n.Line))
		case a.Commit != "" && len(a.Commit) < 7:
			problems = append(problems, fmt.Sprintf("%s:%d: commit %q is too short (fix: give at least 7 hex digits)", AckFile, n.Line, a.Commit))
		default:
			out = append(out, &a)
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return out, nil
}

// matches reports whether the ack covers the finding.
func (a *Ack) matches(f Finding) bool {
	if a.Code != f.Code {
		return false
	}
	if a.Case != "" && a.Case != f.Case {
		return false
	}
	if a.Commit != "" && !strings.HasPrefix(f.Commit, a.Commit) {
		return false
	}
	return true
}

// scopeAcks dates each entry without a commit by the commit that first
// held it (history.IntroducedIn).
func scopeAcks(repo *git.Repository, cacheDir string, acks []*Ack) error {
	var keys []string
	for _, a := range acks {
		if a.Commit == "" {
			keys = append(keys, a.key())
		}
	}
	if len(keys) == 0 || repo == nil {
		return nil
	}
	intro, err := history.IntroducedIn(repo, cacheDir, AckFile, keys, func(data []byte) []string {
		old, err := ParseAcks(data)
		if err != nil {
			return nil
		}
		out := make([]string, len(old))
		for i, a := range old {
			out[i] = a.key()
		}
		return out
	})
	if err != nil {
		return err
	}
	reach := map[string]map[string]bool{}
	for _, a := range acks {
		if in, ok := intro[a.key()]; ok && a.Commit == "" {
			if reach[in.Commit] == nil {
				if reach[in.Commit], err = history.Ancestors(repo, in.Commit); err != nil {
					return err
				}
			}
			a.within = reach[in.Commit]
		}
	}
	return nil
}

// applyAcks turns acknowledged findings into info and reports unused
// acknowledgements, which usually mean a typo.
func applyAcks(fs []Finding, acks []*Ack) []Finding {
	for i := range fs {
		if !Acknowledgeable(fs[i]) {
			continue // the present can be fixed, not acknowledged
		}
		for _, a := range acks {
			if a.matches(fs[i]) && a.covers(fs[i]) {
				a.used = true
				fs[i].Severity = Info
				fs[i].Acknowledged = a
				break
			}
		}
	}
	for _, a := range acks {
		if !a.used {
			f := Finding{Severity: severityOf("ack.unused"), Code: "ack.unused", File: AckFile, Line: a.Line}
			f.Say("unused", msg.Args{"code": a.Code, "case": strconv.Quote(a.Case), "commit": strconv.Quote(a.Commit)})
			fs = append(fs, f)
		}
	}
	return fs
}

// covers applies an entry's scope: a finding of a commit that is not an
// ancestor of the commit that added the entry (however it is dated) is not
// covered by it.
func (a *Ack) covers(f Finding) bool {
	if a.Commit != "" || a.within == nil || f.Commit == "" {
		return true
	}
	return a.within[f.Commit]
}

// unknownAckKey finds a key Node.Decode would silently ignore.
func unknownAckKey(n *yaml.Node) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch n.Content[i].Value {
		case "code", "case", "commit", "who", "why":
		default:
			return n.Content[i]
		}
	}
	return nil
}
