package account_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
)

var throttleT0 = time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)

// attack simulates an attacker who tries again as soon as Allow lets it, the
// clock advancing only by retryAfter, and returns how many attempts it made
// before until (or before the key locked for good) and how long the first n
// attempts took (0 if fewer).
func attack(th *account.Throttle, key string, until time.Time, n int) (attempts int, tookN time.Duration) {
	now := throttleT0
	for now.Before(until) {
		if ok, wait := th.Allow(key, now); !ok {
			if wait == 0 { // locked for good
				break
			}
			now = now.Add(wait)
			continue
		}
		attempts++
		if attempts == n {
			tookN = now.Sub(throttleT0)
		}
		th.Fail(key, now)
	}
	return attempts, tookN
}

func TestThrottleEagerAttackerIsCapped(t *testing.T) {
	th := account.NewThrottle(account.DefaultThrottlePolicy)
	in24h, _ := attack(th, "acct:1", throttleT0.Add(24*time.Hour), 0)
	if in24h != 15 {
		t.Errorf("attacker made %d attempts in 24 h, the doc comment says 15", in24h)
	}
	if in24h < account.DefaultThrottlePolicy.MaxFailures {
		t.Errorf("only %d attempts in 24 h; a user must get the free %d", in24h, account.DefaultThrottlePolicy.MaxFailures)
	}
	th = account.NewThrottle(account.DefaultThrottlePolicy)
	ever, took20 := attack(th, "acct:1", throttleT0.Add(365*24*time.Hour), account.DefaultHardCap)
	if ever != account.DefaultHardCap {
		t.Errorf("attacker made %d attempts in a year, want the hard cap %d", ever, account.DefaultHardCap)
	}
	if took20 < 5*24*time.Hour || took20 > 6*24*time.Hour {
		t.Errorf("the 20th attempt came after %v, the doc comment says about 5½ days", took20)
	}
}

// TestThrottlePatientAttackerIsCapped: an attacker who stops before any wait
// and comes back when its failures are forgotten gets MaxFailures-1 attempts a
// quiet Window, until the hard cap locks the key (the doc comment: 4 a day,
// locked out on the 5th day).
func TestThrottlePatientAttackerIsCapped(t *testing.T) {
	p := account.DefaultThrottlePolicy
	th := account.NewThrottle(p)
	now, attempts := throttleT0, 0
	for day := 1; day <= 100; day++ {
		for range p.MaxFailures - 1 {
			if ok, wait := th.Allow("acct:1", now); !ok {
				if wait != 0 || !th.Locked("acct:1") {
					t.Fatalf("a wait below MaxFailures at attempt %d", attempts+1)
				}
				if attempts != account.DefaultHardCap || day != 6 {
					t.Errorf("locked after %d attempts on day %d, want %d attempts in 5 days", attempts, day, account.DefaultHardCap)
				}
				return
			}
			th.Fail("acct:1", now)
			attempts++
			now = now.Add(time.Second)
		}
		// Coming back a second too early keeps the failures.
		if attempts < account.DefaultHardCap && !th.CaptchaRequired("acct:1", now.Add(p.Window-2*time.Second)) {
			t.Fatal("failures forgotten before a quiet Window")
		}
		now = now.Add(p.Window)
	}
	t.Fatalf("not locked after %d attempts in 100 days", attempts)
}

// TestThrottleHardCapHoweverSlow: whatever the pace of the failures — as fast
// as allowed, or so slow that every quiet Window forgets them — a key is
// Locked at its HardCap-th consecutive failure and stays locked, so 100
// consecutive failures are impossible.
func TestThrottleHardCapHoweverSlow(t *testing.T) {
	year := 365 * 24 * time.Hour
	for _, p := range []account.ThrottlePolicy{account.DefaultThrottlePolicy, {}, {HardCap: 7, MaxFailures: 3, Window: time.Hour}} {
		cap := p.HardCap
		if cap == 0 {
			cap = account.DefaultHardCap
		}
		window := p.Window
		if window == 0 {
			window = 24 * time.Hour
		}
		for _, pace := range []struct {
			name  string
			every time.Duration // between attempts, on top of any wait; 0: as soon as allowed
		}{
			{"as soon as allowed", 0},
			{"one a minute", time.Minute},
			{"one an hour", time.Hour},
			{"just inside the quiet window", window - time.Second},
			{"just after the quiet window", window + time.Second},
			{"one a month", 30 * 24 * time.Hour},
			{"one a year", year},
		} {
			t.Run(fmt.Sprintf("cap %d, %s", cap, pace.name), func(t *testing.T) {
				var s account.ThrottleState
				now, attempts := throttleT0, 0
				for range 1000 {
					if p.Locked(s) {
						break
					}
					if ok, wait := p.Allow(s, now); !ok {
						now = now.Add(wait)
						continue
					}
					s = p.Fail(s, now)
					attempts++
					now = now.Add(pace.every)
				}
				if attempts != cap || !p.Locked(s) {
					t.Fatalf("%d attempts, locked %v; want locked after exactly %d", attempts, p.Locked(s), cap)
				}
				for _, later := range []time.Duration{0, window, p.MaxDelay + window, 10 * year} {
					at := now.Add(later)
					if ok, wait := p.Allow(p.State(s, at), at); ok || wait != 0 {
						t.Errorf("%v after the lock Allow = %v, %v; want locked with no wait", later, ok, wait)
					}
					if err := p.Check(p.State(s, at), at); !errors.Is(err, account.ErrLocked) {
						t.Errorf("%v after the lock Check = %v, want ErrLocked", later, err)
					}
					if p.Fail(s, at) != s {
						t.Errorf("a failure recorded on a locked key changed it")
					}
				}
				if !strings.Contains(account.ErrLocked.Error(), "忘记密码") {
					t.Errorf("ErrLocked = %q, must send the person to 忘记密码", account.ErrLocked)
				}
				if got := p.Succeed(s); p.Locked(got) || got.Failures != 0 || got.Consecutive != 0 {
					t.Errorf("Succeed left %+v", got)
				}
				if got := p.Reset(s); p.Locked(got) || p.Check(got, now) != nil {
					t.Errorf("Reset left %+v", got)
				}
			})
		}
	}
}

// TestThrottleSuccessRestartsTheCount: a successful login between failures
// restarts the consecutive count, so a forgetful owner is never locked out.
func TestThrottleSuccessRestartsTheCount(t *testing.T) {
	p := account.DefaultThrottlePolicy
	var s account.ThrottleState
	now := throttleT0
	for i := range 100 {
		for range account.DefaultHardCap - 1 {
			if err := p.Check(s, now); err != nil {
				t.Fatalf("round %d: %v", i, err)
			}
			s = p.Fail(s, now)
			now = now.Add(p.Window + time.Second)
		}
		s = p.Succeed(s)
	}
}

func TestThrottleNoCapPolicy(t *testing.T) {
	p := account.ThrottlePolicy{HardCap: -1}
	var s account.ThrottleState
	now := throttleT0
	for range 100 {
		s = p.Fail(s, now)
		now = now.Add(p.Window + 25*time.Hour)
	}
	if p.Locked(s) || s.Consecutive != 0 || p.State(s, now) != (account.ThrottleState{}) {
		t.Errorf("a policy without a cap keeps %+v", s)
	}
}

func TestThrottleCheck(t *testing.T) {
	p := account.DefaultThrottlePolicy
	var s account.ThrottleState
	if err := p.Check(s, throttleT0); err != nil {
		t.Errorf("fresh key: %v", err)
	}
	for range p.MaxFailures {
		s = p.Fail(s, throttleT0)
	}
	err := p.Check(s, throttleT0)
	var we *account.WaitError
	if !errors.Is(err, account.ErrWait) || !errors.As(err, &we) || we.RetryAfter != time.Minute {
		t.Errorf("after %d failures Check = %v, want a 1 minute ErrWait", p.MaxFailures, err)
	}
	th := account.NewThrottle(p)
	for range 200 {
		th.Fail("acct:1", throttleT0)
	}
	if !th.Locked("acct:1") || th.Locked("acct:2") {
		t.Error("Throttle.Locked")
	}
	th.Reset("acct:1")
	if th.Locked("acct:1") {
		t.Error("Throttle.Reset did not unlock")
	}
}

// TestThrottleSlowFailuresStillLock: failures that each come within Window of
// the previous one add up, however slowly they come.
func TestThrottleSlowFailuresStillLock(t *testing.T) {
	p := account.DefaultThrottlePolicy
	var s account.ThrottleState
	now := throttleT0
	for i := range p.MaxFailures {
		if ok, _ := p.Allow(s, now); !ok {
			t.Fatalf("locked at failure %d", i+1)
		}
		s = p.Fail(s, now)
		now = now.Add(p.Window - time.Minute)
	}
	if s.Failures != p.MaxFailures || s.LockedUntil.IsZero() {
		t.Errorf("after %d slow failures: %+v, want locked", p.MaxFailures, s)
	}
}

func TestThrottleWaits(t *testing.T) {
	p := account.ThrottlePolicy{MaxFailures: 3, BaseDelay: time.Minute, MaxDelay: time.Hour, Window: 24 * time.Hour, HardCap: -1}
	want := []time.Duration{0, 0, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute,
		16 * time.Minute, 32 * time.Minute, time.Hour, time.Hour}
	var s account.ThrottleState
	now := throttleT0
	for i, w := range want {
		t.Run(fmt.Sprintf("failure %d waits %v", i+1, w), func(t *testing.T) {
			s = p.Fail(s, now)
			ok, got := p.Allow(s, now)
			if got != w || ok != (w == 0) {
				t.Errorf("Allow after failure %d = %v, %v; want wait %v", i+1, ok, got, w)
			}
			if s.Failures != i+1 || !s.FirstFailure.Equal(throttleT0) || !s.LastFailure.Equal(now) {
				t.Errorf("state %+v", s)
			}
			now = now.Add(got)
			if ok, _ := p.Allow(s, now); !ok {
				t.Errorf("still locked once the wait is over")
			}
		})
	}
	for range 1000 {
		s = p.Fail(s, now)
	}
	if _, got := p.Allow(s, now); got != time.Hour {
		t.Errorf("after 1010 failures wait = %v, want the cap %v", got, time.Hour)
	}
}

func TestThrottleForgetsAfterQuietWindow(t *testing.T) {
	p := account.DefaultThrottlePolicy
	tests := []struct {
		name     string
		failures int
		after    time.Duration // since the last failure
		forgot   bool
	}{
		{"one failure, just before the window", 1, p.Window - time.Second, false},
		{"one failure, a full window later", 1, p.Window, true},
		{"locked key, window after the failure but not after the wait", 7, p.Window, false},
		{"locked key, window after the wait", 7, 4*time.Minute + p.Window, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s account.ThrottleState
			for range tt.failures {
				s = p.Fail(s, throttleT0)
			}
			now := throttleT0.Add(tt.after)
			cur := p.State(s, now)
			if (cur == account.ThrottleState{Consecutive: tt.failures}) != tt.forgot {
				t.Errorf("State = %+v, forgotten want %v", cur, tt.forgot)
			}
			if p.CaptchaRequired(s, now) == tt.forgot {
				t.Errorf("CaptchaRequired = %v, want %v", !tt.forgot, !tt.forgot)
			}
			next := p.Fail(s, now)
			if tt.forgot && (next.Failures != 1 || !next.FirstFailure.Equal(now)) {
				t.Errorf("failure after forgetting: %+v, want a fresh count of 1", next)
			}
			if !tt.forgot && next.Failures != tt.failures+1 {
				t.Errorf("failure while remembered: %d failures, want %d", next.Failures, tt.failures+1)
			}
		})
	}
}

func TestThrottleCaptchaAfterFirstFailure(t *testing.T) {
	th := account.NewThrottle(account.ThrottlePolicy{})
	if th.CaptchaRequired("acct:1", throttleT0) {
		t.Error("captcha required again before any failure")
	}
	th.Fail("acct:1", throttleT0)
	if !th.CaptchaRequired("acct:1", throttleT0) {
		t.Error("no new captcha after a failure")
	}
	if th.CaptchaRequired("client:192.0.2.1", throttleT0) {
		t.Error("another key affected")
	}
	th.Succeed("acct:1")
	if th.CaptchaRequired("acct:1", throttleT0) || th.State("acct:1", throttleT0) != (account.ThrottleState{}) {
		t.Error("Succeed did not forget the failures")
	}
}

func TestThrottleKeysAreIndependentAndSucceedResets(t *testing.T) {
	th := account.NewThrottle(account.DefaultThrottlePolicy)
	for range 5 {
		th.Fail("acct:1", throttleT0)
	}
	if ok, wait := th.Allow("acct:1", throttleT0); ok || wait != time.Minute {
		t.Errorf("acct:1 after 5 failures: %v, %v; want a 1 minute wait", ok, wait)
	}
	if ok, _ := th.Allow("client:192.0.2.1", throttleT0); !ok {
		t.Error("client key locked by the account's failures")
	}
	if ok, _ := th.Allow("acct:2", throttleT0); !ok {
		t.Error("another account locked")
	}
	th.Succeed("acct:1")
	if ok, _ := th.Allow("acct:1", throttleT0); !ok {
		t.Error("locked after Succeed")
	}
	var p account.ThrottlePolicy
	if s := p.Succeed(account.ThrottleState{Failures: 9, LockedUntil: throttleT0.Add(time.Hour)}); s != (account.ThrottleState{}) {
		t.Errorf("ThrottlePolicy.Succeed = %+v", s)
	}
}

// TestThrottleMatchesPolicy: the in-memory Throttle gives the same answers as
// the pure functions over a state the caller stores.
func TestThrottleMatchesPolicy(t *testing.T) {
	p := account.ThrottlePolicy{MaxFailures: 2, Window: time.Hour, BaseDelay: time.Second, MaxDelay: time.Minute}
	th := account.NewThrottle(p)
	var stored account.ThrottleState
	now := throttleT0
	for i := range 40 {
		if i%7 == 6 {
			now = now.Add(2 * time.Hour) // let failures lapse now and then
		}
		ok1, w1 := th.Allow("k", now)
		ok2, w2 := p.Allow(stored, now)
		if ok1 != ok2 || w1 != w2 {
			t.Fatalf("step %d: Throttle %v,%v; policy %v,%v", i, ok1, w1, ok2, w2)
		}
		got := th.Fail("k", now)
		stored = p.Fail(stored, now)
		if _, want := p.Allow(stored, now); got != want {
			t.Fatalf("step %d: Fail returned %v, policy wait %v", i, got, want)
		}
		now = now.Add(w1 + time.Second)
	}
}

func TestThrottleConcurrentFailuresAllCount(t *testing.T) {
	th := account.NewThrottle(account.ThrottlePolicy{MaxFailures: 1000, HardCap: 1000})
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			for range 10 {
				th.Fail("client:192.0.2.1", throttleT0)
				th.Allow("client:192.0.2.1", throttleT0)
			}
		})
	}
	wg.Wait()
	if got := th.State("client:192.0.2.1", throttleT0).Failures; got != 500 {
		t.Errorf("Failures = %d, want 500", got)
	}
}

func TestThrottlePrune(t *testing.T) {
	p := account.ThrottlePolicy{Window: 24 * time.Hour, HardCap: -1}
	th := account.NewThrottle(p)
	th.Fail("old", throttleT0)
	th.Fail("recent", throttleT0.Add(p.Window))
	if n := th.Prune(throttleT0.Add(p.Window + time.Minute)); n != 1 {
		t.Errorf("Prune kept %d records, want 1", n)
	}
	if !th.CaptchaRequired("recent", throttleT0.Add(p.Window+time.Minute)) {
		t.Error("Prune dropped a live record")
	}
	capped := account.NewThrottle(account.DefaultThrottlePolicy)
	capped.Fail("forgotten", throttleT0)
	for range account.DefaultHardCap {
		capped.Fail("locked long ago", throttleT0)
	}
	if !capped.Locked("locked long ago") {
		t.Fatal("the key did not reach the hard cap")
	}
	younger := throttleT0.Add(account.DefaultThrottleRetention - 365*24*time.Hour)
	capped.Fail("counted", younger)
	for range account.DefaultHardCap {
		capped.Fail("locked", younger)
	}
	// The locked key's last wait ran a day past its last failure: two days later it is old enough.
	if n := capped.Prune(throttleT0.Add(account.DefaultThrottleRetention + 48*time.Hour)); n != 2 {
		t.Errorf("Prune kept %d records, want the 2 younger than the retention", n)
	}
	if capped.Locked("locked long ago") {
		t.Error("a record older than the retention is still locked")
	}
	if !capped.Locked("locked") || capped.State("counted", younger).Consecutive != 1 {
		t.Error("Prune dropped a record younger than the retention that counts consecutive failures")
	}
	custom := account.NewThrottle(account.ThrottlePolicy{Retention: 30 * 24 * time.Hour})
	custom.Fail("counted", throttleT0)
	if n := custom.Prune(throttleT0.Add(29 * 24 * time.Hour)); n != 1 {
		t.Errorf("Prune kept %d records within a 30-day retention, want 1", n)
	}
	if n := custom.Prune(throttleT0.Add(30 * 24 * time.Hour)); n != 0 {
		t.Errorf("Prune kept %d records after a 30-day retention, want 0", n)
	}
}

func BenchmarkThrottleFail(b *testing.B) {
	th := account.NewThrottle(account.DefaultThrottlePolicy)
	now := throttleT0
	b.ReportAllocs()
	for b.Loop() {
		th.Allow("acct:1", now)
		th.Fail("acct:1", now)
		th.Succeed("acct:1")
	}
}
