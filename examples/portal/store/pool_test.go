package store_test

import (
	"testing"

	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/store/storetest"
)

func TestOpenSizesThePostgresPoolForTheMachine(t *testing.T) {
	st := storetest.OpenPostgres(t)
	if got, want := st.MaxOpenConns(), store.DefaultMaxOpenConns(); got != want {
		t.Errorf("pool of %d connections, want the default %d", got, want)
	}
	if got := storetest.OpenPostgres(t, store.WithMaxOpenConns(3)).MaxOpenConns(); got != 3 {
		t.Errorf("WithMaxOpenConns(3) gave %d connections", got)
	}
}
