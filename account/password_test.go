package account_test

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tqreg/tqreg/account"
)

func TestCheckPassword(t *testing.T) {
	const doc = "11010519491231002X"
	tests := []struct {
		name     string
		password string
		doc      string
		rule     account.PasswordRule // 0: accepted
		msg      string
	}{
		{"8 characters accepted", "Tq7#mwp2", doc, 0, ""},
		{"7 characters refused", "Tq7#mwp", doc, account.PasswordTooShort, "密码长度不能少于8位"},
		{"empty refused", "", doc, account.PasswordTooShort, "密码长度不能少于8位"},
		{"length counts characters, not bytes: 8 Chinese characters", "教师资格定期注册", doc, 0, ""},
		{"7 Chinese characters (21 bytes) too short", "教师资格定期注", doc, account.PasswordTooShort, ""},
		{"64 characters accepted", strings.Repeat("aB3$", 16), doc, 0, ""},
		{"128 characters accepted", strings.Repeat("aB3$", 32), doc, 0, ""},
		{"128 Chinese characters accepted", strings.Repeat("注册", 64), doc, 0, ""},
		{"129 characters refused", strings.Repeat("aB3$", 32) + "x", doc, account.PasswordTooLong, "密码长度不能超过128位"},
		{"a megabyte refused", strings.Repeat("a", 1<<20), doc, account.PasswordTooLong, ""},
		{"spaces inside allowed", "correct horse battery", doc, 0, ""},
		{"invalid UTF-8 refused", "abcdefg\xff", doc, account.PasswordInvalidCharacter, "密码包含无效字符"},
		{"NUL refused", "abcdefg\x00h", doc, account.PasswordInvalidCharacter, ""},
		{"newline refused", "abcdefgh\n", doc, account.PasswordInvalidCharacter, ""},
		{"equal to document number refused", doc, doc, account.PasswordIsDocumentNumber, "密码不能与证件号码相同,也不能包含证件号码"},
		{"equal ignoring case refused", "11010519491231002x", doc, account.PasswordIsDocumentNumber, ""},
		{"containing document number refused", "pw-11010519491231002x!", doc, account.PasswordIsDocumentNumber, ""},
		{"passport number with other case refused", "Xe12345678y", " e12345678 ", account.PasswordIsDocumentNumber, ""},
		{"part of the document number allowed", "1101051949!zz", doc, 0, ""},
		{"no document number given skips that rule", "11010519491231002X", "", 0, ""},
		{"common password refused", "password", doc, account.PasswordCommon, "密码过于常见,容易被猜到,请换一个"},
		{"common password ignoring case refused", "PassWord", doc, account.PasswordCommon, ""},
		{"common digits refused", "12345678", doc, account.PasswordCommon, ""},
		{"keyboard walk refused", "1qaz2wsx", doc, account.PasswordCommon, ""},
		{"Chinese users' common password refused", "woaini1314", doc, account.PasswordCommon, ""},
		{"last entry of the zxcvbn list refused", "11234567", doc, account.PasswordCommon, ""},
		{"length is checked before the list", "pass", doc, account.PasswordTooShort, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := account.CheckPassword(tt.password, tt.doc)
			if tt.rule == 0 {
				if err != nil {
					t.Fatalf("CheckPassword refused: %v", err)
				}
				return
			}
			if !errors.Is(err, account.ErrWeakPassword) {
				t.Fatalf("err = %v, want ErrWeakPassword", err)
			}
			var pe *account.PasswordError
			if !errors.As(err, &pe) || pe.Rule != tt.rule {
				t.Fatalf("err = %#v, want rule %d", err, tt.rule)
			}
			if tt.msg != "" && err.Error() != tt.msg {
				t.Errorf("message = %q, want %q", err.Error(), tt.msg)
			}
			if len(tt.password) >= 8 && strings.Contains(err.Error(), tt.password) {
				t.Errorf("message %q contains the password", err.Error())
			}
		})
	}
}

func TestPasswordPolicyCustom(t *testing.T) {
	p := account.PasswordPolicy{MinLength: 12, MaxLength: 64, Common: func(s string) bool { return s == "tqreg-tqreg-tqreg" }}
	tests := []struct {
		name     string
		password string
		rule     account.PasswordRule
		limit    int
	}{
		{"below custom minimum", "abcdefghijk", account.PasswordTooShort, 12},
		{"custom minimum met", "abcdefghijkl", 0, 0},
		{"above custom maximum", strings.Repeat("a", 65), account.PasswordTooLong, 64},
		{"custom list used", "tqreg-tqreg-tqreg", account.PasswordCommon, 0},
		{"built-in list not used when replaced", "passwordpassword", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := p.Check(tt.password, "E12345678")
			var pe *account.PasswordError
			switch {
			case tt.rule == 0 && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.rule != 0 && (!errors.As(err, &pe) || pe.Rule != tt.rule || pe.Limit != tt.limit):
				t.Fatalf("err = %#v, want rule %d limit %d", err, tt.rule, tt.limit)
			}
		})
	}
	var zero account.PasswordPolicy
	if err := zero.Check("1234567", ""); err == nil || err.Error() != "密码长度不能少于8位" {
		t.Errorf("zero policy: err = %v, want the default minimum of 8", err)
	}
}

// TestCommonPasswordList checks the shipped data: a few thousand entries, each
// one refused, and the licence of the source next to it.
func TestCommonPasswordList(t *testing.T) {
	if n := account.CommonPasswordCount(); n < 5000 {
		t.Errorf("CommonPasswordCount() = %d, want several thousand", n)
	}
	for _, name := range []string{"commonpasswords.txt", "commonpasswords_zh.txt"} {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		lines := 0
		for sc.Scan() {
			line := sc.Text()
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			lines++
			if n := utf8.RuneCountInString(line); n < 8 || n > 128 {
				t.Errorf("%s: %q has %d characters; the length rule already covers it", name, line, n)
			}
			if line != strings.ToLower(line) {
				t.Errorf("%s: %q is not lower case", name, line)
			}
			if !account.IsCommonPassword(line) || !account.IsCommonPassword(strings.ToUpper(line)) {
				t.Errorf("%s: %q not recognised as common", name, line)
			}
		}
		f.Close()
		if lines == 0 {
			t.Errorf("%s is empty", name)
		}
	}
	lic, err := os.ReadFile("commonpasswords.LICENSE.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"zxcvbn", "Permission is hereby granted"} {
		if !strings.Contains(string(lic), want) {
			t.Errorf("commonpasswords.LICENSE.txt lacks %q", want)
		}
	}
	for _, s := range []string{"Tq7#mwp2", "教师资格定期注册", ""} {
		if account.IsCommonPassword(s) {
			t.Errorf("IsCommonPassword(%q) = true", s)
		}
	}
}

func BenchmarkCheckPassword(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if err := account.CheckPassword("Tq7#mwp2-zz", "11010519491231002X"); err != nil {
			b.Fatal(err)
		}
	}
}
