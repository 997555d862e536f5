package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/store"
)

// errDemoData refuses to serve a database that holds the demo dataset without -demo: its
// passwords and TOTP secrets are published (README, this command's banner), so anyone could sign
// in as a demo applicant or an administrator.
var errDemoData = errors.New("the database holds demo accounts whose passwords or TOTP secrets are published; " +
	"start with -demo to serve it anyway (development only), or use a fresh database")

// publishedLoginsPresent reports whether any demo account still has a published credential: a
// demo applicant's or staff member's password, or a demo staff member's TOTP secret.
func publishedLoginsPresent(ctx context.Context, st *store.Store, hasher *account.Hasher) (bool, error) {
	for _, d := range store.Demo.Staff {
		s, err := st.StaffByUsername(ctx, d.Username)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return false, err
		}
		if s.TOTPSecret != "" && s.TOTPSecret == d.TOTPSecret {
			return true, nil
		}
		if ok, err := hasher.Verify(d.Password, s.PasswordHash); err != nil || ok {
			return ok, err
		}
	}
	for _, d := range store.Demo.Applicants {
		a, err := st.AccountByDocument(ctx, d.DocType, d.DocNumber)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return false, err
		}
		if ok, err := hasher.Verify(d.Password, a.PasswordHash); err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// prepareData readies the database for serving. With demo it loads the demo dataset into an
// empty database. Without it, it refuses a database that holds demo accounts with published
// credentials, loads the reference geography (provinces and cities) into an empty one, and
// when the database has no staff at all it creates the administrator named bootstrap (if given)
// with a random password, printed once to out; the TOTP authenticator is enrolled at the first
// login.
func prepareData(ctx context.Context, st *store.Store, hasher *account.Hasher, demo bool, bootstrap string, now time.Time, out io.Writer) (seeded bool, err error) {
	if demo {
		if bootstrap != "" {
			fmt.Fprintf(out, "-bootstrap-admin ignored: the demo dataset has its own administrator (start with -demo=false)\n")
		}
		return st.SeedDemo(ctx, now, hasher)
	}
	if found, err := publishedLoginsPresent(ctx, st, hasher); err != nil || found {
		if err == nil {
			err = errDemoData
		}
		return false, err
	}
	if _, err := st.SeedReference(ctx); err != nil {
		return false, err
	}
	staff, err := st.ListStaff(ctx)
	if err != nil {
		return false, err
	}
	if len(staff) > 0 {
		if bootstrap != "" {
			fmt.Fprintf(out, "-bootstrap-admin ignored: the database already has staff accounts\n")
		}
		return false, nil
	}
	if bootstrap == "" {
		fmt.Fprintf(out, "no staff account yet: start once with -bootstrap-admin NAME to create the first administrator\n")
		return false, nil
	}
	password := rand.Text() // 26 base32 characters, 130 bits
	hash, err := hasher.Hash(password)
	if err != nil {
		return false, err
	}
	if _, err := st.CreateStaff(ctx, store.Staff{Username: bootstrap, Name: bootstrap, Role: store.RoleAdmin, PasswordHash: hash}); err != nil {
		return false, fmt.Errorf("create the administrator %q: %w", bootstrap, err)
	}
	fmt.Fprintf(out, "administrator %q created; its password, shown only now: %s\n"+
		"sign in at /review/login and enrol an authenticator app (TOTP) at the first login\n", bootstrap, password)
	return false, nil
}
