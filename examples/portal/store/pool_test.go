package store_test

import (
	"runtime"
	"testing"

	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/store/storetest"
)

func TestOpenSizesThePostgresPoolForTheMachine(t *testing.T) {
	st := storetest.OpenPostgres(t)
	if got, want := st.MaxOpenConns(), store.DefaultMaxOpenConns(); got != want {
		t.Errorf("pool of %d connections, want the default %d", got, want)
	}
	if want := min(64, max(4, 4*runtime.GOMAXPROCS(0))); store.DefaultMaxOpenConns() != want {
		t.Errorf("DefaultMaxOpenConns() = %d with GOMAXPROCS %d, want %d", store.DefaultMaxOpenConns(), runtime.GOMAXPROCS(0), want)
	}
	if got := storetest.OpenPostgres(t, store.WithMaxOpenConns(3)).MaxOpenConns(); got != 3 {
		t.Errorf("WithMaxOpenConns(3) gave %d connections", got)
	}
}
