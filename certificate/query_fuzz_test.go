package certificate_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
)

// FuzzOtherQueryProblems feeds the 其他查询 form to OtherQuery.Problems: no
// panic; every problem names one of the four fields and carries a zh-CN
// message; a message never repeats the document number or phone typed in
// (errors may be logged); a query without problems is one Other may run.
func FuzzOtherQueryProblems(f *testing.F) {
	f.Add("张三", uint8(account.DocResidentID), "11010519491231002X", "13800138000")
	f.Add("", uint8(0), "", "")
	f.Add(" 李 四 ", uint8(account.DocPassport), "e1234567", "23800138000")
	f.Add(strings.Repeat("名", 51), uint8(account.DocHKMacaoPermit), "H123456789", "1380013800")
	f.Add("王五", uint8(account.DocResidentID), "110105194912310021", " 13800138000 ")
	f.Add("\xff", uint8(99), "\x00", "１３８００１３８０００")
	fields := map[certificate.QueryField]bool{
		certificate.QueryFieldName: true, certificate.QueryFieldDocType: true,
		certificate.QueryFieldDocNumber: true, certificate.QueryFieldPhone: true,
	}
	f.Fuzz(func(t *testing.T, name string, dt uint8, doc, phone string) {
		q := certificate.OtherQuery{Name: name, DocType: account.DocType(dt), DocNumber: doc, Phone: phone}
		ps := q.Problems()
		seen := map[certificate.QueryField]bool{}
		for _, p := range ps {
			if !fields[p.Field] {
				t.Fatalf("problem keyed to unknown field %q", p.Field)
			}
			if seen[p.Field] {
				t.Fatalf("two problems for field %q", p.Field)
			}
			seen[p.Field] = true
			if strings.IndexFunc(p.Message, func(r rune) bool { return unicode.Is(unicode.Han, r) }) < 0 {
				t.Fatalf("message %q is not zh-CN", p.Message)
			}
			for _, personal := range []string{strings.TrimSpace(doc), strings.TrimSpace(phone)} {
				if len(personal) >= 7 && strings.Contains(p.Message, personal) {
					t.Fatalf("message %q repeats the input %q", p.Message, personal)
				}
			}
		}
		if len(ps) == 0 {
			if !q.DocType.Valid() || !certificate.ValidPhone(phone) {
				t.Fatalf("query %+v has no problems", q)
			}
			if _, err := account.ValidateDocument(q.DocType, doc); err != nil {
				t.Fatalf("query with an invalid document has no problems: %v", err)
			}
		}
	})
}

// FuzzMaskDocument: no panic; the mask keeps the length in characters, shows
// only characters of the input in their places, and hides at least a third.
func FuzzMaskDocument(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "H12345678", "E1234", "1234", "", " 13800138000 ", "护照号码一二三四五", "\xff\xfe12345678"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, m := range []func(string) string{certificate.MaskDocument, certificate.MaskPhone} {
			in := []rune(strings.TrimSpace(s))
			out := []rune(m(s))
			if len(out) != len(in) {
				t.Fatalf("mask of %q has %d characters, want %d", s, len(out), len(in))
			}
			hidden := 0
			for i, c := range out {
				switch {
				case c == '*' && in[i] != '*':
					hidden++
				case c != in[i]:
					t.Fatalf("mask of %q changed character %d to %q", s, i, c)
				}
			}
			if !strings.Contains(strings.TrimSpace(s), "*") && 3*hidden < len(in) {
				t.Fatalf("mask %q of %q hides %d of %d characters", string(out), s, hidden, len(in))
			}
			if !utf8.ValidString(string(out)) && utf8.ValidString(s) {
				t.Fatalf("mask of valid UTF-8 %q is not", s)
			}
		}
	})
}

// FuzzParseKind: no panic; an accepted value is one of the seven kinds and its
// stored code and zh-CN label parse back to it.
func FuzzParseKind(f *testing.F) {
	for _, s := range []string{"1", "7", "0", "8", " 3 ", "初级中学", "高等学校教师资格", "教师资格", "", "01", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := certificate.ParseKind(s)
		if err != nil {
			if err != certificate.ErrInvalidKind {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if !k.Valid() {
			t.Fatalf("ParseKind(%q) = undefined %d", s, k)
		}
		if b, err := certificate.ParseKind(k.String()); err != nil || b != k {
			t.Fatalf("label %q parses to %v, %v", k.String(), b, err)
		}
	})
}
