package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/store/storetest"
	"github.com/tqreg/tqreg/registration"
)

func TestSyntheticHoldersAndNumbersAreValidAndDistinct(t *testing.T) {
	t.Parallel()
	docs, nums := map[string]bool{}, map[string]bool{}
	for _, i := range []int{0, 1, 2, 9, 10, 139999, 140000, 999999, 1000000, 1000001, 5_000_000} {
		doc, name := store.SyntheticHolder(i)
		if _, err := account.ValidateDocument(account.DocResidentID, doc); err != nil {
			t.Errorf("holder %d: %s: %v", i, doc, err)
		}
		if name == "" || docs[doc] {
			t.Errorf("holder %d: name %q, document %s repeated %v", i, name, doc, docs[doc])
		}
		docs[doc] = true
		n := store.SyntheticCertificateNumber(i)
		if _, err := certificate.ParseNumber(n); err != nil {
			t.Errorf("certificate %d: %s: %v", i, n, err)
		}
		if nums[n] {
			t.Errorf("certificate %d: %s repeated", i, n)
		}
		nums[n] = true
	}
}

func TestGenerateSynthetic(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 9, 15, 10, 0, 0, 0, time.UTC)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.GenerateSynthetic(ctx, store.SyntheticOptions{Certificates: 10, Applications: 1}, now); !errors.Is(err, store.ErrNoCatalogue) {
			t.Fatalf("without a catalogue: %v", err)
		}
		if _, err := s.SeedDemo(ctx, now, cheapHasher(t)); err != nil {
			t.Fatal(err)
		}
		const certs, apps = 3000, 700
		if err := s.GenerateSynthetic(ctx, store.SyntheticOptions{Certificates: certs, Applications: apps, BatchSize: 1000}, now); err != nil {
			var se *store.Error
			errors.As(err, &se)
			t.Fatalf("GenerateSynthetic: %v (%s)", err, se.LogString())
		}
		for _, i := range []int{0, 1, apps, certs - 1} {
			doc, name := store.SyntheticHolder(i)
			got, err := s.CertificatesOf(ctx, account.DocResidentID, doc, name)
			if err != nil || len(got) != 1 || got[0].Number.String() != store.SyntheticCertificateNumber(i) {
				t.Fatalf("holder %d: %+v, %v", i, got, err)
			}
		}
		doc, _ := store.SyntheticHolder(5)
		a, err := s.AccountByDocument(ctx, account.DocResidentID, doc)
		must(t, err)
		list, err := s.ApplicationsOf(ctx, fmt.Sprint(a.ID))
		if err != nil || len(list) != 1 || len(list[0].Events) != 1 {
			t.Fatalf("applications of synthetic account: %+v, %v", list, err)
		}
		// New accounts, applications and numbers continue after the generated ones.
		b, err := s.CreateAccount(ctx, newAccount("11010519491231002X", "张三"))
		must(t, err)
		if b.ID <= a.ID {
			t.Fatalf("new account id %d not after synthetic %d", b.ID, a.ID)
		}
		n, err := registration.ParseApplicationNumber(list[0].Number)
		must(t, err)
		next, err := s.NextSequence(ctx, 2026, n.Province)
		must(t, err)
		if next <= n.Sequence {
			t.Fatalf("next sequence %d not after generated %d", next, n.Sequence)
		}
	})
}
