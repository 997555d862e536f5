package form_test

import (
	"slices"
	"testing"

	"github.com/tqreg/tqreg/form"
)

func TestErrors(t *testing.T) {
	var e form.Errors
	if e.Has(form.FieldPostcode) || e.Get(form.FieldPostcode) != "" || e.Len() != 0 || e.Err() != nil || len(e.Fields()) != 0 {
		t.Fatal("nil Errors is not empty")
	}
	e.Add(form.FieldPostcode, "first")
	e.Add(form.FieldPostcode, "second")
	e.Add("zeta", "z")
	e.Add("alpha", "a")
	e.Add(form.FieldEducation, "edu")
	if got := e.Get(form.FieldPostcode); got != "first" {
		t.Errorf("Add replaced the first message: %q", got)
	}
	want := []string{form.FieldEducation, form.FieldPostcode, "alpha", "zeta"}
	for range 5 { // map order must not leak
		if got := e.Fields(); !slices.Equal(got, want) {
			t.Fatalf("Fields = %v, want %v", got, want)
		}
	}
	if got := e.Error(); got != "edu；first；a；z" {
		t.Errorf("Error = %q", got)
	}
	if e.Err() == nil {
		t.Error("Err is nil for a non-empty Errors")
	}
	var m form.Errors
	m.Add(form.FieldPostcode, "other")
	m.Add(form.FieldPhoto, "photo")
	e.Merge(m)
	if e.Get(form.FieldPostcode) != "first" || e.Get(form.FieldPhoto) != "photo" {
		t.Errorf("Merge: %v", e)
	}
}

func TestFieldNamesAndLabels(t *testing.T) {
	names := form.FieldNames()
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] || form.FieldLabel(n) == "" {
			t.Errorf("field %q duplicated or unlabelled", n)
		}
		seen[n] = true
	}
	if form.FieldLabel("nope") != "" {
		t.Error("unknown field has a label")
	}
	names[0] = "changed"
	if form.FieldNames()[0] == "changed" {
		t.Error("FieldNames shares its slice")
	}
}
