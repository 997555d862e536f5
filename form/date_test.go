package form_test

import (
	"errors"
	"testing"
	"time"

	"github.com/tqreg/tqreg/form"
)

func TestParseDate(t *testing.T) {
	valid := []struct {
		name string
		in   string
		want form.Date
	}{
		{"ordinary", "2006-01-02", form.Date{Year: 2006, Month: time.January, Day: 2}},
		{"leap day in a leap year", "2024-02-29", form.Date{Year: 2024, Month: time.February, Day: 29}},
		{"first allowed year", "1900-01-01", form.Date{Year: 1900, Month: time.January, Day: 1}},
		{"31 December", "2025-12-31", form.Date{Year: 2025, Month: time.December, Day: 31}},
	}
	for _, tt := range valid {
		t.Run(tt.name, func(t *testing.T) {
			d, err := form.ParseDate(tt.in)
			if err != nil || d != tt.want || d.String() != tt.in {
				t.Errorf("ParseDate(%q) = %v (%s), %v", tt.in, d, d, err)
			}
		})
	}
	invalid := []struct{ name, in string }{
		{"empty", ""},
		{"29 February in a common year", "2023-02-29"},
		{"30 February", "2024-02-30"},
		{"31 April", "2024-04-31"},
		{"month 13", "2024-13-01"},
		{"month 0", "2024-00-10"},
		{"day 0", "2024-01-00"},
		{"before 1900", "1899-12-31"},
		{"unpadded", "2024-1-5"},
		{"slashes", "2024/01/05"},
		{"full-width digits", "２０２４-０１-０５"},
		{"surrounding space", " 2024-01-05"},
		{"sign", "+024-01-05"},
		{"with time", "2024-01-05T00:00"},
	}
	for _, tt := range invalid {
		t.Run(tt.name, func(t *testing.T) {
			if d, err := form.ParseDate(tt.in); !errors.Is(err, form.ErrInvalidDate) || !d.IsZero() {
				t.Errorf("ParseDate(%q) = %v, %v; want ErrInvalidDate", tt.in, d, err)
			}
		})
	}
}

func TestDateArithmetic(t *testing.T) {
	leap := form.MustParseDate("2008-02-29")
	if got := leap.AddYears(16).String(); got != "2024-02-29" {
		t.Errorf("2008-02-29 + 16y = %s", got)
	}
	if got := leap.AddYears(14).String(); got != "2022-03-01" {
		t.Errorf("2008-02-29 + 14y = %s, want 2022-03-01", got)
	}
	a, b := form.MustParseDate("2020-05-01"), form.MustParseDate("2020-05-02")
	if !a.Before(b) || a.After(b) || a.Compare(a) != 0 || b.Compare(a) != 1 {
		t.Error("Compare/Before/After disagree")
	}
	if got := a.Chinese(); got != "2020年05月01日" {
		t.Errorf("Chinese = %q", got)
	}
	if (form.Date{}).String() != "" || (form.Date{}).Chinese() != "" || (form.Date{}).Valid() {
		t.Error("zero Date is not empty")
	}
	if got := a.Time(time.UTC); !got.Equal(time.Date(2020, 5, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Time = %v", got)
	}
}

func TestChinaDate(t *testing.T) {
	// 16:30 UTC is already the next day in Beijing.
	if got := form.ChinaDate(time.Date(2026, 11, 30, 16, 30, 0, 0, time.UTC)).String(); got != "2026-12-01" {
		t.Errorf("ChinaDate = %s, want 2026-12-01", got)
	}
	if got := form.ChinaDate(time.Date(2026, 11, 30, 15, 59, 0, 0, time.UTC)).String(); got != "2026-11-30" {
		t.Errorf("ChinaDate = %s, want 2026-11-30", got)
	}
}

func TestDateText(t *testing.T) {
	d := form.MustParseDate("1999-09-09")
	b, _ := d.MarshalText()
	var e form.Date
	if err := e.UnmarshalText(b); err != nil || e != d {
		t.Errorf("round trip = %v, %v", e, err)
	}
	if err := e.UnmarshalText(nil); err != nil || !e.IsZero() {
		t.Errorf("empty text = %v, %v", e, err)
	}
	if err := e.UnmarshalText([]byte("1999-02-30")); !errors.Is(err, form.ErrInvalidDate) {
		t.Errorf("bad text err = %v", err)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2006-01-02", "2024-02-29", "2023-02-29", "", "9999-12-31", "0000-00-00", "1900-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := form.ParseDate(s)
		if err != nil {
			if !errors.Is(err, form.ErrInvalidDate) {
				t.Fatalf("error %v is not ErrInvalidDate", err)
			}
			return
		}
		if !d.Valid() || d.String() != s {
			t.Fatalf("ParseDate(%q) = %v, String %q", s, d, d.String())
		}
		if again, err := form.ParseDate(d.String()); err != nil || again != d {
			t.Fatalf("re-parse = %v, %v", again, err)
		}
	})
}
