package policy

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/calendar"
	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/policies"
)

// AckFile is the file in policies/ that holds acknowledged findings; it is
// not a policy.
const AckFile = "acknowledged.yaml"

// CalendarFile is the office's calendar file in policies/, shared by
// every policy (see calendar.File); it is not a policy.
const CalendarFile = "calendar.yaml"

// Set is the policies an office repository uses: the embedded defaults,
// each overridden by the file of the same name in the repository's
// policies/ folder, plus the repository's own.
type Set struct {
	byID   map[string]*Policy
	source map[string]string
	own    []string // ids loaded from the repository's policies/, sorted
	cal    *calendar.File
}

// LoadSet loads the embedded policies and <root>/policies/*.yaml (root ""
// loads the embedded ones only). Every file must load and hold the policy
// whose id is its name. All problems of all files come back together, as
// msg.FileErrors (a *msg.FileError when there is one).
func LoadSet(root string) (*Set, error) {
	type entry struct {
		name, file string // file name, and the name used in problems
		data       []byte
		own        bool
	}
	files := map[string]entry{}
	var errs msg.FileErrors
	var calFile *calendar.File

	embedded, err := fs.Glob(policies.FS, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("list embedded policies: %w", err)
	}
	for _, name := range embedded {
		if name == AckFile || name == CalendarFile {
			continue
		}
		data, err := policies.FS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read embedded policy %s: %w", name, err)
		}
		files[name] = entry{name: name, file: "embedded:" + name, data: data}
	}
	if root != "" {
		disk, err := filepath.Glob(filepath.Join(root, "policies", "*.yaml"))
		if err != nil {
			return nil, fmt.Errorf("list policies in %s: %w", root, err)
		}
		stray, _ := filepath.Glob(filepath.Join(root, "policies", "*.yml"))
		for _, p := range stray {
			name := filepath.Base(p)
			errs = append(errs, &msg.FileError{File: path.Join("policies", name), Msg: msg.T("政策文件的扩展名是 .yaml；这个文件不会读取", "policy files end in .yaml; this one is ignored"),
				Fix: msg.T("改名为 %s.yaml", "rename it to %s.yaml").Sprintf(strings.TrimSuffix(name, ".yml"))})
		}
		for _, p := range disk {
			name := filepath.Base(p)
			if name == AckFile {
				continue
			}
			if name == CalendarFile {
				var cerrs msg.FileErrors
				calFile, cerrs = LoadCalendarFile(p, path.Join("policies", name))
				errs = append(errs, cerrs...)
				continue
			}
			rel := path.Join("policies", name)
			data, err := readPolicyFile(p)
			if err != nil {
				errs = append(errs, readProblem(rel, msg.T("%v", "%v"), err))
				continue
			}
			files[name] = entry{name: name, file: rel, data: data, own: true}
		}
	}

	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	s := &Set{byID: map[string]*Policy{}, source: map[string]string{}, cal: calFile}
	for _, name := range names {
		e := files[name]
		p, perrs := load(e.file, e.data)
		if len(perrs) > 0 {
			errs = append(errs, perrs...)
			continue
		}
		if stem := strings.TrimSuffix(name, ".yaml"); p.ID != stem {
			errs = append(errs, &msg.FileError{File: e.file, Msg: msg.T("政策 id %q 和文件名 %s 不一致", "policy id %q differs from the file name %s").Sprintf(p.ID, name),
				Fix: renameFix.Sprintf(p.ID, stem)})
			continue
		}
		p.OfficeCalendar = calFile
		s.byID[p.ID] = p
		s.source[p.ID] = "embedded"
		if e.own {
			s.source[p.ID] = e.file
			s.own = append(s.own, p.ID)
		}
	}
	if len(errs) > 0 {
		return nil, report(errs)
	}
	return s, nil
}

var renameFix = msg.T("把文件改名为 %s.yaml，或写 id: %s", "rename the file to %s.yaml, or set id: %s")

// LoadCalendarFile reads and checks the office's calendar file at full;
// problems name it rel. A missing file is no calendar and no problem.
func LoadCalendarFile(full, rel string) (*calendar.File, msg.FileErrors) {
	if _, err := os.Lstat(full); errors.Is(err, fs.ErrNotExist) { // a dangling link is a problem, not no file
		return nil, nil
	}
	data, err := readPolicyFile(full)
	if err != nil {
		return nil, msg.FileErrors{readProblem(rel, msg.T("%v", "%v"), err)}
	}
	f, errs := calendar.ParseFile(data)
	for _, e := range errs {
		e.File = rel
	}
	return f, errs
}

// errSymlink is the problem of a policy file, or calendar.yaml, that is
// a symbolic link.
var errSymlink = msg.Errorf(msg.T("这是符号链接，不会跟着读：只读取仓库里面的政策文件", "symlink not followed: policy files are read only from inside the repository"))

// readProblem is the problem of a policy file readPolicyFile refused,
// format saying the error; its fix says what to do.
func readProblem(file string, format msg.Text, err error) *msg.FileError {
	fix := msg.T("让文件可以读取，或删除它", "make the file readable, or remove it")
	if errors.Is(err, errSymlink) {
		fix = msg.T("用文件本身替换这个链接", "replace the link with the file itself")
	}
	var own *msg.FileError
	if !errors.As(err, &own) {
		format = msg.T("读不了："+format.Zh, format.En)
	}
	return &msg.FileError{File: file, Msg: format.Sprintf(err), Fix: fix}
}

// Calendar is the office's calendar file, nil when the repository has
// none.
func (s *Set) Calendar() *calendar.File { return s.cal }

// readPolicyFile reads a policy file, refusing oversized ones before
// reading them, and symbolic links: a cloned repository's link could make
// casebook read (and quote in its problems) any file of the machine, such
// as /etc/passwd; cases are read the same way (symlink not followed).
func readPolicyFile(name string) ([]byte, error) {
	info, err := os.Lstat(name)
	if err != nil {
		return nil, err
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		return nil, errSymlink
	}
	if !info.Mode().IsRegular() {
		return nil, msg.Errorf(msg.T("%s 不是普通文件", "%s is not a regular file"), name)
	}
	if info.Size() > MaxFileSize {
		return nil, msg.Errorf(tooLargeMsg)
	}
	return os.ReadFile(name)
}

// Get returns the policy with the given id.
func (s *Set) Get(id string) (*Policy, bool) {
	p, ok := s.byID[id]
	return p, ok
}

// IDs returns the ids of all policies, sorted.
func (s *Set) IDs() []string {
	ids := make([]string, 0, len(s.byID))
	for id := range s.byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Only returns the policy a case without a policy: key belongs to: the
// single policy in the repository's own policies/ folder, or the single
// policy of the set. It reports false when that is ambiguous.
func (s *Set) Only() (*Policy, bool) {
	if len(s.own) == 1 {
		return s.byID[s.own[0]], true
	}
	if len(s.own) == 0 && len(s.byID) == 1 {
		for _, p := range s.byID {
			return p, true
		}
	}
	return nil, false
}

// ShortestLateEntry returns the shortest late-entry window of the set's
// policies (DefaultLateEntry for an empty set).
func (s *Set) ShortestLateEntry() time.Duration {
	w := DefaultLateEntry
	for _, p := range s.byID {
		w = min(w, p.LateEntryWindow)
	}
	return w
}

// Source returns where a policy came from: "embedded", or its file path
// relative to the repository root ("policies/bank.yaml"); "" if unknown.
func (s *Set) Source(id string) string {
	return s.source[id]
}

// Check loads policy files and returns their problems (nil when all are
// fine). Relative file names are taken relative to root; problems name the
// files as given. Without files it checks the whole set of root, as
// LoadSet would load it.
func Check(root string, files ...string) msg.FileErrors {
	if len(files) == 0 {
		_, err := LoadSet(root)
		return ErrorList(err)
	}
	var errs msg.FileErrors
	for _, name := range files {
		full := name
		if !filepath.IsAbs(full) && root != "" {
			full = filepath.Join(root, full)
		}
		if filepath.Base(full) == CalendarFile {
			_, cerrs := LoadCalendarFile(full, name)
			errs = append(errs, cerrs...)
			continue
		}
		data, err := readPolicyFile(full)
		if err != nil {
			pe := readProblem(name, msg.T("读不了政策：%v", "read policy: %v"), err)
			pe.Fix = msg.T("检查文件名", "check the file name")
			errs = append(errs, pe)
			continue
		}
		p, perrs := load(name, data)
		errs = append(errs, perrs...)
		if p != nil && filepath.Base(filepath.Dir(full)) == "policies" {
			if stem := strings.TrimSuffix(filepath.Base(full), filepath.Ext(full)); p.ID != stem {
				errs = append(errs, &msg.FileError{File: name, Msg: msg.T("政策 id %q 和文件名不一致", "policy id %q differs from the file name").Sprintf(p.ID),
					Fix: renameFix.Sprintf(p.ID, stem)})
			}
		}
	}
	if len(errs) == 0 {
		return nil
	}
	errs.Sort()
	return errs
}

// ErrorList returns the problems in an error from Load, LoadSet or Check
// as a list: one entry per *msg.FileError, and one without a position for
// any other error. nil gives nil.
func ErrorList(err error) msg.FileErrors {
	if err == nil {
		return nil
	}
	var es msg.FileErrors
	if errors.As(err, &es) {
		return es
	}
	var e *msg.FileError
	if errors.As(err, &e) {
		return msg.FileErrors{e}
	}
	return msg.FileErrors{{Msg: msg.T(msg.ErrorIn(err, msg.Zh), err.Error())}}
}
