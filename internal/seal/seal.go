package seal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"filippo.io/age"
	"filippo.io/age/armor"
)

// Armor starts every sealed value: the header line of age's ASCII armor.
const Armor = armor.Header

// armorFooter ends every sealed value.
const armorFooter = armor.Footer

// MaxSealed bounds a sealed value: a field's text plus one header stanza
// per recipient fits easily; anything larger is not one of ours.
const MaxSealed = 64 << 10

// envelopeVersion is the version of the envelope format inside the
// ciphertext.
const envelopeVersion = 1

// Envelope is what a sealed value holds: the value and where it belongs.
type Envelope struct {
	// V is the envelope format, 1.
	V int `json:"v"`
	// Case and Field bind the value to one field of one case.
	Case  string `json:"case"`
	Field string `json:"field"`
	// For lists the public keys it was sealed for, sorted, so rekey can
	// tell whether a value already matches the recipients.
	For []string `json:"for"`
	// Value is a string, a whole number, a float64 or a bool.
	Value any `json:"value"`
}

// IsSealed reports whether a front-matter value is a sealed value: a
// string that begins with the armor header. Whether it is well formed is
// Check's business.
func IsSealed(v any) bool {
	s, ok := v.(string)
	return ok && strings.HasPrefix(strings.TrimLeft(s, " \t\r\n"), Armor)
}

// Seal encrypts value for the recipients to, bound to the case id and
// the field path, and returns the armored ciphertext ("-----BEGIN AGE
// ENCRYPTED FILE-----" ...). value must be a scalar: a string, a number or
// a bool.
func Seal(to []Recipient, caseID, field string, value any) (string, error) {
	if len(to) == 0 {
		return "", fmt.Errorf("seal %s %s: no recipients", caseID, field)
	}
	switch v := value.(type) {
	case string, bool, int, int64:
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "", fmt.Errorf("seal %s %s: %v is not a number JSON can carry", caseID, field, v)
		}
	default:
		return "", fmt.Errorf("seal %s %s: a %T cannot be sealed; seal its parts one by one", caseID, field, value)
	}
	keys := make([]string, len(to))
	rs := make([]age.Recipient, len(to))
	for i, r := range to {
		keys[i], rs[i] = r.Key, r.r
	}
	slices.Sort(keys)
	plain, err := json.Marshal(Envelope{V: envelopeVersion, Case: caseID, Field: field, For: keys, Value: value})
	if err != nil {
		return "", fmt.Errorf("seal %s %s: %w", caseID, field, err)
	}
	var buf bytes.Buffer
	aw := armor.NewWriter(&buf)
	w, err := age.Encrypt(aw, rs...)
	if err != nil {
		return "", fmt.Errorf("seal %s %s: %w (fix: declare recipients of one kind in %s, all age1... or all age1pq1...)", caseID, field, err, File)
	}
	if _, err := w.Write(plain); err != nil {
		return "", fmt.Errorf("seal %s %s: %w", caseID, field, err)
	}
	if err := w.Close(); err != nil {
		return "", fmt.Errorf("seal %s %s: %w", caseID, field, err)
	}
	if err := aw.Close(); err != nil {
		return "", fmt.Errorf("seal %s %s: %w", caseID, field, err)
	}
	return buf.String(), nil
}

// ErrNotForYou is returned by Open when none of the identities is among
// the value's recipients: the holder was left out of this case (recusal),
// or joined after the value was sealed and no rekey has run since.
var ErrNotForYou = errors.New("the value is not sealed for any of your identities")

// BindingError is a sealed value that opened but belongs elsewhere: it was
// copied from another case or field.
type BindingError struct {
	// Case and Field are where the value was found.
	Case, Field string
	// Envelope is what it holds, including where it was sealed for.
	Envelope Envelope
}

func (e *BindingError) Error() string {
	return fmt.Sprintf("%s %s holds a value sealed for %s %s: it was copied from another case or field and is not shown (fix: set %s again with casebook set %s %s=...)",
		e.Case, e.Field, orQ(e.Envelope.Case), orQ(e.Envelope.Field), e.Field, e.Case, e.Field)
}

func orQ(s string) string {
	if s == "" {
		return `""`
	}
	return s
}

// MalformedError is a value that starts like a sealed value but is not
// one: damaged armor, or something else behind the header line.
type MalformedError struct {
	Case, Field string
	Why         string
}

func (e *MalformedError) Error() string {
	return fmt.Sprintf("%s %s: the sealed value is damaged: %s (fix: restore it from git history, or set the field again)", e.Case, e.Field, e.Why)
}

// Check reports whether a sealed value is well formed: complete armor
// around an age header, within MaxSealed. It needs no key, so validate can
// run it everywhere.
func Check(armored string) error {
	_, err := dearmor(armored)
	return err
}

// dearmor strips the armor and checks the age header.
func dearmor(armored string) ([]byte, error) {
	if len(armored) > MaxSealed {
		return nil, fmt.Errorf("longer than %d bytes", MaxSealed)
	}
	s := strings.TrimSpace(armored)
	if !strings.HasPrefix(s, Armor) {
		return nil, errors.New("it does not begin with " + Armor)
	}
	if !strings.HasSuffix(s, armorFooter) {
		return nil, errors.New("it does not end with " + armorFooter)
	}
	bin, err := io.ReadAll(armor.NewReader(strings.NewReader(s + "\n")))
	if err != nil {
		return nil, fmt.Errorf("bad armor: %v", err)
	}
	if _, err := age.ExtractHeader(bytes.NewReader(bin)); err != nil || !bytes.HasPrefix(bin, []byte("age-encryption.org/v1\n")) {
		return nil, errors.New("no age header inside the armor")
	}
	return bin, nil
}

// Open decrypts a sealed value found at field of case caseID with the
// identities and checks that it was sealed for that very place. Errors:
// *MalformedError, ErrNotForYou (wrapped), *BindingError.
func Open(ids []age.Identity, caseID, field, armored string) (Envelope, error) {
	bin, err := dearmor(armored)
	if err != nil {
		return Envelope{}, &MalformedError{Case: caseID, Field: field, Why: err.Error()}
	}
	if len(ids) == 0 {
		return Envelope{}, fmt.Errorf("%s %s: %w (no identity given)", caseID, field, ErrNotForYou)
	}
	r, err := age.Decrypt(bytes.NewReader(bin), ids...)
	var nm *age.NoIdentityMatchError
	if errors.As(err, &nm) {
		return Envelope{}, fmt.Errorf("%s %s: %w (left out of this case, or added after it was sealed: a holder of another key can run casebook rekey)", caseID, field, ErrNotForYou)
	}
	if err != nil {
		return Envelope{}, &MalformedError{Case: caseID, Field: field, Why: err.Error()}
	}
	plain, err := io.ReadAll(io.LimitReader(r, MaxSealed))
	if err != nil {
		return Envelope{}, &MalformedError{Case: caseID, Field: field, Why: err.Error()}
	}
	env, err := decodeEnvelope(plain)
	if err != nil {
		return Envelope{}, &MalformedError{Case: caseID, Field: field, Why: err.Error()}
	}
	if env.Case != caseID || env.Field != field {
		return env, &BindingError{Case: caseID, Field: field, Envelope: env}
	}
	return env, nil
}

// decodeEnvelope reads the JSON inside a sealed value, with numbers as
// int when whole and float64 otherwise, as the case parser reads them.
func decodeEnvelope(plain []byte) (Envelope, error) {
	var raw struct {
		V     int             `json:"v"`
		Case  string          `json:"case"`
		Field string          `json:"field"`
		For   []string        `json:"for"`
		Value json.RawMessage `json:"value"`
	}
	dec := json.NewDecoder(bytes.NewReader(plain))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return Envelope{}, fmt.Errorf("not a casebook envelope: %v", err)
	}
	if raw.V != envelopeVersion {
		return Envelope{}, fmt.Errorf("envelope version %d (this casebook reads %d)", raw.V, envelopeVersion)
	}
	env := Envelope{V: raw.V, Case: raw.Case, Field: raw.Field, For: raw.For}
	vd := json.NewDecoder(bytes.NewReader(raw.Value))
	vd.UseNumber()
	var v any
	if err := vd.Decode(&v); err != nil {
		return Envelope{}, fmt.Errorf("envelope value: %v", err)
	}
	switch x := v.(type) {
	case string, bool:
		env.Value = x
	case json.Number:
		if n, err := strconv.Atoi(x.String()); err == nil {
			env.Value = n
		} else if f, err := x.Float64(); err == nil {
			env.Value = f
		} else {
			return Envelope{}, fmt.Errorf("envelope value %s: %v", x, err)
		}
	default:
		return Envelope{}, fmt.Errorf("envelope value of type %T", v)
	}
	return env, nil
}

// SealedFor reports whether env was sealed for exactly the recipients to.
func (env Envelope) SealedFor(to []Recipient) bool {
	keys := make([]string, len(to))
	for i, r := range to {
		keys[i] = r.Key
	}
	slices.Sort(keys)
	return slices.Equal(keys, env.For)
}
