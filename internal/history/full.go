package history

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/msg"
)

// decodeFull is Decode for front-matter the fast path cannot vouch for: the
// full parse of package cases decides the id, the status and whether the
// file is a case. Keys keep the raw-text fingerprints of the line scanner
// where it finds the parsed key, so that respelling one field shows as a
// change of that field only; a key it cannot find (quoted, inside a flow
// mapping) is fingerprinted by its parsed value.
func decodeFull(data []byte) Snapshot {
	var s Snapshot
	c, err := cases.Parse("", data)
	if err != nil {
		s.Err = parseErrText(err)
		return s
	}
	s.ID, s.Status = c.ID, c.Status
	if body := bytes.TrimSpace([]byte(c.Body)); len(body) > 0 {
		s.Body = textHash(body)
	}
	raw, _ := scanKeys(data)
	s.Keys = make([]KeyHash, 0, len(c.Keys))
	for _, k := range c.Keys {
		i, found := slices.BinarySearchFunc(raw, k, func(x KeyHash, k string) int {
			switch {
			case x.Key < k:
				return -1
			case x.Key > k:
				return 1
			}
			return 0
		})
		h := uint64(0)
		if found {
			h = raw[i].Hash
		} else {
			h = fnv64a(canonical(nil, c.Fields[k]))
		}
		s.Keys = append(s.Keys, KeyHash{intern([]byte(k)), h})
	}
	s.Keys = sortKeys(s.Keys)
	return s
}

// parseErrText is a parse error as Snapshot.Err holds it: its line in the
// file, what is wrong and the fix, without the (unknown) file name.
func parseErrText(err error) string {
	var pe *msg.FileError
	if !errors.As(err, &pe) {
		return err.Error()
	}
	s := pe.Msg.En
	if pe.Line > 0 {
		s = fmt.Sprintf("line %d: %s", pe.Line, s)
	}
	if pe.Fix.En != "" {
		s += " (fix: " + pe.Fix.En + ")"
	}
	return s
}

// canonical appends an encoding of a parsed value that is the same for
// every YAML spelling of it: a type byte, then the content, mappings in
// key order, strings and lists length-prefixed.
func canonical(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, 'n')
	case string:
		b = binary.AppendUvarint(append(b, 's'), uint64(len(v)))
		return append(b, v...)
	case bool:
		if v {
			return append(b, 'T')
		}
		return append(b, 'F')
	case int:
		return strconv.AppendInt(append(b, 'i'), int64(v), 10)
	case float64:
		return binary.LittleEndian.AppendUint64(append(b, 'f'), math.Float64bits(v))
	case []any:
		b = binary.AppendUvarint(append(b, 'l'), uint64(len(v)))
		for _, x := range v {
			b = canonical(b, x)
		}
		return b
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = binary.AppendUvarint(append(b, 'm'), uint64(len(keys)))
		for _, k := range keys {
			b = canonical(b, k)
			b = canonical(b, v[k])
		}
		return b
	}
	return fmt.Appendf(append(b, '?'), "%v", v)
}
