package account_test

import (
	"errors"
	"testing"

	"github.com/tqreg/tqreg/account"
)

// FuzzVerifyPHC: Verify never panics on any stored string; a failure is a
// *HashError; only the real hash of the password verifies.
func FuzzVerifyPHC(f *testing.F) {
	h := newHasher(f, fastParams, 1)
	good, err := h.Hash("pw")
	if err != nil {
		f.Fatal(err)
	}
	f.Add("pw", good)
	f.Add("pw", good+"$")
	f.Add("", "$argon2id$v=19$m=64,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Add("pw", "$argon2id$v=19$m=4294967295,t=4294967295,p=255$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("pw", "$argon2id$v=19$m=64,t=1,p=0$$")
	f.Add("pw", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")
	f.Add("pw", "$$$$$$")
	f.Fuzz(func(t *testing.T, password, stored string) {
		ok, err := h.Verify(password, stored)
		if err != nil {
			var he *account.HashError
			if ok || !errors.Is(err, account.ErrInvalidHash) || !errors.As(err, &he) {
				t.Fatalf("Verify = %v, %v", ok, err)
			}
			// A hash beyond the hasher's limits may have higher params than
			// the hasher (no rehash); any other unusable hash needs one.
			if he.Problem != account.HashParamsOutOfRange && !h.NeedsRehash(stored) {
				t.Fatal("unusable hash does not need a rehash")
			}
			return
		}
		if ok && stored == good && password != "pw" {
			t.Fatalf("password %q verified against the hash of another", password)
		}
		_ = h.NeedsRehash(stored)
	})
}
