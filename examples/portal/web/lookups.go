package web

import (
	"context"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
)

// The pages of this file set read certificates and the identity lock through these small
// interfaces; the store implements them (when a method is missing the page shows no data rather
// than failing to build — see the report in the commit history).

// certificateLookup finds the national system's certificate records of a document holder.
type certificateLookup interface {
	CertificatesByDocument(ctx context.Context, t account.DocType, number string) ([]certificate.Certificate, error)
}

// identityLockLookup tells whether one of the account's certificates is in use by a registration
// or a registration passed on-site confirmation (account.CanEditIdentity's input).
type identityLockLookup interface {
	CertificateInUse(ctx context.Context, accountID int64) (bool, error)
}

// certificatesOf returns the certificates held under the document (unfiltered by name).
func (s *Server) certificatesOf(ctx context.Context, t account.DocType, number string) ([]certificate.Certificate, error) {
	if l, ok := any(s.cfg.Store).(certificateLookup); ok {
		return l.CertificatesByDocument(ctx, t, number)
	}
	return nil, nil
}

// certificateInUse reports whether the applicant's identity is locked for edits.
func (s *Server) certificateInUse(ctx context.Context, accountID int64) (bool, error) {
	if l, ok := any(s.cfg.Store).(identityLockLookup); ok {
		return l.CertificateInUse(ctx, accountID)
	}
	return false, nil
}

// ownCertificates is 本人查询 for a logged-in applicant.
func (s *Server) ownCertificates(ctx context.Context, a account.Account) ([]certificate.Certificate, error) {
	all, err := s.certificatesOf(ctx, a.DocType, a.DocNumber)
	if err != nil {
		return nil, err
	}
	return certificate.Own(all, certificate.Holder{Name: a.Name, DocType: a.DocType, DocNumber: a.DocNumber}), nil
}
