package web

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/store"
)

// Services are the domain services the handlers use. New fills every nil field with the portal's
// default built on the store: database-backed captcha, argon2id hasher, the development outbox as
// mail and SMS sender, and the development real-name verifier.
type Services struct {
	// Captcha is the slider puzzle (拖动滑块补全拼图).
	Captcha account.Captcha
	// TextCaptcha is the non-drag alternative for keyboard and screen-reader users.
	TextCaptcha account.Captcha
	// Hasher hashes and verifies passwords (argon2id).
	Hasher *account.Hasher
	// LoginThrottle is the failed-login policy, applied per account and per client.
	LoginThrottle account.ThrottlePolicy
	// SMS sends one-time codes; Mail sends reset links. Both default to the dev outbox.
	SMS  account.SMSSender
	Mail account.Mailer
	// Verifier is real-name verification (实名核验).
	Verifier account.RealNameVerifier
	// Codes and Reset are built from the fields above unless set.
	Codes *account.Codes
	Reset *account.Reset
}

func (sv Services) withDefaults(cfg Config) (Services, error) {
	st := cfg.Store
	if sv.Captcha == nil {
		sv.Captcha = &account.SliderCaptcha{Store: st.Captchas()}
	}
	if sv.TextCaptcha == nil {
		sv.TextCaptcha = &account.TextCaptcha{Store: st.Captchas()}
	}
	if sv.Hasher == nil {
		h, err := account.NewHasher(account.DefaultParams, max(2, runtime.NumCPU()))
		if err != nil {
			return sv, err
		}
		sv.Hasher = h
	}
	out := outbox{st: st, baseURL: cfg.BaseURL}
	if sv.SMS == nil {
		sv.SMS = out
	}
	if sv.Mail == nil {
		sv.Mail = out
	}
	if sv.Verifier == nil {
		sv.Verifier = account.DevRealNameVerifier{Now: cfg.Now}
	}
	if sv.Codes == nil {
		sv.Codes = &account.Codes{Store: st, SMS: sv.SMS, Now: cfg.Now}
	}
	if sv.Reset == nil {
		sv.Reset = &account.Reset{
			Accounts: st, Tokens: st, Codes: sv.Codes, Mail: sv.Mail, Hasher: sv.Hasher,
			Key: cfg.SecretKey, Now: cfg.Now,
		}
	}
	return sv, nil
}

// outbox is the development mail and SMS sender: it records what was "sent" in the store's outbox,
// which /dev/outbox shows (only with -dev). Nothing is logged.
type outbox struct {
	st      *store.Store
	baseURL string
}

// SendCode implements account.SMSSender.
func (o outbox) SendCode(ctx context.Context, phone string, purpose account.CodePurpose, code string, expiresAt time.Time) error {
	body := fmt.Sprintf("【教师资格定期注册】您的验证码为 %s,用于%s,%s 前有效。请勿告诉他人。", code, purpose, expiresAt.In(account.ChinaStandardTime).Format("15:04"))
	_, err := o.st.AddOutbox(ctx, store.OutboxMessage{Channel: "sms", Recipient: phone, Subject: purpose.String(), Body: body})
	return err
}

// SendResetLink implements account.Mailer.
func (o outbox) SendResetLink(ctx context.Context, to, name, token string, expiresAt time.Time) error {
	link := o.baseURL + "/password/reset/" + token
	body := fmt.Sprintf("%s 您好:\n您用于本次密码重置的链接:%s\n请在 %s 前打开(24小时内有效)。如非本人操作,请忽略本邮件。",
		name, link, expiresAt.In(account.ChinaStandardTime).Format("2006-01-02 15:04"))
	_, err := o.st.AddOutbox(ctx, store.OutboxMessage{Channel: "email", Recipient: to, Subject: "教师资格定期注册-密码重置", Body: body})
	return err
}
