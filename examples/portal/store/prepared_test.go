package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/store/storetest"
)

// The prepared paths (session, account and draft reads, the draft write) keep named
// server-side statements only when the DSN leaves the exec mode to the store: behind a pooler
// in transaction mode the DSN sets default_query_exec_mode=exec and no named statement may be
// left on the connection.
func TestPreparedPathsFollowTheDSNsExecMode(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		param     string
		wantNamed bool
	}{
		{"no mode in the DSN: statements are cached by name", "", true},
		{"exec mode in the DSN: no named statement", "&default_query_exec_mode=exec", false},
		{"simple protocol in the DSN: no named statement", "&default_query_exec_mode=simple_protocol", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn, drop := storetest.PostgresSchema(t)
			s, err := store.Open(ctx, dsn+tc.param, quiet, store.WithMaxOpenConns(1))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = s.Close(); drop() })

			a, err := s.CreateAccount(ctx, newAccount("11010519491231002X", "张三"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.AccountByID(ctx, a.ID); err != nil {
				t.Fatalf("AccountByID: %v", err)
			}
			if _, err := s.Session(ctx, "no-such-session"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("Session = %v, want ErrNotFound", err)
			}
			at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
			if err := s.SaveDraft(ctx, a.ID, `{"step":1}`, at); err != nil {
				t.Fatalf("SaveDraft: %v", err)
			}
			if state, _, err := s.Draft(ctx, a.ID); err != nil || state != `{"step":1}` {
				t.Fatalf("Draft = %q, %v", state, err)
			}
			n, err := s.NamedStatements(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got := n > 0; got != tc.wantNamed {
				t.Errorf("named statements on the connection = %d, want some: %v", n, tc.wantNamed)
			}
		})
	}
}
