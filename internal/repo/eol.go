package repo

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing/format/gitattributes"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// LineEndings is git's end-of-line conversion for the files of one work tree: what a file
// holds in the repository (ToGit, what `git add` stores) and in the work tree (ToWorkTree,
// what `git checkout` writes). It follows git's convert.c: the attributes text, eol and
// the older crlf (gitattributes(5)), with the macro binary, from $GIT_DIR/info/attributes,
// the .gitattributes files of the work tree on the file's path, the global attributes file
// (core.attributesFile, by default $XDG_CONFIG_HOME/git/attributes) and the system one
// (/etc/gitattributes, none with GIT_ATTR_NOSYSTEM); then core.autocrlf and core.eol from
// the repository's, the global and the system git config.
//
// One difference is deliberate: with core.autocrlf or text=auto git leaves a file alone when
// the version in the index has a carriage return, so that turning the setting on does not
// make old files dirty; ToGit normalises them anyway, as `git add --renormalize` does, so
// that every version casebook commits has LF endings. git status stays clean after it: the
// index then holds no carriage return either.
//
// A LineEndings reads nested .gitattributes files as it meets them and keeps them; it is
// not safe for concurrent use.
type LineEndings struct {
	root     string
	autocrlf autoCRLF
	// crlfText is git's text_eol_is_crlf: text files get CRLF in the work tree.
	crlfText bool
	// outer are the system, global and root attributes, inner info/attributes: the lowest
	// and the highest priority around the nested files.
	outer, inner []gitattributes.MatchAttribute
	nested       map[string][]gitattributes.MatchAttribute // by directory
	macros       map[string][]gitattributes.Attribute
	actions      map[string]crlfAction // by path: a bulk write converts the same files often
}

type autoCRLF int

const (
	autoCRLFFalse autoCRLF = iota
	autoCRLFTrue
	autoCRLFInput
)

// crlfAction is git's enum convert_crlf_action.
type crlfAction int

const (
	crlfUndefined crlfAction = iota
	crlfBinary               // no conversion
	crlfText                 // text: LF in git, the work tree's ending from config
	crlfTextInput            // text, LF in the work tree
	crlfTextCRLF             // text, CRLF in the work tree
	crlfAuto                 // text=auto: text unless it looks binary
	crlfAutoInput
	crlfAutoCRLF
)

func (a crlfAction) auto() bool {
	return a == crlfAuto || a == crlfAutoInput || a == crlfAutoCRLF
}

// maxAttrFile is the size above which git (2.40 and later) ignores an attributes file.
const maxAttrFile = 100 << 20

// binaryMacro is git's built-in macro.
var binaryMacro = mustAttrLine("[attr]binary -diff -merge -text")

func mustAttrLine(line string) []gitattributes.Attribute {
	m, err := gitattributes.ParseAttributesLine(line, nil, true)
	if err != nil {
		panic(err)
	}
	return m.Attributes
}

// LoadLineEndings reads the configuration and the attributes files that decide the line
// endings of the files in the work tree root of repo. It reads the nested .gitattributes
// files later, when a path needs them.
func LoadLineEndings(repo *git.Repository, root string) (*LineEndings, error) {
	cfgs, err := configChain(repo)
	if err != nil {
		return nil, err
	}
	le := &LineEndings{root: root, nested: map[string][]gitattributes.MatchAttribute{},
		macros: map[string][]gitattributes.Attribute{"binary": binaryMacro}, actions: map[string]crlfAction{}}
	if le.autocrlf, err = readAutoCRLF(cfgs); err != nil {
		return nil, err
	}
	le.crlfText = textEOLIsCRLF(le.autocrlf, coreOption(cfgs, "eol"))

	var files []string
	if os.Getenv("GIT_ATTR_NOSYSTEM") == "" {
		files = append(files, "/etc/gitattributes")
	}
	files = append(files, globalAttributesFile(cfgs))
	for _, f := range files {
		if f == "" {
			continue
		}
		if err := le.readFile(&le.outer, f, nil, true); err != nil {
			return nil, err
		}
	}
	if root != "" {
		if err := le.readFile(&le.outer, filepath.Join(root, ".gitattributes"), nil, true); err != nil {
			return nil, err
		}
	}
	if repo != nil {
		if fsys, ok := repo.Storer.(*filesystem.Storage); ok {
			info := filepath.Join(fsys.Filesystem().Root(), "info", "attributes")
			if err := le.readFile(&le.inner, info, nil, true); err != nil {
				return nil, err
			}
		}
	}
	return le, nil
}

// readAutoCRLF is core.autocrlf: true, false or input; git refuses any other value.
func readAutoCRLF(cfgs []*config.Config) (autoCRLF, error) {
	for _, c := range cfgs {
		core := c.Raw.Section("core")
		if !core.HasOption("autocrlf") {
			continue
		}
		v := strings.ToLower(core.Option("autocrlf"))
		switch v {
		case "input":
			return autoCRLFInput, nil
		case "", "true", "yes", "on", "1": // a key without a value is true
			return autoCRLFTrue, nil
		case "false", "no", "off", "0":
			return autoCRLFFalse, nil
		}
		return autoCRLFFalse, fmt.Errorf("git config core.autocrlf = %q: want true, false or input; fix it with `git config core.autocrlf true` (or false, input)", v)
	}
	return autoCRLFFalse, nil
}

// textEOLIsCRLF is git's text_eol_is_crlf: core.autocrlf decides, then core.eol, whose
// default (native) is CRLF on Windows only. Another value of core.eol counts as unset, as
// in git.
func textEOLIsCRLF(ac autoCRLF, coreEOL string) bool {
	switch ac {
	case autoCRLFTrue:
		return true
	case autoCRLFInput:
		return false
	}
	switch strings.ToLower(coreEOL) {
	case "crlf":
		return true
	case "lf":
		return false
	}
	return runtime.GOOS == "windows"
}

// coreOption is the value of core.<key> from the first config that has it.
func coreOption(cfgs []*config.Config, key string) string {
	for _, c := range cfgs {
		if core := c.Raw.Section("core"); core.HasOption(key) {
			return core.Option(key)
		}
	}
	return ""
}

// globalAttributesFile is core.attributesFile, by default $XDG_CONFIG_HOME/git/attributes
// (~/.config/git/attributes).
func globalAttributesFile(cfgs []*config.Config) string {
	home, _ := os.UserHomeDir()
	if f := coreOption(cfgs, "attributesfile"); f != "" {
		if rest, ok := strings.CutPrefix(f, "~/"); ok && home != "" {
			return filepath.Join(home, rest)
		}
		return f
	}
	if xdg := os.Getenv("XDG_CONFIG_HOME"); xdg != "" {
		return filepath.Join(xdg, "git", "attributes")
	}
	if home == "" {
		return ""
	}
	return filepath.Join(home, ".config", "git", "attributes")
}

// readFile appends the patterns of an attributes file, whose patterns are relative to the
// folder domain, and records its macros when they are allowed there. As git does, it skips
// a missing file, a symbolic link, a file over maxAttrFile, and the lines it cannot read (a
// bad attribute name, a negative pattern, a macro where none may be defined).
func (le *LineEndings) readFile(out *[]gitattributes.MatchAttribute, name string, domain []string, allowMacro bool) error {
	fi, err := os.Lstat(name)
	if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	if !fi.Mode().IsRegular() || fi.Size() > maxAttrFile {
		return nil
	}
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	defer f.Close()
	r := bufio.NewReader(f)
	for {
		line, err := r.ReadString('\n')
		if len(line) > 0 {
			le.addLine(out, line, domain, allowMacro)
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
	}
}

func (le *LineEndings) addLine(out *[]gitattributes.MatchAttribute, line string, domain []string, allowMacro bool) {
	line = strings.TrimSpace(line)
	if line == "" || line[0] == '#' || line[0] == '!' {
		return
	}
	m, err := gitattributes.ParseAttributesLine(line, domain, allowMacro)
	if err != nil || m.Name == "" {
		return
	}
	if m.Pattern == nil {
		le.macros[m.Name] = m.Attributes
		return
	}
	*out = append(*out, m)
}

// dirAttributes returns the patterns of the .gitattributes file in the folder dir (slash
// path, not the root), reading it the first time.
func (le *LineEndings) dirAttributes(dir string) []gitattributes.MatchAttribute {
	if m, ok := le.nested[dir]; ok {
		return m
	}
	var m []gitattributes.MatchAttribute
	if le.root != "" {
		// An unreadable nested file counts as absent: the attributes of the root decide.
		_ = le.readFile(&m, filepath.Join(le.root, filepath.FromSlash(dir), ".gitattributes"), strings.Split(dir, "/"), false)
	}
	le.nested[dir] = m
	return m
}

// attributes returns the values of text, eol and crlf for path, by git's rules: the
// highest-priority line that matches decides an attribute; within a line the last
// mention; a macro set on a line sets its attributes where nothing of higher priority has.
func (le *LineEndings) attributes(path string) map[string]gitattributes.Attribute {
	// The stack in decreasing priority: info/attributes, then the nested files from the
	// deepest up, then the root, global and system files.
	stack := [][]gitattributes.MatchAttribute{le.inner}
	parts := strings.Split(path, "/")
	for i := len(parts) - 1; i >= 1; i-- {
		stack = append(stack, le.dirAttributes(strings.Join(parts[:i], "/")))
	}
	stack = append(stack, le.outer)

	got := map[string]gitattributes.Attribute{}
	decided := func() bool {
		_, t := got["text"]
		_, e := got["eol"]
		_, c := got["crlf"]
		return t && e && c
	}
	var fill func(attrs []gitattributes.Attribute, depth int)
	fill = func(attrs []gitattributes.Attribute, depth int) {
		for i := len(attrs) - 1; i >= 0; i-- {
			a := attrs[i]
			if _, ok := got[a.Name()]; ok {
				continue
			}
			got[a.Name()] = a
			if m, ok := le.macros[a.Name()]; ok && a.IsSet() && depth < 8 {
				fill(m, depth+1)
			}
		}
	}
	for _, file := range stack {
		for i := len(file) - 1; i >= 0; i-- {
			if decided() {
				return got
			}
			if file[i].Pattern.Match(parts) {
				fill(file[i].Attributes, 0)
			}
		}
	}
	return got
}

// action is git's convert_attrs: what the attributes and the config make of path.
func (le *LineEndings) action(path string) crlfAction {
	if a, ok := le.actions[path]; ok {
		return a
	}
	a := le.decide(path)
	le.actions[path] = a
	return a
}

func (le *LineEndings) decide(path string) crlfAction {
	at := le.attributes(path)
	a := crlfOf(at["text"])
	if a == crlfUndefined {
		a = crlfOf(at["crlf"])
	}
	if a != crlfBinary {
		eol := ""
		if e, ok := at["eol"]; ok && e.IsValueSet() {
			eol = e.Value()
		}
		switch {
		case a == crlfAuto && eol == "lf":
			a = crlfAutoInput
		case a == crlfAuto && eol == "crlf":
			a = crlfAutoCRLF
		case eol == "lf":
			a = crlfTextInput
		case eol == "crlf":
			a = crlfTextCRLF
		}
	}
	switch {
	case a == crlfText && le.crlfText:
		a = crlfTextCRLF
	case a == crlfText:
		a = crlfTextInput
	case a == crlfUndefined && le.autocrlf == autoCRLFTrue:
		a = crlfAutoCRLF
	case a == crlfUndefined && le.autocrlf == autoCRLFInput:
		a = crlfAutoInput
	case a == crlfUndefined:
		a = crlfBinary
	}
	return a
}

// crlfOf is git_path_check_crlf for the attribute text or crlf.
func crlfOf(a gitattributes.Attribute) crlfAction {
	switch {
	case a == nil || a.IsUnspecified():
		return crlfUndefined
	case a.IsSet():
		return crlfText
	case a.IsUnset():
		return crlfBinary
	case a.Value() == "input":
		return crlfTextInput
	case a.Value() == "auto":
		return crlfAuto
	}
	return crlfUndefined
}

// crlfInWorkTree is git's output_eol == EOL_CRLF.
func (le *LineEndings) crlfInWorkTree(a crlfAction) bool {
	switch a {
	case crlfTextCRLF, crlfAutoCRLF:
		return true
	case crlfAuto:
		return le.crlfText
	}
	return false
}

// textStat is git's struct text_stat.
type textStat struct {
	nul, loneCR, loneLF, crlf, printable, nonPrintable int
}

func gatherStats(b []byte) textStat {
	var s textStat
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '\r':
			if i+1 < len(b) && b[i+1] == '\n' {
				s.crlf++
				i++
			} else {
				s.loneCR++
			}
		case c == '\n':
			s.loneLF++
		case c == 127:
			s.nonPrintable++
		case c == '\b' || c == '\t' || c == 033 || c == 014:
			s.printable++
		case c == 0:
			s.nul++
			s.nonPrintable++
		case c < 32:
			s.nonPrintable++
		default:
			s.printable++
		}
	}
	// A DOS end-of-file character at the end does not make a file binary.
	if len(b) > 0 && b[len(b)-1] == 032 {
		s.nonPrintable--
	}
	return s
}

// binary is git's convert_is_binary: what auto leaves alone.
func (s textStat) binary() bool {
	return s.loneCR > 0 || s.nul > 0 || s.printable>>7 < s.nonPrintable
}

// ToGit returns data, the content of the work-tree file at path (slash-separated,
// relative to the root), as git stores it: CRLF made LF in a text file.
func (le *LineEndings) ToGit(path string, data []byte) []byte {
	if le == nil {
		return data
	}
	a := le.action(path)
	if a == crlfBinary || len(data) == 0 {
		return data
	}
	st := gatherStats(data)
	if st.crlf == 0 {
		return data
	}
	if a.auto() {
		if st.binary() {
			return data
		}
		// Not binary, so no lone CR: every CR ends a line.
		return bytes.ReplaceAll(data, []byte("\r"), nil)
	}
	return bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
}

// ToWorkTree returns blob, the content of path in the repository, as git checks it out:
// LF made CRLF in a text file when the attributes or the config ask for CRLF.
func (le *LineEndings) ToWorkTree(path string, blob []byte) []byte {
	a := le.action(path)
	if len(blob) == 0 || !le.crlfInWorkTree(a) {
		return blob
	}
	st := gatherStats(blob)
	if st.loneLF == 0 {
		return blob
	}
	if a.auto() && (st.loneCR > 0 || st.crlf > 0 || st.binary()) {
		return blob
	}
	out := make([]byte, 0, len(blob)+st.loneLF)
	for i, c := range blob {
		if c == '\n' && (i == 0 || blob[i-1] != '\r') {
			out = append(out, '\r')
		}
		out = append(out, c)
	}
	return out
}

// convert returns the changes as they go into the repository and into the work tree.
func (le *LineEndings) convert(changes []Change) (blobs, files []Change) {
	blobs = make([]Change, len(changes))
	files = make([]Change, len(changes))
	for i, c := range changes {
		blobs[i], files[i] = c, c
		blobs[i].Data = le.ToGit(c.Path, c.Data)
		files[i].Data = le.ToWorkTree(c.Path, blobs[i].Data)
	}
	return blobs, files
}
