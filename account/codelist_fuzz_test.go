package account_test

import (
	"strconv"
	"testing"

	"github.com/tqreg/tqreg/account"
)

// FuzzParseCodeLists feeds form values to the closed-set parsers (ParseDocType,
// ParseCaptchaKind, ParseCodePurpose): no panic; a value they accept is a
// defined member whose stored code and zh-CN label both parse back to it.
func FuzzParseCodeLists(f *testing.F) {
	for _, s := range []string{"", "0", "1", "6", "7", " 2 ", "居民身份证", "护照 ", "01", "+1", "-1",
		"滑块拼图验证", "找回密码", "99999999999999999999", "\xff", "居民身份证\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := account.ParseDocType(s); err == nil {
			if !d.Valid() {
				t.Fatalf("ParseDocType(%q) = undefined %d", s, d)
			}
			if b, err := account.ParseDocType(d.Code()); err != nil || b != d {
				t.Fatalf("DocType %d: code %q parses to %d, %v", d, d.Code(), b, err)
			}
			if b, err := account.ParseDocType(d.String()); err != nil || b != d {
				t.Fatalf("DocType %d: label %q parses to %d, %v", d, d.String(), b, err)
			}
		}
		if k, err := account.ParseCaptchaKind(s); err == nil {
			if b, err := account.ParseCaptchaKind(strconv.Itoa(int(k))); err != nil || b != k {
				t.Fatalf("CaptchaKind %d: code parses to %d, %v", k, b, err)
			}
			if b, err := account.ParseCaptchaKind(k.String()); err != nil || b != k {
				t.Fatalf("CaptchaKind %d: label %q parses to %d, %v", k, k.String(), b, err)
			}
		}
		if p, err := account.ParseCodePurpose(s); err == nil {
			if !p.Valid() {
				t.Fatalf("ParseCodePurpose(%q) = undefined %d", s, p)
			}
			if b, err := account.ParseCodePurpose(strconv.Itoa(int(p))); err != nil || b != p {
				t.Fatalf("CodePurpose %d: code parses to %d, %v", p, b, err)
			}
			if b, err := account.ParseCodePurpose(p.String()); err != nil || b != p {
				t.Fatalf("CodePurpose %d: label %q parses to %d, %v", p, p.String(), b, err)
			}
		}
	})
}
