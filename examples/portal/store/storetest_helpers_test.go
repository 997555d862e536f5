package store_test

import (
	"log/slog"
	"net/url"

	"github.com/tqreg/tqreg/examples/portal/store"
)

// quiet discards the store's failure log in tests that provoke failures.
var quiet = store.WithLogger(slog.New(slog.DiscardHandler))

// parseHost returns the host:port of a postgres URL.
func parseHost(dsn string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", err
	}
	return u.Host, nil
}

// replaceHost returns dsn with its host:port replaced.
func replaceHost(dsn, host string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", err
	}
	u.Host = host
	return u.String(), nil
}
