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

	"github.com/tqreg/tqreg/examples/portal/store"
)

// The load program reads the portal's tables directly only to check what the portal did
// (verify), to skip users that already applied, to age its own applications past the form
// delay, and to bulk-seed the large dataset. Load users are recognised by their certificate
// block (authority code 999 in 2012 44 999 …).

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

// seedLarge bulk-inserts 1 M certificates and 100 k accounts with one application each (status
// 网报待确认 or later, each with its event and a shared stored photo) through set-based SQL on
// Postgres, unless they are there already. The store has no bulk generator of its own; this
// writes the store's tables directly and is idempotent (the rows carry the year 2013 block).
func seedLarge(ctx context.Context, st *store.Store, stdout io.Writer) error {
	if st.Backend() != store.Postgres {
		return errors.New("-seed-large needs Postgres")
	}
	db := st.DB()
	var have int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM certificates WHERE number LIKE '2013%'`).Scan(&have); err != nil {
		return err
	}
	if have >= 1_000_000 {
		fmt.Fprintln(stdout, "seed-large: already seeded")
		return nil
	}
	t0 := time.Now()
	var authorityID, pointID, windowID int64
	if err := db.QueryRowContext(ctx, `SELECT p.authority_id, p.id, w.id FROM confirmation_points p JOIN windows w ON w.authority_id = p.authority_id ORDER BY p.id LIMIT 1`).Scan(&authorityID, &pointID, &windowID); err != nil {
		return fmt.Errorf("seed-large needs the demo catalogue: %w", err)
	}
	photoData, err := genPhoto(99)
	if err != nil {
		return err
	}
	key := store.PhotoKey(photoData)
	stmts := []struct {
		what string
		sql  string
		args []any
	}{
		{"1 M certificates", `INSERT INTO certificates (number, holder_doc_type, holder_doc_number, holder_name, kind, subject, authority, issued_on, first_registered)
			SELECT '2013' || lpad((11 + g % 21)::text, 2, '0') || '888' || (1 + g % 6)::text || (g % 2)::text || lpad(g::text, 6, '0'),
				1, 'L' || lpad(g::text, 17, '0'), '教师' || g, 1 + g % 6, '语文', '某市教育局', TIMESTAMPTZ '2013-07-01', TRUE
			FROM generate_series(0, 499999) g ON CONFLICT DO NOTHING`, nil},
		{"… and the second half", `INSERT INTO certificates (number, holder_doc_type, holder_doc_number, holder_name, kind, subject, authority, issued_on, first_registered)
			SELECT '2013' || lpad((11 + g % 21)::text, 2, '0') || '888' || (1 + g % 6)::text || (g % 2)::text || lpad(g::text, 6, '0'),
				1, 'L' || lpad(g::text, 17, '0'), '教师' || g, 1 + g % 6, '语文', '某市教育局', TIMESTAMPTZ '2013-07-01', TRUE
			FROM generate_series(500000, 999999) g ON CONFLICT DO NOTHING`, nil},
		{"100 k accounts", `INSERT INTO accounts (doc_type, doc_number, name, phone, email, registered_at, real_name_verified, password_hash, password_changed_at)
			SELECT 1, 'L' || lpad(g::text, 17, '0'), '教师' || g, '', '', TIMESTAMPTZ '2020-01-01', TRUE, '$argon2id$v=19$m=19456,t=2,p=1$c2VlZHNlZWRzZWVkc2VlZA$c2VlZHNlZWRzZWVkc2VlZHNlZWRzZWVkc2VlZHNlZWQ', TIMESTAMPTZ '2020-01-01'
			FROM generate_series(0, 99999) g ON CONFLICT DO NOTHING`, nil},
		{"one photo", `INSERT INTO photos (key, data, created_at) VALUES (?, ?, now()) ON CONFLICT DO NOTHING`, []any{key, photoData}},
		{"100 k applications", `INSERT INTO applications (number, account_id, certificate_number, kind, stage, subject, info, photo_key, window_id, authority_id, point_id, status, version, submitted_at, updated_at)
			SELECT '2026' || lpad((11 + g % 21)::text, 2, '0') || '9' || lpad(g::text, 7, '0'), a.id,
				'2013' || lpad((11 + g % 21)::text, 2, '0') || '888' || (1 + g % 6)::text || (g % 2)::text || lpad(g::text, 6, '0'),
				1 + g % 6, 1 + g % 5, '01', '{}', ?, ?, ?, ?, 1 + g % 4, 1, now() - INTERVAL '3 days', now()
			FROM generate_series(0, 99999) g JOIN accounts a ON a.doc_type = 1 AND a.doc_number = 'L' || lpad(g::text, 17, '0')
			ON CONFLICT DO NOTHING`, []any{key, windowID, authorityID, pointID}},
		{"their events", `INSERT INTO application_events (application_id, seq, actor, actor_name, from_status, to_status, at, note)
			SELECT ap.id, 0, 1, '', 0, 1, ap.submitted_at, '' FROM applications ap
			WHERE ap.certificate_number LIKE '2013%' AND NOT EXISTS (SELECT 1 FROM application_events e WHERE e.application_id = ap.id)`, nil},
		{"analyze", `ANALYZE`, nil},
	}
	for _, s := range stmts {
		t := time.Now()
		if _, err := db.NewRaw(s.sql, s.args...).Exec(ctx); err != nil {
			return fmt.Errorf("seed-large %s: %w", s.what, err)
		}
		fmt.Fprintf(stdout, "seed-large: %s in %s\n", s.what, time.Since(t).Round(time.Millisecond))
	}
	fmt.Fprintf(stdout, "seed-large: done in %s\n", time.Since(t0).Round(time.Second))
	return nil
}
