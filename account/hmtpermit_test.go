package account_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
)

func TestBirthOfCoversResidencePermits(t *testing.T) {
	tests := []struct {
		name   string
		t      account.DocType
		number string
		birth  string // "" when none
		male   bool
	}{
		{"resident ID", account.DocResidentID, validIDs[0], account.MustParseResidentID(validIDs[0]).Birth().Format(time.DateOnly), account.MustParseResidentID(validIDs[0]).Male()},
		{"Hong Kong residence permit", account.DocHMTResidencePermit, "810000199508080032", "1995-08-08", true},
		{"Macao residence permit, lower-case spaces", account.DocHMTResidencePermit, " 820000198806061128 ", "1988-06-06", false},
		{"Taiwan residence permit", account.DocHMTResidencePermit, "830000200101150042", "2001-01-15", false},
		{"permit with a wrong check character", account.DocHMTResidencePermit, "810000199508080033", "", false},
		{"permit born in the future", account.DocHMTResidencePermit, "810000202701010031", "", false},
		{"permit number as a resident ID", account.DocResidentID, "810000199508080032", "", false},
		{"passport carries no birth date", account.DocPassport, "E12345678", "", false},
		{"Hong Kong and Macao travel permit", account.DocHKMacaoPermit, "H12345678", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			birth, male, ok := account.BirthOf(tt.t, tt.number, testNow)
			if ok != (tt.birth != "") {
				t.Fatalf("ok = %v, want %v", ok, tt.birth != "")
			}
			if !ok {
				if !birth.IsZero() || male {
					t.Errorf("no birth date but %v, %v", birth, male)
				}
				return
			}
			if got := birth.Format(time.DateOnly); got != tt.birth || male != tt.male || birth.Location() != account.ChinaStandardTime {
				t.Errorf("BirthOf = %s (%v) male %v; want %s male %v", got, birth.Location(), male, tt.birth, tt.male)
			}
		})
	}
}

func TestParseHMTResidencePermitRefusesMainlandIDs(t *testing.T) {
	for _, s := range validIDs {
		if _, err := account.ParseHMTResidencePermitAt(s, testNow); !errors.Is(err, account.ErrInvalidID) || !errors.Is(err, account.ErrInvalidDocument) {
			t.Errorf("%s: %v", s, err)
		}
	}
}

// FuzzParseHMTResidencePermit: no panic; failures match ErrInvalidID; a parsed
// permit's String parses back to it, agrees with ValidateDocumentAt, BirthOf and
// carries one of the three regions.
func FuzzParseHMTResidencePermit(f *testing.F) {
	for _, s := range []string{"810000199508080032", "820000198806061128", "830000200101150042", " 83000020010115004x",
		"810000199508080033", "840000199508080032", validIDs[0], "", "81000019950808003２"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := account.ParseHMTResidencePermitAt(s, testNow)
		birth, male, ok := account.BirthOf(account.DocHMTResidencePermit, s, testNow)
		if err != nil {
			if !errors.Is(err, account.ErrInvalidID) || !p.IsZero() || ok {
				t.Fatalf("error %v, permit %v, BirthOf ok %v", err, p, ok)
			}
			return
		}
		again, err := account.ParseHMTResidencePermitAt(p.String(), testNow)
		if err != nil || again != p {
			t.Fatalf("String() %q parses to %v, %v", p.String(), again, err)
		}
		if c, err := account.ValidateDocumentAt(account.DocHMTResidencePermit, s, testNow); err != nil || c != p.String() {
			t.Fatalf("ValidateDocumentAt = %q, %v; want %q", c, err, p.String())
		}
		if !ok || !birth.Equal(p.Birth()) || male != p.Male() || birth.After(testNow) || birth.Year() < 1900 {
			t.Fatalf("BirthOf = %v %v %v; permit birth %v", birth, male, ok, p.Birth())
		}
		if r := p.Region(); r != "810000" && r != "820000" && r != "830000" {
			t.Fatalf("region %q", r)
		}
	})
}

func ExampleParseHMTResidencePermit() {
	p, err := account.ParseHMTResidencePermit(" 820000198806061128 ")
	fmt.Println(p, err)
	fmt.Println(p.Region(), p.Birth().Format(time.DateOnly), p.Male())
	_, err = account.ParseHMTResidencePermit("110105194912310021") // a resident ID
	fmt.Println(err)
	// Output:
	// 820000198806061128 <nil>
	// 820000 1988-06-06 false
	// 港澳台居民居住证号码应以810000(香港)、820000(澳门)或830000(台湾)开头
}

// TestPermitErrorsNameThePermit: a residence-permit number that fails a check gets a message
// about the permit, not about a 身份证, and still matches ErrInvalidID and ErrInvalidDocument.
func TestPermitErrorsNameThePermit(t *testing.T) {
	for _, tc := range []struct {
		name, number string
		check        account.IDCheck
		want         string
	}{
		{"a resident ID's region", "110105194912310021", account.IDCheckRegion, "港澳台居民居住证号码应以810000(香港)、820000(澳门)或830000(台湾)开头"},
		{"15 digits", "810000950808003", account.IDCheckLength, "港澳台居民居住证号码应为18位"},
		{"a letter inside", "8100001995080800A2", account.IDCheckCharacters, "港澳台居民居住证号码只能包含数字,最后一位可以是X"},
		{"February 30", "810000199502300032", account.IDCheckDate, "港澳台居民居住证号码中的出生日期不是有效日期"},
		{"wrong check character", "810000199508080031", account.IDCheckChecksum, "港澳台居民居住证号码校验位错误"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, err := range []error{
				func() error { _, err := account.ParseHMTResidencePermitAt(tc.number, testNow); return err }(),
				func() error {
					_, err := account.ValidateDocumentAt(account.DocHMTResidencePermit, tc.number, testNow)
					return err
				}(),
			} {
				var ie *account.IDError
				if !errors.As(err, &ie) || ie.Check != tc.check || err.Error() != tc.want ||
					!errors.Is(err, account.ErrInvalidID) || !errors.Is(err, account.ErrInvalidDocument) {
					t.Errorf("%s: got %v (%#v), want check %d %q", tc.number, err, ie, tc.check, tc.want)
				}
			}
		})
	}
	// The resident ID's own messages are unchanged.
	if _, err := account.ParseResidentIDAt("810000199508080032", testNow); err == nil || err.Error() != "身份证号码的地区码无效" {
		t.Errorf("resident ID with a permit region: %v", err)
	}
}

func ExampleBirthOf() {
	now := time.Date(2026, 7, 1, 0, 0, 0, 0, account.ChinaStandardTime)
	for _, d := range []struct {
		t      account.DocType
		number string
	}{
		{account.DocHMTResidencePermit, "810000199508080032"},
		{account.DocPassport, "E12345678"},
	} {
		birth, male, ok := account.BirthOf(d.t, d.number, now)
		fmt.Println(d.t, birth.Format(time.DateOnly), male, ok)
	}
	// Output:
	// 港澳台居民居住证 1995-08-08 true true
	// 护照 0001-01-01 false false
}
