package account_test

import (
	"fmt"
	"time"

	"github.com/tqreg/tqreg/account"
)

func ExampleThrottle() {
	th := account.NewThrottle(account.DefaultThrottlePolicy)
	now := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	for i := 1; i <= 6; i++ {
		ok, wait := th.Allow("acct:42", now)
		if !ok {
			fmt.Printf("attempt %d: wait %v\n", i, wait)
			now = now.Add(wait)
		}
		fmt.Printf("attempt %d fails: next wait %v, captcha %v\n", i, th.Fail("acct:42", now), th.CaptchaRequired("acct:42", now))
	}
	th.Succeed("acct:42")
	fmt.Println(th.Allow("acct:42", now))
	// Output:
	// attempt 1 fails: next wait 0s, captcha true
	// attempt 2 fails: next wait 0s, captcha true
	// attempt 3 fails: next wait 0s, captcha true
	// attempt 4 fails: next wait 0s, captcha true
	// attempt 5 fails: next wait 1m0s, captcha true
	// attempt 6: wait 1m0s
	// attempt 6 fails: next wait 2m0s, captcha true
	// true 0s
}

func ExampleThrottlePolicy() {
	// The portal stores ThrottleState per key in its database.
	p := account.DefaultThrottlePolicy
	var stored account.ThrottleState
	now := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	for range 5 {
		stored = p.Fail(stored, now)
	}
	fmt.Println(stored.Failures, stored.LockedUntil.Sub(now))
	fmt.Println(p.Allow(stored, now.Add(30*time.Second)))
	// A quiet day forgets the waits but not the consecutive failures.
	later := p.State(stored, now.Add(25*time.Hour))
	fmt.Println(later.Failures, later.Consecutive, p.Locked(later))
	// The 20th consecutive failure locks the key until the password is reset.
	for range 15 {
		stored = p.Fail(stored, stored.LockedUntil)
	}
	fmt.Println(p.Check(stored, now.Add(365*24*time.Hour)))
	fmt.Println(p.Check(p.Reset(stored), now))
	// Output:
	// 5 1m0s
	// false 30s
	// 0 5 false
	// 登录失败次数过多,账号已锁定。请通过“忘记密码”重置密码后再登录
	// <nil>
}
