package faulttest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/form"
	"github.com/tqreg/tqreg/registration"
)

// TestReadReplica runs the store and the portal against a real streaming replica of the test
// Postgres (see standby): which reads the replica serves, that writes and transactions never
// reach it, read-your-writes for an applicant's own applications, the lag of a write, and the
// fallback to the primary when the replica stops.
func TestReadReplica(t *testing.T) {
	admin := gate(t)
	rep := startStandby(t, admin)
	dsn := freshDB(t, admin)
	replicaDSN := rep.DSN(dbName(t, dsn))
	rep.catchUp() // the new database exists on the replica before the store connects
	ctx := context.Background()

	logs := &syncBuffer{}
	st, err := store.Open(ctx, dsn, store.WithLogger(slog.New(slog.NewTextHandler(logs, nil))), store.WithReplica(replicaDSN))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	f := newReplicaFixture(t, st)
	t.Logf("replica replayed the migrations and the fixture %s after they were written", rep.catchUp().Round(time.Millisecond))

	t.Run("the replica is a hot standby that refuses writes", func(t *testing.T) {
		var inRecovery bool
		if err := rep.query(dbName(t, dsn), "SELECT pg_is_in_recovery()", &inRecovery); err != nil || !inRecovery {
			t.Fatalf("replica pg_is_in_recovery() = %v, %v; want true", inRecovery, err)
		}
		c, err := pgx.Connect(ctx, replicaDSN)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(ctx)
		_, err = c.Exec(ctx, "UPDATE certificates SET subject = subject")
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "25006" { // read_only_sql_transaction
			t.Fatalf("a write on the replica: %v, want SQLSTATE 25006", err)
		}
	})

	t.Run("lag-tolerant reads are answered by the replica", func(t *testing.T) {
		before := st.ReplicaStats()
		certs, err := st.CertificatesOf(ctx, f.acct.DocType, f.acct.DocNumber, f.acct.Name)
		if err != nil || !hasCert(certs, f.cert.Number) {
			t.Fatalf("CertificatesOf = %v, %v; want the fixture's certificate", certs, err)
		}
		if _, err := st.SearchSchools(ctx, "学校", 5); err != nil {
			t.Fatal(err)
		}
		after := st.ReplicaStats()
		if !after.Configured || after.Reads != before.Reads+2 || after.Fallbacks != before.Fallbacks {
			t.Fatalf("replica stats %+v after two reads, before %+v: want two more reads, no fallback", after, before)
		}
	})

	t.Run("with replay paused only the primary has a new write", func(t *testing.T) {
		rep.pauseReplay()
		resumed := false
		defer func() {
			if !resumed {
				rep.resumeReplay()
			}
		}()
		// Writes go to the primary: on the replica each would fail with SQLSTATE 25006.
		c2 := f.cert
		c2.Number = certificate.MustParseNumber("20134500122000790")
		if err := st.AddCertificate(ctx, c2, 0); err != nil {
			t.Fatalf("AddCertificate: %v", err)
		}
		app := f.application("20264500000001")
		if err := st.CreateApplication(ctx, app); err != nil {
			t.Fatalf("CreateApplication: %v", err)
		}
		win, err := st.SaveWindow(ctx, registration.Window{AuthorityID: f.auth.ID, Stage: registration.StageJuniorMiddle,
			Opens: t0.Add(time.Hour), Closes: t0.Add(10 * 24 * time.Hour)})
		if err != nil {
			t.Fatalf("SaveWindow: %v", err)
		}
		written := time.Now()

		certs, err := st.CertificatesOf(ctx, f.acct.DocType, f.acct.DocNumber, f.acct.Name)
		if err != nil {
			t.Fatal(err)
		}
		if hasCert(certs, c2.Number) {
			t.Error("CertificatesOf shows the certificate the replica has not replayed: it was not read from the replica")
		}
		err = st.RunInTx(ctx, func(ctx context.Context, tx *store.Store) error {
			certs, err := tx.CertificatesOf(ctx, f.acct.DocType, f.acct.DocNumber, f.acct.Name)
			if err == nil && !hasCert(certs, c2.Number) {
				t.Error("CertificatesOf inside a transaction misses the new certificate: it did not read the primary")
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		apps, err := st.ApplicationsOf(ctx, app.AccountID)
		if err != nil || len(apps) != 1 || apps[0].Number != app.Number {
			t.Errorf("ApplicationsOf right after submitting = %v, %v; want the new application (read-your-writes from the primary)", apps, err)
		}
		if cat, err := st.Catalogue(ctx); err != nil || !hasWindow(cat, win.ID) {
			t.Errorf("Catalogue right after this store saved a window misses it (%v): own catalogue writes must be read from the primary", err)
		}
		// Another portal process (its own Store, nothing cached) reads the catalogue from the replica.
		other, err := store.Open(ctx, dsn, store.WithLogger(slog.New(slog.DiscardHandler)), store.WithReplica(replicaDSN))
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		if cat, err := other.Catalogue(ctx); err != nil || hasWindow(cat, win.ID) {
			t.Errorf("another store's Catalogue shows the window the replica has not replayed (%v): not read from the replica", err)
		}

		rep.resumeReplay()
		resumed = true
		caught := rep.catchUp()
		t.Logf("after replay resumed, the replica caught up in %s", caught.Round(time.Millisecond))
		if certs, err := st.CertificatesOf(ctx, f.acct.DocType, f.acct.DocNumber, f.acct.Name); err != nil || !hasCert(certs, c2.Number) {
			t.Errorf("CertificatesOf after the replica caught up = %v, %v; want the new certificate", certs, err)
		}
		// other cached the old catalogue for up to a second (catalogueTTL)
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			cat, err := other.Catalogue(ctx)
			if err == nil && hasWindow(cat, win.ID) {
				t.Logf("another store saw the new window %s after it was written (1 s catalogue cache + the paused replay)", time.Since(written).Round(time.Millisecond))
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("another store never saw the new window: %v", err)
			}
		}
		if s := st.ReplicaStats(); s.Fallbacks != 0 {
			t.Errorf("%d reads fell back to the primary while the replica was up", s.Fallbacks)
		}
	})

	t.Run("a write shows on the replica after the streaming lag", func(t *testing.T) {
		c3 := f.cert
		c3.Number = certificate.MustParseNumber("20134500122000791")
		if err := st.AddCertificate(ctx, c3, 0); err != nil {
			t.Fatal(err)
		}
		before := st.ReplicaStats()
		written := time.Now()
		for deadline := written.Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
			certs, err := st.CertificatesOf(ctx, f.acct.DocType, f.acct.DocNumber, f.acct.Name)
			if err == nil && hasCert(certs, c3.Number) {
				t.Logf("a committed certificate was readable through the replica %s after its write returned", time.Since(written).Round(100*time.Microsecond))
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the new certificate never showed through the replica: %v", err)
			}
		}
		if s := st.ReplicaStats(); s.Reads <= before.Reads || s.Fallbacks != before.Fallbacks {
			t.Errorf("stats %+v after polling, before %+v: the reads were not all answered by the replica", s, before)
		}
	})

	t.Run("a stopped replica: reads fall back to the primary with a warning", func(t *testing.T) {
		rep.stop()
		before := st.ReplicaStats()
		certs, err := st.CertificatesOf(ctx, f.acct.DocType, f.acct.DocNumber, f.acct.Name)
		if err != nil || !hasCert(certs, f.cert.Number) {
			t.Fatalf("CertificatesOf with the replica stopped = %v, %v; want the primary's answer", certs, err)
		}
		s := st.ReplicaStats()
		if s.Fallbacks != before.Fallbacks+1 || !s.Down {
			t.Errorf("stats after the first read on a stopped replica %+v, before %+v: want one fallback, down", s, before)
		}
		if !strings.Contains(logs.String(), "read replica failed; reading from the primary") {
			t.Errorf("no warning logged for the fallback; log:\n%s", logs.String())
		}
		// Within replicaRetry the replica is not tried again: no further fallback, no delay.
		for range 3 {
			if _, err := st.CertificatesOf(ctx, f.acct.DocType, f.acct.DocNumber, f.acct.Name); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := st.SearchSchools(ctx, "学校", 5); err != nil {
			t.Fatal(err)
		}
		if got := st.ReplicaStats(); got.Fallbacks != s.Fallbacks || got.Reads != s.Reads {
			t.Errorf("stats %+v after more reads within the retry pause, want them unchanged from %+v", got, s)
		}

		rep.start()
		time.Sleep(5*time.Second + 100*time.Millisecond) // replicaRetry
		if _, err := st.CertificatesOf(ctx, f.acct.DocType, f.acct.DocNumber, f.acct.Name); err != nil {
			t.Fatal(err)
		}
		if got := st.ReplicaStats(); got.Reads != s.Reads+1 || got.Down {
			t.Errorf("stats %+v after the replica came back, want one more replica read than %+v", got, s)
		}
		if !strings.Contains(logs.String(), "read replica answers again") {
			t.Errorf("the replica's return was not logged")
		}
	})

	t.Run("a replica cut off from its primary is not read", func(t *testing.T) {
		rep.catchUp()
		rep.cutOff()
		time.Sleep(time.Second + 100*time.Millisecond) // replicaCheckEvery: the next read checks
		before := st.ReplicaStats()
		certs, err := st.CertificatesOf(ctx, f.acct.DocType, f.acct.DocNumber, f.acct.Name)
		if err != nil || !hasCert(certs, f.cert.Number) {
			t.Fatalf("CertificatesOf with the replica cut off = %v, %v; want the primary's answer", certs, err)
		}
		if s := st.ReplicaStats(); s.Reads != before.Reads || s.Fallbacks != before.Fallbacks+1 {
			t.Errorf("stats %+v, before %+v: want the read on the primary, one fallback", s, before)
		}
		if !strings.Contains(logs.String(), "not a standby streaming from its primary") {
			t.Errorf("no warning that the replica stopped streaming; log:\n%s", logs.String())
		}
		rep.reconnect()
		time.Sleep(5*time.Second + 100*time.Millisecond) // replicaRetry
		if _, err := st.CertificatesOf(ctx, f.acct.DocType, f.acct.DocNumber, f.acct.Name); err != nil {
			t.Fatal(err)
		}
		if s := st.ReplicaStats(); s.Reads != before.Reads+1 {
			t.Errorf("stats %+v after the replica streams again, want one more replica read than %+v", s, before)
		}
	})

	t.Run("portal with -db-replica", func(t *testing.T) {
		pdsn := freshDB(t, admin)
		pb, lt := binaries(t)
		rep.catchUp() // the new database exists on the replica before the portal connects
		p := startPortal(t, pb, pdsn, 0, "-db-replica", rep.DSN(dbName(t, pdsn)))
		seedLoadUsers(t, lt, p.URL(), pdsn, 1)
		app := loginFirstLoadUser(t, p.URL())

		direct, err := store.Open(ctx, pdsn, store.WithLogger(slog.New(slog.DiscardHandler)))
		if err != nil {
			t.Fatal(err)
		}
		defer direct.Close()
		acct, err := direct.AccountByDocument(ctx, account.DocResidentID, firstLoadUserDoc)
		if err != nil {
			t.Fatal(err)
		}
		held, err := direct.CertificatesOf(ctx, acct.DocType, acct.DocNumber, acct.Name)
		if err != nil || len(held) == 0 {
			t.Fatalf("load user 0's certificates: %v, %v", held, err)
		}
		rep.catchUp()
		if page := app.get(t, p.URL()+"/certificates"); !strings.Contains(page, held[0].Number.String()) {
			t.Fatalf("本人查询 misses load user 0's certificate:\n%s", page)
		}

		rep.pauseReplay()
		n := held[0].Number.String()
		extra := certificate.Certificate{Number: certificate.MustParseNumber(n[:len(n)-6] + "999999"), HolderName: acct.Name,
			DocType: acct.DocType, DocNumber: acct.DocNumber, Kind: certificate.JuniorMiddle, Subject: "数学",
			Authority: "广州市教育局", Issued: time.Date(2012, 7, 1, 0, 0, 0, 0, time.UTC)}
		if err := direct.AddCertificate(ctx, extra, 0); err != nil {
			rep.resumeReplay()
			t.Fatal(err)
		}
		page := app.get(t, p.URL()+"/certificates")
		rep.resumeReplay()
		if strings.Contains(page, extra.Number.String()) {
			t.Error("本人查询 shows a certificate the paused replica has not replayed: the portal did not read it from the replica")
		}
		rep.catchUp()
		if page := app.get(t, p.URL()+"/certificates"); !strings.Contains(page, extra.Number.String()) {
			t.Error("本人查询 misses the new certificate after the replica caught up")
		}

		rep.stop()
		for _, path := range []string{"/certificates", "/platform/windows", "/platform/applications"} {
			page := app.get(t, p.URL()+path)
			if path == "/certificates" && !strings.Contains(page, extra.Number.String()) {
				t.Errorf("本人查询 with the replica stopped misses the certificate the primary has")
			}
		}
		if !strings.Contains(p.logText(), "read replica failed; reading from the primary") {
			t.Errorf("the portal logged no warning when it fell back to the primary:\n%s", p.logText())
		}
		if pan := p.panics(); len(pan) > 0 {
			t.Errorf("portal panicked: %v", pan)
		}
	})
}

// get fetches a page with the applicant's cookies and fails the test unless it is a 200.
func (a *applicant) get(t *testing.T, u string) string {
	t.Helper()
	res, err := a.c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", u, res.StatusCode)
	}
	return string(b)
}

func dbName(t *testing.T, dsn string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(u.Path, "/")
}

func hasCert(certs []certificate.Certificate, n certificate.Number) bool {
	return slices.ContainsFunc(certs, func(c certificate.Certificate) bool { return c.Number == n })
}

func hasWindow(cat *registration.Catalogue, id string) bool {
	return cat != nil && slices.ContainsFunc(cat.Windows, func(w registration.Window) bool { return w.ID == id })
}

// syncBuffer is a strings.Builder safe for the store's concurrent log writes.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var t0 = time.Date(2026, 9, 1, 8, 30, 0, 0, time.UTC)

// replicaFixture is a catalogue, an applicant with a certificate, a school and a photo.
type replicaFixture struct {
	acct  account.Account
	auth  registration.Authority
	point registration.ConfirmationPoint
	win   registration.Window
	cert  certificate.Certificate
	photo string
}

func newReplicaFixture(t *testing.T, s *store.Store) replicaFixture {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var f replicaFixture
	var err error
	must(s.AddProvince(ctx, registration.Province{Code: "45", Name: "广西壮族自治区"}))
	must(s.AddCity(ctx, registration.City{Code: "450100", Name: "南宁市", Province: "45"}))
	f.auth, err = s.SaveAuthority(ctx, registration.Authority{Name: "南宁市教育局", Province: "45", City: "450100",
		Stages: []registration.Stage{registration.StagePrimary, registration.StageJuniorMiddle},
		Kinds:  []certificate.Kind{certificate.Primary, certificate.JuniorMiddle}})
	must(err)
	f.point, err = s.SaveConfirmationPoint(ctx, registration.ConfirmationPoint{AuthorityID: f.auth.ID, Name: "青秀区确认点",
		ScopeText: "青秀区中小学教师", Scope: registration.Scope{Stages: []registration.Stage{registration.StagePrimary}}})
	must(err)
	f.win, err = s.SaveWindow(ctx, registration.Window{AuthorityID: f.auth.ID, Stage: registration.StagePrimary,
		Opens: t0.Add(-time.Hour), Closes: t0.Add(30 * 24 * time.Hour)})
	must(err)
	f.acct, err = s.CreateAccount(ctx, account.Account{DocType: account.DocResidentID, DocNumber: "11010519491231002X",
		Name: "张三", Phone: "13800138000", Email: "a@example.com", RegisteredAt: t0,
		PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$a2V5", PasswordChangedAt: t0})
	must(err)
	f.cert = certificate.Certificate{Number: certificate.MustParseNumber("20134500122000789"), HolderName: "张三",
		DocType: account.DocResidentID, DocNumber: f.acct.DocNumber, Kind: certificate.Primary, Subject: "语文",
		Authority: "南宁市教育局", Issued: time.Date(2013, 8, 1, 0, 0, 0, 0, time.UTC)}
	must(s.AddCertificate(ctx, f.cert, 0))
	_, err = s.AddSchool(ctx, store.School{Name: "南宁师范学校", Type: form.SchoolTypeOther})
	must(err)
	f.photo, err = s.SavePhoto(ctx, f.acct.ID, []byte("jpeg bytes"), t0)
	must(err)
	return f
}

func (f replicaFixture) application(number string) *registration.Application {
	return &registration.Application{
		Number: number, AccountID: fmt.Sprint(f.acct.ID), Certificate: f.cert.Number, Kind: f.cert.Kind,
		Stage: registration.StagePrimary, Subject: "01",
		Info: form.RegistrationInfo{Mandarin: form.MandarinCertificate{Number: "4501000200456", Level: form.MandarinFirstB},
			Education: form.EducationBachelor, Degree: form.DegreeBachelor, Major: "汉语言文学",
			GraduationSchool: "南宁师范学校", GraduationDate: form.Date{Year: 2012, Month: 6, Day: 30},
			School: "南宁市第一小学", Postcode: "530022", Photo: f.photo},
		Photo: f.photo, WindowID: f.win.ID, AuthorityID: f.auth.ID, ConfirmationPointID: f.point.ID,
		Status: registration.StatusPending, SubmittedAt: t0,
		Events: []registration.Event{{Actor: registration.ActorApplicant, To: registration.StatusPending, At: t0, Note: "网上报名"}},
	}
}
