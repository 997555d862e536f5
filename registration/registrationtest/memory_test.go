package registrationtest_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/registration"
	"github.com/tqreg/tqreg/registration/registrationtest"
)

func TestConcurrentSubmissionsForOneCertificateCreateOne(t *testing.T) {
	m := &registrationtest.Memory{}
	cert := certificate.MustParseNumber("20154400121000123")
	gen := registration.SequenceNumbers{Seq: m}
	var wg sync.WaitGroup
	errs := make([]error, 50)
	for i := range errs {
		wg.Go(func() {
			num, err := gen.NewNumber(context.Background(), testNow, "44")
			if err == nil {
				err = m.CreateApplication(context.Background(), &registration.Application{Number: num, AccountID: "a", Certificate: cert, Status: registration.StatusPending})
			}
			errs[i] = err
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, registration.ErrActiveApplication):
			t.Errorf("unexpected error %v", err)
		}
	}
	if ok != 1 || m.Len() != 1 {
		t.Errorf("%d succeeded, %d stored", ok, m.Len())
	}
}

func TestSequencesAreUniquePerYearAndProvince(t *testing.T) {
	m := &registrationtest.Memory{}
	seen := map[string]bool{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Go(func() {
			prov := fmt.Sprint(44 + i%2)
			n, err := m.NextSequence(context.Background(), 2026, prov)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			defer mu.Unlock()
			k := fmt.Sprint(prov, "/", n)
			if seen[k] {
				t.Errorf("sequence %s twice", k)
			}
			seen[k] = true
		})
	}
	wg.Wait()
	if len(seen) != 200 {
		t.Errorf("%d unique sequences", len(seen))
	}
}
