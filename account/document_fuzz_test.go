package account_test

import (
	"errors"
	"testing"

	"github.com/tqreg/tqreg/account"
)

// FuzzValidateDocument: no panic; every failure is typed; a canonical number
// validates to itself (canonicalisation is idempotent).
func FuzzValidateDocument(f *testing.F) {
	seeds := []struct {
		t  account.DocType
		in string
	}{
		{account.DocResidentID, "11010519491231002x"},
		{account.DocResidentID, "110105491231002"},
		{account.DocHKMacaoPermit, "h1234567890"},
		{account.DocTaiwanPermit, "12345678"},
		{account.DocTaiwanPermit, "12345678b1"},
		{account.DocHMTResidencePermit, "830000200101150042"},
		{account.DocPassport, "E12345678"},
		{account.DocForeignPermanentResident, "USA110090010010"},
		{account.DocForeignPermanentResident, "91123419800101001x"},
		{0, ""},
		{9, "H12345678"},
	}
	for _, s := range seeds {
		f.Add(uint8(s.t), s.in)
	}
	f.Fuzz(func(t *testing.T, dt uint8, in string) {
		typ := account.DocType(dt)
		got, err := account.ValidateDocumentAt(typ, in, testNow)
		if err != nil {
			if got != "" {
				t.Fatalf("canonical %q returned with error %v", got, err)
			}
			if typ.Valid() != errors.Is(err, account.ErrInvalidDocument) {
				t.Fatalf("type %d: error %v, ErrInvalidDocument match wrong", dt, err)
			}
			if !typ.Valid() && !errors.Is(err, account.ErrInvalidDocType) {
				t.Fatalf("undefined type %d: error %v is not ErrInvalidDocType", dt, err)
			}
			return
		}
		if !typ.Valid() {
			t.Fatalf("undefined type %d accepted %q", dt, in)
		}
		if len(got) < 5 || len(got) > 18 {
			t.Fatalf("canonical %q has length %d", got, len(got))
		}
		again, err := account.ValidateDocumentAt(typ, got, testNow)
		if err != nil || again != got {
			t.Fatalf("canonical %q validates to %q, %v", got, again, err)
		}
	})
}
