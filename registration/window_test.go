package registration_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tqreg/tqreg/registration"
)

var cst = registration.CST

func TestWindowCheckBoundaries(t *testing.T) {
	w := registration.Window{
		Opens:  time.Date(2026, 7, 1, 9, 0, 0, 0, cst),
		Closes: time.Date(2026, 7, 31, 17, 0, 0, 0, cst),
	}
	tests := []struct {
		name string
		now  time.Time
		want error
	}{
		{"one nanosecond before opening is not open yet", w.Opens.Add(-time.Nanosecond), registration.ErrNotOpenYet},
		{"the opening instant is open (inclusive)", w.Opens, nil},
		{"the opening instant in UTC is open", w.Opens.UTC(), nil},
		{"inside is open", w.Opens.Add(48 * time.Hour), nil},
		{"one nanosecond before closing is open", w.Closes.Add(-time.Nanosecond), nil},
		{"the closing instant is closed (exclusive)", w.Closes, registration.ErrClosed},
		{"a year later is closed", w.Closes.AddDate(1, 0, 0), registration.ErrClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := w.Check(tt.now)
			if tt.want == nil {
				if err != nil || !w.Open(tt.now) {
					t.Fatalf("Check = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Check = %v, want %v", err, tt.want)
			}
			if w.Open(tt.now) {
				t.Error("Open = true for a refused instant")
			}
			var re *registration.Error
			if !errors.As(err, &re) || re.Code == "" {
				t.Errorf("error %v carries no code", err)
			}
		})
	}
}

func TestWindowCheckMessagesCarryCSTDates(t *testing.T) {
	// 01:00 UTC is 09:00 in China.
	w := registration.Window{Opens: time.Date(2026, 7, 1, 1, 0, 0, 0, time.UTC), Closes: time.Date(2026, 7, 31, 9, 0, 0, 0, time.UTC)}
	if msg := w.Check(w.Opens.Add(-time.Hour)).Error(); !strings.Contains(msg, "还未到网报时间") || !strings.Contains(msg, "2026-07-01 09:00") {
		t.Errorf("not-open message = %q", msg)
	}
	if msg := w.Check(w.Closes).Error(); !strings.Contains(msg, "网报时间已截止") || !strings.Contains(msg, "2026-07-31 17:00") {
		t.Errorf("closed message = %q", msg)
	}
	if errors.Is(w.Check(w.Closes), registration.ErrNotOpenYet) {
		t.Error("a closed window matches ErrNotOpenYet")
	}
}

func ExampleWindow_Check() {
	w := registration.Window{
		Opens:  time.Date(2026, 7, 1, 9, 0, 0, 0, registration.CST),
		Closes: time.Date(2026, 8, 1, 0, 0, 0, 0, registration.CST),
	}
	fmt.Println(w.Check(time.Date(2026, 6, 30, 12, 0, 0, 0, registration.CST)))
	fmt.Println(w.Check(time.Date(2026, 7, 15, 12, 0, 0, 0, registration.CST)))
	err := w.Check(time.Date(2026, 8, 1, 0, 0, 0, 0, registration.CST))
	fmt.Println(err, errors.Is(err, registration.ErrClosed))
	// Output:
	// 还未到网报时间，网报时间为 2026-07-01 09:00 至 2026-08-01 00:00
	// <nil>
	// 网报时间已截止，网报时间为 2026-07-01 09:00 至 2026-08-01 00:00 true
}
