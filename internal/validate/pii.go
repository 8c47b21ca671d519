package validate

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/casebook/casebook/internal/office"
)

// RecipientsFile lists the age recipients personal data is encrypted for,
// one per line. A repository without it keeps personal data in plain text
// (protected only by who may clone the repository).
const RecipientsFile = "policies/recipients.txt"

// ArmorPrefix starts every encrypted field value.
const ArmorPrefix = "-----BEGIN AGE ENCRYPTED FILE-----"

// Recipients reads the repository's declared recipients (nil when none).
func Recipients(root string) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(RecipientsFile)))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out, sc.Err()
}

// piiPlaintext reports personal data stored in plain text; called only
// when the repository declares recipients.
func piiPlaintext(r *office.Record) []Finding {
	if r.Policy == nil {
		return nil
	}
	var fs []Finding
	for _, path := range r.Policy.PIIPaths() {
		v, ok := r.Case.Get(path)
		if !ok || v == nil {
			continue
		}
		s := fmt.Sprint(v)
		if strings.TrimSpace(s) == "" || strings.HasPrefix(strings.TrimSpace(s), ArmorPrefix) {
			continue
		}
		fs = append(fs, finding(r, "pii.plaintext", path, fmt.Sprintf("%s is personal data and is stored in plain text, but the repository declares encryption recipients (%s)", path, RecipientsFile),
			"encrypt the value for the recipients listed in "+RecipientsFile+" (an age-armored value), or remove the recipients file if this repository does not encrypt"))
	}
	return fs
}
