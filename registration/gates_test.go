package registration_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/registration"
	"github.com/tqreg/tqreg/registration/registrationtest"
)

var (
	primaryCert = certificate.MustParseNumber("20154400121000123")
	seniorCert  = certificate.MustParseNumber("20154400141000124")
	who         = registration.Applicant{AccountID: "acc-1", DocType: account.DocResidentID, DocNumber: "440106199001011234", Name: "张三"}
)

func goodChoice() registration.Choice {
	return registration.Choice{Certificate: primaryCert, Kind: certificate.Primary, Stage: primary,
		Subject: "01", District: "440106", AuthorityID: "gz-th", PointID: "th-2"}
}

func TestCheckChoiceGates(t *testing.T) {
	tests := []struct {
		name string
		edit func(*registration.Choice)
		now  time.Time
		want error
	}{
		{"a fitting choice in an open window passes", func(*registration.Choice) {}, inside, nil},
		{"the window's first instant passes", func(*registration.Choice) {}, opens, nil},
		{"before the window", func(*registration.Choice) {}, opens.Add(-time.Second), registration.ErrNotOpenYet},
		{"after the window", func(*registration.Choice) {}, closes, registration.ErrClosed},
		{"a stage without a plan", func(c *registration.Choice) {
			c.AuthorityID, c.PointID, c.Stage, c.Kind = "sz", "sz-1", registration.StageKindergarten, certificate.Kindergarten
			c.District = "440304"
		}, inside, registration.ErrNoPlan},
		{"高等学校 is not registrable", func(c *registration.Choice) { c.Kind = certificate.Higher }, inside, registration.ErrKindNotRegistrable},
		{"an unknown kind is not registrable", func(c *registration.Choice) { c.Kind = 0 }, inside, registration.ErrKindNotRegistrable},
		{"an unknown authority", func(c *registration.Choice) { c.AuthorityID = "nope" }, inside, registration.ErrUnknownAuthority},
		{"an authority without the right for the kind", func(c *registration.Choice) { c.Kind = certificate.SeniorMiddle }, inside, registration.ErrAuthorityNotAllowed},
		{"an authority without the right for the stage", func(c *registration.Choice) { c.Stage = registration.StageSeniorMiddle }, inside, registration.ErrAuthorityNotAllowed},
		{"an unknown point", func(c *registration.Choice) { c.PointID = "nope" }, inside, registration.ErrUnknownPoint},
		{"a foreign confirmation point", func(c *registration.Choice) { c.PointID = "nn-1" }, inside, registration.ErrPointNotOfAuthority},
		{"a point whose subject scope does not fit", func(c *registration.Choice) { c.Subject = "02" }, inside, registration.ErrPointOutOfScope},
		{"a point whose district scope does not fit", func(c *registration.Choice) { c.District = "440104" }, inside, registration.ErrPointOutOfScope},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := goodChoice()
			tt.edit(&c)
			w, err := registration.CheckChoice(catalogue(), c, tt.now)
			if tt.want == nil {
				if err != nil || w.ID != "w-th-p" {
					t.Fatalf("CheckChoice = %v, %v", w.ID, err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("CheckChoice error = %v, want %v", err, tt.want)
			}
			var re *registration.Error
			if !errors.As(err, &re) || re.Code == "" || re.Message == "" {
				t.Errorf("error %v is not a coded *Error", err)
			}
		})
	}
}

func TestCheckEligibilityGates(t *testing.T) {
	now := inside
	// 54 months before 2026-07-10 10:00 CST, written out rather than read from
	// ReregisterAfterMonths, so a wrong constant fails here.
	qualifiedAt := time.Date(2022, 1, 10, 10, 0, 0, 0, registration.CST)
	if !now.Equal(time.Date(2026, 7, 10, 10, 0, 0, 0, registration.CST)) {
		t.Fatalf("fixture moved: now = %v; recompute qualifiedAt", now)
	}
	tests := []struct {
		name  string
		setup func(*registrationtest.Memory)
		want  error
	}{
		{"nothing on record passes", func(*registrationtest.Memory) {}, nil},
		{"an active application of the same account and certificate", func(m *registrationtest.Memory) {
			mustCreate(t, m, &registration.Application{Number: "20264400000001", AccountID: who.AccountID, Certificate: primaryCert, Status: registration.StatusConfirmed})
		}, registration.ErrActiveApplication},
		{"a withdrawn application does not block", func(m *registrationtest.Memory) {
			mustCreate(t, m, &registration.Application{Number: "20264400000001", AccountID: who.AccountID, Certificate: primaryCert, Status: registration.StatusWithdrawn})
		}, nil},
		{"another certificate's application does not block", func(m *registrationtest.Memory) {
			mustCreate(t, m, &registration.Application{Number: "20264400000001", AccountID: who.AccountID, Certificate: seniorCert, Status: registration.StatusPending})
		}, nil},
		{"qualified 54 months less a day ago need not register", func(m *registrationtest.Memory) { m.SetQualified(primaryCert, qualifiedAt.AddDate(0, 0, 1)) }, registration.ErrRecentlyQualified},
		{"qualified exactly 54 months ago may register", func(m *registrationtest.Memory) { m.SetQualified(primaryCert, qualifiedAt) }, nil},
		{"qualified 54 months and a day ago may register", func(m *registrationtest.Memory) { m.SetQualified(primaryCert, qualifiedAt.AddDate(0, 0, -1)) }, nil},
		{"qualification lost long ago is for life", func(m *registrationtest.Memory) {
			m.AddRestriction(who.DocType, who.DocNumber, registration.Restriction{Kind: registration.RestrictionLost, Since: now.AddDate(-30, 0, 0)})
		}, registration.ErrRestricted},
		{"revoked 5 years less a day ago", func(m *registrationtest.Memory) {
			m.AddRestriction(who.DocType, who.DocNumber, registration.Restriction{Kind: registration.RestrictionRevoked, Since: now.AddDate(-5, 0, 1)})
		}, registration.ErrRestricted},
		{"revoked 5 years ago has expired", func(m *registrationtest.Memory) {
			m.AddRestriction(who.DocType, who.DocNumber, registration.Restriction{Kind: registration.RestrictionRevoked, Since: now.AddDate(-5, 0, 0)})
		}, nil},
		{"exam cheating 3 years less a day ago", func(m *registrationtest.Memory) {
			m.AddRestriction(who.DocType, who.DocNumber, registration.Restriction{Kind: registration.RestrictionCheating, Since: now.AddDate(-3, 0, 1)})
		}, registration.ErrRestricted},
		{"exam cheating 3 years ago has expired", func(m *registrationtest.Memory) {
			m.AddRestriction(who.DocType, who.DocNumber, registration.Restriction{Kind: registration.RestrictionCheating, Since: now.AddDate(-3, 0, 0)})
		}, nil},
		{"another person's restriction does not block", func(m *registrationtest.Memory) {
			m.AddRestriction(who.DocType, "440106199001019999", registration.Restriction{Kind: registration.RestrictionLost, Since: now.AddDate(-1, 0, 0)})
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &registrationtest.Memory{}
			tt.setup(m)
			err := registration.CheckEligibility(context.Background(), m, who, primaryCert, now)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("CheckEligibility = %v", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("CheckEligibility = %v, want %v", err, tt.want)
			}
			if strings.Contains(err.Error(), who.DocNumber) || strings.Contains(err.Error(), primaryCert.String()) {
				t.Errorf("message %q carries personal data", err)
			}
		})
	}
}

func TestCheckEligibilityStoreFailureIsNotAGate(t *testing.T) {
	boom := errors.New("database down")
	m := &registrationtest.Memory{Err: boom}
	err := registration.CheckEligibility(context.Background(), m, who, primaryCert, inside)
	if !errors.Is(err, boom) {
		t.Fatalf("error = %v, want the store's", err)
	}
	var re *registration.Error
	if errors.As(err, &re) {
		t.Errorf("a store failure looks like a gate: %v", re.Code)
	}
}

func mustCreate(t *testing.T, m *registrationtest.Memory, a *registration.Application) {
	t.Helper()
	if err := m.CreateApplication(context.Background(), a); err != nil {
		t.Fatal(err)
	}
}

func TestMemoryStoreOptimisticLocking(t *testing.T) {
	ctx := context.Background()
	m := &registrationtest.Memory{}
	mustCreate(t, m, &registration.Application{Number: "20264400000001", AccountID: "a", Certificate: primaryCert, Status: registration.StatusPending})
	r1, _ := m.Application(ctx, "20264400000001")
	r2, _ := m.Application(ctx, "20264400000001")
	if r1.Version != 1 {
		t.Fatalf("created version = %d", r1.Version)
	}
	if err := r1.Transition(registration.StatusConfirmed, registration.ActorConfirmationPoint, inside, ""); err != nil {
		t.Fatal(err)
	}
	if err := m.SaveApplication(ctx, r1); err != nil || r1.Version != 2 {
		t.Fatalf("first save: %v, version %d", err, r1.Version)
	}
	if err := r2.Transition(registration.StatusWithdrawn, registration.ActorApplicant, inside, ""); err != nil {
		t.Fatal(err)
	}
	if err := m.SaveApplication(ctx, r2); !errors.Is(err, registration.ErrConflict) {
		t.Fatalf("second save = %v, want ErrConflict", err)
	}
	got, _ := m.Application(ctx, "20264400000001")
	if got.Status != registration.StatusConfirmed || got.Version != 2 {
		t.Errorf("stored %v v%d", got.Status, got.Version)
	}
	if err := m.CreateApplication(ctx, &registration.Application{Number: "20264400000001", Status: registration.StatusPending}); !errors.Is(err, registration.ErrDuplicate) {
		t.Errorf("duplicate number: %v", err)
	}
	if err := m.CreateApplication(ctx, &registration.Application{Number: "20264400000002", AccountID: "a", Certificate: primaryCert, Status: registration.StatusPending}); !errors.Is(err, registration.ErrActiveApplication) {
		t.Errorf("second active application: %v", err)
	}
	if err := m.SaveApplication(ctx, &registration.Application{Number: "x"}); !errors.Is(err, registration.ErrNotFound) {
		t.Errorf("save unknown: %v", err)
	}
}
