package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/examples/portal/store"
)

// The load program reads the portal's tables directly only to check what the portal did
// (verify), to skip users that already applied and to age its own applications past the form
// delay; the large dataset comes from the store's own generator (seedLarge). Load users are
// recognised by their certificate block (authority code 999 in 2012 44 999 …).

const loadCertPrefix = "201244999"

// usersWithApplications returns the document numbers of load users with an application.
func usersWithApplications(ctx context.Context, st *store.Store) (map[string]bool, error) {
	rows, err := st.DB().QueryContext(ctx, `SELECT a.doc_number FROM applications ap JOIN accounts a ON a.id = ap.account_id WHERE ap.certificate_number LIKE '`+loadCertPrefix+`%'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		out[d] = true
	}
	return out, rows.Err()
}

// ageApplications moves the load users' submission times two hours back, so the application
// form (ready one hour after submission, registration.FormDelay) can be downloaded now.
func ageApplications(ctx context.Context, st *store.Store) error {
	_, err := st.DB().ExecContext(ctx, `UPDATE applications SET submitted_at = submitted_at - INTERVAL '2 hours',
		photo_changed_at = photo_changed_at - INTERVAL '2 hours'
		WHERE certificate_number LIKE '`+loadCertPrefix+`%' AND submitted_at > now() - INTERVAL '2 hours'`)
	return err
}

// runVerify checks the database against the numbers the portal handed out and the invariants.
func runVerify(ctx context.Context, c *config, stdout io.Writer) error {
	if c.dsn == "" {
		return errors.New("-db is required")
	}
	st, err := store.Open(ctx, c.dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	db := st.DB()
	var told []string
	if c.numbersFile != "" {
		f, err := os.OpenFile(c.numbersFile, os.O_RDONLY|os.O_CREATE, 0o600)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if n := strings.TrimSpace(sc.Text()); n != "" {
				told = append(told, n)
			}
		}
		f.Close()
	}
	failed := 0
	check := func(what string, bad int) {
		mark := "ok"
		if bad != 0 {
			mark = "FAIL"
			failed++
		}
		fmt.Fprintf(stdout, "  %-4s %s: %d\n", mark, what, bad)
	}
	missing := 0
	for i := 0; i < len(told); i += 500 {
		chunk := told[i:min(len(told), i+500)]
		var n int
		q := `SELECT count(*) FROM applications WHERE number IN ('` + strings.Join(chunk, "','") + `')`
		for _, x := range chunk {
			for _, r := range x {
				if r < '0' || r > '9' {
					return fmt.Errorf("bad number %q in %s", x, c.numbersFile)
				}
			}
		}
		if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil {
			return err
		}
		missing += len(chunk) - n
	}
	dups := map[string]int{}
	for _, n := range told {
		dups[n]++
	}
	toldDup := 0
	for _, v := range dups {
		if v > 1 {
			toldDup += v - 1
		}
	}
	count := func(q string) int {
		var n int
		if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil {
			fmt.Fprintln(stdout, "  query failed:", err)
			return -1
		}
		return n
	}
	var total int
	_ = db.QueryRowContext(ctx, `SELECT count(*) FROM applications`).Scan(&total)
	fmt.Fprintf(stdout, "verify: %d numbers handed out, %d applications stored\n", len(told), total)
	check("numbers handed out but not stored", missing)
	check("numbers handed out twice", toldDup)
	check("applications without an event", count(`SELECT count(*) FROM applications ap WHERE NOT EXISTS (SELECT 1 FROM application_events e WHERE e.application_id = ap.id)`))
	check("applications without a stored photo", count(`SELECT count(*) FROM applications ap WHERE ap.photo_key IS NULL OR NOT EXISTS (SELECT 1 FROM photos p WHERE p.key = ap.photo_key)`))
	check("duplicate application numbers", count(`SELECT count(*) FROM (SELECT number FROM applications GROUP BY number HAVING count(*) > 1) d`))
	check("(account, certificate) with more than one active application", count(`SELECT count(*) FROM (SELECT account_id, certificate_number FROM applications WHERE status IN (1, 2) GROUP BY 1, 2 HAVING count(*) > 1) d`))
	if failed > 0 {
		fmt.Fprintln(stdout, "verify: FAILED")
		return errFailing
	}
	fmt.Fprintln(stdout, "verify: all checks passed")
	return nil
}

// seedLarge loads 1 M certificates and 100 k applications (each with its account, event and
// photo) through the store's own generator, unless the last synthetic certificate is there
// already.
func seedLarge(ctx context.Context, st *store.Store, stdout io.Writer) error {
	const certificates, applications = 1_000_000, 100_000
	last, err := certificate.ParseNumber(store.SyntheticCertificateNumber(certificates - 1))
	if err != nil {
		return err
	}
	switch _, err := st.CertificateByNumber(ctx, last); {
	case err == nil:
		fmt.Fprintln(stdout, "seed-large: already seeded")
		return nil
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	t0 := time.Now()
	opt := store.SyntheticOptions{Certificates: certificates, Applications: applications}
	if err := st.GenerateSynthetic(ctx, opt, time.Now()); err != nil {
		return fmt.Errorf("seed-large: %w", err)
	}
	fmt.Fprintf(stdout, "seed-large: done in %s\n", time.Since(t0).Round(time.Second))
	return nil
}
