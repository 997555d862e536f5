package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/store/storetest"
)

func testHasher(t *testing.T) *account.Hasher {
	t.Helper()
	h, err := account.NewHasher(account.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 0)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

var now = time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)

// TestPrepareDataNeverServesPublishedStaffLoginsWithoutDemo: without -demo a database holding
// the demo staff with their published passwords is refused; with -demo it is served.
func TestPrepareDataNeverServesPublishedStaffLoginsWithoutDemo(t *testing.T) {
	ctx := context.Background()
	st := storetest.OpenSQLite(t)
	h := testHasher(t)
	var out bytes.Buffer
	if seeded, err := prepareData(ctx, st, h, true, "chief", now, &out); err != nil || !seeded {
		t.Fatalf("demo on an empty database: seeded %v, %v", seeded, err)
	}
	if _, err := st.StaffByUsername(ctx, "chief"); !errors.Is(err, store.ErrNotFound) || !strings.Contains(out.String(), "-bootstrap-admin ignored") {
		t.Errorf("-bootstrap-admin with -demo: account %v, said %q", err, out.String())
	}
	if _, err := prepareData(ctx, st, h, false, "", now, &out); !errors.Is(err, errDemoData) {
		t.Fatalf("no -demo on the demo dataset: %v, want errDemoData", err)
	}
	if _, err := prepareData(ctx, st, h, true, "", now, &out); err != nil {
		t.Fatalf("-demo on the demo dataset again: %v", err)
	}
	// Every published credential must go before the database may be served without -demo:
	// the staff passwords, the staff TOTP secrets, the applicants' passwords.
	hash, _ := h.Hash("A-new-and-private-pass-2026")
	for _, d := range store.Demo.Staff {
		s, err := st.StaffByUsername(ctx, d.Username)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SetStaffPassword(ctx, s.ID, hash); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := prepareData(ctx, st, h, false, "", now, &out); !errors.Is(err, errDemoData) {
		t.Fatalf("staff passwords changed, published TOTP secrets kept: %v, want errDemoData", err)
	}
	for _, d := range store.Demo.Staff {
		s, _ := st.StaffByUsername(ctx, d.Username)
		if err := st.EnrollStaffTOTP(ctx, s.ID, "NEWSECRETNEWSECRETNEWSECRETNEWSE", now); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := prepareData(ctx, st, h, false, "", now, &out); !errors.Is(err, errDemoData) {
		t.Fatalf("staff credentials changed, applicants' published passwords kept: %v, want errDemoData", err)
	}
	for _, d := range store.Demo.Applicants {
		a, err := st.AccountByDocument(ctx, d.DocType, d.DocNumber)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SetPassword(ctx, a.ID, hash, now); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := prepareData(ctx, st, h, false, "", now, &out); err != nil {
		t.Fatalf("every published credential changed: %v", err)
	}
}

// TestPrepareDataBootstrapsTheFirstAdministrator: without -demo an empty database gets no demo
// data; -bootstrap-admin creates one administrator with a random password printed once (and no
// TOTP secret: enrolment happens at the first login), and only while there is no staff.
func TestPrepareDataBootstrapsTheFirstAdministrator(t *testing.T) {
	ctx := context.Background()
	st := storetest.OpenSQLite(t)
	h := testHasher(t)

	var out bytes.Buffer
	if _, err := prepareData(ctx, st, h, false, "", now, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "-bootstrap-admin") {
		t.Errorf("no hint about -bootstrap-admin: %q", out.String())
	}
	// The reference geography is there (authorities need a city), nothing of the demo dataset.
	cat, err := st.Catalogue(ctx)
	if err != nil || len(cat.Authorities) != 0 || len(cat.Points) != 0 || len(cat.Windows) != 0 {
		t.Fatalf("without -demo the catalogue holds %d authorities, %d points, %d windows (%v)", len(cat.Authorities), len(cat.Points), len(cat.Windows), err)
	}
	if len(cat.Provinces) != 31 || len(cat.Cities) < 31 {
		t.Fatalf("reference geography: %d provinces, %d cities; want 31 and at least one city each", len(cat.Provinces), len(cat.Cities))
	}
	if _, err := st.AccountByDocument(ctx, store.Demo.Applicants[0].DocType, store.Demo.Applicants[0].DocNumber); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a demo applicant exists without -demo: %v", err)
	}

	out.Reset()
	if _, err := prepareData(ctx, st, h, false, "chief", now, &out); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`password, shown only now: (\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no password printed: %q", out.String())
	}
	admin, err := st.StaffByUsername(ctx, "chief")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := h.Verify(m[1], admin.PasswordHash); !ok || admin.Role != store.RoleAdmin || admin.TOTPSecret != "" || len(m[1]) < 20 {
		t.Errorf("administrator %+v, printed password %q (verifies %v)", admin, m[1], ok)
	}

	out.Reset()
	if _, err := prepareData(ctx, st, h, false, "second", now, &out); err != nil {
		t.Fatal(err)
	}
	if _, err := st.StaffByUsername(ctx, "second"); !errors.Is(err, store.ErrNotFound) || !strings.Contains(out.String(), "ignored") {
		t.Errorf("a second bootstrap created an account (%v) or said nothing: %q", err, out.String())
	}
}

func TestDemoFollowsDevUnlessGiven(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{nil, true},
		{[]string{"-dev=false"}, false},
		{[]string{"-dev=false", "-demo"}, true},
		{[]string{"-demo=false"}, false},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		dev := fs.Bool("dev", true, "")
		demo := fs.Bool("demo", true, "")
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		if got := demoMode(fs, *dev, *demo); got != tc.want {
			t.Errorf("%v: demo %v, want %v", tc.args, got, tc.want)
		}
	}
}
