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
	"github.com/casebook/casebook/internal/office"
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
	for _, id := range o.History.Order {
		h := o.History.Cases[id]
		if present[id] || len(h.Versions) == 0 {
			continue
		}
		if h.Deleted != nil {
			d := h.Deleted
			fs = append(fs, Finding{Severity: severityOf("history.deleted"), Code: "history.deleted", Case: id, File: d.Path, Commit: d.Commit,
				Message: fmt.Sprintf("case %s was deleted by commit %s (%s, %s); records are never deleted", id, short(d.Commit), d.Actor, d.At.Format(time.RFC3339)),
				Fix:     fmt.Sprintf("restore it: git checkout %s^ -- %s, then commit; or acknowledge the deletion in %s", short(d.Commit), d.Path, AckFile)})
			continue
		}
		last := h.Versions[len(h.Versions)-1]
		if read[h.Path] {
			continue // read under another id: field.invalid reports the id
		}
		if _, err := os.Lstat(filepath.Join(o.Root, filepath.FromSlash(h.Path))); errors.Is(err, iofs.ErrNotExist) && h.Path == last.Path {
			fs = append(fs, Finding{Severity: severityOf("history.deleted"), Code: "history.deleted", Case: id, File: h.Path, Commit: last.Commit,
				Message: fmt.Sprintf("case %s is deleted from the work tree (not committed); records are never deleted", id),
				Fix:     fmt.Sprintf("restore it: git checkout -- %s", h.Path)})
			continue
		}
		if h.Path != last.Path {
			// No version lives at the path HEAD has: a merge took the file
			// from a side whose version history does not list (shallow).
			last.Path = h.Path
		}
		moved := movedBy(h)
		where := "outside the files casebook reads"
		if why := hiddenWhy(h.Path); why != "" {
			where = why
		}
		fix := fmt.Sprintf("move it back: git mv %s %s, then commit", h.Path, moved.from)
		if moved.from == "" || moved.from == h.Path {
			fix = fmt.Sprintf("move it to cases/<YYYY>/<MM>/<DD>/%s.md with git mv, then commit", id)
		}
		fs = append(fs, Finding{Severity: severityOf("history.deleted"), Code: "history.deleted", Case: id, File: h.Path, Commit: moved.commit,
			Message: fmt.Sprintf("case %s was moved to %s by commit %s (%s, %s), %s, so it is neither counted nor judged; records are never hidden", id, h.Path, short(moved.commit), moved.actor, moved.at.Format(time.RFC3339), where),
			Fix:     fix + "; or acknowledge it in " + AckFile})
	}
	return fs
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
func hiddenWhy(p string) string {
	rel := strings.TrimPrefix(p, cases.Dir+"/")
	if rel == p {
		return "outside " + cases.Dir + "/"
	}
	for part := range strings.SplitSeq(path.Dir(rel), "/") {
		if strings.HasPrefix(part, ".") && part != "." {
			return fmt.Sprintf("in the hidden folder %s, which casebook skips", part)
		}
	}
	name := path.Base(rel)
	switch {
	case strings.HasPrefix(name, "."):
		return "under a hidden name, which casebook skips"
	case rel == "README.md":
		return "as cases/README.md, which casebook skips"
	case !strings.HasSuffix(name, ".md"):
		return "under a name that does not end in .md"
	}
	return "inside a bundle, as an attachment of another case"
}

// readded reports a case file deleted and added again later: the second
// file is not the record that was deleted, whatever it says.
func readded(o *office.Office) []Finding {
	byID := map[string]*cases.Case{}
	for _, c := range o.Cases {
		byID[c.ID] = c
	}
	var fs []Finding
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
			f := Finding{Severity: severityOf("history.readded"), Code: "history.readded", Case: id, File: v.Path, Commit: v.Commit,
				Message: fmt.Sprintf("case %s was deleted by commit %s (%s) in state %s and added again by commit %s (%s) in state %s; a record added again is not the record that was deleted", id, short(del.Commit), del.Actor, statusBefore(h, del), short(v.Commit), v.Actor, v.Snap.Status),
				Fix:     fmt.Sprintf("compare the file with the deleted one (git show %s^:%s); if it is the same record, acknowledge history.readded for commit %s in %s", short(del.Commit), del.Path, short(v.Commit), AckFile)}
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
			fs = append(fs, Finding{Severity: severityOf("parse.error"), Code: "parse.error", Case: id, File: v.Path, Commit: v.Commit,
				Message: fmt.Sprintf("the version of commit %s (%s, %s) is not a case file: %s", short(v.Commit), v.Actor, v.At.Format(time.RFC3339), v.Snap.Err),
				Fix:     fmt.Sprintf("a version in history cannot be changed: if it was a mistake the next commit put right, acknowledge parse.error for commit %s in %s", short(v.Commit), AckFile)})
		}
	}
	return fs
}
