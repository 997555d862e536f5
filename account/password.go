package account

import (
	_ "embed"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// ErrWeakPassword is matched (errors.Is) by every password-policy failure
// (密码不符合要求). The concrete error is a *PasswordError saying which rule failed.
var ErrWeakPassword = errors.New("密码不符合要求")

// PasswordRule names the rule of the password policy (密码规则) a password broke.
// Stable codes: do not reorder.
type PasswordRule uint8

// The rules of PasswordPolicy.Check, in the order they are applied.
const (
	PasswordTooShort         PasswordRule = iota + 1 // fewer runes than MinLength
	PasswordTooLong                                  // more runes than MaxLength
	PasswordInvalidCharacter                         // not UTF-8, or a control character
	PasswordIsDocumentNumber                         // equals or contains the document number
	PasswordCommon                                   // in the built-in list of common passwords
)

// PasswordError is the error of a password that breaks the policy (密码规则).
// It never contains the password. errors.Is(err, ErrWeakPassword) is true for
// every PasswordError.
type PasswordError struct {
	Rule  PasswordRule // which rule was broken; a stable code
	Limit int          // the length limit for PasswordTooShort and PasswordTooLong
}

// Error returns the zh-CN message, e.g. "密码长度不能少于8位".
func (e *PasswordError) Error() string {
	switch e.Rule {
	case PasswordTooShort:
		return "密码长度不能少于" + strconv.Itoa(e.Limit) + "位"
	case PasswordTooLong:
		return "密码长度不能超过" + strconv.Itoa(e.Limit) + "位"
	case PasswordInvalidCharacter:
		return "密码包含无效字符"
	case PasswordIsDocumentNumber:
		return "密码不能与证件号码相同,也不能包含证件号码"
	case PasswordCommon:
		return "密码过于常见,容易被猜到,请换一个"
	}
	return ErrWeakPassword.Error()
}

// Is makes errors.Is match ErrWeakPassword.
func (e *PasswordError) Is(target error) bool { return target == ErrWeakPassword }

// PasswordPolicy is the 密码规则 for new passwords (registration, change, reset).
// Lengths count characters (runes), not bytes. The zero value is usable and
// means DefaultPasswordPolicy.
type PasswordPolicy struct {
	MinLength int // at least this many characters; 0 means 8
	MaxLength int // at most this many characters; 0 means 128
	// Common reports whether a password is too common; nil means
	// IsCommonPassword (the built-in list).
	Common func(password string) bool
}

// DefaultPasswordPolicy is the policy of CheckPassword: 8 to 128 characters,
// not the document number, not a common password.
var DefaultPasswordPolicy = PasswordPolicy{MinLength: 8, MaxLength: 128}

// CheckPassword checks a new password with DefaultPasswordPolicy; see
// PasswordPolicy.Check.
func CheckPassword(password, documentNumber string) error {
	return DefaultPasswordPolicy.Check(password, documentNumber)
}

// Check returns nil when password may be set for the account whose document
// number (证件号码) is documentNumber, or a *PasswordError (matching
// ErrWeakPassword) for the first rule broken: length (in runes) below MinLength
// or above MaxLength; invalid UTF-8 or a control character; equal to or
// containing the document number, ignoring case and surrounding spaces; in the
// list of common passwords, ignoring case. Spaces inside a password are allowed
// and significant. An empty documentNumber skips that rule.
func (p PasswordPolicy) Check(password, documentNumber string) error {
	minLen, maxLen := p.MinLength, p.MaxLength
	if minLen <= 0 {
		minLen = 8
	}
	if maxLen <= 0 {
		maxLen = 128
	}
	// Bound the work before counting: a rune is at most 4 bytes.
	if len(password) > 4*maxLen {
		return &PasswordError{Rule: PasswordTooLong, Limit: maxLen}
	}
	n := utf8.RuneCountInString(password)
	if n < minLen {
		return &PasswordError{Rule: PasswordTooShort, Limit: minLen}
	}
	if n > maxLen {
		return &PasswordError{Rule: PasswordTooLong, Limit: maxLen}
	}
	if !utf8.ValidString(password) {
		return &PasswordError{Rule: PasswordInvalidCharacter}
	}
	for _, r := range password {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return &PasswordError{Rule: PasswordInvalidCharacter}
		}
	}
	lower := strings.ToLower(password)
	if doc := strings.ToLower(strings.TrimSpace(documentNumber)); doc != "" && strings.Contains(lower, doc) {
		return &PasswordError{Rule: PasswordIsDocumentNumber}
	}
	common := p.Common
	if common == nil {
		common = IsCommonPassword
	}
	if common(password) {
		return &PasswordError{Rule: PasswordCommon}
	}
	return nil
}

// The built-in list of common passwords (常见密码).
//
// commonpasswords.txt: the entries of 8 to 128 characters of the "passwords"
// frequency list of zxcvbn 4.4.2 (npm package zxcvbn, MIT licence by Dan
// Wheeler and Dropbox, Inc.; see commonpasswords.LICENSE.txt), 11611 entries.
// It was extracted with: npm pack zxcvbn, then the "passwords" string of
// src/frequency_lists.coffee split at commas and filtered by length.
//
// commonpasswords_zh.txt: common passwords of Chinese users written for this
// project (see its header).
var (
	//go:embed commonpasswords.txt
	commonPasswordsEN string
	//go:embed commonpasswords_zh.txt
	commonPasswordsZH string
)

// commonPasswords is the sorted, de-duplicated list; its strings point into the
// embedded data.
var commonPasswords = sync.OnceValue(func() []string {
	var list []string
	for _, data := range []string{commonPasswordsEN, commonPasswordsZH} {
		for line := range strings.Lines(data) {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			list = append(list, line)
		}
	}
	slices.Sort(list)
	return slices.Compact(list)
})

// IsCommonPassword reports whether password, ignoring case, is in the built-in
// list of common passwords (常见密码): several thousand entries of 8 or more
// characters from zxcvbn's frequency list (MIT) and a list of passwords common
// among Chinese users.
func IsCommonPassword(password string) bool {
	list := commonPasswords()
	_, found := slices.BinarySearch(list, strings.ToLower(password))
	return found
}

// CommonPasswordCount returns the number of entries in the built-in list of
// common passwords (常见密码).
func CommonPasswordCount() int { return len(commonPasswords()) }
