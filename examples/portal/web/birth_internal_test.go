package web

import (
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/form"
)

// TestApplicantBirthComesFromEveryDocumentThatCarriesIt: the form's age rules and the printed
// form get the birth date of a 港澳台居民居住证 as they do of a 居民身份证; other documents carry none.
func TestApplicantBirthComesFromEveryDocumentThatCarriesIt(t *testing.T) {
	tests := []struct {
		name   string
		t      account.DocType
		number string
		birth  string
		gender form.Gender
	}{
		{"resident ID", account.DocResidentID, "11010519491231002X", "1949-12-31", form.GenderFemale},
		{"Hong Kong residence permit", account.DocHMTResidencePermit, "810000199508080032", "1995-08-08", form.GenderMale},
		{"Taiwan residence permit", account.DocHMTResidencePermit, "830000200101150042", "2001-01-15", form.GenderFemale},
		{"passport", account.DocPassport, "E12345678", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			acc := account.Account{ID: 7, DocType: tt.t, DocNumber: tt.number, Name: "陈大文"}
			ra := applicantOf(Applicant{ID: 7, Name: acc.Name, Account: acc})
			got := ""
			if !ra.Birth.IsZero() {
				got = ra.Birth.Format(time.DateOnly)
			}
			if got != tt.birth {
				t.Errorf("registration applicant birth %q, want %q", got, tt.birth)
			}
			fa := formApplicant(acc)
			got = ""
			if !fa.Birth.IsZero() {
				got = fa.Birth.String()
			}
			if got != tt.birth || fa.Gender != tt.gender {
				t.Errorf("form applicant birth %q gender %v, want %q %v", got, fa.Gender, tt.birth, tt.gender)
			}
		})
	}
}
