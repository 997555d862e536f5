package account_test

import (
	"errors"
	"testing"

	"github.com/tqreg/tqreg/account"
)

// FuzzParseResidentID: no panic; every failure is an ErrInvalidID; a parsed
// value is 18 characters whose String parses back to the same value.
func FuzzParseResidentID(f *testing.F) {
	for _, s := range validIDs {
		f.Add(s)
	}
	for _, s := range []string{"", "110105491231002", "11010519491231002x", " 110105194912310021 ",
		"810000199508080032", "110105202606020013", "110105190002290022", "1101051949123100２", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := account.ParseResidentIDAt(s, testNow)
		if err != nil {
			if !errors.Is(err, account.ErrInvalidID) {
				t.Fatalf("error %v does not match ErrInvalidID", err)
			}
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			if !id.IsZero() {
				t.Fatal("non-zero ID with an error")
			}
			return
		}
		out := id.String()
		if len(out) != 18 || id.IsZero() {
			t.Fatalf("String() = %q, want 18 characters", out)
		}
		again, err := account.ParseResidentIDAt(out, testNow)
		if err != nil || again != id {
			t.Fatalf("String() %q parses to %v, %v; want %v", out, again, err, id)
		}
		if got, err := account.ValidateDocumentAt(account.DocResidentID, s, testNow); err != nil || got != out {
			t.Fatalf("ValidateDocumentAt(DocResidentID) = %q, %v; want %q", got, err, out)
		}
		if b := id.Birth(); b.IsZero() || b.After(testNow) || b.Year() < 1900 {
			t.Fatalf("Birth() = %v out of range", b)
		}
	})
}
