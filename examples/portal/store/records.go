package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/form"
)

// Holder names the person the information-centre records belong to: their canonical
// document number and name, as the national systems key them.
type Holder struct {
	DocNumber string
	Name      string
}

// ExamRecord is a 教师资格考试 result (考试合格证明).
type ExamRecord struct {
	ProofNumber string // 考试合格证明编号
	Kind        certificate.Kind
	Subject     string
	PassedOn    time.Time
	ValidUntil  time.Time // zero when open-ended
}

// MandarinRecord is a 普通话水平测试等级证书.
type MandarinRecord struct {
	Number   string
	Level    form.MandarinLevel
	Score    string
	Issuer   string
	IssuedOn time.Time
}

// EducationRecord is a 学历学籍 record.
type EducationRecord struct {
	Level             form.Education
	School            string
	Major             string
	StudyMode         form.StudyMode
	CertificateNumber string
	GraduatedOn       time.Time
}

// DegreeRecord is a 学位证书 record.
type DegreeRecord struct {
	Degree            form.Degree
	School            string
	Major             string
	CertificateNumber string
	AwardedOn         time.Time
}

// OtherCertificate is an entry of 其他证书信息.
type OtherCertificate struct {
	Title    string
	Number   string
	Issuer   string
	IssuedOn time.Time // zero when unknown
}

// InfoCentre is the personal information centre's (个人信息中心) national records of one
// person, apart from identity (the account) and teacher qualification certificates
// (CertificatesOf): exams, Mandarin, education, degrees, other certificates.
type InfoCentre struct {
	Exams     []ExamRecord
	Mandarin  []MandarinRecord
	Education []EducationRecord
	Degrees   []DegreeRecord
	Other     []OtherCertificate
}

// MandarinCertificates returns the Mandarin certificates in the form's terms (the choices
// of the 普通话证书 field).
func (ic InfoCentre) MandarinCertificates() []form.MandarinCertificate {
	out := make([]form.MandarinCertificate, len(ic.Mandarin))
	for i, m := range ic.Mandarin {
		out[i] = form.MandarinCertificate{Number: m.Number, Level: m.Level}
	}
	return out
}

type examRow struct {
	bun.BaseModel `bun:"table:exam_records"`

	ID              int64     `bun:"id,pk,autoincrement"`
	HolderDocNumber string    `bun:"holder_doc_number,notnull"`
	HolderName      string    `bun:"holder_name,notnull"`
	ProofNumber     string    `bun:"proof_number,notnull"`
	Kind            int16     `bun:"kind,notnull"`
	Subject         string    `bun:"subject,notnull"`
	PassedOn        time.Time `bun:"passed_on,notnull"`
	ValidUntil      time.Time `bun:"valid_until,nullzero"`
}

type mandarinRow struct {
	bun.BaseModel `bun:"table:mandarin_certificates"`

	ID              int64     `bun:"id,pk,autoincrement"`
	HolderDocNumber string    `bun:"holder_doc_number,notnull"`
	HolderName      string    `bun:"holder_name,notnull"`
	Number          string    `bun:"number,notnull"`
	Level           string    `bun:"level,notnull"`
	Score           string    `bun:"score,notnull"`
	Issuer          string    `bun:"issuer,notnull"`
	IssuedOn        time.Time `bun:"issued_on,notnull"`
}

type educationRow struct {
	bun.BaseModel `bun:"table:education_records"`

	ID                int64     `bun:"id,pk,autoincrement"`
	HolderDocNumber   string    `bun:"holder_doc_number,notnull"`
	HolderName        string    `bun:"holder_name,notnull"`
	Level             string    `bun:"level,notnull"`
	School            string    `bun:"school,notnull"`
	Major             string    `bun:"major,notnull"`
	StudyMode         string    `bun:"study_mode,notnull"`
	CertificateNumber string    `bun:"certificate_number,notnull"`
	GraduatedOn       time.Time `bun:"graduated_on,notnull"`
}

type degreeRow struct {
	bun.BaseModel `bun:"table:degree_records"`

	ID                int64     `bun:"id,pk,autoincrement"`
	HolderDocNumber   string    `bun:"holder_doc_number,notnull"`
	HolderName        string    `bun:"holder_name,notnull"`
	Degree            string    `bun:"degree,notnull"`
	School            string    `bun:"school,notnull"`
	Major             string    `bun:"major,notnull"`
	CertificateNumber string    `bun:"certificate_number,notnull"`
	AwardedOn         time.Time `bun:"awarded_on,notnull"`
}

type otherRow struct {
	bun.BaseModel `bun:"table:other_certificates"`

	ID              int64     `bun:"id,pk,autoincrement"`
	HolderDocNumber string    `bun:"holder_doc_number,notnull"`
	HolderName      string    `bun:"holder_name,notnull"`
	Title           string    `bun:"title,notnull"`
	Number          string    `bun:"number,notnull"`
	Issuer          string    `bun:"issuer,notnull"`
	IssuedOn        time.Time `bun:"issued_on,nullzero"`
}

// AddInfoCentre stores every record in ic for the holder, in one transaction.
func (s *Store) AddInfoCentre(ctx context.Context, h Holder, ic InfoCentre) error {
	err := s.tx(ctx, func(ctx context.Context, db bun.IDB) error {
		for _, r := range ic.Exams {
			row := examRow{HolderDocNumber: h.DocNumber, HolderName: h.Name, ProofNumber: r.ProofNumber,
				Kind: int16(r.Kind), Subject: r.Subject, PassedOn: ts(r.PassedOn), ValidUntil: ts(r.ValidUntil)}
			if _, err := db.NewInsert().Model(&row).Exec(ctx); err != nil {
				return err
			}
		}
		for _, r := range ic.Mandarin {
			row := mandarinRow{HolderDocNumber: h.DocNumber, HolderName: h.Name, Number: r.Number,
				Level: string(r.Level), Score: r.Score, Issuer: r.Issuer, IssuedOn: ts(r.IssuedOn)}
			if _, err := db.NewInsert().Model(&row).Exec(ctx); err != nil {
				return err
			}
		}
		for _, r := range ic.Education {
			row := educationRow{HolderDocNumber: h.DocNumber, HolderName: h.Name, Level: string(r.Level),
				School: r.School, Major: r.Major, StudyMode: string(r.StudyMode),
				CertificateNumber: r.CertificateNumber, GraduatedOn: ts(r.GraduatedOn)}
			if _, err := db.NewInsert().Model(&row).Exec(ctx); err != nil {
				return err
			}
		}
		for _, r := range ic.Degrees {
			row := degreeRow{HolderDocNumber: h.DocNumber, HolderName: h.Name, Degree: string(r.Degree),
				School: r.School, Major: r.Major, CertificateNumber: r.CertificateNumber, AwardedOn: ts(r.AwardedOn)}
			if _, err := db.NewInsert().Model(&row).Exec(ctx); err != nil {
				return err
			}
		}
		for _, r := range ic.Other {
			row := otherRow{HolderDocNumber: h.DocNumber, HolderName: h.Name, Title: r.Title, Number: r.Number,
				Issuer: r.Issuer, IssuedOn: ts(r.IssuedOn)}
			if _, err := db.NewInsert().Model(&row).Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	})
	return s.wrap("add info centre", err)
}

// InfoCentreOf returns the holder's records, each list oldest first. Read from the replica
// when there is one (national records; see replica.go).
func (s *Store) InfoCentreOf(ctx context.Context, h Holder) (InfoCentre, error) {
	var (
		ic    InfoCentre
		exams []examRow
		mand  []mandarinRow
		edu   []educationRow
		deg   []degreeRow
		other []otherRow
	)
	err := s.lagTolerant(ctx, "info centre", func(ctx context.Context, db bun.IDB) error {
		return s.snapshot(ctx, db, func(ctx context.Context, db bun.IDB) error {
			var (
				ex []examRow
				ma []mandarinRow
				ed []educationRow
				de []degreeRow
				ot []otherRow
			)
			for _, q := range []struct {
				model any
				order string
			}{{&ex, "passed_on"}, {&ma, "issued_on"}, {&ed, "graduated_on"}, {&de, "awarded_on"}, {&ot, "id"}} {
				err := db.NewSelect().Model(q.model).
					Where("holder_doc_number = ?", h.DocNumber).Where("holder_name = ?", h.Name).
					Order(q.order, "id").Scan(ctx)
				if err != nil {
					return err
				}
			}
			exams, mand, edu, deg, other = ex, ma, ed, de, ot
			return nil
		})
	})
	if err != nil {
		return InfoCentre{}, s.wrap("info centre", err)
	}
	for _, r := range exams {
		ic.Exams = append(ic.Exams, ExamRecord{ProofNumber: r.ProofNumber, Kind: certificate.Kind(r.Kind),
			Subject: r.Subject, PassedOn: r.PassedOn.UTC(), ValidUntil: utcOrZero(r.ValidUntil)})
	}
	for _, r := range mand {
		ic.Mandarin = append(ic.Mandarin, MandarinRecord{Number: r.Number, Level: form.MandarinLevel(r.Level),
			Score: r.Score, Issuer: r.Issuer, IssuedOn: r.IssuedOn.UTC()})
	}
	for _, r := range edu {
		ic.Education = append(ic.Education, EducationRecord{Level: form.Education(r.Level), School: r.School,
			Major: r.Major, StudyMode: form.StudyMode(r.StudyMode), CertificateNumber: r.CertificateNumber,
			GraduatedOn: r.GraduatedOn.UTC()})
	}
	for _, r := range deg {
		ic.Degrees = append(ic.Degrees, DegreeRecord{Degree: form.Degree(r.Degree), School: r.School, Major: r.Major,
			CertificateNumber: r.CertificateNumber, AwardedOn: r.AwardedOn.UTC()})
	}
	for _, r := range other {
		ic.Other = append(ic.Other, OtherCertificate{Title: r.Title, Number: r.Number, Issuer: r.Issuer,
			IssuedOn: utcOrZero(r.IssuedOn)})
	}
	return ic, nil
}

// MandarinCertificatesOf returns the holder's 普通话证书 from the information centre, oldest
// first (as InfoCentreOf(…).MandarinCertificates(), by one prepared query instead of a
// transaction of five: the wizard consults them on every post); none is not an error.
func (s *Store) MandarinCertificatesOf(ctx context.Context, h Holder) ([]form.MandarinCertificate, error) {
	var rows []mandarinRow
	if err := s.prepared(ctx, mandarinOfQuery, &rows, h.DocNumber, h.Name); err != nil {
		return nil, s.wrap("mandarin certificates", err)
	}
	out := make([]form.MandarinCertificate, len(rows))
	for i, r := range rows {
		out[i] = form.MandarinCertificate{Number: r.Number, Level: form.MandarinLevel(r.Level)}
	}
	return out, nil
}

var mandarinOfQuery = newPreparedQuery(`SELECT id, holder_doc_number, holder_name, number, level, score, issuer, issued_on
	FROM mandarin_certificates WHERE holder_doc_number = ? AND holder_name = ? ORDER BY issued_on, id`)

// ---- schools (学校库) ----

// School is a graduation school (毕业学校) the form's school search finds: from the
// catalogue, or added by an applicant (新增学校).
type School struct {
	ID      int64
	Name    string
	Type    form.SchoolType
	AddedBy int64 // the account that added it; 0 for the catalogue
}

type schoolRow struct {
	bun.BaseModel `bun:"table:schools"`

	ID         int64     `bun:"id,pk,autoincrement"`
	Name       string    `bun:"name,notnull"`
	SchoolType string    `bun:"school_type,notnull"`
	AddedBy    int64     `bun:"added_by,nullzero"`
	CreatedAt  time.Time `bun:"created_at,notnull"`
}

// AddSchool stores a school and returns it; when one with the same name and type exists,
// that one is returned (adding twice is harmless).
func (s *Store) AddSchool(ctx context.Context, sc School) (School, error) {
	row := schoolRow{Name: sc.Name, SchoolType: string(sc.Type), AddedBy: sc.AddedBy, CreatedAt: ts(s.now())}
	err := s.tx(ctx, func(ctx context.Context, db bun.IDB) error {
		if _, err := db.NewInsert().Model(&row).On("CONFLICT (name, school_type) DO NOTHING").Exec(ctx); err != nil {
			return err
		}
		return db.NewSelect().Model(&row).Where("name = ?", sc.Name).Where("school_type = ?", string(sc.Type)).Scan(ctx)
	})
	if err != nil {
		return School{}, s.wrap("add school", err)
	}
	return School{ID: row.ID, Name: row.Name, Type: form.SchoolType(row.SchoolType), AddedBy: row.AddedBy}, nil
}

// SearchSchools returns up to limit schools whose name contains q (limit ≤ 0: 20), by name.
// An empty q finds nothing. Read from the replica when there is one (see replica.go).
func (s *Store) SearchSchools(ctx context.Context, q string, limit int) ([]School, error) {
	if q == "" {
		return nil, nil
	}
	if limit <= 0 {
		limit = 20
	}
	var rows []schoolRow
	err := s.lagTolerant(ctx, "search schools", func(ctx context.Context, db bun.IDB) error {
		var got []schoolRow
		err := db.NewSelect().Model(&got).
			Where("name LIKE ? ESCAPE '\\'", "%"+escapeLike(q)+"%").
			Order("name", "id").Limit(int64(limit)).Scan(ctx)
		if err == nil {
			rows = got
		}
		return err
	})
	if err != nil {
		return nil, s.wrap("search schools", err)
	}
	out := make([]School, len(rows))
	for i, r := range rows {
		out[i] = School{ID: r.ID, Name: r.Name, Type: form.SchoolType(r.SchoolType), AddedBy: r.AddedBy}
	}
	return out, nil
}

func escapeLike(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\', '%', '_':
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	return string(b)
}
