package account_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tqreg/tqreg/account"
)

// FuzzCheckPassword: no panic; a refusal is a *PasswordError; an accepted
// password has 8 to 128 valid characters and does not contain the document.
func FuzzCheckPassword(f *testing.F) {
	f.Add("Tq7#mwp2-zz", "11010519491231002X")
	f.Add("password", "")
	f.Add("11010519491231002x", "11010519491231002X")
	f.Add("教师资格定期注册", "H12345678")
	f.Add("abcdefg\xff", "")
	f.Fuzz(func(t *testing.T, password, doc string) {
		err := account.CheckPassword(password, doc)
		if err != nil {
			var pe *account.PasswordError
			if !errors.Is(err, account.ErrWeakPassword) || !errors.As(err, &pe) || err.Error() == "" {
				t.Fatalf("err = %#v", err)
			}
			return
		}
		n := utf8.RuneCountInString(password)
		if n < 8 || n > 128 || !utf8.ValidString(password) {
			t.Fatalf("accepted %q (%d characters)", password, n)
		}
		if d := strings.TrimSpace(doc); d != "" && strings.Contains(strings.ToLower(password), strings.ToLower(d)) {
			t.Fatalf("accepted %q containing the document number %q", password, doc)
		}
		if account.IsCommonPassword(password) {
			t.Fatalf("accepted common password %q", password)
		}
	})
}
