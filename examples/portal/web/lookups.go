package web

import (
	"context"
	"strings"
	"unicode"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/registration"
)

// applicationsOf returns the account's applications from the registration backend (the store).
func (s *Server) applicationsOf(ctx context.Context, accountID int64) ([]*registration.Application, error) {
	return s.registration.ApplicationsOf(ctx, accountID)
}

// certificateInUse reports whether one of the applicant's certificates is used by a registration
// in progress (网报待确认) or one that passed on-site confirmation (已确认): the input of
// account.CanEditIdentity.
func (s *Server) certificateInUse(ctx context.Context, accountID int64) (bool, error) {
	apps, err := s.applicationsOf(ctx, accountID)
	if err != nil {
		return false, err
	}
	for _, a := range apps {
		if a.Status.Active() {
			return true, nil
		}
	}
	return false, nil
}

// holderName is a name as the national records key it: without spaces.
func holderName(name string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, name)
}

// ownCertificates is 本人查询 for a logged-in applicant: the certificates held under the account's
// document and name.
func (s *Server) ownCertificates(ctx context.Context, a account.Account) ([]certificate.Certificate, error) {
	all, err := s.cfg.Store.CertificatesOf(ctx, a.DocType, a.DocNumber, holderName(a.Name))
	if err != nil {
		return nil, err
	}
	return certificate.Own(all, certificate.Holder{Name: a.Name, DocType: a.DocType, DocNumber: a.DocNumber}), nil
}

// otherCertificates is 其他查询: the national records of the holder (hand-added ones left out).
func (s *Server) otherCertificates(ctx context.Context, q certificate.OtherQuery, canonical string) ([]certificate.Certificate, error) {
	all, err := s.cfg.Store.CertificatesOf(ctx, q.DocType, canonical, holderName(q.Name))
	if err != nil {
		return nil, err
	}
	q.DocNumber = canonical
	return certificate.Other(all, q), nil
}

// infoCentre returns the five record modules of the information centre.
func (s *Server) infoCentre(ctx context.Context, a account.Account) (store.InfoCentre, error) {
	return s.cfg.Store.InfoCentreOf(ctx, store.Holder{DocNumber: a.DocNumber, Name: holderName(a.Name)})
}
