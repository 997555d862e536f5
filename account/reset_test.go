package account_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/account/accounttest"
)

const (
	goodPassword  = "Qingshui-river-2026"
	otherPassword = "Lanzhou-noodles-88"
)

type resetEnv struct {
	r      *account.Reset
	mem    *accounttest.Memory
	out    *accounttest.Outbox
	clock  *accounttest.Clock
	hasher *account.Hasher
	zhang  account.Account // resident ID, e-mail, testPhone, WeChat
	chan_  account.Account // HK/Macao permit, no e-mail, no testPhone, no WeChat
}

func newResetEnv(t testing.TB) *resetEnv {
	t.Helper()
	// Cheap parameters: the tests exercise the rules, not argon2's cost.
	hasher, err := account.NewHasher(account.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 2)
	if err != nil {
		t.Fatal(err)
	}
	e := &resetEnv{mem: &accounttest.Memory{}, out: &accounttest.Outbox{}, clock: accounttest.NewClock(acctT0), hasher: hasher}
	e.r = &account.Reset{
		Accounts: e.mem,
		Tokens:   e.mem,
		Codes:    &account.Codes{Store: e.mem, SMS: e.out, Now: e.clock.Now},
		Mail:     e.out,
		Hasher:   hasher,
		Key:      []byte("0123456789abcdef0123456789abcdef"),
		Now:      e.clock.Now,
	}
	reg := time.Date(2020, 5, 1, 10, 0, 0, 0, account.ChinaStandardTime)
	e.zhang = e.mem.AddAccount(account.Account{
		DocType: account.DocResidentID, DocNumber: "11010519491231002X", Name: "张三",
		Phone: "13800138000", Email: "zhangsan@example.com", WeChatLinked: true,
		RegisteredAt: reg, PasswordChangedAt: reg,
	})
	e.chan_ = e.mem.AddAccount(account.Account{
		DocType: account.DocHKMacaoPermit, DocNumber: "H12345678", Name: "陈大文",
		RegisteredAt: reg, PasswordChangedAt: reg,
	})
	return e
}

func (e *resetEnv) begin(t testing.TB) string {
	t.Helper()
	rt, err := e.r.Begin(context.Background(), account.DocResidentID, "11010519491231002X", "张三")
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	return rt.Ticket
}

func (e *resetEnv) mailToken(t testing.TB) string {
	t.Helper()
	if err := e.r.SendEmailLink(context.Background(), e.begin(t)); err != nil {
		t.Fatalf("SendEmailLink: %v", err)
	}
	m, _ := e.out.LastMail()
	return m.Token
}

func (e *resetEnv) passwordIs(t testing.TB, id int64, password string) bool {
	t.Helper()
	a, err := e.mem.AccountByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	ok, err := e.hasher.Verify(password, a.PasswordHash)
	return err == nil && ok
}

func TestBeginMismatchIsIndistinguishableFromUnknownAccount(t *testing.T) {
	ctx := context.Background()
	e := newResetEnv(t)
	_, unknownErr := e.r.Begin(ctx, account.DocResidentID, "440305198807150015", "李四")
	if unknownErr != account.ErrResetMismatch {
		t.Fatalf("unknown account: %v, want ErrResetMismatch", unknownErr)
	}
	tests := []struct {
		name   string
		typ    account.DocType
		number string
		person string
	}{
		{"wrong name", account.DocResidentID, "11010519491231002X", "张四"},
		{"wrong number (another valid ID)", account.DocResidentID, "110101199003074477", "张三"},
		{"wrong document type (same number is a valid passport)", account.DocPassport, "H12345678", "陈大文"},
		{"unknown account with the name of a known one", account.DocResidentID, "320102198501011234", "张三"},
		{"name of the other account", account.DocResidentID, "11010519491231002X", "陈大文"},
		{"empty name", account.DocResidentID, "11010519491231002X", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rt, err := e.r.Begin(ctx, tc.typ, tc.number, tc.person)
			if err != unknownErr || err.Error() != unknownErr.Error() {
				t.Fatalf("Begin = %v; want exactly the unknown-account answer %v", err, unknownErr)
			}
			if rt != (account.ResetTicket{}) {
				t.Fatalf("a mismatch returned a ticket: %+v", rt)
			}
		})
	}
	if n := len(e.out.Mails()) + len(e.out.SMS()); n != 0 {
		t.Fatalf("mismatches sent %d messages", n)
	}
}

func TestBeginMatches(t *testing.T) {
	ctx := context.Background()
	e := newResetEnv(t)
	tests := []struct {
		name   string
		typ    account.DocType
		number string
		person string
		want   account.ResetTicket // Ticket ignored
	}{
		{"all three right offers e-mail, SMS and WeChat", account.DocResidentID, "11010519491231002X", "张三",
			account.ResetTicket{Email: "z***@example.com", Phone: "138****8000", WeChat: true}},
		{"lowercase x and spaces around are the same document and name", account.DocResidentID, " 11010519491231002x ", " 张三 ",
			account.ResetTicket{Email: "z***@example.com", Phone: "138****8000", WeChat: true}},
		{"an account without contacts offers nothing", account.DocHKMacaoPermit, "H12345678", "陈大文",
			account.ResetTicket{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rt, err := e.r.Begin(ctx, tc.typ, tc.number, tc.person)
			if err != nil {
				t.Fatal(err)
			}
			if rt.Ticket == "" {
				t.Fatal("no ticket")
			}
			rt.Ticket = ""
			if rt != tc.want {
				t.Fatalf("Begin = %+v, want %+v", rt, tc.want)
			}
		})
	}
}

func TestBeginMalformedNumberIsAFormatError(t *testing.T) {
	e := newResetEnv(t)
	_, err := e.r.Begin(context.Background(), account.DocResidentID, "11010519491231002Y", "张三")
	if err == nil || errors.Is(err, account.ErrResetMismatch) || !errors.Is(err, account.ErrInvalidID) {
		t.Fatalf("Begin(bad check char) = %v; want the ID format error", err)
	}
}

func TestResetUnavailableBefore2019March(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name       string
		registered time.Time
		person     string
		want       error
	}{
		{"registered one second before 2019-03-01 CST", time.Date(2019, 2, 28, 23, 59, 59, 0, account.ChinaStandardTime), "王五", account.ErrResetUnavailable},
		{"registered at 2019-03-01 00:00 CST", time.Date(2019, 3, 1, 0, 0, 0, 0, account.ChinaStandardTime), "王五", nil},
		{"the boundary is CST: 2019-02-28 16:00 UTC is already allowed", time.Date(2019, 2, 28, 16, 0, 0, 0, time.UTC), "王五", nil},
		{"2019-02-28 15:59:59 UTC is still before", time.Date(2019, 2, 28, 15, 59, 59, 0, time.UTC), "王五", account.ErrResetUnavailable},
		{"registered in 2015", time.Date(2015, 6, 1, 0, 0, 0, 0, account.ChinaStandardTime), "王五", account.ErrResetUnavailable},
		{"an old account with a wrong name is just a mismatch", time.Date(2015, 6, 1, 0, 0, 0, 0, account.ChinaStandardTime), "王六", account.ErrResetMismatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newResetEnv(t)
			e.mem.AddAccount(account.Account{
				DocType: account.DocResidentID, DocNumber: "440305198807150015", Name: "王五",
				Phone: "13900139000", RegisteredAt: tc.registered, PasswordChangedAt: tc.registered,
			})
			_, err := e.r.Begin(ctx, account.DocResidentID, "440305198807150015", tc.person)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("Begin = %v, want %v", err, tc.want)
			}
		})
	}
	if !strings.Contains(account.ErrResetUnavailable.Error(), "重新注册") {
		t.Fatalf("ErrResetUnavailable must tell the person to register anew: %q", account.ErrResetUnavailable)
	}
}

func TestEmailLinkToken(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		before func(e *resetEnv, token string) // what happens between mailing and using the link
		want   error
	}{
		{"a fresh link sets the password", nil, nil},
		{"23h59m after issue still works", func(e *resetEnv, _ string) { e.clock.Advance(23*time.Hour + 59*time.Minute) }, nil},
		{"24h after issue is refused", func(e *resetEnv, _ string) { e.clock.Advance(24 * time.Hour) }, account.ErrTokenExpired},
		{"a used link is refused", func(e *resetEnv, token string) {
			_ = e.r.CompleteWithToken(ctx, token, otherPassword)
			e.clock.Advance(time.Minute)
		}, account.ErrTokenInvalid},
		{"a newer link voids the older", func(e *resetEnv, _ string) {
			e.clock.Advance(time.Minute)
			_ = e.r.SendEmailLink(ctx, e.begin(t))
		}, account.ErrTokenInvalid},
		{"a reset by SMS code voids the link", func(e *resetEnv, _ string) {
			e.clock.Advance(time.Minute)
			tk := e.begin(t)
			_ = e.r.SendSMSCode(ctx, tk)
			sms, _ := e.out.LastSMS()
			if err := e.r.CompleteWithCode(ctx, tk, sms.Code, otherPassword); err != nil {
				t.Fatal(err)
			}
		}, account.ErrTokenInvalid},
		{"a password change made elsewhere voids the link", func(e *resetEnv, _ string) {
			e.clock.Advance(time.Minute)
			_ = e.mem.SetPassword(ctx, e.zhang.ID, "$argon2id$elsewhere", e.clock.Now())
		}, account.ErrTokenInvalid},
		{"a weak password does not use up the link", func(e *resetEnv, token string) {
			if err := e.r.CompleteWithToken(ctx, token, "12345678"); !errors.Is(err, account.ErrWeakPassword) {
				t.Fatalf("weak password: %v", err)
			}
		}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newResetEnv(t)
			token := e.mailToken(t)
			if tc.before != nil {
				tc.before(e, token)
			}
			checkErr := e.r.CheckToken(ctx, token)
			err := e.r.CompleteWithToken(ctx, token, goodPassword)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("CompleteWithToken = %v, want %v", err, tc.want)
			}
			if !errors.Is(checkErr, tc.want) && (tc.want != nil || checkErr != nil) {
				t.Fatalf("CheckToken = %v, want %v", checkErr, tc.want)
			}
			if got := e.passwordIs(t, e.zhang.ID, goodPassword); got != (tc.want == nil) {
				t.Fatalf("password set = %v, want %v", got, tc.want == nil)
			}
		})
	}
}

func TestEmailLinkTokenIsRandomAndStoredHashed(t *testing.T) {
	e := newResetEnv(t)
	token := e.mailToken(t)
	m, _ := e.out.LastMail()
	if m.To != "zhangsan@example.com" || !m.ExpiresAt.Equal(acctT0.Add(24*time.Hour)) {
		t.Fatalf("mail %+v", m)
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw)*8 < 128 {
		t.Fatalf("token %q holds %d bits, want ≥ 128 (%v)", token, len(raw)*8, err)
	}
	stored := e.mem.ResetTokens(e.zhang.ID)
	if len(stored) != 1 {
		t.Fatalf("%d tokens stored, want 1", len(stored))
	}
	if stored[0].Hash != account.TokenHash(sha256.Sum256(raw)) {
		t.Fatal("the stored hash is not the SHA-256 of the token")
	}
	if strings.Contains(fmt.Sprintf("%+v", stored[0]), token) {
		t.Fatal("the stored record contains the token itself")
	}
	if again := e.mailToken(t); again == token {
		t.Fatal("two links carry the same token")
	}
}

func TestEmailLinkConcurrentUseSucceedsOnce(t *testing.T) {
	e := newResetEnv(t)
	token := e.mailToken(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for range 8 {
		wg.Go(func() {
			if e.r.CompleteWithToken(context.Background(), token, goodPassword) == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if ok != 1 {
		t.Fatalf("%d concurrent uses of one link succeeded, want 1", ok)
	}
}

func TestResetBySMSCode(t *testing.T) {
	ctx := context.Background()
	t.Run("the code sent to the registered testPhone sets the password", func(t *testing.T) {
		e := newResetEnv(t)
		tk := e.begin(t)
		if err := e.r.SendSMSCode(ctx, tk); err != nil {
			t.Fatal(err)
		}
		sms, _ := e.out.LastSMS()
		if sms.Phone != "13800138000" || sms.Purpose != account.PurposeReset {
			t.Fatalf("sms %+v", sms)
		}
		if err := e.r.CompleteWithCode(ctx, tk, otherCode(sms.Code), goodPassword); !errors.Is(err, account.ErrCodeInvalid) {
			t.Fatalf("wrong code: %v", err)
		}
		if err := e.r.CompleteWithCode(ctx, tk, sms.Code, "password"); !errors.Is(err, account.ErrWeakPassword) {
			t.Fatalf("weak password: %v", err)
		}
		if err := e.r.CompleteWithCode(ctx, tk, sms.Code, goodPassword); err != nil {
			t.Fatal(err)
		}
		if !e.passwordIs(t, e.zhang.ID, goodPassword) {
			t.Fatal("password not set")
		}
		if a, _ := e.mem.AccountByID(ctx, e.zhang.ID); !a.PasswordChangedAt.Equal(acctT0) {
			t.Fatalf("PasswordChangedAt = %v, want %v", a.PasswordChangedAt, acctT0)
		}
		if err := e.r.CompleteWithCode(ctx, tk, sms.Code, otherPassword); !errors.Is(err, account.ErrCodeInvalid) {
			t.Fatalf("second use of the code: %v", err)
		}
	})
	t.Run("a code for another purpose does not reset", func(t *testing.T) {
		e := newResetEnv(t)
		if err := e.r.Codes.Send(ctx, "13800138000", account.PurposeChangePhone); err != nil {
			t.Fatal(err)
		}
		sms, _ := e.out.LastSMS()
		if err := e.r.CompleteWithCode(ctx, e.begin(t), sms.Code, goodPassword); !errors.Is(err, account.ErrCodeInvalid) {
			t.Fatalf("CompleteWithCode = %v, want ErrCodeInvalid", err)
		}
	})
	t.Run("an account without testPhone or e-mail has no such method", func(t *testing.T) {
		e := newResetEnv(t)
		rt, err := e.r.Begin(ctx, account.DocHKMacaoPermit, "H12345678", "陈大文")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.r.SendSMSCode(ctx, rt.Ticket); !errors.Is(err, account.ErrResetMethod) {
			t.Fatalf("SendSMSCode = %v", err)
		}
		if err := e.r.SendEmailLink(ctx, rt.Ticket); !errors.Is(err, account.ErrResetMethod) {
			t.Fatalf("SendEmailLink = %v", err)
		}
	})
}

func TestResetByWeChat(t *testing.T) {
	ctx := context.Background()
	e := newResetEnv(t)
	if err := e.r.CompleteWithWeChat(ctx, e.begin(t), goodPassword); err != nil {
		t.Fatalf("linked account: %v", err)
	}
	if !e.passwordIs(t, e.zhang.ID, goodPassword) {
		t.Fatal("password not set")
	}
	rt, err := e.r.Begin(ctx, account.DocHKMacaoPermit, "H12345678", "陈大文")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.r.CompleteWithWeChat(ctx, rt.Ticket, goodPassword); !errors.Is(err, account.ErrWeChatNotLinked) {
		t.Fatalf("unlinked account: %v, want ErrWeChatNotLinked", err)
	}
}

func TestResetTicket(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		ticket func(e *resetEnv, good string) string
		want   error
	}{
		{"a fresh ticket works", func(_ *resetEnv, good string) string { return good }, nil},
		{"29 minutes later it still works", func(e *resetEnv, good string) string { e.clock.Advance(29 * time.Minute); return good }, nil},
		{"30 minutes later it has lapsed", func(e *resetEnv, good string) string { e.clock.Advance(30 * time.Minute); return good }, account.ErrTicketInvalid},
		{"a changed character is refused", func(_ *resetEnv, good string) string {
			b := []byte(good)
			b[3] ^= 1
			return string(b)
		}, account.ErrTicketInvalid},
		{"a ticket for another account id is refused", func(e *resetEnv, good string) string {
			raw, _ := base64.RawURLEncoding.DecodeString(good)
			raw[7]++
			return base64.RawURLEncoding.EncodeToString(raw)
		}, account.ErrTicketInvalid},
		{"a ticket signed with another key is refused", func(e *resetEnv, good string) string {
			e.r.Key = []byte("another key of thirty-two bytes!")
			return good
		}, account.ErrTicketInvalid},
		{"an empty ticket is refused", func(*resetEnv, string) string { return "" }, account.ErrTicketInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newResetEnv(t)
			tk := tc.ticket(e, e.begin(t))
			err := e.r.SendSMSCode(ctx, tk)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("SendSMSCode = %v, want %v", err, tc.want)
			}
		})
	}
	t.Run("a short key is a configuration error, not a ticket", func(t *testing.T) {
		e := newResetEnv(t)
		e.r.Key = []byte("short")
		if _, err := e.r.Begin(ctx, account.DocResidentID, "11010519491231002X", "张三"); err == nil {
			t.Fatal("Begin with a 5-byte key succeeded")
		}
	})
}

func TestNameComparison(t *testing.T) {
	ctx := context.Background()
	e := newResetEnv(t)
	e.mem.AddAccount(account.Account{
		DocType: account.DocResidentID, DocNumber: "440305198807150015", Name: "阿卜杜·热合曼",
		RegisteredAt: acctT0.AddDate(-1, 0, 0),
	})
	e.mem.AddAccount(account.Account{
		DocType: account.DocPassport, DocNumber: "E12345678", Name: "JOHN SMITH",
		RegisteredAt: acctT0.AddDate(-1, 0, 0),
	})
	tests := []struct {
		name string
		typ  account.DocType
		num  string
		typd string
		want error
	}{
		{"middle dot typed as full stop matches", account.DocResidentID, "440305198807150015", "阿卜杜.热合曼", nil},
		{"middle dot typed as katakana dot matches", account.DocResidentID, "440305198807150015", "阿卜杜・热合曼", nil},
		{"missing middle dot does not match", account.DocResidentID, "440305198807150015", "阿卜杜热合曼", account.ErrResetMismatch},
		{"Latin case and extra spaces are ignored", account.DocPassport, "E12345678", "John  Smith", nil},
		{"full-width Latin matches", account.DocPassport, "E12345678", "ＪＯＨＮ ＳＭＩＴＨ", nil},
		{"a different Latin name does not match", account.DocPassport, "E12345678", "JOHN SMYTH", account.ErrResetMismatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.r.Begin(ctx, tc.typ, tc.num, tc.typd)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("Begin(%q) = %v, want %v", tc.typd, err, tc.want)
			}
		})
	}
}

func ExampleReset_Begin() {
	ctx := context.Background()
	mem := &accounttest.Memory{}
	reset := &account.Reset{
		Accounts: mem, Tokens: mem, Mail: &accounttest.Outbox{},
		Key: []byte("an example key of 32 bytes......"),
		Now: func() time.Time { return time.Date(2026, 7, 1, 9, 0, 0, 0, account.ChinaStandardTime) },
	}
	mem.AddAccount(account.Account{
		DocType: account.DocResidentID, DocNumber: "11010519491231002X", Name: "张三",
		Phone: "13800138000", Email: "zhangsan@example.com",
		RegisteredAt: time.Date(2020, 5, 1, 0, 0, 0, 0, account.ChinaStandardTime),
	})
	mem.AddAccount(account.Account{
		DocType: account.DocResidentID, DocNumber: "110101199003074477", Name: "李四",
		RegisteredAt: time.Date(2018, 5, 1, 0, 0, 0, 0, account.ChinaStandardTime),
	})

	rt, err := reset.Begin(ctx, account.DocResidentID, "11010519491231002x", "张三")
	fmt.Println(rt.Email, rt.Phone, rt.WeChat, err)
	_, err = reset.Begin(ctx, account.DocResidentID, "11010519491231002X", "张四") // wrong name
	fmt.Println(err)
	_, err = reset.Begin(ctx, account.DocResidentID, "440305198807150015", "张三") // no such account
	fmt.Println(err)
	_, err = reset.Begin(ctx, account.DocResidentID, "110101199003074477", "李四") // registered 2018
	fmt.Println(err)
	// Output:
	// z***@example.com 138****8000 false <nil>
	// 证件类型、证件号码或姓名有误,无法找回密码
	// 证件类型、证件号码或姓名有误,无法找回密码
	// 2019年3月1日之前注册的账号不能进行密码重置,请重新注册账号
}

func ExampleParseResetToken() {
	_, err := account.ParseResetToken("AAAAAAAAAAAAAAAAAAAAAA")
	fmt.Println(err)
	_, err = account.ParseResetToken("not a token")
	fmt.Println(err)
	// Output:
	// <nil>
	// 密码重置链接无效或已失效,请重新申请
}

func FuzzParseResetToken(f *testing.F) {
	for _, s := range []string{"AAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAB", " _-_-_-_-_-_-_-_-_-_-_w ", "", "AAAAAAAAAAAAAAAAAAAAAA==", "+/+/+/+/+/+/+/+/+/+/+w"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := account.ParseResetToken(s)
		if err != nil {
			if !errors.Is(err, account.ErrTokenInvalid) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		raw, derr := base64.RawURLEncoding.DecodeString(strings.TrimSpace(s))
		if derr != nil || len(raw) != 16 || h != account.TokenHash(sha256.Sum256(raw)) {
			t.Fatalf("ParseResetToken(%q) accepted a token that is not 128 bits of base64url", s)
		}
	})
}

func FuzzResetEntryPoints(f *testing.F) {
	e := newResetEnv(f)
	good := e.begin(f)
	token := e.mailToken(f)
	f.Add(good, token, "123456")
	f.Add("", "", "")
	f.Add(strings.Repeat("A", 43), strings.Repeat("A", 22), "０００００")
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, ticket, token, code string) {
		// No panic, and every failure is one of the documented errors.
		known := []error{account.ErrTicketInvalid, account.ErrTokenInvalid, account.ErrTokenExpired,
			account.ErrCodeInvalid, account.ErrCodeExpired, account.ErrTooManyAttempts, account.ErrCodeTooSoon,
			account.ErrWeakPassword, account.ErrResetMethod}
		for _, err := range []error{
			e.r.SendSMSCode(ctx, ticket),
			e.r.CompleteWithCode(ctx, ticket, code, goodPassword),
			e.r.CheckToken(ctx, token),
		} {
			if err == nil {
				continue
			}
			ok := false
			for _, k := range known {
				ok = ok || errors.Is(err, k)
			}
			if !ok {
				t.Fatalf("undocumented error %v", err)
			}
		}
	})
}

func BenchmarkBeginMismatch(b *testing.B) {
	e := newResetEnv(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.r.Begin(ctx, account.DocResidentID, "11010519491231002X", "张四"); err != account.ErrResetMismatch {
			b.Fatal(err)
		}
	}
}

// BenchmarkBeginFloor is the floor for BenchmarkBeginMismatch: validating the
// document number alone.
func BenchmarkBeginFloor(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := account.ValidateDocumentAt(account.DocResidentID, "11010519491231002X", acctT0); err != nil {
			b.Fatal(err)
		}
	}
}
