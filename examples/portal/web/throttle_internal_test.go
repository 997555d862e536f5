package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/store/storetest"
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

// newThrottleServer is a server over a fresh SQLite store whose clock reads *now.
func newThrottleServer(t *testing.T, now *time.Time) *Server {
	t.Helper()
	st := storetest.OpenSQLite(t, store.WithClock(func() time.Time { return *now }))
	s, err := New(Config{Store: st, Now: func() time.Time { return *now }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestThrottleRecordsAreKeptLongOnlyFromTheWaitsOn: a key with fewer consecutive failures than
// the policy's MaxFailures (one failed login for any document number or staff user name someone
// types) expires a day after its last failure, so guesses cannot grow the table; from
// MaxFailures on the record is kept (two years). throttleFail never looks the account up, so
// known and unknown accounts are kept alike.
func TestThrottleRecordsAreKeptLongOnlyFromTheWaitsOn(t *testing.T) {
	p := account.DefaultThrottlePolicy
	cases := []struct {
		name     string
		failures int
		kept     bool
	}{
		{"one failure is forgotten after 30 days", 1, false},
		{"MaxFailures − 1 failures are forgotten after 30 days", p.MaxFailures - 1, false},
		{"MaxFailures failures are kept two years", p.MaxFailures, true},
		{"more failures are kept two years", p.MaxFailures + 3, true},
	}
	for _, tc := range cases {
		for _, kind := range []string{"document", "staff"} {
			t.Run(tc.name+" ("+kind+")", func(t *testing.T) {
				ctx := t.Context()
				now := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
				s := newThrottleServer(t, &now)
				key := s.loginAcctKey(account.DocResidentID, "110101199003071111")
				if kind == "staff" {
					key = s.throttleKey("review:user", "nobody")
				}
				for range tc.failures {
					if err := s.throttleFail(ctx, p, key); err != nil {
						t.Fatal(err)
					}
				}
				st, err := s.throttleState(ctx, key, now)
				if err != nil {
					t.Fatal(err)
				}
				// Failures a few days apart still count: every record outlives a week.
				if _, kept, err := s.cfg.Store.Throttle(ctx, key, now.Add(7*24*time.Hour)); err != nil || !kept {
					t.Errorf("%d failures: record gone a week later (%v)", tc.failures, err)
				}
				// 30 days after the last failure and after any wait it started.
				later := st.LastFailure
				if st.LockedUntil.After(later) {
					later = st.LockedUntil
				}
				later = later.Add(fewFailuresRetention + time.Second)
				_, kept, err := s.cfg.Store.Throttle(ctx, key, later)
				if err != nil {
					t.Fatal(err)
				}
				if kept != tc.kept {
					t.Errorf("%d failures: record kept 30 days later = %v, want %v", tc.failures, kept, tc.kept)
				}
				if tc.kept {
					if _, kept, _ := s.cfg.Store.Throttle(ctx, key, now.Add(consecutiveRetention-time.Hour)); !kept {
						t.Error("the record is not kept until shortly before two years are up")
					}
				}
			})
		}
	}
}

// TestClientKeysAreTheIPv6Slash64: a client rotating addresses within its IPv6 /64 keeps one
// throttle key; another /64, or another IPv4 address, is another key; an IPv4-mapped IPv6
// address is its IPv4 address.
func TestClientKeysAreTheIPv6Slash64(t *testing.T) {
	now := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	s := newThrottleServer(t, &now)
	key := func(remote string) string {
		r := httptest.NewRequest(http.MethodPost, "/login", nil)
		r.RemoteAddr = remote
		return s.clientKey("login", r)
	}
	cases := []struct {
		name string
		a, b string
		same bool
	}{
		{"two addresses in one /64", "[2001:db8:1:2::1]:5000", "[2001:db8:1:2:ffff:1234:5678:9abc]:6000", true},
		{"a zone does not change the key", "[fe80::1%eth0]:5000", "[fe80::2]:5000", true},
		{"another /64 of the same /48", "[2001:db8:1:2::1]:5000", "[2001:db8:1:3::1]:5000", false},
		{"two IPv4 addresses", "192.0.2.1:5000", "192.0.2.2:5000", false},
		{"one IPv4 address from two ports", "192.0.2.1:5000", "192.0.2.1:6000", true},
		{"an IPv4-mapped IPv6 address is its IPv4 address", "[::ffff:192.0.2.1]:5000", "192.0.2.1:6000", true},
		{"an IPv4-mapped address is not its neighbours' /64", "[::ffff:192.0.2.1]:5000", "192.0.2.2:6000", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if same := key(tc.a) == key(tc.b); same != tc.same {
				t.Errorf("keys of %s and %s equal = %v, want %v", tc.a, tc.b, same, tc.same)
			}
		})
	}
}
