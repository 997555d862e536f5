package store

import "context"

// WithReplicaUnchecked is WithReplica without the check that the replica is a streaming
// standby, so a test can name the primary itself as the "replica" and count what is routed
// to it.
func WithReplicaUnchecked(dsn string) Option {
	return func(c *config) { c.replicaDSN, c.replicaNoCheck = dsn, true }
}

// NamedStatements counts the named server-side statements on one of the pool's connections
// (with WithMaxOpenConns(1): the connection every query of the store used).
func (s *Store) NamedStatements(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM pg_prepared_statements").Scan(&n)
	return n, err
}
