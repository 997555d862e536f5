package account_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/tqreg/tqreg/account"
)

func TestDocTypeLabelsAndCodes(t *testing.T) {
	tests := []struct {
		t     account.DocType
		code  string
		label string
	}{
		{account.DocResidentID, "1", "居民身份证"},
		{account.DocHKMacaoPermit, "2", "港澳居民来往内地通行证"},
		{account.DocTaiwanPermit, "3", "台湾居民来往大陆通行证"},
		{account.DocHMTResidencePermit, "4", "港澳台居民居住证"},
		{account.DocPassport, "5", "护照"},
		{account.DocForeignPermanentResident, "6", "外国人永久居留身份证"},
	}
	all := account.DocTypes()
	if len(all) != len(tests) {
		t.Fatalf("DocTypes() has %d entries, want %d", len(all), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			if all[i] != tt.t {
				t.Errorf("DocTypes()[%d] = %v, want %v", i, all[i], tt.t)
			}
			if got := tt.t.Code(); got != tt.code {
				t.Errorf("Code() = %q, want %q (stored codes must not change)", got, tt.code)
			}
			if got := tt.t.String(); got != tt.label {
				t.Errorf("String() = %q, want %q", got, tt.label)
			}
			if !tt.t.Valid() {
				t.Error("Valid() = false")
			}
			for _, in := range []string{tt.code, tt.label, " " + tt.code + " "} {
				if got, err := account.ParseDocType(in); err != nil || got != tt.t {
					t.Errorf("ParseDocType(%q) = %v, %v; want %v", in, got, err, tt.t)
				}
			}
		})
	}
}

func TestParseDocTypeRefusesUnknown(t *testing.T) {
	for _, in := range []string{"", "0", "7", "-1", "+1", "01", "255", "256", "身份证", "ResidentID", "1.0"} {
		if got, err := account.ParseDocType(in); !errors.Is(err, account.ErrInvalidDocType) || got != 0 {
			t.Errorf("ParseDocType(%q) = %v, %v; want ErrInvalidDocType", in, got, err)
		}
	}
	for _, v := range []account.DocType{0, 7, 255} {
		if v.Valid() {
			t.Errorf("DocType(%d).Valid() = true", v)
		}
		if got := v.String(); got != fmt.Sprintf("未知证件类型(%d)", v) {
			t.Errorf("DocType(%d).String() = %q", v, got)
		}
	}
}

func TestValidateDocumentAccepts(t *testing.T) {
	tests := []struct {
		name string
		t    account.DocType
		in   string
		want string
	}{
		{"resident ID", account.DocResidentID, "11010519491231002x", "11010519491231002X"},
		{"resident ID, 15 digits converted", account.DocResidentID, "110105491231002", "11010519491231002X"},
		{"HK permit H + 8 digits", account.DocHKMacaoPermit, "H12345678", "H12345678"},
		{"HK permit H + 10 digits", account.DocHKMacaoPermit, "H1234567890", "H1234567890"},
		{"Macao permit lower-case m", account.DocHKMacaoPermit, " m12345678 ", "M12345678"},
		{"Taiwan permit 8 digits", account.DocTaiwanPermit, "12345678", "12345678"},
		{"Taiwan permit old 10 characters", account.DocTaiwanPermit, "12345678b1", "12345678B1"},
		{"HK residence permit 810000", account.DocHMTResidencePermit, "810000199508080032", "810000199508080032"},
		{"Macao residence permit 820000", account.DocHMTResidencePermit, "820000198806061128", "820000198806061128"},
		{"Taiwan residence permit 830000", account.DocHMTResidencePermit, "830000200101150042", "830000200101150042"},
		{"passport 5 characters", account.DocPassport, "e1234", "E1234"},
		{"passport 9 characters", account.DocPassport, "E12345678", "E12345678"},
		{"passport 17 characters", account.DocPassport, "AB123456789012345", "AB123456789012345"},
		{"foreign 2017 card", account.DocForeignPermanentResident, "usa110090010010", "USA110090010010"},
		{"foreign 2023 card", account.DocForeignPermanentResident, "911234198001010012", "911234198001010012"},
		{"foreign 2023 card with X", account.DocForeignPermanentResident, "91123419800101001x", "91123419800101001X"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := account.ValidateDocumentAt(tt.t, tt.in, testNow)
			if err != nil || got != tt.want {
				t.Errorf("ValidateDocumentAt(%v, %q) = %q, %v; want %q", tt.t, tt.in, got, err, tt.want)
			}
		})
	}
}

func TestValidateDocumentRefuses(t *testing.T) {
	tests := []struct {
		name string
		t    account.DocType
		in   string
		isID bool // also an ErrInvalidID failure
	}{
		{"resident ID wrong check", account.DocResidentID, "110105194912310021", true},
		{"resident ID with permit prefix", account.DocResidentID, "810000199508080032", true},
		{"HK permit 7 digits", account.DocHKMacaoPermit, "H1234567", false},
		{"HK permit 9 digits", account.DocHKMacaoPermit, "H123456789", false},
		{"HK permit other letter", account.DocHKMacaoPermit, "K12345678", false},
		{"HK permit letter inside digits", account.DocHKMacaoPermit, "H1234A678", false},
		{"Taiwan permit 7 digits", account.DocTaiwanPermit, "1234567", false},
		{"Taiwan permit 9 digits", account.DocTaiwanPermit, "123456789", false},
		{"Taiwan permit 8 with a letter", account.DocTaiwanPermit, "1234567A", false},
		{"Taiwan permit 10 with a dash", account.DocTaiwanPermit, "12345-7890", false},
		{"residence permit mainland prefix", account.DocHMTResidencePermit, "11010519491231002X", true},
		{"residence permit 840000", account.DocHMTResidencePermit, "840000199508080035", true},
		{"residence permit 810100", account.DocHMTResidencePermit, "810100199508080031", true},
		{"residence permit wrong check", account.DocHMTResidencePermit, "810000199508080033", true},
		{"residence permit 15 digits", account.DocHMTResidencePermit, "810000950808003", true},
		{"residence permit future birth", account.DocHMTResidencePermit, "810000202701010031", true},
		{"passport 4 characters", account.DocPassport, "E123", false},
		{"passport 18 characters", account.DocPassport, "E12345678901234567", false},
		{"passport with space inside", account.DocPassport, "E1234 5678", false},
		{"passport non-ASCII", account.DocPassport, "护照12345", false},
		{"foreign 2017 card digits first", account.DocForeignPermanentResident, "123110090010010", false},
		{"foreign 2017 card 11 digits", account.DocForeignPermanentResident, "USA11009001001", false},
		{"foreign 2023 card not starting with 9", account.DocForeignPermanentResident, "811234198001010012", false},
		{"foreign 2023 card X inside", account.DocForeignPermanentResident, "9112341980010100X2", false},
		{"empty passport", account.DocPassport, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := account.ValidateDocumentAt(tt.t, tt.in, testNow)
			if err == nil {
				t.Fatalf("ValidateDocumentAt(%v, %q) = %q, want error", tt.t, tt.in, got)
			}
			if got != "" {
				t.Errorf("canonical = %q on error, want empty", got)
			}
			if !errors.Is(err, account.ErrInvalidDocument) {
				t.Errorf("errors.Is(err, ErrInvalidDocument) = false for %v", err)
			}
			if errors.Is(err, account.ErrInvalidID) != tt.isID {
				t.Errorf("errors.Is(err, ErrInvalidID) = %v, want %v", !tt.isID, tt.isID)
			}
			if !tt.isID {
				var de *account.DocumentError
				if !errors.As(err, &de) || de.Type != tt.t {
					t.Errorf("error %v is not a *DocumentError for %v", err, tt.t)
				}
			}
		})
	}
}

func TestValidateDocumentUnknownType(t *testing.T) {
	for _, dt := range []account.DocType{0, 7} {
		if _, err := account.ValidateDocument(dt, "H12345678"); !errors.Is(err, account.ErrInvalidDocType) {
			t.Errorf("ValidateDocument(%d) err = %v, want ErrInvalidDocType", dt, err)
		}
	}
}

// TestValidateDocumentResidencePermitRefusesEverySingleCharacterChange: the
// residence permit carries the GB 11643 check too.
func TestValidateDocumentResidencePermitRefusesEverySingleCharacterChange(t *testing.T) {
	for _, valid := range []string{"810000199508080032", "820000198806061128", "830000200101150042"} {
		for pos := range len(valid) {
			for _, c := range []byte("0123456789X") {
				if c == valid[pos] {
					continue
				}
				mutated := valid[:pos] + string(c) + valid[pos+1:]
				if _, err := account.ValidateDocumentAt(account.DocHMTResidencePermit, mutated, testNow); err == nil {
					t.Errorf("%s (position %d of %s changed) accepted", mutated, pos+1, valid)
				}
			}
		}
	}
}

func TestDocumentErrorMessagesAreChinese(t *testing.T) {
	for _, dt := range account.DocTypes()[1:] {
		if dt == account.DocHMTResidencePermit {
			continue
		}
		_, err := account.ValidateDocumentAt(dt, "?", testNow)
		if err == nil {
			t.Fatalf("%v accepted ?", dt)
		}
		msg := err.Error()
		if msg == "" || msg == account.ErrInvalidDocument.Error() || msg[0] < 0x80 {
			t.Errorf("%v: message %q is not a specific zh-CN message", dt, msg)
		}
	}
}
