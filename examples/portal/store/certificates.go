package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
)

type certificateRow struct {
	bun.BaseModel `bun:"table:certificates"`

	Number            string    `bun:"number,pk"`
	HolderDocType     int16     `bun:"holder_doc_type,notnull"`
	HolderDocNumber   string    `bun:"holder_doc_number,notnull"`
	HolderName        string    `bun:"holder_name,notnull"`
	Kind              int16     `bun:"kind,notnull"`
	Subject           string    `bun:"subject,notnull"`
	Authority         string    `bun:"authority,notnull"`
	IssuedOn          time.Time `bun:"issued_on,notnull"`
	FirstRegistered   bool      `bun:"first_registered,notnull"`
	FirstRegisteredOn time.Time `bun:"first_registered_on,nullzero"`
	Manual            bool      `bun:"manual,notnull"`
	AddedBy           int64     `bun:"added_by,nullzero"`
}

func toCertificateRow(c certificate.Certificate, addedBy int64) certificateRow {
	return certificateRow{Number: c.Number.String(), HolderDocType: int16(c.DocType), HolderDocNumber: c.DocNumber,
		HolderName: c.HolderName, Kind: int16(c.Kind), Subject: c.Subject, Authority: c.Authority,
		IssuedOn: ts(c.Issued), FirstRegistered: c.FirstRegistered, FirstRegisteredOn: ts(c.FirstRegisteredOn),
		Manual: c.Manual, AddedBy: addedBy}
}

// farFuture lets stored numbers parse whatever their year: they were checked on the way in.
var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

func (r certificateRow) domain() (certificate.Certificate, error) {
	n, err := certificate.ParseNumberAt(r.Number, farFuture)
	if err != nil {
		return certificate.Certificate{}, err
	}
	return certificate.Certificate{Number: n, HolderName: r.HolderName, DocType: account.DocType(r.HolderDocType),
		DocNumber: r.HolderDocNumber, Kind: certificate.Kind(r.Kind), Subject: r.Subject, Authority: r.Authority,
		Issued: r.IssuedOn.UTC(), FirstRegistered: r.FirstRegistered, FirstRegisteredOn: utcOrZero(r.FirstRegisteredOn),
		Manual: r.Manual}, nil
}

// AddCertificate stores a certificate record (教师资格证书): a synced national record
// (addedBy 0) or one an applicant added by hand (c.Manual, addedBy their account).
// ErrDuplicate when the number exists.
func (s *Store) AddCertificate(ctx context.Context, c certificate.Certificate, addedBy int64) error {
	row := toCertificateRow(c, addedBy)
	_, err := s.idb.NewInsert().Model(&row).Exec(ctx)
	return s.wrap("add certificate", err)
}

// CertificateByNumber returns the certificate with number n, or ErrNotFound.
func (s *Store) CertificateByNumber(ctx context.Context, n certificate.Number) (certificate.Certificate, error) {
	var row certificateRow
	if err := s.idb.NewSelect().Model(&row).Where("number = ?", n.String()).Scan(ctx); err != nil {
		return certificate.Certificate{}, s.wrap("certificate by number", err)
	}
	c, err := row.domain()
	return c, s.wrap("certificate by number", err)
}

// CertificatesOf returns the certificates held by the person with this document and name
// (本人查询 and 其他查询), oldest first. The name must match exactly as stored; the caller
// normalises it. An empty slice when there are none. Read from the replica when there is one
// (national records change rarely; see replica.go).
func (s *Store) CertificatesOf(ctx context.Context, docType account.DocType, docNumber, name string) ([]certificate.Certificate, error) {
	var rows []certificateRow
	err := s.lagTolerant(ctx, "certificates of holder", func(ctx context.Context, db bun.IDB) error {
		var got []certificateRow
		if err := s.preparedOn(ctx, db, certificatesOfQuery, &got, docNumber, name, int16(docType)); err != nil {
			return err
		}
		rows = got
		return nil
	})
	if err != nil {
		return nil, s.wrap("certificates of holder", err)
	}
	out := make([]certificate.Certificate, 0, len(rows))
	for _, r := range rows {
		c, err := r.domain()
		if err != nil {
			return nil, s.wrap("certificates of holder", err)
		}
		out = append(out, c)
	}
	return out, nil
}

// certificatesOfQuery is the hottest read (本人查询, 其他查询, the wizard's certificate
// choice): a prepared statement on Postgres (see prepared).
var certificatesOfQuery = newPreparedQuery(`SELECT number, holder_doc_type, holder_doc_number, holder_name, kind,
	subject, authority, issued_on, first_registered, first_registered_on, manual, added_by
	FROM certificates WHERE holder_doc_number = ? AND holder_name = ? AND holder_doc_type = ?
	ORDER BY issued_on, number`)

// MarkFirstRegistered records that the certificate went through 首次注册 on the date.
func (s *Store) MarkFirstRegistered(ctx context.Context, n certificate.Number, on time.Time) error {
	res, err := s.idb.NewUpdate().Model((*certificateRow)(nil)).
		Set("first_registered = TRUE").Set("first_registered_on = ?", ts(on)).
		Where("number = ?", n.String()).Exec(ctx)
	return s.wrap("mark first registered", affectedOne(res, err))
}
