package history

import (
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/casebook/casebook/internal/cases"
)

// ReadBlob returns the bytes of a past version of a case file (a
// Version's Blob). It never inflates more than the case-file limit: a
// larger blob is an error, known from the object's header, so a hostile
// object in history costs no more than a case file.
func ReadBlob(repo *git.Repository, h plumbing.Hash) ([]byte, error) {
	s := newObjectStore(repo, 0)
	defer s.close()
	typ, data, err := s.readLimited(h, cases.DefaultMaxBytes)
	var big *tooLargeError
	switch {
	case errors.As(err, &big):
		return nil, fmt.Errorf("blob %s is %d bytes, over the %d-byte case-file limit", h, big.size, cases.DefaultMaxBytes)
	case err != nil:
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	case typ != objBlob:
		return nil, fmt.Errorf("read blob %s: %w", h, plumbing.ErrObjectNotFound)
	}
	return data, nil
}

// snapshot decodes blob h, a version of a case file, inflating no more of
// it than a case file may hold: a larger blob is a snapshot whose Err is
// the parse error of a file over the limit.
func (s *objectStore) snapshot(h hash) (Snapshot, error) {
	_, data, err := s.readLimited(h, cases.DefaultMaxBytes)
	var big *tooLargeError
	switch {
	case errors.As(err, &big) && big.base:
		return Snapshot{Err: fmt.Sprintf("this version is stored as a delta of a %d-byte object, more than casebook inflates to read a case file (fix: repack the repository with git repack -a -d -f)", big.size)}, nil
	case errors.As(err, &big):
		return Snapshot{Err: parseErrText(cases.TooLarge("", big.size))}, nil
	case err != nil:
		return Snapshot{}, err
	}
	return Decode(data), nil
}
