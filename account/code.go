package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"strconv"
	"strings"
	"time"
)

// CodePurpose is what a 短信验证码 (one-time SMS code) is for. A code checks
// only for the purpose, and the phone, it was sent for.
type CodePurpose uint8

// The code purposes. Stored codes: do not reorder, do not renumber.
const (
	PurposeReset       CodePurpose = 1 // 找回密码
	PurposeChangePhone CodePurpose = 2 // 修改手机号码
	PurposeOtherQuery  CodePurpose = 3 // 证书其他查询
	PurposeRegister    CodePurpose = 4 // 注册账号
)

var purposeLabels = [...]string{
	PurposeReset:       "找回密码",
	PurposeChangePhone: "修改手机号码",
	PurposeOtherQuery:  "证书其他查询",
	PurposeRegister:    "注册账号",
}

// ErrCodePurpose: a value outside the closed set of code purposes.
var ErrCodePurpose = errors.New("验证码用途无效")

// Valid reports whether p is a defined purpose.
func (p CodePurpose) Valid() bool { return p >= PurposeReset && int(p) < len(purposeLabels) }

// String returns the zh-CN label, e.g. "找回密码".
func (p CodePurpose) String() string {
	if !p.Valid() {
		return "未知用途(" + strconv.Itoa(int(p)) + ")"
	}
	return purposeLabels[p]
}

// ParseCodePurpose parses a purpose from its stored code ("1".."4") or its
// zh-CN label; anything else gives ErrCodePurpose.
func ParseCodePurpose(s string) (CodePurpose, error) {
	s = strings.TrimSpace(s)
	for p := PurposeReset; p.Valid(); p++ {
		if s == strconv.Itoa(int(p)) || s == purposeLabels[p] {
			return p, nil
		}
	}
	return 0, ErrCodePurpose
}

// SMSSender delivers one-time codes (短信). The portal implements it (in
// development: an outbox page). The message text is the sender's business;
// the code must not be logged.
type SMSSender interface {
	SendCode(ctx context.Context, phone string, purpose CodePurpose, code string, expiresAt time.Time) error
}

// Code rule defaults.
const (
	CodeDigits             = 6
	MaxCodeTTL             = 10 * time.Minute // a code lives at most this long
	DefaultCodeMaxAttempts = 5                // wrong tries before a code is void
	DefaultCodeResendAfter = time.Minute      // no new code for the same phone+purpose sooner
)

// Codes issues and checks 短信验证码: 6 digits from crypto/rand, valid at most
// 10 minutes, single use, bound to phone + purpose, void after 5 wrong tries,
// stored only as a salted SHA-256.
type Codes struct {
	Store       CodeStore
	SMS         SMSSender
	Now         func() time.Time
	TTL         time.Duration // 0 or more than MaxCodeTTL means MaxCodeTTL
	MaxAttempts int           // 0 means DefaultCodeMaxAttempts
	ResendAfter time.Duration // 0 means DefaultCodeResendAfter; negative: no limit
}

func (c *Codes) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Send makes a new code for phone (any form ParsePhone accepts) and purpose,
// stores its hash, replacing an earlier code, and sends it. It returns
// ErrInvalidPhone, ErrCodePurpose, ErrCodeTooSoon (a code went out less than
// ResendAfter ago), or a store or sender error.
func (c *Codes) Send(ctx context.Context, phone string, purpose CodePurpose) error {
	phone, err := ParsePhone(phone)
	if err != nil {
		return err
	}
	if !purpose.Valid() {
		return ErrCodePurpose
	}
	now := c.now()
	resend := c.ResendAfter
	if resend == 0 {
		resend = DefaultCodeResendAfter
	}
	if prev, err := c.Store.CodeFor(ctx, phone, purpose); err == nil {
		if resend > 0 && now.Before(prev.IssuedAt.Add(resend)) {
			return ErrCodeTooSoon
		}
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	ttl := c.TTL
	if ttl <= 0 || ttl > MaxCodeTTL {
		ttl = MaxCodeTTL
	}
	code := newCode()
	oc := OneTimeCode{Phone: phone, Purpose: purpose, IssuedAt: now, ExpiresAt: now.Add(ttl)}
	_, _ = rand.Read(oc.Salt[:])
	oc.Hash = codeHash(oc.Salt, phone, purpose, code)
	if err := c.Store.SaveCode(ctx, oc); err != nil {
		return err
	}
	return c.SMS.SendCode(ctx, phone, purpose, code, oc.ExpiresAt)
}

// Check verifies code for phone and purpose and consumes it on success. Every
// check counts as an attempt before the comparison, so concurrent guesses
// cannot exceed the limit: after MaxAttempts wrong tries even the right code
// gives ErrTooManyAttempts. Errors: ErrInvalidPhone, ErrCodeInvalid (wrong,
// used, none for this phone and purpose, or not 6 digits), ErrCodeExpired,
// ErrTooManyAttempts, or a store error.
func (c *Codes) Check(ctx context.Context, phone string, purpose CodePurpose, code string) error {
	phone, err := ParsePhone(phone)
	if err != nil {
		return err
	}
	oc, err := c.Store.CodeFor(ctx, phone, purpose)
	if errors.Is(err, ErrNotFound) {
		return ErrCodeInvalid
	} else if err != nil {
		return err
	}
	if !c.now().Before(oc.ExpiresAt) {
		return ErrCodeExpired
	}
	max := c.MaxAttempts
	if max <= 0 {
		max = DefaultCodeMaxAttempts
	}
	n, err := c.Store.CountCodeAttempt(ctx, phone, purpose)
	if errors.Is(err, ErrNotFound) {
		return ErrCodeInvalid
	} else if err != nil {
		return err
	}
	// The attempt just counted may be the right one: max wrong tries leave
	// n = max+1 for the next, which is refused whatever it holds.
	if n > max {
		return ErrTooManyAttempts
	}
	digits, err := ParseCode(code)
	if err != nil {
		return ErrCodeInvalid
	}
	h := codeHash(oc.Salt, phone, purpose, digits)
	if subtle.ConstantTimeCompare(h[:], oc.Hash[:]) != 1 {
		if n == max {
			return ErrTooManyAttempts
		}
		return ErrCodeInvalid
	}
	if err := c.Store.ConsumeCode(ctx, phone, purpose, h); errors.Is(err, ErrNotFound) {
		return ErrCodeInvalid
	} else if err != nil {
		return err
	}
	return nil
}

// ParseCode reads a typed SMS code: exactly six ASCII or full-width digits,
// spaces around and between ignored. It returns the six ASCII digits, or
// ErrCodeInvalid.
func ParseCode(s string) (string, error) {
	if len(s) > 64 {
		return "", ErrCodeInvalid
	}
	var b [CodeDigits]byte
	n := 0
	for _, r := range s {
		switch {
		case r == ' ' || r == '\t' || r == '\u3000':
			continue
		case r >= '0' && r <= '9':
		case r >= '０' && r <= '９':
			r = r - '０' + '0'
		default:
			return "", ErrCodeInvalid
		}
		if n == CodeDigits {
			return "", ErrCodeInvalid
		}
		b[n] = byte(r)
		n++
	}
	if n != CodeDigits {
		return "", ErrCodeInvalid
	}
	return string(b[:]), nil
}

// newCode returns six uniformly random digits from crypto/rand.
func newCode() string {
	const limit = 1 << 32 / 1000000 * 1000000 // reject above to stay uniform
	var b [4]byte
	for {
		_, _ = rand.Read(b[:])
		if v := binary.BigEndian.Uint32(b[:]); uint64(v) < limit {
			s := strconv.FormatUint(uint64(v%1000000), 10)
			return strings.Repeat("0", CodeDigits-len(s)) + s
		}
	}
}

func codeHash(salt [16]byte, phone string, purpose CodePurpose, code string) TokenHash {
	h := sha256.New()
	h.Write(salt[:])
	h.Write([]byte{byte(purpose)})
	h.Write([]byte(phone))
	h.Write([]byte{0})
	h.Write([]byte(code))
	var out TokenHash
	h.Sum(out[:0])
	return out
}
