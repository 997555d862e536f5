package registration_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/tqreg/tqreg/registration"
)

type triple struct {
	from, to registration.Status
	by       registration.Actor
}

// allowed is the transition table of SPEC §4 written out independently of the implementation.
var allowed = map[triple]bool{
	{registration.StatusPending, registration.StatusConfirmed, registration.ActorConfirmationPoint}: true,
	{registration.StatusPending, registration.StatusWithdrawn, registration.ActorApplicant}:         true,
	{registration.StatusConfirmed, registration.StatusQualified, registration.ActorAuthority}:       true,
	{registration.StatusConfirmed, registration.StatusDeferred, registration.ActorAuthority}:        true,
	{registration.StatusConfirmed, registration.StatusUnqualified, registration.ActorAuthority}:     true,
	{registration.StatusConfirmed, registration.StatusPending, registration.ActorAuthority}:         true,
}

func TestCanTransitionEveryTriple(t *testing.T) {
	statuses := append([]registration.Status{0, 99}, registration.Statuses...)
	actors := append([]registration.Actor{0, 99}, registration.Actors...)
	n := 0
	for _, from := range statuses {
		for _, to := range statuses {
			for _, by := range actors {
				want := allowed[triple{from, to, by}]
				name := fmt.Sprintf("%s→%s by %s", from, to, by)
				t.Run(name, func(t *testing.T) {
					if got := registration.CanTransition(from, to, by); got != want {
						t.Errorf("CanTransition(%v, %v, %v) = %v, want %v", from, to, by, got, want)
					}
				})
				n++
			}
		}
	}
	if n != 8*8*5 {
		t.Fatalf("checked %d triples", n)
	}
}

func TestFinalStatusesHaveNoWayOut(t *testing.T) {
	for _, from := range registration.Statuses {
		out := false
		for _, to := range registration.Statuses {
			for _, by := range registration.Actors {
				out = out || registration.CanTransition(from, to, by)
			}
		}
		if out == from.Final() {
			t.Errorf("%v: Final() = %v but has a way out = %v", from, from.Final(), out)
		}
	}
}

func TestStatusEditableOnlyWhilePending(t *testing.T) {
	for _, s := range registration.Statuses {
		if got, want := s.Editable(), s == registration.StatusPending; got != want {
			t.Errorf("%v.Editable() = %v, want %v", s, got, want)
		}
	}
	if registration.Status(0).Editable() {
		t.Error("zero status is editable")
	}
}

func TestStatusLabelsAndStoredCodes(t *testing.T) {
	tests := []struct {
		s     registration.Status
		code  int
		label string
	}{
		{registration.StatusPending, 1, "网报待确认"},
		{registration.StatusConfirmed, 2, "已确认"},
		{registration.StatusQualified, 3, "注册合格"},
		{registration.StatusDeferred, 4, "暂缓注册"},
		{registration.StatusUnqualified, 5, "注册不合格"},
		{registration.StatusWithdrawn, 6, "已撤回"},
	}
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			if int(tt.s) != tt.code {
				t.Errorf("stored code of %s = %d, want %d (do not reorder)", tt.label, int(tt.s), tt.code)
			}
			if tt.s.String() != tt.label {
				t.Errorf("String() = %q, want %q", tt.s.String(), tt.label)
			}
			for _, in := range []string{tt.label, fmt.Sprint(tt.code)} {
				got, err := registration.ParseStatus(in)
				if err != nil || got != tt.s {
					t.Errorf("ParseStatus(%q) = %v, %v", in, got, err)
				}
			}
		})
	}
	for _, bad := range []string{"", "0", "7", "合格", "-1"} {
		if _, err := registration.ParseStatus(bad); !errors.Is(err, registration.ErrInvalidStatus) {
			t.Errorf("ParseStatus(%q) error = %v, want ErrInvalidStatus", bad, err)
		}
	}
}

func TestActorAndStageAndAppraisalParse(t *testing.T) {
	for _, a := range registration.Actors {
		if got, err := registration.ParseActor(a.String()); err != nil || got != a {
			t.Errorf("ParseActor(%q) = %v, %v", a.String(), got, err)
		}
	}
	if _, err := registration.ParseActor("管理员"); !errors.Is(err, registration.ErrInvalidActor) {
		t.Errorf("ParseActor(管理员) error = %v", err)
	}
	for _, s := range registration.Stages {
		if got, err := registration.ParseStage(s.String()); err != nil || got != s {
			t.Errorf("ParseStage(%q) = %v, %v", s.String(), got, err)
		}
	}
	if _, err := registration.ParseStage("大学"); !errors.Is(err, registration.ErrInvalidStage) {
		t.Errorf("ParseStage(大学) error = %v", err)
	}
	for _, a := range registration.Appraisals {
		if got, err := registration.ParseAppraisal(a.String()); err != nil || got != a {
			t.Errorf("ParseAppraisal(%q) = %v, %v", a.String(), got, err)
		}
	}
	if _, err := registration.ParseAppraisal("良好"); !errors.Is(err, registration.ErrInvalidAppraisal) {
		t.Errorf("ParseAppraisal(良好) error = %v", err)
	}
}

func ExampleCanTransition() {
	fmt.Println(registration.CanTransition(registration.StatusPending, registration.StatusConfirmed, registration.ActorConfirmationPoint))
	fmt.Println(registration.CanTransition(registration.StatusPending, registration.StatusQualified, registration.ActorAuthority))
	fmt.Println(registration.CanTransition(registration.StatusConfirmed, registration.StatusPending, registration.ActorAuthority))
	fmt.Println(registration.CanTransition(registration.StatusQualified, registration.StatusPending, registration.ActorAuthority))
	// Output:
	// true
	// false
	// true
	// false
}
