package account_test

import (
	"context"
	"fmt"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/account/accounttest"
)

func ExampleVerifyCaptcha() {
	ctx := context.Background()
	store := &account.MemoryCaptchaStore{}
	now := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	// Challenge ids are 128 random bits in base64url; these two stand for issued ones.
	slider, text := "c2xpZGVyLWNoYWxsZW5nZQ", "dGV4dC1jaGFsbGVuZ2UhIQ"
	_ = store.Put(ctx, slider, account.CaptchaSecret{Kind: account.CaptchaSlider, Answer: 120, IssuedAt: now, ExpiresAt: now.Add(account.DefaultCaptchaTTL)})
	_ = store.Put(ctx, text, account.CaptchaSecret{Kind: account.CaptchaText, Answer: 12, IssuedAt: now, ExpiresAt: now.Add(account.DefaultCaptchaTTL)})

	fmt.Println(account.VerifyCaptcha(ctx, store, slider, "124", 5, now.Add(3*time.Second))) // within 5 px
	fmt.Println(account.VerifyCaptcha(ctx, store, slider, "124", 5, now.Add(4*time.Second))) // used up
	fmt.Println(account.VerifyCaptcha(ctx, store, text, "十二", 0, now.Add(3*time.Minute)))    // too late
	fmt.Println(account.VerifyCaptcha(ctx, store, "not-an-id", "1", 0, now))
	// Output:
	// <nil>
	// 验证码已失效,请刷新后重新验证
	// 验证码已过期,请刷新后重新验证
	// 验证码已失效,请刷新后重新验证
}

func ExampleIsCommonPassword() {
	for _, p := range []string{"password123", "Woaini1314", "qwertyuiop", "Lanzhou-Teacher-2026"} {
		fmt.Println(p, account.IsCommonPassword(p))
	}
	// Output:
	// password123 true
	// Woaini1314 true
	// qwertyuiop true
	// Lanzhou-Teacher-2026 false
}

func ExampleReset_CheckToken() {
	ctx := context.Background()
	mem := &accounttest.Memory{}
	mail := &accounttest.Outbox{}
	now := time.Date(2026, 7, 1, 9, 0, 0, 0, account.ChinaStandardTime)
	reset := &account.Reset{
		Accounts: mem, Tokens: mem, Mail: mail,
		Key: []byte("an example key of 32 bytes......"),
		Now: func() time.Time { return now },
	}
	mem.AddAccount(account.Account{
		DocType: account.DocResidentID, DocNumber: "11010519491231002X", Name: "张三",
		Email: "zhangsan@example.com", RegisteredAt: time.Date(2020, 5, 1, 0, 0, 0, 0, account.ChinaStandardTime),
	})
	rt, _ := reset.Begin(ctx, account.DocResidentID, "11010519491231002X", "张三")
	_ = reset.SendEmailLink(ctx, rt.Ticket)
	link, _ := mail.LastMail()

	fmt.Println(reset.CheckToken(ctx, link.Token)) // the link opens the new-password form
	fmt.Println(reset.CheckToken(ctx, link.Token)) // checking does not use it up
	now = now.Add(25 * time.Hour)
	fmt.Println(reset.CheckToken(ctx, link.Token))
	fmt.Println(reset.CheckToken(ctx, "forged"))
	// Output:
	// <nil>
	// <nil>
	// 密码重置链接已超过24小时有效期,请重新申请
	// 密码重置链接无效或已失效,请重新申请
}
