package certificate_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tqreg/tqreg/certificate"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestManualEntryAllowed(t *testing.T) {
	beijing := time.FixedZone("CST", 8*3600)
	other2011 := certificate.MustParseNumber(num17("2011", "44", "001", "3", "2", "000123"))
	other2012 := certificate.MustParseNumber(num17("2012", "44", "001", "3", "2", "000123"))
	other1996 := certificate.MustParseNumber(num17("1996", "11", "001", "2", "1", "000001"))
	old15 := certificate.MustParseNumber(num15("98", "320100", "1", "1", "00042"))
	gx2011 := certificate.MustParseNumber(num17("2011", "45", "001", "2", "1", "000001"))
	gx2012 := certificate.MustParseNumber(num17("2012", "45", "001", "2", "1", "000001"))
	gx15 := certificate.MustParseNumber(num15("99", "450100", "2", "1", "00001"))

	tests := []struct {
		name            string
		n               certificate.Number
		issued          time.Time
		firstRegistered bool
		want            error // nil, or the specific sentinel
		reason          certificate.ManualEntryReason
		msg             string
	}{
		{"issued on the cut-off day 2008-08-01 is allowed", other2011, day(2008, 8, 1), false, nil, 0, ""},
		{"issued late on the cut-off day in Beijing time is allowed", other2011, time.Date(2008, 8, 1, 23, 59, 0, 0, beijing), false, nil, 0, ""},
		{"issued the day after the cut-off is synced", other2011, day(2008, 8, 2), false, certificate.ErrSynced, certificate.ReasonIssuedSynced, "2008-08-02"},
		{"issued in 2009 is synced", other1996, day(2009, 3, 1), false, certificate.ErrSynced, certificate.ReasonIssuedSynced, "不晚于2008-08-01"},
		{"number-year 2011 with an old date is allowed", other2011, day(2007, 12, 31), false, nil, 0, ""},
		{"number-year 2012 is synced whatever the date", other2012, day(2007, 1, 1), false, certificate.ErrSynced, certificate.ReasonYearSynced, "2012年"},
		{"number-year 1996 is allowed", other1996, day(1996, 9, 1), false, nil, 0, ""},
		{"15-digit number is allowed", old15, day(1998, 9, 1), false, nil, 0, ""},
		{"first-registered old certificate is refused", other2011, day(2005, 5, 5), true, certificate.ErrAlreadyFirstRegistered, certificate.ReasonFirstRegistered, "首次注册"},
		{"first-registered 15-digit is refused", old15, day(1998, 9, 1), true, certificate.ErrAlreadyFirstRegistered, certificate.ReasonFirstRegistered, "首次注册"},
		{"missing issue date is refused", other2011, time.Time{}, false, certificate.ErrIssueDateMissing, certificate.ReasonIssueDateMissing, "签发日期"},
		{"zero number is refused", certificate.Number{}, day(2000, 1, 1), false, certificate.ErrInvalidNumber, certificate.ReasonNumberMissing, "证书号码"},
		{"Guangxi issued 2011-12-31 is allowed", gx2011, day(2011, 12, 31), false, nil, 0, ""},
		{"Guangxi issued 2008-08-02 is allowed", gx2011, day(2008, 8, 2), false, nil, 0, ""},
		{"Guangxi issued 2012-01-01 is synced", gx2011, day(2012, 1, 1), false, certificate.ErrSynced, certificate.ReasonIssuedSynced, "早于2012-01-01"},
		{"Guangxi number-year 2012 is synced", gx2012, day(2011, 6, 1), false, certificate.ErrSynced, certificate.ReasonYearSynced, "广西壮族自治区2012年"},
		{"Guangxi 15-digit first-registered is refused", gx15, day(1999, 6, 1), true, certificate.ErrAlreadyFirstRegistered, certificate.ReasonFirstRegistered, "广西壮族自治区2012年以前"},
		{"Guangxi 15-digit is allowed", gx15, day(1999, 6, 1), false, nil, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := certificate.ManualEntryAllowed(tt.n, tt.issued, tt.firstRegistered)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !errors.Is(err, certificate.ErrManualEntryRefused) || !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var me *certificate.ManualEntryError
			if !errors.As(err, &me) || me.Reason != tt.reason {
				t.Fatalf("err = %#v, want reason %d", err, tt.reason)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("message %q does not contain %q", err.Error(), tt.msg)
			}
			if !tt.n.IsZero() && strings.Contains(err.Error(), tt.n.String()) {
				t.Errorf("message leaks the number: %q", err.Error())
			}
			for _, other := range []error{certificate.ErrSynced, certificate.ErrAlreadyFirstRegistered, certificate.ErrIssueDateMissing} {
				if other != tt.want && errors.Is(err, other) {
					t.Errorf("err also matches %v", other)
				}
			}
		})
	}
}
