package web

import (
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
)

// TestThrottlesThatNoResetClearsHaveNoCap: send counters and client addresses are never cleared
// by a password change, so however many quiet-spaced attempts they see they only ever wait.
func TestThrottlesThatNoResetClearsHaveNoCap(t *testing.T) {
	for name, p := range map[string]account.ThrottlePolicy{
		"send":         sendThrottle,
		"login client": clientThrottle(account.DefaultThrottlePolicy),
	} {
		var s account.ThrottleState
		now := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
		for range 100 {
			s = p.Fail(s, now)
			now = now.Add(50 * time.Hour)
		}
		if p.Locked(s) || p.Check(p.State(s, now), now) != nil {
			t.Errorf("%s: locked after 100 quiet-spaced attempts: %+v", name, s)
		}
	}
	if !clientThrottle(account.DefaultThrottlePolicy).Locked(account.ThrottleState{}) && account.DefaultThrottlePolicy.Locked(account.ThrottleState{Consecutive: account.DefaultHardCap}) {
		return
	}
	t.Error("the account policy must keep its cap")
}
