package history

import (
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

func TestSignatureVerifier(t *testing.T) {
	at := func() time.Time { return time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC) }
	cfg := &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA, Time: at}
	office, err := openpgp.NewEntity("王某", "", "wang@example.com", cfg)
	if err != nil {
		t.Fatal(err)
	}
	stranger, err := openpgp.NewEntity("李某", "", "li@example.com", cfg)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	r, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := r.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	who := &object.Signature{Name: "王某", Email: "wang@example.com", When: at()}
	commit := func(key *openpgp.Entity) string {
		h, err := wt.Commit("BANK-2026-0001: new (received)", &git.CommitOptions{AllowEmptyCommits: true, Author: who, Committer: who, SignKey: key})
		if err != nil {
			t.Fatal(err)
		}
		return h.String()
	}
	signed, unsigned, foreign := commit(office), commit(nil), commit(stranger)

	verify, err := SignatureVerifier(r, publicKey(t, office))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, hash string
		ok         bool
		want       string // part of the reason, when there is one to name
	}{
		{"signed by a trusted key", signed, true, ""},
		{"not signed", unsigned, false, ""},
		{"signed by a key the office does not trust", foreign, false, "signature"},
		{"no such commit", plumbing.ZeroHash.String(), false, "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := verify(tt.hash)
			if tt.ok != (got == "") {
				t.Errorf("verify = %q, want ok %v", got, tt.ok)
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("verify = %q, want a reason naming %q", got, tt.want)
			}
		})
	}
}

func TestSignatureVerifier_RefusesWhatIsNoKeyRing(t *testing.T) {
	r, err := git.PlainInit(t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := SignatureVerifier(r, []byte("not a key ring\n")); err == nil {
		t.Error("SignatureVerifier accepted a file that holds no armored keys")
	}
}

func publicKey(t *testing.T, e *openpgp.Entity) []byte {
	t.Helper()
	var b strings.Builder
	w, err := armor.Encode(&b, openpgp.PublicKeyType, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Serialize(w); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return []byte(b.String())
}
