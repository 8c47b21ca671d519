package clerk

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// idPattern is what an id may look like: letters, digits and hyphens. It
// keeps ids from naming files outside cases/ ("../x").
var idPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*$`)

// yearOf reads the year from an id <PREFIX>-<YYYY>-<NNNN>, 0 if none.
func yearOf(id string) int {
	parts := strings.Split(id, "-")
	if len(parts) < 3 {
		return 0
	}
	y := parts[len(parts)-2]
	if len(y) != 4 {
		return 0
	}
	n := 0
	for _, c := range y {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// Locate finds the file of case id in the work tree: <id>.md or
// <id>/index.md anywhere under cases/. The year in the id narrows the
// search to cases/<year>/ first, so a 100,000-case office does not list
// every folder.
func Locate(root, id string) (string, error) {
	if !idPattern.MatchString(id) {
		return "", &InputError{Msg: fmt.Sprintf("%q is not a case id", id), Fix: "ids look like BANK-2026-0007 (casebook list shows them)"}
	}
	var dirs []string
	if y := yearOf(id); y > 0 {
		dirs = append(dirs, fmt.Sprintf("cases/%d", y), fmt.Sprintf("cases/%d", y+1))
	}
	dirs = append(dirs, "cases")
	for _, d := range dirs {
		found, err := search(root, d, id)
		if err != nil {
			return "", err
		}
		if found != "" {
			return found, nil
		}
	}
	return "", &InputError{Msg: fmt.Sprintf("no case %s under cases/", id), Fix: "check the id with `casebook list`"}
}

var errFound = errors.New("found")

func search(root, dir, id string) (string, error) {
	found, err := find(root, dir, id, false)
	if err != nil || len(found) == 0 {
		return "", err
	}
	return found[0], nil
}

// searchAll finds every file of case id under dir.
func searchAll(root, dir, id string) ([]string, error) { return find(root, dir, id, true) }

// find walks dir for <id>.md files and <id>/index.md bundles, stopping at
// the first unless all.
func find(root, dir, id string, all bool) ([]string, error) {
	var found []string
	err := filepath.WalkDir(filepath.Join(root, filepath.FromSlash(dir)), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return fs.SkipDir
			}
			return err
		}
		name := d.Name()
		hit := ""
		switch {
		case d.IsDir() && name == id:
			if st, err := os.Lstat(filepath.Join(p, "index.md")); err == nil && st.Mode().IsRegular() {
				hit = filepath.Join(p, "index.md")
			}
		case d.Type().IsRegular() && name == id+".md":
			hit = p
		}
		if hit == "" {
			return nil
		}
		rel, err := filepath.Rel(root, hit)
		if err != nil {
			return err
		}
		found = append(found, path.Clean(filepath.ToSlash(rel)))
		if !all {
			return errFound
		}
		return nil
	})
	if err != nil && !errors.Is(err, errFound) {
		return nil, err
	}
	sort.Strings(found)
	return found, nil
}
