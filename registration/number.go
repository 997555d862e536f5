package registration

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// ApplicationNumber is a parsed 报名号.
//
// Format: 14 ASCII digits, <year 4><province 2><sequence 8>:
//
//	2026 44 00000123
//	│    │  └ sequence, zero-padded, unique per (year, province), given by the store (Sequence)
//	│    └ province code (GB/T 2260 first two digits) of the registration authority
//	└ year of submission in China Standard Time
//
// Numbers sort by year, then province, then order of issue within the province; they carry no
// personal data.
type ApplicationNumber struct {
	Year     int
	Province string
	Sequence int64
}

// MaxSequence is the largest sequence the format holds (8 digits).
const MaxSequence = 99_999_999

// ErrInvalidApplicationNumber is returned by ParseApplicationNumber.
var ErrInvalidApplicationNumber = &Error{Code: "invalid_application_number", Message: "报名号无效：应为14位数字"}

// String returns the 14-digit form.
func (n ApplicationNumber) String() string {
	return fmt.Sprintf("%04d%s%08d", n.Year, n.Province, n.Sequence)
}

// Valid reports whether every part is in range: year 2000–9999, a two-digit province code from
// 11 to 99, sequence 1–MaxSequence.
func (n ApplicationNumber) Valid() bool {
	if n.Year < 2000 || n.Year > 9999 || n.Sequence < 1 || n.Sequence > MaxSequence || len(n.Province) != 2 {
		return false
	}
	p, err := strconv.Atoi(n.Province)
	return err == nil && n.Province[0] != '+' && n.Province[0] != '-' && p >= 11
}

// ParseApplicationNumber reads a 14-digit 报名号 and checks its parts (see ApplicationNumber).
func ParseApplicationNumber(s string) (ApplicationNumber, error) {
	if len(s) != 14 {
		return ApplicationNumber{}, ErrInvalidApplicationNumber
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return ApplicationNumber{}, ErrInvalidApplicationNumber
		}
	}
	y, _ := strconv.Atoi(s[:4])
	seq, _ := strconv.ParseInt(s[6:], 10, 64)
	n := ApplicationNumber{Year: y, Province: s[4:6], Sequence: seq}
	if !n.Valid() {
		return ApplicationNumber{}, ErrInvalidApplicationNumber
	}
	return n, nil
}

// Sequence hands out sequence numbers: for each (year, province), every call returns a number
// no other call returned, starting at 1 (the store guarantees this across processes, e.g. with a
// counter row updated in the submitting transaction or a database sequence).
type Sequence interface {
	NextSequence(ctx context.Context, year int, province string) (int64, error)
}

// NumberGenerator issues application numbers.
type NumberGenerator interface {
	// NewNumber returns a fresh 报名号 for an application submitted at now to an authority in
	// province (two-digit code).
	NewNumber(ctx context.Context, now time.Time, province string) (string, error)
}

// ErrSequenceExhausted is returned when a (year, province) ran out of 8-digit sequences.
var ErrSequenceExhausted = &Error{Code: "sequence_exhausted", Message: "报名号已用尽，请联系管理员"}

// SequenceNumbers is the default NumberGenerator: the format of ApplicationNumber over a Sequence.
type SequenceNumbers struct{ Seq Sequence }

// NewNumber implements NumberGenerator.
func (g SequenceNumbers) NewNumber(ctx context.Context, now time.Time, province string) (string, error) {
	year := now.In(CST).Year()
	seq, err := g.Seq.NextSequence(ctx, year, province)
	if err != nil {
		return "", err
	}
	if seq > MaxSequence {
		return "", ErrSequenceExhausted
	}
	n := ApplicationNumber{Year: year, Province: province, Sequence: seq}
	if !n.Valid() {
		return "", fmt.Errorf("registration: sequence %d for province %q gives an invalid application number", seq, province)
	}
	return n.String(), nil
}
