package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/photo"
)

// The command refuses any target that is not this machine, before it sends anything.
func TestRunRefusesNonLocalTargets(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"remote portal", []string{"-url", "http://example.com:8080"}, "only 127.0.0.1"},
		{"one remote portal among local ones", []string{"-url", "http://127.0.0.1:8080,http://10.1.2.3:8080"}, "only 127.0.0.1"},
		{"remote database", []string{"-url", "http://127.0.0.1:8080", "-db", "postgres://postgres@db.example.com/test"}, "only 127.0.0.1"},
		{"database that is not Postgres", []string{"-db", "mysql://127.0.0.1/test"}, "-db must be a postgres"},
		{"bad mix", []string{"-mix", "60,40"}, "-mix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), append(tt.args, "-mode", "verify"), &out, &errOut)
			if code != 2 {
				t.Errorf("exit %d, want 2 (refused before any request)", code)
			}
			if !strings.Contains(errOut.String(), tt.want) {
				t.Errorf("stderr %q does not say %q", errOut.String(), tt.want)
			}
			if out.Len() != 0 {
				t.Errorf("printed %q before refusing", out.String())
			}
		})
	}
}

func TestLoadUsersAreValidAndDistinct(t *testing.T) {
	now := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	seen := map[string]bool{}
	for _, i := range []int{0, 1, 799, 800, 801, 5000, 99_999, 999_999} {
		u := loadUserAt(i)
		if _, err := account.ValidateDocumentAt(account.DocResidentID, u.DocNumber, now); err != nil {
			t.Errorf("user %d: document %s: %v", i, u.DocNumber, err)
		}
		n, err := certificate.ParseNumber(u.Cert)
		if err != nil {
			t.Errorf("user %d: certificate %s: %v", i, u.Cert, err)
		} else if n.Kind() != certificate.JuniorMiddle || !strings.HasPrefix(u.Cert, loadCertPrefix) {
			t.Errorf("user %d: certificate %s is not a 初级中学 certificate in the load block", i, u.Cert)
		}
		if seen[u.DocNumber] || seen[u.Cert] {
			t.Errorf("user %d repeats a document or certificate number", i)
		}
		seen[u.DocNumber], seen[u.Cert] = true, true
	}
	if got := loadUserAt(0).DocNumber; got != "440106197501011005" {
		t.Errorf("user 0 is %s; faulttest logs in as 440106197501011005", got)
	}
}

func TestGeneratedPhotoPassesTheSpec(t *testing.T) {
	for seed := range 3 {
		b, err := genPhoto(seed)
		if err != nil {
			t.Fatal(err)
		}
		if rep := photo.Registration.Check(b); !rep.OK() {
			t.Errorf("seed %d: %+v", seed, rep.Problems)
		}
	}
}
