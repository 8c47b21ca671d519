package cases

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"

	"github.com/casebook/casebook/internal/binfmt"
)

// CacheFile is the parse cache's file name in its directory.
const CacheFile = cacheFile

// CheckCacheFile says why OpenCache would ignore the parse cache in dir:
// another format version, torn, or a checksum that does not match. A
// missing or sound file gives nil, whatever options it was built with (a
// file built for another time zone is not damaged, only unused). casebook
// doctor uses it: OpenCache itself never reports a bad cache.
func CheckCacheFile(dir string) error {
	raw, err := os.ReadFile(filepath.Join(dir, cacheFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(raw, []byte(cacheMagic)) {
		return errors.New("unknown header (another casebook version)")
	}
	// The header's options: the time zone and the size limit.
	d := binfmt.Decoder{B: raw[len(cacheMagic):]}
	d.Str()
	d.Int()
	if d.Err != nil {
		return errors.New("truncated header")
	}
	hdr := raw[:len(raw)-len(d.B)]
	if len(raw) < len(hdr)+4 {
		return errors.New("truncated")
	}
	if _, ok := readIndex(raw, hdr); !ok {
		return errors.New("checksum mismatch or entries that do not decode")
	}
	return nil
}
