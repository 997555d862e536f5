package store

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestReplicaFaultFallsBackOnlyForTheReplicasFailures(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"statement_timeout is the read's, not the replica's", &pgconn.PgError{Code: "57014"}, false},
		{"statement_timeout wrapped", fmt.Errorf("scan: %w", &pgconn.PgError{Code: "57014"}), false},
		{"recovery conflict (serialization failure)", &pgconn.PgError{Code: "40001"}, true},
		{"recovery conflict (deadlock)", &pgconn.PgError{Code: "40P01"}, true},
		{"recovery conflict (database dropped)", &pgconn.PgError{Code: "57P04"}, true},
		{"administrator shutdown", &pgconn.PgError{Code: "57P01"}, true},
		{"cannot connect now (starting up)", &pgconn.PgError{Code: "57P03"}, true},
		{"connection failure", &pgconn.PgError{Code: "08006"}, true},
		{"network error", &net.OpError{Op: "dial", Err: errors.New("connection refused")}, true},
		{"a connection closed under the read", net.ErrClosed, true},
		{"context deadline of the connection attempt", context.DeadlineExceeded, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := replicaFault(tc.err); got != tc.want {
				t.Errorf("replicaFault(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}
