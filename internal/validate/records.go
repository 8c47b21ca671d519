package validate

import (
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/office"
	"github.com/casebook/casebook/internal/policy"
)

// deleted reports every case that history knew and that casebook no longer
// reads: its file deleted, moved out of cases/, renamed to a name that
// discovery skips (a dot name, cases/README.md, a folder such as
// cases/.trash/, another extension), dropped by a merge, or deleted from
// the work tree. A record is read where it is, or it is reported: there is
// no third way.
func deleted(o *office.Office) []Finding {
	var fs []Finding
	present := map[string]bool{}
	read := map[string]bool{} // files discovery found, parsed or not
	for _, c := range o.Cases {
		present[c.ID] = true
		read[c.File] = true
	}
	for _, b := range o.Broken {
		present[cases.StemID(b.File)] = true
		read[b.File] = true
	}
	w := repoTermsOf(o)
	for _, id := range o.History.Order {
		h := o.History.Cases[id]
		if present[id] || len(h.Versions) == 0 {
			continue
		}
		if h.Deleted != nil {
			d := h.Deleted
			f := Finding{Severity: severityOf("history.deleted"), Code: "history.deleted", Case: id, File: d.Path, Commit: d.Commit}
			f.Say("deleted", msg.Args{"case": id, "commit": short(d.Commit), "actor": d.Actor, "at": w.at(d.At), "path": d.Path})
			fs = append(fs, f)
			continue
		}
		last := h.Versions[len(h.Versions)-1]
		if read[h.Path] {
			continue // read under another id: field.invalid reports the id
		}
		if _, err := os.Lstat(filepath.Join(o.Root, filepath.FromSlash(h.Path))); errors.Is(err, iofs.ErrNotExist) && h.Path == last.Path {
			f := Finding{Severity: severityOf("history.deleted"), Code: "history.deleted", Case: id, File: h.Path, Commit: last.Commit}
			f.Say("worktree", msg.Args{"case": id, "path": h.Path})
			fs = append(fs, f)
			continue
		}
		if h.Path != last.Path {
			// No version lives at the path HEAD has: a merge took the file
			// from a side whose version history does not list (shallow).
			last.Path = h.Path
		}
		moved := movedBy(h)
		variant := "moved"
		if moved.from == "" || moved.from == h.Path {
			variant = "moved_nowhere"
		}
		f := Finding{Severity: severityOf("history.deleted"), Code: "history.deleted", Case: id, File: h.Path, Commit: moved.commit}
		f.Say(variant, msg.Args{"case": id, "path": h.Path, "commit": short(moved.commit), "actor": moved.actor, "at": w.at(moved.at),
			"where": hiddenWhy(h.Path), "from": moved.from})
		fs = append(fs, f)
	}
	return fs
}

// repoTerms give the terms and times of findings about cases that may no
// longer be read, whose own policy is then not known: by the repository's
// only policy, or by ids and each time's own zone.
type repoTerms struct{ p *policy.Policy }

func repoTermsOf(o *office.Office) repoTerms {
	p, _ := o.Policies.Only()
	return repoTerms{p}
}

func (w repoTerms) at(t time.Time) msg.Arg {
	if w.p == nil {
		return msg.At(t, nil)
	}
	return w.p.At(t)
}

func (w repoTerms) state(id string) msg.Arg {
	if w.p == nil {
		return msg.Same(id)
	}
	return w.p.Term(policy.KindState, id)
}

type move struct {
	from, commit, actor string
	at                  time.Time
}

// movedBy finds the commit that put the case at its current path, and the
// path it had before.
func movedBy(h *history.Case) move {
	vs := h.Versions
	i := len(vs) - 1
	for i > 0 && !vs[i-1].Deleted && vs[i-1].Path == h.Path {
		i--
	}
	m := move{commit: vs[i].Commit, actor: vs[i].Actor, at: vs[i].At}
	if i > 0 && !vs[i-1].Deleted {
		m.from = vs[i-1].Path
	}
	return m
}

// hiddenWhy says why discovery skips a path under cases/.
func hiddenWhy(p string) msg.Text {
	rel := strings.TrimPrefix(p, cases.Dir+"/")
	if rel == p {
		return msg.Text{Zh: "在 " + cases.Dir + "/ 之外", En: "outside " + cases.Dir + "/"}
	}
	for part := range strings.SplitSeq(path.Dir(rel), "/") {
		if strings.HasPrefix(part, ".") && part != "." {
			return msg.Text{Zh: fmt.Sprintf("在 casebook 跳过的隐藏文件夹 %s 里", part), En: fmt.Sprintf("in the hidden folder %s, which casebook skips", part)}
		}
	}
	name := path.Base(rel)
	switch {
	case strings.HasPrefix(name, "."):
		return msg.Text{Zh: "用了 casebook 跳过的隐藏文件名", En: "under a hidden name, which casebook skips"}
	case rel == "README.md":
		return msg.Text{Zh: "成了 casebook 跳过的 cases/README.md", En: "as cases/README.md, which casebook skips"}
	case !strings.HasSuffix(name, ".md"):
		return msg.Text{Zh: "文件名不以 .md 结尾", En: "under a name that does not end in .md"}
	}
	return msg.Text{Zh: "在另一个案件的文件夹里，成了它的附件", En: "inside a bundle, as an attachment of another case"}
}

// readded reports a case file deleted and added again later: the second
// file is not the record that was deleted, whatever it says.
func readded(o *office.Office) []Finding {
	byID := map[string]*cases.Case{}
	for _, c := range o.Cases {
		byID[c.ID] = c
	}
	var fs []Finding
	w := repoTermsOf(o)
	for _, id := range o.History.Order {
		h := o.History.Cases[id]
		var del *history.Version
		for i := range h.Versions {
			v := &h.Versions[i]
			if v.Deleted {
				del = v
				continue
			}
			if !v.Readded || del == nil {
				continue
			}
			f := Finding{Severity: severityOf("history.readded"), Code: "history.readded", Case: id, File: v.Path, Commit: v.Commit}
			f.Say("readded", msg.Args{"case": id, "deleted_by": short(del.Commit), "deleted_actor": del.Actor, "from": w.state(statusBefore(h, del)),
				"commit": short(v.Commit), "actor": v.Actor, "to": w.state(v.Snap.Status), "deleted_path": del.Path})
			if c := byID[id]; c != nil {
				f.File, f.Line = c.File, c.Line("id")
			}
			fs = append(fs, f)
			del = nil
		}
	}
	return fs
}

// statusBefore is the case's state in the version before v.
func statusBefore(h *history.Case, v *history.Version) string {
	for i := range h.Versions {
		if &h.Versions[i] == v {
			for j := i - 1; j >= 0; j-- {
				if !h.Versions[j].Deleted {
					return h.Versions[j].Snap.Status
				}
			}
		}
	}
	return ""
}

// brokenVersions reports each committed version of a case file that is not
// a case file (it does not parse, or is over the size limit): the record
// holds something casebook cannot read. The current file's own parse error
// is reported by discovery, so its last version is left to that.
func brokenVersions(o *office.Office) []Finding {
	broken := map[string]bool{}
	for _, b := range o.Broken {
		broken[b.File] = true
	}
	var fs []Finding
	w := repoTermsOf(o)
	for _, id := range o.History.Order {
		h := o.History.Cases[id]
		seen := map[string]bool{} // a merge judged against two parents has two versions
		for i := range h.Versions {
			v := &h.Versions[i]
			if v.Deleted || v.Snap.Err == "" || v.Shallow || seen[v.Commit+v.Path] {
				continue
			}
			seen[v.Commit+v.Path] = true
			if last := h.Versions[len(h.Versions)-1]; broken[v.Path] && v.Path == last.Path && v.Commit == last.Commit {
				continue // the current file, which discovery reports (a merge may give it two versions)
			}
			f := Finding{Severity: severityOf("parse.error"), Code: "parse.error", Case: id, File: v.Path, Commit: v.Commit}
			f.Say("version", msg.Args{"commit": short(v.Commit), "actor": v.Actor, "at": w.at(v.At), "err": v.Snap.Err})
			fs = append(fs, f)
		}
	}
	return fs
}
