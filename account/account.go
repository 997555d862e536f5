package account

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"
)

// Account is an applicant's 申请人账号. The login name is the identity document
// number (证件号码); DocType + DocNumber is unique.
type Account struct {
	ID                int64
	DocType           DocType
	DocNumber         string // canonical form, as ValidateDocument returns it
	Name              string // 姓名, as verified by real-name verification (实名核验)
	Phone             string // registered mobile phone (注册手机)
	Email             string // registered e-mail (注册邮箱)
	RegisteredAt      time.Time
	PasswordHash      string    // PHC string of the password hash
	PasswordChangedAt time.Time // when the password was last set (registration included)
	WeChatLinked      bool      // linked to the 中国教师资格 WeChat service account (微信服务号)
	RealNameVerified  bool      // passed 实名核验
}

// Errors shared by the account rules and the stores. The messages are for
// people (zh-CN); the portal maps each to its page.
var (
	// ErrNotFound: a store has no such record. The rules translate it before
	// it reaches a person (an unknown account gives ErrResetMismatch).
	ErrNotFound = errors.New("记录不存在")
	// ErrResetMismatch: document type, number and name do not identify an
	// account. Identical for a wrong field and for an unknown account.
	ErrResetMismatch = errors.New("证件类型、证件号码或姓名有误,无法找回密码")
	// ErrResetUnavailable: the account was registered before 2019-03-01 and
	// cannot be reset (manual §1.2.2).
	ErrResetUnavailable = errors.New("2019年3月1日之前注册的账号不能进行密码重置,请重新注册账号")
	// ErrResetMethod: the account has no e-mail, phone or WeChat link for the
	// chosen reset method.
	ErrResetMethod = errors.New("该账号未登记此找回方式,请选择其他方式或按“常见问题”说明联系工作人员")
	// ErrWeChatNotLinked: WeChat reset needs a linked WeChat service account.
	ErrWeChatNotLinked = errors.New("该账号未关联中国教师资格微信服务号,不能通过微信重置密码")
	// ErrTicketInvalid: the reset ticket is forged, garbled or older than its
	// lifetime; identify again.
	ErrTicketInvalid = errors.New("操作已超时,请重新填写证件信息")
	// ErrTokenInvalid: the e-mail reset link is unknown, used, replaced by a
	// newer one, or void after a password change.
	ErrTokenInvalid = errors.New("密码重置链接无效或已失效,请重新申请")
	// ErrTokenExpired: the e-mail reset link is older than 24 hours.
	ErrTokenExpired = errors.New("密码重置链接已超过24小时有效期,请重新申请")
	// ErrCodeInvalid: the SMS code (短信验证码) is wrong, used, or was sent
	// for another phone or purpose.
	ErrCodeInvalid = errors.New("短信验证码错误或已失效")
	// ErrCodeExpired: the SMS code is older than its lifetime.
	ErrCodeExpired = errors.New("短信验证码已过期,请重新获取")
	// ErrTooManyAttempts: too many wrong codes; the code is void, get a new one.
	ErrTooManyAttempts = errors.New("验证码错误次数过多,已失效,请重新获取")
	// ErrCodeTooSoon: a code was sent to this phone for this purpose moments ago.
	ErrCodeTooSoon = errors.New("验证码发送过于频繁,请稍后再试")
	// ErrInvalidPhone: not a mainland mobile number (11 digits starting with 1).
	ErrInvalidPhone = errors.New("手机号码格式不正确")
	// ErrRealNameFailed: real-name verification (实名核验) refused the name and
	// document; the change is not applied, business goes on (manual §2.1).
	ErrRealNameFailed = errors.New("实名审核失败,信息更新未成功。您仍可正常办理业务")
	// ErrIdentityLocked: identity edits are refused while a certificate is in
	// use by a registration or the registration passed on-site confirmation.
	ErrIdentityLocked = errors.New("证书已在报名业务中使用或报名信息已进行现场确认,无法修改个人身份信息,请联系您的认定机构")
)

// ParsePhone checks a mainland mobile number (手机号码): 11 ASCII digits
// starting with 1 and a second digit 3–9, optionally written with a +86 or 86
// prefix, spaces or hyphens. It returns the 11 digits, or ErrInvalidPhone.
func ParsePhone(s string) (string, error) {
	if len(s) > 32 {
		return "", ErrInvalidPhone
	}
	var b [32]byte
	n := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			b[n] = c
			n++
		case c == ' ' || c == '-' || (c == '+' && n == 0):
		default:
			return "", ErrInvalidPhone
		}
	}
	d := string(b[:n])
	if strings.HasPrefix(s, "+") || n == 13 {
		if !strings.HasPrefix(d, "86") {
			return "", ErrInvalidPhone
		}
		d = d[2:]
	}
	if len(d) != 11 || d[0] != '1' || d[1] < '3' {
		return "", ErrInvalidPhone
	}
	return d, nil
}

// MaskPhone shows a phone as the reset page may: "138****5678".
func MaskPhone(phone string) string {
	if len(phone) < 7 {
		return strings.Repeat("*", len(phone))
	}
	return phone[:3] + strings.Repeat("*", len(phone)-7) + phone[len(phone)-4:]
}

// MaskEmail shows an e-mail address as the reset page may: "z***@example.com".
func MaskEmail(email string) string {
	at := strings.LastIndexByte(email, '@')
	if at <= 0 {
		return "***"
	}
	_, size := utf8.DecodeRuneInString(email)
	return email[:size] + "***" + email[at:]
}
