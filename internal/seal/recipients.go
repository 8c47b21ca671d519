package seal

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"filippo.io/age"

	"github.com/casebook/casebook/internal/msg"
)

// File is where a repository declares its recipients, relative to the
// repository root.
const File = "policies/recipients.txt"

// Recipient is one key personal data is sealed for.
type Recipient struct {
	// Name is how cases refer to the key holder, to leave them out; it is
	// empty for an unnamed key.
	Name string
	// Key is the public key as written, "age1..." or "age1pq1...".
	Key string
	// Line is the line of File it was declared on.
	Line int
	r    age.Recipient
}

// Recipients are the keys of a repository, in file order.
type Recipients struct {
	File string
	List []Recipient
}

// LoadRecipients reads File under root. A repository without the file, or
// whose file lists no key, declares no recipients: nil, nil. A problem of
// the file is a *msg.FileError.
func LoadRecipients(root string) (*Recipients, error) {
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(File)))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", File, err)
	}
	rs, err := ParseRecipients(File, data)
	if err != nil || len(rs.List) == 0 {
		return nil, err
	}
	return rs, nil
}

// ParseRecipients reads a recipients file: one age public key per line;
// blank lines and lines starting with # are ignored. A key may carry the
// name of its holder, either before it ("张三: age1...") or as a comment
// after it ("age1... # 张三"); the first form wins when both are given.
// Keys and names must be unique.
func ParseRecipients(file string, data []byte) (*Recipients, error) {
	rs := &Recipients{File: file}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\uFEFF"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		bad := func(m, fix msg.Text) error { return &msg.FileError{File: file, Line: n, Msg: m, Fix: fix} }
		rest, comment, _ := strings.Cut(line, "#")
		rest, comment = strings.TrimSpace(rest), strings.TrimSpace(comment)
		name, key := comment, rest
		if before, after, ok := strings.Cut(rest, ":"); ok {
			name, key = strings.TrimSpace(before), strings.TrimSpace(after)
			if name == "" {
				return nil, bad(msg.T("冒号前面的名字是空的", "an empty name before the colon"), msg.T("写成「姓名: age1...」，或只写密钥", "write `NAME: age1...`, or the key alone"))
			}
		}
		if strings.HasPrefix(strings.ToUpper(key), "AGE-SECRET-KEY-") {
			return nil, bad(msg.T("这是私钥，绝不能提交", "this is a private key, which must never be committed"),
				msg.T("删除它，换一把新密钥，改写它的公钥（age-keygen -y 密钥文件）", "remove it, rotate it, and write its public key instead (age-keygen -y KEYFILE)"))
		}
		r, err := age.ParseRecipients(strings.NewReader(key))
		if err != nil || len(r) != 1 || strings.ContainsAny(key, " \t") {
			return nil, bad(msg.T("%q 不是 age 公钥", "%q is not an age public key").Sprintf(key),
				msg.T("一行写一个密钥，照 age-keygen 打印的样子（age1...），也可以写成「姓名: age1...」", "write one key per line, as age-keygen prints it (age1...), optionally `NAME: age1...`"))
		}
		for _, o := range rs.List {
			if o.Key == key {
				return nil, bad(msg.T("这个密钥在第 %d 行已经写过", "the key is already declared on line %d").Sprintf(o.Line), msg.T("删除其中一行", "remove one of the two lines"))
			}
			if name != "" && o.Name == name {
				return nil, bad(msg.T("名字 %q 在第 %d 行已经用过", "the name %q is already used on line %d").Sprintf(name, o.Line), msg.T("每个持钥人用不同的名字", "give each key holder a distinct name"))
			}
		}
		rs.List = append(rs.List, Recipient{Name: name, Key: key, Line: n, r: r[0]})
	}
	if err := sc.Err(); err != nil {
		return nil, &msg.FileError{File: file, Msg: msg.T("读不了：%v", "%v").Sprintf(err)}
	}
	return rs, nil
}

// Keys returns the public keys, in file order.
func (rs *Recipients) Keys() []string {
	if rs == nil {
		return nil
	}
	out := make([]string, len(rs.List))
	for i, r := range rs.List {
		out[i] = r.Key
	}
	return out
}

// Without returns the recipients whose names are not in exclude: the
// keys one case's values are sealed for. Names that match no recipient are
// ignored (a respondent usually holds no key). Leaving out every key is an
// error: nobody could read the value.
func (rs *Recipients) Without(exclude []string) ([]Recipient, error) {
	if rs == nil {
		return nil, nil
	}
	var out []Recipient
	for _, r := range rs.List {
		if r.Name != "" && slices.Contains(exclude, r.Name) {
			continue
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("every recipient of %s is excluded from this case (%s), so nobody could read its personal data (fix: add the key of someone who may read it to %s)",
			rs.File, strings.Join(exclude, ", "), rs.File)
	}
	return out, nil
}

// Excluded returns the names of exclude that are recipients, sorted: who
// is actually left out.
func (rs *Recipients) Excluded(exclude []string) []string {
	if rs == nil {
		return nil
	}
	var out []string
	for _, r := range rs.List {
		if r.Name != "" && slices.Contains(exclude, r.Name) {
			out = append(out, r.Name)
		}
	}
	slices.Sort(out)
	return out
}
