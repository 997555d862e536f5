package registration_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/form"
	"github.com/tqreg/tqreg/photo"
	"github.com/tqreg/tqreg/registration"
	"github.com/tqreg/tqreg/registration/registrationtest"
)

var (
	higherCert = certificate.MustParseNumber("20154400171000125")
	oldCert    = certificate.MustParseNumber("20004400121000001") // before 2008: may be added by hand
)

func env(m *registrationtest.Memory) registration.Env {
	a := who
	a.Birth = time.Date(1982, 5, 1, 0, 0, 0, 0, registration.CST)
	return registration.Env{
		Now:       inside,
		Catalogue: catalogue(),
		Applicant: a,
		Certificates: []certificate.Certificate{
			{Number: primaryCert, Kind: certificate.Primary, HolderName: a.Name, DocType: a.DocType, DocNumber: a.DocNumber},
			{Number: higherCert, Kind: certificate.Higher, HolderName: a.Name, DocType: a.DocType, DocNumber: a.DocNumber},
		},
		PhotoReport: func(key string) (photo.Report, bool) {
			switch key {
			case "photo-ok", "photo-new":
				return photo.Report{Width: 295, Height: 413, Bytes: 100 << 10}, true
			case "photo-bad":
				return photo.Report{Width: 640, Height: 413, Bytes: 100 << 10, Problems: []photo.Problem{{Code: photo.CodeWidth, Message: "照片宽度为640像素，应大于290像素并小于300像素"}}}, true
			}
			return photo.Report{}, false
		},
		Store: m,
	}
}

func infoValues() url.Values {
	return url.Values{
		form.FieldMandarinNumber:      {"4400000000123"},
		form.FieldMandarinLevel:       {"21"},
		form.FieldEducation:           {"21"},
		form.FieldMajorCategory:       {"1"},
		form.FieldDegree:              {"4"},
		form.FieldMajor:               {"数学与应用数学"},
		form.FieldGraduationSchool:    {"华南师范大学"},
		form.FieldGraduationDate:      {"2004-07-01"},
		form.FieldStudyMode:           {"1"},
		form.FieldSchool:              {"广州市天河区第一小学"},
		form.FieldSchoolOwnership:     {"1"},
		form.FieldSchoolLocation:      {"广东省广州市天河区"},
		form.FieldWorkStart:           {"2004-09-01"},
		form.FieldEmploymentStart:     {"2004-09-01"},
		form.FieldTeacherTitle:        {"3"},
		form.FieldPostType:            {"1"},
		form.FieldPolitical:           {"13"},
		form.FieldHousehold:           {"广东省广州市"},
		form.FieldAddress:             {"广东省广州市天河区某路1号"},
		form.FieldPostcode:            {"510000"},
		form.FieldPhoto:               {"photo-ok"},
		registration.FieldCertificate: {primaryCert.String()},
	}
}

// goodInput is a valid post for each step.
func goodInput(s registration.Step) registration.StepInput {
	v := url.Values{}
	switch s {
	case registration.StepWindow:
		v.Set(registration.FieldWindow, "w-th-p")
		v.Set(registration.FieldPoint, "th-1")
	case registration.StepAgreement:
		v.Set(registration.FieldAgree, "1")
	case registration.StepInformation:
		v = infoValues()
	case registration.StepAuthority:
		v.Set(registration.FieldProvince, "44")
		v.Set(registration.FieldCity, "440100")
		v.Set(registration.FieldSubject, "01")
		v.Set(registration.FieldDistrict, "440106")
		v.Set(registration.FieldAuthority, "gz-th")
		v.Set(registration.FieldPoint, "th-2")
	case registration.StepCommitment:
		v.Set(registration.FieldCommitment, registration.CommitmentAgree)
	}
	return registration.StepInput{Step: s, Values: v}
}

// walk posts good input until the wizard reaches step upto.
func walk(t testing.TB, w *registration.Wizard, e registration.Env, upto registration.Step) *registration.Application {
	t.Helper()
	var app *registration.Application
	for w.Step() < upto {
		s := w.Step()
		a, err := w.Next(context.Background(), goodInput(s), e)
		if err != nil {
			t.Fatalf("step %d (%s): %v", s, s, err)
		}
		if w.Step() != s+1 {
			t.Fatalf("after step %d the wizard is at %d", s, w.Step())
		}
		if a != nil {
			app = a
		}
	}
	return app
}

func TestWizardForwardsCreatesTheApplication(t *testing.T) {
	m := &registrationtest.Memory{}
	e := env(m)
	w := registration.NewWizard()
	app := walk(t, w, e, registration.StepReminder)
	if app == nil {
		t.Fatal("no application at step 7")
	}
	if w.Number() != app.Number || w.SubmittedAt() != inside {
		t.Errorf("wizard number %q at %v, application %q", w.Number(), w.SubmittedAt(), app.Number)
	}
	if n, err := registration.ParseApplicationNumber(app.Number); err != nil || n.Province != "44" || n.Year != 2026 {
		t.Errorf("application number %q: %v, %v", app.Number, n, err)
	}
	want := registration.Application{
		Number: app.Number, AccountID: who.AccountID, Certificate: primaryCert, Kind: certificate.Primary,
		Stage: primary, Subject: "01", Photo: "photo-ok", WindowID: "w-th-p", AuthorityID: "gz-th",
		ConfirmationPointID: "th-2", Status: registration.StatusPending, Version: 1, SubmittedAt: inside,
	}
	got := *app
	got.Info, got.Events, got.Messages = form.RegistrationInfo{}, nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("application\n got %+v\nwant %+v", got, want)
	}
	if app.Info.School != "广州市天河区第一小学" || app.Info.Photo != "photo-ok" {
		t.Errorf("info not decoded: %+v", app.Info)
	}
	if len(app.Events) != 1 || app.Events[0].To != registration.StatusPending || app.Events[0].Actor != registration.ActorApplicant {
		t.Errorf("events = %+v", app.Events)
	}
	stored, err := m.Application(context.Background(), app.Number)
	if err != nil || stored.Status != registration.StatusPending {
		t.Fatalf("stored: %v, %v", stored, err)
	}
	if _, err := w.Next(context.Background(), goodInput(registration.StepReminder), e); !errors.Is(err, registration.ErrWizardDone) {
		t.Errorf("Next at step 7 = %v", err)
	}
	if err := w.Back(); !errors.Is(err, registration.ErrCannotGoBack) {
		t.Errorf("Back at step 7 = %v", err)
	}

	// A second wizard for the same certificate is stopped by the one-active-application gate.
	w2 := registration.NewWizard()
	walk(t, w2, e, registration.StepCommitment)
	_, err = w2.Next(context.Background(), goodInput(registration.StepCommitment), e)
	if !errors.Is(err, registration.ErrActiveApplication) || w2.Step() != registration.StepCommitment {
		t.Errorf("second submission: %v at step %d", err, w2.Step())
	}
	if m.Len() != 1 {
		t.Errorf("%d applications stored", m.Len())
	}
}

func TestWizardStepZeroPrefillsStepThree(t *testing.T) {
	w := registration.NewWizard()
	walk(t, w, env(&registrationtest.Memory{}), registration.StepAgreement)
	v := w.Values(registration.StepAuthority)
	for f, want := range map[string]string{registration.FieldProvince: "44", registration.FieldCity: "440100", registration.FieldAuthority: "gz-th", registration.FieldPoint: "th-1"} {
		if v.Get(f) != want {
			t.Errorf("step 3 %s = %q, want %q", f, v.Get(f), want)
		}
	}
}

func TestWizardBackwardsKeepsWhatWasTyped(t *testing.T) {
	e := env(&registrationtest.Memory{})
	w := registration.NewWizard()
	if err := w.Back(); !errors.Is(err, registration.ErrCannotGoBack) {
		t.Errorf("Back at step 0 = %v", err)
	}
	walk(t, w, e, registration.StepReview)
	if err := w.GoTo(registration.StepInformation); err != nil {
		t.Fatal(err)
	}
	if got := w.Values(registration.StepInformation).Get(form.FieldSchool); got != "广州市天河区第一小学" {
		t.Errorf("typed school lost: %q", got)
	}
	if err := w.GoTo(registration.StepReview); !errors.Is(err, registration.ErrCannotGoBack) {
		t.Errorf("GoTo forward = %v", err)
	}
	if err := w.Back(); err != nil || w.Step() != registration.StepAgreement {
		t.Fatalf("Back = %v at %d", err, w.Step())
	}
	// Posting step 3 from a stale page is refused; the wizard stays.
	if _, err := w.Next(context.Background(), goodInput(registration.StepAuthority), e); !errors.Is(err, registration.ErrWrongStep) || w.Step() != registration.StepAgreement {
		t.Errorf("stale post = %v at %d", err, w.Step())
	}
	// Forward again: the typed values of later steps are still there.
	walk(t, w, e, registration.StepInformation)
	if got := w.Values(registration.StepAuthority).Get(registration.FieldSubject); got != "01" {
		t.Errorf("step 3 subject lost: %q", got)
	}
	// Invalid input is kept too, so a closed page loses nothing.
	in := goodInput(registration.StepInformation)
	in.Values.Set(form.FieldPostcode, "51")
	_, err := w.Next(context.Background(), in, e)
	var errs form.Errors
	if !errors.As(err, &errs) || !errs.Has(form.FieldPostcode) || w.Step() != registration.StepInformation {
		t.Fatalf("bad postcode: %v at %d", err, w.Step())
	}
	if got := w.Values(registration.StepInformation).Get(form.FieldPostcode); got != "51" {
		t.Errorf("typed postcode = %q", got)
	}
}

func TestWizardAbandonedAtCommitment(t *testing.T) {
	m := &registrationtest.Memory{}
	e := env(m)
	w := registration.NewWizard()
	walk(t, w, e, registration.StepCommitment)
	in := registration.StepInput{Step: registration.StepCommitment, Values: url.Values{registration.FieldCommitment: {registration.CommitmentDisagree}}}
	if _, err := w.Next(context.Background(), in, e); !errors.Is(err, registration.ErrAbandoned) {
		t.Fatalf("disagree = %v", err)
	}
	if w.Step() != registration.StepWindow || len(w.Values(registration.StepInformation)) != 0 || len(w.Values(registration.StepWindow)) != 0 {
		t.Errorf("abandoned wizard kept data: step %d", w.Step())
	}
	if m.Len() != 0 {
		t.Error("an abandoned wizard created an application")
	}
	// Neither answer: asked again.
	w2 := registration.NewWizard()
	walk(t, w2, e, registration.StepCommitment)
	_, err := w2.Next(context.Background(), registration.StepInput{Step: registration.StepCommitment}, e)
	var errs form.Errors
	if !errors.As(err, &errs) || !errs.Has(registration.FieldCommitment) {
		t.Errorf("no answer = %v", err)
	}
}

func TestWizardReenteredThroughJSON(t *testing.T) {
	m := &registrationtest.Memory{}
	e := env(m)
	for stop := registration.StepWindow; stop <= registration.StepCommitment; stop++ {
		t.Run(stop.String(), func(t *testing.T) {
			m := &registrationtest.Memory{}
			e.Store = m
			w := registration.NewWizard()
			walk(t, w, e, stop)
			data, err := json.Marshal(w)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(data), `"version":1`) {
				t.Errorf("no version in %s", data)
			}
			w2, err := registration.UnmarshalWizard(data)
			if err != nil {
				t.Fatalf("UnmarshalWizard: %v\n%s", err, data)
			}
			if w2.Step() != stop {
				t.Fatalf("loaded at step %d, saved at %d", w2.Step(), stop)
			}
			if app := walk(t, w2, e, registration.StepReminder); app == nil {
				t.Fatal("no application after re-entry")
			}
			data, _ = json.Marshal(w2)
			w3, err := registration.UnmarshalWizard(data)
			if err != nil || w3.Step() != registration.StepReminder || w3.Number() != w2.Number() {
				t.Errorf("step 7 round trip: %v, %v", w3, err)
			}
		})
	}
}

func TestWizardTampered(t *testing.T) {
	ctx := context.Background()
	t.Run("a post for a later step is refused", func(t *testing.T) {
		w := registration.NewWizard()
		e := env(&registrationtest.Memory{})
		walk(t, w, e, registration.StepInformation)
		for _, s := range []registration.Step{registration.StepAuthority, registration.StepCommitment, registration.StepWindow, 42} {
			if _, err := w.Next(ctx, goodInput(s), e); !errors.Is(err, registration.ErrWrongStep) {
				t.Errorf("post for step %d at step 2 = %v", s, err)
			}
		}
		if w.Step() != registration.StepInformation {
			t.Errorf("wizard moved to %d", w.Step())
		}
	})
	t.Run("a foreign confirmation point at step 0", func(t *testing.T) {
		w := registration.NewWizard()
		in := goodInput(registration.StepWindow)
		in.Values.Set(registration.FieldPoint, "nn-1")
		_, err := w.Next(ctx, in, env(&registrationtest.Memory{}))
		var errs form.Errors
		if !errors.As(err, &errs) || !strings.Contains(errs.Get(registration.FieldPoint), "不属于") || w.Step() != registration.StepWindow {
			t.Errorf("foreign point: %v", err)
		}
	})
	t.Run("a foreign confirmation point at step 3", func(t *testing.T) {
		w := registration.NewWizard()
		e := env(&registrationtest.Memory{})
		walk(t, w, e, registration.StepAuthority)
		in := goodInput(registration.StepAuthority)
		in.Values.Set(registration.FieldPoint, "nn-1")
		_, err := w.Next(ctx, in, e)
		var errs form.Errors
		if !errors.As(err, &errs) || !errs.Has(registration.FieldPoint) || w.Step() != registration.StepAuthority {
			t.Errorf("foreign point: %v at %d", err, w.Step())
		}
	})
	t.Run("an authority of another city at step 3", func(t *testing.T) {
		w := registration.NewWizard()
		e := env(&registrationtest.Memory{})
		walk(t, w, e, registration.StepAuthority)
		in := goodInput(registration.StepAuthority)
		in.Values.Set(registration.FieldAuthority, "nn")
		in.Values.Set(registration.FieldPoint, "nn-1")
		_, err := w.Next(ctx, in, e)
		var errs form.Errors
		if !errors.As(err, &errs) || !errs.Has(registration.FieldAuthority) {
			t.Errorf("authority elsewhere: %v", err)
		}
	})
	t.Run("saved state claiming a later step with empty data", func(t *testing.T) {
		for s := registration.StepAgreement; s <= registration.StepReminder; s++ {
			data := []byte(`{"version":1,"step":` + string(rune('0'+s)) + `}`)
			if _, err := registration.UnmarshalWizard(data); !errors.Is(err, registration.ErrWizardState) {
				t.Errorf("empty state at step %d: %v", s, err)
			}
		}
		if w, err := registration.UnmarshalWizard([]byte(`{"version":1,"step":0}`)); err != nil || w.Step() != registration.StepWindow {
			t.Errorf("empty state at step 0: %v", err)
		}
	})
	t.Run("a step-7 state with a number but no earlier steps", func(t *testing.T) {
		data := `{"version":1,"step":7,"number":"20264400000001","submitted_at":"2026-07-01T00:00:00Z"}`
		if _, err := registration.UnmarshalWizard([]byte(data)); !errors.Is(err, registration.ErrWizardState) {
			t.Errorf("forged 报名号 loaded: %v", err)
		}
	})
	t.Run("a step-7 state missing one earlier step", func(t *testing.T) {
		w := registration.NewWizard()
		walk(t, w, env(&registrationtest.Memory{}), registration.StepReminder)
		data, err := json.Marshal(w)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := registration.UnmarshalWizard(data); err != nil {
			t.Fatalf("a genuine step-7 state is refused: %v", err)
		}
		for _, s := range []registration.Step{registration.StepWindow, registration.StepAgreement, registration.StepInformation, registration.StepAuthority, registration.StepCommitment} {
			var j map[string]any
			if err := json.Unmarshal(data, &j); err != nil {
				t.Fatal(err)
			}
			delete(j["values"].(map[string]any), strconv.Itoa(int(s)))
			forged, _ := json.Marshal(j)
			if _, err := registration.UnmarshalWizard(forged); !errors.Is(err, registration.ErrWizardState) {
				t.Errorf("step-7 state without step %d (%s) loaded: %v", s, s, err)
			}
		}
		var j map[string]any
		_ = json.Unmarshal(data, &j)
		j["values"].(map[string]any)[strconv.Itoa(int(registration.StepCommitment))] = map[string]any{registration.FieldCommitment: []string{registration.CommitmentDisagree}}
		forged, _ := json.Marshal(j)
		if _, err := registration.UnmarshalWizard(forged); !errors.Is(err, registration.ErrWizardState) {
			t.Errorf("step-7 state with the commitment refused loaded: %v", err)
		}
	})
	t.Run("saved state with plausible but foreign data is caught by Next", func(t *testing.T) {
		e := env(&registrationtest.Memory{})
		w := registration.NewWizard()
		walk(t, w, e, registration.StepNotes)
		data, _ := json.Marshal(w)
		// Swap in a certificate that is not the account's.
		forged := strings.Replace(string(data), primaryCert.String(), seniorCert.String(), 1)
		w2, err := registration.UnmarshalWizard([]byte(forged))
		if err != nil {
			t.Fatal(err)
		}
		_, err = w2.Next(ctx, goodInput(registration.StepNotes), e)
		var errs form.Errors
		if !errors.As(err, &errs) || !errs.Has(registration.FieldCertificate) || w2.Step() != registration.StepInformation {
			t.Errorf("forged certificate: %v, step %d", err, w2.Step())
		}
	})
	t.Run("bad versions, fields and shapes", func(t *testing.T) {
		cases := map[string]struct {
			data string
			want error
		}{
			"no version":          {`{"step":0}`, registration.ErrWizardVersion},
			"future version":      {`{"version":2,"step":0}`, registration.ErrWizardVersion},
			"negative step":       {`{"version":1,"step":-1}`, registration.ErrWizardState},
			"step 8":              {`{"version":1,"step":8}`, registration.ErrWizardState},
			"unknown step key":    {`{"version":1,"step":0,"values":{"9":{"x":["y"]}}}`, registration.ErrWizardState},
			"unknown field":       {`{"version":1,"step":0,"values":{"0":{"evil":["y"]}}}`, registration.ErrWizardState},
			"two values":          {`{"version":1,"step":0,"values":{"0":{"window":["a","b"]}}}`, registration.ErrWizardState},
			"number before 7":     {`{"version":1,"step":0,"number":"20264400000001"}`, registration.ErrWizardState},
			"step 7 bad number":   {`{"version":1,"step":7,"number":"1","submitted_at":"2026-07-10T10:00:00+08:00"}`, registration.ErrWizardState},
			"not JSON":            {`{"version":1,`, registration.ErrWizardState},
			"wrong types":         {`{"version":"1","step":0}`, registration.ErrWizardState},
			"agreement not given": {`{"version":1,"step":2,"values":{"0":{"window":["w-th-p"],"point":["th-1"]},"1":{"agree":["0"]}}}`, registration.ErrWizardState},
		}
		for name, c := range cases {
			if _, err := registration.UnmarshalWizard([]byte(c.data)); !errors.Is(err, c.want) {
				t.Errorf("%s: %v, want %v", name, err, c.want)
			}
		}
	})
}

func TestWizardStepValidation(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		step  registration.Step
		edit  func(url.Values)
		now   time.Time
		field string
	}{
		{"no window chosen", registration.StepWindow, func(v url.Values) { v.Del(registration.FieldWindow) }, inside, registration.FieldWindow},
		{"a window not open yet", registration.StepWindow, func(v url.Values) { v.Set(registration.FieldWindow, "w-th-j") }, inside, registration.FieldWindow},
		{"a closed window", registration.StepWindow, func(url.Values) {}, closes, registration.FieldWindow},
		{"agreement not ticked", registration.StepAgreement, func(v url.Values) { v.Del(registration.FieldAgree) }, inside, registration.FieldAgree},
		{"no certificate", registration.StepInformation, func(v url.Values) { v.Del(registration.FieldCertificate) }, inside, registration.FieldCertificate},
		{"someone else's certificate", registration.StepInformation, func(v url.Values) { v.Set(registration.FieldCertificate, seniorCert.String()) }, inside, registration.FieldCertificate},
		{"a 高等学校 certificate", registration.StepInformation, func(v url.Values) { v.Set(registration.FieldCertificate, higherCert.String()) }, inside, registration.FieldCertificate},
		{"manual add of a synced certificate", registration.StepInformation, func(v url.Values) {
			v.Set(registration.FieldManual, "1")
			v.Set(registration.FieldManualNumber, primaryCert.String())
			v.Set(registration.FieldManualIssued, "2015-07-01")
		}, inside, registration.FieldManualNumber},
		{"manual add of a 2015 certificate", registration.StepInformation, func(v url.Values) {
			v.Set(registration.FieldManual, "1")
			v.Set(registration.FieldManualNumber, "20154400121000999")
			v.Set(registration.FieldManualIssued, "2015-07-01")
		}, inside, registration.FieldManualNumber},
		{"manual add with a bad number", registration.StepInformation, func(v url.Values) {
			v.Set(registration.FieldManual, "1")
			v.Set(registration.FieldManualNumber, "123")
		}, inside, registration.FieldManualNumber},
		{"manual add without issue date", registration.StepInformation, func(v url.Values) {
			v.Set(registration.FieldManual, "1")
			v.Set(registration.FieldManualNumber, oldCert.String())
		}, inside, registration.FieldManualIssued},
		{"a photo that failed its check", registration.StepInformation, func(v url.Values) { v.Set(form.FieldPhoto, "photo-bad") }, inside, form.FieldPhoto},
		{"a photo that is not the applicant's", registration.StepInformation, func(v url.Values) { v.Set(form.FieldPhoto, "someone-elses") }, inside, form.FieldPhoto},
		{"no photo", registration.StepInformation, func(v url.Values) { v.Del(form.FieldPhoto) }, inside, form.FieldPhoto},
		{"graduation before 14", registration.StepInformation, func(v url.Values) { v.Set(form.FieldGraduationDate, "1990-07-01") }, inside, form.FieldGraduationDate},
		{"no subject", registration.StepAuthority, func(v url.Values) { v.Del(registration.FieldSubject) }, inside, registration.FieldSubject},
		{"a subject outside the point's scope", registration.StepAuthority, func(v url.Values) { v.Set(registration.FieldSubject, "02") }, inside, registration.FieldPoint},
		{"a district outside the city", registration.StepAuthority, func(v url.Values) { v.Set(registration.FieldDistrict, "450102") }, inside, registration.FieldDistrict},
		{"a city of another province", registration.StepAuthority, func(v url.Values) { v.Set(registration.FieldCity, "450100") }, inside, registration.FieldCity},
		{"an authority without the right for the stage", registration.StepAuthority, func(v url.Values) {
			v.Set(registration.FieldAuthority, "gz")
			v.Set(registration.FieldPoint, "gz-1")
		}, inside, registration.FieldAuthority},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := env(&registrationtest.Memory{})
			w := registration.NewWizard()
			walk(t, w, e, tt.step)
			e.Now = tt.now
			in := goodInput(tt.step)
			tt.edit(in.Values)
			_, err := w.Next(ctx, in, e)
			var errs form.Errors
			if !errors.As(err, &errs) || !errs.Has(tt.field) {
				t.Fatalf("Next = %v, want an error on %q", err, tt.field)
			}
			if w.Step() != tt.step {
				t.Errorf("wizard moved to step %d", w.Step())
			}
		})
	}
}

func TestWizardManualCertificateIsSubmitted(t *testing.T) {
	m := &registrationtest.Memory{}
	e := env(m)
	w := registration.NewWizard()
	walk(t, w, e, registration.StepInformation)
	in := goodInput(registration.StepInformation)
	in.Values.Del(registration.FieldCertificate)
	in.Values.Set(registration.FieldManual, "1")
	in.Values.Set(registration.FieldManualNumber, oldCert.String())
	in.Values.Set(registration.FieldManualIssued, "2000-07-01")
	if _, err := w.Next(context.Background(), in, e); err != nil {
		t.Fatal(err)
	}
	app := walk(t, w, e, registration.StepReminder)
	if app.Certificate != oldCert || app.ManualCertificate == nil || !app.ManualCertificate.Manual || app.ManualCertificate.HolderName != who.Name {
		t.Errorf("manual certificate: %v %+v", app.Certificate, app.ManualCertificate)
	}
}

func TestWizardWindowClosingMidwayMovesBack(t *testing.T) {
	m := &registrationtest.Memory{}
	e := env(m)
	w := registration.NewWizard()
	walk(t, w, e, registration.StepCommitment)
	e.Now = closes
	_, err := w.Next(context.Background(), goodInput(registration.StepCommitment), e)
	var errs form.Errors
	if !errors.As(err, &errs) || !strings.Contains(errs.Get(registration.FieldAuthority), "网报时间已截止") {
		t.Fatalf("closed window at submission: %v", err)
	}
	if w.Step() != registration.StepAuthority || m.Len() != 0 {
		t.Errorf("wizard at %d, %d applications", w.Step(), m.Len())
	}
}

func TestWizardEligibilityGatesAtSubmission(t *testing.T) {
	m := &registrationtest.Memory{}
	m.SetQualified(primaryCert, inside.AddDate(-2, 0, 0))
	e := env(m)
	w := registration.NewWizard()
	walk(t, w, e, registration.StepCommitment)
	if _, err := w.Next(context.Background(), goodInput(registration.StepCommitment), e); !errors.Is(err, registration.ErrRecentlyQualified) {
		t.Fatalf("recently qualified: %v", err)
	}
	if w.Step() != registration.StepCommitment || m.Len() != 0 {
		t.Errorf("wizard at %d, %d applications", w.Step(), m.Len())
	}
}

func TestStepLabels(t *testing.T) {
	want := []string{"选择网报时间和确认点", "网上申报协议", "填写注册信息", "选择注册机构", "确认申报信息", "注意事项", "个人承诺", "申报提醒"}
	for i, s := range registration.Steps {
		if int(s) != i || s.String() != want[i] {
			t.Errorf("step %d = %d %q", i, int(s), s.String())
		}
		if got, err := registration.ParseStep(string(rune('0' + i))); err != nil || got != s {
			t.Errorf("ParseStep(%d) = %v, %v", i, got, err)
		}
	}
	for _, bad := range []string{"", "8", "-1", "01", "a"} {
		if _, err := registration.ParseStep(bad); !errors.Is(err, registration.ErrInvalidStep) {
			t.Errorf("ParseStep(%q) = %v", bad, err)
		}
	}
}

// takenFirst hands out a number that is already stored, then defers to the sequence.
type takenFirst struct {
	taken string
	calls int
	next  registration.NumberGenerator
}

func (g *takenFirst) NewNumber(ctx context.Context, now time.Time, province string) (string, error) {
	g.calls++
	if g.calls == 1 {
		return g.taken, nil
	}
	return g.next.NewNumber(ctx, now, province)
}

func TestWizardRetriesATakenNumber(t *testing.T) {
	m := &registrationtest.Memory{}
	taken := "20264400000099"
	if err := m.CreateApplication(context.Background(), &registration.Application{Number: taken, AccountID: "other", Certificate: seniorCert, Status: registration.StatusPending}); err != nil {
		t.Fatal(err)
	}
	e := env(m)
	gen := &takenFirst{taken: taken, next: registration.SequenceNumbers{Seq: m}}
	e.Numbers = gen
	w := registration.NewWizard()
	app := walk(t, w, e, registration.StepReminder)
	if app.Number == taken || gen.calls != 2 || m.Len() != 2 {
		t.Errorf("number %q after %d calls, %d stored", app.Number, gen.calls, m.Len())
	}
}

func TestWizardStoreFailureAtSubmissionKeepsTheWizard(t *testing.T) {
	m := &registrationtest.Memory{}
	e := env(m)
	w := registration.NewWizard()
	walk(t, w, e, registration.StepCommitment)
	boom := errors.New("database down")
	m.Err = boom
	if _, err := w.Next(context.Background(), goodInput(registration.StepCommitment), e); !errors.Is(err, boom) {
		t.Fatalf("store failure = %v", err)
	}
	if w.Step() != registration.StepCommitment {
		t.Errorf("wizard at %d", w.Step())
	}
	m.Err = nil
	if app, err := w.Next(context.Background(), goodInput(registration.StepCommitment), e); err != nil || app == nil {
		t.Errorf("retry after the store came back: %v", err)
	}
}

func TestWizardStepZeroAgainKeepsAChangedAuthority(t *testing.T) {
	e := env(&registrationtest.Memory{})
	w := registration.NewWizard()
	walk(t, w, e, registration.StepReview) // step 3 chose point th-2, step 0 th-1
	for w.Step() > registration.StepWindow {
		if err := w.Back(); err != nil {
			t.Fatal(err)
		}
	}
	walk(t, w, e, registration.StepAgreement) // the same window and point again
	if got := w.Values(registration.StepAuthority).Get(registration.FieldPoint); got != "th-2" {
		t.Errorf("unchanged step 0 overwrote step 3's point: %q", got)
	}
	if err := w.Back(); err != nil {
		t.Fatal(err)
	}
	in := goodInput(registration.StepWindow)
	in.Values.Set(registration.FieldPoint, "th-2")
	if _, err := w.Next(context.Background(), in, e); err != nil {
		t.Fatal(err)
	}
	if got := w.Values(registration.StepAuthority).Get(registration.FieldPoint); got != "th-2" {
		t.Errorf("a new step-0 point did not pre-fill step 3: %q", got)
	}
}

func TestWizardReview(t *testing.T) {
	e := env(&registrationtest.Memory{})
	w := registration.NewWizard()
	walk(t, w, e, registration.StepReview)
	r, errs := w.Review(e)
	if errs.Len() != 0 {
		t.Fatalf("review errors: %v", errs)
	}
	if r.Certificate.Number != primaryCert || r.Info.Postcode != "510000" || r.Authority.Name != "广州市天河区教育局" ||
		r.Point.ID != "th-2" || r.Window.ID != "w-th-p" || r.Choice.Stage != primary {
		t.Errorf("review = %+v", r)
	}
}

// FuzzWizardNext posts arbitrary fields at every step: never a panic, never more than one step.
func FuzzWizardNext(f *testing.F) {
	f.Add(uint8(0), "window", "w-th-p", "point", "nn-1")
	f.Add(uint8(2), "certificate", "20154400171000125", "photo", "photo-bad")
	f.Add(uint8(2), "manual", "1", "manual_number", "20004400121000001")
	f.Add(uint8(3), "authority", "nn", "district", "\xff\xfe")
	f.Add(uint8(6), "commitment", "agree", "commitment", "disagree")
	f.Fuzz(func(t *testing.T, step uint8, k1, v1, k2, v2 string) {
		e := env(&registrationtest.Memory{})
		w := registration.NewWizard()
		s := registration.Step(step % 7)
		walk(t, w, e, s)
		in := goodInput(s)
		in.Values.Set(k1, v1)
		in.Values.Set(k2, v2)
		_, err := w.Next(context.Background(), in, e)
		if w.Step() > s+1 {
			t.Fatalf("one post moved from %d to %d", s, w.Step())
		}
		if err == nil && w.Step() != s+1 {
			t.Fatalf("accepted post left the wizard at %d (from %d)", w.Step(), s)
		}
		data, jerr := json.Marshal(w)
		if jerr != nil {
			t.Fatal(jerr)
		}
		if _, uerr := registration.UnmarshalWizard(data); uerr != nil && !errors.Is(err, registration.ErrAbandoned) {
			// Whatever was kept must load again (typed values survive a closed page).
			t.Fatalf("saved state does not load: %v\n%s", uerr, data)
		}
	})
}

func TestWizardWithoutCatalogueOrStateDoesNotPanic(t *testing.T) {
	var w registration.Wizard // zero value
	_, err := w.Next(context.Background(), goodInput(registration.StepWindow), registration.Env{Now: inside})
	var errs form.Errors
	if !errors.As(err, &errs) || !errs.Has(registration.FieldWindow) {
		t.Errorf("Next without a catalogue = %v", err)
	}
	if _, errs := w.Review(registration.Env{}); errs.Len() == 0 {
		t.Error("Review of an empty wizard has no problems")
	}
}

func TestWizardKeepsValidBoundedText(t *testing.T) {
	e := env(&registrationtest.Memory{})
	w := registration.NewWizard()
	walk(t, w, e, registration.StepInformation)
	in := goodInput(registration.StepInformation)
	in.Values.Set(form.FieldAddress, strings.Repeat("路", 2000)+"\xff")
	in.Values.Set(form.FieldMajor, "数学\xff")
	_, _ = w.Next(context.Background(), in, e)
	v := w.Values(registration.StepInformation)
	if got := v.Get(form.FieldAddress); len(got) > 1024 || !utf8.ValidString(got) || !strings.HasPrefix(got, "路路") {
		t.Errorf("address kept as %d bytes, valid %v", len(got), utf8.ValidString(got))
	}
	if got := v.Get(form.FieldMajor); got != "数学\uFFFD" {
		t.Errorf("major kept as %q", got)
	}
}

// TestWizardRechecksTheStepJustBefore: a post re-checks every earlier step,
// including the one right before it, and moves back to the first that no
// longer holds.
func TestWizardRechecksTheStepJustBefore(t *testing.T) {
	tests := []struct {
		name   string
		at     registration.Step // the step whose post is made
		break_ func(*registration.Env)
		field  string // the field of the earlier step that now fails
	}{
		{"step 0's confirmation point removed before the agreement is posted", registration.StepAgreement,
			func(e *registration.Env) {
				c := catalogue()
				c.Points = slices.DeleteFunc(c.Points, func(p registration.ConfirmationPoint) bool { return p.ID == "th-1" })
				e.Catalogue = c
			}, registration.FieldPoint},
		{"step 2's photo gone before the authority is posted", registration.StepAuthority,
			func(e *registration.Env) {
				e.PhotoReport = func(string) (photo.Report, bool) { return photo.Report{}, false }
			}, form.FieldPhoto},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := env(&registrationtest.Memory{})
			w := registration.NewWizard()
			walk(t, w, e, tt.at)
			tt.break_(&e)
			_, err := w.Next(context.Background(), goodInput(tt.at), e)
			var errs form.Errors
			if !errors.As(err, &errs) || !errs.Has(tt.field) {
				t.Fatalf("Next = %v, want an error on %s", err, tt.field)
			}
			if w.Step() != tt.at-1 {
				t.Errorf("wizard at step %d, want %d", w.Step(), tt.at-1)
			}
		})
	}
}

func TestWizardGoToRefusesTheCurrentStep(t *testing.T) {
	e := env(&registrationtest.Memory{})
	w := registration.NewWizard()
	walk(t, w, e, registration.StepReview)
	if err := w.GoTo(registration.StepReview); !errors.Is(err, registration.ErrCannotGoBack) || w.Step() != registration.StepReview {
		t.Errorf("GoTo(current) = %v at %d", err, w.Step())
	}
	if err := w.GoTo(registration.StepWindow); err != nil || w.Step() != registration.StepWindow {
		t.Errorf("GoTo(0) = %v at %d", err, w.Step())
	}
}
