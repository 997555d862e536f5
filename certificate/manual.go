package certificate

import (
	"errors"
	"strconv"
	"time"
)

// GuangxiProvince is the province code of 广西壮族自治区, whose certificates entered the
// national system only from 2012.
const GuangxiProvince = "45"

// LastManualYear is the last number-year of a certificate that may be added by hand (the
// national system's own test, SPEC §2): later certificates are in the system and sync.
const LastManualYear = 2011

// manualIssuedCutoff is the last issue date (inclusive) of a hand-entered certificate outside
// Guangxi; guangxiManualIssuedBefore is the first issue date no longer allowed in Guangxi.
var (
	manualIssuedCutoff        = civil{2008, time.August, 1}
	guangxiManualIssuedBefore = civil{2012, time.January, 1}
)

// civil is a calendar date without a clock or zone.
type civil struct {
	Year  int
	Month time.Month
	Day   int
}

func civilOf(t time.Time) civil {
	y, m, d := t.Date()
	return civil{y, m, d}
}

func (c civil) before(o civil) bool {
	if c.Year != o.Year {
		return c.Year < o.Year
	}
	if c.Month != o.Month {
		return c.Month < o.Month
	}
	return c.Day < o.Day
}

// String returns the date as 2006-01-02.
func (c civil) String() string {
	return time.Date(c.Year, c.Month, c.Day, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// ErrManualEntryRefused matches (errors.Is) every refusal of ManualEntryAllowed.
var ErrManualEntryRefused = errors.New("该教师资格证书不允许手动添加")

// The specific refusals; each *ManualEntryError also matches one of these.
var (
	// ErrSynced: the certificate is in the national system (2008 on; Guangxi 2012 on) and syncs.
	ErrSynced = errors.New("该教师资格证书可由系统同步，不允许手动添加")
	// ErrAlreadyFirstRegistered: an older certificate that went through first registration syncs from it.
	ErrAlreadyFirstRegistered = errors.New("该教师资格证书已参加过首次注册，可同步首次注册信息，不允许手动添加")
	// ErrIssueDateMissing: the issue date is required to decide.
	ErrIssueDateMissing = errors.New("请填写证书签发日期")
)

// ManualEntryReason says why a certificate may not be added by hand. Stable values.
type ManualEntryReason int

// The reasons. Stored codes: do not reorder.
const (
	ReasonYearSynced       ManualEntryReason = 1 // number-year after 2011
	ReasonIssuedSynced     ManualEntryReason = 2 // issue date after the cut-off
	ReasonFirstRegistered  ManualEntryReason = 3 // already through first registration
	ReasonIssueDateMissing ManualEntryReason = 4 // no issue date given
	ReasonNumberMissing    ManualEntryReason = 5 // zero Number
)

// ManualEntryError is the typed refusal of ManualEntryAllowed; its message is zh-CN and
// says why (it never contains the certificate number).
type ManualEntryError struct {
	Reason  ManualEntryReason
	Guangxi bool   // the number's province is 45
	Year    int    // the number-year
	Issued  string // the issue date as 2006-01-02, when it decided
}

// Error returns the zh-CN explanation, in the manual's words.
func (e *ManualEntryError) Error() string {
	from, region := "2008年", ""
	if e.Guangxi {
		from, region = "2012年", "广西壮族自治区"
	}
	switch e.Reason {
	case ReasonYearSynced:
		return region + from + "及以后获得的教师资格证书，系统可以同步到证书信息，不允许手动添加证书（证书号码中的认定年度为" +
			strconv.Itoa(e.Year) + "年，晚于" + strconv.Itoa(LastManualYear) + "年）。"
	case ReasonIssuedSynced:
		limit := "不晚于" + manualIssuedCutoff.String()
		if e.Guangxi {
			limit = "早于" + guangxiManualIssuedBefore.String()
		}
		return region + from + "及以后获得的教师资格证书，系统可以同步到证书信息，不允许手动添加证书（证书签发日期为" +
			e.Issued + "，手动添加要求签发日期" + limit + "）。"
	case ReasonFirstRegistered:
		return region + from + "以前核发但已经参加过首次注册的教师资格证书，系统可以同步到首次注册信息，不允许添加证书。"
	case ReasonIssueDateMissing:
		return ErrIssueDateMissing.Error()
	case ReasonNumberMissing:
		return "请填写教师资格证书号码"
	}
	return ErrManualEntryRefused.Error()
}

// Is matches ErrManualEntryRefused and the reason's own sentinel.
func (e *ManualEntryError) Is(target error) bool {
	switch target {
	case ErrManualEntryRefused:
		return true
	case ErrSynced:
		return e.Reason == ReasonYearSynced || e.Reason == ReasonIssuedSynced
	case ErrAlreadyFirstRegistered:
		return e.Reason == ReasonFirstRegistered
	case ErrIssueDateMissing:
		return e.Reason == ReasonIssueDateMissing
	case ErrInvalidNumber:
		return e.Reason == ReasonNumberMissing
	}
	return false
}

// ManualEntryAllowed decides whether the applicant may add certificate n by hand
// (添加教师资格证书信息), SPEC §2. Certificates issued through the national system from 2008
// (Guangxi, province 45, from 2012) sync and must not be added; an older one may be added only
// if it has not been through a first registration (首次注册), which syncs too. The national
// system's own test is applied: number-year 1996–2011 and issue date ≤ 2008-08-01 (Guangxi:
// < 2012-01-01). The issue date is read as a calendar date in its own location.
//
// It returns nil, or a *ManualEntryError matching ErrManualEntryRefused and one of ErrSynced,
// ErrAlreadyFirstRegistered, ErrIssueDateMissing (or ErrInvalidNumber for a zero n).
func ManualEntryAllowed(n Number, issued time.Time, firstRegistered bool) error {
	if n.IsZero() {
		return &ManualEntryError{Reason: ReasonNumberMissing}
	}
	e := &ManualEntryError{Guangxi: n.isGuangxi(), Year: n.Year()}
	if e.Year > LastManualYear {
		e.Reason = ReasonYearSynced
		return e
	}
	if issued.IsZero() {
		e.Reason = ReasonIssueDateMissing
		return e
	}
	d := civilOf(issued)
	late := manualIssuedCutoff.before(d) // issued after 2008-08-01
	if e.Guangxi {
		late = !d.before(guangxiManualIssuedBefore) // issued on or after 2012-01-01
	}
	if late {
		e.Reason, e.Issued = ReasonIssuedSynced, d.String()
		return e
	}
	if firstRegistered {
		e.Reason = ReasonFirstRegistered
		return e
	}
	return nil
}
