package registration_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/tqreg/tqreg/registration"
)

// FuzzParseCodeLists feeds query and form values to the closed-set parsers
// (ParseStatus, ParseActor, ParseStage, ParseAppraisal, ParseRestrictionKind,
// ParseStep): no panic; a failure is the coded sentinel; an accepted value is a
// defined member whose stored code and zh-CN label parse back to it.
func FuzzParseCodeLists(f *testing.F) {
	for _, s := range []string{"", "0", "1", "3", "6", "7", "8", "+3", "03", "-1", " 1", "网报待确认", "注册机构",
		"小学", "不合格", "考试作弊", "9223372036854775808", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		check(t, "Status", s, registration.ParseStatus, registration.ErrInvalidStatus)
		check(t, "Actor", s, registration.ParseActor, registration.ErrInvalidActor)
		check(t, "Stage", s, registration.ParseStage, registration.ErrInvalidStage)
		check(t, "Appraisal", s, registration.ParseAppraisal, registration.ErrInvalidAppraisal)
		check(t, "RestrictionKind", s, registration.ParseRestrictionKind, registration.ErrInvalidRestriction)
		if st, err := registration.ParseStep(s); err != nil {
			if !errors.Is(err, registration.ErrInvalidStep) {
				t.Fatalf("ParseStep(%q): untyped error %v", s, err)
			}
		} else if !st.Valid() || strconv.Itoa(int(st)) != s {
			t.Fatalf("ParseStep(%q) = %d", s, st)
		}
	})
}

// check runs one closed-set parser on s and checks what FuzzParseCodeLists promises.
func check[T interface {
	~int
	Valid() bool
	String() string
}](t *testing.T, name, s string, parse func(string) (T, error), sentinel error) {
	t.Helper()
	v, err := parse(s)
	if err != nil {
		if !errors.Is(err, sentinel) {
			t.Fatalf("Parse%s(%q): error %v is not %v", name, s, err, sentinel)
		}
		return
	}
	if !v.Valid() {
		t.Fatalf("Parse%s(%q) = undefined %d", name, s, v)
	}
	if b, err := parse(strconv.Itoa(int(v))); err != nil || b != v {
		t.Fatalf("%s %d: stored code parses to %d, %v", name, v, b, err)
	}
	if b, err := parse(v.String()); err != nil || b != v {
		t.Fatalf("%s %d: label %q parses to %d, %v", name, v, v.String(), b, err)
	}
}
