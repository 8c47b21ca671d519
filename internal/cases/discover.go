package cases

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/casebook/casebook/internal/msg"
)

// Entry is one case file found under cases/.
type Entry struct {
	// Path is relative to the repository root, with slashes
	// ("cases/2026/09/30/BANK-2026-0007.md").
	Path string
	// Bundle is true when Path is a bundle's index.md; Attachments are the
	// bundle folder's other files, relative to that folder, sorted.
	Bundle      bool
	Attachments []string
}

// Dir is the folder, relative to the repository root, that holds the cases.
const Dir = "cases"

// Discover finds every case file under root/cases: each *.md file, except
// a README.md directly in cases/, and each bundle, a folder holding an
// index.md whose other files (Markdown included) are its attachments.
// Hidden files and folders (".git", ".DS_Store") are skipped. Symbolic links
// are never followed, so a case cannot be read from outside the repository:
// each one found is returned as a problem instead. A missing cases/ folder
// is not an error; it holds no cases. Entries and problems are sorted by
// path.
func Discover(root string) ([]Entry, []*msg.FileError, error) {
	d := discoverer{root: root}
	top := filepath.Join(root, Dir)
	fi, err := os.Lstat(top)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil, nil
	case err != nil:
		return nil, nil, fmt.Errorf("discover cases: %w", err)
	case fi.Mode()&fs.ModeSymlink != 0:
		d.symlink(Dir)
		return nil, d.problems, nil
	case !fi.IsDir():
		return nil, nil, fmt.Errorf("discover cases: %s is not a folder (fix: move it away and create the folder %s/)", top, Dir)
	}
	if err := d.dir(Dir); err != nil {
		return nil, nil, err
	}
	slices.SortFunc(d.entries, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) })
	slices.SortStableFunc(d.problems, func(a, b *msg.FileError) int { return strings.Compare(a.File, b.File) })
	return d.entries, d.problems, nil
}

type discoverer struct {
	root     string
	entries  []Entry
	problems []*msg.FileError
}

func (d *discoverer) abs(rel string) string { return filepath.Join(d.root, filepath.FromSlash(rel)) }

func (d *discoverer) symlink(rel string) {
	d.problems = append(d.problems, symlinkError(rel))
}

func (d *discoverer) irregular(rel string) {
	d.problems = append(d.problems, &msg.FileError{File: rel, Msg: msg.T("既不是普通文件，也不是文件夹", "not a regular file or folder"), Fix: removeFix})
}

var removeFix = msg.T("把它移出 cases/", "remove it from cases/")

func symlinkError(rel string) *msg.FileError {
	return &msg.FileError{File: rel, Msg: msg.T("这是符号链接，不会跟着读", "symlink not followed"),
		Fix: msg.T("用文件本身替换这个链接：只读取仓库里面的案件", "replace the link with the file itself: cases are read only from inside the repository")}
}

// safe guards the invariant that every path stays below cases/; ReadDir
// never yields ".." but a path that escaped would let a case be read from
// anywhere.
func (d *discoverer) safe(rel string) bool {
	for part := range strings.SplitSeq(rel, "/") {
		if part == ".." || part == "." || part == "" {
			d.problems = append(d.problems, &msg.FileError{File: rel, Msg: msg.T("路径跑出了 cases 文件夹", "path leaves the cases folder"), Fix: msg.T("给文件改名", "rename the file")})
			return false
		}
	}
	return true
}

func (d *discoverer) dir(rel string) error {
	des, err := os.ReadDir(d.abs(rel))
	if err != nil {
		return fmt.Errorf("discover cases: %w", err)
	}
	for _, de := range des {
		if de.Name() == ".git" {
			return submoduleError(rel)
		}
	}
	for _, de := range des {
		if de.Name() == "index.md" && de.Type().IsRegular() {
			return d.bundle(rel)
		}
	}
	for _, de := range des {
		name := de.Name()
		child := path.Join(rel, name)
		switch {
		case strings.HasPrefix(name, "."):
		case !d.safe(child):
		case de.Type()&fs.ModeSymlink != 0:
			d.symlink(child)
		case de.IsDir():
			if err := d.dir(child); err != nil {
				return err
			}
		case !de.Type().IsRegular():
			d.irregular(child)
		case !strings.HasSuffix(name, ".md"):
			// Stray non-Markdown files outside bundles are not cases.
		case rel == Dir && name == "README.md":
		default:
			d.entries = append(d.entries, Entry{Path: child})
		}
	}
	return nil
}

// ErrSubmodule is returned for a git repository (a submodule, or a clone
// put there by hand) under cases/: its files have their own history, which
// the office's audit trail does not hold, so they are never read as cases.
var ErrSubmodule = errors.New("a git repository under " + Dir + "/")

func submoduleError(rel string) error {
	return fmt.Errorf("%s: %w: its files have a history of their own that this office's audit trail does not hold, so they are not cases (fix: move the folder out of %s/ and add its case files to this repository with git add, or remove the submodule with git rm)", rel, ErrSubmodule, Dir)
}

// CheckSubmodules reports a submodule that .gitmodules (its content given)
// declares at or under cases/, also when it is not checked out.
func CheckSubmodules(gitmodules []byte) error {
	for line := range strings.SplitSeq(string(gitmodules), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok || strings.TrimSpace(k) != "path" {
			continue
		}
		p := strings.Trim(strings.TrimSpace(v), `"`)
		p = strings.TrimPrefix(path.Clean("/"+strings.ReplaceAll(p, `\`, "/")), "/")
		if p == Dir || strings.HasPrefix(p, Dir+"/") {
			return fmt.Errorf(".gitmodules: %s: %w: its files have a history of their own that this office's audit trail does not hold, so they are not cases (fix: remove the submodule with git rm %s and add its case files to this repository)", p, ErrSubmodule, p)
		}
	}
	return nil
}

func (d *discoverer) bundle(rel string) error {
	e := Entry{Path: path.Join(rel, "index.md"), Bundle: true}
	var walk func(sub string) error
	walk = func(sub string) error {
		des, err := os.ReadDir(d.abs(path.Join(rel, sub)))
		if err != nil {
			return fmt.Errorf("discover cases: %w", err)
		}
		for _, de := range des {
			name := de.Name()
			if name == ".git" {
				return submoduleError(path.Join(rel, sub))
			}
			inBundle := path.Join(sub, name)
			child := path.Join(rel, inBundle)
			switch {
			case strings.HasPrefix(name, "."):
			case !d.safe(child):
			case de.Type()&fs.ModeSymlink != 0:
				d.symlink(child)
			case de.IsDir():
				if err := walk(inBundle); err != nil {
					return err
				}
			case !de.Type().IsRegular():
				d.irregular(child)
			case inBundle == "index.md":
			default:
				e.Attachments = append(e.Attachments, inBundle)
			}
		}
		return nil
	}
	if err := walk(""); err != nil {
		return err
	}
	slices.Sort(e.Attachments)
	d.entries = append(d.entries, e)
	return nil
}

// ParseFile reads and parses the case e under root. The size limit is
// checked before the file is read, and again while reading, so a huge or
// growing file costs no more than the limit. A symlink is refused.
func ParseFile(root string, e Entry, opts ...Option) (*Case, error) {
	o := newOptions(opts)
	data, err := readCase(root, e, o.maxBytes)
	if err != nil {
		return nil, err
	}
	c, _, err := parse(e.Path, data, o)
	if err != nil {
		return nil, err
	}
	c.fromEntry(e)
	c.Blob = hashBlob(data)
	return c, nil
}

// fromEntry sets what the file's place, not its bytes, says about a case.
func (c *Case) fromEntry(e Entry) {
	c.File = e.Path
	for i := range c.FieldErrors {
		c.FieldErrors[i].File = e.Path
	}
	c.Bundle = e.Bundle
	c.Attachments = slices.Clone(e.Attachments)
}

// readCase reads the file of e, refusing symlinks, other non-regular files
// and files over limit bytes.
func readCase(root string, e Entry, limit int64) ([]byte, error) {
	data, _, err := readStat(root, e, limit)
	return data, err
}

// readStat is readCase that also returns the file's stat, taken when it
// was opened.
func readStat(root string, e Entry, limit int64) ([]byte, fs.FileInfo, error) {
	name := filepath.Join(root, filepath.FromSlash(e.Path))
	f, fi, err := openRegular(name)
	if err != nil {
		return nil, nil, fmt.Errorf("read case %s: %w", e.Path, err)
	}
	if f != nil {
		defer f.Close()
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return nil, nil, symlinkError(e.Path)
	}
	if !fi.Mode().IsRegular() {
		return nil, nil, &msg.FileError{File: e.Path, Msg: msg.T("不是普通文件", "not a regular file"), Fix: removeFix}
	}
	if fi.Size() > limit {
		return nil, nil, tooLarge(e.Path, fi.Size(), limit)
	}
	data, err := readAtMost(f, fi.Size(), limit+1)
	if err != nil {
		return nil, nil, fmt.Errorf("read case %s: %w", e.Path, err)
	}
	if int64(len(data)) > limit {
		return nil, nil, tooLarge(e.Path, int64(len(data)), limit)
	}
	return data, fi, nil
}

// readAtMost reads r to its end or to max bytes. A file of the size it
// was stat'ed at is read into one allocation of that size, and the read
// stops there without a second call to see the end: a hundred thousand
// files make every system call count. A file that grew after the stat is
// read as it was.
func readAtMost(r io.Reader, size, max int64) ([]byte, error) {
	r = io.LimitReader(r, max)
	data := make([]byte, 0, min(size, max))
	for {
		if len(data) == cap(data) {
			if int64(len(data)) == size && size > 0 {
				return data, nil
			}
			data = slices.Grow(data, 4096)
		}
		n, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		switch {
		case err == io.EOF:
			return data, nil
		case err != nil:
			return nil, err
		}
	}
}
