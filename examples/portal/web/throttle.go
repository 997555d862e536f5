package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net"
	"net/http"
	"time"

	"github.com/tqreg/tqreg/account"
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

// clientKey is the throttle key of the requesting client (its IP address).
func (s *Server) clientKey(kind string, r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return s.throttleKey(kind+":client", host)
}

func (s *Server) throttleState(ctx context.Context, key string, now time.Time) (account.ThrottleState, error) {
	raw, ok, err := s.cfg.Store.Throttle(ctx, key, now)
	if err != nil || !ok {
		return account.ThrottleState{}, err
	}
	var st account.ThrottleState
	if json.Unmarshal([]byte(raw), &st) != nil {
		return account.ThrottleState{}, nil
	}
	return st, nil
}

// throttleAllow reports whether every key may make an attempt now; wait is the longest wait.
func (s *Server) throttleAllow(ctx context.Context, p account.ThrottlePolicy, keys ...string) (ok bool, wait time.Duration, err error) {
	now := s.now()
	ok = true
	for _, k := range keys {
		st, err := s.throttleState(ctx, k, now)
		if err != nil {
			return false, 0, err
		}
		if allowed, w := p.Allow(p.State(st, now), now); !allowed {
			ok = false
			wait = max(wait, w)
		}
	}
	return ok, wait, nil
}

// throttleFail records a failed attempt for every key.
func (s *Server) throttleFail(ctx context.Context, p account.ThrottlePolicy, keys ...string) error {
	now := s.now()
	for _, k := range keys {
		err := s.cfg.Store.UpdateThrottle(ctx, k, now, func(state string, ok bool) (string, time.Time, error) {
			var st account.ThrottleState
			if ok {
				_ = json.Unmarshal([]byte(state), &st)
			}
			st = p.Fail(st, now)
			b, err := json.Marshal(st)
			if err != nil {
				return "", time.Time{}, err
			}
			exp := st.LastFailure.Add(24 * time.Hour)
			if st.LockedUntil.After(st.LastFailure) {
				exp = st.LockedUntil.Add(24 * time.Hour)
			}
			return string(b), exp, nil
		})
		if err != nil {
			return err
		}
	}
	return nil
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
var sendThrottle = account.ThrottlePolicy{MaxFailures: 5, Window: time.Hour, BaseDelay: 10 * time.Minute, MaxDelay: 24 * time.Hour}
