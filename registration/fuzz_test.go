package registration_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/tqreg/tqreg/form"
	"github.com/tqreg/tqreg/registration"
	"github.com/tqreg/tqreg/registration/registrationtest"
)

// FuzzUnmarshalWizard feeds tampered saved state: loading never panics, and whatever loads can
// never skip a step — one post moves at most one step forward, and an application comes out only
// when every step and gate holds against the real Env.
func FuzzUnmarshalWizard(f *testing.F) {
	e := env(&registrationtest.Memory{})
	for s := registration.StepWindow; s <= registration.StepReminder; s++ {
		w := registration.NewWizard()
		e.Store = &registrationtest.Memory{}
		walk(f, w, e, s)
		data, err := json.Marshal(w)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{``, `{}`, `null`, `[]`, `{"version":1,"step":5}`, `{"version":1,"step":3,"values":{"0":{"window":["w"],"point":["p"]},"1":{"agree":["1"]}}}`,
		`{"version":1,"step":6,"values":{"0":{"window":["w-th-p"],"point":["th-1"]}}}`, `{"version":1,"step":1e9}`,
		`{"version":1,"step":7,"number":"20264400000001","submitted_at":"2026-07-01T00:00:00Z"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := registration.UnmarshalWizard(data)
		if err != nil {
			var re *registration.Error
			if !errors.As(err, &re) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		from := w.Step()
		if !from.Valid() {
			t.Fatalf("loaded an invalid step %d", from)
		}
		if missing := unfilledBefore(w, from); missing >= 0 {
			t.Fatalf("loaded a state at step %d whose step %d was never filled", from, missing)
		}
		if from == registration.StepReminder && w.Number() == "" {
			t.Fatal("loaded a step-7 state without an application number")
		}
		e := env(&registrationtest.Memory{})
		app, err := w.Next(context.Background(), goodInput(from), e)
		switch {
		case from == registration.StepReminder:
			if !errors.Is(err, registration.ErrWizardDone) {
				t.Fatalf("Next at step 7 = %v", err)
			}
		case err == nil && from == registration.StepCommitment:
			if app == nil || w.Step() != registration.StepReminder {
				t.Fatal("submission without an application")
			}
			if _, gerr := registration.CheckChoice(e.Catalogue, registration.Choice{
				Certificate: app.Certificate, Kind: app.Kind, Stage: app.Stage, Subject: app.Subject,
				District: "440106", AuthorityID: app.AuthorityID, PointID: app.ConfirmationPointID,
			}, e.Now); gerr != nil && !errors.Is(gerr, registration.ErrPointOutOfScope) {
				t.Fatalf("tampered state produced an application that fails the gates: %v", gerr)
			}
		case err == nil:
			if app != nil || w.Step() != from+1 {
				t.Fatalf("one post moved from %d to %d", from, w.Step())
			}
		default:
			if w.Step() > from {
				t.Fatalf("a refused post (%v) moved forward from %d to %d", err, from, w.Step())
			}
			if app != nil {
				t.Fatalf("a refused post (%v) returned an application", err)
			}
		}
	})
}

// unfilledBefore returns the first step before upto whose saved values could not have passed that
// step (checked field by field here, independently of the loader), or -1 when all of them could.
func unfilledBefore(w *registration.Wizard, upto registration.Step) registration.Step {
	for s := registration.StepWindow; s < upto; s++ {
		v := w.Values(s)
		ok := true
		switch s {
		case registration.StepWindow:
			ok = v.Get(registration.FieldWindow) != "" && v.Get(registration.FieldPoint) != ""
		case registration.StepAgreement:
			ok = v.Get(registration.FieldAgree) != ""
		case registration.StepInformation:
			ok = (v.Get(registration.FieldCertificate) != "" || v.Get(registration.FieldManualNumber) != "") && v.Get(form.FieldPhoto) != ""
		case registration.StepAuthority:
			ok = v.Get(registration.FieldAuthority) != "" && v.Get(registration.FieldPoint) != "" && v.Get(registration.FieldSubject) != ""
		case registration.StepCommitment:
			ok = v.Get(registration.FieldCommitment) == registration.CommitmentAgree
		}
		if !ok {
			return s
		}
	}
	return -1
}
