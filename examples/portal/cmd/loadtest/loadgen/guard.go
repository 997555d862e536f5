// Package loadgen is the engine of the portal's load program (cmd/loadtest): an open-loop
// scheduler with an injected clock, latency statistics measured from the scheduled time, the
// report and summary, a closed-loop saturation runner for the floors, and the guard that keeps
// every request on this machine (127.0.0.1, ::1 or localhost).
package loadgen

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"
)

// ErrNotLocal is returned for a target outside this machine: the load program only ever talks
// to 127.0.0.1, ::1 or localhost.
var ErrNotLocal = errors.New("loadgen: only 127.0.0.1, ::1 or localhost may be load-tested")

// CheckLocal returns nil when rawURL is an http:// or https:// URL whose host is 127.0.0.1
// (any 127/8 address), ::1 or localhost, and an error wrapping ErrNotLocal otherwise.
func CheckLocal(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("%w: %q is not a URL", ErrNotLocal, rawURL)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w: scheme %q", ErrNotLocal, u.Scheme)
	}
	if u.User != nil {
		return fmt.Errorf("%w: URL with user info", ErrNotLocal)
	}
	if !LocalHost(u.Hostname()) {
		return fmt.Errorf("%w: host %q", ErrNotLocal, u.Hostname())
	}
	return nil
}

// LocalHost reports whether host (no port) is localhost or a loopback IP literal. No name is
// resolved: "localhost." or "foo.localhost" are refused.
func LocalHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// LocalDialer returns a DialContext for http.Transport that refuses any address that is not a
// loopback IP once resolved, so a redirect or a DNS answer cannot take the load elsewhere.
func LocalDialer() func(ctx context.Context, network, addr string) (net.Conn, error) {
	d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		if host == "localhost" {
			host = "127.0.0.1"
		}
		ip := net.ParseIP(host)
		if ip == nil || !ip.IsLoopback() {
			return nil, fmt.Errorf("%w: dial %q", ErrNotLocal, addr)
		}
		return d.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
	}
}

// LocalTransport is an http.Transport that can only reach loopback addresses, with enough idle
// connections per host for maxConns concurrent requests.
func LocalTransport(maxConns int) *http.Transport {
	return &http.Transport{
		DialContext:         LocalDialer(),
		MaxIdleConns:        maxConns,
		MaxIdleConnsPerHost: maxConns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
}
