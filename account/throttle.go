package account

import (
	"sync"
	"time"
)

// ThrottlePolicy is the 登录限制 rule for failed logins, keyed per account and
// per client by the caller. A key may fail MaxFailures times at no cost but a
// new captcha; from the MaxFailures-th failure on, each failure locks the key
// for BaseDelay, then twice as long for every further failure, up to MaxDelay.
// Failures are remembered until Window passes with no failure and no wait
// running (or until a successful login), so "MaxFailures failures within
// Window" starts the waits however slowly they come, and waiting out a short
// time never buys a fresh set of attempts. With the defaults an attacker who
// retries as soon as allowed gets 15 attempts in 24 hours and needs about 85
// days for 100 consecutive failures; one who stops before the waits and comes
// back when forgotten gets 4 attempts a day (25 days for 100).
//
// The methods are pure functions over ThrottleState, so the portal can keep
// the state in its database; Throttle keeps it in memory. Zero fields take the
// values of DefaultThrottlePolicy.
type ThrottlePolicy struct {
	MaxFailures int           // failures before waits start; 0 means 5
	Window      time.Duration // quiet time that forgets failures; 0 means 24 hours
	BaseDelay   time.Duration // first wait; 0 means 1 minute
	MaxDelay    time.Duration // longest single wait; 0 means 24 hours
}

// DefaultThrottlePolicy: 5 failures, then waits of 1, 2, 4, … minutes up to
// 24 hours; failures are forgotten after 24 quiet hours.
var DefaultThrottlePolicy = ThrottlePolicy{
	MaxFailures: 5,
	Window:      24 * time.Hour,
	BaseDelay:   time.Minute,
	MaxDelay:    24 * time.Hour,
}

// ThrottleState is the stored login-failure record (登录失败记录) of one key. The
// zero value is a key with no failures. It is plain data: store it per key
// and pass it to the ThrottlePolicy methods.
type ThrottleState struct {
	Failures     int       // consecutive failures not yet forgotten
	FirstFailure time.Time // first of these failures
	LastFailure  time.Time // last of these failures
	LockedUntil  time.Time // no attempt before this time; zero if never locked
}

func (p ThrottlePolicy) withDefaults() ThrottlePolicy {
	d := DefaultThrottlePolicy
	if p.MaxFailures > 0 {
		d.MaxFailures = p.MaxFailures
	}
	if p.Window > 0 {
		d.Window = p.Window
	}
	if p.BaseDelay > 0 {
		d.BaseDelay = p.BaseDelay
	}
	if p.MaxDelay > 0 {
		d.MaxDelay = p.MaxDelay
	}
	return d
}

// current returns s with lapsed failures dropped as of now.
func (p ThrottlePolicy) current(s ThrottleState, now time.Time) ThrottleState {
	if s.Failures == 0 {
		return s
	}
	quietFrom := s.LastFailure
	if s.LockedUntil.After(quietFrom) {
		quietFrom = s.LockedUntil
	}
	if !now.Before(quietFrom.Add(p.Window)) {
		return ThrottleState{}
	}
	return s
}

// State returns s as of now: failures forgotten after a quiet Window are
// dropped. A zero result means the record can be deleted.
func (p ThrottlePolicy) State(s ThrottleState, now time.Time) ThrottleState {
	return p.withDefaults().current(s, now)
}

// Allow reports whether an attempt for the key with state s may be made at
// now; if not, retryAfter is how long to wait.
func (p ThrottlePolicy) Allow(s ThrottleState, now time.Time) (ok bool, retryAfter time.Duration) {
	if now.Before(s.LockedUntil) {
		return false, s.LockedUntil.Sub(now)
	}
	return true, 0
}

// Fail returns the state after a failed attempt at now. From the
// MaxFailures-th remembered failure on, the key is locked for
// BaseDelay × 2^(failures − MaxFailures), at most MaxDelay.
func (p ThrottlePolicy) Fail(s ThrottleState, now time.Time) ThrottleState {
	p = p.withDefaults()
	s = p.current(s, now)
	s.Failures++
	if s.Failures == 1 {
		s.FirstFailure = now
	}
	s.LastFailure = now
	if extra := s.Failures - p.MaxFailures; extra >= 0 {
		wait := p.MaxDelay
		if extra < 40 && p.BaseDelay<<extra > 0 && p.BaseDelay<<extra < p.MaxDelay {
			wait = p.BaseDelay << extra
		}
		s.LockedUntil = now.Add(wait)
	}
	return s
}

// Succeed returns the state after a successful login: no failures.
func (p ThrottlePolicy) Succeed(ThrottleState) ThrottleState { return ThrottleState{} }

// CaptchaRequired reports whether the next attempt must solve a new captcha
// (验证码): after any failure that is not yet forgotten.
func (p ThrottlePolicy) CaptchaRequired(s ThrottleState, now time.Time) bool {
	return p.State(s, now).Failures > 0
}

// Throttle is an in-memory, mutex-guarded login throttle (登录限制) over
// ThrottlePolicy, for tests and single-process use. Keys are chosen by the
// caller, e.g. "acct:<id>" and "client:<ip>"; check both. A multi-process
// portal keeps ThrottleState in its database instead.
type Throttle struct {
	policy ThrottlePolicy
	mu     sync.Mutex
	state  map[string]ThrottleState
}

// NewThrottle returns an empty Throttle with the given policy.
func NewThrottle(p ThrottlePolicy) *Throttle {
	return &Throttle{policy: p.withDefaults(), state: make(map[string]ThrottleState)}
}

// Allow reports whether key may attempt a login at now; if not, retryAfter
// is how long to wait.
func (t *Throttle) Allow(key string, now time.Time) (ok bool, retryAfter time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.policy.Allow(t.state[key], now)
}

// Fail records a failed attempt of key at now and returns how long the key
// must now wait (0 while below MaxFailures).
func (t *Throttle) Fail(key string, now time.Time) (retryAfter time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.policy.Fail(t.state[key], now)
	t.state[key] = s
	_, retryAfter = t.policy.Allow(s, now)
	return retryAfter
}

// Succeed forgets the failures of key after a successful login (or a
// password reset).
func (t *Throttle) Succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.state, key)
}

// CaptchaRequired reports whether the next attempt of key must solve a new
// captcha (验证码).
func (t *Throttle) CaptchaRequired(key string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.policy.CaptchaRequired(t.state[key], now)
}

// State returns the current state of key (zero if none), e.g. to migrate it.
func (t *Throttle) State(key string, now time.Time) ThrottleState {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.policy.State(t.state[key], now)
}

// Prune deletes the records whose failures have all lapsed at now and returns
// how many remain; call it periodically to bound memory.
func (t *Throttle) Prune(now time.Time) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, s := range t.state {
		if t.policy.current(s, now).Failures == 0 {
			delete(t.state, k)
		}
	}
	return len(t.state)
}
