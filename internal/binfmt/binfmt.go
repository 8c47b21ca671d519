// Package binfmt is the primitive encoding of casebook's caches under
// .git/casebook: unsigned and signed varints, length-prefixed strings and
// booleans, written by Encoder and read back by Decoder. A Decoder never
// panics on damaged input: after the first error every read returns zero
// values and Err stays set, so a cache file that does not check out is
// simply ignored and rebuilt.
package binfmt

import (
	"encoding/binary"
	"errors"
	"unsafe"
)

// ErrShort is the error of a read past the end of the data.
var ErrShort = errors.New("truncated cache data")

// Encoder appends values to B.
type Encoder struct{ B []byte }

// Uint appends an unsigned varint.
func (e *Encoder) Uint(v uint64) { e.B = binary.AppendUvarint(e.B, v) }

// Int appends a signed varint.
func (e *Encoder) Int(v int64) { e.B = binary.AppendVarint(e.B, v) }

// Str appends a length-prefixed string.
func (e *Encoder) Str(s string) { e.Uint(uint64(len(s))); e.B = append(e.B, s...) }

// Bool appends one byte, 1 or 0.
func (e *Encoder) Bool(v bool) {
	if v {
		e.B = append(e.B, 1)
	} else {
		e.B = append(e.B, 0)
	}
}

// Decoder reads what Encoder wrote from B.
type Decoder struct {
	B   []byte
	Err error
}

// Fail records a damaged input; nothing more is read.
func (d *Decoder) Fail() { d.Err, d.B = ErrShort, nil }

// Uint reads an unsigned varint.
func (d *Decoder) Uint() uint64 {
	if len(d.B) > 0 && d.B[0] < 0x80 { // most lengths and lines fit a byte
		v := uint64(d.B[0])
		d.B = d.B[1:]
		return v
	}
	v, n := binary.Uvarint(d.B)
	if n <= 0 {
		d.Fail()
		return 0
	}
	d.B = d.B[n:]
	return v
}

// Int reads a signed varint.
func (d *Decoder) Int() int64 {
	v, n := binary.Varint(d.B)
	if n <= 0 {
		d.Fail()
		return 0
	}
	d.B = d.B[n:]
	return v
}

// Count reads a length and checks that at least min bytes per item
// remain, so a corrupt length cannot make the reader allocate gigabytes.
func (d *Decoder) Count(min int) int {
	n := d.Uint()
	if n > uint64(len(d.B)/min) {
		d.Fail()
		return 0
	}
	return int(n)
}

// Str returns a string sharing the input's bytes instead of copying them:
// a warm cache decodes hundreds of thousands of strings. The caller must
// never write to the input afterwards, and the input stays alive as long
// as the string does; Bytes lets a caller copy or share instead.
func (d *Decoder) Str() string {
	b := d.Bytes()
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// Bytes reads what Str reads, as a slice of the input: a caller that keeps
// the value copies it (or finds an equal string it already holds), so that
// the input can be freed once decoded.
func (d *Decoder) Bytes() []byte {
	n := d.Count(1)
	if n == 0 {
		return nil
	}
	b := d.B[:n:n]
	d.B = d.B[n:]
	return b
}

// Bool reads one byte written by Encoder.Bool.
func (d *Decoder) Bool() bool {
	if len(d.B) < 1 {
		d.Fail()
		return false
	}
	v := d.B[0] == 1
	d.B = d.B[1:]
	return v
}
