package account

import (
	"errors"
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
// time never buys a fresh set of attempts.
//
// On top of the waits, HardCap bounds the consecutive failures of a key
// (连续失败上限): they are counted from the last successful login or Reset,
// whatever time passes between them, and once HardCap is reached the key is
// locked (Locked, ErrLocked) until a successful login — impossible while
// locked — or Reset, which the portal calls when the password is changed
// through 忘记密码 or 修改密码, or until the record is dropped after Retention
// (two years) without a failure. So with the defaults no key ever sees more than
// 20 consecutive failed attempts: an attacker who retries as soon as allowed
// makes 15 attempts in the first 24 hours and is locked out after the 20th,
// about 5½ days in; one who stops before the waits and comes back when they
// are forgotten makes 4 attempts a day and is locked out on the 5th day.
//
// A key that no Reset can clear (a client address, a send counter) takes a
// negative HardCap: no cap, waits only.
//
// The methods are pure functions over ThrottleState, so the portal can keep
// the state in its database; Throttle keeps it in memory. Zero fields take the
// values of DefaultThrottlePolicy.
type ThrottlePolicy struct {
	MaxFailures int           // failures before waits start; 0 means 5
	Window      time.Duration // quiet time that forgets failures (not the consecutive count); 0 means 24 hours
	BaseDelay   time.Duration // first wait; 0 means 1 minute
	MaxDelay    time.Duration // longest single wait; 0 means 24 hours
	HardCap     int           // consecutive failures that lock the key until Reset; 0 means 20, negative means no cap
	// Retention is how long a record that counts consecutive failures is kept
	// after its last failure or wait (Throttle.Prune; a store keeping records
	// should expire them likewise), so keys made up by an attacker do not pile
	// up without bound; 0 means DefaultThrottleRetention.
	Retention time.Duration
}

// DefaultHardCap is the default ThrottlePolicy.HardCap.
const DefaultHardCap = 20

// DefaultThrottleRetention is the default ThrottlePolicy.Retention: two years,
// so a patient attacker gets at most HardCap guesses per key per two years.
const DefaultThrottleRetention = 2 * 365 * 24 * time.Hour

// DefaultThrottlePolicy: 5 failures, then waits of 1, 2, 4, … minutes up to
// 24 hours; failures are forgotten after 24 quiet hours; 20 consecutive
// failures lock the key until the password is reset.
var DefaultThrottlePolicy = ThrottlePolicy{
	MaxFailures: 5,
	Window:      24 * time.Hour,
	BaseDelay:   time.Minute,
	MaxDelay:    24 * time.Hour,
	HardCap:     DefaultHardCap,
	Retention:   DefaultThrottleRetention,
}

// ErrLocked is the answer for a key that reached ThrottlePolicy.HardCap: no
// attempt is allowed until the password is reset. The portal gives it for
// unknown accounts too, so it never tells whether an account exists.
var ErrLocked = errors.New("登录失败次数过多,账号已锁定。请通过“忘记密码”重置密码后再登录")

// ThrottleState is the stored login-failure record (登录失败记录) of one key. The
// zero value is a key with no failures. It is plain data: store it per key
// and pass it to the ThrottlePolicy methods.
type ThrottleState struct {
	Failures     int       // consecutive failures not yet forgotten
	FirstFailure time.Time // first of these failures
	LastFailure  time.Time // last of these failures
	LockedUntil  time.Time // no attempt before this time; zero if never locked
	// Consecutive counts the failures since the last successful login or
	// Reset, never forgotten by quiet time (0 under a policy without a cap).
	Consecutive int `json:",omitempty"`
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
	if p.HardCap != 0 {
		d.HardCap = p.HardCap
	}
	if p.Retention > 0 {
		d.Retention = p.Retention
	}
	return d
}

// locked reports whether s reached the cap of p (p with defaults).
func (p ThrottlePolicy) locked(s ThrottleState) bool {
	return p.HardCap > 0 && s.Consecutive >= p.HardCap
}

// current returns s with lapsed failures dropped as of now; the consecutive
// count stays (unless p has no cap) and a locked key keeps everything.
func (p ThrottlePolicy) current(s ThrottleState, now time.Time) ThrottleState {
	if p.HardCap < 0 {
		s.Consecutive = 0
	}
	if s.Failures == 0 || p.locked(s) {
		return s
	}
	if !now.Before(quietFrom(s).Add(p.Window)) {
		return ThrottleState{Consecutive: s.Consecutive}
	}
	return s
}

// quietFrom is when the key's last failure or wait ended.
func quietFrom(s ThrottleState) time.Time {
	if s.LockedUntil.After(s.LastFailure) {
		return s.LockedUntil
	}
	return s.LastFailure
}

// State returns s as of now: failures forgotten after a quiet Window are
// dropped (the consecutive count is kept). A zero result means the record
// can be deleted.
func (p ThrottlePolicy) State(s ThrottleState, now time.Time) ThrottleState {
	return p.withDefaults().current(s, now)
}

// Allow reports whether an attempt for the key with state s may be made at
// now; if not, retryAfter is how long to wait — 0 when the key is Locked and
// no wait helps.
func (p ThrottlePolicy) Allow(s ThrottleState, now time.Time) (ok bool, retryAfter time.Duration) {
	if p.withDefaults().locked(s) {
		return false, 0
	}
	if now.Before(s.LockedUntil) {
		return false, s.LockedUntil.Sub(now)
	}
	return true, 0
}

// Locked reports whether the key reached HardCap consecutive failures: it
// stays locked (ErrLocked) until Reset or Succeed, whatever time passes.
func (p ThrottlePolicy) Locked(s ThrottleState) bool { return p.withDefaults().locked(s) }

// Check is Allow as an error: nil when an attempt may be made at now,
// ErrLocked when the key is Locked, ErrWait (wrapped, with the wait in
// RetryAfter of a *WaitError) while a wait runs.
func (p ThrottlePolicy) Check(s ThrottleState, now time.Time) error {
	if p.Locked(s) {
		return ErrLocked
	}
	if ok, wait := p.Allow(s, now); !ok {
		return &WaitError{RetryAfter: wait}
	}
	return nil
}

// ErrWait: too many recent failures; wait before the next attempt.
var ErrWait = errors.New("登录失败次数过多,请稍后再试")

// WaitError is Check's answer while a wait runs; errors.Is(err, ErrWait).
type WaitError struct{ RetryAfter time.Duration }

func (e *WaitError) Error() string { return ErrWait.Error() }

// Unwrap returns ErrWait.
func (e *WaitError) Unwrap() error { return ErrWait }

// Fail returns the state after a failed attempt at now. From the
// MaxFailures-th remembered failure on, the key is locked for
// BaseDelay × 2^(failures − MaxFailures), at most MaxDelay; at the HardCap-th
// consecutive failure it is Locked. A failure recorded for a Locked key
// changes nothing (Allow refuses every attempt anyway).
func (p ThrottlePolicy) Fail(s ThrottleState, now time.Time) ThrottleState {
	p = p.withDefaults()
	s = p.current(s, now)
	if p.locked(s) {
		return s
	}
	if p.HardCap > 0 {
		s.Consecutive++
	}
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

// Reset returns the state after the password was changed (忘记密码 or
// 修改密码): no failures, not Locked.
func (p ThrottlePolicy) Reset(ThrottleState) ThrottleState { return ThrottleState{} }

// CaptchaRequired reports whether the next attempt must solve a new captcha
// (验证码): after any failure that is not yet forgotten.
func (p ThrottlePolicy) CaptchaRequired(s ThrottleState, now time.Time) bool {
	return p.State(s, now).Failures > 0
}

// Throttle is an in-memory, mutex-guarded login throttle (登录限制) over
// ThrottlePolicy, for tests and single-process use. Keys are chosen by the
// caller, e.g. "acct:<id>". Client-address keys ("client:<ip>") need a policy
// with HardCap: -1 (no cap) — under a cap one address, a school's NAT, would
// stay locked with no Reset to clear it — so keep them in a second Throttle
// with such a policy and check both. A multi-process portal keeps
// ThrottleState in its database instead.
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
// must now wait (0 while below MaxFailures, and once Locked).
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

// Reset unlocks key and forgets its failures after a password change.
func (t *Throttle) Reset(key string) { t.Succeed(key) }

// Locked reports whether key reached the policy's HardCap (ErrLocked).
func (t *Throttle) Locked(key string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.policy.locked(t.state[key])
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

// Prune deletes the records whose failures have all lapsed at now and that
// count no consecutive failures, and those counting consecutive failures
// (Locked ones too) whose last failure or wait ended the policy's Retention
// ago or more; it returns how many remain. Call it periodically to bound
// memory.
func (t *Throttle) Prune(now time.Time) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, s := range t.state {
		if t.policy.current(s, now) == (ThrottleState{}) || !now.Before(quietFrom(s).Add(t.policy.Retention)) {
			delete(t.state, k)
		}
	}
	return len(t.state)
}
