package seal

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"filippo.io/age"

	"github.com/casebook/casebook/internal/msg"
)

// LoadIdentities reads an age identity file (as age-keygen writes it: one
// AGE-SECRET-KEY-1... per line, # comments). The error never quotes the
// file's content, which is secret.
func LoadIdentities(file string) ([]age.Identity, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("identity: %w (fix: give the file age-keygen wrote, with --identity FILE or CASEBOOK_IDENTITY=FILE)", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("identity %s: %w", file, err)
	}
	if strings.HasPrefix(strings.TrimSpace(string(data)), "age1") {
		return nil, &msg.FileError{File: file, Msg: msg.T("这是公钥（接收人），不是身份密钥", "this is a public key (a recipient), not an identity"),
			Fix: msg.T("给出 age-keygen 写的私钥文件（AGE-SECRET-KEY-1...）", "give the private key file (AGE-SECRET-KEY-1...) that age-keygen wrote")}
	}
	ids, err := age.ParseIdentities(strings.NewReader(string(data)))
	if err != nil {
		return nil, &msg.FileError{File: file, Msg: msg.T("不是 age 身份密钥文件：%v", "not an age identity file: %v").Sprintf(err),
			Fix: msg.T("给出 age-keygen 写的文件（AGE-SECRET-KEY-1... 行）；不读有口令保护的密钥和 SSH 密钥", "give the file age-keygen wrote (AGE-SECRET-KEY-1... lines); passphrase-protected and SSH keys are not read")}
	}
	return ids, nil
}

// Withheld is what stands for a sealed value that is not opened: no
// identity was given, or it cannot open the value.
func Withheld(lang string) string {
	if lang == "en" {
		return "withheld"
	}
	return "已隐藏"
}

// Reveal returns a copy of a case's fields in which every sealed value in
// a mapping (at any depth) is replaced by its plaintext when ids open it,
// and by withheld otherwise. Values sealed for another case or field, and
// damaged ones, are withheld too and come back as errors, one per value;
// so do values none of ids opens, when ids were given. Nothing fails: the
// caller shows what it can and reports the rest. fields itself is not
// changed.
func Reveal(fields map[string]any, caseID string, ids []age.Identity, withheld string) (map[string]any, []error) {
	var errs []error
	var walk func(prefix string, m map[string]any) map[string]any
	walk = func(prefix string, m map[string]any) map[string]any {
		out := make(map[string]any, len(m))
		for k, v := range m {
			path := prefix + k
			switch x := v.(type) {
			case map[string]any:
				out[k] = walk(path+".", x)
			case string:
				if !IsSealed(x) {
					out[k] = x
					continue
				}
				out[k] = withheld
				env, err := Open(ids, caseID, path, x)
				switch {
				case err == nil:
					out[k] = env.Value
				case errors.Is(err, ErrNotForYou) && len(ids) == 0:
					// No identity: withheld is the expected answer.
				default:
					errs = append(errs, err)
				}
			default:
				out[k] = v
			}
		}
		return out
	}
	out := walk("", fields)
	sortErrors(errs)
	return out, errs
}

// Sealed lists the paths of the sealed values in fields' mappings, sorted.
func Sealed(fields map[string]any) []string {
	var out []string
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			switch x := v.(type) {
			case map[string]any:
				walk(prefix+k+".", x)
			default:
				if IsSealed(x) {
					out = append(out, prefix+k)
				}
			}
		}
	}
	walk("", fields)
	sortStrings(out)
	return out
}

// Identity is an age identity (a private key) that opens sealed values.
type Identity = age.Identity

// sortErrors orders errors by message: map iteration must not decide the
// order a user reads them in.
func sortErrors(errs []error) {
	slices.SortFunc(errs, func(a, b error) int {
		switch {
		case a.Error() < b.Error():
			return -1
		case a.Error() > b.Error():
			return 1
		}
		return 0
	})
}

func sortStrings(xs []string) { slices.Sort(xs) }
