package certificate_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tqreg/tqreg/certificate"
)

var now2026 = time.Date(2026, time.November, 30, 12, 0, 0, 0, time.UTC)

// num builds a 17-digit number from its parts so tests say what each digit means.
func num17(year, province, authority, kind, gender, seq string) string {
	return year + province + authority + kind + gender + seq
}

func num15(yy, area, kind, gender, seq string) string {
	return yy + area + kind + gender + seq
}

func TestParseNumberValid(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     string
		year     int
		province string
		kind     certificate.Kind
		length   int
		gender   int
	}{
		{"17 digits read year, province, kind", num17("2011", "44", "001", "3", "2", "000123"), "20114400132000123", 2011, "44", certificate.JuniorMiddle, 17, 2},
		{"15 digits are 19YY", num15("98", "450100", "1", "1", "00042"), "984501001100042", 1998, "45", certificate.Kindergarten, 15, 1},
		{"surrounding spaces trimmed", "  " + num17("2020", "11", "010", "2", "0", "000001") + "\t\n", "20201101020000001", 2020, "11", certificate.Primary, 17, 0},
		{"ideographic space trimmed", "\u3000" + num17("2020", "11", "010", "2", "0", "000001"), "20201101020000001", 2020, "11", certificate.Primary, 17, 0},
		{"first allowed year 1996 (17)", num17("1996", "32", "000", "4", "9", "999999"), "19963200049999999", 1996, "32", certificate.SeniorMiddle, 17, 9},
		{"first allowed year 1996 (15)", num15("96", "320100", "5", "2", "00001"), "963201005200001", 1996, "32", certificate.Vocational, 15, 2},
		{"current year allowed", num17("2026", "45", "001", "6", "1", "000001"), "20264500161000001", 2026, "45", certificate.VocationalPractice, 17, 1},
		{"kind 7 parses (not registrable, still a number)", num17("2015", "61", "001", "7", "1", "000001"), "20156100171000001", 2015, "61", certificate.Higher, 17, 1},
		{"any gender digit kept", num17("2015", "61", "001", "2", "7", "000001"), "20156100127000001", 2015, "61", certificate.Primary, 17, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := certificate.ParseNumberAt(tt.in, now2026)
			if err != nil {
				t.Fatalf("ParseNumberAt(%q): %v", tt.in, err)
			}
			if n.String() != tt.want || n.Year() != tt.year || n.Province() != tt.province ||
				n.Kind() != tt.kind || n.Len() != tt.length || n.GenderDigit() != tt.gender {
				t.Errorf("got %s year %d province %s kind %v len %d gender %d; want %s %d %s %v %d %d",
					n, n.Year(), n.Province(), n.Kind(), n.Len(), n.GenderDigit(),
					tt.want, tt.year, tt.province, tt.kind, tt.length, tt.gender)
			}
		})
	}
}

func TestParseNumberInvalid(t *testing.T) {
	good := num17("2011", "44", "001", "3", "2", "000123")
	tests := []struct {
		name string
		in   string
		code certificate.NumberErrorCode
		msg  string // a fragment the zh-CN message must contain
	}{
		{"empty", "", certificate.CodeNumberEmpty, "请填写"},
		{"only spaces", "   ", certificate.CodeNumberEmpty, "请填写"},
		{"16 digits", good[:16], certificate.CodeNumberLength, "当前为16位"},
		{"18 digits", good + "0", certificate.CodeNumberLength, "当前为18位"},
		{"14 digits", good[:14], certificate.CodeNumberLength, "当前为14位"},
		{"full-width digit", good[:16] + "５", certificate.CodeNumberNotDigits, "第17位"},
		{"all full-width digits", "２０１１４４００１３２０００１２３", certificate.CodeNumberNotDigits, "第1位"},
		{"letter", "A" + good[1:], certificate.CodeNumberNotDigits, "第1位"},
		{"x like an ID check char", good[:16] + "X", certificate.CodeNumberNotDigits, "第17位"},
		{"plus sign", "+" + good[1:], certificate.CodeNumberNotDigits, "第1位"},
		{"minus sign", good[:4] + "-" + good[5:], certificate.CodeNumberNotDigits, "第5位"},
		{"inner space", good[:8] + " " + good[9:], certificate.CodeNumberNotDigits, "第9位"},
		{"arabic-indic digit", good[:16] + "٣", certificate.CodeNumberNotDigits, "第17位"},
		{"year 1995 (17)", num17("1995", "44", "001", "3", "2", "000123"), certificate.CodeNumberYear, "1995年"},
		{"year 1995 (15)", num15("95", "450100", "1", "1", "00042"), certificate.CodeNumberYear, "1995年"},
		{"15 digits 00 is 1900", num15("00", "450100", "1", "1", "00042"), certificate.CodeNumberYear, "1900年"},
		{"next year", num17("2027", "44", "001", "3", "2", "000123"), certificate.CodeNumberYear, "2026年之间"},
		{"kind 0", num17("2011", "44", "001", "0", "2", "000123"), certificate.CodeNumberKind, "代码0"},
		{"kind 8", num17("2011", "44", "001", "8", "2", "000123"), certificate.CodeNumberKind, "代码8"},
		{"kind 9 (15)", num15("98", "450100", "9", "1", "00042"), certificate.CodeNumberKind, "代码9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := certificate.ParseNumberAt(tt.in, now2026)
			if err == nil {
				t.Fatalf("ParseNumberAt(%q) = %s, want error", tt.in, n)
			}
			if !errors.Is(err, certificate.ErrInvalidNumber) {
				t.Errorf("errors.Is(err, ErrInvalidNumber) = false for %v", err)
			}
			var ne *certificate.NumberError
			if !errors.As(err, &ne) || ne.Code != tt.code {
				t.Fatalf("error %v: want code %s", err, tt.code)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("message %q does not contain %q", err.Error(), tt.msg)
			}
			if len(tt.in) >= 15 && strings.Contains(err.Error(), strings.TrimSpace(tt.in)) {
				t.Errorf("message %q leaks the number", err.Error())
			}
			if !n.IsZero() {
				t.Errorf("failed parse returned non-zero Number %s", n)
			}
		})
	}
}

func TestParseNumberUsesCurrentYear(t *testing.T) {
	this := time.Now().Year()
	ok := num17(itoa4(this), "44", "001", "3", "2", "000123")
	if _, err := certificate.ParseNumber(ok); err != nil {
		t.Errorf("this year's number refused: %v", err)
	}
	next := num17(itoa4(this+1), "44", "001", "3", "2", "000123")
	if _, err := certificate.ParseNumber(next); !errors.Is(err, certificate.ErrInvalidNumber) {
		t.Errorf("next year's number accepted (err %v)", err)
	}
}

func itoa4(y int) string {
	return string([]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10)})
}

func TestNumberIsComparable(t *testing.T) {
	a := certificate.MustParseNumber("20114400132000123")
	b := certificate.MustParseNumber(" 20114400132000123 ")
	c := certificate.MustParseNumber("20114400132000124")
	if a != b {
		t.Error("the same number parsed twice is not ==")
	}
	if a == c {
		t.Error("different numbers are ==")
	}
	set := map[certificate.Number]bool{a: true}
	if !set[b] {
		t.Error("Number does not work as a map key")
	}
}

func TestZeroNumber(t *testing.T) {
	var n certificate.Number
	if !n.IsZero() || n.String() != "" || n.Len() != 0 || n.Year() != 0 || n.Province() != "" || n.Kind().Valid() || n.GenderDigit() != -1 {
		t.Errorf("zero Number not empty: %q %d %d %q %v %d", n, n.Len(), n.Year(), n.Province(), n.Kind(), n.GenderDigit())
	}
}

func TestMustParseNumberPanicsOnInvalid(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParseNumber did not panic on a 16-digit number")
		}
	}()
	certificate.MustParseNumber("2011440013200012")
}

func TestNumberText(t *testing.T) {
	n := certificate.MustParseNumber("984501001100042")
	b, err := n.MarshalText()
	if err != nil || string(b) != "984501001100042" {
		t.Fatalf("MarshalText = %q, %v", b, err)
	}
	var m certificate.Number
	if err := m.UnmarshalText(b); err != nil || m != n {
		t.Fatalf("UnmarshalText(%q) = %v, %v", b, m, err)
	}
	if err := m.UnmarshalText(nil); err != nil || !m.IsZero() {
		t.Errorf("UnmarshalText(empty) = %v, %v; want zero", m, err)
	}
	if err := m.UnmarshalText([]byte("12")); !errors.Is(err, certificate.ErrInvalidNumber) {
		t.Errorf("UnmarshalText(12) err = %v", err)
	}
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{
		"20114400132000123", "984501001100042", " 20201101020000001 ", "", "1", "2011440013200012X",
		"２０１１４４００１３２０００１２３", "19953200049999999", "20114400182000123", "+2011440013200012",
		"000000000000000", "99999999999999999", "\u3000984501001100042\u3000",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := certificate.ParseNumberAt(s, now2026)
		if err != nil {
			if !errors.Is(err, certificate.ErrInvalidNumber) {
				t.Fatalf("error %v does not match ErrInvalidNumber", err)
			}
			if err.Error() == "" {
				t.Fatal("empty message")
			}
			return
		}
		str := n.String()
		if l := len(str); (l != 15 && l != 17) || l != n.Len() {
			t.Fatalf("String %q has length %d, Len %d", str, l, n.Len())
		}
		if n.Year() < 1996 || n.Year() > 2026 || !n.Kind().Valid() || len(n.Province()) != 2 {
			t.Fatalf("parsed %q with year %d kind %v province %q", str, n.Year(), n.Kind(), n.Province())
		}
		again, err := certificate.ParseNumberAt(str, now2026)
		if err != nil || again != n {
			t.Fatalf("String %q re-parses to %v, %v", str, again, err)
		}
	})
}

var sinkNumber certificate.Number

func BenchmarkParseNumber(b *testing.B) {
	for _, in := range []string{"20114400132000123", "984501001100042"} {
		b.Run("ParseNumber/"+itoa2(len(in)), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				n, err := certificate.ParseNumberAt(in, now2026)
				if err != nil {
					b.Fatal(err)
				}
				sinkNumber = n
			}
		})
	}
	// The floor: the national system's own format check, a regular expression.
	re := regexp.MustCompile(`^(\d{15}|\d{17})$`)
	b.Run("floor-regexp/17", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !re.MatchString("20114400132000123") {
				b.Fatal("no match")
			}
		}
	})
}

func itoa2(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

func TestParseNumberAllocatesNothing(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		sinkNumber, _ = certificate.ParseNumberAt(" 20114400132000123 ", now2026)
	})
	if allocs != 0 {
		t.Errorf("ParseNumberAt allocates %v times on the valid path, want 0", allocs)
	}
}
