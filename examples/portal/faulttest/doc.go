// Package faulttest holds the portal's fault tests: processes are built, started, killed and
// restarted around the load program (examples/portal/cmd/loadtest) against a real Postgres.
//
// They are skipped unless TQREG_FAULTS=1 (and TEST_DATABASE_URL points at a local Postgres), so
// `go test ./...` stays fast and harmless:
//
//	TQREG_FAULTS=1 TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test go test -v -count=1 ./examples/portal/faulttest
//
// runs, each on a database of its own that is dropped afterwards:
//
//   - TestTwoPortalsOneDatabase: two portal processes on different ports against one Postgres,
//     every request of every virtual user alternating between them (a session made on one is
//     used on the other); afterwards no duplicate numbers and one active application per
//     (account, certificate).
//   - TestKillPortalMidLoad: SIGKILL the portal under load, start it again: a session made before
//     the kill still works, every number handed out is stored, no half-written application
//     (each has its event and its photo).
//   - TestBadInputUnderLoad: oversized bodies, malformed multipart, broken JPEGs, very long
//     fields and invalid UTF-8 at a steady rate: 4xx pages only; peak RSS reported.
//   - TestReadReplica: a real streaming replica of the test Postgres (pg_basebackup -R into a
//     temporary directory, pg_ctl on a free local port, as the postgres user: the test must run
//     as root or postgres, against a primary on 127.0.0.1) for store.WithReplica and the
//     portal's -db-replica: with WAL replay paused, routed reads miss a fresh write while
//     transactions and the applicant's own applications see it; the lag of a write; a stopped
//     replica makes reads fall back to the primary with a warning, pages still answer 200. It
//     adds "host replication all 127.0.0.1/32 trust" to the primary's pg_hba.conf when no
//     replication line is there (and reloads), and removes the standby at the end.
//
// TestRestartPostgresMidLoad restarts the machine's Postgres (pg_ctlcluster) and so runs only
// when TQREG_FAULTS_PG_RESTART=1 as well (scripts/load-and-faults.sh sets it): in-flight
// requests get the 503 page, never a 500 or a reset, the portal recovers by itself within
// seconds, and every number handed out is stored.
package faulttest
