package store

import "runtime"

// Pool sizing (连接池). A portal request holds a Postgres connection only while its queries run,
// a few milliseconds, and does its CPU work (templ rendering, the photo check, argon2id) without
// one; Postgres itself works on the same cores. So the pool that keeps the machine busy grows
// with its cores: 4 connections per GOMAXPROCS, at least 4 (a one-core container still overlaps
// a few requests' round trips), at most 32. The cap is for Postgres's default max_connections of
// 100, of which 3 are reserved for superusers: each process opens its pool and one DDL
// connection (33), so two portal processes on large machines take 66 and leave room for
// migrations, backups and psql; more processes need a lower -db-max-conns or a higher
// max_connections. More connections than that only queue inside Postgres. A fixed size was
// either too small for a large machine or oversubscribed a small one.

// Bounds of the default pool size.
const (
	connsPerProc = 4
	minPoolConns = 4
	maxPoolConns = 32
)

// DefaultMaxOpenConns is the Postgres pool size Open uses without WithMaxOpenConns, sized for
// this machine from runtime.GOMAXPROCS (see the rule above).
func DefaultMaxOpenConns() int { return maxOpenConnsFor(runtime.GOMAXPROCS(0)) }

func maxOpenConnsFor(procs int) int {
	return min(maxPoolConns, max(minPoolConns, connsPerProc*procs))
}

// MaxOpenConns reports the size of the store's connection pool.
func (s *Store) MaxOpenConns() int { return s.db.DB.Stats().MaxOpenConnections }
