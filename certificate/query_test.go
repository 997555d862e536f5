package certificate_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
)

func sample() []certificate.Certificate {
	return []certificate.Certificate{
		{Number: certificate.MustParseNumber("20114400132000123"), HolderName: "张三", DocType: account.DocResidentID, DocNumber: "11010519491231002X", Kind: certificate.JuniorMiddle, Subject: "数学"},
		{Number: certificate.MustParseNumber("20154400172000001"), HolderName: "张三", DocType: account.DocResidentID, DocNumber: "11010519491231002X", Kind: certificate.Higher, Subject: "社会保障"},
		{Number: certificate.MustParseNumber("20154400122000002"), HolderName: "李四", DocType: account.DocResidentID, DocNumber: "110105194912310021", Kind: certificate.Primary, Subject: "语文"},
		{Number: certificate.MustParseNumber("984501001100042"), HolderName: "张三", DocType: account.DocResidentID, DocNumber: "11010519491231002X", Kind: certificate.Kindergarten, Manual: true},
		{Number: certificate.MustParseNumber("20184400132000009"), HolderName: "张三", DocType: account.DocPassport, DocNumber: "11010519491231002X", Kind: certificate.JuniorMiddle},
	}
}

func numbers(cs []certificate.Certificate) []string {
	var s []string
	for _, c := range cs {
		s = append(s, c.Number.String())
	}
	return s
}

func TestOwn(t *testing.T) {
	all := sample()
	tests := []struct {
		name string
		h    certificate.Holder
		want []string
	}{
		{"all of the holder's, hand-added included, in order", certificate.Holder{Name: "张三", DocType: account.DocResidentID, DocNumber: "11010519491231002X"}, []string{"20114400132000123", "20154400172000001", "984501001100042"}},
		{"lower-case x and spaces match", certificate.Holder{Name: " 张 三 ", DocType: account.DocResidentID, DocNumber: " 11010519491231002x"}, []string{"20114400132000123", "20154400172000001", "984501001100042"}},
		{"15-digit first-generation ID matches its 18-character form", certificate.Holder{Name: "张三", DocType: account.DocResidentID, DocNumber: "110105491231002"}, []string{"20114400132000123", "20154400172000001", "984501001100042"}},
		{"another document type does not match", certificate.Holder{Name: "张三", DocType: account.DocPassport, DocNumber: "11010519491231002X"}, []string{"20184400132000009"}},
		{"wrong name finds nothing", certificate.Holder{Name: "张四", DocType: account.DocResidentID, DocNumber: "11010519491231002X"}, nil},
		{"wrong number finds nothing", certificate.Holder{Name: "张三", DocType: account.DocResidentID, DocNumber: "110105194912310021"}, nil},
		{"empty holder finds nothing", certificate.Holder{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := numbers(certificate.Own(all, tt.h)); !slices.Equal(got, tt.want) {
				t.Errorf("Own = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestOtherLeavesOutHandAdded(t *testing.T) {
	q := certificate.OtherQuery{Name: "张三", DocType: account.DocResidentID, DocNumber: "11010519491231002X", Phone: "13800138000"}
	if ps := q.Problems(); len(ps) != 0 {
		t.Fatalf("valid query has problems %v", ps)
	}
	want := []string{"20114400132000123", "20154400172000001"}
	if got := numbers(certificate.Other(sample(), q)); !slices.Equal(got, want) {
		t.Errorf("Other = %v, want %v", got, want)
	}
}

func TestOtherQueryProblems(t *testing.T) {
	tests := []struct {
		name string
		q    certificate.OtherQuery
		want []certificate.QueryField
	}{
		{"empty query names every field", certificate.OtherQuery{}, []certificate.QueryField{"name", "doc_type", "doc_number", "phone"}},
		{"10-digit phone", certificate.OtherQuery{Name: "张三", DocType: account.DocResidentID, DocNumber: "11010519491231002X", Phone: "1380013800"}, []certificate.QueryField{"phone"}},
		{"phone with second digit 2", certificate.OtherQuery{Name: "张三", DocType: account.DocResidentID, DocNumber: "11010519491231002X", Phone: "12800138000"}, []certificate.QueryField{"phone"}},
		{"resident ID with a wrong check character", certificate.OtherQuery{Name: "张三", DocType: account.DocResidentID, DocNumber: "110105194912310021", Phone: "13800138000"}, []certificate.QueryField{"doc_number"}},
		{"too long name", certificate.OtherQuery{Name: strings.Repeat("张", 51), DocType: account.DocResidentID, DocNumber: "11010519491231002X", Phone: "13800138000"}, []certificate.QueryField{"name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []certificate.QueryField
			for _, p := range tt.q.Problems() {
				if p.Message == "" {
					t.Errorf("field %s has no message", p.Field)
				}
				got = append(got, p.Field)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("fields = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestValidPhone(t *testing.T) {
	for in, want := range map[string]bool{
		"13800138000": true, " 19912345678 ": true, "10800138000": false, "1380013800a": false,
		"138001380001": false, "": false, "+8613800138000": false, "１3800138000": false,
	} {
		if got := certificate.ValidPhone(in); got != want {
			t.Errorf("ValidPhone(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestMaskDocument(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"resident ID keeps 6 and 4", "110105194912310021", "110105********0021"},
		{"check char X kept", "11010519491231002X", "110105********002X"},
		{"spaces trimmed", " 110105194912310021 ", "110105********0021"},
		{"15-digit first-generation ID keeps 6 and 4", "110105491231002", "110105*****1002"},
		{"11-character permit keeps 3 and 2", "H1234567890", "H12******90"},
		{"8-digit Taiwan permit keeps 3 and 2", "12345678", "123***78"},
		{"5-character passport keeps 1 and 1", "E1234", "E***4"},
		{"4 characters all hidden", "1234", "****"},
		{"empty stays empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := certificate.MaskDocument(tt.in)
			if got != tt.want {
				t.Errorf("MaskDocument(%q) = %q, want %q", tt.in, got, tt.want)
			}
			// Never more than 10 characters of the number stay visible, and at least a third is hidden.
			n := utf8.RuneCountInString(strings.TrimSpace(tt.in))
			if hidden := strings.Count(got, "*"); n > 0 && (n-hidden > 10 || hidden*3 < n) {
				t.Errorf("MaskDocument(%q) hides only %d of %d", tt.in, hidden, n)
			}
		})
	}
	if got := certificate.MaskPhone("13800138000"); got != "138****8000" {
		t.Errorf("MaskPhone = %q", got)
	}
}

func TestInSystem(t *testing.T) {
	tests := []struct {
		n    string
		want bool
	}{
		{"20074400132000123", false},
		{"20084400132000123", true},
		{"20114500132000123", false},
		{"20124500132000123", true},
		{"984501001100042", false},
	}
	for _, tt := range tests {
		if got := certificate.InSystem(certificate.MustParseNumber(tt.n)); got != tt.want {
			t.Errorf("InSystem(%s) = %v, want %v", tt.n, got, tt.want)
		}
	}
	if certificate.InSystem(certificate.Number{}) {
		t.Error("zero Number in system")
	}
}

func TestMessagesForPeople(t *testing.T) {
	rs := certificate.UnsyncedReasons()
	if len(rs) < 3 {
		t.Fatalf("only %d reasons", len(rs))
	}
	joined := strings.Join(rs, "\n")
	for _, must := range []string{"姓名", "15位或17位", "一代身份证"} {
		if !strings.Contains(joined, must) {
			t.Errorf("reasons do not mention %s", must)
		}
	}
	rs[0] = "changed"
	if certificate.UnsyncedReasons()[0] == "changed" {
		t.Error("UnsyncedReasons shares its slice")
	}
	for _, s := range []string{certificate.QueryNotice, certificate.NotFoundMessage} {
		if !strings.Contains(s, "认定机构联系") || !strings.Contains(s, "2012") {
			t.Errorf("message %q lacks the authority advice", s)
		}
	}
}

func TestCertificateRegistrable(t *testing.T) {
	for _, c := range sample() {
		if c.Registrable() != (c.Kind != certificate.Higher) {
			t.Errorf("%v registrable = %v", c.Kind, c.Registrable())
		}
	}
}
