package accounttest

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
)

// Stores is everything the account rules store: what a database adapter
// implements.
type Stores interface {
	account.Store
	account.ResetTokenStore
	account.CodeStore
}

// Conformance runs the contract of the account storage interfaces against s:
// ErrNotFound for missing records, atomic single use of tokens and codes,
// voiding, replacing codes, counting attempts. seed stores an account (its ID
// is the store's to choose) and returns it as stored; it is called with
// distinct documents. The portal's database store runs it in its own tests;
// Memory runs it here.
func Conformance(t *testing.T, s Stores, seed func(account.Account) account.Account) {
	ctx := context.Background()
	at := time.Date(2026, 7, 1, 9, 0, 0, 0, account.ChinaStandardTime)
	reg := at.AddDate(-2, 0, 0)
	a := seed(account.Account{
		DocType: account.DocResidentID, DocNumber: "11010519491231002X", Name: "张三",
		Phone: "13800138000", Email: "zhangsan@example.com", RegisteredAt: reg, PasswordChangedAt: reg,
		WeChatLinked: true, RealNameVerified: true,
	})
	b := seed(account.Account{
		DocType: account.DocHKMacaoPermit, DocNumber: "H12345678", Name: "陈大文", RegisteredAt: reg, PasswordChangedAt: reg,
	})

	t.Run("accounts are found by document and id, unknown ones are ErrNotFound", func(t *testing.T) {
		got, err := s.AccountByDocument(ctx, account.DocResidentID, "11010519491231002X")
		if err != nil || got.ID != a.ID || got.Name != "张三" || got.Phone != a.Phone || got.Email != a.Email ||
			!got.WeChatLinked || !got.RealNameVerified || !got.RegisteredAt.Equal(reg) {
			t.Fatalf("AccountByDocument = %+v, %v; want %+v", got, err, a)
		}
		if got, err := s.AccountByID(ctx, b.ID); err != nil || got.DocNumber != "H12345678" || got.DocType != account.DocHKMacaoPermit {
			t.Fatalf("AccountByID = %+v, %v", got, err)
		}
		if _, err := s.AccountByDocument(ctx, account.DocPassport, "H12345678"); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("same number, other type: %v, want ErrNotFound", err)
		}
		if _, err := s.AccountByID(ctx, -1); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("unknown id: %v, want ErrNotFound", err)
		}
	})

	t.Run("SetPassword stores hash and time", func(t *testing.T) {
		if err := s.SetPassword(ctx, a.ID, "$argon2id$v=19$test", at); err != nil {
			t.Fatal(err)
		}
		got, err := s.AccountByID(ctx, a.ID)
		if err != nil || got.PasswordHash != "$argon2id$v=19$test" || !got.PasswordChangedAt.Equal(at) {
			t.Fatalf("after SetPassword: %+v, %v", got, err)
		}
		if err := s.SetPassword(ctx, -1, "x", at); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("SetPassword(unknown) = %v, want ErrNotFound", err)
		}
	})

	t.Run("reset tokens are used once and voided per account", func(t *testing.T) {
		h1 := account.TokenHash(sha256.Sum256([]byte("conformance token 1")))
		h2 := account.TokenHash(sha256.Sum256([]byte("conformance token 2")))
		hb := account.TokenHash(sha256.Sum256([]byte("conformance token b")))
		for _, tk := range []account.ResetToken{
			{Hash: h1, AccountID: a.ID, IssuedAt: at, ExpiresAt: at.Add(24 * time.Hour)},
			{Hash: h2, AccountID: a.ID, IssuedAt: at, ExpiresAt: at.Add(24 * time.Hour)},
			{Hash: hb, AccountID: b.ID, IssuedAt: at, ExpiresAt: at.Add(24 * time.Hour)},
		} {
			if err := s.SaveResetToken(ctx, tk); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.ResetTokenByHash(ctx, h1)
		if err != nil || got.AccountID != a.ID || !got.ExpiresAt.Equal(at.Add(24*time.Hour)) || !got.UsedAt.IsZero() {
			t.Fatalf("ResetTokenByHash = %+v, %v", got, err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok := 0
		for range 4 {
			wg.Go(func() {
				if s.UseResetToken(ctx, h1, at.Add(time.Minute)) == nil {
					mu.Lock()
					ok++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if ok != 1 {
			t.Fatalf("%d concurrent UseResetToken succeeded, want 1", ok)
		}
		if err := s.UseResetToken(ctx, h1, at.Add(2*time.Minute)); !errors.Is(err, account.ErrTokenInvalid) {
			t.Fatalf("second use = %v, want ErrTokenInvalid", err)
		}
		if got, err := s.ResetTokenByHash(ctx, h1); err == nil && !got.UsedAt.Equal(at.Add(time.Minute)) {
			t.Fatalf("used token: UsedAt = %v", got.UsedAt)
		}
		if err := s.VoidResetTokens(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.UseResetToken(ctx, h2, at); !errors.Is(err, account.ErrTokenInvalid) {
			t.Fatalf("voided token use = %v, want ErrTokenInvalid", err)
		}
		if got, err := s.ResetTokenByHash(ctx, h2); err == nil && got.UsedAt.IsZero() {
			t.Fatalf("voided token still live: %+v", got)
		}
		if err := s.UseResetToken(ctx, hb, at); err != nil {
			t.Fatalf("voiding one account's tokens touched another's: %v", err)
		}
		unknown := account.TokenHash(sha256.Sum256([]byte("never saved")))
		if _, err := s.ResetTokenByHash(ctx, unknown); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("unknown hash = %v, want ErrNotFound", err)
		}
		if err := s.UseResetToken(ctx, unknown, at); !errors.Is(err, account.ErrTokenInvalid) {
			t.Fatalf("unknown hash use = %v, want ErrTokenInvalid", err)
		}
	})

	t.Run("codes are per phone and purpose, replaced, counted and consumed once", func(t *testing.T) {
		const phone = "13900139000"
		h1 := account.TokenHash(sha256.Sum256([]byte("code 1")))
		h2 := account.TokenHash(sha256.Sum256([]byte("code 2")))
		c := account.OneTimeCode{Phone: phone, Purpose: account.PurposeReset, Salt: [16]byte{1, 2, 3}, Hash: h1,
			IssuedAt: at, ExpiresAt: at.Add(10 * time.Minute)}
		if err := s.SaveCode(ctx, c); err != nil {
			t.Fatal(err)
		}
		got, err := s.CodeFor(ctx, phone, account.PurposeReset)
		if err != nil || got.Hash != h1 || got.Salt != c.Salt || got.Attempts != 0 || !got.ExpiresAt.Equal(c.ExpiresAt) || !got.IssuedAt.Equal(at) {
			t.Fatalf("CodeFor = %+v, %v", got, err)
		}
		if _, err := s.CodeFor(ctx, phone, account.PurposeChangePhone); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("other purpose = %v, want ErrNotFound", err)
		}
		if _, err := s.CountCodeAttempt(ctx, "13700137000", account.PurposeReset); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("CountCodeAttempt(unknown) = %v, want ErrNotFound", err)
		}
		var wg sync.WaitGroup
		for range 3 {
			wg.Go(func() { _, _ = s.CountCodeAttempt(ctx, phone, account.PurposeReset) })
		}
		wg.Wait()
		if n, err := s.CountCodeAttempt(ctx, phone, account.PurposeReset); err != nil || n != 4 {
			t.Fatalf("after 3 concurrent attempts, the next count = %d, %v; want 4", n, err)
		}
		c.Hash, c.IssuedAt = h2, at.Add(time.Minute)
		if err := s.SaveCode(ctx, c); err != nil {
			t.Fatal(err)
		}
		if got, err := s.CodeFor(ctx, phone, account.PurposeReset); err != nil || got.Hash != h2 || got.Attempts != 0 {
			t.Fatalf("a new code must replace the old and reset attempts: %+v, %v", got, err)
		}
		if err := s.ConsumeCode(ctx, phone, account.PurposeReset, h1); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("consuming the replaced code = %v, want ErrNotFound", err)
		}
		ok := 0
		var mu sync.Mutex
		for range 4 {
			wg.Go(func() {
				if s.ConsumeCode(ctx, phone, account.PurposeReset, h2) == nil {
					mu.Lock()
					ok++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if ok != 1 {
			t.Fatalf("%d concurrent ConsumeCode succeeded, want 1", ok)
		}
		if _, err := s.CodeFor(ctx, phone, account.PurposeReset); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("consumed code still there: %v", err)
		}
	})
}

// CaptchaConformance runs the contract of account.CaptchaStore against s:
// a secret comes back as put, Take removes it (a second Take and an unknown id
// give account.ErrCaptchaInvalid), and of concurrent Takes of one id exactly
// one succeeds.
func CaptchaConformance(t *testing.T, s account.CaptchaStore) {
	ctx := context.Background()
	at := time.Date(2026, 7, 1, 9, 0, 0, 0, account.ChinaStandardTime)
	sec := account.CaptchaSecret{Kind: account.CaptchaSlider, Answer: 187, IssuedAt: at, ExpiresAt: at.Add(2 * time.Minute)}
	const id, other = "conformanceAAAAAAAAAAA", "conformanceBBBBBBBBBBB"

	t.Run("a secret comes back once", func(t *testing.T) {
		if err := s.Put(ctx, id, sec); err != nil {
			t.Fatal(err)
		}
		got, err := s.Take(ctx, id)
		if err != nil || got.Kind != sec.Kind || got.Answer != sec.Answer || !got.ExpiresAt.Equal(sec.ExpiresAt) || !got.IssuedAt.Equal(sec.IssuedAt) {
			t.Fatalf("Take = %+v, %v; want %+v", got, err, sec)
		}
		if _, err := s.Take(ctx, id); !errors.Is(err, account.ErrCaptchaInvalid) {
			t.Fatalf("second Take = %v, want ErrCaptchaInvalid", err)
		}
		if _, err := s.Take(ctx, "conformanceUNKNOWNAAAA"); !errors.Is(err, account.ErrCaptchaInvalid) {
			t.Fatalf("unknown id = %v, want ErrCaptchaInvalid", err)
		}
	})

	t.Run("concurrent Takes succeed once", func(t *testing.T) {
		if err := s.Put(ctx, other, sec); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok := 0
		for range 4 {
			wg.Go(func() {
				if _, err := s.Take(ctx, other); err == nil {
					mu.Lock()
					ok++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if ok != 1 {
			t.Fatalf("%d concurrent Takes succeeded, want 1", ok)
		}
	})
}
