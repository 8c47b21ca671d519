package stats

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
)

// Num is a count of stats.json. An internal file has every count exact. A
// public file withholds the counts under MinCell and those that would
// give one away (see Suppress and docs/stats-json.md): such a count is
// Withheld, its N is 0, and it reads JSON null. A sum of counts some of
// which are withheld (Plus, Summary.Add, SumMonths) is Withheld too, with
// N the sum of the known ones: the true sum is at least N.
//
// The zero Num is the exact count 0, so a File built by hand reads as
// an internal one.
type Num struct {
	N        int
	Withheld bool
}

// Plus is the sum of n and o.
func (n Num) Plus(o Num) Num { return Num{N: n.N + o.N, Withheld: n.Withheld || o.Withheld} }

// MarshalJSON writes the count, or null when withheld.
func (n Num) MarshalJSON() ([]byte, error) {
	if n.Withheld {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, int64(n.N), 10), nil
}

// UnmarshalJSON reads a count or null (withheld).
func (n *Num) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Num{Withheld: true}
		return nil
	}
	var v int
	if err := json.Unmarshal(b, &v); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			// The decoder adds the key's path; Parse finds its line.
			return &json.UnmarshalTypeError{Value: typ.Value, Type: reflect.TypeFor[int]()}
		}
		return err
	}
	*n = Num{N: v}
	return nil
}
