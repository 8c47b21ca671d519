package history

import (
	"fmt"
	"io"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/casebook/casebook/internal/cases"
)

// ReadBlob returns the bytes of a past version of a case file (a
// Version's Blob). It never reads more than the case-file limit: a larger
// blob is an error, so a hostile object in history costs no more than a
// case file.
func ReadBlob(repo *git.Repository, h plumbing.Hash) ([]byte, error) {
	b, err := repo.BlobObject(h)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	if b.Size > cases.DefaultMaxBytes {
		return nil, fmt.Errorf("blob %s is %d bytes, over the %d-byte case-file limit", h, b.Size, cases.DefaultMaxBytes)
	}
	r, err := b.Reader()
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, cases.DefaultMaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	if len(data) > cases.DefaultMaxBytes {
		return nil, fmt.Errorf("blob %s is over the %d-byte case-file limit", h, cases.DefaultMaxBytes)
	}
	return data, nil
}
