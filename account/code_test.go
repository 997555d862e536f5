package account_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/account/accounttest"
)

const testPhone = "13800138000"

func newCodes() (*account.Codes, *accounttest.Memory, *accounttest.Outbox, *accounttest.Clock) {
	mem, out, clock := &accounttest.Memory{}, &accounttest.Outbox{}, accounttest.NewClock(acctT0)
	return &account.Codes{Store: mem, SMS: out, Now: clock.Now}, mem, out, clock
}

// otherCode returns a six-digit code different from code.
func otherCode(code string) string {
	n, _ := strconv.Atoi(code)
	return fmt.Sprintf("%06d", (n+1)%1000000)
}

func TestCodeCheck(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		before func(c *account.Codes, clock *accounttest.Clock, code string) // tries made before the right code
		phone  string
		kind   account.CodePurpose
		want   error
	}{
		{"right code passes", nil, testPhone, account.PurposeReset, nil},
		{"phone written with +86 and spaces passes", nil, "+86 138 0013 8000", account.PurposeReset, nil},
		{"just before 10 minutes passes", func(_ *account.Codes, clock *accounttest.Clock, _ string) {
			clock.Advance(10*time.Minute - time.Second)
		}, testPhone, account.PurposeReset, nil},
		{"at 10 minutes it has expired", func(_ *account.Codes, clock *accounttest.Clock, _ string) {
			clock.Advance(10 * time.Minute)
		}, testPhone, account.PurposeReset, account.ErrCodeExpired},
		{"a used code is refused", func(c *account.Codes, _ *accounttest.Clock, code string) {
			_ = c.Check(ctx, testPhone, account.PurposeReset, code)
		}, testPhone, account.PurposeReset, account.ErrCodeInvalid},
		{"4 wrong tries leave the right code valid", func(c *account.Codes, _ *accounttest.Clock, code string) {
			for range 4 {
				_ = c.Check(ctx, testPhone, account.PurposeReset, otherCode(code))
			}
		}, testPhone, account.PurposeReset, nil},
		{"after 5 wrong tries even the right code fails", func(c *account.Codes, _ *accounttest.Clock, code string) {
			for range 5 {
				_ = c.Check(ctx, testPhone, account.PurposeReset, otherCode(code))
			}
		}, testPhone, account.PurposeReset, account.ErrTooManyAttempts},
		{"a code for another purpose is refused", nil, testPhone, account.PurposeChangePhone, account.ErrCodeInvalid},
		{"a code for another phone is refused", nil, "13900139000", account.PurposeReset, account.ErrCodeInvalid},
		{"a new code replaces the old one", func(c *account.Codes, clock *accounttest.Clock, _ string) {
			clock.Advance(time.Minute)
			_ = c.Send(ctx, testPhone, account.PurposeReset)
		}, testPhone, account.PurposeReset, account.ErrCodeInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, _, out, clock := newCodes()
			if err := c.Send(ctx, testPhone, account.PurposeReset); err != nil {
				t.Fatal(err)
			}
			sms, _ := out.LastSMS()
			if tc.before != nil {
				tc.before(c, clock, sms.Code)
			}
			err := c.Check(ctx, tc.phone, tc.kind, sms.Code)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("Check = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestCodeWrongTriesReportTheLimit(t *testing.T) {
	ctx := context.Background()
	c, _, out, _ := newCodes()
	if err := c.Send(ctx, testPhone, account.PurposeReset); err != nil {
		t.Fatal(err)
	}
	sms, _ := out.LastSMS()
	for i := 1; i <= 6; i++ {
		err := c.Check(ctx, testPhone, account.PurposeReset, otherCode(sms.Code))
		want := account.ErrCodeInvalid
		if i >= 5 {
			want = account.ErrTooManyAttempts
		}
		if !errors.Is(err, want) {
			t.Fatalf("wrong try %d = %v, want %v", i, err, want)
		}
	}
}

func TestCodeSendRules(t *testing.T) {
	ctx := context.Background()
	t.Run("a second send within a minute is refused", func(t *testing.T) {
		c, _, _, clock := newCodes()
		if err := c.Send(ctx, testPhone, account.PurposeReset); err != nil {
			t.Fatal(err)
		}
		clock.Advance(59 * time.Second)
		if err := c.Send(ctx, testPhone, account.PurposeReset); !errors.Is(err, account.ErrCodeTooSoon) {
			t.Fatalf("Send = %v, want ErrCodeTooSoon", err)
		}
		if err := c.Send(ctx, testPhone, account.PurposeOtherQuery); err != nil {
			t.Fatalf("another purpose is not limited by the first: %v", err)
		}
		clock.Advance(time.Second)
		if err := c.Send(ctx, testPhone, account.PurposeReset); err != nil {
			t.Fatalf("Send after a minute = %v", err)
		}
	})
	t.Run("a TTL beyond 10 minutes is capped", func(t *testing.T) {
		c, _, out, _ := newCodes()
		c.TTL = time.Hour
		if err := c.Send(ctx, testPhone, account.PurposeReset); err != nil {
			t.Fatal(err)
		}
		if sms, _ := out.LastSMS(); !sms.ExpiresAt.Equal(acctT0.Add(10 * time.Minute)) {
			t.Fatalf("expires %v, want 10 minutes after %v", sms.ExpiresAt, acctT0)
		}
	})
	t.Run("codes are 6 digits, stored only as a salted hash", func(t *testing.T) {
		c, mem, out, clock := newCodes()
		seen := map[string]bool{}
		for i := range 20 {
			p := fmt.Sprintf("1390013%04d", i)
			if err := c.Send(ctx, p, account.PurposeReset); err != nil {
				t.Fatal(err)
			}
			sms, _ := out.LastSMS()
			if _, err := account.ParseCode(sms.Code); err != nil || len(sms.Code) != 6 {
				t.Fatalf("code %q is not 6 digits", sms.Code)
			}
			seen[sms.Code] = true
			oc, err := mem.CodeFor(ctx, p, account.PurposeReset)
			if err != nil {
				t.Fatal(err)
			}
			if oc.Hash == sha256.Sum256([]byte(sms.Code)) || oc.Salt == [16]byte{} {
				t.Fatalf("code stored as an unsalted hash")
			}
			clock.Advance(time.Second)
		}
		if len(seen) < 15 {
			t.Fatalf("20 codes gave only %d distinct values", len(seen))
		}
	})
	t.Run("bad testPhone and purpose are refused", func(t *testing.T) {
		c, _, _, _ := newCodes()
		if err := c.Send(ctx, "12345", account.PurposeReset); !errors.Is(err, account.ErrInvalidPhone) {
			t.Fatalf("Send(12345) = %v", err)
		}
		if err := c.Send(ctx, testPhone, account.CodePurpose(9)); !errors.Is(err, account.ErrCodePurpose) {
			t.Fatalf("Send(purpose 9) = %v", err)
		}
	})
}

func TestCodeConcurrentChecksSucceedOnce(t *testing.T) {
	ctx := context.Background()
	c, _, out, _ := newCodes()
	if err := c.Send(ctx, testPhone, account.PurposeReset); err != nil {
		t.Fatal(err)
	}
	sms, _ := out.LastSMS()
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for range 10 {
		wg.Go(func() {
			if c.Check(ctx, testPhone, account.PurposeReset, sms.Code) == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if ok != 1 {
		t.Fatalf("%d concurrent checks of one code succeeded, want 1", ok)
	}
}

func TestParseCode(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"012345", "012345"},
		{" 012 345 ", "012345"},
		{"０１２３４５", "012345"},
		{"12345", ""},
		{"1234567", ""},
		{"12345a", ""},
		{"", ""},
	}
	for _, tc := range tests {
		got, err := account.ParseCode(tc.in)
		if tc.want == "" {
			if !errors.Is(err, account.ErrCodeInvalid) {
				t.Errorf("ParseCode(%q) = %q, %v; want ErrCodeInvalid", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseCode(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestParsePhone(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"13800138000", "13800138000"},
		{"138-0013-8000", "13800138000"},
		{"+86 138 0013 8000", "13800138000"},
		{"8613800138000", "13800138000"},
		{"12800138000", ""},
		{"1380013800", ""},
		{"+1 13800138000", ""},
		{"138001380001", ""},
		{"１３８００１３８０００", ""},
		{"", ""},
	}
	for _, tc := range tests {
		got, err := account.ParsePhone(tc.in)
		if tc.want == "" {
			if !errors.Is(err, account.ErrInvalidPhone) {
				t.Errorf("ParsePhone(%q) = %q, %v; want ErrInvalidPhone", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParsePhone(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestCodePurpose(t *testing.T) {
	for p := account.PurposeReset; p <= account.PurposeRegister; p++ {
		for _, s := range []string{p.String(), strconv.Itoa(int(p))} {
			if got, err := account.ParseCodePurpose(s); err != nil || got != p {
				t.Errorf("ParseCodePurpose(%q) = %v, %v; want %v", s, got, err, p)
			}
		}
	}
	if _, err := account.ParseCodePurpose("5"); !errors.Is(err, account.ErrCodePurpose) {
		t.Errorf("ParseCodePurpose(5) = %v", err)
	}
}

func ExampleParseCode() {
	fmt.Println(account.ParseCode(" ０１２ 345 "))
	_, err := account.ParseCode("12345")
	fmt.Println(err)
	// Output:
	// 012345 <nil>
	// 短信验证码错误或已失效
}

func ExampleParsePhone() {
	fmt.Println(account.ParsePhone("+86 138-0013-8000"))
	fmt.Println(account.MaskPhone("13800138000"), account.MaskEmail("zhangsan@example.com"))
	// Output:
	// 13800138000 <nil>
	// 138****8000 z***@example.com
}

func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"012345", " 012 345 ", "０１２３４５", "12345", "1234567", "", "١٢٣٤٥٦"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := account.ParseCode(s)
		if err != nil {
			if !errors.Is(err, account.ErrCodeInvalid) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if again, err := account.ParseCode(c); err != nil || again != c || len(c) != 6 {
			t.Fatalf("ParseCode(%q) = %q, which parses to %q, %v", s, c, again, err)
		}
	})
}

func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{"13800138000", "+86 138 0013 8000", "8613800138000", "+", "86", "+86", "1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := account.ParsePhone(s)
		if err != nil {
			if !errors.Is(err, account.ErrInvalidPhone) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if again, err := account.ParsePhone(p); err != nil || again != p || len(p) != 11 {
			t.Fatalf("ParsePhone(%q) = %q, which parses to %q, %v", s, p, again, err)
		}
		_ = account.MaskPhone(p)
	})
}

func BenchmarkCodeSendCheck(b *testing.B) {
	ctx := context.Background()
	c, _, out, clock := newCodes()
	b.ReportAllocs()
	for b.Loop() {
		clock.Advance(time.Hour)
		if err := c.Send(ctx, testPhone, account.PurposeReset); err != nil {
			b.Fatal(err)
		}
		sms, _ := out.LastSMS()
		if err := c.Check(ctx, testPhone, account.PurposeReset, sms.Code); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleParseCodePurpose() {
	p, err := account.ParseCodePurpose("1")
	fmt.Println(p, err)
	p, err = account.ParseCodePurpose("修改手机号码")
	fmt.Println(int(p), err)
	// Output:
	// 找回密码 <nil>
	// 2 <nil>
}

func ExampleCodes_Check() {
	ctx := context.Background()
	mem, outbox := &accounttest.Memory{}, &accounttest.Outbox{}
	codes := &account.Codes{Store: mem, SMS: outbox, Now: func() time.Time { return acctT0 }}

	_ = codes.Send(ctx, "13800138000", account.PurposeOtherQuery)
	sms, _ := outbox.LastSMS()                                                        // what the phone received
	fmt.Println(codes.Check(ctx, "13800138000", account.PurposeReset, sms.Code))      // other purpose
	fmt.Println(codes.Check(ctx, "13800138000", account.PurposeOtherQuery, sms.Code)) // right
	fmt.Println(codes.Check(ctx, "13800138000", account.PurposeOtherQuery, sms.Code)) // used
	// Output:
	// 短信验证码错误或已失效
	// <nil>
	// 短信验证码错误或已失效
}
