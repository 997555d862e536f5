package store_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/store/storetest"
	"github.com/tqreg/tqreg/form"
	"github.com/tqreg/tqreg/registration"
)

// addCatalogue stores a small catalogue and returns what was stored.
func addCatalogue(t *testing.T, s *store.Store) (registration.Authority, registration.ConfirmationPoint, registration.Window) {
	t.Helper()
	ctx := context.Background()
	must(t, s.AddProvince(ctx, registration.Province{Code: "45", Name: "广西壮族自治区"}))
	must(t, s.AddCity(ctx, registration.City{Code: "450100", Name: "南宁市", Province: "45"}))
	a, err := s.SaveAuthority(ctx, registration.Authority{Name: "南宁市教育局", Province: "45", City: "450100",
		Stages: []registration.Stage{registration.StagePrimary, registration.StageJuniorMiddle},
		Kinds:  []certificate.Kind{certificate.Primary, certificate.JuniorMiddle}})
	must(t, err)
	p, err := s.SaveConfirmationPoint(ctx, registration.ConfirmationPoint{AuthorityID: a.ID, Name: "青秀区确认点",
		ScopeText: "青秀区中小学教师", Scope: registration.Scope{Stages: []registration.Stage{registration.StagePrimary},
			Districts: []string{"450103"}}, Notes: "请携带身份证", Address: "民族大道1号"})
	must(t, err)
	w, err := s.SaveWindow(ctx, registration.Window{AuthorityID: a.ID, Stage: registration.StagePrimary,
		Opens: t0.Add(-time.Hour), Closes: t0.Add(30 * 24 * time.Hour)})
	must(t, err)
	return a, p, w
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestCatalogue(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, p, w := addCatalogue(t, s)
		if w.Province != "45" || w.City != "450100" || a.ID == "" || p.ID == "" || w.ID == "" {
			t.Fatalf("saved: %+v %+v %+v", a, p, w)
		}
		c, err := s.Catalogue(ctx)
		must(t, err)
		if err := c.Validate(); err != nil {
			t.Fatalf("stored catalogue does not validate: %v", err)
		}
		want := &registration.Catalogue{
			Provinces:   []registration.Province{{Code: "45", Name: "广西壮族自治区"}},
			Cities:      []registration.City{{Code: "450100", Name: "南宁市", Province: "45"}},
			Authorities: []registration.Authority{a},
			Points:      []registration.ConfirmationPoint{p},
			Windows:     []registration.Window{w},
		}
		if !reflect.DeepEqual(c, want) {
			t.Fatalf("Catalogue =\n%+v\nwant\n%+v", c, want)
		}
		t.Run("updates", func(t *testing.T) {
			a.Name = "南宁市教育局(定期注册)"
			_, err := s.SaveAuthority(ctx, a)
			must(t, err)
			must(t, s.CloseWindow(ctx, w.ID, t0))
			c, _ := s.Catalogue(ctx)
			if c.Authorities[0].Name != a.Name || !c.Windows[0].Closes.Equal(t0) {
				t.Fatalf("after update: %+v %+v", c.Authorities[0], c.Windows[0])
			}
			if _, err := c.WindowFor(a.ID, registration.StagePrimary, t0); !errors.Is(err, registration.ErrClosed) {
				t.Fatalf("window closed early still open: %v", err)
			}
			must(t, s.DeactivateConfirmationPoint(ctx, p.ID))
			c, _ = s.Catalogue(ctx)
			if len(c.Points) != 0 {
				t.Fatalf("deactivated point listed: %+v", c.Points)
			}
		})
		t.Run("unknown ids are ErrNotFound", func(t *testing.T) {
			_, err1 := s.SaveAuthority(ctx, registration.Authority{ID: "999", Name: "x", Province: "45", City: "450100"})
			_, err2 := s.SaveWindow(ctx, registration.Window{ID: "abc", AuthorityID: a.ID, Stage: 1, Opens: t0, Closes: t0.Add(time.Hour)})
			for _, err := range []error{err1, err2, s.CloseWindow(ctx, "999", t0), s.DeactivateConfirmationPoint(ctx, "x")} {
				if !errors.Is(err, store.ErrNotFound) {
					t.Errorf("err = %v, want ErrNotFound", err)
				}
			}
		})
		t.Run("a window that closes before it opens is refused by the database", func(t *testing.T) {
			_, err := s.SaveWindow(ctx, registration.Window{AuthorityID: a.ID, Stage: 1, Opens: t0, Closes: t0})
			if !errors.Is(err, store.ErrInternal) {
				t.Fatalf("err = %v, want ErrInternal", err)
			}
		})
	})
}

func TestCertificates(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c1 := certificate.Certificate{Number: certificate.MustParseNumber("20114500221000123"), HolderName: "张三",
			DocType: account.DocResidentID, DocNumber: "11010519491231002X", Kind: certificate.Primary, Subject: "语文",
			Authority: "南宁市教育局", Issued: time.Date(2011, 7, 1, 0, 0, 0, 0, time.UTC),
			FirstRegistered: true, FirstRegisteredOn: time.Date(2012, 9, 1, 0, 0, 0, 0, time.UTC)}
		c2 := c1
		c2.Number, c2.Kind, c2.Issued, c2.FirstRegistered, c2.FirstRegisteredOn = certificate.MustParseNumber("20154400231000456"),
			certificate.JuniorMiddle, time.Date(2015, 7, 1, 0, 0, 0, 0, time.UTC), false, time.Time{}
		other := c1
		other.Number, other.HolderName = certificate.MustParseNumber("20164400221000789"), "李四"
		must(t, s.AddCertificate(ctx, c2, 0))
		must(t, s.AddCertificate(ctx, c1, 0))
		must(t, s.AddCertificate(ctx, other, 0))
		if err := s.AddCertificate(ctx, c1, 0); !errors.Is(err, store.ErrDuplicate) {
			t.Fatalf("duplicate number: %v", err)
		}
		got, err := s.CertificateByNumber(ctx, c1.Number)
		if err != nil || got != c1 {
			t.Fatalf("CertificateByNumber = %+v, %v", got, err)
		}
		if _, err := s.CertificateByNumber(ctx, certificate.MustParseNumber("20104400221000000")); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown number: %v", err)
		}
		own, err := s.CertificatesOf(ctx, account.DocResidentID, "11010519491231002X", "张三")
		if err != nil || len(own) != 2 || own[0] != c1 || own[1] != c2 {
			t.Fatalf("CertificatesOf = %+v, %v; want c1, c2", own, err)
		}
		for _, tc := range []struct {
			name string
			dt   account.DocType
			doc  string
			who  string
		}{
			{"wrong name", account.DocResidentID, "11010519491231002X", "王五"},
			{"wrong doc type", account.DocPassport, "11010519491231002X", "张三"},
			{"wrong number", account.DocResidentID, "110105194912310021", "张三"},
		} {
			if got, err := s.CertificatesOf(ctx, tc.dt, tc.doc, tc.who); err != nil || len(got) != 0 {
				t.Errorf("%s: got %v, %v", tc.name, got, err)
			}
		}
		must(t, s.MarkFirstRegistered(ctx, c2.Number, time.Date(2016, 9, 1, 0, 0, 0, 0, time.UTC)))
		if got, _ := s.CertificateByNumber(ctx, c2.Number); !got.FirstRegistered {
			t.Fatal("MarkFirstRegistered did not stick")
		}
	})
}

func TestInfoCentreAndSchools(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		h := store.Holder{DocNumber: "11010519491231002X", Name: "张三"}
		d := func(y int) time.Time { return time.Date(y, 7, 1, 0, 0, 0, 0, time.UTC) }
		ic := store.InfoCentre{
			Exams:     []store.ExamRecord{{ProofNumber: "2015110000123", Kind: certificate.Primary, Subject: "语文", PassedOn: d(2015), ValidUntil: d(2018)}},
			Mandarin:  []store.MandarinRecord{{Number: "4512000100123", Level: "3", Score: "88.5", Issuer: "广西语委", IssuedOn: d(2010)}},
			Education: []store.EducationRecord{{Level: "41", School: "广西师范大学", Major: "汉语言文学", StudyMode: "1", CertificateNumber: "106021201005000123", GraduatedOn: d(2011)}},
			Degrees:   []store.DegreeRecord{{Degree: "4", School: "广西师范大学", Major: "文学", CertificateNumber: "1060242011000123", AwardedOn: d(2011)}},
			Other:     []store.OtherCertificate{{Title: "心理健康教育C证", Number: "C-001", Issuer: "南宁市教育局"}},
		}
		must(t, s.AddInfoCentre(ctx, h, ic))
		got, err := s.InfoCentreOf(ctx, h)
		if err != nil || !reflect.DeepEqual(got, ic) {
			t.Fatalf("InfoCentreOf =\n%+v, %v\nwant\n%+v", got, err, ic)
		}
		if m := got.MandarinCertificates(); len(m) != 1 || m[0] != (form.MandarinCertificate{Number: "4512000100123", Level: "3"}) {
			t.Fatalf("MandarinCertificates = %+v", m)
		}
		if none, _ := s.InfoCentreOf(ctx, store.Holder{DocNumber: h.DocNumber, Name: "李四"}); !reflect.DeepEqual(none, store.InfoCentre{}) {
			t.Fatalf("another name sees records: %+v", none)
		}
		// MandarinCertificatesOf is the same list by one query, oldest first.
		later := store.InfoCentre{Mandarin: []store.MandarinRecord{{Number: "4512000100124", Level: "21", Issuer: "广西语委", IssuedOn: d(2009)}}}
		must(t, s.AddInfoCentre(ctx, h, later))
		all, err := s.InfoCentreOf(ctx, h)
		must(t, err)
		if m, err := s.MandarinCertificatesOf(ctx, h); err != nil || len(m) != 2 || !reflect.DeepEqual(m, all.MandarinCertificates()) || m[0].Number != "4512000100124" {
			t.Fatalf("MandarinCertificatesOf = %+v, %v; want %+v", m, err, all.MandarinCertificates())
		}
		if m, err := s.MandarinCertificatesOf(ctx, store.Holder{DocNumber: h.DocNumber, Name: "李四"}); err != nil || len(m) != 0 {
			t.Fatalf("another name sees Mandarin certificates: %+v, %v", m, err)
		}

		a, err := s.AddSchool(ctx, store.School{Name: "广西师范大学", Type: "1"})
		must(t, err)
		b, err := s.AddSchool(ctx, store.School{Name: "广西师范大学", Type: "1"})
		if err != nil || b != a {
			t.Fatalf("adding twice: %+v %v, want %+v", b, err, a)
		}
		_, err = s.AddSchool(ctx, store.School{Name: "南宁100%_学校", Type: "2"})
		must(t, err)
		for _, tc := range []struct {
			q    string
			want int
		}{{"师范", 1}, {"广西", 1}, {"%", 1}, {"_", 1}, {"学", 2}, {"清华", 0}, {"", 0}} {
			got, err := s.SearchSchools(ctx, tc.q, 10)
			if err != nil || len(got) != tc.want {
				t.Errorf("SearchSchools(%q) = %+v, %v; want %d", tc.q, got, err, tc.want)
			}
		}
	})
}

func TestStaff(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, p, _ := addCatalogue(t, s)
		cp, err := s.CreateStaff(ctx, store.Staff{Username: "qx01", Name: "确认点甲", Role: store.RoleConfirmationPoint,
			PointID: p.ID, AuthorityID: a.ID, PasswordHash: "h", CreatedAt: t0})
		must(t, err)
		if got, err := s.StaffByUsername(ctx, "qx01"); err != nil || got != cp {
			t.Fatalf("StaffByUsername = %+v, %v; want %+v", got, err, cp)
		}
		if _, err := s.CreateStaff(ctx, store.Staff{Username: "qx01", Name: "x", Role: store.RoleAdmin, PasswordHash: "h"}); !errors.Is(err, store.ErrDuplicate) {
			t.Fatalf("duplicate username: %v", err)
		}
		if _, err := s.CreateStaff(ctx, store.Staff{Username: "au", Name: "x", Role: store.RoleAuthority, PasswordHash: "h"}); err == nil {
			t.Fatal("authority staff without an authority was stored")
		}
		must(t, s.EnrollStaffTOTP(ctx, cp.ID, "JBSWY3DPEHPK3PXP", t0))
		// Of 10 concurrent logins with the same code exactly one is accepted.
		var ok, replay atomic.Int32
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				switch err := s.AcceptTOTPCounter(ctx, cp.ID, 59000000); {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, store.ErrConflict):
					replay.Add(1)
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if ok.Load() != 1 || replay.Load() != 9 {
			t.Fatalf("accepted %d, refused %d", ok.Load(), replay.Load())
		}
		if err := s.AcceptTOTPCounter(ctx, cp.ID, 58999999); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("older counter: %v", err)
		}
		must(t, s.AcceptTOTPCounter(ctx, cp.ID, 59000001))
		if err := s.AcceptTOTPCounter(ctx, 9999, 1); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown staff: %v", err)
		}
		must(t, s.SetStaffPassword(ctx, cp.ID, "h2"))
		must(t, s.SetStaffDisabled(ctx, cp.ID, true))
		got, _ := s.StaffByID(ctx, cp.ID)
		if got.PasswordHash != "h2" || !got.Disabled || got.TOTPSecret != "JBSWY3DPEHPK3PXP" || got.TOTPLastCounter != 59000001 || !got.TOTPEnrolledAt.Equal(t0) {
			t.Fatalf("after updates: %+v", got)
		}
		list, err := s.ListStaff(ctx)
		if err != nil || len(list) != 1 {
			t.Fatalf("ListStaff = %+v, %v", list, err)
		}
	})
}

func TestStaffRole(t *testing.T) {
	t.Parallel()
	for _, r := range []store.StaffRole{store.RoleConfirmationPoint, store.RoleAuthority, store.RoleAdmin} {
		for _, in := range []string{string(r), r.String()} {
			if got, err := store.ParseStaffRole(in); err != nil || got != r {
				t.Errorf("ParseStaffRole(%q) = %q, %v", in, got, err)
			}
		}
	}
	if _, err := store.ParseStaffRole("root"); !errors.Is(err, store.ErrInvalidRole) {
		t.Errorf("ParseStaffRole(root): %v", err)
	}
}
