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
// staff passwords and TOTP secrets are published (README, this command's banner), so anyone
// could sign in as an administrator.
var errDemoData = errors.New("the database holds the demo dataset, whose staff passwords and TOTP secrets are published; " +
	"start with -demo to serve it anyway (development only), or use a fresh database")

// demoStaffPresent reports whether any demo staff account still has its published password.
func demoStaffPresent(ctx context.Context, st *store.Store, hasher *account.Hasher) (bool, error) {
	for _, d := range store.Demo.Staff {
		s, err := st.StaffByUsername(ctx, d.Username)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return false, err
		}
		ok, err := hasher.Verify(d.Password, s.PasswordHash)
		if err != nil {
			return false, err
		}
		if ok {
			return true, nil
		}
	}
	return false, nil
}

// prepareData readies the database for serving. With demo it loads the demo dataset into an
// empty database. Without it, it refuses a database that holds the demo staff with their
// published passwords, and when the database has no staff at all it creates the administrator
// named bootstrap (if given) with a random password, printed once to out; the TOTP
// authenticator is enrolled at the first login.
func prepareData(ctx context.Context, st *store.Store, hasher *account.Hasher, demo bool, bootstrap string, now time.Time, out io.Writer) (seeded bool, err error) {
	if demo {
		return st.SeedDemo(ctx, now, hasher)
	}
	if found, err := demoStaffPresent(ctx, st, hasher); err != nil || found {
		if err == nil {
			err = errDemoData
		}
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
