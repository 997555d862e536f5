package web

import (
	"context"
)

// Backend is what the portal needs from its store; examples/portal/store's *Store implements it.
type Backend interface {
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
}

// loadApplicant returns the applicant with id, or errNotFound.
func (s *Server) loadApplicant(ctx context.Context, id int64) (Applicant, error) {
	return Applicant{}, errNotFound
}
