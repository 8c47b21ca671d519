package clerk

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/policy"
	"github.com/casebook/casebook/internal/repo"
)

// Renumbered is a case that sync gave another id: registered in this clone under an id
// that the remote had meanwhile given to another case.
type Renumbered struct {
	Old, New string
	Title    string
	Commit   string // the replayed commit that registers the case under New
}

// ConflictError stops a sync: a commit of this clone and one of the remote changed the
// same case. Nothing was pushed and the local branch is as it was.
type ConflictError struct {
	Case, Path     string
	Local, Remote  string // the two commits
	Branch, Target string
}

func (e *ConflictError) Error() string {
	what := e.Path
	if e.Case != "" {
		what = "case " + e.Case + " (" + e.Path + ")"
	}
	return fmt.Sprintf("%s was changed here by commit %s and on %s by commit %s; nothing was pushed and your branch is as it was "+
		"(fix: merge with git: `git pull --no-rebase`, resolve %s keeping both clerks' changes, commit, then run casebook sync again)",
		what, short(e.Local), e.Target, short(e.Remote), e.Path)
}

// replayer rewrites the commits of this clone onto the remote's branch, one file at a
// time, renumbering cases it registered under ids the remote already used.
type replayer struct {
	objs      storer.EncodedObjectStorer
	committer repo.Identity
	now       time.Time
	sign      *openpgp.Entity
	base      *object.Commit // the last commit both sides have
	remote    *object.Commit
	// remoteChanged maps each path the remote changed since base to the remote commit
	// that last did.
	remoteChanged map[string]string
	local         *object.Commit
	used          map[string]bool                              // ids given out by renumbering
	top           map[string]uint64                            // per "<PREFIX>-<YYYY>-", the largest number either side used
	years         map[plumbing.Hash]map[string]map[string]bool // tree -> year folder -> ids in it
	renamed       map[string]string                            // old id -> new id
	created       map[string]bool                              // ids this clone registered since base
	// known is the tree whose cases this clone did not register (base's, or the local
	// commit an interrupted sync pushed last); pushed maps the ids that sync renumbered.
	known  plumbing.Hash
	pushed map[string]string
	out    []Renumbered
	signed int // replayed commits that had a signature
}

func newReplayer(objs storer.EncodedObjectStorer, base, remote, local *object.Commit, remoteCommits []*object.Commit) (*replayer, error) {
	rp := &replayer{objs: objs, base: base, remote: remote, remoteChanged: map[string]string{},
		used: map[string]bool{}, top: map[string]uint64{}, years: map[plumbing.Hash]map[string]map[string]bool{}, renamed: map[string]string{}, created: map[string]bool{}}
	// Newest first: the first commit found for a path is the one that changed it last.
	for _, c := range remoteCommits {
		if len(c.ParentHashes) == 0 {
			continue
		}
		chs, err := commitChanges(objs, c)
		if err != nil {
			return nil, err
		}
		for _, ch := range chs {
			if _, ok := rp.remoteChanged[ch.Path]; !ok {
				rp.remoteChanged[ch.Path] = c.Hash.String()
			}
		}
	}
	rp.local = local
	rp.known = base.TreeHash
	return rp, nil
}

// resume continues the replay of an interrupted sync: the cases of the tree known are
// not new, and the ids in renamed (OLD -> NEW) were renumbered by the pushed commits.
func (rp *replayer) resume(known plumbing.Hash, renamed map[string]string) {
	if known.IsZero() {
		return
	}
	rp.known, rp.pushed = known, renamed
	for old, nid := range renamed {
		rp.renamed[old], rp.created[old], rp.used[nid] = nid, true, true
	}
}

// commitChanges are the files a commit changed from its first parent.
func commitChanges(objs storer.EncodedObjectStorer, c *object.Commit) ([]repo.FileChange, error) {
	pt, err := parentTree(objs, c)
	if err != nil {
		return nil, err
	}
	return repo.TreeChanges(objs, pt, c.TreeHash)
}

func parentTree(objs storer.EncodedObjectStorer, c *object.Commit) (plumbing.Hash, error) {
	if len(c.ParentHashes) == 0 {
		return plumbing.ZeroHash, nil
	}
	p, err := object.GetCommit(objs, c.ParentHashes[0])
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read commit %s: %w", c.ParentHashes[0], err)
	}
	return p.TreeHash, nil
}

// inTree tells whether the tree holds a case with the id. Cases are filed under
// cases/<year of the id>/ (new allocates ids there), so only that folder is listed, once
// per tree and year.
func (rp *replayer) inTree(tree plumbing.Hash, id string) (bool, error) {
	ids, err := rp.yearIDs(tree, id)
	return ids[id], err
}

func (rp *replayer) yearIDs(tree plumbing.Hash, id string) (map[string]bool, error) {
	year := yearOfID(id)
	if rp.years[tree] == nil {
		rp.years[tree] = map[string]map[string]bool{}
	}
	if ids, ok := rp.years[tree][year]; ok {
		return ids, nil
	}
	dir := "cases"
	if year != "" {
		dir += "/" + year
	}
	ids, err := idsUnder(rp.objs, tree, dir)
	if err != nil {
		return nil, err
	}
	rp.years[tree][year] = ids
	return ids, nil
}

// yearOfID is the year of "<PREFIX>-<YYYY>-<N>", "" for an id of another shape.
func yearOfID(id string) string {
	k, _, ok := splitID(id)
	if !ok || len(k) < 6 {
		return ""
	}
	y := k[len(k)-5 : len(k)-1]
	for _, c := range y {
		if c < '0' || c > '9' {
			return ""
		}
	}
	if k[len(k)-6] != '-' {
		return ""
	}
	return y
}

// nextFree is the next number after every id with the key that the remote, this clone or
// an earlier renumbering used.
func (rp *replayer) nextFree(id string) (string, error) {
	k, _, _ := splitID(id)
	if _, ok := rp.top[k]; !ok {
		for _, t := range []plumbing.Hash{rp.remote.TreeHash, rp.local.TreeHash} {
			ids, err := rp.yearIDs(t, id)
			if err != nil {
				return "", err
			}
			for x := range ids {
				if xk, n, ok := splitID(x); ok && xk == k {
					rp.top[k] = max(rp.top[k], n)
				}
			}
		}
	}
	rp.top[k]++
	return fmt.Sprintf("%s%04d", k, rp.top[k]), nil
}

// idsUnder lists the ids of the case files in the folder dir of a tree.
func idsUnder(objs storer.EncodedObjectStorer, tree plumbing.Hash, dir string) (map[string]bool, error) {
	out := map[string]bool{}
	t, err := object.GetTree(objs, tree)
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", tree, err)
	}
	sub, err := t.Tree(dir)
	if err != nil {
		return out, nil // no cases there yet
	}
	var walk func(t *object.Tree) error
	walk = func(t *object.Tree) error {
		for _, e := range t.Entries {
			if e.Mode == filemode.Dir {
				if _, _, ok := splitID(e.Name); ok {
					out[e.Name] = true // a bundle
					continue
				}
				st, err := object.GetTree(objs, e.Hash)
				if err != nil {
					return fmt.Errorf("read tree %s: %w", e.Hash, err)
				}
				if err := walk(st); err != nil {
					return err
				}
				continue
			}
			if id, ok := strings.CutSuffix(e.Name, ".md"); ok {
				if _, _, ok := splitID(id); ok {
					out[id] = true
				}
			}
		}
		return nil
	}
	return out, walk(sub)
}

// splitID splits "<PREFIX>-<YYYY>-<N>" into "<PREFIX>-<YYYY>-" and N.
func splitID(id string) (string, uint64, bool) {
	i := strings.LastIndexByte(id, '-')
	if i <= 0 || i == len(id)-1 {
		return "", 0, false
	}
	var n uint64
	for _, c := range id[i+1:] {
		if c < '0' || c > '9' || n > 1<<60 {
			return "", 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return id[:i+1], n, true
}

// pathID is the id of the case a path under cases/ belongs to: a case file's stem, or the
// folder of a bundle (its index.md and attachments).
func pathID(p string) string {
	rest, ok := strings.CutPrefix(p, "cases/")
	if !ok {
		return ""
	}
	parts := strings.Split(rest, "/")
	for i, part := range parts {
		if i < len(parts)-1 {
			if _, _, ok := splitID(part); ok {
				return part
			}
			continue
		}
		if id, ok := strings.CutSuffix(part, ".md"); ok {
			if _, _, ok := splitID(id); ok {
				return id
			}
		}
	}
	return ""
}

// renamePath puts id new in place of old in a case path.
func renamePath(p, old, new string) string {
	parts := strings.Split(p, "/")
	for i, part := range parts {
		switch part {
		case old:
			parts[i] = new
		case old + ".md":
			parts[i] = new + ".md"
		}
	}
	return strings.Join(parts, "/")
}

// step replays one commit of this clone onto parent and returns the new commit.
func (rp *replayer) step(c *object.Commit, parent *object.Commit, target string) (*object.Commit, error) {
	if len(c.ParentHashes) > 1 {
		return nil, &InputError{Msg: fmt.Sprintf("commit %s of this clone is a merge, which sync does not replay", short(c.Hash.String())),
			Fix: "run `git pull --rebase` (or push with git), then casebook sync"}
	}
	chs, err := commitChanges(rp.objs, c)
	if err != nil {
		return nil, err
	}
	var created []string // ids this commit registers
	for _, ch := range chs {
		id := pathID(ch.Path)
		if id != "" && !ch.Delete && !rp.created[id] {
			inBase, err := rp.inTree(rp.known, id)
			if err != nil {
				return nil, err
			}
			if !inBase {
				rp.created[id] = true
				created = append(created, id)
			}
		}
		// A case registered here since base is this clone's alone (renumbered if the
		// remote used its id); anything else both sides changed is a conflict.
		// A case an interrupted sync renumbered and pushed is shared under its new id.
		p := ch.Path
		nid, pushed := rp.pushed[id]
		if pushed {
			p = renamePath(p, id, nid)
		}
		if rc, ok := rp.remoteChanged[p]; ok && (!rp.created[id] || pushed) {
			return nil, &ConflictError{Case: id, Path: p, Local: c.Hash.String(), Remote: rc, Target: target}
		}
	}
	var extra []string
	for _, id := range created {
		taken, err := rp.inTree(rp.remote.TreeHash, id)
		if err != nil {
			return nil, err
		}
		if !taken && !rp.used[id] {
			continue
		}
		nid, err := rp.nextFree(id)
		if err != nil {
			return nil, err
		}
		rp.renamed[id] = nid
		rp.used[nid] = true
		extra = append(extra, "Casebook-Renumbered: "+id+" -> "+nid)
	}
	out := make([]repo.FileChange, 0, len(chs))
	titles := map[string]string{}
	for _, ch := range chs {
		id := pathID(ch.Path)
		nid, renamed := rp.renamed[id]
		if renamed {
			ch.Path = renamePath(ch.Path, id, nid)
		} else {
			nid = id
		}
		if ch.Delete || id == "" || !(strings.HasSuffix(ch.Path, "/"+nid+".md") || strings.HasSuffix(ch.Path, "/"+nid+"/index.md")) || !renamed && len(rp.renamed) == 0 {
			out = append(out, ch)
			continue
		}
		data, err := readBlob(rp.objs, ch.Blob)
		if err != nil {
			return nil, err
		}
		var sets []cases.Set
		if renamed {
			sets = append(sets, cases.Set{Path: "id", Value: nid})
		}
		if cur, err := cases.Parse(ch.Path, data); err == nil {
			if rel, ok := renameRelated(cur.Fields[policy.FieldRelated], rp.renamed); ok {
				sets = append(sets, cases.Set{Path: policy.FieldRelated, Value: rel})
			}
		}
		if len(sets) == 0 {
			out = append(out, ch)
			continue
		}
		edited, err := cases.Edit(data, sets)
		if err != nil {
			return nil, &InputError{Msg: fmt.Sprintf("%s in commit %s: cannot give it the id %s and its links the new ids: %v", ch.Path, short(c.Hash.String()), nid, err),
				Fix: "repair the file with git, then run casebook sync again"}
		}
		if ch.Blob, err = repo.WriteBlob(rp.objs, edited); err != nil {
			return nil, err
		}
		if renamed {
			if c, err := cases.Parse(ch.Path, edited); err == nil {
				titles[nid], _ = c.Fields["title"].(string)
			}
		}
		out = append(out, ch)
	}
	tree, err := repo.ApplyChanges(rp.objs, parent.TreeHash, out)
	if err != nil {
		return nil, fmt.Errorf("replay commit %s: %w", short(c.Hash.String()), err)
	}
	msg := rewriteMessage(c.Message, rp.renamed, extra)
	if c.PGPSignature != "" {
		rp.signed++
	}
	nc := &object.Commit{
		Author:       c.Author,
		Committer:    object.Signature{Name: rp.committer.Name, Email: rp.committer.Email, When: repo.ReplayTime(rp.now, parent)},
		Message:      msg,
		TreeHash:     tree,
		ParentHashes: []plumbing.Hash{parent.Hash},
	}
	h, err := repo.WriteCommit(rp.objs, nc, rp.sign)
	if err != nil {
		return nil, err
	}
	nc.Hash = h
	for _, id := range created {
		if nid, ok := rp.renamed[id]; ok {
			rp.out = append(rp.out, Renumbered{Old: id, New: nid, Title: titles[nid], Commit: h.String()})
		}
	}
	return nc, nil
}

// renameRelated is the related: list v with each link to a renumbered case pointing at
// its new id, in the shape each item had (a plain id or {id: ..., as: ...}); ok is false
// when no link changes.
func renameRelated(v any, renamed map[string]string) (out []any, ok bool) {
	items, isList := v.([]any)
	if !isList {
		return nil, false
	}
	out = make([]any, len(items))
	for i, it := range items {
		out[i] = it
		switch x := it.(type) {
		case string:
			if nid, hit := renamed[x]; hit {
				out[i], ok = nid, true
			}
		case map[string]any:
			if id, _ := x["id"].(string); renamed[id] != "" {
				m := make(map[string]any, len(x))
				for k, val := range x {
					m[k] = val
				}
				m["id"], ok = renamed[id], true
				out[i] = m
			}
		}
	}
	return out, ok
}

func readBlob(objs storer.EncodedObjectStorer, h plumbing.Hash) ([]byte, error) {
	b, err := object.GetBlob(objs, h)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	if b.Size > 1<<20 {
		return nil, fmt.Errorf("blob %s is %d bytes, more than a case file may hold", h, b.Size)
	}
	r, err := b.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// rewriteMessage puts the new ids in the subject ("OLD: ..." becomes "NEW: ...") and in
// the Casebook-Case trailers, and adds the extra trailers to the last paragraph.
func rewriteMessage(msg string, renamed map[string]string, extra []string) string {
	lines := strings.Split(strings.TrimRight(msg, "\n"), "\n")
	for i, l := range lines {
		for old, nid := range renamed {
			switch {
			case i == 0 && strings.HasPrefix(l, old+":"):
				lines[i] = nid + l[len(old):]
			case l == "Casebook-Case: "+old:
				lines[i] = "Casebook-Case: " + nid
			}
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		last := len(lines) - 1
		if last == 0 || !isTrailer(lines[last]) {
			lines = append(lines, "")
		}
		lines = append(lines, extra...)
	}
	return strings.Join(lines, "\n") + "\n"
}

func isTrailer(l string) bool {
	k, _, ok := strings.Cut(l, ": ")
	return ok && k != "" && !strings.ContainsAny(k, " \t")
}
