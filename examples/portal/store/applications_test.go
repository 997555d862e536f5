package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/store/storetest"
	"github.com/tqreg/tqreg/form"
	"github.com/tqreg/tqreg/registration"
)

// fixture is a catalogue, an applicant with a certificate and a photo.
type fixture struct {
	acct  account.Account
	auth  registration.Authority
	point registration.ConfirmationPoint
	win   registration.Window
	cert  certificate.Certificate
	photo string
}

func newFixture(t *testing.T, s *store.Store) fixture {
	t.Helper()
	ctx := context.Background()
	a, p, w := addCatalogue(t, s)
	acct, err := s.CreateAccount(ctx, newAccount("11010519491231002X", "张三"))
	must(t, err)
	c := certificate.Certificate{Number: certificate.MustParseNumber("20134500122000789"), HolderName: "张三",
		DocType: account.DocResidentID, DocNumber: acct.DocNumber, Kind: certificate.Primary, Subject: "语文",
		Authority: "南宁市教育局", Issued: time.Date(2013, 8, 1, 0, 0, 0, 0, time.UTC)}
	must(t, s.AddCertificate(ctx, c, 0))
	key, err := s.SavePhoto(ctx, acct.ID, []byte("jpeg bytes"), t0)
	must(t, err)
	return fixture{acct: acct, auth: a, point: p, win: w, cert: c, photo: key}
}

func (f fixture) application(number string) *registration.Application {
	return &registration.Application{
		Number: number, AccountID: fmt.Sprint(f.acct.ID), Certificate: f.cert.Number, Kind: f.cert.Kind,
		Stage: registration.StagePrimary, Subject: "01",
		Info: form.RegistrationInfo{Mandarin: form.MandarinCertificate{Number: "4501000200456", Level: form.MandarinFirstB},
			Education: form.EducationBachelor, Degree: form.DegreeBachelor, Major: "汉语言文学",
			GraduationSchool: "新学校", NewSchool: &form.NewSchool{Name: "新学校", Type: form.SchoolTypeOther},
			GraduationDate: form.Date{Year: 2012, Month: 6, Day: 30}, School: "南宁市第一小学", Postcode: "530022", Photo: f.photo},
		Photo: f.photo, WindowID: f.win.ID, AuthorityID: f.auth.ID, ConfirmationPointID: f.point.ID,
		Status: registration.StatusPending, SubmittedAt: t0,
		Events: []registration.Event{{Actor: registration.ActorApplicant, To: registration.StatusPending, At: t0, Note: "网上报名"}},
	}
}

func TestApplicationLifecycle(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		a := f.application("20264500000001")
		must(t, s.CreateApplication(ctx, a))
		if a.Version != 1 {
			t.Fatalf("Version = %d, want 1", a.Version)
		}
		got, err := s.Application(ctx, a.Number)
		must(t, err)
		if !reflect.DeepEqual(got, a) {
			t.Fatalf("read back\n%+v\nwant\n%+v", got, a)
		}
		if act, err := s.ActiveApplication(ctx, a.AccountID, a.Certificate); err != nil || act.Number != a.Number {
			t.Fatalf("ActiveApplication = %v, %v", act, err)
		}

		t.Run("the same number twice is ErrDuplicate", func(t *testing.T) {
			b := f.application(a.Number)
			b.Certificate = certificate.MustParseNumber("20134500122000790")
			err := s.CreateApplication(ctx, b)
			if !errors.Is(err, store.ErrDuplicate) || !errors.Is(err, registration.ErrDuplicate) {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("a second active application for the certificate is ErrActiveApplication", func(t *testing.T) {
			err := s.CreateApplication(ctx, f.application("20264500000002"))
			if !errors.Is(err, registration.ErrActiveApplication) {
				t.Fatalf("err = %v", err)
			}
		})

		t.Run("a confirmation point confirms with a message", func(t *testing.T) {
			must(t, a.Transition(registration.StatusConfirmed, registration.ActorConfirmationPoint, t0.Add(time.Hour), "材料齐全"))
			must(t, a.AddMessage(registration.ActorConfirmationPoint, t0.Add(time.Hour), "请于周五前补交学历证书复印件"))
			must(t, s.SaveApplicationAs(ctx, a, "point-tianhe"))
			if a.Version != 2 {
				t.Fatalf("Version = %d, want 2", a.Version)
			}
			got, _ := s.Application(ctx, a.Number)
			if !reflect.DeepEqual(got, a) {
				t.Fatalf("read back\n%+v\nwant\n%+v", got, a)
			}
			if !got.HasUnread() {
				t.Fatal("new message not unread")
			}
		})
		t.Run("the applicant reads the message", func(t *testing.T) {
			a.MarkRead()
			must(t, s.SaveApplication(ctx, a))
			got, _ := s.Application(ctx, a.Number)
			if got.HasUnread() || got.Version != 3 {
				t.Fatalf("after MarkRead: unread %v, version %d", got.HasUnread(), got.Version)
			}
		})
		t.Run("a stale version is ErrConflict and writes nothing", func(t *testing.T) {
			stale, _ := s.Application(ctx, a.Number)
			stale.Version--
			must(t, stale.Transition(registration.StatusPending, registration.ActorAuthority, t0.Add(2*time.Hour), "退回"))
			err := s.SaveApplication(ctx, stale)
			if !errors.Is(err, store.ErrConflict) || !errors.Is(err, registration.ErrConflict) {
				t.Fatalf("err = %v", err)
			}
			got, _ := s.Application(ctx, a.Number)
			if got.Status != registration.StatusConfirmed || len(got.Events) != 2 {
				t.Fatalf("stale save changed the application: %+v", got)
			}
		})
		t.Run("an unknown number is ErrNotFound", func(t *testing.T) {
			b := f.application("20264500009999")
			b.Version = 1
			if err := s.SaveApplication(ctx, b); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("save: %v", err)
			}
			if _, err := s.Application(ctx, "20264500009999"); !errors.Is(err, registration.ErrNotFound) {
				t.Fatalf("load: %v", err)
			}
		})
		t.Run("the authority concludes 注册合格; the history names who did what", func(t *testing.T) {
			at := t0.Add(48 * time.Hour)
			must(t, a.Transition(registration.StatusQualified, registration.ActorAuthority, at, "学时、考核均合格"))
			must(t, s.SaveApplicationAs(ctx, a, "authority-nanning"))
			h, err := s.ApplicationHistory(ctx, a.Number)
			must(t, err)
			var names []string
			for _, e := range h {
				names = append(names, fmt.Sprintf("%s:%d->%d", e.ActorName, e.From, e.To))
			}
			if want := ":0->1 point-tianhe:1->2 authority-nanning:2->3"; strings.Join(names, " ") != want {
				t.Fatalf("history %q, want %q", strings.Join(names, " "), want)
			}
			if last, err := s.LastQualified(ctx, a.Certificate); err != nil || !last.Equal(at) {
				t.Fatalf("LastQualified = %v, %v; want %v", last, err, at)
			}
			if _, err := s.ActiveApplication(ctx, a.AccountID, a.Certificate); !errors.Is(err, registration.ErrNotFound) {
				t.Fatalf("a concluded application is still active: %v", err)
			}
			// A final application no longer blocks a new one.
			must(t, s.CreateApplication(ctx, f.application("20264500000003")))
			list, err := s.ApplicationsOf(ctx, a.AccountID)
			if err != nil || len(list) != 2 || list[0].Number != "20264500000003" {
				t.Fatalf("ApplicationsOf = %v, %v", list, err)
			}
		})
	})
}

func TestQueue(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		b, err := s.CreateAccount(ctx, newAccount("44010619880315001X", "李四"))
		must(t, err)
		a1 := f.application("20264500000001")
		must(t, s.CreateApplication(ctx, a1))
		a2 := f.application("20264500000002")
		a2.AccountID, a2.SubmittedAt = fmt.Sprint(b.ID), t0.Add(time.Minute)
		must(t, s.CreateApplication(ctx, a2))
		must(t, a2.Transition(registration.StatusConfirmed, registration.ActorConfirmationPoint, t0.Add(time.Hour), ""))
		must(t, s.SaveApplication(ctx, a2))

		numbers := func(items []store.QueueItem) string {
			var out []string
			for _, it := range items {
				out = append(out, it.Application.Number+"/"+it.Name)
			}
			return strings.Join(out, ",")
		}
		for _, tc := range []struct {
			name string
			q    store.QueueQuery
			want string
		}{
			{"point, pending", store.QueueQuery{PointID: f.point.ID, Statuses: []registration.Status{registration.StatusPending}}, "20264500000001/张三"},
			{"authority, confirmed", store.QueueQuery{AuthorityID: f.auth.ID, Statuses: []registration.Status{registration.StatusConfirmed}}, "20264500000002/李四"},
			{"authority, all, oldest first", store.QueueQuery{AuthorityID: f.auth.ID}, "20264500000001/张三,20264500000002/李四"},
			{"search by number", store.QueueQuery{PointID: f.point.ID, Search: "20264500000002"}, "20264500000002/李四"},
			{"search by document (lower-case x)", store.QueueQuery{PointID: f.point.ID, Search: "11010519491231002x"}, "20264500000001/张三"},
			{"search by name", store.QueueQuery{PointID: f.point.ID, Search: "李四"}, "20264500000002/李四"},
			{"another point sees nothing", store.QueueQuery{PointID: "999999"}, ""},
			{"a malformed id sees nothing", store.QueueQuery{AuthorityID: "x"}, ""},
			{"limit", store.QueueQuery{AuthorityID: f.auth.ID, Limit: 1, Offset: 1}, "20264500000002/李四"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				items, err := s.Queue(ctx, tc.q)
				must(t, err)
				if got := numbers(items); got != tc.want {
					t.Fatalf("got %q, want %q", got, tc.want)
				}
			})
		}
	})
}

func TestNextSequence(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for _, tc := range []struct {
			year int
			prov string
			want int64
		}{{2026, "45", 1}, {2026, "45", 2}, {2026, "44", 1}, {2027, "45", 1}, {2026, "45", 3}} {
			n, err := s.NextSequence(ctx, tc.year, tc.prov)
			if err != nil || n != tc.want {
				t.Errorf("NextSequence(%d, %s) = %d, %v; want %d", tc.year, tc.prov, n, err, tc.want)
			}
		}
		if _, err := s.NextSequence(ctx, 2026, "4'"); err == nil {
			t.Error("a malformed province was accepted")
		}
		// Inside a transaction too (the wizard may run in one).
		must(t, s.RunInTx(ctx, func(ctx context.Context, tx *store.Store) error {
			n, err := tx.NextSequence(ctx, 2028, "11")
			if err == nil && n != 1 {
				t.Errorf("first of 2028/11 in a transaction = %d", n)
			}
			return err
		}))
	})
}

func TestRestrictionsCycleRecordsDraftsPhotos(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)

		e, err := s.AddRestriction(ctx, store.RestrictionEntry{DocType: account.DocResidentID, DocNumber: f.acct.DocNumber,
			Restriction: registration.Restriction{Kind: registration.RestrictionCheating, Since: t0, Note: "2025年考试作弊"}})
		must(t, err)
		rs, err := s.Restrictions(ctx, account.DocResidentID, f.acct.DocNumber)
		if err != nil || len(rs) != 1 || rs[0] != e.Restriction {
			t.Fatalf("Restrictions = %+v, %v", rs, err)
		}
		if rs, _ := s.Restrictions(ctx, account.DocPassport, f.acct.DocNumber); len(rs) != 0 {
			t.Fatalf("another document type sees %v", rs)
		}
		if l, _ := s.ListRestrictions(ctx, 0); len(l) != 1 || l[0].ID != e.ID {
			t.Fatalf("ListRestrictions = %+v", l)
		}
		must(t, s.DeleteRestriction(ctx, e.ID))
		if err := s.DeleteRestriction(ctx, e.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("second delete: %v", err)
		}

		rec := registration.CycleRecord{TrainingHours: 372, Appraisals: []registration.Appraisal{registration.AppraisalCompetent,
			registration.AppraisalExcellent, registration.AppraisalIncompetent}, AbsentBeyondSemester: true}
		if _, err := s.CycleRecord(ctx, f.cert.Number); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("no record: %v", err)
		}
		must(t, s.SaveCycleRecord(ctx, f.cert.Number, rec, t0, "authority-nanning"))
		rec.TrainingHours = 380
		must(t, s.SaveCycleRecord(ctx, f.cert.Number, rec, t0, "authority-nanning"))
		if got, err := s.CycleRecord(ctx, f.cert.Number); err != nil || !reflect.DeepEqual(got, rec) {
			t.Fatalf("CycleRecord = %+v, %v", got, err)
		}

		if _, _, err := s.Draft(ctx, f.acct.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("no draft: %v", err)
		}
		must(t, s.SaveDraft(ctx, f.acct.ID, `{"step":1}`, t0))
		must(t, s.SaveDraft(ctx, f.acct.ID, `{"step":2}`, t0.Add(time.Minute)))
		if st, at, err := s.Draft(ctx, f.acct.ID); err != nil || st != `{"step":2}` || !at.Equal(t0.Add(time.Minute)) {
			t.Fatalf("Draft = %q %v %v", st, at, err)
		}
		must(t, s.DeleteDraft(ctx, f.acct.ID))
		must(t, s.DeleteDraft(ctx, f.acct.ID))

		other, err := s.CreateAccount(ctx, newAccount("44010619880315001X", "李四"))
		must(t, err)
		if data, err := s.PhotoOf(ctx, f.acct.ID, f.photo); err != nil || string(data) != "jpeg bytes" {
			t.Fatalf("PhotoOf owner = %q, %v", data, err)
		}
		if _, err := s.PhotoOf(ctx, other.ID, f.photo); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("PhotoOf another account: %v", err)
		}
		if f.photo != store.PhotoKey([]byte("jpeg bytes")) {
			t.Fatalf("key %s is not the content address", f.photo)
		}
		if _, err := s.Photo(ctx, strings.Repeat("0", 64)); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown photo: %v", err)
		}
		for _, size := range []int{0, store.MaxPhotoBytes + 1} {
			if _, err := s.SavePhoto(ctx, f.acct.ID, make([]byte, size), t0); !errors.Is(err, store.ErrPhotoTooLarge) {
				t.Errorf("photo of %d bytes: %v", size, err)
			}
		}
		if _, err := s.SavePhoto(ctx, f.acct.ID, make([]byte, store.MaxPhotoBytes), t0); err != nil {
			t.Errorf("photo of exactly 200 KB: %v", err)
		}

		cert := certificate.MustParseNumber("20104500221000111")
		must(t, s.ImportQualified(ctx, cert, t0))
		if last, err := s.LastQualified(ctx, cert); err != nil || !last.Equal(t0) {
			t.Fatalf("LastQualified imported = %v, %v", last, err)
		}
		if last, err := s.LastQualified(ctx, certificate.MustParseNumber("20104500221000112")); err != nil || !last.IsZero() {
			t.Fatalf("LastQualified never = %v, %v", last, err)
		}
	})
}

func TestSubmitNumbersAndCreatesAllOrNothing(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		a := f.application("")
		must(t, registration.Submit(ctx, s, nil, a, f.auth.Province))
		if a.Number != "20264500000001" || a.Version != 1 {
			t.Fatalf("submitted: number %s version %d", a.Number, a.Version)
		}
		got, err := s.Application(ctx, a.Number)
		if err != nil || !reflect.DeepEqual(got, a) {
			t.Fatalf("read back\n%+v (%v)\nwant\n%+v", got, err, a)
		}

		// A second submission for the certificate is refused and leaves nothing behind.
		b := f.application("")
		if err := registration.Submit(ctx, s, nil, b, f.auth.Province); !errors.Is(err, registration.ErrActiveApplication) {
			t.Fatalf("second submit: %v", err)
		}
		if b.Version != 0 {
			t.Fatalf("refused submission has version %d", b.Version)
		}
		// (On Postgres CreateNumbered clears b.Number before the statement: count the rows.)
		applications := func() int {
			var n int
			must(t, s.DB().NewRaw("SELECT count(*) FROM applications").Scan(ctx, &n))
			return n
		}
		if n := applications(); n != 1 {
			t.Fatalf("%d applications stored after the refused submission, want the first only", n)
		}

		// A submission referring to a photo that was never stored is refused as not found,
		// without its application or event.
		d := f.application("")
		d.Certificate, d.Photo = certificate.MustParseNumber("20134500122000791"), strings.Repeat("ab", 32)
		if err := registration.Submit(ctx, s, nil, d, f.auth.Province); !errors.Is(err, store.ErrNotFound) {
			var se *store.Error
			errors.As(err, &se)
			t.Fatalf("submission with an unknown photo: %v (%s)", err, se.LogString())
		}
		if n := applications(); n != 1 {
			t.Fatalf("%d applications stored after the submission with an unknown photo, want the first only", n)
		}
		var events int
		must(t, s.DB().NewRaw("SELECT count(*) FROM application_events").Scan(ctx, &events))
		if events != 1 {
			t.Fatalf("%d events stored, want the first submission's only", events)
		}
	})
}

// TestCreateApplicationStoresWhatItIsGiven covers both ways of writing a new application on
// Postgres (one statement; a transaction for messages and hand-added certificates) and the
// transaction on SQLite: what is read back equals what was created.
func TestCreateApplicationStoresWhatItIsGiven(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		certs := 0
		for _, tc := range []struct {
			name string
			edit func(a *registration.Application)
		}{
			{"one event", func(a *registration.Application) {}},
			{"no photo, window or event", func(a *registration.Application) {
				a.Photo, a.Info.Photo, a.WindowID, a.Events = "", "", "", nil
			}},
			{"three events in order, photo changed", func(a *registration.Application) {
				a.Status, a.PhotoChangedAt = registration.StatusConfirmed, t0.Add(time.Hour)
				a.Events = append(a.Events,
					registration.Event{Actor: registration.ActorConfirmationPoint, From: registration.StatusPending, To: registration.StatusPending, At: t0.Add(time.Minute), Note: "照片更换"},
					registration.Event{Actor: registration.ActorConfirmationPoint, From: registration.StatusPending, To: registration.StatusConfirmed, At: t0.Add(2 * time.Minute), Note: "现场确认"})
			}},
			{"with a message", func(a *registration.Application) {
				a.Messages = []registration.Message{{From: registration.ActorConfirmationPoint, At: t0, Text: "请带原件"}}
			}},
			{"with a hand-added certificate", func(a *registration.Application) {
				c := f.cert
				c.Number, c.Manual = a.Certificate, true
				a.ManualCertificate = &c
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				certs++
				a := f.application(fmt.Sprintf("202645%08d", 100+certs))
				a.Certificate = certificate.MustParseNumber(fmt.Sprintf("20134500122%06d", 100+certs))
				tc.edit(a)
				must(t, s.CreateApplication(ctx, a))
				got, err := s.Application(ctx, a.Number)
				if err != nil || !reflect.DeepEqual(got, a) {
					t.Fatalf("read back\n%+v (%v)\nwant\n%+v", got, err, a)
				}
				if a.ManualCertificate != nil {
					if c, err := s.CertificateByNumber(ctx, a.Certificate); err != nil || !c.Manual || c.HolderName != f.cert.HolderName {
						t.Fatalf("hand-added certificate stored as %+v, %v", c, err)
					}
				}
				// The events were numbered from 0: a later save appends after them.
				a.Events = append(a.Events, registration.Event{Actor: registration.ActorApplicant, From: a.Status, To: a.Status, At: t0.Add(time.Hour), Note: "修改报名信息"})
				must(t, s.SaveApplication(ctx, a))
				if got, err = s.Application(ctx, a.Number); err != nil || !reflect.DeepEqual(got, a) {
					t.Fatalf("after a save\n%+v (%v)\nwant\n%+v", got, err, a)
				}
			})
		}
	})
}

// TestLastQualifiedIsTheLaterOfHistoryAndEvents: the imported history and this system's
// 注册合格 events both count, whichever is later; other conclusions and certificates do not.
func TestLastQualifiedIsTheLaterOfHistoryAndEvents(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		day := func(n int) time.Time { return t0.Add(time.Duration(n) * 24 * time.Hour) }
		// Qualified in this system on days 2 and 4 (two applications in turn); another certificate on day 9.
		qualify := func(number string, cert certificate.Number, at time.Time) {
			t.Helper()
			a := f.application(number)
			a.Certificate = cert
			a.Status = registration.StatusConfirmed
			must(t, s.CreateApplication(ctx, a))
			must(t, a.Transition(registration.StatusQualified, registration.ActorAuthority, at, ""))
			must(t, s.SaveApplication(ctx, a))
		}
		qualify("20264500000011", f.cert.Number, day(2))
		qualify("20264500000012", f.cert.Number, day(4))
		other := certificate.MustParseNumber("20134500122000999")
		qualify("20264500000013", other, day(9))
		// Withdrawn later on the same certificate: not a qualification.
		w := f.application("20264500000014")
		must(t, s.CreateApplication(ctx, w))
		must(t, w.Transition(registration.StatusWithdrawn, registration.ActorApplicant, day(6), ""))
		must(t, s.SaveApplication(ctx, w))

		for _, tc := range []struct {
			name     string
			imported time.Time
			want     time.Time
		}{
			{"events only: the latest event", time.Time{}, day(4)},
			{"imported earlier: the event", day(1), day(4)},
			{"imported later: the import", day(5), day(5)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if !tc.imported.IsZero() {
					must(t, s.ImportQualified(ctx, f.cert.Number, tc.imported))
				}
				if last, err := s.LastQualified(ctx, f.cert.Number); err != nil || !last.Equal(tc.want) || last.Location() != time.UTC {
					t.Fatalf("LastQualified = %v, %v; want %v UTC", last, err, tc.want)
				}
			})
		}
	})
}

// TestCreateNumberedContinuesTheStoresSequence: CreateNumbered issues the numbers
// registration.SequenceNumbers over the store would (the one-statement path on Postgres and
// NextSequence + CreateApplication elsewhere draw from the same sequence), by the year in China
// Standard Time, and refuses like CreateApplication.
func TestCreateNumberedContinuesTheStoresSequence(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		certs := 0
		app := func(at time.Time) *registration.Application {
			certs++
			a := f.application("")
			a.Certificate = certificate.MustParseNumber(fmt.Sprintf("20134500122%06d", 500+certs))
			a.SubmittedAt, a.Events[0].At = at, at
			return a
		}
		if n, err := s.NextSequence(ctx, 2026, "45"); err != nil || n != 1 {
			t.Fatalf("NextSequence = %d, %v", n, err)
		}
		a := app(t0)
		must(t, s.CreateNumbered(ctx, a, "45"))
		if a.Number != "20264500000002" || a.Version != 1 {
			t.Fatalf("numbered %q version %d; want 20264500000002, 1", a.Number, a.Version)
		}
		if got, err := s.Application(ctx, a.Number); err != nil || !reflect.DeepEqual(got, a) {
			t.Fatalf("read back\n%+v (%v)\nwant\n%+v", got, err, a)
		}
		if n, err := s.NextSequence(ctx, 2026, "45"); err != nil || n != 3 {
			t.Fatalf("NextSequence after CreateNumbered = %d, %v", n, err)
		}
		// Inside a caller's transaction (NextSequence + CreateApplication there).
		b := app(t0)
		must(t, s.RunInTx(ctx, func(ctx context.Context, tx *store.Store) error { return tx.CreateNumbered(ctx, b, "45") }))
		if b.Number != "20264500000004" {
			t.Fatalf("numbered in a transaction: %q", b.Number)
		}
		// New Year's Eve 16:30 UTC is already 2027 in China.
		c := app(time.Date(2026, 12, 31, 16, 30, 0, 0, time.UTC))
		must(t, s.CreateNumbered(ctx, c, "45"))
		if c.Number != "20274500000001" {
			t.Fatalf("numbered at 2027-01-01 00:30 CST: %q", c.Number)
		}

		// A second active application for a certificate is refused, and nothing is stored.
		d := app(t0)
		d.Certificate = a.Certificate
		if err := s.CreateNumbered(ctx, d, "45"); !errors.Is(err, registration.ErrActiveApplication) || d.Version != 0 {
			t.Fatalf("second active application: %v, version %d", err, d.Version)
		}
		// An exhausted sequence is ErrSequenceExhausted, and nothing is stored.
		_, err := s.NextSequence(ctx, 2028, "45")
		must(t, err)
		if s.Backend() == store.Postgres {
			_, err = s.DB().ExecContext(ctx, "SELECT setval('application_seq_2028_45', ?)", registration.MaxSequence)
		} else {
			_, err = s.DB().ExecContext(ctx, "UPDATE application_sequences SET last = ? WHERE year = 2028 AND province = '45'", registration.MaxSequence)
		}
		must(t, err)
		e := app(time.Date(2028, 3, 1, 0, 0, 0, 0, time.UTC))
		if err := s.CreateNumbered(ctx, e, "45"); !errors.Is(err, registration.ErrSequenceExhausted) || e.Version != 0 {
			t.Fatalf("exhausted sequence: %v, version %d", err, e.Version)
		}
		var stored int
		must(t, s.DB().NewRaw("SELECT count(*) FROM applications").Scan(ctx, &stored))
		if stored != 3 {
			t.Fatalf("%d applications stored, want 3", stored)
		}
	})
}
