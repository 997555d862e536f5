package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/store/storetest"
	"github.com/tqreg/tqreg/registration"
)

// cheapHasher keeps seeding fast under -race; the portal uses account.DefaultParams.
func cheapHasher(t testing.TB) *account.Hasher {
	h, err := account.NewHasher(account.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 0)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestDemoCredentialsAreValid(t *testing.T) {
	t.Parallel()
	for _, a := range store.Demo.Applicants {
		canon, err := account.ValidateDocument(a.DocType, a.DocNumber)
		if err != nil || canon != a.DocNumber {
			t.Errorf("%s: document %s: %q, %v", a.Name, a.DocNumber, canon, err)
		}
		if err := account.CheckPassword(a.Password, a.DocNumber); err != nil {
			t.Errorf("%s: password: %v", a.Name, err)
		}
		if _, err := account.ParsePhone(a.Phone); err != nil {
			t.Errorf("%s: phone: %v", a.Name, err)
		}
	}
	for _, s := range store.Demo.Staff {
		if err := account.CheckPassword(s.Password, ""); err != nil {
			t.Errorf("%s: password: %v", s.Username, err)
		}
	}
	if got := store.Demo.String(); len(got) < 100 {
		t.Errorf("Demo.String() = %q", got)
	}
}

func TestSeedDemo(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 9, 15, 10, 0, 0, 0, time.UTC)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		h := cheapHasher(t)
		seeded, err := s.SeedDemo(ctx, now, h)
		if err != nil || !seeded {
			t.Fatalf("SeedDemo = %v, %v", seeded, err)
		}
		if again, err := s.SeedDemo(ctx, now, h); err != nil || again {
			t.Fatalf("second SeedDemo = %v, %v; want false, nil", again, err)
		}
		c, err := s.Catalogue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("seeded catalogue: %v", err)
		}
		if len(c.Provinces) != 31 {
			t.Fatalf("%d provinces, want 31", len(c.Provinces))
		}
		authority := func(city string) string {
			for _, a := range c.Authorities {
				if a.City == city {
					return a.ID
				}
			}
			t.Fatalf("no authority in %s", city)
			return ""
		}
		for _, tc := range []struct {
			city string
			want error
		}{
			{"440100", nil}, {"450100", nil}, {"110100", nil},
			{"450300", registration.ErrNotOpenYet}, {"450200", registration.ErrClosed}, {"540100", registration.ErrNoPlan},
		} {
			_, err := c.WindowFor(authority(tc.city), registration.StagePrimary, now)
			if (tc.want == nil && err != nil) || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Errorf("window of %s at now: %v, want %v", tc.city, err, tc.want)
			}
		}
		if pts := c.PointsOf(authority("440100"), registration.Situation{Kind: certificate.JuniorMiddle, Stage: registration.StageJuniorMiddle, District: "440106"}); len(pts) != 1 {
			t.Errorf("Tianhe teacher sees %d points, want 1", len(pts))
		}

		var sawGuangxi, sawOld, sawPre2019 bool
		for _, da := range store.Demo.Applicants {
			a, err := s.AccountByDocument(ctx, da.DocType, da.DocNumber)
			if err != nil {
				t.Fatalf("%s: %v", da.Name, err)
			}
			if ok, err := h.Verify(da.Password, a.PasswordHash); err != nil || !ok {
				t.Errorf("%s: demo password does not verify: %v", da.Name, err)
			}
			if a.RegisteredAt.Before(time.Date(2019, 3, 1, 0, 0, 0, 0, registration.CST)) {
				sawPre2019 = true
			}
			certs, err := s.CertificatesOf(ctx, da.DocType, da.DocNumber, da.Name)
			if err != nil || len(certs) == 0 {
				t.Fatalf("%s: certificates %v, %v", da.Name, certs, err)
			}
			for _, c := range certs {
				sawGuangxi = sawGuangxi || c.Number.Province() == "45"
				sawOld = sawOld || c.Issued.Year() < 2008
			}
			ic, err := s.InfoCentreOf(ctx, store.Holder{DocNumber: da.DocNumber, Name: da.Name})
			if err != nil || len(ic.Mandarin) == 0 || len(ic.Education) == 0 {
				t.Errorf("%s: info centre %+v, %v", da.Name, ic, err)
			}
		}
		if !sawGuangxi || !sawOld || !sawPre2019 {
			t.Errorf("demo lacks: Guangxi certificate %v, pre-2008 certificate %v, pre-2019 account %v", sawGuangxi, sawOld, sawPre2019)
		}
		for _, ds := range store.Demo.Staff {
			st, err := s.StaffByUsername(ctx, ds.Username)
			if err != nil || st.Role != ds.Role || st.TOTPSecret != ds.TOTPSecret {
				t.Fatalf("staff %s: %+v, %v", ds.Username, st, err)
			}
			if ok, _ := h.Verify(ds.Password, st.PasswordHash); !ok {
				t.Errorf("staff %s: password does not verify", ds.Username)
			}
			if (ds.Role == store.RoleConfirmationPoint && st.PointID == "") || (ds.Role == store.RoleAuthority && st.AuthorityID == "") {
				t.Errorf("staff %s not bound: %+v", ds.Username, st)
			}
		}
		if schools, _ := s.SearchSchools(ctx, "师范", 0); len(schools) < 3 {
			t.Errorf("schools: %+v", schools)
		}
	})
}

func TestOpenWithDemoDataSeedsOnce(t *testing.T) {
	t.Parallel()
	path := t.TempDir() + "/demo.db"
	ctx := context.Background()
	for range 2 {
		s, err := store.Open(ctx, path, store.WithDemoData(cheapHasher(t)), quiet)
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.Catalogue(ctx)
		if err != nil || len(c.Provinces) != 31 {
			t.Fatalf("catalogue: %d provinces, %v", len(c.Provinces), err)
		}
		_ = s.Close()
	}
}
