package history

import (
	"bytes"
	"sync"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
)

// SignatureVerifier returns a function that checks the OpenPGP signature
// of a commit of r against armoredKeys, the public keys an office trusts
// (validate --keyring): "" when the commit is signed by one of them, else
// why not. It fails when armoredKeys holds no armored key ring. The
// function may be called from several goroutines: go-git's object storage
// is not safe for concurrent reads, so calls take turns.
func SignatureVerifier(r *git.Repository, armoredKeys []byte) (func(hash string) string, error) {
	if _, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(armoredKeys)); err != nil {
		return nil, err
	}
	keys := string(armoredKeys)
	var mu sync.Mutex
	return func(hash string) string {
		mu.Lock()
		defer mu.Unlock()
		c, err := r.CommitObject(plumbing.NewHash(hash))
		if err != nil {
			return err.Error()
		}
		if _, err := c.Verify(keys); err != nil {
			return err.Error()
		}
		return ""
	}, nil
}
