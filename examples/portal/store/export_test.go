package store

// WithReplicaUnchecked is WithReplica without the check that the replica is a streaming
// standby, so a test can name the primary itself as the "replica" and count what is routed
// to it.
func WithReplicaUnchecked(dsn string) Option {
	return func(c *config) { c.replicaDSN, c.replicaNoCheck = dsn, true }
}
