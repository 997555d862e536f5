package registration_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tqreg/tqreg/registration"
	"github.com/tqreg/tqreg/registration/registrationtest"
)

// fixedNumbers hands out its numbers in order, then the last one again.
type fixedNumbers struct {
	numbers []string
	calls   int
}

func (g *fixedNumbers) NewNumber(context.Context, time.Time, string) (string, error) {
	n := g.numbers[min(g.calls, len(g.numbers)-1)]
	g.calls++
	return n, nil
}

func pendingApplication(account string) *registration.Application {
	return &registration.Application{AccountID: account, Certificate: primaryCert, Status: registration.StatusPending,
		SubmittedAt: inside, Events: []registration.Event{{Actor: registration.ActorApplicant, To: registration.StatusPending, At: inside}}}
}

func TestSubmitNumbersFromTheStoresSequenceByDefault(t *testing.T) {
	m := &registrationtest.Memory{}
	a := pendingApplication("a")
	if err := registration.Submit(context.Background(), m, nil, a, "44"); err != nil {
		t.Fatal(err)
	}
	if a.Number != "20264400000001" || a.Version != 1 {
		t.Fatalf("number %q version %d", a.Number, a.Version)
	}
	if got, err := m.Application(context.Background(), a.Number); err != nil || got.AccountID != "a" {
		t.Fatalf("stored: %v %v", got, err)
	}
}

func TestSubmitReplacesATakenNumberThreeTriesInAll(t *testing.T) {
	ctx := context.Background()
	const taken = "20264400000099"
	for _, tc := range []struct {
		name    string
		numbers []string
		want    error
		calls   int
	}{
		{"free at once", []string{"20264400000100"}, nil, 1},
		{"taken once", []string{taken, "20264400000101"}, nil, 2},
		{"taken twice", []string{taken, taken, "20264400000102"}, nil, 3},
		{"taken three times: duplicate", []string{taken}, registration.ErrDuplicate, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &registrationtest.Memory{}
			if err := m.CreateApplication(ctx, &registration.Application{Number: taken, AccountID: "other", Certificate: seniorCert, Status: registration.StatusPending}); err != nil {
				t.Fatal(err)
			}
			gen := &fixedNumbers{numbers: tc.numbers}
			a := pendingApplication("a")
			err := registration.Submit(ctx, m, gen, a, "44")
			if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) || gen.calls != tc.calls {
				t.Fatalf("err %v after %d numbers; want %v after %d", err, gen.calls, tc.want, tc.calls)
			}
			if wantLen := map[bool]int{true: 2, false: 1}[tc.want == nil]; m.Len() != wantLen {
				t.Errorf("%d applications stored, want %d", m.Len(), wantLen)
			}
		})
	}
}

func TestSubmitRefusesASecondActiveApplicationWithoutRetrying(t *testing.T) {
	m := &registrationtest.Memory{}
	ctx := context.Background()
	if err := registration.Submit(ctx, m, nil, pendingApplication("a"), "44"); err != nil {
		t.Fatal(err)
	}
	gen := &fixedNumbers{numbers: []string{"20264400000050", "20264400000051"}}
	if err := registration.Submit(ctx, m, gen, pendingApplication("a"), "44"); !errors.Is(err, registration.ErrActiveApplication) || gen.calls != 1 {
		t.Fatalf("second active application: %v after %d numbers", err, gen.calls)
	}
}

// numberingMemory is a Memory that numbers and creates in one step (a NumberingStore),
// counting the calls.
type numberingMemory struct {
	*registrationtest.Memory
	calls int
}

func (m *numberingMemory) CreateNumbered(ctx context.Context, a *registration.Application, province string) error {
	m.calls++
	n, err := registration.SequenceNumbers{Seq: m.Memory}.NewNumber(ctx, a.SubmittedAt, province)
	if err != nil {
		return err
	}
	a.Number = n
	return m.Memory.CreateApplication(ctx, a)
}

func TestSubmitLetsANumberingStoreNumberUnlessAGeneratorIsGiven(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name        string
		taken       bool // the sequence's first number is already stored
		gen         registration.NumberGenerator
		wantNumber  string
		wantNumbers int // CreateNumbered calls
	}{
		{"no generator: the store numbers", false, nil, "20264400000001", 1},
		{"no generator, first number taken: the store numbers again", true, nil, "20264400000002", 2},
		{"a generator: it numbers", false, &fixedNumbers{numbers: []string{"20264400000777"}}, "20264400000777", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &numberingMemory{Memory: &registrationtest.Memory{}}
			if tc.taken {
				if err := m.Memory.CreateApplication(ctx, &registration.Application{Number: "20264400000001", AccountID: "other", Certificate: seniorCert, Status: registration.StatusPending}); err != nil {
					t.Fatal(err)
				}
			}
			a := pendingApplication("a")
			if err := registration.Submit(ctx, m, tc.gen, a, "44"); err != nil {
				t.Fatal(err)
			}
			if a.Number != tc.wantNumber || m.calls != tc.wantNumbers || a.Version != 1 {
				t.Fatalf("number %q version %d after %d CreateNumbered; want %q after %d", a.Number, a.Version, m.calls, tc.wantNumber, tc.wantNumbers)
			}
		})
	}
}
