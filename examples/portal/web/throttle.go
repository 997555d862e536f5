package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/store"
)

// throttleKey names a throttle counter without personal data: an HMAC (keyed with the secret
// key) of the kind and the value (document, phone, client address).
func (s *Server) throttleKey(kind, value string) string {
	m := hmac.New(sha256.New, s.cfg.SecretKey)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return kind + ":" + hex.EncodeToString(m.Sum(nil)[:16])
}

// loginAcctKey is the login throttle key of a document: the canonical number when it is valid, so
// spelling one number differently (spaces, a lower-case x) never buys fresh attempts. Unknown
// accounts get a key exactly like known ones, so a lock never tells whether an account exists.
func (s *Server) loginAcctKey(t account.DocType, number string) string {
	if c, err := account.ValidateDocumentAt(t, number, s.now()); err == nil {
		number = c
	}
	return s.throttleKey("login:acct", t.Code()+":"+strings.TrimSpace(number))
}

// clientThrottle is p without the hard cap, for client addresses: no password reset can clear an
// address, and many people may share one.
func clientThrottle(p account.ThrottlePolicy) account.ThrottlePolicy {
	p.HardCap = -1
	return p
}

// unlockAccount clears the login throttle of an account (its login and password-change keys)
// after its password was changed through 忘记密码 or 修改密码.
func (s *Server) unlockAccount(ctx context.Context, a account.Account) error {
	return s.throttleClear(ctx, s.loginAcctKey(a.DocType, a.DocNumber), s.throttleKey("password:acct", a.DocNumber))
}

// clientKey is the throttle key of the requesting client: its IPv4 address, or the /64 of its
// IPv6 address (one subscriber usually gets a whole /64, so rotating within it buys nothing).
func (s *Server) clientKey(kind string, r *http.Request) string {
	return s.throttleKey(kind+":client", clientAddr(r.RemoteAddr))
}

// clientAddr is the address a client is throttled by: an IPv4 address (also when written as an
// IPv4-mapped IPv6 one) as is, an IPv6 address as its /64 prefix ("2001:db8:1:2::/64"), anything
// unparsable as written.
func clientAddr(remote string) string {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	addr = addr.WithZone("").Unmap()
	if addr.Is4() {
		return addr.String()
	}
	return netip.PrefixFrom(addr, 64).Masked().String()
}

func (s *Server) throttleState(ctx context.Context, key string, now time.Time) (account.ThrottleState, error) {
	return throttleStateIn(ctx, s.cfg.Store, key, now)
}

// throttleStateIn reads the throttle state of key from st (a store or a transaction): the zero
// state when there is none, it expired, or it does not parse.
func throttleStateIn(ctx context.Context, st *store.Store, key string, now time.Time) (account.ThrottleState, error) {
	raw, ok, err := st.Throttle(ctx, key, now)
	if err != nil || !ok {
		return account.ThrottleState{}, err
	}
	var ts account.ThrottleState
	if json.Unmarshal([]byte(raw), &ts) != nil {
		return account.ThrottleState{}, nil
	}
	return ts, nil
}

// throttleAllow reports whether every key may make an attempt now; wait is the longest wait. A
// key at its hard cap (locked) gives ok false; see throttleLocked.
func (s *Server) throttleAllow(ctx context.Context, p account.ThrottlePolicy, keys ...string) (ok bool, wait time.Duration, err error) {
	ok, wait, _, err = s.throttleCheck(ctx, p, keys...)
	return ok, wait, err
}

// throttleCheck is throttleAllow that also says whether a key is locked (account.ErrLocked: no
// wait helps, only a password reset).
func (s *Server) throttleCheck(ctx context.Context, p account.ThrottlePolicy, keys ...string) (ok bool, wait time.Duration, locked bool, err error) {
	now := s.now()
	ok = true
	for _, k := range keys {
		st, err := s.throttleState(ctx, k, now)
		if err != nil {
			return false, 0, false, err
		}
		st = p.State(st, now)
		if p.Locked(st) {
			locked = true
		}
		if allowed, w := p.Allow(st, now); !allowed {
			ok = false
			wait = max(wait, w)
		}
	}
	return ok, wait, locked, nil
}

// consecutiveRetention keeps the throttle record of a key whose consecutive failures have
// reached the waits (Consecutive ≥ MaxFailures): from there on, quiet time must not forget them,
// only a success or a password change. It is the domain's retention (account.ThrottlePolicy's
// Retention, two years by default), so a patient attacker gets at most HardCap (20) guesses per
// account per two years.
const consecutiveRetention = account.DefaultThrottleRetention

// fewFailuresRetention keeps a key with consecutive failures below MaxFailures for 30 days after
// its last failure: long enough that failures spread over days (four a day, under the waits)
// still add up to the hard cap, short enough that a key failed on once or twice does not stay
// for years. Failures more than 30 days apart start over; the waits and the client throttle
// bound how fast anyone gets there. Known and unknown accounts are kept alike, so retention
// never tells whether one exists.
const fewFailuresRetention = 30 * 24 * time.Hour

// retainsConsecutive reports whether st has reached p's waits, so its record is kept for
// consecutiveRetention rather than fewFailuresRetention.
func retainsConsecutive(p account.ThrottlePolicy, st account.ThrottleState) bool {
	maxFailures := p.MaxFailures
	if maxFailures <= 0 {
		maxFailures = account.DefaultThrottlePolicy.MaxFailures
	}
	return st.Consecutive > 0 && st.Consecutive >= maxFailures
}

// throttleFail records a failed attempt for every key.
func (s *Server) throttleFail(ctx context.Context, p account.ThrottlePolicy, keys ...string) error {
	for _, k := range keys {
		if _, err := s.throttleFailKey(ctx, p, k); err != nil {
			return err
		}
	}
	return nil
}

// throttleFailKey records a failed attempt for key and reports whether the key is locked
// after it (the failure that reaches the hard cap).
func (s *Server) throttleFailKey(ctx context.Context, p account.ThrottlePolicy, key string) (locked bool, err error) {
	now := s.now()
	err = s.cfg.Store.UpdateThrottle(ctx, key, now, func(state string, ok bool) (string, time.Time, error) {
		var st account.ThrottleState
		if ok {
			_ = json.Unmarshal([]byte(state), &st)
		}
		st = p.Fail(st, now)
		locked = p.Locked(st)
		b, err := json.Marshal(st)
		if err != nil {
			return "", time.Time{}, err
		}
		exp := st.LastFailure.Add(24 * time.Hour)
		if st.LockedUntil.After(st.LastFailure) {
			exp = st.LockedUntil.Add(24 * time.Hour)
		}
		switch {
		case retainsConsecutive(p, st):
			exp = now.Add(consecutiveRetention)
		case st.Consecutive > 0 && now.Add(fewFailuresRetention).After(exp):
			exp = now.Add(fewFailuresRetention)
		}
		return string(b), exp, nil
	})
	return locked, err
}

// throttleClear forgets the failures of every key (after a successful login).
func (s *Server) throttleClear(ctx context.Context, keys ...string) error {
	for _, k := range keys {
		if err := s.cfg.Store.ClearThrottle(ctx, k); err != nil {
			return err
		}
	}
	return nil
}

// waitText says how long to wait, in zh-CN ("3 分钟", "2 小时").
func waitText(d time.Duration) string {
	switch {
	case d >= time.Hour:
		return itoa(int((d+time.Hour-1)/time.Hour)) + " 小时"
	case d >= time.Minute:
		return itoa(int((d+time.Minute-1)/time.Minute)) + " 分钟"
	default:
		return itoa(max(1, int((d+time.Second-1)/time.Second))) + " 秒"
	}
}

// sendThrottle bounds SMS and e-mail sends: 5 per key, then waits (per phone, account, client).
// No hard cap: sends never "succeed", so a cap would lock a phone for good.
var sendThrottle = account.ThrottlePolicy{MaxFailures: 5, Window: time.Hour, BaseDelay: 10 * time.Minute, MaxDelay: 24 * time.Hour, HardCap: -1}
