package validate

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/casebook/casebook/internal/msg"
)

// confusable is a character that looks like (or hides between) the ASCII
// of a case id, with its Unicode name and the ASCII it passes for ("" for
// an invisible one, which is to be deleted).
type confusable struct {
	name  string
	ascii string
}

// confusables are the characters an id is most often spoiled with: typed
// with a Chinese input method (full width), pasted from a word processor
// (dashes, invisible characters), or forged to pass for another case
// (Cyrillic and Greek capitals). Full-width letters and digits are
// computed in lookAlike, not listed.
var confusables = map[rune]confusable{
	// Dashes.
	'\u2010': {"HYPHEN", "-"},
	'\u2011': {"NON-BREAKING HYPHEN", "-"},
	'\u2012': {"FIGURE DASH", "-"},
	'\u2013': {"EN DASH", "-"},
	'\u2014': {"EM DASH", "-"},
	'\u2015': {"HORIZONTAL BAR", "-"},
	'\u2043': {"HYPHEN BULLET", "-"},
	'\u2212': {"MINUS SIGN", "-"},
	'\u2E3A': {"TWO-EM DASH", "-"},
	'\uFE58': {"SMALL EM DASH", "-"},
	'\uFE63': {"SMALL HYPHEN-MINUS", "-"},
	'\uFF0D': {"FULLWIDTH HYPHEN-MINUS", "-"},
	'\u30FC': {"KATAKANA-HIRAGANA PROLONGED SOUND MARK", "-"},
	// Invisible characters and spaces.
	'\u00A0': {"NO-BREAK SPACE", ""},
	'\u00AD': {"SOFT HYPHEN", ""},
	'\u180E': {"MONGOLIAN VOWEL SEPARATOR", ""},
	'\u200B': {"ZERO WIDTH SPACE", ""},
	'\u200C': {"ZERO WIDTH NON-JOINER", ""},
	'\u200D': {"ZERO WIDTH JOINER", ""},
	'\u200E': {"LEFT-TO-RIGHT MARK", ""},
	'\u200F': {"RIGHT-TO-LEFT MARK", ""},
	'\u202A': {"LEFT-TO-RIGHT EMBEDDING", ""},
	'\u202B': {"RIGHT-TO-LEFT EMBEDDING", ""},
	'\u202C': {"POP DIRECTIONAL FORMATTING", ""},
	'\u202D': {"LEFT-TO-RIGHT OVERRIDE", ""},
	'\u202E': {"RIGHT-TO-LEFT OVERRIDE", ""},
	'\u2060': {"WORD JOINER", ""},
	'\u2066': {"LEFT-TO-RIGHT ISOLATE", ""},
	'\u2067': {"RIGHT-TO-LEFT ISOLATE", ""},
	'\u2068': {"FIRST STRONG ISOLATE", ""},
	'\u2069': {"POP DIRECTIONAL ISOLATE", ""},
	'\u3000': {"IDEOGRAPHIC SPACE", ""},
	'\uFEFF': {"ZERO WIDTH NO-BREAK SPACE", ""},
	// Cyrillic.
	'А': {"CYRILLIC CAPITAL LETTER A", "A"},
	'В': {"CYRILLIC CAPITAL LETTER VE", "B"},
	'Е': {"CYRILLIC CAPITAL LETTER IE", "E"},
	'К': {"CYRILLIC CAPITAL LETTER KA", "K"},
	'М': {"CYRILLIC CAPITAL LETTER EM", "M"},
	'Н': {"CYRILLIC CAPITAL LETTER EN", "H"},
	'О': {"CYRILLIC CAPITAL LETTER O", "O"},
	'Р': {"CYRILLIC CAPITAL LETTER ER", "P"},
	'С': {"CYRILLIC CAPITAL LETTER ES", "C"},
	'Т': {"CYRILLIC CAPITAL LETTER TE", "T"},
	'Х': {"CYRILLIC CAPITAL LETTER HA", "X"},
	'Ѕ': {"CYRILLIC CAPITAL LETTER DZE", "S"},
	'І': {"CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I", "I"},
	'Ј': {"CYRILLIC CAPITAL LETTER JE", "J"},
	'Ү': {"CYRILLIC CAPITAL LETTER STRAIGHT U", "Y"},
	'а': {"CYRILLIC SMALL LETTER A", "a"},
	'е': {"CYRILLIC SMALL LETTER IE", "e"},
	'о': {"CYRILLIC SMALL LETTER O", "o"},
	'р': {"CYRILLIC SMALL LETTER ER", "p"},
	'с': {"CYRILLIC SMALL LETTER ES", "c"},
	'у': {"CYRILLIC SMALL LETTER U", "y"},
	'х': {"CYRILLIC SMALL LETTER HA", "x"},
	'і': {"CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I", "i"},
	'ј': {"CYRILLIC SMALL LETTER JE", "j"},
	'ѕ': {"CYRILLIC SMALL LETTER DZE", "s"},
	// Greek.
	'Α': {"GREEK CAPITAL LETTER ALPHA", "A"},
	'Β': {"GREEK CAPITAL LETTER BETA", "B"},
	'Ε': {"GREEK CAPITAL LETTER EPSILON", "E"},
	'Ζ': {"GREEK CAPITAL LETTER ZETA", "Z"},
	'Η': {"GREEK CAPITAL LETTER ETA", "H"},
	'Ι': {"GREEK CAPITAL LETTER IOTA", "I"},
	'Κ': {"GREEK CAPITAL LETTER KAPPA", "K"},
	'Μ': {"GREEK CAPITAL LETTER MU", "M"},
	'Ν': {"GREEK CAPITAL LETTER NU", "N"},
	'Ο': {"GREEK CAPITAL LETTER OMICRON", "O"},
	'Ρ': {"GREEK CAPITAL LETTER RHO", "P"},
	'Τ': {"GREEK CAPITAL LETTER TAU", "T"},
	'Υ': {"GREEK CAPITAL LETTER UPSILON", "Y"},
	'Χ': {"GREEK CAPITAL LETTER CHI", "X"},
	'ο': {"GREEK SMALL LETTER OMICRON", "o"},
}

// fullWidth maps a full-width ASCII form (U+FF01..U+FF5E, what a Chinese
// input method types in its full-width mode) to its ASCII character.
func fullWidth(r rune) (rune, bool) {
	if r >= 0xFF01 && r <= 0xFF5E {
		return r - 0xFF01 + '!', true
	}
	return 0, false
}

// lookAlike names a non-ASCII character of an id, "U+2010 HYPHEN", and
// says what to type instead. The Unicode name stays in the Chinese words
// too: it is what tells two look-alikes apart.
func lookAlike(r rune) (name, advice msg.Text) {
	code := fmt.Sprintf("U+%04X", r)
	halfWidth := func(zhKind, enKind string, a rune) msg.Text {
		return msg.T(fmt.Sprintf("改用半角%s %c（把输入法切换到半角）", zhKind, a), fmt.Sprintf("use the ASCII %s %c (switch the input method to half width)", enKind, a))
	}
	if a, ok := fullWidth(r); ok {
		switch {
		case a >= '0' && a <= '9':
			return msg.T(fmt.Sprintf("%s 全角数字 %c", code, a), fmt.Sprintf("%s FULLWIDTH DIGIT %s", code, digitNames[a-'0'])), halfWidth("数字", "digit", a)
		case a >= 'A' && a <= 'Z':
			return msg.T(fmt.Sprintf("%s 全角大写字母 %c", code, a), fmt.Sprintf("%s FULLWIDTH LATIN CAPITAL LETTER %c", code, a)), halfWidth("字母", "letter", a)
		case a >= 'a' && a <= 'z':
			return msg.T(fmt.Sprintf("%s 全角小写字母 %c", code, a), fmt.Sprintf("%s FULLWIDTH LATIN SMALL LETTER %c", code, a-'a'+'A')), halfWidth("字母", "letter", a)
		}
	}
	if c, ok := confusables[r]; ok {
		name := msg.Same(code + " " + c.name)
		switch {
		case c.ascii == "":
			return name, msg.T("这是看不见的字符：删除它", "it is invisible: delete it")
		case c.ascii == "-":
			return name, msg.T("改用半角连字符 -", "use the ASCII hyphen-minus")
		default:
			return name, msg.T("改用拉丁字母 "+c.ascii, "use the Latin letter "+c.ascii)
		}
	}
	switch {
	case unicode.IsDigit(r):
		return msg.T(fmt.Sprintf("%s %q，不是 ASCII 数字", code, r), fmt.Sprintf("%s %q, a digit that is not ASCII", code, r)), msg.T("改用 ASCII 数字 0-9", "use the ASCII digits 0-9")
	case !unicode.IsGraphic(r) || unicode.IsSpace(r):
		return msg.T(code+"，一个看不见的字符", code+", an invisible character"), msg.T("删除它", "delete it")
	}
	return msg.Same(fmt.Sprintf("%s %q", code, r)), msg.T("编号只能由 ASCII 字母、数字和连字符组成", "ids are ASCII letters, digits and hyphens")
}

var digitNames = [10]string{"ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE"}

// asciiSkeleton is id with every known look-alike replaced by the ASCII it
// passes for and every invisible character dropped; characters without an
// ASCII counterpart are kept, so the result fails idShape.
func asciiSkeleton(id string) string {
	var b strings.Builder
	for _, r := range id {
		if a, ok := fullWidth(r); ok {
			b.WriteRune(a)
			continue
		}
		if c, ok := confusables[r]; ok {
			b.WriteString(c.ascii)
			continue
		}
		if !unicode.IsGraphic(r) && r >= 0x80 {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
