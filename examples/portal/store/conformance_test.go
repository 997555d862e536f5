package store_test

import (
	"context"
	"testing"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/account/accounttest"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/store/storetest"
)

func TestAccountStoresConformance(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		accounttest.Conformance(t, s, func(a account.Account) account.Account {
			got, err := s.CreateAccount(context.Background(), a)
			if err != nil {
				t.Fatal(err)
			}
			return got
		})
	})
}

func TestCaptchaStoreConformance(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		accounttest.CaptchaConformance(t, s.Captchas())
	})
}
