package store_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/store/storetest"
	"github.com/tqreg/tqreg/registration"
)

var t0 = time.Date(2026, 9, 1, 8, 30, 15, 123456000, time.UTC)

func newAccount(doc, name string) account.Account {
	return account.Account{
		DocType: account.DocResidentID, DocNumber: doc, Name: name,
		Phone: "13800138000", Email: "a@example.com",
		RegisteredAt: t0, PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$a2V5", PasswordChangedAt: t0,
		WeChatLinked: true, RealNameVerified: true,
	}
}

func TestAccounts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, err := s.CreateAccount(ctx, newAccount("11010519491231002X", "张三"))
		if err != nil {
			t.Fatal(err)
		}
		if a.ID == 0 {
			t.Fatal("CreateAccount gave no ID")
		}
		t.Run("read back by ID and by document equals what was written", func(t *testing.T) {
			byID, err := s.AccountByID(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			byDoc, err := s.AccountByDocument(ctx, account.DocResidentID, "11010519491231002X")
			if err != nil {
				t.Fatal(err)
			}
			if byID != a || byDoc != a {
				t.Fatalf("got\n%+v\n%+v\nwant %+v", byID, byDoc, a)
			}
		})
		t.Run("same document twice is ErrDuplicate", func(t *testing.T) {
			_, err := s.CreateAccount(ctx, newAccount("11010519491231002X", "李四"))
			if !errors.Is(err, store.ErrDuplicate) {
				t.Fatalf("err = %v, want ErrDuplicate", err)
			}
		})
		t.Run("same number under another document type is a different account", func(t *testing.T) {
			b := newAccount("11010519491231002X", "张三")
			b.DocType = account.DocPassport
			if _, err := s.CreateAccount(ctx, b); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("unknown account is ErrNotFound and account.ErrNotFound", func(t *testing.T) {
			for _, err := range []error{
				func() error { _, err := s.AccountByID(ctx, 999999); return err }(),
				func() error {
					_, err := s.AccountByDocument(ctx, account.DocResidentID, "110105194912310021")
					return err
				}(),
				s.SetPassword(ctx, 999999, "x", t0),
				s.UpdateAccount(ctx, account.Account{ID: 999999, DocType: account.DocResidentID, DocNumber: "x"}),
			} {
				if !errors.Is(err, store.ErrNotFound) || !errors.Is(err, account.ErrNotFound) || !errors.Is(err, registration.ErrNotFound) {
					t.Errorf("err = %v, want ErrNotFound", err)
				}
			}
		})
		t.Run("SetPassword changes hash and time only", func(t *testing.T) {
			at := t0.Add(time.Hour)
			if err := s.SetPassword(ctx, a.ID, "$argon2id$new", at); err != nil {
				t.Fatal(err)
			}
			got, _ := s.AccountByID(ctx, a.ID)
			want := a
			want.PasswordHash, want.PasswordChangedAt = "$argon2id$new", at
			if got != want {
				t.Fatalf("got %+v, want %+v", got, want)
			}
			a = got
		})
		t.Run("UpdateAccount writes identity and contact, keeps the password", func(t *testing.T) {
			b := a
			b.Name, b.Phone, b.Email, b.WeChatLinked, b.RealNameVerified = "张叁", "13900139000", "b@example.com", false, false
			b.PasswordHash = "ignored"
			if err := s.UpdateAccount(ctx, b); err != nil {
				t.Fatal(err)
			}
			got, _ := s.AccountByID(ctx, a.ID)
			b.PasswordHash = a.PasswordHash
			if got != b {
				t.Fatalf("got %+v, want %+v", got, b)
			}
		})
	})
}

func TestResetTokens(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, err := s.CreateAccount(ctx, newAccount("11010519491231002X", "张三"))
		if err != nil {
			t.Fatal(err)
		}
		h := account.TokenHash(sha256.Sum256([]byte("token-1")))
		tok := account.ResetToken{Hash: h, AccountID: a.ID, IssuedAt: t0, ExpiresAt: t0.Add(24 * time.Hour)}
		if err := s.SaveResetToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		got, err := s.ResetTokenByHash(ctx, h)
		if err != nil || got != tok {
			t.Fatalf("ResetTokenByHash = %+v, %v; want %+v", got, err, tok)
		}
		if _, err := s.ResetTokenByHash(ctx, sha256.Sum256([]byte("other"))); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("unknown token: err = %v, want account.ErrNotFound", err)
		}

		// Of 20 concurrent uses exactly one succeeds; the rest get ErrTokenInvalid.
		var ok, invalid atomic.Int32
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				switch err := s.UseResetToken(ctx, h, t0.Add(time.Minute)); {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, account.ErrTokenInvalid):
					invalid.Add(1)
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if ok.Load() != 1 || invalid.Load() != 19 {
			t.Fatalf("uses: %d succeeded, %d invalid; want 1 and 19", ok.Load(), invalid.Load())
		}
		got, _ = s.ResetTokenByHash(ctx, h)
		if !got.UsedAt.Equal(t0.Add(time.Minute)) {
			t.Fatalf("UsedAt = %v", got.UsedAt)
		}

		// Voiding deletes unused tokens only.
		h2 := account.TokenHash(sha256.Sum256([]byte("token-2")))
		if err := s.SaveResetToken(ctx, account.ResetToken{Hash: h2, AccountID: a.ID, IssuedAt: t0, ExpiresAt: t0.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if err := s.VoidResetTokens(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ResetTokenByHash(ctx, h2); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("voided token: err = %v, want not found", err)
		}
		if _, err := s.ResetTokenByHash(ctx, h); err != nil {
			t.Fatalf("used token was voided too: %v", err)
		}
		if err := s.UseResetToken(ctx, h2, t0); !errors.Is(err, account.ErrTokenInvalid) {
			t.Fatalf("use of voided token: err = %v", err)
		}
	})
}

func TestOneTimeCodes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := account.OneTimeCode{Phone: "13800138000", Purpose: account.PurposeReset,
			Salt: [16]byte{1, 2, 3}, Hash: sha256.Sum256([]byte("123456")),
			IssuedAt: t0, ExpiresAt: t0.Add(5 * time.Minute)}
		if err := s.SaveCode(ctx, c); err != nil {
			t.Fatal(err)
		}
		if got, err := s.CodeFor(ctx, c.Phone, c.Purpose); err != nil || got != c {
			t.Fatalf("CodeFor = %+v, %v; want %+v", got, err, c)
		}
		if _, err := s.CodeFor(ctx, c.Phone, account.PurposeChangePhone); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("other purpose: err = %v", err)
		}
		// A new code replaces the old one for the same phone and purpose.
		c2 := c
		c2.Hash, c2.IssuedAt, c2.Attempts = sha256.Sum256([]byte("654321")), t0.Add(time.Minute), 0
		if err := s.SaveCode(ctx, c2); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.CodeFor(ctx, c.Phone, c.Purpose); got != c2 {
			t.Fatalf("after replace got %+v", got)
		}
		// Attempts are counted atomically.
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				if _, err := s.CountCodeAttempt(ctx, c.Phone, c.Purpose); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if n, err := s.CountCodeAttempt(ctx, c.Phone, c.Purpose); err != nil || n != 11 {
			t.Fatalf("CountCodeAttempt = %d, %v; want 11", n, err)
		}
		if _, err := s.CountCodeAttempt(ctx, "13900000000", c.Purpose); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("count for no code: %v", err)
		}
		// Consume needs the right hash, and works once.
		if err := s.ConsumeCode(ctx, c.Phone, c.Purpose, c.Hash); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("consume with the replaced code's hash: %v", err)
		}
		if err := s.ConsumeCode(ctx, c.Phone, c.Purpose, c2.Hash); err != nil {
			t.Fatal(err)
		}
		if err := s.ConsumeCode(ctx, c.Phone, c.Purpose, c2.Hash); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("second consume: %v", err)
		}
	})
}

func TestCaptchaStore(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		cs := s.Captchas()
		sec := account.CaptchaSecret{Kind: account.CaptchaSlider, Answer: 137, IssuedAt: t0, ExpiresAt: t0.Add(2 * time.Minute)}
		if err := cs.Put(ctx, "id-1", sec); err != nil {
			t.Fatal(err)
		}
		var got account.CaptchaSecret
		var wins, invalid atomic.Int32
		var mu sync.Mutex
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				g, err := cs.Take(ctx, "id-1")
				switch {
				case err == nil:
					wins.Add(1)
					mu.Lock()
					got = g
					mu.Unlock()
				case errors.Is(err, account.ErrCaptchaInvalid):
					invalid.Add(1)
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if wins.Load() != 1 || invalid.Load() != 9 || got != sec {
			t.Fatalf("takes: %d won (%+v), %d invalid", wins.Load(), got, invalid.Load())
		}
		// The store works with the account package's verification.
		if err := cs.Put(ctx, "AAAAAAAAAAAAAAAAAAAAAA", sec); err != nil {
			t.Fatal(err)
		}
		if err := account.VerifyCaptcha(ctx, cs, "AAAAAAAAAAAAAAAAAAAAAA", "139", 4, t0.Add(time.Second)); err != nil {
			t.Fatalf("VerifyCaptcha: %v", err)
		}
	})
}

func TestThrottle(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, ok, err := s.Throttle(ctx, "login:k", t0); ok || err != nil {
			t.Fatalf("empty throttle: ok=%v err=%v", ok, err)
		}
		// 30 concurrent failures are all counted.
		var wg sync.WaitGroup
		for range 30 {
			wg.Go(func() {
				err := s.UpdateThrottle(ctx, "login:k", t0, func(state string, ok bool) (string, time.Time, error) {
					return state + "x", t0.Add(time.Hour), nil
				})
				if err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		st, ok, err := s.Throttle(ctx, "login:k", t0)
		if err != nil || !ok || len(st) != 30 {
			t.Fatalf("state %q ok=%v err=%v; want 30 marks", st, ok, err)
		}
		if _, ok, _ := s.Throttle(ctx, "login:k", t0.Add(time.Hour)); ok {
			t.Fatal("state still live at its expiry")
		}
		// Expired state restarts from nothing; update's error is returned and changes nothing.
		boom := errors.New("boom")
		if err := s.UpdateThrottle(ctx, "login:k", t0.Add(2*time.Hour), func(state string, ok bool) (string, time.Time, error) {
			if ok || state != "" {
				t.Errorf("expired state passed to update: %q %v", state, ok)
			}
			return "", time.Time{}, boom
		}); !errors.Is(err, boom) {
			t.Fatalf("err = %v, want boom", err)
		}
		if err := s.ClearThrottle(ctx, "login:k"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSessions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, err := s.CreateAccount(ctx, newAccount("11010519491231002X", "张三"))
		if err != nil {
			t.Fatal(err)
		}
		se := store.Session{Key: "k1", Kind: "applicant", AccountID: a.ID, CreatedAt: t0, LastSeenAt: t0,
			ExpiresAt: t0.Add(12 * time.Hour), Data: []byte(`{"step":"2"}`)}
		for _, x := range []store.Session{se, {Key: "k2", Kind: "applicant", AccountID: a.ID, CreatedAt: t0, LastSeenAt: t0, ExpiresAt: t0.Add(time.Minute)},
			{Key: "k3", Kind: "anonymous", CreatedAt: t0, LastSeenAt: t0, ExpiresAt: t0.Add(time.Hour)}} {
			if err := s.SaveSession(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Session(ctx, "k1")
		if err != nil || got.Key != se.Key || got.AccountID != a.ID || string(got.Data) != string(se.Data) || !got.ExpiresAt.Equal(se.ExpiresAt) {
			t.Fatalf("Session = %+v, %v", got, err)
		}
		se.Data = []byte("v2")
		if err := s.SaveSession(ctx, se); err != nil {
			t.Fatal(err)
		}
		if err := s.TouchSession(ctx, "k1", t0.Add(5*time.Minute)); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Session(ctx, "k1")
		if string(got.Data) != "v2" || !got.LastSeenAt.Equal(t0.Add(5*time.Minute)) {
			t.Fatalf("after save and touch: %+v", got)
		}
		if err := s.TouchSession(ctx, "nope", t0); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("touch unknown: %v", err)
		}
		// Password change elsewhere: every other session of the account goes.
		if n, err := s.DeleteSessionsForAccount(ctx, a.ID, "k1"); err != nil || n != 1 {
			t.Fatalf("DeleteSessionsForAccount = %d, %v", n, err)
		}
		if _, err := s.Session(ctx, "k2"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("k2 survived: %v", err)
		}
		if n, err := s.PruneExpired(ctx, t0.Add(2*time.Hour)); err != nil || n != 1 {
			t.Fatalf("PruneExpired = %d, %v; want 1 (k3)", n, err)
		}
		if err := s.DeleteSession(ctx, "k1"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteSession(ctx, "k1"); err != nil {
			t.Fatalf("deleting twice: %v", err)
		}
		if _, err := s.Session(ctx, "k1"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("deleted session: %v", err)
		}
	})
}

func TestOutbox(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for i, m := range []store.OutboxMessage{
			{Channel: "sms", Recipient: "13800138000", Body: "验证码 123456", SentAt: t0},
			{Channel: "email", Recipient: "a@example.com", Subject: "密码重置", Body: "link", SentAt: t0.Add(time.Second)},
		} {
			if id, err := s.AddOutbox(ctx, m); err != nil || id == 0 {
				t.Fatalf("AddOutbox #%d = %d, %v", i, id, err)
			}
		}
		got, err := s.Outbox(ctx, 10)
		if err != nil || len(got) != 2 || got[0].Channel != "email" || got[1].Body != "验证码 123456" || !got[1].SentAt.Equal(t0) {
			t.Fatalf("Outbox = %+v, %v", got, err)
		}
	})
}
